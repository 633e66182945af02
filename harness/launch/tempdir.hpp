// A temporary directory that is removed with everything in it when the owner goes away, unless kept.
#pragma once
#include <sys/types.h>

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
    // Writes the owner file that remove_stale_temp_dirs() reads (only for dirs that are not kept): this process's
    // pid, its start time and the boot id, so a later run can prove the owner gone even when the pid was reused.
    // Throws LaunchError when it cannot be written (e.g. no file descriptor left): a dir nobody could ever prove
    // stale must not be used for a key.
    void mark_owner() const;
    void keep(bool keep = true);
    bool kept() const { return keep_; }

private:
    void remove() noexcept;
    std::filesystem::path path_;
    bool keep_ = false;
    int slot_ = -1;  // index in the signal-time removal registry, -1 when not registered
};

// Removes every TempDir that is alive and not kept, from a signal handler: destructors do not run when the
// harness dies on SIGINT/SIGTERM, so the handler installed by install_signal_cleanup() calls this after it
// killed the child groups. Async-signal-safe (fork + exec of rm -rf, waitpid).
void remove_registered_temp_dirs() noexcept;

// SIGKILL leaves no chance to clean up: a run dir then holds the temp dirs of a dead harness. Each TempDir
// made with mark_owner() names its owner (pid, start time, boot id); this removes the <prefix>* dirs under
// `parent` whose owner is provably gone: no such pid, a zombie, a pid now held by a process that started at
// another time, or an owner of an earlier boot. A dir without an owner file (kept, or not ours) is left alone.
// Called by the next ProxyInstance in the same run dir. Never throws.
void remove_stale_temp_dirs(const std::filesystem::path& parent, const std::string& prefix) noexcept;

// "pid starttime bootid" of a live process (starttime: field 22 of /proc/<pid>/stat, clock ticks since boot;
// bootid: /proc/sys/kernel/random/boot_id), or "" when it cannot be read. What an owner file holds.
std::string process_identity(pid_t pid);

// rm -rf `path` in a forked child that closes every inherited descriptor first, so it works when this process
// has none left (ulimit -n) and from a signal handler. Async-signal-safe (fork, close_range, execv, waitpid).
void remove_tree_with_rm(const char* path) noexcept;

// Empties the run folder `dir` for a new run, so it holds one run's logs and temp dirs: every file (the previous
// run's logs) and every folder (kept temp HOMEs of --keep-artifacts, stale temp dirs) goes, except a temp dir whose
// owner pid file names a process still alive (a run still using it). Creates `dir` when missing. Never throws;
// returns how many entries it could not remove.
int clear_run_dir(const std::filesystem::path& dir) noexcept;

}  // namespace routecheck::launch
