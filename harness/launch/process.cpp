#include "launch/process.hpp"
#include "text/secrets.hpp"

#include "launch/tempdir.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <future>
#include <mutex>
#include <queue>
#include <condition_variable>
#include <sstream>
#include <thread>
#include <utility>

namespace routecheck::launch {
namespace {

// ---- registry of live process groups (read from signal handlers, so fixed size and lock-free) ----------
constexpr std::size_t kMaxGroups = 512;
std::array<std::atomic<pid_t>, kMaxGroups> g_groups{};

void register_group(pid_t pgid) {
    for (auto& slot : g_groups) {
        pid_t empty = 0;
        if (slot.compare_exchange_strong(empty, pgid)) return;
    }
    // Full registry: the child still dies with its parent (PDEATHSIG), only grandchildren could linger.
}

void unregister_group(pid_t pgid) {
    for (auto& slot : g_groups) {
        pid_t expected = pgid;
        if (slot.compare_exchange_strong(expected, 0)) return;
    }
}

// ---- the spawner thread ----------------------------------------------------------------------------------
// PR_SET_PDEATHSIG fires when the *thread* that forked the child exits, not the process. Forking from
// whatever thread happens to call start() would kill proxies when a worker thread finishes, so every fork
// happens on one thread that lives as long as the process.
class Spawner {
public:
    static Spawner& instance() {
        static Spawner* s = new Spawner();  // leaked on purpose: must outlive every static destructor
        return *s;
    }
    template <class F>
    auto run(F f) -> decltype(f()) {
        std::packaged_task<decltype(f())()> task(std::move(f));
        auto result = task.get_future();
        {
            std::lock_guard lock(mutex_);
            queue_.emplace([&task] { task(); });
        }
        cv_.notify_one();
        return result.get();
    }

private:
    Spawner() { std::thread([this] { loop(); }).detach(); }
    [[noreturn]] void loop() {
        for (;;) {
            std::function<void()> job;
            {
                std::unique_lock lock(mutex_);
                cv_.wait(lock, [this] { return !queue_.empty(); });
                job = std::move(queue_.front());
                queue_.pop();
            }
            job();
        }
    }
    std::mutex mutex_;
    std::condition_variable cv_;
    std::queue<std::function<void()>> queue_;
};

std::string resolve_program(const std::string& program, const Environment& env) {
    if (program.find('/') != std::string::npos) return program;
    auto it = env.find("PATH");
    std::string path = it != env.end() ? it->second : "/usr/local/bin:/usr/bin:/bin";
    std::stringstream dirs(path);
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        if (dir.empty()) continue;
        auto candidate = std::filesystem::path(dir) / program;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
    throw LaunchError("cannot start '" + program + "': not found in PATH=" + path);
}

const char* signal_name(int sig) {
    const char* name = sigabbrev_np(sig);
    return name ? name : "?";
}

// Forked (on the spawner thread) right after the child; async-signal-safe calls only. Waits for its parent's
// death signal, then kills the child's group. Normally it is killed by ChildProcess::stop() long before.
// `orphan_dir` (may be null) is removed after the group is killed: prepared before the fork, since only
// async-signal-safe calls (fork, execv, waitpid) are allowed in this copy of a multi-threaded harness.
pid_t start_guardian(pid_t child_group, pid_t parent, const char* orphan_dir) {
    pid_t g = ::fork();
    if (g != 0) return g;
    sigset_t wait_for;
    sigemptyset(&wait_for);
    sigaddset(&wait_for, SIGUSR1);
    ::sigprocmask(SIG_BLOCK, &wait_for, nullptr);  // a death signal that comes early stays pending
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    // The harness's handlers (kill every registered group) must not run in a copy of the harness.
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGABRT, SIGPIPE}) ::sigaction(sig, &dfl, nullptr);
    ::setpgid(0, 0);  // out of the terminal's foreground group: Ctrl-C is for the harness, which cleans up
    ::prctl(PR_SET_PDEATHSIG, SIGUSR1);
    // No descriptor of the harness may stay open here: a listening socket held by the guardian would keep
    // accepting connections nobody answers after the harness closed it.
    ::syscall(SYS_close_range, 0u, ~0u, 0u);
    if (::getppid() == parent) {
        while (::sigwaitinfo(&wait_for, nullptr) < 0) {
        }
    }
    ::kill(-child_group, SIGKILL);
    if (orphan_dir) {
        pid_t rm = ::fork();
        if (rm == 0) {
            const char* argv[] = {"rm", "-rf", "--", orphan_dir, nullptr};
            ::execv("/bin/rm", const_cast<char* const*>(argv));
            ::_exit(127);
        }
        int status = 0;
        while (rm > 0 && ::waitpid(rm, &status, 0) < 0 && errno == EINTR) {
        }
    }
    ::_exit(0);
}

}  // namespace

