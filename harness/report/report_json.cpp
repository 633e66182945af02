#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <future>

#include "report/report.hpp"
#include "text/file_write.hpp"
#include "text/secrets.hpp"
#include "text/utf8.hpp"

namespace routecheck {

Counts count_cells(const std::vector<CellResult>& cells) {
    Counts c;
    for (const auto& r : cells) {
        switch (r.verdict) {
            case CellVerdict::Pass: ++c.pass; break;
            case CellVerdict::Fail: ++c.fail; break;
            case CellVerdict::NoExpectation: ++c.no_expectation; break;
            case CellVerdict::Skipped: ++c.skipped; break;
            case CellVerdict::Prediction: ++c.prediction; break;
        }
    }
    return c;
}

ProxyTally proxy_tally(const MatrixReport& r, const std::string& proxy) {
    ProxyTally t;
    std::vector<std::string> clients, working;
    for (const auto& c : r.cells) {
        if (c.cell.proxy != proxy) continue;
        ++t.cells;
        t.working += c.works;
        t.as_expected += c.verdict == CellVerdict::Pass;
        t.predicted += c.verdict == CellVerdict::Prediction;
        t.skipped += c.verdict == CellVerdict::Skipped;
        t.unexpected += c.verdict == CellVerdict::Fail || c.verdict == CellVerdict::NoExpectation;
        if (std::find(clients.begin(), clients.end(), c.cell.client) == clients.end()) clients.push_back(c.cell.client);
        if (c.works && std::find(working.begin(), working.end(), c.cell.client) == working.end())
            working.push_back(c.cell.client);
    }
    t.clients = static_cast<int>(clients.size());
    t.clients_working = static_cast<int>(working.size());
    return t;
}

nlohmann::json verdict_json(const Finding& f) {
    return {{"class", to_string(f.diagnosis)},
            {"reason", f.reason},
            {"fix", f.fix},
            {"base_url", f.base_url.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.base_url)}};
}

nlohmann::json cell_json(const CellResult& cell) {
    nlohmann::json cj = {{"id", cell.cell.id()},
                         {"proxy", cell.cell.proxy},
                         {"client", cell.cell.client},
                         {"variant", cell.cell.variant},
                         {"base_url", cell.cell.base_url},
                         {"key_via", cell.cell.key_via},
                         {"verdict", verdict_json(cell.judgment)},
                         {"works", cell.works},
                         {"warnings", cell.warnings},
                         {"expectation", to_string(cell.verdict)},
                         {"message", cell.message},
                         {"error", cell.cell.error}};
    cj["steps"] = nlohmann::json::array();
    for (const auto& s : cell.steps) {
        nlohmann::json sj = to_json(s.observed);
        sj["verdict"] = verdict_json(s.finding);
        sj["essential"] = s.essential;
        sj["outcome"] = s.outcome();
        sj["expected_status"] = s.expected ? nlohmann::json(s.expected->status) : nlohmann::json(nullptr);
        sj["expected_request"] = s.expected ? nlohmann::json(s.expected->request) : nlohmann::json(nullptr);
        sj["expected_upstream"] = s.expected ? nlohmann::json(s.expected->upstream) : nlohmann::json(nullptr);
        sj["expected_class"] = s.expected && !s.expected->diagnosis.empty() ? nlohmann::json(s.expected->diagnosis)
                                                                            : nlohmann::json(nullptr);
        sj["mismatch"] = s.mismatch;
        cj["steps"].push_back(std::move(sj));
    }
    return cj;
}

nlohmann::json provenance_json(const Provenance& p) { return {{"how", p.how}, {"when", p.when}, {"detail", p.detail}}; }

