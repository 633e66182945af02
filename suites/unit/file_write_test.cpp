// text/file_write.hpp: the one write-then-rename. A full disk (here: a file size limit, so the write fails part way
// as it does on a full disk, with EFBIG instead of ENOSPC) must leave the good file whole, never a truncated one,
// and leave no .partial behind. The expected-table and grid-expectation writers both go through replace_file.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "grid/grid.hpp"
#include "text/file_write.hpp"

namespace fs = std::filesystem;
using routecheck::FileWriteError;
using routecheck::replace_file;

namespace {

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

class FileWrite : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("rc-file-write-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    // `write` in a child whose files may not grow past `limit` bytes (SIGXFSZ ignored: the write fails with
    // EFBIG). Returns the child's exit code: 0 FileWriteError thrown (message on `message_file`), 1 no error,
    // 2 another exception.
    int with_limit(const std::function<void()>& write, rlim_t limit, const fs::path& message_file) {
        pid_t pid = ::fork();
        if (pid == 0) {
            std::signal(SIGXFSZ, SIG_IGN);
            std::string message;
            int code = 1;
            // The limit is lifted again before the message is written, so the message cannot be cut by it.
            try {
                rlimit rl{limit, limit};
                ::setrlimit(RLIMIT_FSIZE, &rl);
                write();
            } catch (const FileWriteError& e) {
                message = e.what();
                code = 0;
            } catch (const std::exception& e) {
                message = e.what();
                code = 2;
            } catch (...) {
                code = 2;
            }
            rlimit big{RLIM_INFINITY, RLIM_INFINITY};
            ::setrlimit(RLIMIT_FSIZE, &big);
            std::ofstream(message_file) << message;
            ::_exit(code);
        }
        int status = 0;
        ::waitpid(pid, &status, 0);
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

    int replace_with_limit(const fs::path& file, const std::string& text, rlim_t limit, const fs::path& message_file) {
        return with_limit([&] { replace_file(file, text); }, limit, message_file);
    }

    fs::path dir_;
};

TEST_F(FileWrite, ReplacesTheFileWhole) {
    const fs::path file = dir_ / "table.json";
    std::ofstream(file) << "old";
    replace_file(file, "{\"new\": true}\n");
    EXPECT_EQ(slurp(file), "{\"new\": true}\n");
    EXPECT_FALSE(fs::exists(dir_ / "table.json.partial"));
}

TEST_F(FileWrite, AStalePartialDoesNotStopTheWrite) {
    const fs::path file = dir_ / "table.json";
    std::ofstream(dir_ / "table.json.partial") << "left by a crash";
    replace_file(file, "fresh");
    EXPECT_EQ(slurp(file), "fresh");
    EXPECT_FALSE(fs::exists(dir_ / "table.json.partial"));
}

TEST_F(FileWrite, AFullDiskKeepsTheGoodFileAndSaysSo) {
    const fs::path file = dir_ / "expected.json";
    const std::string good = "{\"rows\": [1, 2, 3]}\n";
    std::ofstream(file) << good;
    const std::string bigger(64 * 1024, 'x');  // the write fails after 4 KiB
    ASSERT_EQ(replace_with_limit(file, bigger, 4096, dir_ / "message"), 0) << "replace_file did not report the failure";
    EXPECT_EQ(slurp(file), good) << "a failed write replaced the good file";
    EXPECT_FALSE(fs::exists(dir_ / "expected.json.partial"));
    const std::string message = slurp(dir_ / "message");
    EXPECT_NE(message.find("expected.json.partial: write: "), std::string::npos) << message;
    EXPECT_NE(message.find("was left as it was"), std::string::npos) << message;
}

TEST_F(FileWrite, AFullDiskLeavesNoFileWhereThereWasNone) {
    const fs::path file = dir_ / "new.json";
    ASSERT_EQ(replace_with_limit(file, std::string(64 * 1024, 'y'), 1024, dir_ / "message"), 0);
    EXPECT_FALSE(fs::exists(file));
    EXPECT_FALSE(fs::exists(dir_ / "new.json.partial"));
}

// The grid-expectation writer (`routecheck matrix --update-expectations`) on a full disk: the reviewed grid file
// stays as it was. (The expected-table writer, cli/expectations.cpp, calls the same replace_file.)
TEST_F(FileWrite, AFullDiskKeepsTheGridExpectations) {
    fs::create_directories(dir_ / "grids");
    fs::create_directories(dir_ / "proxies");
    const fs::path file = dir_ / "grids" / "x.json";
    const std::string good = "{\n  \"proxy\": \"x\",\n  \"auth\": {\"r1\": {\"status\": 401}}\n}\n";
    std::ofstream(file) << good;
    routecheck::Fixtures f;
    f.roots = {dir_};
    routecheck::ProxyProfile proxy;
    proxy.id = "x";
    proxy.file = dir_ / "proxies" / "x.json";
    f.proxies.push_back(proxy);
    nlohmann::json rows = nlohmann::json::array();
    for (int i = 0; i < 400; ++i)  // about 16 KB of grid file: more than the limit lets through
        rows.push_back({{"kind", "auth"}, {"row", "row-" + std::to_string(i)}, {"observed", {{"status", 401}}}});
    const nlohmann::json grids = {{"proxies", {{{"id", "x"}, {"provenance", "launched"}, {"rows", rows}}}}};
    ASSERT_EQ(with_limit([&] { routecheck::grid::update_grid_expectations(f, grids); }, 4096, dir_ / "message"), 0)
        << "the grid writer did not report the failed write: " << slurp(dir_ / "message");
    EXPECT_EQ(slurp(file), good) << "a failed write replaced the reviewed grid file";
    EXPECT_FALSE(fs::exists(dir_ / "grids" / "x.json.partial"));
    // The same run without the limit does write it: the limit, not the input, made it fail.
    routecheck::grid::update_grid_expectations(f, grids);
    EXPECT_NE(slurp(file).find("row-399"), std::string::npos);
}

TEST_F(FileWrite, AFailedRenameKeepsTheTargetAndRemovesThePartial) {
    const fs::path target = dir_ / "a-folder";  // a non-empty folder cannot be replaced by a file
    fs::create_directories(target / "inside");
    try {
        replace_file(target, "text");
        FAIL() << "a rename over a folder succeeded";
    } catch (const FileWriteError& e) {
        EXPECT_NE(std::string(e.what()).find("rename"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(fs::is_directory(target / "inside"));
    EXPECT_FALSE(fs::exists(dir_ / "a-folder.partial"));
}

}  // namespace
