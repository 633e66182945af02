// Command-line parsing for `routecheck`: flags are declared per command; anything else is a usage error.
#pragma once
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace routecheck::cli {

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Args {
public:
    // `valued` flags take a value (--flag V or --flag=V, repeatable); `switches` take none.
    Args(const std::vector<std::string>& argv, const std::set<std::string>& valued,
         const std::set<std::string>& switches);

    bool has(const std::string& flag) const;
    std::string one(const std::string& flag) const;  // required, at most once
    std::string one_or(const std::string& flag, const std::string& fallback) const;
    std::vector<std::string> all(const std::string& flag) const;
    int integer_or(const std::string& flag, int fallback, int min, int max) const;

private:
    std::map<std::string, std::vector<std::string>> values_;
    std::set<std::string> switches_seen_;
};

}  // namespace routecheck::cli
