// Bad input through the `routecheck` CLI: every kind gets exit 2 (usage or fixture error, nothing run) or 1
// (a proxy that could not run), a message that names the file and JSON pointer, the flag, or the proxy/cell,
// and never a report that looks complete (no matrix.json, or one with "complete": false). Never a crash
// (no signal exit), never a hang (every run under a deadline).
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <atomic>
#include <functional>
#include <thread>

#include "hygiene_support.hpp"

using namespace routecheck::hygiene;

namespace {

// A TCP server on 127.0.0.1 that does not speak HTTP: writes garbage, closes at once, or stays silent.
class RawServer {
public:
    enum class Mode { Garbage, Close, Silent };
    explicit RawServer(Mode mode) : mode_(mode) {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
        socklen_t len = sizeof a;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
        port_ = ntohs(a.sin_port);
        ::listen(fd_, 64);
        thread_ = std::thread([this] { loop(); });
    }
    ~RawServer() {
        stop_ = true;
        thread_.join();
        for (int c : held_) ::close(c);
        ::close(fd_);
    }
    int port() const { return port_; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

private:
    void loop() {
        while (!stop_) {
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) continue;
            int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
            if (c < 0) continue;
            if (mode_ == Mode::Silent) {
                held_.push_back(c);  // accepted, never answered, closed at the end
                continue;
            }
            if (mode_ == Mode::Garbage) {
                const char junk[] = "\x16\x03\x01 SSH-2.0-not-http\r\n\xff\xfe garbage\r\n\r\n";
                ssize_t ignored = ::send(c, junk, sizeof junk - 1, MSG_NOSIGNAL);
                (void)ignored;
            }
            ::close(c);
        }
    }
    Mode mode_;
    int fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::vector<int> held_;
    std::thread thread_;
};

enum class Report { None, Incomplete };

struct Env {
    Scratch& scratch;
    std::vector<std::unique_ptr<RawServer>>& servers;
    std::string server(RawServer::Mode m) {
        servers.push_back(std::make_unique<RawServer>(m));
        return servers.back()->url();
    }
    std::string fixtures() const { return scratch.fixtures().string(); }
    std::string out() const { return scratch.out().string(); }
    // A matrix run over the built-in fixtures, plus the scratch ones when the case wrote any (an empty
    // --fixtures folder is itself an error).
    std::vector<std::string> matrix(std::vector<std::string> more = {}) const {
        std::vector<std::string> a = {"matrix", "--no-grids", "--out", out()};
        bool any = false;
        for (const auto& e : fs::recursive_directory_iterator(scratch.fixtures())) any = any || e.is_regular_file();
        if (any) a.insert(a.end(), {"--fixtures", fixtures()});
        a.insert(a.end(), more.begin(), more.end());
        return a;
    }
    std::vector<std::string> validate() const { return {"validate", "--fixtures", fixtures()}; }
    // The test proxy profile hyg-p with `member` ("\"key\": value") replacing its member of the same name.
    void proxy_with(const std::string& member) const {
        scratch.add_test_proxy("hyg-p", "serve");
        auto j = nlohmann::json::parse(read_file(scratch.fixtures() / "proxies/hyg-p.json"));
        auto m = nlohmann::json::parse("{" + member + "}");
        for (auto& [k, v] : m.items()) j[k] = v;
        scratch.write("proxies/hyg-p.json", j.dump(2));
    }
    std::vector<std::string> small_matrix(std::vector<std::string> more = {}) const {
        auto a = matrix({"--client", "claude-code", "--variant", "v1"});
        a.insert(a.end(), more.begin(), more.end());
        return a;
    }
};

struct BadInput {
    std::string name;
    std::function<std::vector<std::string>(Env&)> setup;  // writes files / starts servers, returns the argv
    int code;
    std::vector<std::string> says;  // substrings the output must contain (file, pointer, flag, cell, ...)
    Report report = Report::None;
    bool needs_node = false;
};

// Test names and failure messages show the case name, not the bytes of the struct.
void PrintTo(const BadInput& c, std::ostream* os) { *os << c.name; }

const char* kClient = R"({"id":"hyg-client","name":"C","protocol":"anthropic","provenance":{"kind":"source"},
  "join":{"rule":"concat"},"auth":{"header":"x-api-key"},
  "steps":[{"id":"prompt.messages","method":"POST","endpoint":"/v1/messages"}]})";

