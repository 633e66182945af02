// Shared helpers for the hygiene tests: run the built `routecheck` as a child (own process group, output to a
// file, every wait with a deadline), make temp fixture folders with test proxies, and look through /proc for
// anything a run left behind.
#pragma once
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "launch/ports.hpp"
#include "launch/process.hpp"
#include "launch/readiness.hpp"
#include "launch/tempdir.hpp"

namespace routecheck::hygiene {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

inline fs::path repo_root() { return ROUTECHECK_REPO_ROOT; }
inline fs::path data_dir() { return ROUTECHECK_HYGIENE_DATA; }
inline fs::path test_proxy_script() { return data_dir() / "test_proxy.cjs"; }

inline std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

inline bool have_node() {
    launch::ProcessSpec spec{{"node", "--version"}, launch::minimal_environment(), {}, {}};
    try {
        launch::ChildProcess p(spec);
        return p.wait_exit(10s) && p.exit_code() == 0;
    } catch (const launch::LaunchError&) {
        return false;
    }
}

inline bool have_real_proxy() {
    return fs::exists(repo_root() /
                      "npm/proxies/antigravity-claude-proxy/node_modules/antigravity-claude-proxy/package.json");
}

// One `routecheck` invocation. stdout and stderr go to one file (what a user sees in a terminal).
class Routecheck {
public:
    Routecheck(std::vector<std::string> args, const fs::path& log_file) : log_(log_file) {
        launch::ProcessSpec spec;
        spec.argv = {ROUTECHECK_BIN};
        for (auto& a : args) spec.argv.push_back(std::move(a));
        spec.env = launch::minimal_environment();
        spec.log_file = log_file;
        child_.start(spec);
    }
    // True if it exited within `timeout`; a run that does not is killed (its whole group) and counts as a hang.
    bool wait(std::chrono::milliseconds timeout) {
        if (child_.wait_exit(timeout)) return true;
        child_.stop(0ms);
        return false;
    }
    // Waits until the output contains `text` (or the run ends, or the deadline passes).
    bool wait_output(const std::string& text, std::chrono::milliseconds timeout) {
        const auto until = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < until) {
            if (output().find(text) != std::string::npos) return true;
            if (!child_.running()) return output().find(text) != std::string::npos;
            std::this_thread::sleep_for(20ms);
        }
        return false;
    }
    void reap() { child_.stop(0ms); }  // as a shell would: a killed harness does not stay a zombie
    int exit_code() { return child_.exit_code().value_or(-1); }
    bool signaled() { return child_.exit_description().find("signal") != std::string::npos; }
    std::string describe() { return child_.exit_description() + "\n--- output ---\n" + output(); }
    std::string output() const { return read_file(log_); }
    pid_t pid() const { return child_.pid(); }

private:
    fs::path log_;
    launch::ChildProcess child_;
};

// Runs routecheck to the end; fails the calling test on a hang.
struct Finished {
    bool in_time = false;
    int code = -1;
    bool signaled = false;
    std::string output;
};

inline Finished run_routecheck(std::vector<std::string> args, const fs::path& log_file,
                               std::chrono::milliseconds timeout = 60s) {
    Routecheck rc(std::move(args), log_file);
    Finished f;
    f.in_time = rc.wait(timeout);
    f.code = rc.exit_code();
    f.signaled = rc.signaled();
    f.output = rc.output();
    return f;
}

// --- /proc ------------------------------------------------------------------------------------------------

// A /proc file of `pid`, or what could be read of it: a process that ends while it is read makes read(2) fail with
// ESRCH, which std::ifstream turns into an exception (a scan of /proc then failed a test at random).
inline std::string read_proc(pid_t pid, const char* what) {
    std::string out;
    const std::string path = "/proc/" + std::to_string(pid) + "/" + what;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return out;
    char buf[4096];
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    return out;
}

inline std::string proc_text(pid_t pid, const char* what) {
    std::string s = read_proc(pid, what);
    for (auto& c : s)
        if (c == '\0') c = ' ';
    return s;
}

