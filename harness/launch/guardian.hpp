// Internal to harness/launch: what the harness and the guardian of one launch tell each other. The guardian is its
// own executable, routecheck-guardian (guardian_main.cpp), started by the harness for each ChildProcess (see
// process.hpp). It gets three descriptors and nothing else: its stdin holds the launch plan (a memfd the harness
// wrote), its stdout is the report pipe back to the harness, its stderr is where the child's output goes (the log
// file, or the pipe of the harness's redacting log pump).
#pragma once
#include <sys/types.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace routecheck::launch::detail {

inline constexpr const char* kGuardianName = "routecheck-guardian";

// What the guardian tells the harness on its stdout (one write each, so each arrives whole).
struct Report {
    int kind;
    int a;
    int b;
};
inline constexpr int kStarted = 1;      // the child runs (exec'd): a = its pid
inline constexpr int kForkFailed = 2;   // a = errno
inline constexpr int kExited = 3;       // the child exited (not reaped yet): a = si_code, b = si_status
inline constexpr int kSpawnFailed = 4;  // the child could not be started: a = errno, b = the stage (below)
inline constexpr int kBadPlan = 5;      // the plan on its stdin was not one it reads (another build's guardian?)

// The stages of a child's start that can fail, each reported with its errno.
inline constexpr int kStageSetpgid = 1, kStagePrctl = 2, kStageRedirect = 3, kStageChdir = 4, kStageExec = 5;
const char* stage_name(int stage);  // "setpgid", "prctl", "redirect output", "chdir", "exec"; "?" for others

// What the guardian starts.
struct LaunchPlan {
    std::string program;                     // the executable, already looked up (process.cpp)
    std::vector<std::string> argv;           // argv[0] as the caller gave it
    std::map<std::string, std::string> env;  // the child's whole environment
    std::string cwd;                         // empty: the guardian's
    std::string orphan_dir;                  // removed after the harness died without stopping the launch; empty: none
    int nice = 0;                            // the child's nice value (ProcessSpec::nice); 0: the guardian's own
};

// The plan as bytes: a version line and then "key\0value\0" pairs, ended by "end\0" (argv and environment strings
// hold no NUL, so nothing needs escaping and any other byte goes through as it is). decode_plan() returns nullopt
// for anything else: another version, a cut plan, an unknown key.
std::string encode_plan(const LaunchPlan& plan);
std::optional<LaunchPlan> decode_plan(const std::string& bytes);

// --- the harness's side (guardian_spawn.cpp) -----------------------------------------------------------------

// `program` itself when it holds a '/', else the first executable regular file of that name in the directories of
// env["PATH"] (the child's PATH, not the harness's; "/usr/local/bin:/usr/bin:/bin" when unset; empty entries are
// skipped), found with bp::search_path. Throws LaunchError "cannot start 'NAME': not found in PATH=..." otherwise.
std::string find_program(const std::string& program, const std::map<std::string, std::string>& env);

struct Guardian {
    pid_t pid = -1;              // the guardian; the harness reaps it (ChildProcess::stop)
    int report_fd = -1;          // read end of its report pipe (close-on-exec), owned by the caller
    std::filesystem::path exe;  // the executable that was started
};

// Starts the guardian of one launch with `plan` and the child's output going to `output_fd` (borrowed: the caller
// closes its own copy). Forks on the harness's one long-lived spawner thread (PR_SET_PDEATHSIG follows the thread
// that forked). Before its exec the guardian leads its own process group (out of the terminal's, so Ctrl-C is the
// harness's to handle), gets SIGUSR1 as its parent-death signal and blocks SIGCHLD, SIGUSR1 and SIGTERM, which it
// waits for. Returns once the guardian exec'd; its first report says whether the child started. Throws LaunchError
// when the guardian is missing (naming where it was looked for) or cannot be started (with errno's text).
Guardian start_guardian(const LaunchPlan& plan, int output_fd);

// Where the guardian is looked for, in order. An installed routecheck (a <prefix>/libexec/routecheck folder beside
// its bin/) uses only <prefix>/libexec/routecheck/routecheck-guardian: the build tree it came from may hold another
// version, and a broken install must fail, not borrow it. Otherwise: beside the running executable, then the build
// tree's copy (its path is written into a generated header at configure time, so every test executable of the
// build finds it wherever it lives).
std::vector<std::filesystem::path> guardian_candidates();

// Makes the spawner thread (the one start_guardian forks from) now, if it is not there yet, so that it has the
// calling thread's priority: made later by a thread that lowered its own (ProcessSpec::nice), every guardian and
// child would inherit that, and only root may raise it again. install_signal_cleanup() calls it from main().
void start_spawner();

// The first candidate that is an executable regular file. Throws LaunchError naming every place looked at.
std::filesystem::path find_guardian(const std::vector<std::filesystem::path>& candidates);

}  // namespace routecheck::launch::detail
