#include "model/verdict_class.hpp"

#include <array>
#include <stdexcept>
#include <utility>

namespace routecheck {

namespace {

constexpr std::array<std::pair<Diagnosis, const char*>, 13> kNames = {{
    {Diagnosis::Ok, "OK"},
    {Diagnosis::DuplicatePrefix, "DUPLICATE_PREFIX"},
    {Diagnosis::MissingVersion, "MISSING_VERSION"},
    {Diagnosis::EndpointInBase, "ENDPOINT_IN_BASE"},
    {Diagnosis::WrongProtocol, "WRONG_PROTOCOL"},
    {Diagnosis::NoRoute, "NO_ROUTE"},
    {Diagnosis::AuthMissing, "AUTH_MISSING"},
    {Diagnosis::AuthRejected, "AUTH_REJECTED"},
    {Diagnosis::NotListening, "NOT_LISTENING"},
    {Diagnosis::UpstreamError, "UPSTREAM_ERROR"},
    {Diagnosis::Unexpected, "UNEXPECTED"},
    {Diagnosis::Skipped, "SKIPPED"},
    {Diagnosis::BaseUrlIgnored, "BASE_URL_IGNORED"},
}};

}  // namespace

const char* to_string(Diagnosis d) {
    for (const auto& [k, v] : kNames)
        if (k == d) return v;
    return "UNEXPECTED";
}

Diagnosis diagnosis_from_string(const std::string& s) {
    for (const auto& [k, v] : kNames)
        if (s == v) return k;
    throw std::invalid_argument("unknown verdict class '" + s + "'");
}

std::vector<std::string> verdict_class_names() {
    std::vector<std::string> out;
    for (const auto& [k, v] : kNames) out.emplace_back(v);
    return out;
}

}  // namespace routecheck
