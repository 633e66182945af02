#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "report/report.hpp"
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

nlohmann::json matrix_json(const MatrixReport& report) {
    nlohmann::json j;
    j["tool"] = "routecheck";
    j["started_at"] = report.started_at;
    j["wall_ms"] = report.wall_ms;
    j["harness_cpu_ms"] = report.harness_cpu_ms;
    j["harness_max_rss_kb"] = report.harness_max_rss_kb;
    j["complete"] = report.complete;
    j["errors"] = report.errors;
    Counts c = count_cells(report.cells);
    j["counts"] = {{"cells", report.cells.size()}, {"pass", c.pass}, {"fail", c.fail},
                   {"no_expectation", c.no_expectation}, {"skipped", c.skipped}, {"prediction", c.prediction}};
    j["proxies"] = nlohmann::json::array();
    for (const auto& p : report.proxies)
        j["proxies"].push_back({{"id", p.id}, {"name", p.name}, {"provenance", p.provenance}, {"version", p.version},
                                {"package", p.package},
                                {"port", p.port}, {"ready_ms", p.ready_ms}, {"replay_ms", p.replay_ms},
                                {"request_ms_sum", p.request_ms_sum}, {"requests", p.requests}, {"stop_ms", p.stop_ms},
                                {"grids_ms", p.grids_ms}, {"error", p.error}, {"log_tail", p.log_tail}});
    j["recommendations"] = nlohmann::json::array();
    for (const auto& r : report.recommendations)
        j["recommendations"].push_back({{"client", r.rec.client}, {"proxy", r.rec.proxy}, {"found", r.rec.found},
                                        {"variant", r.rec.variant}, {"base_url", r.rec.base_url},
                                        {"note", r.rec.note}, {"alternatives", r.rec.alternatives},
                                        {"confirmed", r.confirmed}, {"refuted_by", r.refuted_by},
                                        {"caveat", r.rec.caveat}});
    j["cells"] = nlohmann::json::array();
    for (const auto& cell : report.cells) j["cells"].push_back(cell_json(cell));
    j["versions"] = versions_json(version_comparisons(report));
    return j;
}

namespace {

namespace fs = std::filesystem;

// The files of one report. A name of this set that a run does not write (grids.json after --no-grids) is removed,
// so no file of an older run stays beside a newer matrix.json.
const char* const kReportFiles[] = {"grids.json", "summary.md", "junit.xml", "index.html", "cells.tsv", "matrix.json"};
constexpr const char* kStagePrefix = ".rc-report-";

[[noreturn]] void fail(const fs::path& file, const std::string& what, int err) {
    throw ReportWriteError("cannot write the report: " + file.string() + ": " + what +
                           (err ? std::string(": ") + std::strerror(err) : std::string()));
}

// Writes `text` to a new file; every short write and the final fsync/close are checked (a full disk shows at
// any of them).
void write_new(const fs::path& file, const std::string& text) {
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) fail(file, "open", errno);
    for (std::size_t off = 0; off < text.size();) {
        ssize_t n = ::write(fd, text.data() + off, text.size() - off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            int err = n < 0 ? errno : EIO;
            ::close(fd);
            fail(file, "write", err);
        }
        off += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        int err = errno;
        ::close(fd);
        fail(file, "fsync", err);
    }
    if (::close(fd) != 0) fail(file, "close", errno);
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

}  // namespace

std::vector<std::pair<std::string, std::string>> report_files(const MatrixReport& report) {
    std::vector<std::pair<std::string, std::string>> files;
    if (!report.grids.is_null()) files.emplace_back("grids.json", safe_dump(report.grids, 2) + "\n");
    files.emplace_back("summary.md", summary_markdown(report));
    files.emplace_back("junit.xml", junit_xml(report));
    files.emplace_back("index.html", index_html(report));
    const nlohmann::json doc = matrix_json(report);
    // cells.tsv: "<cell id>\t<the cell's matrix.json object, one line>" per cell, so a reader that wants one cell
    // (each ctest cell test is its own process) reads one line instead of parsing the whole matrix.json.
    std::string index;
    for (const auto& c : doc["cells"]) index += c["id"].get<std::string>() + "\t" + safe_dump(c) + "\n";
    files.emplace_back("cells.tsv", std::move(index));
    files.emplace_back("matrix.json", safe_dump(doc, 2) + "\n");  // last: it names a whole report
    for (auto& [name, text] : files) text = redact_known(valid_utf8(text));
    return files;
}

void write_report(const MatrixReport& report, const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) fail(dir, "cannot create the folder", ec.value());
    remove_leftovers(dir);
    const auto files = report_files(report);
    Stage stage(dir);
    for (const auto& [name, text] : files) write_new(stage.path() / name, text);
    // Everything is on disk: now the old set goes and the new one takes its place, matrix.json last.
    for (const char* name : kReportFiles) {
        bool written = std::any_of(files.begin(), files.end(), [&](const auto& f) { return f.first == name; });
        if (!written && (fs::remove(dir / name, ec), ec)) fail(dir / name, "cannot remove the previous run's file", ec.value());
    }
    for (const auto& [name, text] : files) {
        fs::rename(stage.path() / name, dir / name, ec);
        if (ec) fail(dir / name, "rename", ec.value());
    }
}

}  // namespace routecheck
