// Internal: the scripted fault table and the JSON form of fault rules used by POST /__routecheck/faults.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mock_upstream/mock_upstream.hpp"

namespace routecheck::mock {

// Throws std::invalid_argument naming the field that is wrong.
FaultRule fault_rule_from_json(const nlohmann::json& j);
nlohmann::json fault_rule_to_json(const FaultRule& r);

class FaultTable {
public:
    void add(FaultRule rule);
    void clear();
    std::vector<FaultRule> rules() const;
    // The fault for a request with this target (kind none if no rule matches); spends one use of the rule.
    Fault take(const std::string& target);

private:
    mutable std::mutex mu_;
    std::vector<FaultRule> rules_;
};

}  // namespace routecheck::mock
