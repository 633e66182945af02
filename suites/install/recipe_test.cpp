// The CI recipes of docs/ci.md, run as written: every region between `# >>> routecheck-recipe <step>` and
// `# <<< routecheck-recipe` of the GitHub Actions and GitLab CI blocks, in order, each in its own bash (as each CI
// step is), in a stand-in proxy repository, with this build's source, build dir and a temp prefix for the
// variables the CI files set. What stays the CI service's (checkout, artifact upload, the proxy's own build) is
// outside the markers. If the document changes so that a recipe no longer works, this test fails.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <map>

#include "install_support.hpp"

using namespace rc_install;
using nlohmann::json;

namespace {

struct Step {
    std::string name;
    std::string script;
};

// recipe name ("github", "gitlab") -> its marked steps in document order.
std::map<std::string, std::vector<Step>> read_recipes(const fs::path& doc) {
    std::map<std::string, std::vector<Step>> out;
    std::istringstream in(slurp(doc));
    std::string line, recipe;
    bool in_block = false;
    Step* step = nullptr;
    std::size_t indent = 0;
    const std::string begin = "# >>> routecheck-recipe ", end = "# <<< routecheck-recipe";
    while (std::getline(in, line)) {
        if (line.rfind("```", 0) == 0) {
            in_block = !in_block;
            recipe.clear();
            if (step) throw std::runtime_error("unterminated recipe step " + step->name);
            continue;
        }
        if (!in_block) continue;
        if (line.rfind("# recipe: ", 0) == 0) {
            recipe = line.substr(10, line.find_first_of(" \t", 10) - 10);
            continue;
        }
        std::size_t first = line.find_first_not_of(' ');
        std::string body = first == std::string::npos ? "" : line.substr(first);
        if (body.rfind(begin, 0) == 0) {
            if (recipe.empty()) throw std::runtime_error("a recipe step outside a '# recipe:' block: " + line);
            out[recipe].push_back({body.substr(begin.size()), ""});
            step = &out[recipe].back();
            indent = first;
        } else if (body.rfind(end, 0) == 0) {
            step = nullptr;
        } else if (step) {
            // Dedent by the marker's indentation (YAML block scalars); blank lines stay blank.
            step->script += (line.size() > indent ? line.substr(indent) : std::string()) + "\n";
        }
    }
    return out;
}

int free_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    close(fd);
    return ntohs(a.sin_port);
}

std::vector<std::string> names(const std::vector<Step>& steps) {
    std::vector<std::string> out;
    for (const auto& s : steps) out.push_back(s.name);
    return out;
}

class Recipe : public ::testing::Test {
protected:
    void SetUp() override {
        recipes_ = read_recipes(fs::path(RC_SOURCE_DIR) / "docs" / "ci.md");
        repo_ = tmp_.path() / "my-proxy";
        write_proxy_repo(repo_);
        // What the maintainer did once and committed: the expected table, generated and reviewed.
        Result gen = run_bash(sh_quote(RC_BUILD_ROUTECHECK) +
                                  " matrix --fixtures routecheck --proxy my-proxy --update-expectations --out " +
                                  sh_quote((tmp_.path() / "generate").string()),
                              repo_);
        ASSERT_EQ(gen.rc, 0) << gen.both();
        ASSERT_TRUE(fs::exists(repo_ / "routecheck" / "expected" / "my-proxy.json"));
    }

    // Runs the recipe's steps in order; stops at the first failing one.
    void run_recipe(const std::string& name, Env env) {
        ASSERT_TRUE(recipes_.count(name)) << "docs/ci.md has no '# recipe: " << name << "' block";
        env.insert(env.end(), {{"ROUTECHECK_REPO", "/nonexistent/routecheck.git"},  // the source is already there
                               {"ROUTECHECK_REF", "main"},
                               {"ROUTECHECK_SRC", RC_SOURCE_DIR},
                               {"ROUTECHECK_BUILD", RC_BUILD_DIR},
                               {"ROUTECHECK_PREFIX", prefix().string()},
                               {"PROXY_BIN", "target/release/my-proxy"},
                               {"PROXY_PORT", std::to_string(free_port())}});
        for (const auto& step : recipes_[name]) {
            // -u on top of CI's -e -o pipefail: a variable the recipe uses but the CI file does not set fails here.
            Result r = run_bash(step.script, repo_, env, "-euo pipefail");
            ASSERT_EQ(r.rc, 0) << name << " step '" << step.name << "' failed:\n" << step.script << r.both();
        }
    }

    fs::path prefix() const { return tmp_.path() / "prefix"; }

    void expect_report(const fs::path& dir) {
        for (const char* f : {"index.html", "summary.md", "matrix.json", "junit.xml"})
            EXPECT_TRUE(fs::exists(dir / f)) << dir / f;
        json m = json::parse(slurp(dir / "matrix.json"));
        EXPECT_EQ(m["counts"]["fail"], 0) << m["counts"].dump();
        EXPECT_GT(m["counts"]["cells"].get<int>(), 0);
    }

    TempFolder tmp_{"rc-recipe-"};
    fs::path repo_;
    std::map<std::string, std::vector<Step>> recipes_;
};

TEST(RecipeDocument, HoldsBothRecipes) {
    auto recipes = read_recipes(fs::path(RC_SOURCE_DIR) / "docs" / "ci.md");
    EXPECT_EQ(names(recipes["github"]), (std::vector<std::string>{"deps", "install", "matrix", "attach"}));
    EXPECT_EQ(names(recipes["gitlab"]), (std::vector<std::string>{"deps", "install", "matrix"}));
}

TEST_F(Recipe, GitHubActionsStepsRun) {
    fs::path summary = tmp_.path() / "github-step-summary.md";
    spit(summary, "");
    run_recipe("github", {{"GITHUB_STEP_SUMMARY", summary.string()}});
    if (HasFatalFailure()) return;
    EXPECT_TRUE(fs::exists(prefix() / "bin" / "routecheck"));
    expect_report(repo_ / "routecheck-report");
    expect_report(repo_ / "routecheck-attach");
    // Both matrix steps appended their summary to the job's step summary.
    std::string s = slurp(summary);
    EXPECT_NE(s.find(slurp(repo_ / "routecheck-report" / "summary.md")), std::string::npos);
    EXPECT_NE(s.find(slurp(repo_ / "routecheck-attach" / "summary.md")), std::string::npos);
    // The attach step stopped the proxy it started (its trap), so nothing is left on the port.
    json attach = json::parse(slurp(repo_ / "routecheck-attach" / "matrix.json"));
    EXPECT_EQ(attach["proxies"][0]["provenance"], "attached");
}

TEST_F(Recipe, GitLabJobStepsRun) {
    run_recipe("gitlab", {});
    if (HasFatalFailure()) return;
    EXPECT_TRUE(fs::exists(prefix() / "bin" / "routecheck"));
    expect_report(repo_ / "routecheck-report");
}

}  // namespace
