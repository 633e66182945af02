// Bad fixtures are reported with the file and the JSON pointer of the bad field, before anything runs.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <future>
#include <random>

#include "model/fixtures.hpp"
#include "model/json_access.hpp"

namespace {

namespace fs = std::filesystem;
using namespace routecheck;

const char* kVariants = R"({"variants":[{"id":"root","base_url":"http://127.0.0.1:{port}"}]})";
const char* kClient = R"({"id":"c1","name":"C","protocol":"openai","provenance":{"kind":"recorded"},
  "join":{"rule":"concat"},"auth":{"header":"authorization","prefix":"Bearer "},
  "steps":[{"id":"list.models","method":"GET","endpoint":"/models"}]})";
const char* kProxy = R"({"id":"p1","name":"P","provenance":"source","health":{"path":"/health"},
  "capabilities":["openai"],"routes":[{"method":"GET","path":"/v1/models"}]})";

class FixtureDir : public testing::Test {
protected:
    void SetUp() override {
        std::random_device rd;
        dir_ = fs::temp_directory_path() / ("rc-fixtures-" + std::to_string(rd()));
        fs::create_directories(dir_ / "clients");
        fs::create_directories(dir_ / "proxies");
        fs::create_directories(dir_ / "expected");
        write("variants.json", kVariants);
        write("clients/c1.json", kClient);
        write("proxies/p1.json", kProxy);
    }
    void TearDown() override { fs::remove_all(dir_); }
    void write(const std::string& rel, const std::string& text) {
        fs::create_directories((dir_ / rel).parent_path());
        std::ofstream(dir_ / rel) << text;
    }
    fs::path dir_;
};

TEST_F(FixtureDir, AClientThatIgnoresTheBaseUrlLoadsWithoutSteps) {
    write("clients/c1.json", R"({"id":"c1","name":"C","protocol":"gemini","provenance":{"kind":"recorded"},
      "join":{"rule":"concat"},"auth":{"header":"x-goog-api-key"},"base_url_ignored":"sends to the vendor's host",
      "steps":[],"recordings":[{"variant":"root","base_url":"http://127.0.0.1:{port}","requests":[]}]})");
    Fixtures f = load_fixtures({dir_});
    ASSERT_EQ(f.clients.size(), 1u);
    EXPECT_TRUE(f.clients[0].steps.empty());
    EXPECT_EQ(f.clients[0].base_url_ignored, "sends to the vendor's host");
}

TEST_F(FixtureDir, JoinOptionsLoad) {
    write("clients/c1.json", R"({"id":"c1","name":"C","protocol":"openai","provenance":{"kind":"recorded"},
      "join":{"rule":"concat","strip_suffix":["/v1","/v1beta"],"endpoint_if_missing":true},"auth":{"header":"authorization"},
      "steps":[{"id":"list.models","method":"GET","endpoint":"/models"}]})");
    Fixtures f = load_fixtures({dir_});
    ASSERT_EQ(f.clients.size(), 1u);
    EXPECT_EQ(f.clients[0].join.strip_suffix, (std::vector<std::string>{"/v1", "/v1beta"}));
    EXPECT_TRUE(f.clients[0].join.endpoint_if_missing);
    EXPECT_FALSE(f.clients[0].join.version_if_missing);
}

TEST_F(FixtureDir, ValidFixturesLoad) {
    Fixtures f = load_fixtures({dir_});
    ASSERT_EQ(f.clients.size(), 1u);
    EXPECT_EQ(f.clients[0].steps[0].endpoint, "/models");
    EXPECT_EQ(f.proxies[0].routes.size(), 1u);
}

struct BadCase {
    std::string name, file, text, want_file, want_pointer;
};

class BadFixture : public FixtureDir, public testing::WithParamInterface<BadCase> {};

TEST_P(BadFixture, IsReportedWithFileAndPointer) {
    const auto& c = GetParam();
    if (!c.file.empty()) write(c.file, c.text);
    try {
        load_fixtures({dir_});
        FAIL() << c.name << ": loaded without error";
    } catch (const FixtureError& e) {
        EXPECT_NE(e.file().find(c.want_file), std::string::npos) << c.name << ": " << e.what();
        EXPECT_EQ(e.pointer(), c.want_pointer) << c.name << ": " << e.what();
    }
}

