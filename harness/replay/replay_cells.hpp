// Replays the cells of one target (a launched or attached proxy): every step of every client profile at every
// Base URL variant, with the proxy's key in the header the client uses, and attributes upstream requests.
#pragma once
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "http/client.hpp"
#include "http/headers.hpp"
#include "model/fixtures.hpp"
#include "replay/observation.hpp"

namespace routecheck {

struct ReplayTarget {
    const ProxyProfile* proxy = nullptr;
    int port = 0;          // where the proxy listens
    int closed_port = 0;   // where nothing listens
    std::string api_key;   // sent in the client's key header; empty sends the client's placeholder key
    bool send_key = true;  // false: no key header at all (doctor without --api-key)
    // The client setting or header to send the key with (ClientProfile::carrier); "" the client's default carrier.
    std::string key_via;
    bool quota_safe = false;  // attach mode: do not send steps that would spend upstream quota
    // With quota_safe: send such a step anyway, with the body replaced by `{}`, which no upstream bills (every
    // protocol refuses it with 400 before any model runs). The step is marked evidence "probe". Doctor's mode.
    bool probe_quota_steps = false;
    // When set ("http://127.0.0.1:8045"), requests go to this origin instead of the Base URL's own host and port;
    // the cell keeps the Base URL as typed (doctor: the user's Base URL may name localhost or a LAN name).
    std::string send_origin;
    // Why such a step was skipped, shown in the report; empty: the attach-mode reason.
    std::string quota_skip_reason;
    // Upstream request lines attributed to one correlation id ("cell/step"); empty function when there is no mock.
    std::function<std::vector<std::string>(const std::string& correlation)> upstream_for;
    int jobs = 2;  // cells replayed at once against this target
    // Placeholder values ({upstream}, {port}, ...) for the profile's extra header values. A header whose value
    // names a placeholder missing here (attach mode has no {upstream}) is not sent.
    std::map<std::string, std::string> vars;
    long timeout_ms = 15000;  // a step's whole transfer (a websocket attempt: 5 s), cut to what the deadline leaves
    Deadline deadline;        // no cell or step starts after it
    // This many steps in a row without an answer within timeout_ms: the proxy stopped answering (its health may
    // still be fine), and the cells not yet replayed are not run. 0: never.
    int stall_after = 3;
    std::function<void()> on_cell_done;  // called (from a worker thread) after each cell, e.g. for progress
};

// The proxy-specific headers a request of this client carries: extra_headers, then the entry of
// extra_headers_by_protocol for the client's protocol (or its family, the part before '-'), rendered with `vars`.
std::vector<std::pair<std::string, std::string>> proxy_headers(const ProxyProfile& proxy, const ClientProfile& client,
                                                               const std::map<std::string, std::string>& vars);

// The step's body with its "model" rewritten by the proxy's model_map entry for the step's endpoint (the longest
// key the endpoint ends with); unchanged when none matches or the body has no string "model".
nlohmann::json map_model(const ProxyProfile& proxy, const Step& step, const nlohmann::json& body);

struct PlannedCell {
    const ClientProfile* client;
    const Variant* variant;
};

// Every cell, in order, `target.jobs` at a time. A cell that cannot be replayed (a bad join) fails with its reason.
// When the proxy stopped answering (target.stall_after) or the deadline passed, the cells not replayed yet (and the
// one a worker was in) carry the error "not run: <why>", and `stopped` (when given) is set to <why>; else it is "".
std::vector<CellObservation> replay_cells(const ReplayTarget& target, const std::vector<PlannedCell>& cells,
                                          std::string* stopped = nullptr);

// The header a replayed request carries so the upstream journal can attribute what the proxy sent.
inline constexpr const char* kCorrelationHeader = kStepHeader;

}  // namespace routecheck
