// The guardian executable (routecheck-guardian) and what the harness hands it: the launch plan's format, where the
// guardian is looked for, and what of a launch /proc shows (the plan must not be in the guardian's command line or
// environment; no descriptor but the intended ones reaches the guardian or the child).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include "launch/guardian.hpp"
#include "launch/process.hpp"
#include "launch/tempdir.hpp"

using namespace routecheck::launch;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A /proc file of `pid` with its NULs as they are.
std::string proc_file(pid_t pid, const std::string& what) { return slurp("/proc/" + std::to_string(pid) + "/" + what); }

// The open descriptors of `pid` and what each points to (/proc/<pid>/fd).
std::map<int, std::string> descriptors(pid_t pid) {
    std::map<int, std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec))
        out[std::stoi(e.path().filename().string())] = fs::read_symlink(e.path(), ec).string();
    return out;
}

detail::LaunchPlan sample_plan() {
    detail::LaunchPlan p;
    p.program = "/usr/bin/env";
    p.argv = {"env", "", "two words", "line\nbreak", "x\xff\xfe"};
    p.env = {{"EMPTY", ""}, {"EQ", "a=b=c"}, {"BYTES", "\x01\xff"}, {"PATH", "/usr/bin:/bin"}};
    p.cwd = "/tmp/some dir";
    p.orphan_dir = "/tmp/rc-x-123";
    p.nice = 10;
    return p;
}

}  // namespace

TEST(GuardianPlan, EveryByteGoesThrough) {
    const auto plan = sample_plan();
    const auto back = detail::decode_plan(detail::encode_plan(plan));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->program, plan.program);
    EXPECT_EQ(back->argv, plan.argv);
    EXPECT_EQ(back->env, plan.env);
    EXPECT_EQ(back->cwd, plan.cwd);
    EXPECT_EQ(back->orphan_dir, plan.orphan_dir);
    EXPECT_EQ(back->nice, plan.nice);
}

// Anything but a whole plan of this version is refused, never half read: a guardian of another build, a plan cut
// anywhere, a key this guardian does not know.
TEST(GuardianPlan, RefusesWhatItDoesNotRead) {
    const std::string whole = detail::encode_plan(sample_plan());
    for (std::size_t cut = 0; cut < whole.size(); ++cut)
        EXPECT_FALSE(detail::decode_plan(whole.substr(0, cut)).has_value()) << "cut at " << cut;
    std::string other = whole;
    other.replace(other.find(" 2"), 2, " 9");
    EXPECT_FALSE(detail::decode_plan(other).has_value()) << "another version";
    std::string unknown = whole;
    unknown.insert(unknown.find("cwd"), std::string("priority\0"
                                                    "5\0",
                                                    11));
    EXPECT_FALSE(detail::decode_plan(unknown).has_value()) << "an unknown key";
    for (const char* bad : {"", "x", "-3", "100"}) {
        std::string wrong = whole;
        const auto at = wrong.find(std::string("nice\0", 5)) + 5;
        wrong.replace(at, wrong.find('\0', at) - at, bad);
        EXPECT_FALSE(detail::decode_plan(wrong).has_value()) << "nice " << bad;
    }
    detail::LaunchPlan empty = sample_plan();
    empty.argv.clear();
    EXPECT_FALSE(detail::decode_plan(detail::encode_plan(empty)).has_value()) << "no argv";
}

// A missing guardian is an error that names it and every place it was looked for; a file there that is not
// executable does not count.
TEST(GuardianLocation, MissingGuardianIsALaunchErrorNamingWhereItLooked) {
    TempDir dir("rc-test-guardian-");
    const fs::path absent = dir.path() / "bin" / detail::kGuardianName;
    const fs::path not_executable = dir.path() / "libexec" / detail::kGuardianName;
    fs::create_directories(not_executable.parent_path());
    std::ofstream(not_executable) << "#!/bin/sh\n";
    fs::permissions(not_executable, fs::perms::owner_read | fs::perms::owner_write);
    try {
        detail::find_guardian({absent, not_executable});
        FAIL() << "expected LaunchError";
    } catch (const LaunchError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("routecheck-guardian was not found"), std::string::npos) << what;
        EXPECT_NE(what.find(absent.string()), std::string::npos) << what;
        EXPECT_NE(what.find(not_executable.string()), std::string::npos) << what;
    }
    fs::permissions(not_executable, fs::perms::owner_all);
    EXPECT_EQ(detail::find_guardian({absent, not_executable}), not_executable);
}

// A test executable of the build (not beside the guardian) finds the build tree's copy.
TEST(GuardianLocation, TheBuildTreesGuardianIsFound) {
    const fs::path found = detail::find_guardian(detail::guardian_candidates());
    EXPECT_EQ(found.filename(), detail::kGuardianName);
    EXPECT_EQ(found, detail::guardian_candidates().back()) << "not beside this test, not installed: the build path";
}