nlohmann::json matrix_json(const MatrixReport& report) {
    nlohmann::json j;
    j["tool"] = "routecheck";
    j["routecheck_version"] = report.routecheck_version;
    j["started_at"] = report.started_at;
    j["wall_ms"] = report.wall_ms;
    j["harness_cpu_ms"] = report.harness_cpu_ms;
    j["harness_max_rss_kb"] = report.harness_max_rss_kb;
    j["complete"] = report.complete;
    j["errors"] = report.errors;
    Counts c = count_cells(report.cells);
    j["counts"] = {{"cells", report.cells.size()},       {"pass", c.pass},       {"fail", c.fail},
                   {"no_expectation", c.no_expectation}, {"skipped", c.skipped}, {"prediction", c.prediction}};
    j["proxies"] = nlohmann::json::array();
    for (const auto& p : report.proxies)
        j["proxies"].push_back({{"id", p.id},
                                {"name", p.name},
                                {"provenance", p.provenance},
                                {"version", p.version},
                                {"package", p.package},
                                {"known", provenance_json(p.known)},
                                {"port", p.port},
                                {"ready_ms", p.ready_ms},
                                {"slot_wait_ms", p.slot_wait_ms},
                                {"replay_ms", p.replay_ms},
                                {"request_ms_sum", p.request_ms_sum},
                                {"requests", p.requests},
                                {"stop_ms", p.stop_ms},
                                {"grids_ms", p.grids_ms},
                                {"nice", p.nice},
                                {"cpu_ms", p.cpu_ms},
                                {"error", p.error},
                                {"log_tail", p.log_tail},
                                {"log", p.log}});
    j["clients"] = nlohmann::json::array();
    for (const auto& c : report.clients)
        j["clients"].push_back({{"id", c.id},
                                {"name", c.name},
                                {"protocol", c.protocol},
                                {"package", c.package},
                                {"version", c.version},
                                {"registry", c.registry},
                                {"known", provenance_json(c.known)}});
    j["recommendations"] = nlohmann::json::array();
    for (const auto& r : report.recommendations)
        j["recommendations"].push_back({{"client", r.rec.client},
                                        {"proxy", r.rec.proxy},
                                        {"found", r.rec.found},
                                        {"variant", r.rec.variant},
                                        {"base_url", r.rec.base_url},
                                        {"note", r.rec.note},
                                        {"alternatives", r.rec.alternatives},
                                        {"confirmed", r.confirmed},
                                        {"refuted_by", r.refuted_by},
                                        {"caveat", r.rec.caveat}});
    j["cells"] = nlohmann::json::array();
    for (const auto& cell : report.cells) j["cells"].push_back(cell_json(cell));
    j["versions"] = version_pairs_json(version_pairs(report));
    j["logs"] = report.logs;
    j["changed_since_previous"] =
        report.since_previous ? comparison_json(*report.since_previous) : nlohmann::json(nullptr);
    j["previous_note"] = report.previous_note;
    return j;
}

namespace {

namespace fs = std::filesystem;

// The files of one report. A name of this set that a run does not write (grids.json after --no-grids) is removed,
// so no file of an older run stays beside a newer matrix.json.
// "badges" is a folder (one SVG per proxy), swapped whole.
const char* const kReportFiles[] = {"grids.json", "summary.md", "junit.xml",  "index.html",
                                    "cells.tsv",  "badges",     "matrix.json"};
constexpr const char* kStagePrefix = ".rc-report-";

[[noreturn]] void fail(const fs::path& file, const std::string& what, int err) {
    throw ReportWriteError("cannot write the report: " + file.string() + ": " + what +
                           (err ? std::string(": ") + std::strerror(err) : std::string()));
}

// text/file_write.hpp's write, its error in the report's words.
void write_new(const fs::path& file, const std::string& text) {
    try {
        write_new_file(file, text);
    } catch (const FileWriteError& e) {
        throw ReportWriteError(std::string("cannot write the report: ") + e.what());
    }
}

// A folder inside `dir` the files are written into first; removed with what it holds unless released.
class Stage {
public:
    explicit Stage(const fs::path& dir) {
        std::string templ = (dir / (std::string(kStagePrefix) + "XXXXXX")).string();
        if (!::mkdtemp(templ.data())) fail(dir, "cannot create a folder in it", errno);
        path_ = templ;
    }
    ~Stage() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    Stage(const Stage&) = delete;
    Stage& operator=(const Stage&) = delete;
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

// What an interrupted earlier write left: its stage folders and the .partial files of older versions. The caller
// holds the --out lock, so no other writer is using them.
void remove_leftovers(const fs::path& dir) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string name = e.path().filename().string();
        bool partial = name.size() > 8 && name.compare(name.size() - 8, 8, ".partial") == 0;
        if (name.rfind(kStagePrefix, 0) == 0 || partial) fs::remove_all(e.path(), ec);
    }
}

