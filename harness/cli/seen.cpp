// `routecheck doctor --seen "POST /v1/chat/completions/responses 404"` (or --log FILE, one request line a line, as a
// proxy's access log shows them): the troubleshooting document's checkpoint table, made exact. For each line, the
// client profiles and Base URLs whose join produces that path, each judged as a one-step cell (judge/doctor.hpp:
// explain_seen). This file parses the lines and prints.
#include <fstream>
#include <iostream>
#include <regex>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "judge/doctor.hpp"
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
    static const std::regex re(
        R"re((GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(/\S*?)(?:\s+HTTP/[0-9.]+)?"?\s+([1-5][0-9][0-9])?)re");
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

}  // namespace

int doctor_seen(const Fixtures& f, const ProxyProfile& proxy, const std::vector<std::string>& raw_lines,
                const std::string& origin, bool as_json) {
    nlohmann::json out = nlohmann::json::array();
    int unexplained = 0;
    for (std::size_t i = 0; i < raw_lines.size(); ++i) {
        SeenLine s = parse_line(raw_lines[i], "--seen line " + std::to_string(i + 1));
        nlohmann::json entry = {{"line", s.text},
                                {"request", s.method + " " + s.target},
                                {"status", s.status ? nlohmann::json(s.status) : nlohmann::json(nullptr)},
                                {"clients", nlohmann::json::array()}};
        for (const auto& x : explain_seen(f, proxy, s.method, s.target, s.status, origin))
            entry["clients"].push_back({{"client", x.client->id},
                                        {"name", x.client->name},
                                        {"base_url", x.base_url},
                                        {"step", x.step},
                                        {"verdict", verdict_json(x.result.judgment)},
                                        {"works", x.result.works}});
        if (entry["clients"].empty()) {
            ++unexplained;
            entry["note"] = unexplained_note(s.path);
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
            std::cout << "\n"
                      << e["request"].get<std::string>()
                      << (e["status"].is_null() ? "" : " -> " + std::to_string(e["status"].get<int>())) << "\n";
            if (e.contains("note")) std::cout << "  " << e["note"].get<std::string>() << "\n";
            for (const auto& c : e["clients"])
                std::cout << "  " << c["client"].get<std::string>() << " at " << c["base_url"].get<std::string>()
                          << ": " << c["verdict"]["class"].get<std::string>() << ": "
                          << c["verdict"]["reason"].get<std::string>()
                          << (c["verdict"]["fix"].get<std::string>().empty()
                                  ? ""
                                  : ". Fix: " + c["verdict"]["fix"].get<std::string>())
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