std::string test_name(std::string s) {
    for (auto& ch : s)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
    return s;
}

// The proxy profile with one more top-level member.
std::string proxy_with(const std::string& member) {
    std::string s = kProxy;
    s.insert(s.rfind('}'), "," + member);
    return s;
}

// The source proxy p1 with a "behaviour" section.
std::string proxy_behaving(const std::string& behaviour) {
    std::string s = kProxy;
    return s.substr(0, s.rfind('}')) + R"(,"behaviour":)" + behaviour + "}";
}

// An observed probe table for p1 with one configuration ("on") and the given rows.
std::string observed_with(const std::string& rows, const std::string& config = R"({"auth":"off","run":"r"})") {
    return R"x({"proxy":"p1","provenance":"observed:v1 (test)","configurations":{"on":)x" + config + R"(},"rows":)" +
           rows + "}";
}

std::string client_with(const std::string& from, const std::string& to) {
    std::string s = kClient;
    auto p = s.find(from);
    s.replace(p, from.size(), to);
    return s;
}

// A launched proxy profile with `section` (ending in a comma) before "launch" and `launch_extra` inside it.
std::string launched_with(const std::string& section, const std::string& launch_extra = "") {
    return R"({"id":"p1","name":"P","provenance":"launched",)" + section +
           R"("launch":{"command":["x"],"ready_path":"/h")" + launch_extra +
           R"(},"health":{"path":"/h"},"capabilities":[],"routes":[{"method":"GET","path":"/h"}]})";
}

