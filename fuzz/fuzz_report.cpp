// libFuzzer target: the report writer on arbitrary bytes from a proxy. The input is split at each "\n---\n" into
// a body, a content type, a transport error text, a Base URL, a log tail, a grid row's body and a secret. They go
// where a run puts them (the body through the capture's utf8_excerpt at the 4 KiB limit), and report_files()
// renders every file. Promises (report/report.hpp): no exception; every file is valid UTF-8; matrix.json and
// grids.json parse; a known secret (8+ bytes of [A-Za-z0-9_-], injected into the body and the log too) is in no
// file. A crash, a sanitizer report or a broken promise is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "report/report.hpp"
#include "text/secrets.hpp"
#include "text/utf8.hpp"

namespace {

std::vector<std::string> fields(const std::string& text, std::size_t n) {
    std::vector<std::string> out;
    std::size_t from = 0;
    while (out.size() + 1 < n) {
        auto sep = text.find("\n---\n", from);
        if (sep == std::string::npos) break;
        out.push_back(text.substr(from, sep - from));
        from = sep + 5;
    }
    out.push_back(text.substr(std::min(from, text.size())));
    out.resize(n);
    return out;
}

bool usable_secret(const std::string& s) {
    if (s.size() < 8 || std::string("redacted").find(s) != std::string::npos) return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return false;
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace routecheck;
    auto f = fields(std::string(reinterpret_cast<const char*>(data), size), 7);
    const std::string& secret = f[6];
    const bool check_secret = usable_secret(secret);
    forget_known_secrets();
    if (check_secret) remember_secret(secret);

    std::string body = f[0] + (check_secret ? " " + secret : "");
    MatrixReport report;
    report.started_at = "2026-01-01T00:00:00Z";
    ProxyRunInfo info;
    info.id = info.name = "px";
    info.provenance = "attached";
    info.log_tail = f[4] + (check_secret ? "Bearer " + secret : "");
    info.error = f[2];
    report.proxies.push_back(info);
    report.errors.push_back("px: " + f[2]);
    report.complete = false;

    CellResult cell;
    cell.cell.proxy = "px";
    cell.cell.client = "claude-code";
    cell.cell.variant = "v1";
    cell.cell.base_url = f[3];
    cell.cell.error = f[2];
    StepVerdict step;
    step.observed.step = "prompt.messages";
    step.observed.method = "POST";
    step.observed.target = "/v1/v1/messages";
    step.observed.status = 404;
    step.observed.content_type = valid_utf8(f[1]);  // headers are made valid at capture (replay.cpp)
    step.observed.body_bytes = body.size();
    step.observed.body_excerpt = utf8_excerpt(std::string_view(body).substr(0, 4096), body.size());
    step.observed.error_text = f[2];
    step.finding = {Diagnosis::DuplicatePrefix, "reason " + f[0].substr(0, 40), "fix", f[3]};
    cell.cell.steps.push_back(step.observed);
    cell.steps.push_back(step);
    cell.judgment = step.finding;
    cell.verdict = CellVerdict::Fail;
    cell.diagnosis = Diagnosis::DuplicatePrefix;
    cell.message = "step prompt.messages: " + f[1];
    report.cells.push_back(cell);
    // One grids.json row in the shape grid_json.cpp's row_json() writes, the proxy's bytes where a run puts them.
    nlohmann::json row = {{"kind", "stream"},
                          {"row", "anthropic.cut"},
                          {"name", "grid.stream.px.anthropic.cut"},
                          {"request", "POST /v1/messages"},
                          {"fault", "cut;after=1"},
                          {"key_state", ""},
                          {"carrier", ""},
                          {"target", ""},
                          {"condition", ""},
                          {"protocol", "anthropic"},
                          {"case", "cut"},
                          {"status", 200},
                          {"transport", f[2]},
                          {"content_type", valid_utf8(f[1])},
                          {"body_excerpt", f[5]},
                          {"retry_after", false},
                          {"first_event_ms", 1.0},
                          {"total_ms", 2.0},
                          {"events", 1},
                          {"content_pieces", 1},
                          {"upstream", {f[3]}},
                          {"error_shape", ""},
                          {"verdict", "TRUNCATED"},
                          {"detail", f[5]},
                          {"predicted", false},
                          {"observed", {{"status", 200}, {"verdict", "TRUNCATED"}}},
                          {"expected", nullptr},
                          {"pass", false},
                          {"message", f[5]}};
    report.grids = {{"proxies",
                     {{{"id", "px"},
                       {"name", "px"},
                       {"provenance", "observed"},
                       {"error", ""},
                       {"pass", 0},
                       {"fail", 1},
                       {"rows", {row}}}}}};

    for (const auto& [name, text] : report_files(report)) {
        if (valid_utf8(text) != text) __builtin_trap();
        if ((name == "matrix.json" || name == "grids.json") &&
            nlohmann::json::parse(text, nullptr, false).is_discarded())
            __builtin_trap();
        if (check_secret && text.find(secret) != std::string::npos) __builtin_trap();
    }
    return 0;
}
