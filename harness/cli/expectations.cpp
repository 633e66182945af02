#include "cli/expectations.hpp"

#include <fstream>
#include <map>
#include <set>

#include "grid/grid.hpp"
#include "model/json_access.hpp"
#include "text/file_write.hpp"
#include "text/utf8.hpp"

namespace routecheck::cli {

namespace fs = std::filesystem;

namespace {

// One expected row per line, cells in a stable order: a table diffs well in review.
std::string table_text(const nlohmann::json& doc) {
    std::string out = "{\n";
    for (auto it = doc.begin(); it != doc.end(); ++it) {
        if (it.key() == "cells") continue;
        out += "  " + nlohmann::json(it.key()).dump() + ": " + it->dump() + ",\n";
    }
    out += "  \"cells\": {";
    bool first_client = true;
    for (auto c = doc["cells"].begin(); c != doc["cells"].end(); ++c) {
        out += std::string(first_client ? "" : ",") + "\n    " + nlohmann::json(c.key()).dump() + ": {";
        first_client = false;
        bool first_variant = true;
        for (auto v = c->begin(); v != c->end(); ++v) {
            out += std::string(first_variant ? "" : ",") + "\n      " + nlohmann::json(v.key()).dump() + ": [";
            first_variant = false;
            for (std::size_t i = 0; i < v->size(); ++i)
                out += std::string(i ? "," : "") + "\n        " + safe_dump((*v)[i]);
            out += "\n      ]";
        }
        out += "\n    }";
    }
    return out + "\n  }\n}\n";
}

}  // namespace

std::vector<std::string> update_expectations(const Fixtures& f, const MatrixReport& report) {
    std::map<std::string, nlohmann::json> docs;
    std::map<std::string, fs::path> files;
    std::set<std::string> kept;  // proxies whose observed table a prediction must not touch
    for (const auto& cell : report.cells) {
        const std::string& proxy = cell.cell.proxy;
        if (!cell.cell.error.empty() || cell.verdict == CellVerdict::Skipped) continue;
        const bool predicted = cell.verdict == CellVerdict::Prediction;
        if (kept.count(proxy)) continue;
        if (!docs.count(proxy)) {
            auto it = f.expected.find(proxy);
            const ProxyProfile* p = f.proxy(proxy);
            fs::path file = it != f.expected.end()
                                ? it->second.file
                                : p->file.parent_path().parent_path() / "expected" / (proxy + ".json");
            nlohmann::json doc = fs::exists(file) ? read_json_file(file) : nlohmann::json::object();
            // A prediction never overwrites what was observed (an attach run of the real proxy may replace it).
            if (predicted && says_observed(doc)) {
                kept.insert(proxy);
                continue;
            }
            // An observed table keeps its provenance (version, commit, date, how it was run): edit it by hand when
            // a run observes another version.
            if (!says_observed(doc)) doc["provenance"] = predicted ? "predicted from source" : "observed";
            doc["proxy"] = proxy;
            doc["generated_by"] = "routecheck matrix --update-expectations";
            if (!doc.contains("cells")) doc["cells"] = nlohmann::json::object();
            docs[proxy] = std::move(doc);
            files[proxy] = file;
        }
        nlohmann::json& doc = docs[proxy];
        const nlohmann::json old = doc["cells"]
                                       .value(cell.cell.client, nlohmann::json::object())
                                       .value(cell.cell.variant, nlohmann::json::array());
        nlohmann::json rows = nlohmann::json::array();
        for (const auto& s : cell.steps) {
            if (s.observed.skipped) continue;
            nlohmann::json row = {{"step", s.observed.step},
                                  {"request", s.observed.request_line()},
                                  {"status", s.observed.status},
                                  {"class", to_string(s.finding.diagnosis)},
                                  {"upstream", s.observed.upstream}};
            // A reviewer's note on a row (e.g. "needs upstream") stays while the row's answer is the same.
            for (const auto& o : old)
                if (o.is_object() && o.value("step", "") == s.observed.step && o.contains("note") &&
                    o.value("request", "") == s.observed.request_line() && o.value("status", -1) == s.observed.status)
                    row["note"] = o["note"];
            rows.push_back(std::move(row));
        }
        doc["cells"][cell.cell.client][cell.cell.variant] = rows;
    }
    std::vector<std::string> written;
    for (auto& [proxy, doc] : docs) {
        fs::create_directories(files[proxy].parent_path());
        // A full disk fails the write of the .partial: the good table stays, never a truncated one.
        replace_file(files[proxy], table_text(doc));
        written.push_back(files[proxy].string());
    }
    for (auto& file : grid::update_grid_expectations(f, report.grids)) written.push_back(std::move(file));
    return written;
}

}  // namespace routecheck::cli
