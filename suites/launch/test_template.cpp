#include <gtest/gtest.h>

#include "launch/template.hpp"

using namespace routecheck::launch;

namespace {
const TemplateVars vars{{"port", "4100"}, {"upstream", "http://127.0.0.1:9"}, {"home", "/tmp/h"}, {"api_key", "k"}};
}

TEST(Template, RendersKnownPlaceholders) {
    EXPECT_EQ(render("http://127.0.0.1:{port}/v1", vars), "http://127.0.0.1:4100/v1");
    EXPECT_EQ(render("{home}/.config/{port}{port}", vars), "/tmp/h/.config/41004100");
    EXPECT_EQ(render("", vars), "");
    EXPECT_EQ(render("no placeholders", vars), "no placeholders");
}

TEST(Template, LeavesNonIdentifierBracesAlone) {
    EXPECT_EQ(render(R"({"a":{"b":1}})", vars), R"({"a":{"b":1}})");
    EXPECT_EQ(render("{ port }", vars), "{ port }");
    EXPECT_EQ(render("{Port}", vars), "{Port}");  // placeholders are lower case
    EXPECT_EQ(render("{}", vars), "{}");
    EXPECT_EQ(render("{port", vars), "{port");
    EXPECT_EQ(render("{{port}}", vars), "{4100}");
}

TEST(Template, UnknownPlaceholderNamesItAndWhere) {
    try {
        render("x {state_dirr} y", vars, "fixtures/proxies/p.json#/launch/env/X");
        FAIL() << "expected TemplateError";
    } catch (const TemplateError& e) {
        EXPECT_EQ(e.placeholder(), "state_dirr");
        EXPECT_EQ(e.where(), "fixtures/proxies/p.json#/launch/env/X");
        const std::string msg = e.what();
        EXPECT_NE(msg.find("{state_dirr}"), std::string::npos) << msg;
        EXPECT_NE(msg.find("p.json#/launch/env/X"), std::string::npos) << msg;
        EXPECT_NE(msg.find("{port}"), std::string::npos) << "lists the known names: " << msg;
    }
}

TEST(Template, RendersJsonRecursivelyIncludingKeys) {
    const nlohmann::json in = {{"apiKey", "{api_key}"},
                               {"port", 8080},
                               {"nested", {{"url", "{upstream}/v1"}, {"list", {"{port}", 1, true, nullptr}}}},
                               {"{home}/x", "key rendered"}};
    const nlohmann::json out = render_json(in, vars);
    EXPECT_EQ(out["apiKey"], "k");
    EXPECT_EQ(out["port"], 8080);
    EXPECT_EQ(out["nested"]["url"], "http://127.0.0.1:9/v1");
    EXPECT_EQ(out["nested"]["list"], nlohmann::json({"4100", 1, true, nullptr}));
    EXPECT_EQ(out["/tmp/h/x"], "key rendered");
}

TEST(Template, JsonErrorCarriesPointer) {
    const nlohmann::json in = {{"Providers", {{{"api_base_url", "{upstream_url}"}}}}};
    try {
        render_json(in, vars, "p.json#");
        FAIL() << "expected TemplateError";
    } catch (const TemplateError& e) {
        EXPECT_EQ(e.placeholder(), "upstream_url");
        EXPECT_EQ(e.where(), "p.json#/Providers/0/api_base_url");
    }
}
