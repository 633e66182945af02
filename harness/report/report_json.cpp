#include <fstream>

#include "report/report.hpp"

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
    j["complete"] = report.complete;
    j["errors"] = report.errors;
    Counts c = count_cells(report.cells);
    j["counts"] = {{"cells", report.cells.size()}, {"pass", c.pass}, {"fail", c.fail},
                   {"no_expectation", c.no_expectation}, {"skipped", c.skipped}, {"prediction", c.prediction}};
    j["proxies"] = nlohmann::json::array();
    for (const auto& p : report.proxies)
        j["proxies"].push_back({{"id", p.id}, {"name", p.name}, {"provenance", p.provenance}, {"version", p.version},
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
    return j;
}

namespace {
void write_whole(const std::filesystem::path& file, const std::string& text) {
    auto tmp = file;
    tmp += ".partial";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw std::runtime_error("cannot write " + tmp.string());
        out << text;
        if (!out.flush()) throw std::runtime_error("cannot write " + tmp.string());
    }
    std::filesystem::rename(tmp, file);
}
}  // namespace

void write_report(const MatrixReport& report, const std::filesystem::path& dir) {
    std::filesystem::create_directories(dir);
    const nlohmann::json doc = matrix_json(report);
    write_whole(dir / "matrix.json", doc.dump(2) + "\n");
    // cells.tsv: "<cell id>\t<the cell's matrix.json object, one line>" per cell, so a reader that wants one cell
    // (each ctest cell test is its own process) reads one line instead of building the whole matrix.json.
    std::string index;
    for (const auto& c : doc["cells"]) index += c["id"].get<std::string>() + "\t" + c.dump() + "\n";
    write_whole(dir / "cells.tsv", index);
    if (!report.grids.is_null()) write_whole(dir / "grids.json", report.grids.dump(2) + "\n");
    write_whole(dir / "summary.md", summary_markdown(report));
    write_whole(dir / "junit.xml", junit_xml(report));
    write_whole(dir / "index.html", index_html(report));
}

}  // namespace routecheck
