// `routecheck doctor --seen "POST /v1/chat/completions/responses 404"` (or --log FILE, one request line a line, as a
// proxy's access log shows them): the troubleshooting document's checkpoint table, made exact. For each line, the
// client profiles and Base URLs whose join produces that path, each judged as a one-step cell by judge_cell.
#include <fstream>
#include <iostream>
#include <regex>
#include <set>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "join/join.hpp"
#include "judge/judge.hpp"
#include "judge/path.hpp"
#include "report/report.hpp"
#include "text/utf8.hpp"

namespace routecheck::cli {

namespace {

struct SeenLine {
    std::string text, method, target, path;
    int status = 0;  // 0: not given
};

SeenLine parse_line(const std::string& raw, const std::string& where) {
    // "POST /v1/messages?beta=true 404", also inside a longer access-log line ("... \"POST /x HTTP/1.1\" 404 ...").
    static const std::regex re(R"re((GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(/\S*?)(?:\s+HTTP/[0-9.]+)?"?\s+([1-5][0-9][0-9])?)re");
    static const std::regex bare(R"re((GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(/\S*))re");
    std::smatch m;
    SeenLine s;
    s.text = raw;
    std::string line = raw + " ";
    if (std::regex_search(line, m, re) || std::regex_search(line, m, bare)) {
        s.method = m[1];
        s.target = m[2];
        if (m.size() > 3 && m[3].matched) s.status = std::stoi(m[3]);
    } else {
        throw UsageError(where + ": '" + raw + "' is not a request line (METHOD /path [STATUS])");
    }
    s.path = s.target.substr(0, s.target.find('?'));
    return s;
}

// Segment equality where a model name may differ: "gemini-2.5-flash:generateContent" matches "x:generateContent".
bool same_segment(const std::string& a, const std::string& b) {
    auto ca = a.find(':'), cb = b.find(':');
    if (ca != std::string::npos && cb != std::string::npos) return a.substr(ca) == b.substr(cb);
    return a == b;
}

// The Base URL path a client must have typed for `step` to reach `path`, or nullopt.
std::optional<std::string> base_for(const ClientProfile& c, const Step& step, const std::string& path) {
    std::vector<std::string> e, p;
    for (std::size_t i = 0, j; i < step.endpoint.size(); i = j) {
        i = step.endpoint.find_first_not_of('/', i);
        if (i == std::string::npos) break;
        j = step.endpoint.find('/', i);
        e.push_back(step.endpoint.substr(i, j == std::string::npos ? std::string::npos : j - i));
        if (j == std::string::npos) j = step.endpoint.size();
    }
    for (std::size_t i = 0, j; i < path.size(); i = j) {
        i = path.find_first_not_of('/', i);
        if (i == std::string::npos) break;
        j = path.find('/', i);
        p.push_back(path.substr(i, j == std::string::npos ? std::string::npos : j - i));
        if (j == std::string::npos) j = path.size();
    }
    if (e.empty() || p.size() < e.size()) return std::nullopt;
    for (std::size_t k = 0; k < e.size(); ++k)
        if (!same_segment(e[e.size() - 1 - k], p[p.size() - 1 - k])) return std::nullopt;
    std::string base;
    for (std::size_t k = 0; k + e.size() < p.size(); ++k) base += "/" + p[k];
    if (c.join.rule == JoinRule::Resolve) base += "/";
    return base;
}

}  // namespace

int doctor_seen(const Fixtures& f, const ProxyProfile& proxy, const std::vector<std::string>& raw_lines,
                const std::string& origin, bool as_json) {
    nlohmann::json out = nlohmann::json::array();
    int unexplained = 0;
    for (std::size_t i = 0; i < raw_lines.size(); ++i) {
        SeenLine s = parse_line(raw_lines[i], "--seen line " + std::to_string(i + 1));
        nlohmann::json entry = {{"line", s.text}, {"request", s.method + " " + s.target},
                                {"status", s.status ? nlohmann::json(s.status) : nlohmann::json(nullptr)},
                                {"clients", nlohmann::json::array()}};
        std::set<std::string> seen_clients;
        for (const auto& c : f.clients)
            for (const auto& step : c.steps) {
                if (step.method != s.method || seen_clients.count(c.id)) continue;
                auto base = base_for(c, step, s.path);
                if (!base) continue;
                seen_clients.insert(c.id);
                std::string base_url = origin + *base;
                // One step, judged as a cell: the status seen (404 when the line has none).
                Step seen_step = step;  // the path as seen (its model name), for the judge
                seen_step.endpoint = s.path.substr(base->size() - (c.join.rule == JoinRule::Resolve ? 1 : 0));
                CellObservation cell;
                cell.proxy = proxy.id;
                cell.client = c.id;
                cell.variant = "seen";
                cell.base_url = base_url;
                StepObservation o;
                o.step = seen_step.id;
                o.method = s.method;
                o.target = s.target;
                o.status = s.status ? s.status : 404;
                cell.steps.push_back(o);
                ClientProfile one = c;
                one.steps = {seen_step};
                one.steps.front().essential = true;
                CellResult r = judge_cell(cell, proxy, one, nullptr);
                entry["clients"].push_back({{"client", c.id}, {"name", c.name}, {"base_url", base_url},
                                            {"step", step.id}, {"verdict", verdict_json(r.judgment)}, {"works", r.works}});
            }
        if (entry["clients"].empty()) {
            ++unexplained;
            Diagnosis shape = path_shape(s.path);
            entry["note"] = "no known client builds this path" +
                            (shape == Diagnosis::Ok ? std::string()
                                                    : std::string("; its shape alone says ") + to_string(shape));
        }
        out.push_back(entry);
    }
    if (as_json) {
        // A log line may hold any bytes: replaced, never a type_error.
        std::cout << safe_dump({{"tool", "routecheck doctor --seen"}, {"proxy", proxy.id}, {"lines", out}}, 2) << "\n";
    } else {
        std::cout << "routecheck doctor --seen: which client and Base URL build each path, judged against " << proxy.id
                  << "\n";
        for (const auto& e : out) {
            std::cout << "\n" << e["request"].get<std::string>()
                      << (e["status"].is_null() ? "" : " -> " + std::to_string(e["status"].get<int>())) << "\n";
            if (e.contains("note")) std::cout << "  " << e["note"].get<std::string>() << "\n";
            for (const auto& c : e["clients"])
                std::cout << "  " << c["client"].get<std::string>() << " at " << c["base_url"].get<std::string>() << ": "
                          << c["verdict"]["class"].get<std::string>() << ": " << c["verdict"]["reason"].get<std::string>()
                          << (c["verdict"]["fix"].get<std::string>().empty() ? "" : ". Fix: " + c["verdict"]["fix"].get<std::string>())
                          << "\n";
        }
    }
    return unexplained ? 1 : 0;
}

std::vector<std::string> read_log_lines(const std::string& file) {
    std::ifstream in(file);
    if (!in) throw UsageError("--log: cannot read '" + file + "'");
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);)
        if (line.find_first_not_of(" \t\r") != std::string::npos) out.push_back(line);
    if (out.empty()) throw UsageError("--log " + file + ": no request line in it");
    return out;
}

}  // namespace routecheck::cli