// The plan holds the child's environment (API keys) and argv: none of it may show in the guardian's command line
// (readable by every user) or environment, nor stay readable through its descriptors once read. The guardian holds
// /dev/null on 0..2 and the report pipe, nothing else.
TEST(Guardian, PlanIsNotVisibleInProc) {
    TempDir dir("rc-test-guardian-");
    ProcessSpec spec{{"sh", "-c", "sleep 30 # rc-argv-marker"}, minimal_environment(), {}, dir.path() / "log"};
    spec.env["RC_TEST_KEY"] = "rc-test-key-plan-secret";
    ChildProcess p(spec);
    ASSERT_GT(p.guardian(), 0);
    for (const char* what : {"cmdline", "environ"}) {
        const std::string text = proc_file(p.guardian(), what);
        EXPECT_EQ(text.find("rc-test-key-plan-secret"), std::string::npos) << what << ": " << text;
        EXPECT_EQ(text.find("rc-argv-marker"), std::string::npos) << what << ": " << text;
    }
    EXPECT_EQ(proc_file(p.guardian(), "environ"), "") << "the guardian needs no environment";
    EXPECT_NE(proc_file(p.pid(), "environ").find("RC_TEST_KEY=rc-test-key-plan-secret"), std::string::npos)
        << "the child has it";
    const auto fds = descriptors(p.guardian());
    ASSERT_EQ(fds.size(), 4u);
    for (int fd : {0, 1, 2}) EXPECT_EQ(fds.at(fd), "/dev/null") << "fd " << fd;
    EXPECT_EQ(fds.rbegin()->second.rfind("pipe:", 0), 0u) << "the report pipe: " << fds.rbegin()->second;
}

// A descriptor the harness opened without O_CLOEXEC reaches neither the guardian nor the child, and the child holds
// exactly its standard streams (Boost.Process opens /dev/null for stdin without O_CLOEXEC: it must not stay).
TEST(Guardian, ChildGetsOnlyItsStandardStreams) {
    TempDir dir("rc-test-guardian-");
    const int leak = ::open("/dev/zero", O_RDONLY);  // no O_CLOEXEC, on purpose
    ASSERT_GE(leak, 0);
    ChildProcess p(ProcessSpec{{"sleep", "30"}, minimal_environment(), {}, dir.path() / "log"});
    ::close(leak);
    const auto child = descriptors(p.pid());
    EXPECT_EQ(child.size(), 3u);
    EXPECT_EQ(child.count(0) ? child.at(0) : "", "/dev/null");
    EXPECT_EQ(child.count(1) ? child.at(1) : "", (dir.path() / "log").string());
    EXPECT_EQ(child.count(2) ? child.at(2) : "", (dir.path() / "log").string());
    for (pid_t pid : {p.pid(), p.guardian()})
        for (const auto& [fd, target] : descriptors(pid))
            EXPECT_NE(target, "/dev/zero") << "pid " << pid << " fd " << fd;
}

// argv[0] reaches the child as the caller gave it, not replaced by the looked-up path.
TEST(Guardian, ArgvZeroIsAsGiven) {
    TempDir dir("rc-test-guardian-");
    ChildProcess p(
        ProcessSpec{{"sh", "-c", "tr '\\0' '|' < /proc/$$/cmdline"}, minimal_environment(), {}, dir.path() / "log"});
    ASSERT_TRUE(p.wait_exit(5s));
    EXPECT_EQ(slurp(dir.path() / "log").rfind("sh|-c|", 0), 0u) << slurp(dir.path() / "log");
}

// The guardian runs in the child's folder, so that a search of /proc by folder (the hygiene tests' leftovers())
// finds it among the processes of a launch, as it found the old forked guardian by its command line.
TEST(Guardian, RunsInTheChildsFolder) {
    TempDir dir("rc-test-guardian-");
    ChildProcess p(ProcessSpec{{"sleep", "30"}, minimal_environment(), dir.path(), {}});
    std::error_code ec;
    EXPECT_EQ(fs::read_symlink("/proc/" + std::to_string(p.guardian()) + "/cwd", ec), dir.path());
    EXPECT_EQ(fs::read_symlink("/proc/" + std::to_string(p.pid()) + "/cwd", ec), dir.path());
}

// Started with anything but a plan on its stdin (here /dev/null), the guardian starts nothing: it reports kBadPlan on
// its stdout and exits 2.
TEST(Guardian, RefusesToStartWithoutAPlan) {
    TempDir dir("rc-test-guardian-");
    const fs::path guardian = detail::find_guardian(detail::guardian_candidates());
    ChildProcess p(ProcessSpec{{guardian.string()}, minimal_environment(), {}, dir.path() / "log"});
    ASSERT_TRUE(p.wait_exit(5s));
    EXPECT_EQ(p.exit_code(), 2);
    const std::string log = slurp(dir.path() / "log");
    ASSERT_EQ(log.size(), sizeof(detail::Report)) << log;
    detail::Report r{};
    std::memcpy(&r, log.data(), sizeof r);
    EXPECT_EQ(r.kind, detail::kBadPlan);
}
