#include "judge/path.hpp"

#include <algorithm>
#include <set>
#include <string_view>

#include "contract/routes.hpp"
#include "join/join.hpp"
#include "text/words.hpp"

namespace routecheck {

namespace {

using Segments = std::vector<std::string>;

std::string strip_query(const std::string& p) { return p.substr(0, p.find('?')); }

std::string to_path(const Segments& segs, std::size_t from = 0, std::size_t to = std::string::npos) {
    std::string out;
    for (std::size_t i = from; i < std::min(to, segs.size()); ++i) out += "/" + segs[i];
    return out;
}

bool pass_through(const Route& r) { return r.path.size() >= 3 && r.path.compare(r.path.size() - 3, 3, "/**") == 0; }

bool method_ok(const Route& r, const std::string& method) {
    return r.method == "*" || r.method == method || (method == "HEAD" && r.method == "GET");
}

// The endpoint words a client appends; one of them inside the Base URL means the user typed an endpoint there.
std::size_t endpoint_words_at(const Segments& segs, std::size_t i) {
    static const std::vector<Segments> words = {{"chat", "completions"}, {"completions"}, {"messages"},
                                                {"responses"},           {"embeddings"},  {"models"}};
    for (const auto& w : words)
        if (i + w.size() <= segs.size() && std::equal(w.begin(), w.end(), segs.begin() + static_cast<long>(i)))
            return w.size();
    return 0;
}

// Where the typed Base URL path holds an endpoint: {index of its first word, words}; {npos, 0} when it does not.
std::pair<std::size_t, std::size_t> endpoint_in(const Segments& base) {
    for (std::size_t i = 0; i < base.size(); ++i) {
        if (std::size_t n = endpoint_words_at(base, i)) return {i, n};
        if (base[i].find(':') != std::string::npos) return {i, 1};  // a Gemini action: ".../models/x:generateContent"
    }
    return {std::string::npos, 0};
}

// The path a step reaches at a Base URL path (only the path matters; the join rule decides how they meet).
std::string joined_path(const ClientProfile& client, const Step& step, const std::string& base_path) {
    return join_request(client.join, base_url_at(client, "http://h", base_path), step).path;
}

bool is_endpoint_word(const std::string& s) {
    return s == "chat" || s == "completions" || s == "messages" || s == "responses" || s == "embeddings" ||
           s == "models";
}

// A pattern segment fits an endpoint segment; a wildcard stands for a value (a model name), never for one of the
// words or versions a client appends ("/v1beta/models/*" does not serve ".../responses").
bool segment_fits(const std::string& pat, const std::string& seg) {
    if (pat.find('*') != std::string::npos && (is_endpoint_word(seg) || is_version_segment(seg))) return false;
    return route_path_matches("/" + pat, "/" + seg);
}

bool route_fits(const std::string& pattern, const Segments& path) {
    Segments pat = split_path(pattern);
    if (pat.size() != path.size()) return false;
    for (std::size_t i = 0; i < pat.size(); ++i)
        if (!segment_fits(pat[i], path[i])) return false;
    return true;
}

bool holds_endpoint_word(const Segments& base) {
    return std::any_of(base.begin(), base.end(), [](const std::string& s) { return is_endpoint_word(s); });
}

// Base paths at which `step` lands on an exact (not pass-through) route, or, failing that, on a pass-through
// whose path keeps a sound shape. Verified by joining forward with the client's own rule.
// {exact, others}: the bases of exact routes (or, when there are none, of pass-throughs), and the pass-through bases
// besides them.
std::pair<std::vector<std::string>, std::vector<std::string>> candidate_bases(const ClientProfile& client,
                                                                              const Step& step,
                                                                              const ProxyProfile& proxy) {
    Segments ep = split_path(step.endpoint);
    std::vector<std::string> exact, through;
    auto add = [&](std::vector<std::string>& out, const std::string& base) {
        if (std::find(out.begin(), out.end(), base) != out.end()) return;
        std::string p = joined_path(client, step, base);
        if (match_route(proxy.routes, step.method, p) == RouteMatch::Route) out.push_back(base);
    };
    for (const auto& r : proxy.routes) {
        if (r.fallback || !method_ok(r, step.method)) continue;
        Segments pat = split_path(r.path);
        if (pass_through(r)) {
            // "/v1/**": the base is the literal part minus whatever leading part of it the endpoint brings itself.
            Segments lit(pat.begin(), pat.end() - 1);
            for (std::size_t k = 0; k <= lit.size(); ++k) {
                std::size_t rest = lit.size() - k;
                if (rest > ep.size()) continue;
                bool fits = true;
                for (std::size_t i = 0; i < rest && fits; ++i) fits = segment_fits(lit[k + i], ep[i]);
                Segments base(lit.begin(), lit.begin() + static_cast<long>(k));
                bool literal =
                    std::none_of(base.begin(), base.end(), [](auto& s) { return s.find('*') != std::string::npos; });
                if (fits && literal && !holds_endpoint_word(base)) {
                    std::string b = to_path(base);
                    Segments all = split_path(joined_path(client, step, b));
                    bool twice = false;
                    for (std::size_t i = 0; i + 1 < all.size(); ++i)
                        twice = twice || (is_version_segment(all[i]) && is_version_segment(all[i + 1]));
                    if (!twice) add(through, b);
                }
            }
            continue;
        }
        if (pat.size() < ep.size()) continue;
        std::size_t off = pat.size() - ep.size();
        bool fits = true;
        for (std::size_t i = 0; i < ep.size() && fits; ++i) fits = segment_fits(pat[off + i], ep[i]);
        Segments base(pat.begin(), pat.begin() + static_cast<long>(off));
        if (fits && !holds_endpoint_word(base) &&
            std::none_of(base.begin(), base.end(), [](auto& s) { return s.find('*') != std::string::npos; }))
            add(exact, to_path(base));
    }
    if (exact.empty()) return {through, {}};
    return {exact, through};
}

std::string family_name(const std::string& f) {
    if (f == "openai") return "OpenAI";
    if (f == "anthropic") return "Anthropic";
    if (f == "gemini") return "Gemini";
    return f;
}

}  // namespace

bool is_version_segment(const std::string& seg) {
    // v[0-9]+((alpha|beta)[0-9]*)?, by hand: this runs for every segment of every joined path judged, where
    // std::regex_match cost more than the rest of the check.
    auto digits = [&](std::size_t i) {
        while (i < seg.size() && seg[i] >= '0' && seg[i] <= '9') ++i;
        return i;
    };
    if (seg.size() < 2 || seg[0] != 'v') return false;
    std::size_t i = digits(1);
    if (i == 1) return false;
    for (std::string_view tag : {"alpha", "beta"})
        if (std::string_view(seg).substr(i, tag.size()) == tag) {
            i += tag.size();
            break;
        }
    return digits(i) == seg.size();
}

Diagnosis path_shape(const std::string& raw) {
    Segments segs = split_path(strip_query(raw));
    for (std::size_t i = 0; i + 1 < segs.size(); ++i)
        if (is_version_segment(segs[i]) && is_version_segment(segs[i + 1])) return Diagnosis::DuplicatePrefix;
    std::size_t start = !segs.empty() && is_version_segment(segs[0]) ? 1 : 0;
    if (std::size_t len = endpoint_words_at(segs, start)) {
        std::size_t next = start + len;
        if (next < segs.size() && (is_version_segment(segs[next]) || endpoint_words_at(segs, next)))
            return Diagnosis::EndpointInBase;
        if (start == 0 && segs[0].find(':') == std::string::npos) return Diagnosis::MissingVersion;
    }
    return Diagnosis::Ok;
}

std::string base_origin(const std::string& base_url) {
    try {
        return parse_base_url(base_url).origin();
    } catch (const std::invalid_argument&) {
        // Not a URL a client would take (only a fixture's template reaches here unparsed): cut it as text.
        auto scheme = base_url.find("://");
        std::size_t from = scheme == std::string::npos ? 0 : scheme + 3;
        return base_url.substr(0, base_url.find_first_of("/?", from));
    }
}

std::string base_url_at(const ClientProfile& client, const std::string& base_url, const std::string& path) {
    std::string url = base_origin(base_url) + path;
    if (client.join.rule == JoinRule::Resolve && (path.empty() || path.back() != '/')) url += "/";
    return url;
}

std::vector<std::string> served_families(const ProxyProfile& proxy) {
    std::set<std::string> out;
    for (const auto& c : proxy.capabilities) out.insert(protocol_family(c));
    for (const auto& r : proxy.routes) {
        if (r.fallback) continue;
        std::string f = path_family(r.path);
        if (!f.empty()) out.insert(f);
    }
    return {out.begin(), out.end()};
}

std::string served_apis_words(const ProxyProfile& proxy) {
    std::vector<std::string> names;
    for (const auto& f : served_families(proxy)) names.push_back(family_name(f));
    if (names.empty()) return "";
    std::string out = "the ";
    for (std::size_t i = 0; i < names.size(); ++i)
        out += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
    return out + (names.size() == 1 ? " API" : " APIs");
}

std::vector<std::string> served_calls(const ProxyProfile& proxy, const std::string& family, std::size_t max) {
    std::vector<std::string> out;
    for (const auto& r : proxy.routes) {
        if (out.size() >= max) break;
        if (r.fallback || r.method != "POST" || r.path.find("**") != std::string::npos) continue;
        if (path_family(r.path) != family) continue;
        out.push_back(r.method + " " + r.path);
    }
    return out;
}

std::vector<std::string> rank_bases(std::vector<std::string> bases, const std::string& typed_path,
                                    const std::string& family) {
    Segments typed = split_path(typed_path);
    const std::string preferred = family == "gemini" ? "v1beta" : "v1";
    auto prefers = [&](const std::string& b) {
        Segments s = split_path(b);
        return !s.empty() && s.back() == preferred;
    };
    auto common = [&](const std::string& b) {
        Segments s = split_path(b);
        std::size_t n = 0;
        while (n < s.size() && n < typed.size() && s[n] == typed[n]) ++n;
        return n;
    };
    std::stable_sort(bases.begin(), bases.end(), [&](const std::string& a, const std::string& b) {
        std::size_t ca = common(a), cb = common(b);
        if (ca != cb) return ca > cb;
        std::size_t la = split_path(a).size(), lb = split_path(b).size();
        if (la != lb) return la < lb;
        return prefers(a) && !prefers(b);
    });
    return bases;
}

namespace {

// Whether the proxy's route table can say that no Base URL serves a call: not when it is unknown, nor when the
// routes under some prefix were not seen (a probe of a proxy that checks the key before routing there, without a
// key that opens it): the call may be served there. A path is then judged by its shape only, as with no table.
bool routes_complete(const ProxyProfile& proxy) { return proxy.routes_known && proxy.routes_unseen_under.empty(); }

// A misjoin stands as such when some Base URL repairs it, or when the routes are unknown. When the proxy's known
// routes serve the call at no Base URL, removing the doubled version would not help: the call is of a family the
// proxy does not serve (WRONG_PROTOCOL) or one it lacks (NO_ROUTE), and the misjoin is a side note in the reason.
// The call's family is that of the endpoint the client appends, not of the whole path: a Base URL that holds another
// family's endpoint (a Gemini client's call under .../v1/chat/completions) does not make the call that family's.
PathVerdict no_repair(PathVerdict v, const ClientProfile& client, const Step& step, const ProxyProfile& proxy) {
    if (!v.bases.empty() || !routes_complete(proxy)) return v;
    std::string family = path_family(step.endpoint);
    if (family.empty()) family = protocol_family(client.protocol);
    if (family.empty()) family = path_family(v.path);
    auto served = served_families(proxy);
    std::string side = " (besides: " + v.reason + ")";
    if (!family.empty() && std::find(served.begin(), served.end(), family) == served.end()) {
        std::string list;
        for (const auto& f : served) list += (list.empty() ? "" : ", ") + family_name(f);
        v.shape = Diagnosis::WrongProtocol;
        v.reason = v.path + " is " + with_article(family_name(family)) + " call; " + proxy.name +
                   (served.empty() ? std::string(" serves none of the OpenAI, Anthropic or Gemini APIs")
                                   : " serves " + list + " only") +
                   side;
    } else {
        v.shape = Diagnosis::NoRoute;
        v.reason = v.path + " is not a route of " + proxy.name + ", and no Base URL makes this call one" + side;
    }
    v.shape_fix.clear();
    return v;
}

}  // namespace

PathVerdict judge_path(const ClientProfile& client, const Step& step, const std::string& base_url,
                       const ProxyProfile& proxy) {
    PathVerdict v;
    BaseUrl typed = parse_base_url(base_url);
    FinalRequest req = join_request(client.join, base_url, step);
    v.path = req.path;
    Segments base = split_path(typed.path), ep = split_path(step.endpoint), all = split_path(v.path);
    auto [bases, others] = candidate_bases(client, step, proxy);
    v.bases = rank_bases(bases, typed.path, protocol_family(client.protocol));
    v.other_bases = others;
    // An exact route names this path, its wildcards standing for values ("/v1/responses/*" is a response id, not
    // the "/responses" a client appended to a Base URL that already ended in /v1/responses).
    RouteMatch exact = RouteMatch::NoRoute;
    for (const auto& r : proxy.routes)
        if (!r.fallback && !pass_through(r) && route_fits(r.path, all) && method_ok(r, step.method))
            exact = RouteMatch::Route;
    v.on_route = match_route(proxy.routes, step.method, v.path) == RouteMatch::Route;
    const std::string who = client.id;
    const std::string line = step.method + " " + v.path;
    if (v.path.find("//") != std::string::npos && (exact == RouteMatch::Route || v.on_route)) {
        // The table names this path only with its empty segment dropped: what the proxy does with "//" shows in
        // its answer (classify: a 404 there is this misjoin).
        const bool at_join = !typed.path.empty() && typed.path.back() == '/' && !step.endpoint.empty() &&
                             step.endpoint.front() == '/' && typed.path.find("//") == std::string::npos;
        v.empty_segment_reason =
            line + " has an empty segment (//): " +
            (at_join ? "the Base URL ends in '/' and " + who + " appends " + step.endpoint + " to it as typed"
                     : std::string("the Base URL holds one"));
        v.empty_segment_fix = base_url_at(client, base_url, to_path(base));
    }
    if (exact == RouteMatch::Route) return v;  // the proxy names this very path: whatever its shape, it is right

    // Shapes that are wrong whatever the proxy: they hold even when a pass-through forwards them.
    auto [at, words] = endpoint_in(base);
    // A Base URL that is itself an exact route of the proxy (Ollama's /api/chat typed as a Base URL) holds an
    // endpoint too, whatever its words.
    if (at == std::string::npos && !base.empty())
        for (const auto& r : proxy.routes)
            if (!r.fallback && !pass_through(r) && route_fits(r.path, base)) {
                at = 0;
                words = base.size();
                break;
            }
    if (at != std::string::npos) {
        v.shape = Diagnosis::EndpointInBase;
        v.reason = line + ": the Base URL already holds the endpoint " + to_path(base, at, at + words) + " and " + who +
                   " appends " + step.endpoint + " to it";
        v.shape_fix = to_path(base, 0, at);
        return no_repair(v, client, step, proxy);
    }
    for (std::size_t i = 0; i + 1 < all.size(); ++i)
        if (is_version_segment(all[i]) && is_version_segment(all[i + 1])) {
            v.shape = Diagnosis::DuplicatePrefix;
            v.reason = line + " has two version segments (/" + all[i] + "/" + all[i + 1] + "): " +
                       (i + 1 < base.size() ? "the Base URL itself holds them"
                                            : "the Base URL ends in /" + all[i] + " and " + who + " appends " +
                                                  step.endpoint + ", which brings its own /" + all[i + 1]);
            Segments cut = base;
            if (!cut.empty() && is_version_segment(cut.back())) cut.pop_back();
            v.shape_fix = to_path(cut);
            return no_repair(v, client, step, proxy);
        }
    if (v.on_route) {  // a pass-through takes it, and its shape is sound
        for (const auto& r : proxy.routes) {
            if (r.fallback || !pass_through(r) || !method_ok(r, step.method) || !route_path_matches(r.path, v.path))
                continue;
            Segments lit = split_path(r.path);
            lit.pop_back();
            std::string rest = to_path(all, lit.size());
            bool versioned =
                std::any_of(all.begin(), all.end(), [](const std::string& x) { return is_version_segment(x); });
            if (!versioned && path_shape(rest) == Diagnosis::MissingVersion) {
                std::string version = protocol_family(client.protocol) == "gemini" ? "v1beta" : "v1";
                std::string typed_path = typed.path;
                while (!typed_path.empty() && typed_path.back() == '/') typed_path.pop_back();
                v.unversioned_fix = base_url_at(client, base_url, typed_path + "/" + version);
                v.unversioned_reason = line + " lacks /" + version + ": " + proxy.name + " forwards " + rest +
                                       " as it is, and the API behind it serves it under /" + version;
            }
            break;
        }
        return v;
    }

    if (!v.bases.empty()) {
        const std::string& best = v.bases.front();
        Segments b = split_path(best);
        bool extends = b.size() == base.size() + 1 && std::equal(base.begin(), base.end(), b.begin());
        if (extends && is_version_segment(b.back())) {
            v.shape = Diagnosis::MissingVersion;
            v.reason = line + " lacks /" + b.back() + ": " + who + " appends " + step.endpoint +
                       " to the Base URL, so the Base URL must end in /" + b.back();
        } else {
            v.shape = Diagnosis::NoRoute;
            v.reason = line + " is not a route of " + proxy.name + "; it serves this call at " +
                       joined_path(client, step, best);
        }
        return v;
    }
    // No route of the proxy takes this call at any Base URL: another protocol, or a call it lacks.
    std::string family = path_family(v.path);
    if (family.empty()) family = protocol_family(client.protocol);
    auto served = served_families(proxy);
    // An empty table that is complete means the proxy serves none of the families.
    const bool any_route = routes_complete(proxy);
    if (!family.empty() && any_route && std::find(served.begin(), served.end(), family) == served.end()) {
        std::string list;
        for (const auto& f : served) list += (list.empty() ? "" : ", ") + family_name(f);
        v.shape = Diagnosis::WrongProtocol;
        v.reason = line + " is " + with_article(family_name(family)) + " call; " + proxy.name +
                   (served.empty() ? std::string(" serves none of the OpenAI, Anthropic or Gemini APIs")
                                   : " serves " + list + " only");
        return v;
    }
    // Without a route table to go by (a probe that could not see the routes), the shape alone still tells a missing
    // version (/chat/completions at the root); anything else stays unjudged by the path.
    if (!any_route && !ep.empty() && !is_version_segment(ep.front()) &&
        (base.empty() || !is_version_segment(base.back())) && endpoint_words_at(all, base.size())) {
        std::string version = protocol_family(client.protocol) == "gemini" ? "v1beta" : "v1";
        v.shape = Diagnosis::MissingVersion;
        v.reason = line + " lacks /" + version + ": " + who + " appends " + step.endpoint +
                   " to the Base URL, so the Base URL must end in /" + version;
        std::string typed_path = typed.path;
        while (!typed_path.empty() && typed_path.back() == '/') typed_path.pop_back();
        v.bases = {typed_path + "/" + version};
        return v;
    }
    if (!any_route) return v;
    v.shape = Diagnosis::NoRoute;
    v.reason = line + " is not a route of " + proxy.name + ", at any Base URL";
    return v;
}

}  // namespace routecheck