Environment minimal_environment() {
    Environment env;
    const char* path = std::getenv("PATH");
    env["PATH"] = path && *path ? path : "/usr/local/bin:/usr/bin:/bin";
    env["LANG"] = "C.UTF-8";
    env["NO_COLOR"] = "1";  // colour escapes make log tails in reports unreadable
    return env;
}

std::string redact_text(std::string text, const std::vector<std::string>& secrets) {
    return routecheck::redact_text(std::move(text), secrets);
}

namespace {

// Copies the child's output from `in` to `out`, redacting whole lines (a line longer than 64 KiB is redacted
// and written in pieces, holding back the bytes that could begin a secret the next read completes). Ends at EOF, or once `stop` is
// set and nothing more is readable at once. Owns and closes both descriptors.
void pump_log(int in, int out, std::vector<std::string> secrets, std::shared_ptr<std::atomic<bool>> stop) {
    std::size_t keep = 0;
    for (const auto& s : secrets) keep = std::max(keep, s.size());
    std::string pending;
    auto emit = [&](std::string text) {
        text = redact_text(std::move(text), secrets);
        for (std::size_t off = 0; off < text.size();) {
            ssize_t n = ::write(out, text.data() + off, text.size() - off);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return;  // disk full or gone: the child must not block on a full pipe, so keep reading
            off += static_cast<std::size_t>(n);
        }
    };
    auto flush_lines = [&](bool all) {
        std::size_t nl = pending.rfind('\n');
        if (nl != std::string::npos) {
            emit(pending.substr(0, nl + 1));
            pending.erase(0, nl + 1);
        }
        if (all) {
            emit(std::move(pending));
            pending.clear();
        } else if (pending.size() > 65536) {
            // Redact first, then hold back only what could be the start of a secret the next read completes.
            std::string text = redact_text(std::move(pending), secrets);
            const std::size_t hold = std::min(text.size(), keep > 0 ? keep - 1 : 0);
            pending = text.substr(text.size() - hold);
            text.resize(text.size() - hold);
            emit(std::move(text));
        }
    };
    char buf[16384];
    for (;;) {
        pollfd p{in, POLLIN, 0};
        int ready = ::poll(&p, 1, stop->load() ? 0 : 100);
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) {
            if (stop->load()) break;
            continue;
        }
        ssize_t n = ::read(in, buf, sizeof buf);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n <= 0) break;  // EOF: every writer (the whole group) is gone
        pending.append(buf, static_cast<std::size_t>(n));
        flush_lines(false);
    }
    flush_lines(true);
    ::close(in);
    ::close(out);
}

}  // namespace

ChildProcess::~ChildProcess() { stop(); }

ChildProcess::ChildProcess(ChildProcess&& other) noexcept { *this = std::move(other); }

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
    if (this != &other) {
        stop();
        pid_ = std::exchange(other.pid_, -1);
        guardian_ = std::exchange(other.guardian_, -1);
        exited_ = other.exited_;
        reaped_ = other.reaped_;
        status_code_ = other.status_code_;
        status_value_ = other.status_value_;
        log_file_ = std::move(other.log_file_);
        log_pump_ = std::move(other.log_pump_);
        pump_stop_ = std::move(other.pump_stop_);
    }
    return *this;
}

