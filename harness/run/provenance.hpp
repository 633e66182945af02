// Versions and provenance for the report: which version of each client and proxy a run used, how that is known
// (recorded, derived from source, launched, predicted, observed, probed) and when. Read from the fixtures; a run
// adds its own start time for what it launched or attached to.
#pragma once
#include <string>

#include "model/fixtures.hpp"
#include "report/report.hpp"

namespace routecheck {

// A client profile as the report names it: its name (which says the mode), protocol, package and version, and
// how its steps are known: "recorded" (provenance.kind recorded: package, version, recorded_at, how) or "derived
// from source" (kind source: repository, commit, derived_at when the fixture has it).
ClientRunInfo client_run_info(const ClientProfile& client);

// Fills info.package, info.version (when empty) and info.known for `proxy` as this run used it:
// - launched (info.provenance "launched"): the pinned npm package and version, known "launched" at `run_started`;
// - attached: "observed" at `run_started` (version: what its health answer said, when it said one);
// - a source profile: "predicted" from the contract read at source.release/source.commit (when: source.date),
//   "corrected by observation" when source.observed says so;
// - a probed profile (routecheck probe --save): "probed" at source.probed_at.
void describe_proxy(ProxyRunInfo& info, const ProxyProfile& proxy, const std::string& run_started);

}  // namespace routecheck
