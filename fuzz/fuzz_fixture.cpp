// libFuzzer target: one fixture parser on arbitrary bytes. Built three times (client, proxy, expected) with
// ROUTECHECK_FUZZ_PARSER selecting the parser; seeds are the real files under fixtures/.
// Contract checked: bytes that are not valid JSON, or nest deeper than the loader allows, are rejected by the
// loader's reader (no call); a JSON document either parses or throws FixtureError (which names the file and
// pointer). Any other exception, a crash, or a
// sanitizer report is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "model/fixtures.hpp"
#include "model/json_access.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    nlohmann::json doc;
    try {
        // The loader's own reader (read_json_file's parsing): syntax errors and nesting past kMaxJsonDepth are
        // FixtureErrors; the parsers below only ever see what it lets through.
        doc = routecheck::parse_json_text(text, "fuzz/x.json");
    } catch (const routecheck::FixtureError&) {
        return 0;
    }
    try {
#if ROUTECHECK_FUZZ_PARSER == 1
        routecheck::parse_client(doc, "fuzz/clients/x.json");
#elif ROUTECHECK_FUZZ_PARSER == 2
        routecheck::parse_proxy(doc, "fuzz/proxies/x.json");
        routecheck::parse_variants(doc, "fuzz/variants.json");
#else
        routecheck::parse_expected(doc, "fuzz/expected/x.json");
#endif
    } catch (const routecheck::FixtureError& e) {
        if (e.file().empty()) __builtin_trap();  // every error must say where
    }
    return 0;
}