void ChildProcess::start(const ProcessSpec& spec) {
    if (pid_ > 0) throw LaunchError("ChildProcess::start called twice");
    if (spec.argv.empty()) throw LaunchError("cannot start a process with an empty command");

    // Everything the child needs is prepared here: after fork only async-signal-safe calls are allowed.
    const std::string program = resolve_program(spec.argv[0], spec.env);
    std::vector<std::string> env_strings;
    for (const auto& [k, v] : spec.env) env_strings.push_back(k + "=" + v);
    std::vector<char*> argv, envp;
    for (const auto& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    const std::string cwd = spec.cwd.string();
    const std::string orphan_dir = spec.remove_when_orphaned.string();

    int log_fd = ::open(spec.log_file.empty() ? "/dev/null" : spec.log_file.c_str(),
                        O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log_fd < 0) throw LaunchError("cannot open log file " + spec.log_file.string() + ": " + std::strerror(errno));
    // With secrets to redact, the child writes into a pipe (out_pipe) and pump_log() appends to the file.
    const bool pumped = !spec.log_file.empty() && !spec.redact.empty();
    int out_pipe[2] = {-1, -1};
    if (pumped && ::pipe2(out_pipe, O_CLOEXEC) != 0) {
        int e = errno;
        ::close(log_fd);
        throw LaunchError(std::string("cannot create pipe: ") + std::strerror(e));
    }
    const int child_out = pumped ? out_pipe[1] : log_fd;
    int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    int err_pipe[2];
    if (null_fd < 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0) {
        int e = errno;
        ::close(log_fd);
        for (int fd : out_pipe)
            if (fd >= 0) ::close(fd);
        if (null_fd >= 0) ::close(null_fd);
        throw LaunchError(std::string("cannot create pipe: ") + std::strerror(e));
    }

    const pid_t parent = ::getpid();
    int fork_errno = 0;
    pid_t guardian = -1;
    pid_t pid = Spawner::instance().run([&]() -> pid_t {
        pid_t child = ::fork();
        if (child > 0) {
            ::setpgid(child, child);  // the group must exist before the guardian could signal it
            guardian = start_guardian(child, parent, orphan_dir.empty() ? nullptr : orphan_dir.c_str());
        }
        if (child < 0) fork_errno = errno;  // errno is per thread: record it on the spawner thread
        if (child != 0) return child;
        // --- child: async-signal-safe only ---
        auto fail = [&](int stage) {
            int payload[2] = {stage, errno};
            ssize_t ignored = ::write(err_pipe[1], payload, sizeof payload);
            (void)ignored;
            ::_exit(127);
        };
        if (::setpgid(0, 0) != 0) fail(1);
        if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail(2);
        if (::getppid() != parent) ::_exit(127);  // the harness died before prctl took effect
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);  // the harness may block signals in its threads
        for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD}) ::signal(sig, SIG_DFL);
        if (::dup2(null_fd, 0) < 0 || ::dup2(child_out, 1) < 0 || ::dup2(child_out, 2) < 0) fail(3);
        // Descriptors other threads opened without O_CLOEXEC (sockets, files) must not leak into the proxy.
        int keep = err_pipe[1];
        if (keep > 3) ::syscall(SYS_close_range, 3u, static_cast<unsigned>(keep - 1), 0u);
        ::syscall(SYS_close_range, static_cast<unsigned>(keep + 1), ~0u, 0u);
        if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) fail(4);
        ::execve(program.c_str(), argv.data(), envp.data());
        fail(5);
        return -1;
    });
    ::close(null_fd);
    ::close(err_pipe[1]);
    if (pumped) {
        ::close(out_pipe[1]);  // the child (and its group) hold the only write ends now
        pump_stop_ = std::make_shared<std::atomic<bool>>(false);
        log_pump_ = std::thread(pump_log, out_pipe[0], log_fd, spec.redact, pump_stop_);
    } else {
        ::close(log_fd);
    }
    if (pid < 0) {
        ::close(err_pipe[0]);
        stop_pump();
        throw LaunchError(std::string("fork failed: ") + std::strerror(fork_errno));
    }
    // The group exists from the child's setpgid on; also set it from here so there is no window in which a
    // kill(-pgid) could miss it (the classic double-setpgid idiom; EACCES after exec is fine).
    ::setpgid(pid, pid);
    register_group(pid);
    if (guardian > 0) register_group(guardian);  // it leads its own group; kill_all_children() reaches it too
    guardian_ = guardian;
    pid_ = pid;
    exited_ = reaped_ = false;
    log_file_ = spec.log_file;

    int payload[2] = {0, 0};
    ssize_t n;
    do n = ::read(err_pipe[0], payload, sizeof payload); while (n < 0 && errno == EINTR);
    ::close(err_pipe[0]);
    if (n == static_cast<ssize_t>(sizeof payload)) {
        static const char* stages[] = {"?", "setpgid", "prctl", "redirect output", "chdir", "exec"};
        std::string what = payload[0] == 4 ? "chdir to " + cwd : stages[payload[0] >= 0 && payload[0] < 6 ? payload[0] : 0];
        stop(std::chrono::milliseconds(0));
        throw LaunchError("cannot start " + program + ": " + what + " failed: " + std::strerror(payload[1]));
    }
}

