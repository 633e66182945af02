#include "launch/tempdir.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sys/syscall.h>
#include <array>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
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

// "" when it cannot be read: a /proc file of a process that ends meanwhile fails with ESRCH, which the stream
// buffer throws (istreambuf_iterator has no sentry to catch it).
std::string read_small(const std::string& file) {
    try {
        std::ifstream in(file);
        return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    } catch (const std::exception&) {
        return "";
    }
}

// The fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses), or "".
std::string stat_fields(pid_t pid) {
    const std::string text = read_small("/proc/" + std::to_string(pid) + "/stat");
    const auto close = text.rfind(')');
    return close == std::string::npos || close + 2 > text.size() ? "" : text.substr(close + 2);
}

std::string boot_id() {
    std::string id = read_small("/proc/sys/kernel/random/boot_id");
    while (!id.empty() && (id.back() == '\n' || id.back() == ' ')) id.pop_back();
    return id;
}

// An owner file's process is provably gone: no such pid, a zombie, or the pid now names a process that started
// at another time (pid reuse) or during another boot. Unreadable details count as "maybe alive".
bool owner_gone(const std::string& owner) {
    std::istringstream in(owner);
    long pid = 0;
    std::string start, boot;
    if (!(in >> pid) || pid <= 0) return false;
    in >> start >> boot;
    if (!boot.empty()) {
        const std::string now = boot_id();
        if (!now.empty() && now != boot) return true;
    }
    if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) return true;
    const std::string fields = stat_fields(static_cast<pid_t>(pid));
    if (fields.empty()) return false;
    if (fields[0] == 'Z') return true;
    if (start.empty()) return false;  // an owner file of an older routecheck: the pid is all it says
    std::istringstream f(fields);
    std::string field;
    for (int i = 3; i <= 22 && (f >> field); ++i) {}
    return !field.empty() && field != start;
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

std::string process_identity(pid_t pid) {
    const std::string fields = stat_fields(pid);
    std::istringstream f(fields);
    std::string field;
    for (int i = 3; i <= 22 && (f >> field); ++i) {}
    const std::string boot = boot_id();
    if (fields.empty() || field.empty() || boot.empty()) return "";
    return std::to_string(pid) + " " + field + " " + boot;
}

void TempDir::mark_owner() const {
    if (keep_ || path_.empty()) return;
    const std::string identity = process_identity(::getpid());
    const auto file = path_ / kOwnerFile;
    // Without an identity (no descriptor left to read /proc) the pid alone still lets a later run prove most
    // owners gone; without the file nothing could, so that is an error.
    const std::string text = (identity.empty() ? std::to_string(::getpid()) : identity) + "\n";
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw LaunchError("cannot write " + file.string() + ": " + std::strerror(errno));
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    const int write_errno = errno;
    ::close(fd);
    if (!written) throw LaunchError("cannot write " + file.string() + ": " + std::strerror(write_errno));
}

void TempDir::remove() noexcept {
    unregister_dir(std::exchange(slot_, -1));
    if (path_.empty() || keep_) return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);  // best effort: a teardown path must not throw
    // remove_all needs a descriptor per directory level: a run that failed because none were left (ulimit -n)
    // would keep the temp HOME, key included. rm in a child starts with the descriptors it needs.
    if (ec || std::filesystem::exists(path_, ec)) remove_tree_with_rm(path_.c_str());
    path_.clear();
}

void remove_tree_with_rm(const char* path) noexcept {
    pid_t pid = ::fork();
    if (pid == 0) {
        ::syscall(SYS_close_range, 3u, ~0u, 0u);
        const char* argv[] = {"rm", "-rf", "--", path, nullptr};
        ::execv("/bin/rm", const_cast<char* const*>(argv));
        ::_exit(127);
    }
    if (pid > 0) {
        int status = 0;
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    }
}

void remove_registered_temp_dirs() noexcept {
    // Only fork/exec/waitpid here: the handler may have interrupted malloc or a filesystem iteration.
    for (auto& slot : g_dirs)
        if (slot.state.load() == 2) remove_tree_with_rm(slot.path);
}

void remove_stale_temp_dirs(const std::filesystem::path& parent, const std::string& prefix) noexcept {
    try {
        std::error_code ec;
        if (!std::filesystem::is_directory(parent, ec)) return;
        for (const auto& e : std::filesystem::directory_iterator(parent, ec)) {
            if (!e.is_directory(ec) || e.path().filename().string().rfind(prefix, 0) != 0) continue;
            // No owner file: kept, or not ours: leave it alone.
            if (!owner_gone(read_small((e.path() / kOwnerFile).string()))) continue;
            std::error_code rm_ec;
            std::filesystem::remove_all(e.path(), rm_ec);
            if (rm_ec) remove_tree_with_rm(e.path().c_str());
        }
    } catch (...) {}
}

int clear_run_dir(const std::filesystem::path& dir) noexcept {
    int left = 0;
    try {
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);
        for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
            // A temp dir whose owner file names a process not provably gone is a run still using it.
            if (e.is_directory(ec)) {
                const std::string owner = read_small((e.path() / kOwnerFile).string());
                if (!owner.empty() && !owner_gone(owner)) continue;
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
