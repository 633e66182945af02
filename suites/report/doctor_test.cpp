// `routecheck doctor` on the troubleshooting document's cases, through the built binary and its --json output.
// Without --target it answers from the antigravity-tools profile alone; with --target it probes a server here.
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "launch/ports.hpp"

namespace {

struct DoctorRun {
    int exit = -1;
    std::string out;
    nlohmann::json json;
};

std::string quote(const std::string& s) { return "'" + s + "'"; }

DoctorRun doctor(const std::vector<std::string>& args, bool json = true) {
    std::string cmd = quote(ROUTECHECK_BIN) + " doctor";
    for (const auto& a : args) cmd += " " + quote(a);
    if (json) cmd += " --json";
    cmd += " 2>&1";
    DoctorRun r;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return r;
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    int status = pclose(p);
    r.exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (json) r.json = nlohmann::json::parse(r.out, nullptr, false);
    return r;
}

std::string verdict(const DoctorRun& r) {
    if (!r.json.is_object()) return "<no JSON: " + r.out + ">";
    return r.json["verdict"]["class"].get<std::string>();
}

// The document: "El SDK de OpenAI generalmente requiere que coloques /v1 en la Base URL".
TEST(Doctor, OpenAiSdkAtHostPortIsMissingVersionAndTheFixNamesV1) {
    DoctorRun r =
        doctor({"--client", "openai-node", "--base-url", "http://127.0.0.1:8045", "--proxy", "antigravity-tools"});
    ASSERT_EQ(verdict(r), "MISSING_VERSION") << r.out;
    EXPECT_EQ(r.exit, 1);
    EXPECT_NE(r.json["verdict"]["fix"].get<std::string>().find("http://127.0.0.1:8045/v1"), std::string::npos) << r.out;
    EXPECT_EQ(r.json["recommended"]["base_url"], "http://127.0.0.1:8045/v1");
    EXPECT_EQ(r.json["checked_live"], false);
    EXPECT_EQ(r.json["steps"][0]["request"], "GET /models");
}

// Routes land, but claude-code-router reads its key from authorization / x-api-key and Gemini clients send
// x-goog-api-key: the doctor says AUTH_MISSING (a key problem, not a Base URL problem) before anything is sent.
TEST(Doctor, KeyHeaderTheProxyDoesNotReadIsAuthNotRoute) {
    DoctorRun r =
        doctor({"--client", "gemini-cli", "--base-url", "http://127.0.0.1:3456", "--proxy", "claude-code-router"});
    ASSERT_EQ(verdict(r), "AUTH_MISSING") << r.out;
    EXPECT_EQ(r.exit, 1);
    EXPECT_EQ(r.json["verdict"]["base_url"], nullptr) << "the paths themselves are fine: no Base URL fix";
    EXPECT_NE(r.json["verdict"]["fix"].get<std::string>().find("must accept x-goog-api-key"), std::string::npos)
        << r.out;
    EXPECT_EQ(r.json["recommended"]["base_url"], "http://127.0.0.1:3456");
    const std::string caveat = r.json["recommended"]["caveat"];
    EXPECT_NE(caveat.find("x-goog-api-key"), std::string::npos) << caveat;
    EXPECT_NE(caveat.find("authorization or x-api-key"), std::string::npos) << caveat;
    // A client that sends x-api-key gets no caveat from the same proxy.
    // Nothing sent, so nothing confirms it: unverified (exit 3), never "OK (works)".
    DoctorRun ok =
        doctor({"--client", "claude-code", "--base-url", "http://127.0.0.1:3456", "--proxy", "claude-code-router"});
    EXPECT_EQ(verdict(ok), "SKIPPED") << ok.out;
    EXPECT_EQ(ok.exit, 3);
    EXPECT_EQ(ok.json["works"], false);
    EXPECT_EQ(ok.json["recommended"]["caveat"], "");
}

TEST(Doctor, OpenAiSdkAtV1IsRightButUnverifiedWithoutATarget) {
    DoctorRun r =
        doctor({"--client", "openai-node", "--base-url", "http://127.0.0.1:8045/v1", "--proxy", "antigravity-tools"});
    EXPECT_EQ(verdict(r), "SKIPPED") << r.out;
    EXPECT_EQ(r.exit, 3);
    EXPECT_EQ(r.json["works"], false);
    EXPECT_NE(r.json["verdict"]["reason"].get<std::string>().find("is a route"), std::string::npos) << r.out;
}

// "Aparece /v1/v1/: la Base URL incluye /v1 y el cliente la concatenó nuevamente".
TEST(Doctor, ClaudeCodeAtV1DoublesThePrefix) {
    DoctorRun r =
        doctor({"--client", "claude-code", "--base-url", "http://127.0.0.1:8045/v1", "--proxy", "antigravity-tools"});
    ASSERT_EQ(verdict(r), "DUPLICATE_PREFIX") << r.out;
    EXPECT_EQ(r.exit, 1);
    EXPECT_EQ(r.json["steps"][0]["path"], "/v1/v1/messages");
    EXPECT_NE(r.json["verdict"]["fix"].get<std::string>().find("http://127.0.0.1:8045"), std::string::npos) << r.out;
}

// "Aparece /v1/chat/completions/responses: cliente de rutas superpuestas".
TEST(Doctor, KiloCodeWithAnEndpointInTheBaseUrl) {
    DoctorRun r = doctor({"--client", "kilo-code-openai", "--base-url", "http://127.0.0.1:8045/v1/chat/completions",
                          "--proxy", "antigravity-tools"});
    ASSERT_EQ(verdict(r), "ENDPOINT_IN_BASE") << r.out;
    EXPECT_EQ(r.exit, 1);
    EXPECT_EQ(r.json["steps"][0]["request"], "POST /v1/chat/completions/responses");
    EXPECT_EQ(r.json["verdict"]["base_url"], "http://127.0.0.1:8045/v1");
}

// "Error 3: Puerto incorrecto. Síntoma: Connection refused".
TEST(Doctor, ClosedPortIsNotListening) {
    routecheck::launch::ClosedPort closed;
    std::string target = "http://127.0.0.1:" + std::to_string(closed.port());
    DoctorRun r = doctor({"--client", "openai-node", "--base-url", "http://127.0.0.1:8045/v1", "--target", target});
    ASSERT_EQ(verdict(r), "NOT_LISTENING") << r.out;
    EXPECT_EQ(r.exit, 1);
    EXPECT_EQ(r.json["up"]["checked"], true);
    EXPECT_EQ(r.json["up"]["listening"], false);
}

// A server that answers 401 to everything and remembers what it was asked.
class Always401 {
public:
    Always401() {
        // The logger runs after the handler, so the body has been read: "METHOD /path [+key] BODY".
        server_.set_logger([this](const httplib::Request& q, const httplib::Response&) {
            std::lock_guard<std::mutex> lock(mu_);
            lines_.push_back(q.method + " " + q.path + (q.has_header("authorization") ? " +key" : "") + " " + q.body);
        });
        server_.set_error_handler([](const httplib::Request&, httplib::Response& res) { res.status = 401; });
        server_.Get(".*", [](const httplib::Request&, httplib::Response& res) { res.status = 401; });
        server_.Post(".*", [](const httplib::Request&, httplib::Response& res) { res.status = 401; });
        port_ = server_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        // The socket already listens after bind_to_any_port; this only waits for the accept loop, with a deadline.
        for (int i = 0; i < 200 && !server_.is_running(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ~Always401() {
        server_.stop();
        thread_.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    std::vector<std::string> lines() {
        std::lock_guard<std::mutex> lock(mu_);
        return lines_;
    }

private:
    httplib::Server server_;
    std::thread thread_;
    int port_ = 0;
    std::mutex mu_;
    std::vector<std::string> lines_;
};

// "Paso 2: Confirmar que te encuentras con un error 404 (no 401)".
TEST(Doctor, A401IsAuthMissingNotARouteProblem) {
    Always401 server;
    DoctorRun r = doctor({"--client", "openai-node", "--base-url", server.url() + "/v1", "--target", server.url()});
    ASSERT_EQ(verdict(r), "AUTH_MISSING") << r.out;
    EXPECT_EQ(r.exit, 1);
    EXPECT_EQ(r.json["up"]["listening"], true);
    EXPECT_EQ(r.json["steps"][1]["request"], "POST /v1/chat/completions");
    EXPECT_EQ(r.json["steps"][1]["status"], 401);
    EXPECT_NE(r.json["verdict"]["fix"].get<std::string>().find("authorization: Bearer <key>"), std::string::npos)
        << r.out;
}

// The client sends to the Base URL's address, not to --target: a Base URL at a port where nothing listens is
// NOT_LISTENING whatever the target answered, and the fix moves it to the target's address; at a port where
// something else listens, the verdict stands and a warning says the steps went elsewhere.
TEST(Doctor, ABaseUrlAtAnotherAddressThanTheTargetIsSaid) {
    Always401 server;
    routecheck::launch::ClosedPort closed;
    const std::string nowhere = "http://127.0.0.1:" + std::to_string(closed.port());
    DoctorRun r = doctor({"--client", "openai-node", "--base-url", nowhere + "/v1", "--target", server.url()});
    ASSERT_EQ(verdict(r), "NOT_LISTENING") << r.out;
    EXPECT_EQ(r.exit, 1);
    EXPECT_EQ(r.json["verdict"]["base_url"], server.url() + "/v1") << r.out;
    Always401 other;
    DoctorRun w = doctor({"--client", "openai-node", "--base-url", other.url() + "/v1", "--target", server.url()});
    ASSERT_EQ(verdict(w), "AUTH_MISSING") << w.out;
    ASSERT_TRUE(w.json["warnings"].is_array()) << w.out;
    ASSERT_FALSE(w.json["warnings"].empty()) << w.out;
    EXPECT_NE(w.json["warnings"][0].get<std::string>().find("is not --target"), std::string::npos) << w.out;
}

// A step that spends quota is sent only as a probe whose body holds nothing to generate from.
TEST(Doctor, NeverSendsABillableBody) {
    Always401 server;
    DoctorRun r = doctor({"--client", "openai-node", "--base-url", "http://127.0.0.1:8045/v1", "--target", server.url(),
                          "--api-key", "k"});
    ASSERT_TRUE(r.json.is_object()) << r.out;
    auto seen = server.lines();
    EXPECT_NE(std::find(seen.begin(), seen.end(), "GET /v1/models +key "), seen.end());
    // Every POST body holds nothing to generate from: no messages, contents, input or prompt.
    for (const auto& line : seen) {
        if (line.rfind("POST", 0) != 0) continue;
        auto body = nlohmann::json::parse(
            line.substr(line.find('{') == std::string::npos ? line.size() : line.find('{')), nullptr, false);
        ASSERT_TRUE(body.is_object()) << line;
        for (const char* k : {"messages", "contents", "input", "prompt"}) EXPECT_FALSE(body.contains(k)) << line;
    }
    for (const auto& s : r.json["steps"])
        if (s["method"] == "POST") EXPECT_EQ(s["evidence"], "probe") << s.dump();
}

TEST(Doctor, PlainTextFollowsTheDocumentsSteps) {
    DoctorRun r = doctor(
        {"--client", "openai-node", "--base-url", "http://127.0.0.1:8045", "--proxy", "antigravity-tools"}, false);
    EXPECT_EQ(r.exit, 1);
    for (const char* s : {"1. Is the proxy up?", "2. Which path", "what came back", "3. Verdict: MISSING_VERSION"})
        EXPECT_NE(r.out.find(s), std::string::npos) << s << "\n" << r.out;
}

TEST(Doctor, UsageErrorsExitTwo) {
    EXPECT_EQ(doctor({"--client", "no-such-client", "--base-url", "http://127.0.0.1:8045"}).exit, 2);
    EXPECT_EQ(doctor({"--client", "openai-node", "--base-url", "ftp://x"}).exit, 2);
    EXPECT_EQ(doctor({"--client", "openai-node"}).exit, 2);
    EXPECT_EQ(doctor({"--client", "openai-node", "--base-url", "http://127.0.0.1:1", "--proxy", "nope"}).exit, 2);
}

// The document's checkpoint table, made exact: which client at which Base URL builds a logged path.
TEST(DoctorSeen, GivesTheDocumentsAnswersAndSaysWhenNoClientBuildsAPath) {
    DoctorRun r = doctor(
        {"--seen", "POST /v1/v1/chat/completions 404", "--seen", "POST /v1/chat/completions/responses 404", "--seen",
         "POST /v1beta/models/gemini-2.5-flash:generateContent 200", "--seen", "GET /no/client/builds/this 404"});
    ASSERT_TRUE(r.json.is_object()) << r.out;
    const auto& lines = r.json["lines"];
    ASSERT_EQ(lines.size(), 4u) << r.out;
    auto verdict_of = [&](const nlohmann::json& line, const std::string& client) -> nlohmann::json {
        for (const auto& c : line["clients"])
            if (c["client"] == client) return c["verdict"];
        return nullptr;
    };
    // "/v1/v1/...": the Base URL holds /v1 twice; the OpenAI SDK's fix is .../v1.
    auto dup = verdict_of(lines[0], "openai-node");
    ASSERT_TRUE(dup.is_object()) << r.out;
    EXPECT_EQ(dup["class"], "DUPLICATE_PREFIX");
    EXPECT_EQ(dup["base_url"], "http://127.0.0.1:8045/v1");
    // "/v1/chat/completions/responses": an endpoint in the Base URL (Kilo Code's OpenAI mode).
    auto eib = verdict_of(lines[1], "kilo-code-openai");
    ASSERT_TRUE(eib.is_object()) << r.out;
    EXPECT_EQ(eib["class"], "ENDPOINT_IN_BASE");
    EXPECT_EQ(eib["base_url"], "http://127.0.0.1:8045/v1");
    // "/v1beta/models/...": the Gemini clients at the bare host, and it works.
    auto gem = verdict_of(lines[2], "gemini-cli");
    ASSERT_TRUE(gem.is_object()) << r.out;
    EXPECT_EQ(gem["class"], "OK");
    EXPECT_EQ(verdict_of(lines[2], "genai-node")["class"], "OK");
    // A path no known client builds is said so, and makes the exit code 1.
    EXPECT_TRUE(lines[3]["clients"].empty());
    EXPECT_NE(lines[3]["note"].get<std::string>().find("no known client builds this path"), std::string::npos);
    EXPECT_EQ(r.exit, 1);
}

TEST(DoctorSeen, ABadLineIsAUsageError) {
    EXPECT_EQ(doctor({"--seen", "not a request line"}).exit, 2);
    EXPECT_EQ(doctor({"--log", "/nonexistent/routecheck-log"}).exit, 2);
}

}  // namespace

namespace {

// Issue 19.6: doctor takes a Base URL as the user typed it (https, upper case, spaces, another host, dot segments)
// without a connection, and the fix Base URL keeps the typed scheme and host.
TEST(Doctor, BaseUrlAsTypedKeepsItsSchemeAndHostInTheFix) {
    for (const std::string typed : {"https://[::1]:8045/v1", " HTTPS://[::1]:8045/x/../v1 "}) {
        DoctorRun r = doctor({"--client", "claude-code", "--base-url", typed, "--proxy", "antigravity-claude-proxy"});
        ASSERT_EQ(verdict(r), "DUPLICATE_PREFIX") << typed << "\n" << r.out;
        EXPECT_EQ(r.json["verdict"]["base_url"], "https://[::1]:8045") << r.out;
        EXPECT_EQ(r.json["recommended"]["base_url"], "https://[::1]:8045") << r.out;
        EXPECT_EQ(r.json["steps"][0]["request"], "POST /v1/v1/messages?beta=true") << r.out;
    }
    DoctorRun lan =
        doctor({"--client", "openai-node", "--base-url", "http://gateway.lan:8045", "--proxy", "antigravity-tools"});
    ASSERT_EQ(verdict(lan), "MISSING_VERSION") << lan.out;
    EXPECT_EQ(lan.json["verdict"]["base_url"], "http://gateway.lan:8045/v1") << lan.out;
}

}  // namespace
