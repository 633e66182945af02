#include "run/provenance.hpp"

namespace routecheck {

namespace {

std::string str_at(const nlohmann::json& j, const char* key) {
    return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

std::string short_commit(const std::string& commit) { return commit.substr(0, 7); }

// "2026-11-29T10:00:00Z" -> "2026-11-29": a launch is dated like a recording.
std::string date_of(const std::string& iso) { return iso.substr(0, 10); }

}  // namespace

ClientRunInfo client_run_info(const ClientProfile& c) {
    ClientRunInfo info;
    info.id = c.id;
    info.name = c.name;
    info.protocol = c.protocol;
    const nlohmann::json& p = c.provenance;
    info.package = str_at(p, "package");
    info.version = str_at(p, "version");
    info.registry = str_at(p, "registry");
    if (info.registry.empty() && !info.package.empty()) info.registry = "npm";
    if (c.provenance_kind == "recorded") {
        info.known.how = "recorded";
        info.known.when = str_at(p, "recorded_at");
        info.known.detail = str_at(p, "how");
    } else {
        info.known.how = "derived from source";
        info.known.when = str_at(p, "derived_at");
        const std::string repo = str_at(p, "repository"), commit = str_at(p, "commit");
        info.known.detail = repo + (commit.empty() ? "" : "@" + short_commit(commit));
        if (info.package.empty()) info.package = repo;
    }
    return info;
}

void describe_proxy(ProxyRunInfo& info, const ProxyProfile& proxy, const std::string& run_started) {
    const nlohmann::json source =
        proxy.raw.is_object() && proxy.raw.contains("source") ? proxy.raw["source"] : nlohmann::json();
    if (info.provenance == "launched") {
        if (info.package.empty()) info.package = proxy.package ? proxy.package->name : proxy.npm_package;
        if (info.version.empty()) info.version = proxy.package ? proxy.package->version : proxy.npm_version;
        std::string how = "its profile's command";
        if (!proxy.npm_package.empty()) how = "npm " + proxy.npm_dir + " (lockfile)";
        else if (proxy.package && proxy.package->registry == "pypi")
            how = "PyPI " + proxy.package->dir + " (hashed requirements)";
        else if (proxy.package && proxy.package->registry == "go")
            how = "Go module " + proxy.package->dir + " (go.sum)";
        info.known = {"launched", date_of(run_started), how};
        return;
    }
    if (info.provenance == "attached") {
        info.known = {"observed", date_of(run_started), "attached to the running proxy"};
        return;
    }
    if (proxy.provenance == "probed") {
        if (info.version.empty()) info.version = str_at(source, "version");
        info.known = {"probed", str_at(source, "probed_at"), "routecheck probe of " + str_at(source, "target")};
        return;
    }
    // A source profile: the cells are predictions from the contract read at a release of its source.
    const std::string repo = str_at(source, "repository"), release = str_at(source, "release");
    const std::string commit = str_at(source, "commit");
    if (info.package.empty()) {
        info.package = repo;
        for (const char* host : {"https://github.com/", "http://github.com/"})
            if (info.package.rfind(host, 0) == 0) info.package = info.package.substr(std::string(host).size());
    }
    if (info.version.empty()) info.version = release;
    info.known.how = "predicted";
    info.known.when = str_at(source, "date");
    info.known.detail = "from its source" + (commit.empty() ? std::string() : " @" + short_commit(commit));
    if (source.is_object() && source.contains("observed") && source["observed"].is_object()) {
        const std::string date = str_at(source["observed"], "date");
        info.known.detail += "; contract corrected by observation" + (date.empty() ? std::string() : " on " + date);
    }
}

}  // namespace routecheck
