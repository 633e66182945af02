// Replays the cells of one target (a launched or attached proxy): every step of every client profile at every
// Base URL variant, with the proxy's key in the header the client uses, and attributes upstream requests.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "judge/observation.hpp"
#include "model/fixtures.hpp"

namespace routecheck {

struct ReplayTarget {
    const ProxyProfile* proxy = nullptr;
    int port = 0;         // where the proxy listens
    int closed_port = 0;  // where nothing listens
    std::string api_key;  // sent in the client's key header; empty sends the client's placeholder key
    bool quota_safe = false;  // attach mode: do not send steps that would spend upstream quota
    // Upstream request lines attributed to one correlation id ("cell/step"); empty function when there is no mock.
    std::function<std::vector<std::string>(const std::string& correlation)> upstream_for;
    int jobs = 2;  // cells replayed at once against this target
};

struct PlannedCell {
    const ClientProfile* client;
    const Variant* variant;
};


std::vector<CellObservation> replay_cells(const ReplayTarget& target, const std::vector<PlannedCell>& cells);

// The header a replayed request carries so the upstream journal can attribute what the proxy sent.
inline constexpr const char* kCorrelationHeader = "x-routecheck-step";

}  // namespace routecheck