// The previous run's matrix.json stays as previous/matrix.json (what `routecheck diff` and the next report's
// "changed since the last run" read): a hard link, so the rename of the new matrix.json over the old one leaves it
// whole; a copy where links are not possible. Replaces the one before it in one rename.
void keep_previous(const fs::path& dir) {
    std::error_code ec;
    const fs::path old = dir / "matrix.json";
    if (!fs::is_regular_file(fs::symlink_status(old, ec))) return;
    const fs::path folder = dir / "previous", next = folder / "matrix.json.partial";
    fs::create_directories(folder, ec);
    if (ec) fail(folder, "cannot create the folder", ec.value());
    fs::remove(next, ec);
    fs::create_hard_link(old, next, ec);
    if (ec) fs::copy_file(old, next, fs::copy_options::overwrite_existing, ec);
    if (ec) fail(next, "cannot keep the previous run's matrix.json", ec.value());
    fs::rename(next, folder / "matrix.json", ec);
    if (ec) fail(folder / "matrix.json", "rename", ec.value());
}

}  // namespace

std::vector<std::pair<std::string, std::string>> report_files(const MatrixReport& report) {
    // The files are made side by side (each reads the report only): they are written after every proxy is done,
    // when the cores are otherwise idle, and one after another they took about a second of the full matrix's wall
    // time. Each file is cleaned (valid UTF-8, secrets cut) on its own thread too.
    auto clean = [](std::string text) { return redact_known(valid_utf8(text)); };
    auto later = [&](auto make) { return std::async(std::launch::async, [make, clean] { return clean(make()); }); };
    auto grids = later([&] { return report.grids.is_null() ? std::string() : safe_dump(report.grids, 2) + "\n"; });
    auto summary = later([&] { return summary_markdown(report); });
    auto junit = later([&] { return junit_xml(report); });
    auto html = later([&] { return index_html(report); });
    const nlohmann::json doc = matrix_json(report);
    // cells.tsv: "<cell id>\t<the cell's matrix.json object, one line>" per cell, so a reader that wants one cell
    // (each ctest cell test is its own process) reads one line instead of parsing the whole matrix.json.
    auto cells = later([&] {
        std::string index;
        for (const auto& c : doc["cells"]) index += c["id"].get<std::string>() + "\t" + safe_dump(c) + "\n";
        return index;
    });
    std::string matrix = clean(safe_dump(doc, 2) + "\n");
    std::vector<std::pair<std::string, std::string>> files;
    if (!report.grids.is_null()) files.emplace_back("grids.json", grids.get());
    files.emplace_back("summary.md", summary.get());
    files.emplace_back("junit.xml", junit.get());
    files.emplace_back("index.html", html.get());
    for (const auto& p : report.proxies) files.emplace_back("badges/" + p.id + ".svg", clean(badge_svg(report, p)));
    files.emplace_back("cells.tsv", cells.get());
    files.emplace_back("matrix.json", std::move(matrix));  // last: it names a whole report
    return files;
}

void write_text_file(const fs::path& file, const std::string& text) {
    try {
        replace_file(file, redact_known(valid_utf8(text)));
    } catch (const FileWriteError& e) {
        throw ReportWriteError(std::string("cannot write the report: ") + e.what());
    }
}

void write_report(const MatrixReport& report, const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) fail(dir, "cannot create the folder", ec.value());
    remove_leftovers(dir);
    const auto files = report_files(report);
    Stage stage(dir);
    // The top-level names of the new set, in write order: a file, or a folder ("badges") with its files.
    std::vector<std::string> tops;
    for (const auto& [name, text] : files) {
        const std::string top = name.substr(0, name.find('/'));
        if (top != name) fs::create_directories(stage.path() / top, ec);
        if (ec) fail(stage.path() / top, "cannot create the folder", ec.value());
        write_new(stage.path() / name, text);
        if (std::find(tops.begin(), tops.end(), top) == tops.end()) tops.push_back(top);
    }
    keep_previous(dir);
    // Everything is on disk: now the old set goes and the new one takes its place, matrix.json last.
    for (const char* name : kReportFiles) {
        const bool written = std::find(tops.begin(), tops.end(), name) != tops.end();
        const bool folder = fs::is_directory(fs::symlink_status(dir / name, ec));
        if ((!written || folder) && (fs::remove_all(dir / name, ec), ec))
            fail(dir / name, "cannot remove the previous run's file", ec.value());
    }
    for (const auto& top : tops) {
        fs::rename(stage.path() / top, dir / top, ec);
        if (ec) fail(dir / top, "rename", ec.value());
    }
}

}  // namespace routecheck
