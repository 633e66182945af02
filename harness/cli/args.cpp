#include "cli/args.hpp"

namespace routecheck::cli {

Args::Args(const std::vector<std::string>& argv, const std::set<std::string>& valued,
           const std::set<std::string>& switches) {
    for (std::size_t i = 0; i < argv.size(); ++i) {
        std::string a = argv[i];
        if (a.rfind("--", 0) != 0) throw UsageError("unexpected argument '" + a + "' (flags start with --)");
        std::string name = a, value;
        bool inline_value = false;
        if (auto eq = a.find('='); eq != std::string::npos) {
            name = a.substr(0, eq);
            value = a.substr(eq + 1);
            inline_value = true;
        }
        if (switches.count(name)) {
            if (inline_value) throw UsageError(name + " takes no value");
            switches_seen_.insert(name);
        } else if (valued.count(name)) {
            if (!inline_value) {
                if (i + 1 >= argv.size()) throw UsageError(name + " needs a value");
                value = argv[++i];
            }
            if (value.empty()) throw UsageError(name + " needs a non-empty value");
            values_[name].push_back(value);
        } else {
            std::string known;
            for (const auto& f : valued) known += " " + f;
            for (const auto& f : switches) known += " " + f;
            throw UsageError("unknown flag '" + name + "' (this command takes:" + known + ")");
        }
    }
}

bool Args::has(const std::string& flag) const { return switches_seen_.count(flag) || values_.count(flag); }

std::string Args::one(const std::string& flag) const {
    auto it = values_.find(flag);
    if (it == values_.end()) throw UsageError(flag + " is required");
    if (it->second.size() > 1) throw UsageError(flag + " given more than once");
    return it->second.front();
}

std::string Args::one_or(const std::string& flag, const std::string& fallback) const {
    return values_.count(flag) ? one(flag) : fallback;
}

std::vector<std::string> Args::all(const std::string& flag) const {
    auto it = values_.find(flag);
    return it == values_.end() ? std::vector<std::string>{} : it->second;
}

int Args::integer_or(const std::string& flag, int fallback, int min, int max) const {
    if (!values_.count(flag)) return fallback;
    std::string v = one(flag);
    try {
        std::size_t used = 0;
        int n = std::stoi(v, &used);
        if (used != v.size() || n < min || n > max) throw std::out_of_range(v);
        return n;
    } catch (const std::exception&) {
        throw UsageError(flag + " takes a whole number from " + std::to_string(min) + " to " + std::to_string(max) +
                         ", not '" + v + "'");
    }
}

}  // namespace routecheck::cli