void ChildProcess::poll_exit() {
    if (pid_ <= 0 || exited_) return;
    siginfo_t info{};
    // WNOWAIT: the leader stays a zombie until stop(), so its pid (= the pgid) cannot be reused by another
    // process while we may still send signals to the group.
    if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid_) {
        exited_ = true;
        status_code_ = info.si_code;
        status_value_ = info.si_status;
    }
}

bool ChildProcess::running() {
    poll_exit();
    return pid_ > 0 && !exited_;
}

std::optional<int> ChildProcess::exit_code() {
    poll_exit();
    if (pid_ <= 0 || !exited_) return std::nullopt;
    return status_code_ == CLD_EXITED ? status_value_ : 128 + status_value_;
}

std::string ChildProcess::exit_description() {
    poll_exit();
    if (pid_ <= 0) return "not started";
    if (!exited_) return "running";
    if (status_code_ == CLD_EXITED) return "exited with " + std::to_string(status_value_);
    return "killed by signal " + std::to_string(status_value_) + " (SIG" + signal_name(status_value_) + ")";
}

bool ChildProcess::wait_exit(std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        poll_exit();
        if (pid_ <= 0 || exited_) return true;
        if (std::chrono::steady_clock::now() >= until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

void ChildProcess::reap() noexcept {
    if (pid_ <= 0 || reaped_) return;
    int status = 0;
    pid_t r;
    do r = ::waitpid(pid_, &status, 0); while (r < 0 && errno == EINTR);
    reaped_ = true;
}

bool ChildProcess::stop(std::chrono::milliseconds grace) noexcept {
    if (pid_ <= 0 || reaped_) return true;
    bool clean = true;
    try {
        poll_exit();
        if (!exited_) {
            ::kill(-pid_, SIGTERM);
            clean = wait_exit(grace);
        }
    } catch (...) {
        clean = false;
    }
    // Always: grandchildren may ignore SIGTERM or outlive the leader. The leader is at worst a zombie here,
    // so -pid_ still names our group.
    ::kill(-pid_, SIGKILL);
    reap();
    if (guardian_ > 0) {  // its job is done: the group is gone
        ::kill(guardian_, SIGKILL);
        int status = 0;
        while (::waitpid(guardian_, &status, 0) < 0 && errno == EINTR) {
        }
        unregister_group(guardian_);
        guardian_ = -1;
    }
    if (!exited_) {  // killed before we saw it exit: record the kill
        exited_ = true;
        status_code_ = CLD_KILLED;
        status_value_ = SIGKILL;
    }
    unregister_group(pid_);
    stop_pump();
    return clean;
}

void ChildProcess::stop_pump() noexcept {
    if (!log_pump_.joinable()) return;
    // The group is dead, so what it wrote is in the pipe: the pump copies what is readable at once and ends,
    // even if a process that left the group still holds a write end.
    pump_stop_->store(true);
    log_pump_.join();
}

std::string ChildProcess::log_tail(std::size_t lines) const { return file_tail(log_file_, lines); }

std::string file_tail(const std::filesystem::path& file, std::size_t lines) {
    if (file.empty() || lines == 0) return {};
    std::ifstream in(file, std::ios::binary);
    if (!in) return {};
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    const std::streamoff start = size > 65536 ? size - 65536 : 0;
    in.seekg(start);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (start > 0) text.erase(0, text.find('\n') + 1);  // drop the partial first line
    if (!text.empty() && text.back() == '\n') text.pop_back();
    std::size_t pos = text.size();
    for (std::size_t found = 0; found < lines; ++found) {
        if (pos == 0) return text;
        pos = text.rfind('\n', pos - 1);
        if (pos == std::string::npos) return text;
    }
    return text.substr(pos + 1);
}

void kill_all_children() noexcept {
    for (auto& slot : g_groups) {
        pid_t pg = slot.load();
        if (pg > 0) ::kill(-pg, SIGKILL);
    }
}

namespace {

// Waits for the killed leaders (our own children) so that none of them still writes into a temp dir while
// it is being removed. Async-signal-safe.
void reap_killed_leaders() noexcept {
    for (auto& slot : g_groups) {
        pid_t pg = slot.load();
        if (pg <= 0) continue;
        int status = 0;
        while (::waitpid(pg, &status, 0) < 0 && errno == EINTR) {
        }
    }
}

// Two buffers per text: a setter fills the one not published, then publishes it, so the handler never reads a
// half-copied text.
struct SignalText {
    char buf[2][1024] = {};
    std::atomic<const char*> current{nullptr};
    int next = 0;
    void set(const std::string& text) {
        char* b = buf[next];
        next ^= 1;
        const std::size_t n = std::min(text.size(), sizeof buf[0] - 1);
        std::memcpy(b, text.data(), n);
        b[n] = '\0';
        current.store(n ? b : nullptr);
    }
};
SignalText g_interrupt_message, g_interrupt_unlink;

void on_fatal_signal(int sig) {
    kill_all_children();
    reap_killed_leaders();
    // Destructors do not run on a signal: the temp HOMEs and state dirs would stay behind.
    remove_registered_temp_dirs();
    if (const char* path = g_interrupt_unlink.current.load()) ::unlink(path);
    if (const char* text = g_interrupt_message.current.load()) {
        ssize_t ignored = ::write(STDERR_FILENO, text, std::strlen(text));
        ignored = ::write(STDERR_FILENO, "\n", 1);
        (void)ignored;
    }
    ::signal(sig, SIG_DFL);
    ::raise(sig);
}

}  // namespace

void set_interrupt_message(const std::string& text) { g_interrupt_message.set(text); }
void set_interrupt_unlink(const std::string& path) { g_interrupt_unlink.set(path); }

void install_signal_cleanup() {
    static std::once_flag once;
    std::call_once(once, [] {
        struct sigaction sa {};
        sa.sa_handler = on_fatal_signal;
        sigemptyset(&sa.sa_mask);
        // SIGQUIT and SIGABRT (std::terminate) too: a crash must not leave proxies running either.
        for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGABRT}) ::sigaction(sig, &sa, nullptr);
        std::atexit([] {
            kill_all_children();
            remove_registered_temp_dirs();  // exit() from a thread skips the owners' destructors
        });
    });
}

}  // namespace routecheck::launch
