// Internal to harness/launch: the guardian of one launch (see ChildProcess in process.hpp). It is a fork of the
// harness that never execs, so everything here is async-signal-safe: raw system calls and stack buffers only,
// and everything it needs is prepared in a LaunchPlan before the fork.
#pragma once
#include <sys/types.h>

namespace routecheck::launch::detail {

// What the guardian tells the harness through its report pipe (one write each, so each arrives whole).
struct Report {
    int kind;  // kStarted (a = the child's pid), kForkFailed (a = errno), kExited (a = si_code, b = si_status)
    int a;
    int b;
};
inline constexpr int kStarted = 1, kForkFailed = 2, kExited = 3;

// Everything the guardian and the child need.
struct LaunchPlan {
    const char* program;  // resolved path
    char* const* argv;
    char* const* envp;
    const char* cwd;         // null: the harness's cwd
    int stdin_fd, out_fd;    // /dev/null, and the log file or the log pump's pipe
    int err_fd;              // the child writes {stage, errno} here when it cannot exec (stages: 1 setpgid,
                             // 2 prctl, 3 redirect output, 4 chdir, 5 exec)
    int report_fd;           // the guardian's Reports
    pid_t harness;           // the guardian's parent
    const char* orphan_dir;  // removed after a death of the harness; null: none
    int nice;                // the child's nice value (ProcessSpec::nice); 0: the harness's own
};

// Runs in the forked guardian and never returns. It sets its parent-death signal (SIGUSR1) and becomes a child
// subreaper, forks the child (own process group, parent-death signal SIGKILL, output redirected, then exec),
// reports kStarted, reports kExited when the child exits (without reaping it, so its pid stays its group's id),
// and reaps the orphans it adopts meanwhile. On SIGTERM (the harness ends the launch) or SIGUSR1 (the harness
// died) it SIGKILLs the child's group and the child, then ends every other process of its subtree (SIGTERM and
// up to 500 ms, then SIGKILL, until none is left), removes `orphan_dir` only on SIGUSR1, reaps the child, exits 0.
[[noreturn]] void guardian_main(const LaunchPlan& plan);

}  // namespace routecheck::launch::detail
