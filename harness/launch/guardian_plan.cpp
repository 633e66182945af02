// The launch plan as bytes, and the stage names: compiled into both the harness (routecheck_launch) and the guardian
// executable, so both sides read the same format.
#include "launch/guardian.hpp"

#include <string_view>

namespace routecheck::launch::detail {
namespace {

// Raised whenever the format changes: a guardian of another build refuses the plan (kBadPlan) instead of misreading it.
constexpr std::string_view kPlanVersion = "routecheck-guardian-plan 2";

void put(std::string& out, std::string_view key, std::string_view value) {
    out.append(key);
    out.push_back('\0');
    out.append(value);
    out.push_back('\0');
}

}  // namespace

const char* stage_name(int stage) {
    switch (stage) {
        case kStageSetpgid: return "setpgid";
        case kStagePrctl: return "prctl";
        case kStageRedirect: return "redirect output";
        case kStageChdir: return "chdir";
        case kStageExec: return "exec";
        default: return "?";
    }
}

std::string encode_plan(const LaunchPlan& plan) {
    std::string out(kPlanVersion);
    out.push_back('\0');
    put(out, "program", plan.program);
    for (const auto& a : plan.argv) put(out, "arg", a);
    for (const auto& [k, v] : plan.env) put(out, "env", k + "=" + v);
    put(out, "cwd", plan.cwd);
    put(out, "orphan_dir", plan.orphan_dir);
    put(out, "nice", std::to_string(plan.nice));
    out.append("end");
    out.push_back('\0');
    return out;
}

std::optional<LaunchPlan> decode_plan(const std::string& bytes) {
    std::vector<std::string_view> fields;
    std::string_view rest(bytes);
    while (!rest.empty()) {
        const auto nul = rest.find('\0');
        if (nul == std::string_view::npos) return std::nullopt;  // cut in the middle of a field
        fields.push_back(rest.substr(0, nul));
        rest.remove_prefix(nul + 1);
    }
    // The version, the pairs and "end": an even count in all.
    if (fields.size() < 2 || fields.front() != kPlanVersion || fields.back() != "end" || fields.size() % 2 != 0)
        return std::nullopt;
    LaunchPlan plan;
    for (std::size_t i = 1; i + 1 < fields.size(); i += 2) {
        const std::string_view key = fields[i], value = fields[i + 1];
        if (key == "program") {
            plan.program = value;
        } else if (key == "arg") {
            plan.argv.emplace_back(value);
        } else if (key == "env") {
            const auto eq = value.find('=');
            if (eq == std::string_view::npos) return std::nullopt;
            plan.env[std::string(value.substr(0, eq))] = value.substr(eq + 1);
        } else if (key == "cwd") {
            plan.cwd = value;
        } else if (key == "orphan_dir") {
            plan.orphan_dir = value;
        } else if (key == "nice") {
            if (value.empty() || value.size() > 2 || value.find_first_not_of("0123456789") != std::string_view::npos)
                return std::nullopt;
            plan.nice = std::stoi(std::string(value));
        } else {
            return std::nullopt;
        }
    }
    if (plan.program.empty() || plan.argv.empty()) return std::nullopt;
    return plan;
}

}  // namespace routecheck::launch::detail
