// A temporary directory that is removed with everything in it when the owner goes away, unless kept.
#pragma once
#include <filesystem>
#include <string>

namespace routecheck::launch {

class TempDir {
public:
    // Creates <parent>/<prefix>XXXXXX (mode 0700). An empty parent means the system temp directory.
    explicit TempDir(const std::string& prefix = "routecheck-", const std::filesystem::path& parent = {});
    ~TempDir();  // removes the tree unless keep(); never throws
    TempDir(TempDir&& other) noexcept;
    TempDir& operator=(TempDir&& other) noexcept;
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    void keep(bool keep = true) { keep_ = keep; }
    bool kept() const { return keep_; }

private:
    void remove() noexcept;
    std::filesystem::path path_;
    bool keep_ = false;
};

}  // namespace routecheck::launch
