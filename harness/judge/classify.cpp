#include "judge/classify.hpp"

#include <algorithm>

#include "contract/routes.hpp"
#include "http/route_path.hpp"
#include "judge/body.hpp"
#include "judge/path.hpp"
#include "text/words.hpp"

namespace routecheck {

namespace {
std::string strip_query(const std::string& path) { return path.substr(0, path.find('?')); }
}  // namespace

std::string protocol_family(const std::string& protocol) {
    if (protocol.rfind("openai", 0) == 0) return "openai";
    if (protocol.rfind("anthropic", 0) == 0) return "anthropic";
    if (protocol.rfind("gemini", 0) == 0 || protocol.rfind("google", 0) == 0) return "gemini";
    return protocol;
}

std::string path_family(const std::string& raw) {
    // The first segment that names a protocol decides, wherever a prefix puts it (/api/v1/messages, /openai/v1/...).
    auto segs = split_path(strip_query(raw));
    for (std::size_t i = 0; i < segs.size(); ++i) {
        const std::string& s = segs[i];
        if (s.rfind("v1beta", 0) == 0 || s.rfind("v1alpha", 0) == 0) return "gemini";
        if (s == "messages") return "anthropic";
        if (s == "chat" || s == "responses" || s == "completions" || s == "embeddings") return "openai";
        if (s == "models" && i + 1 < segs.size() && segs[i + 1].find(':') != std::string::npos) return "gemini";
    }
    return "";
}

namespace {

std::string list_of(const std::vector<std::string>& items, const char* last = " or ") {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i == 0 ? "" : i + 1 == items.size() ? last : ", ") + items[i];
    return out;
}

std::string carrier_text(const KeyCarrier& k) {
    std::string h = "`" + k.header + ": " + k.prefix + "<key>`";
    return k.setting.empty() ? h : k.setting + " (sent as " + h + ")";
}

bool proxy_reads(const ProxyProfile& p, const std::string& header) {
    return p.auth_carriers.empty() ||
           std::find(p.auth_carriers.begin(), p.auth_carriers.end(), header) != p.auth_carriers.end();
}

// What to do about a key the proxy did not get: the client setting that sends it where the proxy reads it, or,
// when the client has none, that the proxy must accept the client's header.
std::string key_fix(const StepContext& c) {
    const ClientProfile& client = *c.client;
    const ProxyProfile& proxy = *c.proxy;
    for (const auto& k : client.key_carriers)
        if (proxy_reads(proxy, k.header)) {
            if (c.key_carrier && c.key_carrier->header != k.header)
                return "put the key in " + carrier_text(k) + " instead of " +
                       (c.key_carrier->setting.empty() ? c.key_carrier->header : c.key_carrier->setting) + ": " +
                       proxy.name + " reads " + carriers_words(proxy.auth_carriers);
            return "give " + client.id + " the key configured in " + proxy.name + ": " + carrier_text(k);
        }
    std::vector<std::string> headers;
    for (const auto& k : client.key_carriers) headers.push_back(k.header);
    return client.id + " can send its key only as " + list_of(headers) + ", and " + proxy.name + " reads " +
           carriers_words(proxy.auth_carriers) + ": the proxy must accept " + headers.front() +
           " (no setting of the client sends another header)";
}

Finding auth_finding(const StepContext& c, int status) {
    const ProxyProfile& proxy = *c.proxy;
    const KeyCarrier* k = c.key_carrier;
    std::string st = std::to_string(status);
    if (!k)
        return {Diagnosis::AuthMissing,
                st + ": " + proxy.name + " wants a key and none was sent (a key problem, not a route problem)",
                key_fix(c), ""};
    if (!proxy_reads(proxy, k->header))
        return {Diagnosis::AuthMissing,
                st + ": " + c.client->id + " sent its key in " + k->header + ", which " + proxy.name +
                    " does not read (it reads " + carriers_words(proxy.auth_carriers) + ")",
                key_fix(c), ""};
    return {Diagnosis::AuthRejected,
            st + ": " + proxy.name + " refused the key sent in " + k->header + " (the path is right)",
            "the Base URL is right; give " + c.client->id + " the key configured in " + proxy.name +
                (k->setting.empty() ? std::string() : " (" + k->setting + ")"),
            ""};
}

std::string status_text(const StepObservation& o) { return std::to_string(o.status); }

// The fix when no Base URL of the client makes the proxy answer its call and no other mode of the client is known
// to work: what the proxy does serve, so the user knows which client or mode to look for. A call of a family the
// proxy serves but that it lacks (the Responses API at a proxy with chat completions only) names the proxy's calls
// of that family; a call of another family names the APIs it serves.
std::string no_base_url_fix(const StepContext& c) {
    const ProxyProfile& proxy = *c.proxy;
    std::string family = path_family(c.step->endpoint);
    if (family.empty()) family = protocol_family(c.client->protocol);
    const auto calls = served_calls(proxy, family, 2);
    const std::string apis = served_apis_words(proxy);
    std::string what;
    if (c.path->shape == Diagnosis::NoRoute && !calls.empty()) {
        what = "whose calls " + proxy.name + " serves (it serves " + list_of(calls, " and ") + ", not this call)";
    } else if (!apis.empty()) {
        what = "that speaks " + apis + " (what " + proxy.name + " serves)";
    } else {
        what = "that speaks a protocol " + proxy.name + " serves";
    }
    return "use a client, or a mode of " + c.client->id + ", " + what + "; no Base URL makes it answer this call";
}

// A misjoined path stays a misjoin whatever came back; what came back only adds to the reason (and a missing key
// to the fix).
Finding misjoin(const StepContext& c, const BodyReading& body) {
    const StepObservation& o = *c.observed;
    const PathVerdict& pv = *c.path;
    const ProxyProfile& proxy = *c.proxy;
    Finding f{pv.shape, pv.reason, "", ""};
    if (pv.shape == Diagnosis::WrongProtocol ||
        (pv.shape == Diagnosis::NoRoute && pv.bases.empty() && c.fix_base_url.empty())) {
        f.fix = c.alternatives.empty()
                    ? no_base_url_fix(c)
                    : "switch to another mode of the client: " + c.alternatives.front() + "; no Base URL of " +
                          c.client->id + " makes " + proxy.name + " answer this call";
    } else {
        f.base_url = c.fix_base_url;
        if (f.base_url.empty() && !pv.bases.empty()) f.base_url = base_url_at(*c.client, c.base_url, pv.bases.front());
        if (f.base_url.empty()) f.base_url = base_url_at(*c.client, c.base_url, pv.shape_fix);
        // Named by the client's own setting when the profile says where the Base URL is typed.
        f.fix = "set " +
                (c.client->base_url_setting.empty() ? std::string("the Base URL") : c.client->base_url_setting) +
                " to " + f.base_url;
        if (pv.shape == Diagnosis::DuplicatePrefix) {
            // Either the client brings its own version (Claude Code's /v1/messages under .../v1), or the Base URL
            // typed held the version twice (.../v1/v1 for a client that appends /chat/completions).
            const auto ep = split_path(c.step->endpoint);
            const bool brings_version = !ep.empty() && is_version_segment(ep.front());
            f.fix += brings_version
                         ? " (" + c.client->id + " appends the version itself)"
                         : " (one version segment: " + c.client->id + " appends " + c.step->endpoint + " to it)";
        }
        if (pv.shape == Diagnosis::EndpointInBase) f.fix += " (" + c.client->id + " appends the endpoint itself)";
    }
    std::string st = status_text(o);
    bool two = o.status >= 200 && o.status < 300;
    if ((o.status == 401 || o.status == 403) && body.kind == BodyKind::Html) {
        f.reason += "; a page in front of the API answered " + st + " (" + body.what + ")";
    } else if (o.status == 401 || o.status == 403) {
        f.reason += "; " + proxy.name + " answered " + st + " before routing, which hides the wrong path";
        bool key_ok = c.key_carrier && proxy_reads(proxy, c.key_carrier->header);
        if (!key_ok) {
            Finding k = auth_finding(c, o.status);
            f.reason += ", and the key is also missing";
            f.fix += "; the key is also missing: " + k.fix;
        }
    } else if (o.status == 101) {
        f.reason += "; the websocket upgrade was accepted at this path all the same";
    } else if (two && (body.kind == BodyKind::Html || body.kind == BodyKind::ErrorObject ||
                       body.kind == BodyKind::UpstreamError)) {
        f.reason += "; it answered " + st + " with " + body.what + " (a soft 404: not an API answer)";
    } else if (two) {
        f.reason +=
            "; " + proxy.name + " answered " + st + " here all the same (it tolerates this path; others will not)";
    } else if (!o.upstream.empty() || pv.on_route) {
        f.reason += "; " + proxy.name + " forwarded it (a pass-through) and " +
                    (body.kind == BodyKind::UpstreamError ? "the upstream answered " + st + " with " + body.what
                                                          : "the answer was " + st);
    } else {
        f.reason += " (answered " + st + (body.what.empty() ? "" : " with " + body.what) + ")";
    }
    return f;
}

}  // namespace