INSTANTIATE_TEST_SUITE_P(
    Table, BadFixture,
    testing::Values(
        BadCase{"invalid JSON", "clients/c1.json", "{\"id\": ", "c1.json", ""},
        BadCase{"missing field", "clients/c1.json", client_with(R"("name":"C",)", ""), "c1.json", "/name"},
        BadCase{"mistyped field", "clients/c1.json", client_with(R"("name":"C")", R"("name":3)"), "c1.json", "/name"},
        BadCase{"unknown field", "clients/c1.json", client_with(R"("name":"C")", R"("name":"C","nmae":"x")"), "c1.json",
                "/nmae"},
        BadCase{"unknown join rule", "clients/c1.json", client_with(R"("rule":"concat")", R"("rule":"glue")"),
                "c1.json", "/join/rule"},
        BadCase{"strip_suffix without a leading slash", "clients/c1.json",
                client_with(R"("rule":"concat")", R"("rule":"concat","strip_suffix":["/v1","v1beta"])"), "c1.json",
                "/join/strip_suffix/1"},
        BadCase{"strip_suffix with a trailing slash", "clients/c1.json",
                client_with(R"("rule":"concat")", R"("rule":"concat","strip_suffix":["/v1/"])"), "c1.json",
                "/join/strip_suffix/0"},
        BadCase{"endpoint_if_missing with resolve", "clients/c1.json",
                client_with(R"("join":{"rule":"concat"})", R"("join":{"rule":"resolve","endpoint_if_missing":true})"),
                "c1.json", "/join/rule"},
        BadCase{"version_if_missing not a boolean", "clients/c1.json",
                client_with(R"("rule":"concat")", R"("rule":"concat","version_if_missing":"yes")"), "c1.json",
                "/join/version_if_missing"},
        BadCase{"base_url_ignored with steps", "clients/c1.json",
                client_with(R"("join":)", R"("base_url_ignored":"sends to the vendor's host","join":)"), "c1.json",
                "/steps"},
        BadCase{"base_url_ignored empty", "clients/c1.json",
                client_with(R"("join":)", R"("base_url_ignored":"","join":)"), "c1.json", "/base_url_ignored"},
        BadCase{"bad method", "clients/c1.json", client_with(R"("method":"GET")", R"("method":"FETCH")"), "c1.json",
                "/steps/0/method"},
        BadCase{"endpoint with query", "clients/c1.json", client_with(R"("/models")", R"("/models?x=1")"), "c1.json",
                "/steps/0/endpoint"},
        BadCase{"unknown key carrier", "clients/c1.json",
                client_with(R"("header":"authorization")", R"("header":"cookie")"), "c1.json", "/auth/header"},
        BadCase{"empty steps", "clients/c1.json",
                client_with(R"([{"id":"list.models","method":"GET","endpoint":"/models"}])", "[]"), "c1.json",
                "/steps"},
        BadCase{"duplicate step id", "clients/c1.json",
                client_with(R"([{"id":"list.models","method":"GET","endpoint":"/models"}])",
                            R"([{"id":"a","method":"GET","endpoint":"/m"},{"id":"a","method":"GET","endpoint":"/m"}])"),
                "c1.json", "/steps/1/id"},
        BadCase{"id differs from file name", "clients/c2.json", client_with(R"("id":"c1")", R"("id":"c3")"), "c2.json",
                "/id"},
        BadCase{"invalid id", "clients/c1.json", client_with(R"("id":"c1")", R"("id":"C 1")"), "c1.json", "/id"},
        BadCase{"variant without port", "variants.json",
                R"({"variants":[{"id":"root","base_url":"http://127.0.0.1:80"}]})", "variants.json",
                "/variants/0/base_url"},
        BadCase{"variant not http", "variants.json", R"({"variants":[{"id":"root","base_url":"ftp://{port}"}]})",
                "variants.json", "/variants/0/base_url"},
        BadCase{"proxy without routes", "proxies/p1.json",
                R"({"id":"p1","name":"P","provenance":"source","health":{"path":"/h"},"capabilities":[],"routes":[]})",
                "p1.json", "/routes"},
        BadCase{"launched proxy without launch", "proxies/p1.json",
                R"({"id":"p1","name":"P","provenance":"launched","health":{"path":"/h"},"capabilities":[],
                    "routes":[{"method":"GET","path":"/h"}]})",
                "p1.json", ""},
        BadCase{"route without slash", "proxies/p1.json",
                R"({"id":"p1","name":"P","provenance":"source","health":{"path":"/h"},"capabilities":[],
                    "routes":[{"method":"GET","path":"h"}]})",
                "p1.json", "/routes/0/path"},
        BadCase{"expected row for unknown client", "expected/p1.json",
                R"({"proxy":"p1","cells":{"nobody":{"root":[]}}})", "p1.json", "/cells/nobody"},
        BadCase{"expected row for unknown variant", "expected/p1.json",
                R"({"proxy":"p1","cells":{"c1":{"nowhere":[]}}})", "p1.json", "/cells/c1/nowhere"},
        BadCase{"expected row for unknown step", "expected/p1.json",
                R"({"proxy":"p1","cells":{"c1":{"root":[{"step":"x","request":"GET /","status":200}]}}})", "p1.json",
                "/cells/c1/root/0/step"},
        BadCase{"expected status out of range", "expected/p1.json",
                R"({"proxy":"p1","cells":{"c1":{"root":[{"step":"list.models","request":"GET /","status":999}]}}})",
                "p1.json", "/cells/c1/root/0/status"},
        BadCase{"behaviour with an unknown field", "proxies/p1.json", proxy_behaving(R"({"auth_exmpt":[]})"), "p1.json",
                "/behaviour/auth_exmpt"},
        BadCase{"behaviour override without status", "proxies/p1.json",
                proxy_behaving(R"({"route_status_overrides":[{"path":"/v1/models"}]})"), "p1.json",
                "/behaviour/route_status_overrides/0"},
        BadCase{"behaviour override with path and paths", "proxies/p1.json",
                proxy_behaving(R"({"route_status_overrides":[{"path":"/a","paths":["/b"],"status":400}]})"), "p1.json",
                "/behaviour/route_status_overrides/0"},
        BadCase{"behaviour override upstream condition", "proxies/p1.json",
                proxy_behaving(R"({"route_status_overrides":[{"path":"/a","upstream":"down","status":503}]})"),
                "p1.json", "/behaviour/route_status_overrides/0/upstream"},
        BadCase{"behaviour status out of range", "proxies/p1.json", proxy_behaving(R"({"unknown_status":4040})"),
                "p1.json", "/behaviour/unknown_status"},
        BadCase{"admin route without method", "proxies/p1.json",
                proxy_behaving(R"({"admin":{"routes":["/api/config"]}})"), "p1.json", "/behaviour/admin/routes/0"},
        BadCase{"deployment without when", "proxies/p1.json",
                proxy_behaving(R"({"deployments":{"ui":{"unknown_get_status":200}}})"), "p1.json",
                "/behaviour/deployments/ui/when"},
        BadCase{"observed row with unknown configuration", "observed/p1.json",
                observed_with(
                    R"([{"request":"GET /v1/models","key":"none","via":["none"],"configs":["off"],"status":200}])"),
                "p1.json", "/rows/0/configs/0"},
        BadCase{"observed row with unknown carrier", "observed/p1.json",
                observed_with(
                    R"([{"request":"GET /v1/models","key":"right","via":["cookie"],"configs":["on"],"status":200}])"),
                "p1.json", "/rows/0/via/0"},
        BadCase{
            "observed row without method", "observed/p1.json",
            observed_with(R"([{"request":"/v1/models","key":"none","via":["none"],"configs":["on"],"status":200}])"),
            "p1.json", "/rows/0/request"},
        BadCase{"observed deployment the profile lacks", "observed/p1.json",
                observed_with(R"([{"request":"GET /","key":"none","via":["none"],"configs":["on"],"status":200}])",
                              R"({"auth":"off","deployment":"ui","run":"r"})"),
                "p1.json", "/configurations/on/deployment"},
        BadCase{"observed table not marked observed", "observed/p1.json",
                R"({"proxy":"p1","provenance":"predicted","configurations":{},"rows":[]})", "p1.json", "/provenance"},
        BadCase{"expected table for unknown proxy", "expected/p9.json", R"({"proxy":"p9","cells":{}})", "p9.json",
                "/proxy"},
        BadCase{"package from an unknown registry", "proxies/p1.json", launched_with(R"("package":{"registry":"cargo",
                    "name":"x","version":"1","dir":"rust/x","installed":"bin/x"},)"),
                "p1.json", "/package/registry"},
        BadCase{"package dir not relative", "proxies/p1.json", launched_with(R"("package":{"registry":"pypi",
                    "name":"x","version":"1","dir":"/opt/x","installed":".venv/bin/x"},)"),
                "p1.json", "/package/dir"},
        BadCase{"both npm and package", "proxies/p1.json",
                launched_with(R"("npm":{"package":"x","version":"1","dir":"npm/x"},
                    "package":{"registry":"go","name":"x","version":"1","dir":"go/x","installed":"bin/x"},)"),
                "p1.json", "/package"},
        BadCase{"after_ready request with a bad method", "proxies/p1.json",
                launched_with("", R"(,"after_ready":[{"method":"SEND","path":"/api/accounts"}])"), "p1.json",
                "/launch/after_ready/0/method"},
        BadCase{"after_ready path without slash", "proxies/p1.json",
                launched_with("", R"(,"after_ready":[{"method":"POST","path":"api/accounts"}])"), "p1.json",
                "/launch/after_ready/0/path"},
        BadCase{"ready_status out of range", "proxies/p1.json", launched_with("", R"(,"ready_status":2000)"), "p1.json",
                "/launch/ready_status"},
        // Issue 21.5: every field of the behaviour contract and the auth section has its type checked.
        BadCase{"behaviour status as string", "proxies/p1.json", proxy_behaving(R"({"options_status":"200"})"),
                "p1.json", "/behaviour/options_status"},
        BadCase{"behaviour flag as string", "proxies/p1.json", proxy_behaving(R"({"auth_before_routing":"yes"})"),
                "p1.json", "/behaviour/auth_before_routing"},
        BadCase{"behaviour exempt list as string", "proxies/p1.json", proxy_behaving(R"({"auth_exempt":"/health"})"),
                "p1.json", "/behaviour/auth_exempt"},
        BadCase{"behaviour override status as string", "proxies/p1.json",
                proxy_behaving(R"({"route_status_overrides":[{"path":"/x","status":"400"}]})"), "p1.json",
                "/behaviour/route_status_overrides/0/status"},
        BadCase{"auth as string", "proxies/p1.json", proxy_with(R"("auth":"key")"), "p1.json", "/auth"},
        BadCase{"auth key as number", "proxies/p1.json", proxy_with(R"("auth":{"key":5})"), "p1.json", "/auth/key"},
        BadCase{"public header that is no extra header", "proxies/p1.json",
                proxy_with(R"("public_headers":["x-nope"])"), "p1.json", "/public_headers/0"},
        BadCase{"empty program name", "proxies/p1.json",
                R"({"id":"p1","name":"P","provenance":"launched","health":{"path":"/h"},"capabilities":[],
                    "launch":{"command":["","x"],"ready_path":"/h"},"routes":[{"method":"GET","path":"/h"}]})",
                "p1.json", "/launch/command/0"},
        // Issue 21.5: the matrix sends every step to a variant's Base URL: loopback only, as --attach.
        BadCase{"variant not loopback", "variants.json",
                R"({"variants":[{"id":"root","base_url":"http://10.0.0.1:{port}"}]})", "variants.json",
                "/variants/0/base_url"},
        BadCase{"variant on a LAN name", "variants.json",
                R"({"variants":[{"id":"root","base_url":"http://gateway.lan:{port}/v1"}]})", "variants.json",
                "/variants/0/base_url"},
        // Issue 21.5: the grid files (setup and expected rows) are validated like every other fixture.
        BadCase{"grid timeout as string", "grids/p1.json", R"({"proxy":"p1","setup":{"stream_timeout_ms":"6000"}})",
                "grids/p1.json", "/setup/stream_timeout_ms"},
        BadCase{"grid timeout zero", "grids/p1.json", R"({"proxy":"p1","setup":{"health_timeout_ms":0}})",
                "grids/p1.json", "/setup/health_timeout_ms"},
        BadCase{"grid timeout huge", "grids/p1.json",
                R"({"proxy":"p1","setup":{"stream_timeout_ms":9000000000000000000}})", "grids/p1.json",
                "/setup/stream_timeout_ms"},
        BadCase{"grid stream protocol unknown", "grids/p1.json",
                R"({"proxy":"p1","setup":{"stream_protocols":["grpc"]}})", "grids/p1.json",
                "/setup/stream_protocols/0"},
        BadCase{"grid known probe path as number", "grids/p1.json", R"({"proxy":"p1","setup":{"known":{"path":7}}})",
                "grids/p1.json", "/setup/known/path"},
        BadCase{"grid row status as string", "grids/p1.json",
                R"({"proxy":"p1","auth":{"no-key.known":{"status":"401"}}})", "grids/p1.json",
                "/auth/no-key.known/status"},
        BadCase{"grid row unknown field", "grids/p1.json", R"({"proxy":"p1","auth":{"no-key.known":{"stauts":401}}})",
                "grids/p1.json", "/auth/no-key.known/stauts"},
        BadCase{"grid row outcome list empty", "grids/p1.json", R"({"proxy":"p1","stream":{"openai.cut":[]}})",
                "grids/p1.json", "/stream/openai.cut"},
        BadCase{"grid row outcome with a bad status", "grids/p1.json",
                R"({"proxy":"p1","stream":{"openai.cut":[{"status":400},{"status":"200"}]}})", "grids/p1.json",
                "/stream/openai.cut/1/status"},
        BadCase{"grid rows not an object", "grids/p1.json", R"({"proxy":"p1","stream":[]})", "grids/p1.json",
                "/stream"},
        BadCase{"grid file names another proxy", "grids/p1.json", R"({"proxy":"p2"})", "grids/p1.json", "/proxy"},
        BadCase{"grid file for unknown proxy", "grids/p9.json", R"({"proxy":"p9"})", "grids/p9.json", "/proxy"}),
    [](const testing::TestParamInfo<BadCase>& info) { return test_name(info.param.name); });

