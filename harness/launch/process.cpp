#include "launch/process.hpp"
#include "text/secrets.hpp"

#include "launch/guardian.hpp"
#include "launch/tempdir.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <thread>
#include <utility>

namespace routecheck::launch {
namespace {

// ---- registry of live launches (read from signal handlers, so fixed size and lock-free) ------------------
// Each slot packs (guardian pid << 32 | leader pid): the leader's group gets SIGKILL, the guardian SIGTERM
// (then it ends the rest of its subtree and exits).
constexpr std::size_t kMaxLaunches = 512;
std::array<std::atomic<std::uint64_t>, kMaxLaunches> g_launches{};

std::uint64_t pack(pid_t leader, pid_t guardian) {
    return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(guardian)) << 32) |
           static_cast<std::uint32_t>(leader);
}
pid_t leader_of(std::uint64_t v) { return static_cast<pid_t>(v & 0xffffffffu); }
pid_t guardian_of(std::uint64_t v) { return static_cast<pid_t>(v >> 32); }

void register_launch(pid_t leader, pid_t guardian) {
    const std::uint64_t v = pack(leader, guardian);
    for (auto& slot : g_launches) {
        std::uint64_t empty = 0;
        if (slot.compare_exchange_strong(empty, v)) return;
    }
    // Full registry: the child still dies with its guardian, which dies with the harness (parent-death signals).
}

void unregister_launch(pid_t leader, pid_t guardian) {
    const std::uint64_t v = pack(leader, guardian);
    for (auto& slot : g_launches) {
        std::uint64_t expected = v;
        if (slot.compare_exchange_strong(expected, 0)) return;
    }
}