std::string carriers_words(const std::vector<std::string>& carriers) {
    std::vector<std::string> words;
    for (const auto& c : carriers) words.push_back(c == "query-key" ? "the ?key= query parameter" : c);
    return list_of(words);
}

Finding classify_step(const StepContext& c) {
    const StepObservation& o = *c.observed;
    const ProxyProfile& proxy = *c.proxy;
    const PathVerdict& pv = *c.path;
    if (o.error == TransportError::Refused)
        return {Diagnosis::NotListening, "nothing listens at that address (connection refused)",
                "start the proxy, or fix the port in the Base URL (" + proxy.name + " listens on its configured port)",
                ""};
    if (o.status == 0)
        return {Diagnosis::Unexpected,
                std::string("no HTTP answer: ") + to_string(o.error) +
                    (o.error_text.empty() ? "" : " (" + o.error_text + ")"),
                "check that the Base URL points at the proxy and not at another server", ""};
    BodyReading body = read_body(o.content_type, o.body_excerpt);
    if (pv.shape != Diagnosis::Ok) return misjoin(c, body);

    const std::string path = pv.path, st = status_text(o);
    const std::string where =
        pv.on_route ? "route " + path : path + " (not in " + possessive(proxy.name) + " route table)";
    const bool probe = o.evidence == "probe";
    // A 401/403 is the API's own key check only when it reads like one: an HTML page is a server in front of the
    // API (a CDN, a WAF, basic auth), and neither the Base URL nor the client's key is the cause.
    if ((o.status == 401 || o.status == 403) && body.kind == BodyKind::Html)
        return {Diagnosis::Unexpected,
                st + " from " + path + " with " + body.what + ": refused in front of the API, not by its key check",
                "neither the Base URL nor the client's key is the cause: look at what stands in front of " +
                    proxy.name + " (a CDN, a firewall, basic auth)",
                ""};
    if (o.status == 401 || o.status == 403) return auth_finding(c, o.status);
    if ((o.status >= 200 && o.status < 300) || o.status == 101) {
        if (body.kind == BodyKind::Html && !c.step->stream)
            return {Diagnosis::Unexpected, st + " from " + path + " with an HTML page, not an API answer",
                    "check that the Base URL points at " + possessive(proxy.name) + " API and not at a web page", ""};
        return {Diagnosis::Ok, st + " from " + where, "", ""};
    }
    if (o.status == 404) {
        if (!pv.empty_segment_fix.empty()) {
            // The route exists without the empty segment, and the proxy's router did not drop it.
            PathVerdict empty = pv;
            empty.shape = Diagnosis::NoRoute;
            empty.reason = pv.empty_segment_reason + "; " + proxy.name + " routes the path only without it";
            StepContext again = c;
            again.path = &empty;
            again.fix_base_url = pv.empty_segment_fix;
            return misjoin(again, body);
        }
        if (!pv.unversioned_fix.empty()) {
            // Forwarded as is by a pass-through, and the 404 came back: the upstream's paths carry a version.
            PathVerdict missing = pv;
            missing.shape = Diagnosis::MissingVersion;
            missing.reason = pv.unversioned_reason;
            StepContext again = c;
            again.path = &missing;
            if (again.fix_base_url.empty()) again.fix_base_url = pv.unversioned_fix;
            return misjoin(again, body);
        }
        if (body.kind == BodyKind::UpstreamError || !o.upstream.empty()) {
            const std::string said =
                (body.what.empty() ? "the upstream's answer" : body.what) +
                (body.message.empty() ? std::string() : " (\"" + one_line(body.message, 120) + "\")");
            if (says_path_not_found(body))
                return {Diagnosis::UpstreamError,
                        "404 at " + where + " with " + said + ": the route exists, and the upstream " + proxy.name +
                            " called has no such path",
                        "the Base URL is right; fix the upstream URL in " + proxy.name +
                            "'s own configuration (the provider's base URL or api_base it calls)",
                        ""};
            return {Diagnosis::UpstreamError,
                    "404 at " + where + " with " + said +
                        ": the upstream did not find the model or resource, the route itself exists",
                    "the Base URL is right; check the model name and the upstream account", ""};
        }
        return {
            Diagnosis::NoRoute,
            "404 at " + path + ", which " + possessive(proxy.name) + " route table lists, with " +
                (body.what.empty() ? std::string("an empty body") : body.what) + ": what listens there is not " +
                proxy.name + ", or a version without this route",
            "check which server listens at that port and its version; start " + proxy.name + " there or fix the port",
            ""};
    }
    if (o.status == 405)
        return {Diagnosis::Unexpected, "405: " + path + " is a route, but not for " + o.method,
                "this client uses another method than the proxy serves on this path", ""};
    if (o.status == 501)
        return {Diagnosis::Unexpected, "501 from " + where + ": the proxy has the route but does not implement it",
                "the Base URL is right; this proxy cannot serve this call (use a proxy that implements it)", ""};
    if (o.status == 429 || o.status >= 500 || (!o.upstream.empty() && o.status != 400 && o.status != 422))
        return {Diagnosis::UpstreamError,
                st + " from " + where + (body.kind == BodyKind::UpstreamError ? " with " + body.what : std::string()) +
                    ": the route exists; the upstream call failed or was refused",
                "the Base URL is right; look at the proxy's upstream, account or quota", ""};
    if (probe && (o.status == 400 || o.status == 422))
        return {Diagnosis::Ok,
                st + " from " + where +
                    " to routecheck's empty-body probe: the route exists and checked the body "
                    "(inferred; nothing billable was sent)",
                "", ""};
    return {Diagnosis::Unexpected,
            st + " from " + where + (body.what.empty() ? std::string() : " with " + body.what) +
                ": the request itself was refused (its body, model name or parameters), not its path",
            "the path is right; see the body excerpt for what the proxy or its upstream did not accept", ""};
}

}  // namespace routecheck