std::string replace(std::string s, const std::string& from, const std::string& to) {
    auto p = s.find(from);
    if (p != std::string::npos) s.replace(p, from.size(), to);
    return s;
}

std::vector<BadInput> cases() {
    using M = RawServer::Mode;
    return {
        {"invalid_json",
         [](Env& e) {
             e.scratch.write("clients/hyg-client.json", "{\"id\": \"hyg-client\", ");
             return e.small_matrix();
         },
         2,
         {"hyg-client.json", "invalid JSON"}},
        {"binary_garbage_file",
         [](Env& e) {
             e.scratch.write("clients/hyg-client.json", std::string("\x00\xff\xfe{[\x01", 6));
             return e.small_matrix();
         },
         2,
         {"hyg-client.json", "invalid JSON"}},
        {"top_level_array",
         [](Env& e) {
             e.scratch.write("clients/hyg-client.json", "[1,2,3]");
             return e.small_matrix();
         },
         2,
         {"hyg-client.json", "expected an object"}},
        {"missing_field",
         [](Env& e) {
             e.scratch.write("clients/hyg-client.json", replace(kClient, R"("name":"C",)", ""));
             return e.small_matrix();
         },
         2,
         {"hyg-client.json", "/name", "required field is missing"}},
        {"mistyped_field",
         [](Env& e) {
             e.scratch.write("clients/hyg-client.json", replace(kClient, R"("name":"C")", R"("name":["C"])"));
             return e.small_matrix();
         },
         2,
         {"hyg-client.json", "/name", "expected a string"}},
        {"mistyped_steps",
         [](Env& e) {
             e.scratch.write("clients/hyg-client.json", replace(kClient, R"("steps":[)", R"("steps":{"x":[)") + "}");
             return e.small_matrix();
         },
         2,
         {"hyg-client.json", "/steps"}},
        {"unknown_field_in_proxy",
         [](Env& e) {
             e.scratch.add_test_proxy("hyg-p", "serve");
             auto text = read_file(e.scratch.fixtures() / "proxies/hyg-p.json");
             e.scratch.write("proxies/hyg-p.json", replace(text, R"("health")", R"("helth": 1, "health")"));
             return e.small_matrix();
         },
         2,
         {"hyg-p.json", "/helth", "unknown field"}},
        {"huge_integer",
         [](Env& e) {
             e.scratch.add_test_proxy("hyg-p", "serve");
             auto text = read_file(e.scratch.fixtures() / "proxies/hyg-p.json");
             e.scratch.write("proxies/hyg-p.json", replace(text, R"("ready_timeout_ms": 10000)",
                                                           R"("ready_timeout_ms": 99999999999999999999)"));
             return e.small_matrix();
         },
         2,
         {"hyg-p.json", "/launch/ready_timeout_ms"}},
        {"integer_that_wraps",
         [](Env& e) {
             e.scratch.add_test_proxy("hyg-p", "serve");
             auto text = read_file(e.scratch.fixtures() / "proxies/hyg-p.json");
             e.scratch.write("proxies/hyg-p.json",
                             replace(text, R"("ready_timeout_ms": 10000)", R"("ready_timeout_ms": 4294967297)"));
             return e.small_matrix();
         },
         2,
         {"hyg-p.json", "/launch/ready_timeout_ms", "out of range"}},
        {"unknown_client_id",
         [](Env& e) {
             return e.matrix({"--client", "no-such-client"});
         },
         2,
         {"unknown client 'no-such-client'"}},
        {"unknown_variant_id",
         [](Env& e) {
             return e.matrix({"--variant", "no-such-variant"});
         },
         2,
         {"unknown variant 'no-such-variant'"}},
        {"unknown_proxy_id",
         [](Env& e) {
             return e.matrix({"--proxy", "no-such-proxy"});
         },
         2,
         {"unknown proxy 'no-such-proxy'"}},
        {"join_yields_invalid_url",
         [](Env& e) {
             e.scratch.write("variants.json",
                             R"({"variants":[{"id":"bad-port","base_url":"http://127.0.0.1:{port}0"}]})");
             return e.small_matrix();
         },
         2,
         {"variants.json", "/variants/0/base_url", "port"}},
        {"variant_with_space",
         [](Env& e) {
             e.scratch.write("variants.json",
                             R"({"variants":[{"id":"spaced","base_url":"http://127.0.0.1:{port}/v1 beta"}]})");
             return e.small_matrix();
         },
         2,
         {"variants.json", "/variants/0/base_url", "space"}},
        {"expected_row_for_unknown_cell",
         [](Env& e) {
             e.scratch.write("expected/antigravity-claude-proxy.json",
                             R"({"proxy":"antigravity-claude-proxy","cells":{"claude-code":{"no-such-variant":[]}}})");
             return e.matrix({"--override"});
         },
         2,
         {"antigravity-claude-proxy.json", "/cells/claude-code/no-such-variant", "unknown variant"}},
        {"expected_row_for_unknown_client",
         [](Env& e) {
             e.scratch.write("expected/antigravity-claude-proxy.json",
                             R"({"proxy":"antigravity-claude-proxy","cells":{"nobody":{"v1":[]}}})");
             return e.matrix({"--override"});
         },
         2,
         {"antigravity-claude-proxy.json", "/cells/nobody", "unknown client"}},
        {"duplicate_id_without_override",
         [](Env& e) {
             e.scratch.write("clients/claude-code.json", replace(kClient, "hyg-client", "claude-code"));
             return e.small_matrix();
         },
         2,
         {"claude-code.json", "/id", "--override"}},
        {"empty_fixtures_directory",
         [](Env& e) {
             fs::create_directories(e.scratch.root() / "empty");
             return std::vector<std::string>{"matrix", "--fixtures", (e.scratch.root() / "empty").string(), "--out",
                                             e.out()};
         },
         2,
         {"empty", "holds no fixtures"}},
        {"missing_fixtures_directory",
         [](Env& e) {
             return std::vector<std::string>{"matrix", "--fixtures", (e.scratch.root() / "nope").string(), "--out",
                                             e.out()};
         },
         2,
         {"nope", "does not exist"}},
        {"unknown_flag", [](Env& e) { return e.matrix({"--frobnicate"}); }, 2, {"unknown flag '--frobnicate'"}},
        {"missing_flag_value",
         [](Env&) {
             return std::vector<std::string>{"matrix", "--out"};
         },
         2,
         {"--out needs a value"}},
        {"bad_number",
         [](Env& e) {
             return e.matrix({"--jobs", "many"});
         },
         2,
         {"--jobs", "'many'"}},
        {"deadline_zero",
         [](Env& e) {
             return e.matrix({"--deadline", "0"});
         },
         2,
         {"--deadline", "'0'"}},
        {"deadline_huge",
         [](Env& e) {
             return e.matrix({"--deadline", "9000000000000000000"});
         },
         2,
         {"--deadline"}},
        {"request_timeout_zero",
         [](Env& e) {
             return e.matrix({"--request-timeout", "0"});
         },
         2,
         {"--request-timeout"}},
        {"request_timeout_9e18",
         [](Env& e) {
             return e.matrix({"--request-timeout", "9e18"});
         },
         2,
         {"--request-timeout", "'9e18'"}},
        {"unknown_command",
         [](Env&) { return std::vector<std::string>{"frobnicate"}; },
         2,
         {"unknown command 'frobnicate'"}},
        {"stray_argument",
         [](Env&) {
             return std::vector<std::string>{"matrix", "oops"};
         },
         2,
         {"unexpected argument 'oops'"}},
        {"attach_without_url",
         [](Env& e) {
             return e.small_matrix({"--attach", "antigravity-claude-proxy"});
         },
         2,
         {"--attach takes ID=URL"}},
        {"attach_not_loopback",
         [](Env& e) {
             return e.small_matrix({"--attach", "antigravity-claude-proxy=http://10.1.2.3:8045"});
         },
         2,
         {"only loopback"}},
        {"attach_invalid_port",
         [](Env& e) {
             return e.small_matrix({"--attach", "antigravity-claude-proxy=http://127.0.0.1:99999"});
         },
         2,
         {"--attach", "port out of range"}},
        {"attach_unreachable",
         [](Env& e) {
             routecheck::launch::ClosedPort closed;  // bound, never listening: refused; released when the run starts
             std::string url = "http://127.0.0.1:" + std::to_string(closed.port());
             return e.small_matrix({"--attach", "antigravity-claude-proxy=" + url});
         },
         1,
         {"antigravity-claude-proxy", "no HTTP answer"},
         Report::Incomplete},
        {"attach_non_http_server",
         [](Env& e) {
             return e.small_matrix({"--attach", "antigravity-claude-proxy=" + e.server(M::Garbage)});
         },
         1,
         {"antigravity-claude-proxy", "no HTTP answer"},
         Report::Incomplete},
        {"attach_server_closes_connection",
         [](Env& e) {
             return e.small_matrix({"--attach", "antigravity-claude-proxy=" + e.server(M::Close)});
         },
         1,
         {"antigravity-claude-proxy", "no HTTP answer"},
         Report::Incomplete},
        {"attach_server_never_answers",
         [](Env& e) {
             return e.small_matrix({"--attach", "antigravity-claude-proxy=" + e.server(M::Silent)});
         },
         1,
         {"antigravity-claude-proxy", "no HTTP answer"},
         Report::Incomplete},
        {"doctor_target_unreachable",
         [](Env&) {
             routecheck::launch::ClosedPort closed;
             return std::vector<std::string>{"doctor",
                                             "--client",
                                             "claude-code",
                                             "--base-url",
                                             "http://127.0.0.1:8045",
                                             "--proxy",
                                             "antigravity-claude-proxy",
                                             "--target",
                                             "http://127.0.0.1:" + std::to_string(closed.port())};
         },
         1,
         {"NOT_LISTENING"}},
        {"doctor_target_non_http",
         [](Env& e) {
             return std::vector<std::string>{"doctor",
                                             "--client",
                                             "claude-code",
                                             "--base-url",
                                             "http://127.0.0.1:8045",
                                             "--proxy",
                                             "antigravity-claude-proxy",
                                             "--target",
                                             e.server(M::Garbage)};
         },
         1,
         {"no HTTP answer"}},
        {"doctor_target_invalid",
         [](Env&) {
             return std::vector<std::string>{
                 "doctor", "--client", "claude-code", "--base-url", "http://127.0.0.1:8045", "--target", "ftp://x"};
         },
         2,
         {"--target", "not an http:// or https:// URL"}},
        {"paths_invalid_base_url",
         [](Env&) {
             return std::vector<std::string>{"paths", "--client", "claude-code", "--base-url",
                                             "http://127.0.0.1:0x50/v1"};
         },
         2,
         {"--base-url", "invalid port"}},
        {"launched_proxy_answers_garbage",
         [](Env& e) {
             e.scratch.add_test_proxy("hyg-garbage", "garbage", 2000);
             return e.small_matrix({"--proxy", "hyg-garbage"});
         },
         1,
         {"hyg-garbage", "did not become ready"},
         Report::Incomplete,
         true},
        {"launched_proxy_closes_connection",
         [](Env& e) {
             e.scratch.add_test_proxy("hyg-close", "close", 2000);
             return e.small_matrix({"--proxy", "hyg-close"});
         },
         1,
         {"hyg-close", "did not become ready"},
         Report::Incomplete,
         true},
        {"launched_proxy_unknown_placeholder",
         [](Env& e) {
             e.scratch.add_test_proxy("hyg-p", "serve");
             auto text = read_file(e.scratch.fixtures() / "proxies/hyg-p.json");
             e.scratch.write("proxies/hyg-p.json", replace(text, R"("PORT": "{port}")", R"("PORT": "{prot}")"));
             return e.small_matrix({"--proxy", "hyg-p"});
         },
         1,
         {"hyg-p.json", "/launch/env/PORT", "{prot}"},
         Report::Incomplete,
         true},
        // Issue 21.5: every fixture is validated by `validate`, with file and pointer.
        {"behaviour_status_as_string",
         [](Env& e) {
             e.proxy_with(R"("behaviour": {"options_status": "200"})");
             return e.validate();
         },
         2,
         {"hyg-p.json", "/behaviour/options_status", "expected an integer"}},
        {"auth_as_string",
         [](Env& e) {
             e.proxy_with(R"("auth": "key")");
             return e.validate();
         },
         2,
         {"hyg-p.json", "/auth", "expected an object"}},
        {"empty_program_name",
         [](Env& e) {
             e.scratch.add_test_proxy("hyg-p", "serve");
             e.scratch.write("proxies/hyg-p.json",
                             replace(read_file(e.scratch.fixtures() / "proxies/hyg-p.json"), R"("node")", R"("")"));
             return e.validate();
         },
         2,
         {"hyg-p.json", "/launch/command/0", "program name is empty"}},
        {"variant_not_loopback",
         [](Env& e) {
             e.scratch.write("variants.json",
                             R"({"variants":[{"id":"lan","base_url":"http://192.168.1.20:{port}/v1"}]})");
             return e.validate();
         },
         2,
         {"variants.json", "/variants/0/base_url", "not loopback"}},
        {"grid_timeout_as_string",
         [](Env& e) {
             e.scratch.add_test_proxy("hyg-p", "serve");
             e.scratch.write("grids/hyg-p.json", R"({"proxy":"hyg-p","setup":{"stream_timeout_ms":"6000"}})");
             return e.validate();
         },
         2,
         {"hyg-p.json", "/setup/stream_timeout_ms"}},
        {"grid_timeout_zero",
         [](Env& e) {
             e.scratch.add_test_proxy("hyg-p", "serve");
             e.scratch.write("grids/hyg-p.json", R"({"proxy":"hyg-p","setup":{"health_timeout_ms":0}})");
             return e.validate();
         },
         2,
         {"hyg-p.json", "/setup/health_timeout_ms", "out of range"}},
        {"grid_timeout_9e18",
         [](Env& e) {
             e.scratch.add_test_proxy("hyg-p", "serve");
             e.scratch.write("grids/hyg-p.json", R"({"proxy":"hyg-p","setup":{"stream_timeout_ms":9e18}})");
             return e.validate();
         },
         2,
         {"hyg-p.json", "/setup/stream_timeout_ms", "expected an integer"}},
        {"grid_timeout_9000000000000000000",
         [](Env& e) {
             e.scratch.add_test_proxy("hyg-p", "serve");
             e.scratch.write("grids/hyg-p.json",
                             R"({"proxy":"hyg-p","setup":{"health_timeout_ms":9000000000000000000}})");
             return e.matrix();
         },
         2,
         {"hyg-p.json", "/setup/health_timeout_ms", "out of range"}},
        {"grid_row_status_as_string",
         [](Env& e) {
             e.scratch.add_test_proxy("hyg-p", "serve");
             e.scratch.write("grids/hyg-p.json", R"({"proxy":"hyg-p","auth":{"no-key.known":{"status":"401"}}})");
             return e.validate();
         },
         2,
         {"hyg-p.json", "/auth/no-key.known/status"}},
        // Issue 20: the grid files and the row catalogue are typed; a misspelt key is an error, never a default.
        {"grid_setup_misspelt_key",
         [](Env& e) {
             e.scratch.add_test_proxy("hyg-p", "serve");
             e.scratch.write("grids/hyg-p.json", R"({"proxy":"hyg-p","setup":{"stream_protocls":["openai"]}})");
             return e.validate();
         },
         2,
         {"hyg-p.json", "/setup/stream_protocls", "unknown field"}},
        {"grid_catalogue_misspelt_key",
         [](Env& e) {
             e.scratch.add_test_proxy("hyg-p", "serve");  // a folder with only grids/ is no fixtures folder
             const std::string text = read_file(fs::path(ROUTECHECK_REPO_ROOT) / "fixtures/grids/catalogue.json");
             e.scratch.write("grids/catalogue.json", replace(text, R"("timeout_ms": 4000)", R"("timeout_msec": 4000)"));
             return e.validate();
         },
         2,
         {"catalogue.json", "/auth/timeout_msec", "unknown field"}},
        {"grid_catalogue_wrong_type",
         [](Env& e) {
             e.scratch.add_test_proxy("hyg-p", "serve");  // a folder with only grids/ is no fixtures folder
             const std::string text = read_file(fs::path(ROUTECHECK_REPO_ROOT) / "fixtures/grids/catalogue.json");
             e.scratch.write("grids/catalogue.json", replace(text, R"("timeout_ms": 4000)", R"("timeout_ms": "4000")"));
             return e.matrix();
         },
         2,
         {"catalogue.json", "/auth/timeout_ms", "expected an integer"}},
        {"deep_nesting_in_a_step_body",
         [](Env& e) {
             const std::string body = std::string(60000, '[') + std::string(60000, ']');
             e.scratch.write("clients/hyg-client.json", replace(kClient, R"("endpoint":"/v1/messages")",
                                                                R"("endpoint":"/v1/messages","body":)" + body));
             return e.validate();
         },
         2,
         {"hyg-client.json", "/steps/0/body/0/0", "nested deeper than"}},
        {"fifo_as_fixture",
         [](Env& e) {
             fs::create_directories(e.scratch.fixtures() / "clients");
             ::mkfifo((e.scratch.fixtures() / "clients/hyg-client.json").c_str(), 0600);
             return e.validate();
         },
         2,
         {"hyg-client.json", "not a regular file"}},
        {"symlink_loop_as_fixture",
         [](Env& e) {
             fs::create_directories(e.scratch.fixtures() / "clients");
             fs::create_symlink("hyg-client.json", e.scratch.fixtures() / "clients/hyg-client.json");
             return e.validate();
         },
         2,
         {"hyg-client.json", "cannot open file"}},
        {"oversized_fixture",
         [](Env& e) {
             e.scratch.write("clients/hyg-client.json", kClient);
             fs::resize_file(e.scratch.fixtures() / "clients/hyg-client.json", (8u << 20) + 1);
             return e.validate();
         },
         2,
         {"hyg-client.json", "over the limit"}},
        // Issue 21.6: junk after an IPv6 host is an error, not port 80.
        {"paths_junk_after_ipv6_host",
         [](Env&) {
             return std::vector<std::string>{"paths", "--client", "claude-code", "--base-url",
                                             "http://[::1]junk:8045/v1"};
         },
         2,
         {"--base-url", "after the IPv6 address"}},
        {"launched_proxy_missing_program",
         [](Env& e) {
             e.scratch.add_test_proxy("hyg-p", "serve");
             auto text = read_file(e.scratch.fixtures() / "proxies/hyg-p.json");
             e.scratch.write("proxies/hyg-p.json", replace(text, R"("node")", R"("no-such-program-rc")"));
             return e.small_matrix({"--proxy", "hyg-p"});
         },
         1,
         {"hyg-p", "no-such-program-rc", "not found"},
         Report::Incomplete},
    };
}

class BadInputCli : public testing::TestWithParam<BadInput> {};

TEST_P(BadInputCli, ExitCodeMessageNoCompleteReport) {
    const BadInput& c = GetParam();
    if (c.needs_node && !have_node()) GTEST_SKIP() << "node is not installed";
    Scratch scratch;
    std::vector<std::unique_ptr<RawServer>> servers;
    Env env{scratch, servers};
    auto args = c.setup(env);
    auto r = run_routecheck(args, scratch.log("run"), 45s);
    ASSERT_TRUE(r.in_time) << c.name << ": hang\n" << r.output;
    EXPECT_FALSE(r.signaled) << c.name << ": crashed\n" << r.output;
    EXPECT_EQ(r.code, c.code) << c.name << "\n" << r.output;
    for (const auto& s : c.says)
        EXPECT_NE(r.output.find(s), std::string::npos) << c.name << ": no '" << s << "' in\n" << r.output;
    const fs::path report = scratch.out() / "matrix.json";
    if (c.report == Report::None) {
        EXPECT_FALSE(fs::exists(report)) << c.name << ": a report was written for input that was refused";
    } else {
        ASSERT_TRUE(fs::exists(report)) << r.output;
        auto j = nlohmann::json::parse(read_file(report));
        EXPECT_EQ(j.value("complete", true), false) << c.name << ": the report says complete";
    }
    auto left = leftovers(scratch.root().string());
    EXPECT_TRUE(left.empty()) << describe(left);
    kill_all(left);
}

INSTANTIATE_TEST_SUITE_P(Table, BadInputCli, testing::ValuesIn(cases()),
                         [](const testing::TestParamInfo<BadInput>& i) { return i.param.name; });

TEST(BadInputTable, HasAtLeastTwentyKinds) { EXPECT_GE(cases().size(), 20u); }

}  // namespace