struct ProcInfo {
    pid_t pid = 0;
    pid_t pgid = 0;
    std::string cmdline;
    std::string text() const { return "pid " + std::to_string(pid) + " pgid " + std::to_string(pgid) + ": " + cmdline; }
};

inline pid_t pgid_of(pid_t pid) {
    std::string stat = read_proc(pid, "stat");
    auto close = stat.rfind(')');
    if (close == std::string::npos) return 0;
    std::istringstream in(stat.substr(close + 2));
    std::string state;
    long ppid = 0, pgrp = 0;
    in >> state >> ppid >> pgrp;
    return static_cast<pid_t>(pgrp);
}

inline bool is_zombie(pid_t pid) {
    std::string stat = read_proc(pid, "stat");
    auto close = stat.rfind(')');
    return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'Z';
}

// Every live process (not this test, not a zombie) whose command line, working directory or environment
// mentions `marker`: a launched proxy's cwd is its state dir under the run folder and its HOME is there too,
// and a test proxy's command line names the temp fixtures folder.
inline std::vector<ProcInfo> processes_mentioning(const std::string& marker) {
    std::vector<ProcInfo> out;
    const pid_t self = ::getpid();
    for (const auto& e : fs::directory_iterator("/proc")) {
        const std::string name = e.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        const pid_t pid = static_cast<pid_t>(std::stol(name));
        if (pid == self || is_zombie(pid)) continue;
        std::error_code ec;
        const std::string cwd = fs::read_symlink(e.path() / "cwd", ec).string();
        const std::string cmd = proc_text(pid, "cmdline");
        if (cmd.empty() && cwd.empty()) continue;  // gone meanwhile, or a kernel thread
        if (cmd.find(marker) != std::string::npos || cwd.find(marker) != std::string::npos ||
            proc_text(pid, "environ").find(marker) != std::string::npos)
            out.push_back({pid, pgid_of(pid), cmd});
    }
    return out;
}

inline std::vector<pid_t> live_in_group(pid_t pgid) {
    std::vector<pid_t> out;
    for (pid_t p : launch::processes_in_group(pgid))
        if (!is_zombie(p)) out.push_back(p);
    return out;
}

// Waits until nothing mentions `marker` any more (processes killed with SIGKILL vanish asynchronously).
inline std::vector<ProcInfo> leftovers(const std::string& marker, std::chrono::milliseconds grace = 3s) {
    const auto until = std::chrono::steady_clock::now() + grace;
    for (;;) {
        auto left = processes_mentioning(marker);
        if (left.empty() || std::chrono::steady_clock::now() >= until) return left;
        std::this_thread::sleep_for(20ms);
    }
}

inline std::string describe(const std::vector<ProcInfo>& procs) {
    std::string s;
    for (const auto& p : procs) s += "\n  " + p.text();
    return s;
}

inline void kill_all(const std::vector<ProcInfo>& procs) {  // so one failing test does not leak into others
    for (const auto& p : procs) ::kill(p.pid, SIGKILL);
}

// The rc-<proxy>-XXXXXX temp dirs left in a run folder.
inline std::vector<fs::path> temp_dirs_in(const fs::path& run_dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    if (!fs::is_directory(run_dir, ec)) return out;
    for (const auto& e : fs::directory_iterator(run_dir))
        if (e.is_directory() && e.path().filename().string().rfind("rc-", 0) == 0) out.push_back(e.path());
    return out;
}

// --- temp fixtures ----------------------------------------------------------------------------------------

// `extra` added to `base`.
inline std::map<std::string, std::string> with(const std::map<std::string, std::string>& extra,
                                               std::map<std::string, std::string> base) {
    for (const auto& [k, v] : extra) base[k] = v;
    return base;
}

// A temp folder with fixtures/proxies/<id>.json for test proxies (no npm section: any command), removed at the
// end. The built-in fixtures supply the clients and variants; `--fixtures <dir>/fixtures` adds these.
class Scratch {
public:
    Scratch() : root_("rc-hyg-") { fs::create_directories(fixtures() / "proxies"); }
    const fs::path& root() const { return root_.path(); }
    fs::path fixtures() const { return root() / "fixtures"; }
    fs::path out() const { return root() / "out"; }
    fs::path log(const std::string& name) const { return root() / (name + ".out"); }

