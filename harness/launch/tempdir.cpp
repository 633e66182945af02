#include "launch/tempdir.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <system_error>
#include <utility>

#include "launch/process.hpp"

namespace routecheck::launch {
namespace {

// ---- paths to remove from a signal handler: fixed size, no heap, lock-free ----------------------------
// state: 0 free, 1 being written or cleared (skipped by the handler), 2 ready.
struct Slot {
    std::atomic<int> state{0};
    char path[PATH_MAX]{};
};
constexpr std::size_t kSlots = 128;
std::array<Slot, kSlots> g_dirs;

constexpr const char* kOwnerFile = ".routecheck-owner";

int register_dir(const std::filesystem::path& path) {
    const std::string& s = path.native();
    if (s.size() + 1 > PATH_MAX) return -1;
    for (std::size_t i = 0; i < kSlots; ++i) {
        int expected = 0;
        if (!g_dirs[i].state.compare_exchange_strong(expected, 1)) continue;
        std::memcpy(g_dirs[i].path, s.c_str(), s.size() + 1);
        g_dirs[i].state.store(2);
        return static_cast<int>(i);
    }
    return -1;  // full: the dir is still removed by the destructor, only not on a signal
}

void unregister_dir(int slot) {
    if (slot < 0) return;
    g_dirs[static_cast<std::size_t>(slot)].state.store(1);
    g_dirs[static_cast<std::size_t>(slot)].path[0] = '\0';
    g_dirs[static_cast<std::size_t>(slot)].state.store(0);
}

// A zombie (killed, not yet reaped by its parent) counts as gone.
bool owner_alive(pid_t pid) {
    if (::kill(pid, 0) != 0 && errno == ESRCH) return false;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    auto close = text.rfind(')');
    return !(close != std::string::npos && close + 2 < text.size() && text[close + 2] == 'Z');
}

}  // namespace

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
    slot_ = register_dir(path_);
}

TempDir::~TempDir() { remove(); }

TempDir::TempDir(TempDir&& other) noexcept
    : path_(std::exchange(other.path_, {})), keep_(other.keep_), slot_(std::exchange(other.slot_, -1)) {}

TempDir& TempDir::operator=(TempDir&& other) noexcept {
    if (this != &other) {
        remove();
        path_ = std::exchange(other.path_, {});
        keep_ = other.keep_;
        slot_ = std::exchange(other.slot_, -1);
    }
    return *this;
}

void TempDir::keep(bool keep) {
    keep_ = keep;
    if (keep_) {
        unregister_dir(std::exchange(slot_, -1));
        std::error_code ec;
        std::filesystem::remove(path_ / kOwnerFile, ec);  // a kept dir is never stale
    } else if (slot_ < 0 && !path_.empty()) {
        slot_ = register_dir(path_);
    }
}

void TempDir::mark_owner() const {
    if (keep_ || path_.empty()) return;
    std::ofstream(path_ / kOwnerFile) << ::getpid() << "\n";
}

void TempDir::remove() noexcept {
    unregister_dir(std::exchange(slot_, -1));
    if (path_.empty() || keep_) return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);  // best effort: a teardown path must not throw
    path_.clear();
}

void remove_registered_temp_dirs() noexcept {
    for (auto& slot : g_dirs) {
        if (slot.state.load() != 2) continue;
        // Only fork/exec/waitpid here: the handler may have interrupted malloc or a filesystem iteration.
        pid_t pid = ::fork();
        if (pid == 0) {
            const char* argv[] = {"rm", "-rf", "--", slot.path, nullptr};
            ::execv("/bin/rm", const_cast<char* const*>(argv));
            ::_exit(127);
        }
        if (pid > 0) {
            int status = 0;
            while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
        }
    }
}

void remove_stale_temp_dirs(const std::filesystem::path& parent, const std::string& prefix) noexcept {
    try {
        std::error_code ec;
        if (!std::filesystem::is_directory(parent, ec)) return;
        for (const auto& e : std::filesystem::directory_iterator(parent, ec)) {
            if (!e.is_directory(ec) || e.path().filename().string().rfind(prefix, 0) != 0) continue;
            std::ifstream owner(e.path() / kOwnerFile);
            long pid = 0;
            if (!(owner >> pid) || pid <= 0) continue;  // kept, or not ours: leave it alone
            if (owner_alive(static_cast<pid_t>(pid))) continue;
            std::filesystem::remove_all(e.path(), ec);
        }
    } catch (...) {
    }
}

int clear_run_dir(const std::filesystem::path& dir) noexcept {
    int left = 0;
    try {
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);
        for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
            if (e.is_directory(ec)) {
                std::ifstream owner(e.path() / kOwnerFile);
                long pid = 0;
                if ((owner >> pid) && pid > 0 && owner_alive(static_cast<pid_t>(pid))) continue;
            }
            std::filesystem::remove_all(e.path(), ec);
            left += ec ? 1 : 0;
        }
    } catch (...) {
        ++left;
    }
    return left;
}

}  // namespace routecheck::launch
