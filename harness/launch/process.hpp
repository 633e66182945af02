// Child processes for launched proxies: own process group, parent-death signal, explicit environment,
// stdout+stderr to a log file, and a teardown that always reaches every descendant: the whole group, and
// processes that left it (`setsid sleep 301 &`, a daemon that double-forks), through a guardian that is the
// child's parent and a child subreaper (PR_SET_CHILD_SUBREAPER), so every orphan of the launch becomes its child.
// All forks of the harness happen on one long-lived internal thread (guardian_spawn.cpp), so start() may be called
// from any thread, but not from a forked child that did not exec.
//
// Boost.Process (v1 of Debian's libboost1.81-dev, header-only; the design card's package) spawns both processes of a
// launch: the harness starts the guardian, an executable of its own (routecheck-guardian, guardian_main.cpp), and the
// guardian starts the child. The guardian is exec'd and single-threaded, so the allocations and exceptions of
// bp::child's executor are safe in it; in the old guardian, a fork of the multi-threaded harness that never exec'd,
// they were not (a lock another thread held at the fork is never released there). Boost.Process does: the child's
// environment (bp::environment, built from the spec alone; the guardian gets an empty one), stdin from /dev/null
// (bp::null), the output and the guardian's three descriptors (bp::posix::fd.bind), the guardian's working directory
// (bp::start_dir), the program's lookup (bp::search_path), the error pipe from child to parent and the exec.
// Hand-written still, and why:
// - Before each exec (bp::extend::on_exec_setup): the process group (setpgid), the parent-death signal
//   (PR_SET_PDEATHSIG: SIGUSR1 for the guardian, SIGKILL for the child) and the getppid() check for a parent that
//   died first, the signal mask, close-on-exec for every descriptor above 2 (bp opens /dev/null without O_CLOEXEC and
//   leaves descriptors it did not make alone), and the child's chdir: bp::start_dir ignores a failed chdir
//   (detail/posix/start_dir.hpp) and the child would run in the wrong folder; ours fails the start, naming it.
// - The guardian's own work: the subreaper, the exit check with waitid(WNOWAIT) (bp::child::running() and wait()
//   reap the leader, whose pid, the group's id, could then be reused while the harness may still signal the group;
//   the bp::child is detached at once, as its destructor kills a running child), reaping adopted orphans, the
//   teardown of the subtree.
// - Which PATH a bare program name is looked up in: the child's. find_program (guardian.hpp) splits it and
//   bp::search_path searches it; the executor's own lookup (prepare_cmd_style) reads the harness's PATH from
//   ::environ and tries the name in the harness's cwd first. The executor gets the resolved path, and the caller's
//   argv[0] through an on_setup extension (bp::exe alone puts the path there).
// - The plan and the pipes: the plan (argv, environment, cwd) goes to the guardian in a memfd on its stdin, never on
//   its command line (world-readable in /proc) or in its environment; the report pipe and the log pump's pipe are
//   made with pipe2(O_CLOEXEC), since bp::pipe uses pipe(2) without it. (The executor's own error pipe gets
//   FD_CLOEXEC on its write end just after pipe(2); the one other fork of the harness, remove_tree_with_rm, closes
//   every descriptor above 2 before it execs, so a fork in between holds it for no longer than that.)
// - Exact errors: the executor reports errno and a message; the guardian maps the message to the stage that failed
//   (setpgid, prctl, redirect output, chdir, exec) and reports that, so LaunchError names it.
// Boost.Process v2 (boost/process/v2) was not taken: its default launcher's failed child calls exit(), not _exit()
// (in a fork of the harness that would run the harness's atexit teardown), it puts the path in argv[0], and on 1.81
// its on_error hooks are never called (invoke_on_error's decltype names five arguments for a four-argument call).
#pragma once
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace routecheck::launch {

// A proxy (or other child) that could not be started or did not become usable. The message is meant for the
// user as is: it names what failed and, where there is one, carries the child's exit code and log tail.
class LaunchError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

using Environment = std::map<std::string, std::string>;

// The base every child environment starts from: PATH (the harness's own, so `node` resolves the same way),
// LANG=C.UTF-8 and NO_COLOR=1. Nothing else is inherited: HTTP(S)_PROXY, API_KEY, PORT, HOST, DEBUG,
// SERVICE_PORT and friends change proxy behaviour and must only be set on purpose.
Environment minimal_environment();

struct ProcessSpec {
    std::vector<std::string> argv;   // argv[0] without '/' is looked up in env["PATH"] (find_program)
    Environment env;                 // the complete environment of the child
    std::filesystem::path cwd;       // empty: the harness's cwd
    std::filesystem::path log_file;  // stdout+stderr, appended; empty: /dev/null
    // Replaced by "[redacted]" on the way to log_file: the child writes into a pipe and a harness thread
    // redacts line by line before appending, so no secret ever reaches the disk, even if the harness is
    // SIGKILLed mid-run. Empty: the child writes to log_file directly.
    std::vector<std::string> redact;
    // A folder the guardian removes (all of it) after it killed the group because the harness died without
    // stopping the child (SIGKILL): a proxy's temp HOME holds its rendered config, key included. Empty: none.
    // A normal stop never triggers it (the guardian is ended first), nor a caught signal (the handler removes
    // the registered temp dirs itself).
    std::filesystem::path remove_when_orphaned;
    // The child's nice value (setpriority before exec, inherited by everything it starts): 0 leaves the harness's;
    // only a lower priority (1..19) is applied. The matrix run lowers the proxies that are not on its critical path.
    int nice = 0;
};

// `text` with every occurrence of each secret (of 4 bytes or more) replaced by "[redacted]" (text/secrets.hpp,
// which also cuts the secret's JSON- and HTML-escaped forms).
std::string redact_text(std::string text, const std::vector<std::string>& secrets);

// Each child runs under a guardian: a small executable of its own (routecheck-guardian, found beside the running
// executable, in <prefix>/libexec/routecheck, or in the build tree; no descriptor of the harness, no environment,
// its cwd the child's) that starts the child, is its parent and a child subreaper, and reports the child's exit to
// the harness through a pipe.
// Whatever a descendant of the child does (leave the group, start a new session, double-fork), it stays in the
// guardian's subtree: when its parent dies it is re-parented to the guardian. The guardian ends the launch when
// the harness asks (stop(), the signal handlers) or dies (its parent-death signal, e.g. a SIGKILLed harness):
// SIGKILL to the child's group, then every process left in its subtree (SIGTERM, up to 500 ms, SIGKILL, until
// none is left), then, only when the harness died, rm -rf of ProcessSpec::remove_when_orphaned. It ends only
// processes of its own subtree, by pid.
class ChildProcess {
public:
    ChildProcess() = default;
    explicit ChildProcess(const ProcessSpec& spec) { start(spec); }
    ~ChildProcess();  // stop() with the default grace; never throws

    ChildProcess(ChildProcess&& other) noexcept;
    ChildProcess& operator=(ChildProcess&& other) noexcept;
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    // Starts the guardian, which starts the child; returns once the child has exec'd. Throws LaunchError if the
    // program is not found in env["PATH"] (naming it), the guardian is missing (naming where it was looked for) or
    // cannot be started, or a stage of the child's start fails: setpgid, prctl, redirect output, chdir to DIR or exec,
    // with errno's text (reported by the guardian, so the error is exact rather than a later "exited with 127").
    void start(const ProcessSpec& spec);

    // SIGTERM to the group, wait up to `grace` for the leader, then SIGKILL to the group (always, so
    // grandchildren that outlive the leader die too), then reap. Idempotent. Returns true if the leader had
    // exited by itself or on SIGTERM within the grace period.
    bool stop(std::chrono::milliseconds grace = std::chrono::milliseconds(3000)) noexcept;

    bool started() const { return pid_ > 0; }
    pid_t guardian() const { return guardian_; }  // the child's parent; -1 when not started
    bool running();                               // false once the leader has exited (does not reap it)
    std::optional<int> exit_code();               // exit status, or 128+signal; nullopt while running or never started
    std::string exit_description();               // "exited with 3", "killed by signal 9 (SIGKILL)", "running"
    pid_t pid() const { return pid_; }
    pid_t pgid() const { return pid_; }  // the child leads its own group
    const std::filesystem::path& log_path() const { return log_file_; }
    std::string log_tail(std::size_t lines = 40) const;

    // Waits up to `timeout` for the leader to exit by itself; true if it has.
    bool wait_exit(std::chrono::milliseconds timeout);

private:
    // Reads what the guardian reported (the leader's exit status; it reaps the leader only at the end, which
    // keeps the pgid reserved while the harness may still signal the group). Waits up to `timeout` for a report.
    void poll_exit(std::chrono::milliseconds timeout = std::chrono::milliseconds(0));
    void stop_pump() noexcept;  // ends and joins log_pump_

    pid_t pid_ = -1;
    pid_t guardian_ = -1;         // routecheck-guardian (guardian_main.cpp)
    int status_fd_ = -1;          // read end of the guardian's report pipe (non-blocking)
    bool guardian_gone_ = false;  // the report pipe is closed: the guardian exited and reaped the leader
    bool exited_ = false;
    bool reaped_ = false;
    int status_code_ = 0;  // si_code of the exit (CLD_EXITED, CLD_KILLED, CLD_DUMPED)
    int status_value_ = 0;
    std::filesystem::path log_file_;
    std::thread log_pump_;  // redacting copier from the child's output pipe to log_file_ (see ProcessSpec::redact)
    std::shared_ptr<std::atomic<bool>> pump_stop_;
};

// Last `lines` lines of a text file (reads at most the last 64 KiB). Empty if the file is missing.
std::string file_tail(const std::filesystem::path& file, std::size_t lines);

// The process guardian every launch is started through (routecheck-guardian: beside the running executable,
// the build tree's copy, or only <prefix>/libexec/routecheck for an installed routecheck). Out: its path. Throws
// LaunchError naming every place it looked. A command that will launch proxies calls it before anything runs, so a
// broken install is one error (exit 2), not one failed launch per proxy.
std::filesystem::path require_guardian();

// --- Process-wide teardown -------------------------------------------------------------------------------
// Every live child group is recorded in a lock-free registry so that a signal handler (or atexit) can kill
// them all without touching the heap.

// SIGKILL to every live child group, and SIGTERM to each guardian, which then ends whatever else is left in
// its subtree. Async-signal-safe.
void kill_all_children() noexcept;

// Waits until every guardian kill_all_children() signalled has ended its subtree. Async-signal-safe.
void wait_for_guardians() noexcept;

// Installs handlers for SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGABRT that kill all child groups (and their
// subtrees), remove the registered temp dirs and then re-raise the signal with its default action, plus an
// atexit hook doing the same. Call once from main(); idempotent.
void install_signal_cleanup();

// What the signal handler tells the user before it re-raises (written to stderr as is, a newline added), so an
// interrupted run says what became of its report: "no report was written to DIR". The text is copied into a
// fixed buffer (at most 1,000 bytes kept), so the handler reads it without the heap; "" says nothing. Not for
// use from two threads at once.
void set_interrupt_message(const std::string& text);

// True once a signal install_signal_cleanup() handles has arrived: the handler is ending every launch, so a
// launch that fails from now on fails because of it (what a run says of such a failure would mislead).
bool interrupted() noexcept;

// A file the signal handler removes before it re-raises (the --out lock file); "" for none. Same buffer rules.
void set_interrupt_unlink(const std::string& path);

}  // namespace routecheck::launch
