// Escaping and the words of index.html: what each verdict class means and its fix.
#include <array>

#include "report/html_parts.hpp"
#include "text/utf8.hpp"

namespace routecheck::html {

std::string esc(const std::string& s) { return html_escape(s); }

std::string esc_truncated(const std::string& s, std::size_t max_bytes, std::size_t total_bytes) {
    if (s.size() <= max_bytes && total_bytes <= s.size()) return esc(s);
    std::size_t cut = std::min(max_bytes, s.size());
    // Step back over continuation bytes so the cut does not split a character.
    while (cut > 0 && cut < s.size() && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    std::size_t total = std::max(total_bytes, s.size());
    return esc(s.substr(0, cut)) + "<span class=cut>… (" + std::to_string(cut) + " of " + std::to_string(total) +
           " bytes shown)</span>";
}

namespace {

// Order = legend order. Each class has a letter (or mark) as well as a colour, so the grid reads in grey and for
// colour-blind readers; the colours also differ in lightness. The Base URL classes share the amber family so the
// eye groups them; a 401/403 is blue, away from the route problems, because the document's first lesson is that a
// 401 is not a route answer. A cell shows the glyph and the label; the legend shows the same two words.
const std::array<ClassInfo, 13> kClasses = {{
    {Diagnosis::Ok, "c-ok", "works", "works",
     "every essential step reached a route of the proxy and got a 2xx: this client works at this Base URL",
     "nothing to fix", "✓"},
    {Diagnosis::DuplicatePrefix, "c-dup", "/v1/v1", "Base URL",
     "the version segment is there twice (/v1/v1/…, /v1beta/v1beta/…): the Base URL ends in it and the client "
     "appends its own",
     "drop the version from the Base URL (use host:port), or use the recommended Base URL", "D"},
    {Diagnosis::MissingVersion, "c-miss", "no /v1", "Base URL",
     "the path lacks /v1 (/models, /chat/completions): this client expects the Base URL to carry the version",
     "end the Base URL in /v1 (e.g. http://127.0.0.1:8045/v1)", "M"},
    {Diagnosis::EndpointInBase, "c-endp", "endpoint", "Base URL",
     "the Base URL already holds an endpoint and the client appended its route to it "
     "(/v1/chat/completions/responses)",
     "cut the Base URL back to host:port or /v1; if the client always appends, switch it to another protocol mode",
     "E"},
    {Diagnosis::WrongProtocol, "c-proto", "protocol", "route",
     "the path belongs to a protocol family (OpenAI, Anthropic, Gemini) that this proxy does not serve",
     "switch the client to a protocol mode the proxy serves, or use a proxy that serves this protocol", "P"},
    {Diagnosis::NoRoute, "c-noroute", "no route", "route",
     "a well-formed path of a protocol the proxy serves, but not in its route table: 404",
     "use the recommended Base URL; if none works, this proxy lacks the call", "R"},
    {Diagnosis::AuthMissing, "c-401", "401", "key",
     "401: the proxy wants a key and got none it accepts; proxies that check the key first answer 401 even for "
     "wrong paths, so this says nothing about the path",
     "send the proxy's API key in the header this client uses, then look at the path again", "A"},
    {Diagnosis::AuthRejected, "c-403", "403", "key", "403: the proxy refused the key (or the caller's address)",
     "use the key configured in the proxy; a 403 is not a Base URL problem", "F"},
    {Diagnosis::NotListening, "c-down", "refused", "proxy", "nothing listens at that host:port (connection refused)",
     "start the proxy, or put its real port in the Base URL", "N"},
    {Diagnosis::UpstreamError, "c-upstream", "upstream", "proxy",
     "the route exists and the proxy called its upstream, which failed or refused (429, 5xx)",
     "the Base URL is right; look at the proxy's account, quota or upstream", "U"},
    {Diagnosis::Unexpected, "c-unexp", "other", "other",
     "anything else: a 4xx/501 from an existing route, a wrong method, no HTTP answer, a proxy that died",
     "open the cell: its steps show the request, the answer and the proxy's own message", "X"},
    {Diagnosis::Skipped, "c-skip", "skipped", "other",
     "not sent: it would spend upstream quota against a real proxy (attach mode)", "pass --allow-quota to send it",
     "S"},
    {Diagnosis::BaseUrlIgnored, "c-ignored", "ignores URL", "client",
     "this client mode sends nothing to the Base URL: its calls go to the vendor's own host whatever the Base URL "
     "says (recorded: no request reached the recorder at any Base URL)",
     "no Base URL fixes it: use a mode of the client that honours the Base URL", "I"},
}};

}  // namespace

const ClassInfo& class_info(Diagnosis d) {
    for (const auto& c : kClasses)
        if (c.diagnosis == d) return c;
    return kClasses[10];
}

const ClassInfo* class_info_by_name(const std::string& name) {
    for (const auto& c : kClasses)
        if (name == to_string(c.diagnosis)) return &c;
    return nullptr;
}

const ClassInfo* all_classes(std::size_t& count) {
    count = kClasses.size();
    return kClasses.data();
}

const char* verdict_css(CellVerdict v) {
    switch (v) {
        case CellVerdict::Pass: return "v-pass";
        case CellVerdict::Fail: return "v-fail";
        case CellVerdict::NoExpectation: return "v-noexp";
        case CellVerdict::Skipped: return "v-skip";
        case CellVerdict::Prediction: return "v-pred";
    }
    return "v-fail";
}

std::string base_url_html(const std::string& templ) {
    std::string out = "<code>";
    std::string rest = templ;
    for (auto pos = rest.find("{port}"); pos != std::string::npos; pos = rest.find("{port}")) {
        out += esc(rest.substr(0, pos)) + "<var>{port}</var>";
        rest = rest.substr(pos + 6);
    }
    return out + esc(rest) + "</code>";
}

}  // namespace routecheck::html
