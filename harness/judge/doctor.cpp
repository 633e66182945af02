#include "judge/doctor.hpp"

#include <map>
#include <optional>

#include "http/route_path.hpp"
#include "join/join.hpp"
#include "judge/path.hpp"

namespace routecheck {

HttpResponse send_once(const std::string& method, const std::string& url,
                       std::vector<std::pair<std::string, std::string>> headers, const std::string& body) {
    HttpClient http;
    HttpRequest rq;
    rq.method = method;
    rq.url = url;
    rq.headers = std::move(headers);
    rq.body = body;
    rq.timeout_ms = 5000;
    rq.connect_timeout_ms = 1500;
    rq.keep_body = 300;
    return http.send(rq);
}

void drop_uninformative_probes(CellObservation& cell, const ClientProfile& client, const std::string& origin) {
    std::map<std::string, int> control;  // method -> status at the control path
    for (auto& s : cell.steps) {
        if (s.evidence != "probe" || s.status == 0 || s.status == 401 || s.status == 403 || s.status == 404) continue;
        if (!control.count(s.method)) {
            std::vector<std::pair<std::string, std::string>> headers;
            for (const auto& st : client.steps)
                if (st.id == s.step)
                    for (const auto& [k, v] : st.headers) headers.emplace_back(k, v);
            control[s.method] = send_once(s.method, origin + kDoctorControlPath, headers, "{}").status;
        }
        if (control[s.method] == s.status) {
            s.skipped = true;
            s.skip_reason = "the probe got " + std::to_string(s.status) + ", which " + origin +
                            " answers to any path (" + kDoctorControlPath + " too): it cannot tell";
        }
    }
}

CellObservation unsent_cell(const ProxyProfile& proxy, const ClientProfile& client, const std::string& base,
                            const std::string& why) {
    CellObservation cell;
    cell.proxy = proxy.id;
    cell.client = client.id;
    cell.variant = "typed";
    cell.base_url = base;
    for (const auto& step : client.steps) {
        StepObservation o;
        o.step = step.id;
        FinalRequest fr = join_request(client.join, base, step);
        o.method = step.method;
        o.target = fr.target;
        o.url = fr.url;
        o.skipped = true;
        o.skip_reason = why;
        cell.steps.push_back(std::move(o));
    }
    return cell;
}

std::vector<std::string> typed_prefixes(const std::string& base) {
    std::vector<std::string> out;
    std::string path = parse_base_url(base).path, acc;
    std::size_t i = 0;
    while (i < path.size()) {
        if (path[i] == '/') {
            ++i;
            continue;
        }
        std::size_t j = path.find('/', i);
        std::string seg = path.substr(i, j == std::string::npos ? std::string::npos : j - i);
        if (seg == "chat" || seg == "completions" || seg == "messages" || seg == "responses" || seg == "models" ||
            seg.find(':') != std::string::npos)
            break;
        acc += "/" + seg;
        out.push_back(acc);
        i = j == std::string::npos ? path.size() : j;
    }
    return out;
}

namespace {

// Segment equality where a model name may differ: "gemini-2.5-flash:generateContent" matches "x:generateContent".
bool same_segment(const std::string& a, const std::string& b) {
    auto ca = a.find(':'), cb = b.find(':');
    if (ca != std::string::npos && cb != std::string::npos) return a.substr(ca) == b.substr(cb);
    return a == b;
}

// The Base URL path a client must have typed for `step` to reach `path` exactly, or nullopt. The path is read as
// it came: an empty segment ("//v1") is part of what the client typed, so the Base URL is the path's raw prefix
// before the endpoint's segments, and the client's own join of the two must give the path back (a client that trims
// a trailing '/' never builds "//v1beta/...", one that joins as typed does).
std::optional<std::string> base_for(const ClientProfile& c, const Step& step, const std::string& path,
                                    const std::string& origin) {
    const std::vector<std::string> e = split_path(step.endpoint);
    if (e.empty()) return std::nullopt;
    // The start of the path's last e.size() segments, each matching the endpoint's.
    std::size_t tail = path.size();
    for (std::size_t k = 0; k < e.size(); ++k) {
        if (tail == 0) return std::nullopt;
        const std::size_t slash = path.rfind('/', tail - 1);
        if (slash == std::string::npos) return std::nullopt;
        if (!same_segment(e[e.size() - 1 - k], path.substr(slash + 1, tail - slash - 1))) return std::nullopt;
        tail = slash;
    }
    std::string base = path.substr(0, tail);
    if (c.join.rule == JoinRule::Resolve) base += "/";
    Step seen = step;
    seen.endpoint = path.substr(tail + (c.join.rule == JoinRule::Resolve ? 1 : 0));
    seen.query.clear();
    try {
        if (join_request(c.join, origin + base, seen).path != path) return std::nullopt;
    } catch (const std::invalid_argument&) {
        return std::nullopt;
    }
    return base;
}

}  // namespace

std::vector<SeenExplanation> explain_seen(const Fixtures& f, const ProxyProfile& proxy, const std::string& method,
                                          const std::string& target, int status, const std::string& origin) {
    const std::string path = target.substr(0, target.find('?'));
    std::vector<SeenExplanation> out;
    for (const auto& c : f.clients)
        for (const auto& step : c.steps) {
            if (step.method != method) continue;
            auto base = base_for(c, step, path, origin);
            if (!base) continue;
            // One step, judged as a cell: the status seen (404 when the line has none).
            Step seen_step = step;  // the path as seen (its model name), for the judge
            seen_step.endpoint = path.substr(base->size() - (c.join.rule == JoinRule::Resolve ? 1 : 0));
            CellObservation cell;
            cell.proxy = proxy.id;
            cell.client = c.id;
            cell.variant = "seen";
            cell.base_url = origin + *base;
            StepObservation o;
            o.step = seen_step.id;
            o.method = method;
            o.target = target;
            o.status = status ? status : 404;
            cell.steps.push_back(o);
            ClientProfile one = c;
            one.steps = {seen_step};
            one.steps.front().essential = true;
            out.push_back({&c, step.id, cell.base_url, judge_cell(cell, proxy, one, nullptr)});
            break;  // a client's first step that builds the path explains it
        }
    return out;
}

std::string unexplained_note(const std::string& path) {
    Diagnosis shape = path_shape(path);
    return "no known client builds this path" +
           (shape == Diagnosis::Ok ? std::string() : std::string("; its shape alone says ") + to_string(shape));
}

}  // namespace routecheck
