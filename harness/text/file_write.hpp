// Whole-file writes that a full disk or a crash cannot leave half done: the one write-then-rename of routecheck
// (report files, expected tables, grid expectations, saved probe profiles, the mock's port file). Two renames stay
// apart on purpose: a proxy log redacted in place (launch/proxy.cpp streams it 64 KiB at a time, never whole in
// memory) and the previous run's matrix.json kept by a hard link (report/report_json.cpp).
#pragma once
#include <filesystem>
#include <stdexcept>
#include <string>

namespace routecheck {

// "<file>: <step>: <strerror>", e.g. "fixtures/expected/x.json.partial: write: No space left on device".
struct FileWriteError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Writes `text` to `file`, which must not exist yet (O_EXCL), checking every short write, the fsync and the
// close: a full disk shows at any of them. Throws FileWriteError naming the file and the step; the partly written
// file is left for the caller to remove (replace_file does).
void write_new_file(const std::filesystem::path& file, const std::string& text);

// Replaces `file` with `text` as one step: writes "<file>.partial" beside it (write_new_file, after removing a stale
// one), then renames it over `file`. On any failure the .partial is removed, `file` keeps its old content (or stays
// absent), and FileWriteError names the file, the step and says the old file was left as it was. The parent folder
// must exist.
void replace_file(const std::filesystem::path& file, const std::string& text);

}  // namespace routecheck