    // A launched test proxy running data/test_proxy.cjs in `mode`.
    void add_test_proxy(const std::string& id, const std::string& mode, int ready_timeout_ms = 10000,
                        const std::string& key = "rc-hyg-key-1",
                        const std::map<std::string, std::string>& env = {}) const {
        add_proxy(id, {"node", test_proxy_script().string(), mode, root().string()}, ready_timeout_ms, key, env);
    }
    // The same test proxy, started by a shell that first runs `shell_prefix` (e.g. `setsid sleep 301 &`), then
    // execs node: a launch command that leaves something behind.
    void add_shell_proxy(const std::string& id, const std::string& shell_prefix, const std::string& mode,
                         int ready_timeout_ms = 10000) const {
        add_proxy(id,
                  {"sh", "-c", shell_prefix + " exec node \"$0\" \"$1\" \"$2\"", test_proxy_script().string(), mode,
                   root().string()},
                  ready_timeout_ms, "rc-hyg-key-1");
    }
    void add_proxy(const std::string& id, const std::vector<std::string>& command, int ready_timeout_ms,
                   const std::string& key, const std::map<std::string, std::string>& env = {}) const {
        nlohmann::json p = {
            {"id", id},
            {"name", id},
            {"provenance", "launched"},
            {"launch",
             {{"command", command},
              {"env", with(env, {{"PORT", "{port}"}, {"PID_FILE", (root() / (id + ".pids")).string()}})},
              {"ready_path", "/health"},
              {"ready_timeout_ms", ready_timeout_ms},
              {"preload", false}}},
            {"health", {{"path", "/health"}}},
            {"auth", {{"key", key}, {"carriers", {"authorization", "x-api-key"}}}},
            {"capabilities", {"anthropic", "openai"}},
            {"routes", {{{"method", "POST"}, {"path", "/v1/messages"}}, {{"method", "GET"}, {"path", "/health"}}}}};
        write("proxies/" + id + ".json", p.dump(2));
    }
    void write(const std::string& rel, const std::string& text) const {
        fs::create_directories((fixtures() / rel).parent_path());
        std::ofstream(fixtures() / rel) << text;
    }
    // Pids the test proxy wrote (itself and any grandchild).
    std::vector<pid_t> pids(const std::string& id) const {
        std::vector<pid_t> out;
        std::ifstream in(root() / (id + ".pids"));
        for (long p; in >> p;) out.push_back(static_cast<pid_t>(p));
        return out;
    }
    // The usual flags of a small run against a test proxy.
    std::vector<std::string> matrix_args(const std::string& proxy, std::vector<std::string> more = {}) const {
        std::vector<std::string> a = {"matrix",   "--fixtures",  fixtures().string(), "--proxy", proxy,
                                      "--client", "claude-code", "--variant",         "v1",      "--no-grids",
                                      "--out",    out().string()};
        a.insert(a.end(), more.begin(), more.end());
        return a;
    }

private:
    launch::TempDir root_;
};

inline bool alive(pid_t pid) { return ::kill(pid, 0) == 0 && !is_zombie(pid); }

// data/test_proxy.cjs in `mode`, started by the test itself on a free loopback port: a running proxy to attach to.
// Stopped (its whole group) with the object.
class TestServer {
public:
    TestServer(const std::string& mode, const fs::path& dir, const std::map<std::string, std::string>& env = {})
        : log_(dir / ("server-" + mode + ".log")) {
        port_ = launch::free_loopback_port();
        launch::ProcessSpec spec{
            {"node", test_proxy_script().string(), mode, dir.string()}, launch::minimal_environment(), dir, log_};
        for (const auto& [k, v] : env) spec.env[k] = v;
        spec.env["PORT"] = std::to_string(port_);
        child_.start(spec);
        launch::ReadyOptions ready;
        ready.path = "/health";
        ready.deadline = 10s;
        launch::wait_ready(port_, child_, ready);
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    std::string log() const { return read_file(log_); }

private:
    fs::path log_;
    int port_ = 0;
    launch::ChildProcess child_;
};

}  // namespace routecheck::hygiene