// Issue 21.5: nesting past the limit is an error at its pointer, never a stack overflow (60,000 '[' in a step
// body crashed validate: every copy and print of such a document recurses once per level).
TEST_F(FixtureDir, DeepNestingIsAnErrorNotACrash) {
    std::string body = std::string(60000, '[') + std::string(60000, ']');
    write("clients/c1.json", client_with(R"("endpoint":"/models")", R"("endpoint":"/models","body":)" + body));
    try {
        load_fixtures({dir_});
        FAIL() << "loaded";
    } catch (const FixtureError& e) {
        EXPECT_EQ(e.pointer().rfind("/steps/0/body/0/0/0", 0), 0u) << e.pointer().substr(0, 60);
        EXPECT_NE(std::string(e.what()).find("nested deeper than 128"), std::string::npos)
            << std::string(e.what()).substr(0, 200);
    }
    // Exactly at the limit still loads: the limit is 128 levels, counted from the document root.
    std::string deep = std::string(125, '[') + std::string(125, ']');  // root, steps, step + 125 = 128
    write("clients/c1.json", client_with(R"("endpoint":"/models")", R"("endpoint":"/models","body":)" + deep));
    EXPECT_NO_THROW(load_fixtures({dir_}));
}

// Issue 21.5: a fixture that is not a regular file is refused at once (a FIFO would block the read forever).
TEST_F(FixtureDir, FifoOrDeviceIsRefusedAtOnce) {
    ASSERT_EQ(::mkfifo((dir_ / "clients" / "c2.json").c_str(), 0600), 0);
    auto load = std::async(std::launch::async, [&] {
        try {
            load_fixtures({dir_});
            return std::string("loaded");
        } catch (const FixtureError& e) {
            return std::string(e.what());
        }
    });
    if (load.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
        int fd = ::open((dir_ / "clients" / "c2.json").c_str(), O_WRONLY | O_NONBLOCK);  // releases the reader
        if (fd >= 0) ::close(fd);
        load.wait();
        FAIL() << "loading blocked on a FIFO";
    }
    std::string what = load.get();
    EXPECT_NE(what.find("c2.json"), std::string::npos) << what;
    EXPECT_NE(what.find("not a regular file"), std::string::npos) << what;
    fs::remove(dir_ / "clients" / "c2.json");
    fs::create_symlink("/dev/zero", dir_ / "clients" / "c2.json");
    try {
        load_fixtures({dir_});
        FAIL() << "a device was read as a fixture";
    } catch (const FixtureError& e) {
        EXPECT_NE(std::string(e.what()).find("not a regular file"), std::string::npos) << e.what();
    }
}

