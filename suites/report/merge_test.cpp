// scripts/merge-reports on two real per-proxy runs (the ctest fixtures matrix.run.copilot-api and
// matrix.run.portkey-gateway): the merged matrix.json holds both shards' cells and proxies, recounts the counts,
// and a shard given twice is refused (exit 2) rather than double-counted.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json read(const fs::path& f) {
    std::ifstream in(f);
    if (!in) throw std::runtime_error("cannot read " + f.string());
    return json::parse(in);
}

int run(const std::string& cmd) {
    int rc = std::system(cmd.c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

const fs::path kShards = fs::path(ROUTECHECK_CTEST_REPORT) / "proxies";
const std::string kScript = std::string(ROUTECHECK_SOURCE_DIR) + "/scripts/merge-reports";

TEST(MergeShards, TwoProxyRunsBecomeOneReport) {
    const fs::path a = kShards / "copilot-api", b = kShards / "portkey-gateway";
    ASSERT_TRUE(fs::exists(a / "matrix.json")) << a << " (the fixture test matrix.run.copilot-api writes it)";
    ASSERT_TRUE(fs::exists(b / "matrix.json")) << b;
    const fs::path out = fs::temp_directory_path() / ("rc-merge-" + std::to_string(::getpid()));
    ASSERT_EQ(run("ROUTECHECK_BIN='" + std::string(ROUTECHECK_BIN) + "' '" + kScript + "' '" + out.string() + "' '" +
                  a.string() + "' '" + b.string() + "' >/dev/null"),
              0);
    const json ma = read(a / "matrix.json"), mb = read(b / "matrix.json"), m = read(out / "matrix.json");
    EXPECT_EQ(m["cells"].size(), ma["cells"].size() + mb["cells"].size());
    EXPECT_EQ(m["counts"]["cells"], m["cells"].size());
    EXPECT_EQ(m["counts"]["pass"].get<int>(), ma["counts"]["pass"].get<int>() + mb["counts"]["pass"].get<int>());
    ASSERT_EQ(m["proxies"].size(), 2u);
    EXPECT_EQ(m["proxies"][0]["id"], "copilot-api");
    EXPECT_EQ(m["proxies"][1]["id"], "portkey-gateway");
    EXPECT_EQ(m["complete"], ma["complete"].get<bool>() && mb["complete"].get<bool>());
    EXPECT_EQ(read(out / "grids.json")["proxies"].size(), 2u);
    std::ifstream summary(out / "summary.md");
    std::string text((std::istreambuf_iterator<char>(summary)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("| copilot-api |"), std::string::npos) << text;
    // The same shard twice would count its cells twice: refused.
    EXPECT_EQ(run("'" + kScript + "' '" + (out / "again").string() + "' '" + a.string() + "' '" + a.string() +
                  "' >/dev/null 2>&1"),
              2);
    fs::remove_all(out);
}

}  // namespace
