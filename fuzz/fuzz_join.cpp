// libFuzzer target: parse_base_url + join_request. Input: one byte for the join (rule = byte % 3; for concat and
// concat_raw, bit 2 sets endpoint_if_missing, bit 3 strip_suffix ["/v1", "/v1beta"], bit 4 version_if_missing), then
// "<base url>\n<endpoint>\n<query>". parse_base_url may refuse a URL (std::invalid_argument, the documented
// error); anything else that escapes, or a result that breaks the invariants below, is a finding.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "join/join.hpp"

namespace {
std::string next_line(const std::string& s, std::size_t& at) {
    if (at > s.size()) return {};
    auto nl = s.find('\n', at);
    std::string out = s.substr(at, nl == std::string::npos ? std::string::npos : nl - at);
    at = nl == std::string::npos ? s.size() + 1 : nl + 1;
    return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    using routecheck::JoinRule;
    const JoinRule rules[] = {JoinRule::Concat, JoinRule::ConcatRaw, JoinRule::Resolve};
    const JoinRule rule = rules[data[0] % 3];
    routecheck::JoinSpec join(rule);
    if (rule != JoinRule::Resolve) {
        join.endpoint_if_missing = (data[0] & 4) != 0;
        if (data[0] & 8) join.strip_suffix = {"/v1", "/v1beta"};
        join.version_if_missing = (data[0] & 16) != 0;
    }
    const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
    std::size_t at = 0;
    std::string base = next_line(text, at);
    routecheck::Step step;
    step.id = "fuzz";
    step.method = "POST";
    step.endpoint = next_line(text, at);
    step.query = next_line(text, at);
    // The loader's rules for a step (parse_step): join_request is only ever given steps that passed them.
    if (rule != JoinRule::Resolve && !step.endpoint.empty() && step.endpoint.front() != '/') return 0;
    if (step.endpoint.find_first_of(" ?#\r\n") != std::string::npos) return 0;
    if (!step.query.empty() && step.query.front() == '?') return 0;
    // Render placeholders the way a run does, so variant templates are fuzzed too.
    base = routecheck::render_base_url(base, 8045, 9);
    routecheck::BaseUrl b;
    try {
        b = routecheck::parse_base_url(base);
    } catch (const std::invalid_argument&) {
        return 0;
    }
    if (b.host.empty() || b.port < 1 || b.port > 65535) __builtin_trap();
    routecheck::FinalRequest r = routecheck::join_request(join, base, step);
    if (r.path.empty() || r.path.front() != '/') __builtin_trap();  // always a request target
    if (r.target.rfind(r.path, 0) != 0) __builtin_trap();
    if (r.url.rfind("http://", 0) != 0 && r.url.rfind("https://", 0) != 0) __builtin_trap();
    return 0;
}
