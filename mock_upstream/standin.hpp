// A scripted stand-in for a proxy, played from the "proxy" section of a verdict-corpus case
// (fixtures/cases/<id>.json, docs/cases.md): its routes, what an unknown path gets (a 404, a soft-404 HTML page),
// its key headers, and whether it checks the key before routing. It exists where the real proxy cannot run here;
// each case file names the public report it stands for. Loopback only.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace routecheck::mock {

class StandIn {
public:
    // `proxy`: a case's "proxy" object. Throws std::invalid_argument naming the field that cannot be played.
    explicit StandIn(const nlohmann::json& proxy, std::string host = "127.0.0.1", int port = 0);
    ~StandIn();
    StandIn(const StandIn&) = delete;
    StandIn& operator=(const StandIn&) = delete;

    void start();  // binds and answers; throws std::runtime_error when it cannot listen
    void stop();   // idempotent
    int port() const;
    std::string url() const;  // http://127.0.0.1:PORT
    // Every request so far: "METHOD /target" plus " key=<carrier>" when a key header came, in arrival order.
    std::vector<std::string> requests() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace routecheck::mock
