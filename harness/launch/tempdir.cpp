#include "launch/tempdir.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <system_error>
#include <utility>

#include "launch/process.hpp"

namespace routecheck::launch {

TempDir::TempDir(const std::string& prefix, const std::filesystem::path& parent) {
    std::filesystem::path base = parent.empty() ? std::filesystem::temp_directory_path() : parent;
    std::error_code ec;
    std::filesystem::create_directories(base, ec);
    std::string pattern = (base / (prefix + "XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr)
        throw LaunchError("cannot create a temp dir under " + base.string() + ": " + std::strerror(errno));
    // canonical: proxies and /proc report resolved paths; comparisons against ours should match them.
    path_ = std::filesystem::canonical(pattern, ec);
    if (ec) path_ = pattern;
}

TempDir::~TempDir() { remove(); }

TempDir::TempDir(TempDir&& other) noexcept
    : path_(std::exchange(other.path_, {})), keep_(other.keep_) {}

TempDir& TempDir::operator=(TempDir&& other) noexcept {
    if (this != &other) {
        remove();
        path_ = std::exchange(other.path_, {});
        keep_ = other.keep_;
    }
    return *this;
}

void TempDir::remove() noexcept {
    if (path_.empty() || keep_) return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);  // best effort: a teardown path must not throw
    path_.clear();
}

}  // namespace routecheck::launch
