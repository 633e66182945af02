// A hand-built MatrixReport with one cell of each kind the page must show: pass, not as expected (with a hostile
// body excerpt), no expectation (401), a refused connection, and a prediction of a source-only proxy.
#pragma once
#include <string>

#include "report/report.hpp"

namespace sample {

using namespace routecheck;

inline StepVerdict step(const std::string& id, const std::string& line, int status, Diagnosis d,
                        const std::string& body = "") {
    StepVerdict s;
    s.observed.step = id;
    s.observed.method = line.substr(0, line.find(' '));
    s.observed.target = line.substr(line.find(' ') + 1);
    s.observed.status = status;
    s.observed.body_excerpt = body;
    s.observed.body_bytes = body.size();
    s.observed.content_type = body.empty() ? "" : "text/html";
    s.finding = {d, "reason for " + id, d == Diagnosis::Ok ? "" : "fix for " + id};
    return s;
}

inline CellResult cell(const std::string& proxy, const std::string& client, const std::string& variant, CellVerdict v,
                       Diagnosis d, std::vector<StepVerdict> steps) {
    CellResult c;
    c.cell.proxy = proxy;
    c.cell.client = client;
    c.cell.variant = variant;
    c.cell.base_url = "http://127.0.0.1:41000/" + variant;
    for (const auto& s : steps) c.cell.steps.push_back(s.observed);
    c.steps = std::move(steps);
    c.verdict = v;
    c.diagnosis = d;
    c.judgment.diagnosis = d;  // one judgment: the cell's class is its verdict's
    c.works = d == Diagnosis::Ok;
    return c;
}

inline MatrixReport report() {
    MatrixReport r;
    r.started_at = "2026-11-27T08:00:00Z";
    r.wall_ms = 1234;
    ProxyRunInfo launched;
    launched.id = launched.name = "px";
    launched.provenance = "launched";
    launched.port = 41000;
    ProxyRunInfo source;
    source.id = source.name = "src";
    source.provenance = "source";
    r.proxies = {launched, source};

    r.cells.push_back(cell("px", "claude-code", "root", CellVerdict::Pass, Diagnosis::Ok,
                           {step("prompt.messages", "POST /v1/messages?beta=true", 200, Diagnosis::Ok)}));
    auto bad = step("prompt.messages", "POST /v1/v1/messages?beta=true", 404, Diagnosis::DuplicatePrefix,
                    "<script>alert('owned')</script> & \x01 \xff\xfe end");
    ExpectedStep e{"prompt.messages", "POST /v1/v1/messages?beta=true", 401, {}};
    bad.expected = e;
    bad.mismatch = "status: expected 401, got 404";
    r.cells.push_back(cell("px", "claude-code", "v1", CellVerdict::Fail, Diagnosis::DuplicatePrefix, {bad}));
    r.cells.back().message = "step prompt.messages: status: expected 401, got <404>";
    r.cells.push_back(cell("px", "openai-node", "root", CellVerdict::NoExpectation, Diagnosis::AuthMissing,
                           {step("models-list.models", "GET /models", 401, Diagnosis::AuthMissing)}));
    r.cells.back().message = "no expected rows for px.openai-node.root";
    auto refused = step("models-list.models", "GET /models", 0, Diagnosis::NotListening);
    refused.observed.error = TransportError::Refused;
    r.cells.push_back(cell("px", "openai-node", "closed-port", CellVerdict::Pass, Diagnosis::NotListening, {refused}));
    r.cells.push_back(cell("src", "claude-code", "root", CellVerdict::Prediction, Diagnosis::Ok,
                           {step("prompt.messages", "POST /v1/messages?beta=true", 200, Diagnosis::Ok)}));

    RecommendationResult ok;
    ok.rec = {"claude-code", "px", true, "root", "http://127.0.0.1:{port}", "", {}, ""};
    ok.confirmed = "replay";
    RecommendationResult none;
    none.rec = {"openai-node",
                "px",
                false,
                "",
                "",
                "no Base URL works: chat -> POST /v1/chat/completions never lands",
                {"openai-node-anthropic at http://127.0.0.1:{port}"},
                ""};
    r.recommendations = {ok, none};
    return r;
}

inline int count(const std::string& text, const std::string& needle) {
    int n = 0;
    for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + needle.size())) ++n;
    return n;
}

}  // namespace sample
