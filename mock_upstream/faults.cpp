// Fault specs: parsing of the "<kind>[;param=value]" syntax shared by the x-routecheck-fault header, the
// control endpoint and the command line, so all three accept exactly the same words.
#include <charconv>
#include <stdexcept>

#include "mock_upstream/faults.hpp"

namespace routecheck::mock {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

int to_int(std::string_view key, std::string_view value, int lo, int hi) {
    int v = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
    if (ec != std::errc() || ptr != value.data() + value.size() || v < lo || v > hi)
        throw std::invalid_argument("fault parameter '" + std::string(key) + "' must be an integer in [" +
                                    std::to_string(lo) + ", " + std::to_string(hi) + "], got '" + std::string(value) +
                                    "'");
    return v;
}

constexpr int kMaxMs = 120000;  // every wait has a deadline: no fault may hold a request longer than 2 min

}  // namespace

std::string to_string(FaultKind k) {
    switch (k) {
        case FaultKind::none: return "none";
        case FaultKind::status: return "status";
        case FaultKind::delay: return "delay";
        case FaultKind::cut: return "cut";
        case FaultKind::reset: return "reset";
        case FaultKind::empty: return "empty";
        case FaultKind::dribble: return "dribble";
    }
    return "none";
}

std::string Fault::kind_name() const {
    return kind == FaultKind::status ? "status:" + std::to_string(status) : to_string(kind);
}

void Fault::set_param(std::string_view key, std::string_view value) {
    if (key == "code" || key == "status") status = to_int(key, value, 100, 599);
    else if (key == "retry_after") retry_after_s = to_int(key, value, 0, 3600);
    else if (key == "ms") delay_ms = to_int(key, value, 0, kMaxMs);
    else if (key == "after") after = to_int(key, value, 0, 1000000);
    else if (key == "bytes") bytes = to_int(key, value, 1, 1 << 20);
    else
        throw std::invalid_argument("unknown fault parameter '" + std::string(key) +
                                    "' (known: code, retry_after, ms, after, bytes)");
}

Fault Fault::of_kind(std::string_view word) {
    Fault f;
    word = trim(word);
    if (word == "status") f.kind = FaultKind::status;
    else if (word == "delay") {
        f.kind = FaultKind::delay;
        f.delay_ms = 1000;
    } else if (word == "cut") f.kind = FaultKind::cut;
    else if (word == "reset") f.kind = FaultKind::reset;
    else if (word == "empty") f.kind = FaultKind::empty;
    else if (word == "dribble") {
        f.kind = FaultKind::dribble;
        f.delay_ms = 50;
    } else if (!word.empty() && word.find_first_not_of("0123456789") == std::string_view::npos) {
        f.kind = FaultKind::status;  // a bare status code, e.g. "429"
        f.status = to_int("code", word, 100, 599);
    } else {
        throw std::invalid_argument("unknown fault kind '" + std::string(word) +
                                    "' (known: status, delay, cut, reset, empty, dribble, or a status code)");
    }
    return f;
}

Fault Fault::parse(std::string_view spec) {
    std::size_t semi = spec.find(';');
    Fault f = of_kind(spec.substr(0, semi));
    while (semi != std::string_view::npos) {
        spec.remove_prefix(semi + 1);
        semi = spec.find(';');
        std::string_view item = trim(spec.substr(0, semi));
        if (item.empty()) continue;
        std::size_t eq = item.find('=');
        if (eq == std::string_view::npos)
            throw std::invalid_argument("fault parameter '" + std::string(item) + "' needs the form name=value");
        f.set_param(trim(item.substr(0, eq)), trim(item.substr(eq + 1)));
    }
    return f;
}

FaultRule fault_rule_from_json(const nlohmann::json& j) {
    if (!j.is_object()) throw std::invalid_argument("fault rule must be a JSON object");
    FaultRule rule;
    if (j.contains("match")) {
        if (!j["match"].is_string() || j["match"].get<std::string>().empty())
            throw std::invalid_argument("\"match\" must be a non-empty string (a path substring, or \"*\")");
        rule.match = j["match"];
    }
    if (!j.contains("kind") || !(j["kind"].is_string() || j["kind"].is_number_integer()))
        throw std::invalid_argument(
            "\"kind\" is required: status, delay, cut, reset, empty, dribble, or a status code");
    rule.fault = Fault::parse(j["kind"].is_string() ? j["kind"].get<std::string>() : j["kind"].dump());
    if (j.contains("count")) {
        if (!j["count"].is_number_integer() || j["count"].get<long long>() < -1 || j["count"].get<long long>() == 0)
            throw std::invalid_argument("\"count\" must be a positive integer, or -1 for until cleared");
        rule.count = j["count"].get<int>();
    }
    // Parameters may be given flat ({"kind":"delay","ms":300}) or under "params".
    auto take = [&](const nlohmann::json& obj) {
        for (auto it = obj.begin(); it != obj.end(); ++it) {
            if (it.key() == "match" || it.key() == "kind" || it.key() == "count" || it.key() == "params") continue;
            if (!it.value().is_number_integer())
                throw std::invalid_argument("fault parameter \"" + it.key() + "\" must be an integer");
            rule.fault.set_param(it.key(), std::to_string(it.value().get<long long>()));
        }
    };
    take(j);
    if (j.contains("params")) {
        if (!j["params"].is_object()) throw std::invalid_argument("\"params\" must be an object");
        take(j["params"]);
    }
    return rule;
}

nlohmann::json fault_rule_to_json(const FaultRule& r) {
    return {{"match", r.match},
            {"kind", to_string(r.fault.kind)},
            {"count", r.count},
            {"code", r.fault.status},
            {"retry_after", r.fault.retry_after_s},
            {"ms", r.fault.delay_ms},
            {"after", r.fault.after},
            {"bytes", r.fault.bytes}};
}

void FaultTable::add(FaultRule rule) {
    std::lock_guard lock(mu_);
    rules_.push_back(std::move(rule));
}

void FaultTable::clear() {
    std::lock_guard lock(mu_);
    rules_.clear();
}

std::vector<FaultRule> FaultTable::rules() const {
    std::lock_guard lock(mu_);
    return rules_;
}

Fault FaultTable::take(const std::string& target) {
    std::lock_guard lock(mu_);
    for (auto it = rules_.begin(); it != rules_.end(); ++it) {
        if (it->match != "*" && target.find(it->match) == std::string::npos) continue;
        Fault f = it->fault;
        if (it->count > 0 && --it->count == 0) rules_.erase(it);  // spent: later rules apply from now on
        return f;
    }
    return {};
}

}  // namespace routecheck::mock
