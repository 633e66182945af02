// The headers routecheck adds to requests so the mock upstream can attribute and script them. The harness sends
// them, harness/launch/preload.cjs carries them from a proxy's incoming request to its upstream calls (it names
// them again, in JavaScript: keep the two lists the same), and the mock upstream journals and obeys them.
#pragma once

namespace routecheck {

// "<cell>/<step>" of a replayed request (or "launch/ready" for a readiness probe): the journal's correlation id.
inline constexpr const char* kStepHeader = "x-routecheck-step";
// A fault the mock plays for this request, "<kind>[;param=value...]" (mock_upstream/faults.cpp parses it).
inline constexpr const char* kFaultHeader = "x-routecheck-fault";
// The origin the proxy first addressed, set by the preload when it redirects an upstream call to the mock.
inline constexpr const char* kOriginHeader = "x-routecheck-origin";

}  // namespace routecheck
