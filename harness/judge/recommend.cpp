#include "judge/recommend.hpp"

#include <algorithm>

#include "contract/routes.hpp"
#include "join/join.hpp"
#include "judge/classify.hpp"
#include "judge/path.hpp"

namespace routecheck {

std::vector<const Variant*> candidate_variants(const std::vector<Variant>& variants, const ClientProfile* client) {
    static const std::vector<std::string> usual = {"root", "v1", "v1beta", "root-slash", "v1-slash", "v1beta-slash"};
    static const std::vector<std::string> openai = {"v1", "root", "v1beta", "v1-slash", "root-slash", "v1beta-slash"};
    bool openai_family = client && client->protocol.rfind("openai", 0) == 0;
    const auto& order = openai_family ? openai : usual;
    std::vector<const Variant*> out;
    for (const auto& id : order)
        for (const auto& v : variants)
            if (v.id == id) out.push_back(&v);
    for (const auto& v : variants)
        if (std::find(out.begin(), out.end(), &v) == out.end() && v.base_url.find("{port}") != std::string::npos)
            out.push_back(&v);
    return out;
}

std::vector<std::string> unrouted_steps(const ClientProfile& client, const ProxyProfile& proxy,
                                        const std::string& base_url) {
    std::vector<std::string> out;
    for (const auto& step : client.steps) {
        if (!step.essential) continue;
        PathVerdict pv = judge_path(client, step, base_url, proxy);
        if (pv.shape != Diagnosis::Ok || !pv.on_route)
            out.push_back(step.id + " -> " + join_request(client.join, base_url, step).line());
    }
    return out;
}

std::string client_family(const ClientProfile& client) {
    if (client.provenance.is_object() && client.provenance.contains("family") &&
        client.provenance["family"].is_string())
        return client.provenance["family"].get<std::string>();
    // ids are "<client>-<mode>"; the family is everything before a known mode suffix.
    static const std::vector<std::string> modes = {"-openai-compatible", "-openai", "-anthropic", "-google", "-gemini"};
    for (const auto& m : modes)
        if (client.id.size() > m.size() && client.id.compare(client.id.size() - m.size(), m.size(), m) == 0)
            return client.id.substr(0, client.id.size() - m.size());
    return client.id;
}

namespace {

// The package a client profile was recorded from ("@openai/codex", "langchain-openai"), "" when it names none.
std::string client_package(const ClientProfile& client) {
    const auto& p = client.provenance;
    return p.is_object() && p.contains("package") && p["package"].is_string() ? p["package"].get<std::string>() : "";
}

// Two profiles are modes of one client when their ids say so (client_family) or when they were recorded from the
// same package (langchain-openai-python and langchain-openai-python-responses: ChatOpenAI with and without
// use_responses_api).
bool same_client(const ClientProfile& a, const ClientProfile& b) {
    if (client_family(a) == client_family(b)) return true;
    const std::string pa = client_package(a);
    return !pa.empty() && pa == client_package(b);
}

std::string probe_url(const Variant& v) { return shown_base_url(v.base_url); }

const Variant* first_working(const ClientProfile& client, const ProxyProfile& proxy, const Fixtures& fixtures) {
    if (client.steps.empty()) return nullptr;  // a client that ignores the Base URL works at none
    for (const Variant* v : candidate_variants(fixtures.variants, &client))
        if (unrouted_steps(client, proxy, probe_url(*v)).empty()) return v;
    return nullptr;
}

}  // namespace

std::string auth_caveat(const ClientProfile& client, const ProxyProfile& proxy) {
    if (proxy.api_key.empty() || proxy.auth_carriers.empty() || client.key_carriers.empty()) return "";
    auto reads = [&](const KeyCarrier& k) {
        return std::find(proxy.auth_carriers.begin(), proxy.auth_carriers.end(), k.header) != proxy.auth_carriers.end();
    };
    if (reads(client.key_carriers.front())) return "";
    const std::string carriers = carriers_words(proxy.auth_carriers);
    for (const auto& k : client.key_carriers)
        if (reads(k))
            return proxy.name + " reads its key from " + carriers + " only: give " + client.id + " the key in " +
                   (k.setting.empty() ? k.header : k.setting) + " (sent as " + k.header + "), not in " +
                   (client.key_carriers.front().setting.empty() ? client.auth_header
                                                                : client.key_carriers.front().setting);
    return proxy.name + " reads its key from " + carriers + " only, and " + client.id + " sends its key in " +
           client.auth_header + ": expect 401 at any Base URL unless the proxy accepts " + client.auth_header;
}

Recommendation recommend(const ClientProfile& client, const ProxyProfile& proxy, const Fixtures& fixtures) {
    Recommendation r;
    r.client = client.id;
    r.proxy = proxy.id;
    if (const Variant* v = first_working(client, proxy, fixtures)) {
        r.found = true;
        r.variant = v->id;
        r.base_url = v->base_url;
        r.caveat = auth_caveat(client, proxy);
        return r;
    }
    // Name the steps that never land, at the Base URL closest to working.
    std::size_t best = SIZE_MAX;
    std::vector<std::string> best_missing;
    for (const Variant* v : candidate_variants(fixtures.variants, &client)) {
        auto missing = unrouted_steps(client, proxy, probe_url(*v));
        if (missing.size() < best) {
            best = missing.size();
            best_missing = missing;
        }
    }
    if (!client.base_url_ignored.empty()) {
        r.note = "no Base URL works: " + client.id + " sends nothing to the Base URL (" + client.base_url_ignored + ")";
    } else {
        r.note = "no Base URL works: ";
        for (std::size_t i = 0; i < best_missing.size(); ++i) r.note += (i ? "; " : "") + best_missing[i];
        r.note += " never lands on a route of " + proxy.name;
    }
    for (const auto& other : fixtures.clients) {
        if (other.id == client.id || !same_client(client, other)) continue;
        if (const Variant* v = first_working(other, proxy, fixtures))
            r.alternatives.push_back(other.id + " at " + v->base_url);
    }
    if (!r.alternatives.empty()) r.note += "; use another mode of the client: " + r.alternatives.front();
    return r;
}

// A recommendation's alternatives ("id at http://127.0.0.1:{port}/v1") at the origin of a cell's Base URL.
std::vector<std::string> alternatives_at(const Recommendation& rec, const std::string& base_url) {
    std::vector<std::string> out;
    for (const auto& alt : rec.alternatives) {
        auto at = alt.find(" at ");
        if (at == std::string::npos) {
            out.push_back(alt);
            continue;
        }
        std::string templ = alt.substr(at + 4);
        auto origin_end = templ.find('/', templ.find("://") + 3);
        std::string path = origin_end == std::string::npos ? "" : templ.substr(origin_end);
        out.push_back(alt.substr(0, at + 4) + base_origin(base_url) + path);
    }
    return out;
}

}  // namespace routecheck
