// `routecheck diff OLD.json NEW.json [--out DIR]`: which cells of two matrix reports changed their verdict class or
// a step's status, grouped by proxy and client, with the unchanged counts (report/compare.hpp).
#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "model/json_access.hpp"
#include "report/report.hpp"
#include "text/secrets.hpp"
#include "text/utf8.hpp"

namespace routecheck::cli {

namespace {

const char* kDiffHelp = R"(usage: routecheck diff OLD.json NEW.json [--out DIR]
       routecheck diff --versions MATRIX.json [--json]
Compares two matrix.json reports cell by cell (proxy.client.variant): prints the cells whose verdict class or a
step's status changed, grouped by proxy and client, with the counts of unchanged cells and of cells only one
report has. --out DIR also writes DIR/diff.md, DIR/diff.html and DIR/diff.json.
Exit codes: 0 no cell changed; 1 cells changed (or one report has cells the other lacks); 2 usage error, or a
file that is missing or not a matrix.json (the message names the file and the JSON pointer).
--versions MATRIX.json: the same comparison between two versions of one client package and mode, or of one
launched proxy package, within one report (a merged report of shards too; scripts/merge-reports uses it); --json
prints them as matrix.json's "versions". Exit 0, or 2 as above.
)";

// "OLD.json (run of 2026-11-29T08:00:00Z)"
std::string label_of(const std::string& file, const nlohmann::json& doc) {
    const std::string started = doc.is_object() ? doc.value("started_at", std::string()) : std::string();
    return file + (started.empty() ? "" : " (run of " + started + ")");
}

}  // namespace

int cmd_diff(const std::vector<std::string>& argv) {
    if (wants_help(argv)) return cmd_help(kDiffHelp);
    std::vector<std::string> files, flags;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        if (argv[i].rfind("--", 0) == 0) {
            flags.push_back(argv[i]);
            if (argv[i].find('=') == std::string::npos && i + 1 < argv.size()) flags.push_back(argv[++i]);
        } else {
            files.push_back(argv[i]);
        }
    }
    Args a(flags, {"--out", "--versions"}, {"--json"});
    if (a.has("--versions")) {
        if (!files.empty() || a.has("--out")) throw UsageError("--versions takes one matrix.json and no other file");
        const std::string file = a.one("--versions");
        std::vector<VersionPair> pairs;
        try {
            pairs = version_pairs_of_matrix_json(read_json_file(file, std::uintmax_t{1} << 30), file);
        } catch (const FixtureError& e) {
            throw UsageError(e.what());
        }
        if (a.has("--json")) {
            std::cout << safe_dump(version_pairs_json(pairs), 1) << "\n";
        } else {
            for (const auto& v : pairs)
                std::cout << v.package << " (" << v.kind << "s): " << redact_known(comparison_text(v.cells));
        }
        return 0;
    }
    if (a.has("--json")) throw UsageError("--json goes with --versions");
    if (files.size() != 2)
        throw UsageError("diff takes two matrix.json files, OLD and NEW (got " + std::to_string(files.size()) + ")");
    CellComparison c;
    try {
        nlohmann::json old_doc, new_doc;
        const auto before = read_matrix_outcomes(files[0], &old_doc);
        const auto after = read_matrix_outcomes(files[1], &new_doc);
        c = compare_cells(before, after);
        c.before_label = label_of(files[0], old_doc);
        c.after_label = label_of(files[1], new_doc);
    } catch (const FixtureError& e) {
        throw UsageError(e.what());
    }
    std::cout << redact_known(comparison_text(c)) << std::flush;
    if (a.has("--out")) {
        const std::filesystem::path out = a.one("--out");
        std::error_code ec;
        std::filesystem::create_directories(out, ec);
        if (ec) throw UsageError("--out " + out.string() + ": cannot create the folder: " + ec.message());
        try {
            write_text_file(out / "diff.md", "# routecheck diff\n\n" + comparison_markdown(c, "Cells that changed"));
            write_text_file(out / "diff.html", comparison_page(c));
            write_text_file(out / "diff.json", safe_dump(comparison_json(c), 2) + "\n");
        } catch (const ReportWriteError& e) {
            std::cerr << "routecheck diff: error: " << e.what() << "\n";
            return 2;
        }
        std::cerr << "routecheck diff: wrote " << (out / "diff.md").string() << ", " << (out / "diff.html").string()
                  << ", " << (out / "diff.json").string() << "\n";
    }
    return c.any_change() ? 1 : 0;
}

}  // namespace routecheck::cli