// Issue 21.5: a file over the size cap is refused unread.
TEST_F(FixtureDir, FileOverTheSizeCapIsRefused) {
    write("clients/c2.json", "");
    fs::resize_file(dir_ / "clients" / "c2.json", kMaxFixtureBytes + 1);  // sparse: nothing is written
    try {
        load_fixtures({dir_});
        FAIL() << "loaded";
    } catch (const FixtureError& e) {
        EXPECT_NE(e.file().find("c2.json"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("over the limit"), std::string::npos) << e.what();
    }
}

TEST_F(FixtureDir, EmptyFolderIsAnError) {
    fs::remove(dir_ / "clients" / "c1.json");
    EXPECT_THROW(load_fixtures({dir_}), FixtureError);
}

TEST_F(FixtureDir, MissingFolderIsAnError) { EXPECT_THROW(load_fixtures({dir_ / "nope"}), FixtureError); }

TEST_F(FixtureDir, IdClashNeedsOverride) {
    fs::path other = dir_ / "layer";
    fs::create_directories(other / "clients");
    std::ofstream(other / "clients" / "c1.json") << client_with(R"("name":"C")", R"("name":"C2")");
    EXPECT_THROW(load_fixtures({dir_, other}), FixtureError);
    Fixtures f = load_fixtures({dir_, other}, true);
    EXPECT_EQ(f.client("c1")->name, "C2");
}

}  // namespace