const char* signal_name(int sig) {
    const char* name = sigabbrev_np(sig);
    return name ? name : "?";
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
// and written in pieces; StreamRedactor holds back the bytes that could begin a secret the next read completes).
// Ends at EOF, or once `stop` is set and nothing more is readable at once. Owns and closes both descriptors.
void pump_log(int in, int out, std::vector<std::string> secrets, std::shared_ptr<std::atomic<bool>> stop) {
    StreamRedactor redactor(secrets);
    std::string line;  // what came after the last newline, not yet given to the redactor
    auto write_all = [&](const std::string& text) {
        for (std::size_t off = 0; off < text.size();) {
            ssize_t n = ::write(out, text.data() + off, text.size() - off);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return;  // disk full or gone: the child must not block on a full pipe, so keep reading
            off += static_cast<std::size_t>(n);
        }
    };
    auto flush_lines = [&](bool all) {
        const std::size_t nl = line.rfind('\n');
        if (nl != std::string::npos) {
            // Whole lines: a secret holds no newline, so nothing has to wait for the next read.
            write_all(redactor.feed(std::string_view(line).substr(0, nl + 1)));
            write_all(redactor.flush());
            line.erase(0, nl + 1);
        }
        if (all) {
            write_all(redactor.feed(line));
            write_all(redactor.flush());
            line.clear();
        } else if (line.size() > 65536) {
            write_all(redactor.feed(line));
            line.clear();
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
        line.append(buf, static_cast<std::size_t>(n));
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
        status_fd_ = std::exchange(other.status_fd_, -1);
        guardian_gone_ = other.guardian_gone_;
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

namespace {

void close_all(std::initializer_list<int> fds) {
    for (int fd : fds)
        if (fd >= 0) ::close(fd);
}

// One whole report; false at EOF (the guardian is gone) or on an error.
bool read_report(int fd, detail::Report& r) {
    ssize_t n;
    do n = ::read(fd, &r, sizeof r);
    while (n < 0 && errno == EINTR);
    return n == static_cast<ssize_t>(sizeof r);
}

// What a start that the guardian did not report as started tells the user: `report` is its report (null: it ended
// without one), `status` its wait status.
std::string failed_start(const detail::Report* report, const detail::LaunchPlan& plan,
                         const std::filesystem::path& guardian, int status) {
    if (report && report->kind == detail::kSpawnFailed) {
        const int stage = report->b;
        const std::string what = stage == detail::kStageChdir ? "chdir to " + plan.cwd + " failed: "
                                 : stage > 0                  ? std::string(detail::stage_name(stage)) + " failed: "
                                                              : std::string();
        return "cannot start " + plan.program + ": " + what + std::strerror(report->a);
    }
    if (report && report->kind == detail::kForkFailed) return std::string("fork failed: ") + std::strerror(report->a);
    if (report && report->kind == detail::kBadPlan)
        return "the process guardian " + guardian.string() +
               " did not read the launch plan (a guardian of another routecheck build?)";
    const std::string how = WIFSIGNALED(status)
                                ? "killed by signal " + std::to_string(WTERMSIG(status)) + " (SIG" +
                                      signal_name(WTERMSIG(status)) + ")"
                                : "exited with " + std::to_string(WEXITSTATUS(status));
    return "the process guardian " + guardian.string() + " ended before the child started (" + how + ")";
}

}  // namespace

void ChildProcess::start(const ProcessSpec& spec) {
    if (pid_ > 0) throw LaunchError("ChildProcess::start called twice");
    if (spec.argv.empty()) throw LaunchError("cannot start a process with an empty command");

    // Looked up here, in the child's PATH, so a missing program is an error naming it before anything starts.
    const detail::LaunchPlan plan{detail::find_program(spec.argv[0], spec.env), spec.argv, spec.env, spec.cwd.string(),
                                  spec.remove_when_orphaned.string(), spec.nice};
    int log_fd = ::open(spec.log_file.empty() ? "/dev/null" : spec.log_file.c_str(),
                        O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log_fd < 0) throw LaunchError("cannot open log file " + spec.log_file.string() + ": " + std::strerror(errno));
    // With secrets to redact, the child writes into a pipe (out_pipe) and pump_log() appends to the file.
    const bool pumped = !spec.log_file.empty() && !spec.redact.empty();
    int out_pipe[2] = {-1, -1};
    if (pumped && ::pipe2(out_pipe, O_CLOEXEC) != 0) {
        const int e = errno;
        ::close(log_fd);
        throw LaunchError(std::string("cannot create pipe: ") + std::strerror(e));
    }
    detail::Guardian guardian;
    try {
        guardian = detail::start_guardian(plan, pumped ? out_pipe[1] : log_fd);
    } catch (...) {
        close_all({log_fd, out_pipe[0], out_pipe[1]});
        throw;
    }
    close_all({out_pipe[1]});  // the guardian holds it now (and hands it to the child)
    if (pumped) {
        pump_stop_ = std::make_shared<std::atomic<bool>>(false);
        log_pump_ = std::thread(pump_log, out_pipe[0], log_fd, spec.redact, pump_stop_);
    } else {
        ::close(log_fd);
    }
    detail::Report started{};
    const bool have_report = read_report(guardian.report_fd, started);
    if (!have_report || started.kind != detail::kStarted) {
        // The guardian exits after a failed start (having ended what it started): reap it, then say what failed.
        ::close(guardian.report_fd);
        int status = 0;
        while (::waitpid(guardian.pid, &status, 0) < 0 && errno == EINTR) {}
        stop_pump();
        throw LaunchError(failed_start(have_report ? &started : nullptr, plan, guardian.exe, status));
    }
    pid_ = started.a;
    guardian_ = guardian.pid;
    status_fd_ = guardian.report_fd;
    ::fcntl(status_fd_, F_SETFL, ::fcntl(status_fd_, F_GETFL) | O_NONBLOCK);
    register_launch(pid_, guardian_);
    guardian_gone_ = exited_ = reaped_ = false;
    log_file_ = spec.log_file;
}

void ChildProcess::poll_exit(std::chrono::milliseconds timeout) {
    if (pid_ <= 0 || status_fd_ < 0 || guardian_gone_) return;
    if (!exited_ && timeout.count() > 0) {
        pollfd p{status_fd_, POLLIN, 0};
        int ready;
        do ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
        while (ready < 0 && errno == EINTR);
    }
    // Everything readable now: the exit report, and the end of the pipe once the guardian is gone.
    for (;;) {
        detail::Report r{};
        ssize_t n;
        do n = ::read(status_fd_, &r, sizeof r);
        while (n < 0 && errno == EINTR);
        if (n == static_cast<ssize_t>(sizeof r)) {
            if (r.kind == detail::kExited) {
                exited_ = true;
                status_code_ = r.a;
                status_value_ = r.b;
            }
            continue;
        }
        if (n == 0) {
            // The guardian is gone and has reaped the leader: -pid_ may name another group from now on. Without an
            // exit report someone killed it, and the leader died with it (its parent-death signal is SIGKILL).
            guardian_gone_ = true;
            if (!exited_) {
                exited_ = true;
                status_code_ = CLD_KILLED;
                status_value_ = SIGKILL;
            }
        }
        return;  // nothing more now (EAGAIN), or the end
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
        if (pid_ <= 0 || exited_) return true;
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            poll_exit();
            return pid_ <= 0 || exited_;
        }
        poll_exit(std::min(left, std::chrono::milliseconds(100)));
    }
}

bool ChildProcess::stop(std::chrono::milliseconds grace) noexcept {
    if (pid_ <= 0 || reaped_) return true;
    bool clean = true;
    try {
        poll_exit();
        if (!exited_ && !guardian_gone_) {
            ::kill(-pid_, SIGTERM);
            clean = wait_exit(grace);
        }
    } catch (...) {
        clean = false;
    }
    poll_exit();
    // Always: grandchildren may ignore SIGTERM or outlive the leader. The guardian keeps the leader unreaped until
    // it is told to end, so -pid_ still names our group (unless the guardian is already gone).
    if (!guardian_gone_) ::kill(-pid_, SIGKILL);
    // The guardian ends what is left of the subtree (processes that left the group), then exits. (Reaped already
    // only by wait_for_guardians(), after which the pipe has ended: no signal then to a pid that may be reused.)
    int status = 0;
    if (!guardian_gone_) ::kill(guardian_, SIGTERM);
    while (::waitpid(guardian_, &status, 0) < 0 && errno == EINTR) {}
    poll_exit();     // the exit report it sent on its way out
    if (!exited_) {  // killed before we saw it exit: record the kill
        exited_ = true;
        status_code_ = CLD_KILLED;
        status_value_ = SIGKILL;
    }
    unregister_launch(pid_, guardian_);
    ::close(status_fd_);
    status_fd_ = -1;
    reaped_ = true;
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
    for (auto& slot : g_launches) {
        const std::uint64_t v = slot.load();
        if (v == 0) continue;
        ::kill(-leader_of(v), SIGKILL);
        ::kill(guardian_of(v), SIGTERM);
    }
}

void wait_for_guardians() noexcept {
    for (auto& slot : g_launches) {
        const std::uint64_t v = slot.load();
        if (v == 0) continue;
        int status = 0;
        while (::waitpid(guardian_of(v), &status, 0) < 0 && errno == EINTR) {}
    }
}

namespace {

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

volatile std::sig_atomic_t g_interrupted = 0;

void on_fatal_signal(int sig) {
    g_interrupted = 1;
    kill_all_children();
    // Once the guardians are gone, so is every process of every launch: none still writes into a temp dir.
    wait_for_guardians();
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
bool interrupted() noexcept { return g_interrupted != 0; }
void set_interrupt_unlink(const std::string& path) { g_interrupt_unlink.set(path); }

void install_signal_cleanup() {
    static std::once_flag once;
    std::call_once(once, [] {
        struct sigaction sa {};
        sa.sa_handler = on_fatal_signal;
        sigemptyset(&sa.sa_mask);
        // SIGQUIT and SIGABRT (std::terminate) too: a crash must not leave proxies running either.
        for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGABRT}) ::sigaction(sig, &sa, nullptr);
        // The thread every child is forked from, made now on main()'s thread (detail::start_spawner).
        detail::start_spawner();
        std::atexit([] {
            kill_all_children();
            wait_for_guardians();
            remove_registered_temp_dirs();  // exit() from a thread skips the owners' destructors
        });
    });
}

}  // namespace routecheck::launch
