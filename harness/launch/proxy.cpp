#include "launch/proxy.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <system_error>

#include "http/headers.hpp"
#include "launch/readiness.hpp"
#include "model/json_access.hpp"
#include "text/secrets.hpp"

namespace routecheck::launch {
namespace {

std::string where(const std::filesystem::path& file, const std::string& pointer) {
    return file.string() + "#" + pointer;
}

bool inside(const std::filesystem::path& child, const std::filesystem::path& parent) {
    const auto rel = child.lexically_normal().lexically_relative(parent.lexically_normal());
    return !rel.empty() && *rel.begin() != ".." && *rel.begin() != ".";
}

bool mentions_port_in_use(const std::string& log) {
    return log.find("EADDRINUSE") != std::string::npos || log.find("address already in use") != std::string::npos;
}

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
    return out;
}

// Renders `text`, or "" when a placeholder has no value here.
std::string rendered_or_empty(const std::string& text, const TemplateVars& vars) {
    try {
        return render(text, vars);
    } catch (const TemplateError&) {
        return "";
    }
}

// Every string under a credential-named key of a launch file's JSON, rendered.
void file_secrets(const nlohmann::json& j, bool inside_credential, const TemplateVars& vars,
                  std::vector<std::string>& out) {
    if (j.is_string()) {
        if (inside_credential) out.push_back(rendered_or_empty(j.get<std::string>(), vars));
    } else if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it)
            file_secrets(*it, inside_credential || names_a_credential(it.key()), vars, out);
    } else if (j.is_array()) {
        for (const auto& e : j) file_secrets(e, inside_credential, vars, out);
    }
}

}  // namespace

std::vector<std::string> profile_secrets(const ProxyProfile& profile, const TemplateVars& vars,
                                         const std::string& api_key) {
    std::vector<std::string> out = {api_key.empty() ? profile.api_key : api_key};
    auto header = [&](const std::string& name, const std::string& value) {
        if (std::find(profile.public_headers.begin(), profile.public_headers.end(), name) ==
            profile.public_headers.end())
            out.push_back(rendered_or_empty(value, vars));
    };
    for (const auto& [k, v] : profile.extra_headers) header(k, v);
    for (const auto& [protocol, headers] : profile.extra_headers_by_protocol)
        for (const auto& [k, v] : headers) header(k, v);
    if (profile.launch) {
        const ProxyLaunch& l = *profile.launch;
        for (const auto& [k, v] : l.env)
            if (names_a_credential(k)) out.push_back(rendered_or_empty(v, vars));
        for (const auto& [path, content] : l.files) file_secrets(content, false, vars, out);
        for (std::size_t i = 0; i < l.command.size(); ++i) {
            const std::string& arg = l.command[i];
            if (arg.rfind("-", 0) != 0 || !names_a_credential(arg.substr(0, arg.find('=')))) continue;
            if (auto eq = arg.find('='); eq != std::string::npos)
                out.push_back(rendered_or_empty(arg.substr(eq + 1), vars));
            else if (i + 1 < l.command.size()) out.push_back(rendered_or_empty(l.command[i + 1], vars));
        }
    }
    out.erase(std::remove_if(out.begin(), out.end(), [](const std::string& x) { return x.size() < kMinSecretLength; }),
              out.end());
    return out;
}

bool redact_file(const std::filesystem::path& file, const std::vector<std::string>& secrets) noexcept {
    try {
        std::ifstream in(file, std::ios::binary);
        if (!in) return false;
        // A block at a time: a proxy that printed a gigabyte must not cost the harness a gigabyte (or two).
        StreamRedactor redactor(secrets);
        auto tmp = file;
        tmp += ".redacting";
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        std::string block(1 << 16, '\0');
        while (in) {
            in.read(block.data(), static_cast<std::streamsize>(block.size()));
            out << redactor.feed(std::string_view(block.data(), static_cast<std::size_t>(in.gcount())));
        }
        out << redactor.flush();
        out.close();
        std::error_code ec;
        const bool copied = out && !in.bad();
        if (!copied || redactor.cut() == 0) {
            // Nothing to cut (the pump redacted it as it came), or the copy failed: the original stays.
            std::filesystem::remove(tmp, ec);
            return copied;
        }
        // Written beside and renamed: a reader (or a crash) never sees a half-written log.
        std::filesystem::rename(tmp, file, ec);
        if (ec) std::filesystem::remove(tmp, ec);
        return !ec;
    } catch (...) {
        return false;
    }
}

std::string node_options_require(const std::filesystem::path& preload) {
    // Node parses NODE_OPTIONS with shell-like double quotes and backslash escapes.
    std::string quoted = "\"";
    for (char c : preload.string()) {
        if (c == '"' || c == '\\') quoted += '\\';
        quoted += c;
    }
    return "--require " + quoted + "\"";
}

std::filesystem::path check_installed(const ProxyProfile& profile, const std::filesystem::path& install_root) {
    const std::string who = "proxy '" + profile.id + "' (" + profile.file.string() + ")";
    if (profile.npm_dir.empty() && profile.package) return check_package_installed(profile, install_root);
    if (profile.npm_dir.empty()) throw LaunchError(who + " has no npm.dir to launch from");
    std::error_code ec;
    std::filesystem::path dir = std::filesystem::absolute(install_root / profile.npm_dir, ec).lexically_normal();
    const auto pkg_json = dir / "node_modules" / profile.npm_package / "package.json";
    if (!std::filesystem::exists(pkg_json)) {
        throw LaunchError(who + ": npm package " + profile.npm_package + "@" + profile.npm_version +
                          " is not installed (missing " + pkg_json.string() + "); run scripts/setup");
    }
    if (!profile.npm_version.empty()) {
        std::string version;
        try {
            version = read_json_file(pkg_json).value("version", "");
        } catch (const std::exception&) {}
        if (version != profile.npm_version) {
            throw LaunchError(who + ": installed " + profile.npm_package + " is " + (version.empty() ? "?" : version) +
                              " but the profile pins " + profile.npm_version + " (" + pkg_json.string() +
                              "); run scripts/setup");
        }
    }
    return dir;
}

namespace {

// The Go module a go.mod's `tool` line names ("" when none): what scripts/setup builds.
std::string go_tool(const std::filesystem::path& go_mod) {
    std::ifstream in(go_mod);
    for (std::string line; std::getline(in, line);)
        if (line.rfind("tool", 0) == 0 && line.size() > 5 && std::isspace(static_cast<unsigned char>(line[4]))) {
            std::istringstream words(line.substr(5));
            std::string tool;
            if (words >> tool) return tool;
        }
    return "";
}

// How to install a PyPI or Go proxy into `dir`: scripts/setup in a source tree; in an installed copy (no
// scripts/setup beside the fixtures) the commands it would run, against the lockfiles installed there.
std::string how_to_install(const ProxyProfile& profile, const std::filesystem::path& install_root,
                           const std::filesystem::path& dir) {
    if (std::filesystem::exists(install_root / "scripts" / "setup")) return "run scripts/setup " + profile.id;
    const std::string d = dir.string();
    if (profile.package->registry == "pypi")
        return "run `python3 -m venv " + d + "/.venv && " + d +
               "/.venv/bin/pip install --require-hashes --no-deps -r " + d + "/requirements.txt`";
    if (profile.package->registry == "go") {
        const std::string tool = go_tool(dir / "go.mod");
        return "run `cd " + d + " && go build -mod=readonly -trimpath -o bin/" + profile.id + " " +
               (tool.empty() ? "<the tool go.mod names>" : tool) + "`";
    }
    return "install it into " + d;
}

}  // namespace

std::filesystem::path check_package_installed(const ProxyProfile& profile, const std::filesystem::path& install_root) {
    const auto& pkg = *profile.package;
    std::error_code ec;
    const std::filesystem::path dir = std::filesystem::absolute(install_root / pkg.dir, ec).lexically_normal();
    if (!std::filesystem::exists(dir / pkg.installed)) {
        throw LaunchError("proxy '" + profile.id + "' (" + profile.file.string() + "): " + pkg.registry + " package " +
                          pkg.name + "@" + pkg.version + " is not installed (missing " +
                          (dir / pkg.installed).string() + "); " + how_to_install(profile, install_root, dir));
    }
    return dir;
}

ProxyInstance::ProxyInstance(const ProxyProfile& profile, ProxySettings settings)
    : id_(profile.id), profile_file_(profile.file), settings_(std::move(settings)), profile_(profile) {
    if (!profile.launch) {
        throw LaunchError("proxy '" + id_ + "' (" + profile_file_.string() + ") has no launch section (provenance " +
                          profile.provenance + "); it cannot be started");
    }
    const ProxyLaunch& launch = *profile.launch;
    // A profile without an npm section launches any command (a script, a binary on PATH): there is no package
    // to check, and {install_dir} is the install root itself.
    const bool has_npm = !profile.npm_package.empty() || !profile.npm_dir.empty() || !profile.npm_version.empty();
    install_dir_ = has_npm           ? check_installed(profile, settings_.install_root)
                   : profile.package ? check_package_installed(profile, settings_.install_root)
                                     : std::filesystem::absolute(settings_.install_root).lexically_normal();
    if (launch.use_preload && !std::filesystem::exists(settings_.preload))
        throw LaunchError("Node preload not found: " + settings_.preload.string());
    api_key_ = settings_.api_key.value_or(profile.api_key);

    // A harness killed with SIGKILL could not remove its temp dirs; the next run in the same folder does.
    if (!settings_.run_dir.empty()) remove_stale_temp_dirs(settings_.run_dir, "rc-");
    root_ = std::make_unique<TempDir>("rc-" + id_ + "-", settings_.run_dir);
    root_->keep(settings_.keep_artifacts);
    root_->mark_owner();
    home_ = root_->path() / "home";
    tmp_ = root_->path() / "tmp";
    state_dir_ = root_->path() / "state";
    for (const auto& d : {home_, tmp_, state_dir_}) std::filesystem::create_directories(d);
    // The log outlives the temp dir when there is a run dir, so reports can point at it. A second instance of
    // the same proxy in one run dir gets <id>-2.log, ... rather than mixing into the first one's log.
    const auto log_dir = settings_.run_dir.empty() ? root_->path() : settings_.run_dir;
    log_path_ = log_dir / (id_ + ".log");
    for (int n = 2; std::filesystem::exists(log_path_); ++n)
        log_path_ = log_dir / (id_ + "-" + std::to_string(n) + ".log");

    for (int attempt = 1; attempt <= std::max(1, settings_.port_attempts); ++attempt) {
        attempts_ = attempt;
        if (try_start(launch, attempt)) return;
    }
    redact_file(log_path_, secrets());
    throw LaunchError("proxy '" + id_ + "': its port was taken on each of " + std::to_string(attempts_) +
                      " attempts; see " + log_path_.string());
}

ProxyInstance::~ProxyInstance() { stop(); }

bool ProxyInstance::stop() {
    if (!child_) return true;
    const bool clean = child_->stop(settings_.stop_grace);
    redact_file(log_path_, secrets());  // after the stop: nothing writes to the log any more
    return clean;
}

std::vector<std::string> ProxyInstance::secrets() const {
    std::vector<std::string> out = settings_.redact;
    out.push_back(api_key_);
    for (auto& s : profile_secrets(profile_, vars_, api_key_)) out.push_back(std::move(s));
    return out;
}

std::string ProxyInstance::log_tail(std::size_t lines) const {
    return redact_text(file_tail(log_path_, lines), secrets());
}

std::vector<ListenAddress> ProxyInstance::listening() const {
    return child_ ? listening_addresses_of(processes_in_tree(child_->guardian())) : std::vector<ListenAddress>{};
}

void ProxyInstance::prepare_files(const ProxyLaunch& launch) {
    // Rendered per attempt: some proxies rewrite their config files while running (and {port} changes).
    for (const auto& [path_template, content] : launch.files) {
        const std::string at = "/launch/files/" + json_pointer_escape(path_template);
        const std::filesystem::path path = render(path_template, vars_, where(profile_file_, at));
        if (!path.is_absolute() || !(inside(path, home_) || inside(path, state_dir_) || inside(path, tmp_))) {
            // Writing anywhere else would touch the real machine (e.g. a literal ~/.config path).
            throw LaunchError("proxy '" + id_ + "' (" + where(profile_file_, at) + "): file " + path.string() +
                              " is not under {home}, {state_dir} or the run's TMPDIR");
        }
        std::filesystem::create_directories(path.parent_path());
        const nlohmann::json rendered = render_json(content, vars_, where(profile_file_, at));
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        if (rendered.is_string()) out << rendered.get<std::string>();
        else out << rendered.dump(2) << "\n";
        if (!out) throw LaunchError("cannot write " + path.string());
    }
}

ProcessSpec ProxyInstance::make_spec(const ProxyLaunch& launch) const {
    ProcessSpec spec;
    for (std::size_t i = 0; i < launch.command.size(); ++i)
        spec.argv.push_back(
            render(launch.command[i], vars_, where(profile_file_, "/launch/command/" + std::to_string(i))));
    spec.env = minimal_environment();
    spec.env["HOME"] = home_.string();
    spec.env["TMPDIR"] = tmp_.string();
    if (launch.use_preload) {
        spec.env["NODE_OPTIONS"] = node_options_require(settings_.preload);
        spec.env["ROUTECHECK_UPSTREAM"] = settings_.upstream_url;
        std::vector<std::string> origins;
        for (std::size_t i = 0; i < launch.redirect_origins.size(); ++i)
            origins.push_back(render(launch.redirect_origins[i], vars_,
                                     where(profile_file_, "/launch/redirect_origins/" + std::to_string(i))));
        spec.env["ROUTECHECK_REDIRECT"] = join(origins, ",");
    }
    for (const auto& [k, v] : launch.env)
        spec.env[k] = render(v, vars_, where(profile_file_, "/launch/env/" + json_pointer_escape(k)));
    for (const auto& [k, v] : settings_.extra_env) spec.env[k] = v;
    spec.nice = settings_.nice;
    spec.cwd = state_dir_;  // not the install dir: a proxy writing relative paths must not touch node_modules
    spec.log_file = log_path_;
    spec.redact = secrets();  // redacted as it is written: a killed harness leaves no key in the log
    // The temp HOME holds the rendered config, key included: if the harness is SIGKILLed, the guardian removes it.
    if (!settings_.keep_artifacts) spec.remove_when_orphaned = root_->path();
    return spec;
}

bool ProxyInstance::try_start(const ProxyLaunch& launch, int attempt) {
    port_ = free_loopback_port();
    // A second free port for a proxy that also opens a port of its own besides the one clients use
    // (claude-code-router 3: its web UI beside the gateway).
    int aux_port = free_loopback_port();
    for (int i = 0; aux_port == port_ && i < 8; ++i) aux_port = free_loopback_port();
    vars_ = {
        {"port", std::to_string(port_)}, {"aux_port", std::to_string(aux_port)}, {"upstream", settings_.upstream_url},
        {"home", home_.string()},        {"state_dir", state_dir_.string()},     {"install_dir", install_dir_.string()},
        {"api_key", api_key_},           {"preload", settings_.preload.string()}};
    prepare_files(launch);
    const ProcessSpec spec = make_spec(launch);
    {
        std::ofstream log(log_path_, std::ios::app);
        // The command line may carry a credential (--github-token T): redacted like the proxy's own output.
        log << redact_text("=== routecheck: starting " + id_ + " (attempt " + std::to_string(attempt) + ", port " +
                               std::to_string(port_) + "): " + join(spec.argv, " "),
                           secrets())
            << "\n";
    }
    child_ = std::make_unique<ChildProcess>(spec);

    ReadyOptions ready;
    ready.path = launch.ready_path.empty() ? "/" : launch.ready_path;
    ready.deadline = settings_.ready_deadline.value_or(std::chrono::milliseconds(launch.ready_timeout_ms));
    if (!settings_.ready_step.empty()) ready.headers[kStepHeader] = settings_.ready_step;
    try {
        const ReadyResult r = wait_ready(port_, *child_, ready);
        ready_ms_ = r.elapsed;
        ready_status_ = r.status;
    } catch (const LaunchError& e) {
        const bool port_taken = !child_->running() && mentions_port_in_use(child_->log_tail(20));
        child_->stop(settings_.stop_grace);
        if (port_taken) return false;
        redact_file(log_path_, secrets());
        throw LaunchError(redact_text("proxy '" + id_ + "' did not become ready: " + e.what(), secrets()));
    }

    // Something answered on the port; make sure it is ours and that the launch listens on loopback only: every
    // process of it, also one that left the proxy's group (the guardian's subtree holds them all).
    const auto listeners = listening();
    bool ours = false;
    std::vector<std::string> outside;
    for (const auto& l : listeners) {
        if (l.port == port_) ours = true;
        if (!l.loopback_v4()) outside.push_back(l.text());
    }
    if (!ours) {
        // Another process took the port between our probe and the proxy's listen(); the proxy will fail or
        // listen elsewhere. Start over on a new port.
        child_->stop(settings_.stop_grace);
        return false;
    }
    if (settings_.require_loopback_only && !outside.empty()) {
        child_->stop(settings_.stop_grace);
        redact_file(log_path_, secrets());
        throw LaunchError("proxy '" + id_ + "' listens on " + join(outside, ", ") +
                          " (only 127.0.0.1 is allowed; is the preload active? launch.use_preload=" +
                          (launch.use_preload ? "true" : "false") + ")\n" + log_tail(20));
    }
    run_after_ready(launch);
    return true;
}

void ProxyInstance::run_after_ready(const ProxyLaunch& launch) {
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < launch.after_ready.size(); ++i) {
        const SetupRequest& r = launch.after_ready[i];
        const std::string at = "/launch/after_ready/" + std::to_string(i);
        const std::string path = render(r.path, vars_, where(profile_file_, at + "/path"));
        std::map<std::string, std::string> headers;
        for (const auto& [k, v] : r.headers)
            headers[k] = render(v, vars_, where(profile_file_, at + "/headers/" + json_pointer_escape(k)));
        std::string body;
        if (!r.body.is_null()) {
            body = render_json(r.body, vars_, where(profile_file_, at + "/body")).dump();
            if (!headers.count("content-type")) headers["content-type"] = "application/json";
        }
        if (!settings_.ready_step.empty()) headers[kStepHeader] = settings_.ready_step;
        const SetupAnswer a =
            send_setup_request(port_, r.method, path, headers, body, std::chrono::milliseconds(10000));
        const bool ok = r.expect_status != 0 ? a.status == r.expect_status : a.status >= 200 && a.status < 300;
        if (!ok) {
            child_->stop(settings_.stop_grace);
            redact_file(log_path_, secrets());
            const std::string got = a.status == 0 ? "no answer (" + a.error + ")"
                                                  : "status " + std::to_string(a.status) + ": " + a.body.substr(0, 400);
            throw LaunchError(redact_text("proxy '" + id_ + "' (" + where(profile_file_, at) + "): setup request " +
                                              r.method + " " + path + " got " + got + "\n" + log_tail(20),
                                          secrets()));
        }
    }
    if (launch.ready_status != 0) {
        // Some proxies answer their health endpoint at once but serve only after the setup took effect
        // (better-ccflare: 503 until its usage worker runs and an account is routable).
        ReadyOptions again;
        again.path = launch.ready_path.empty() ? "/" : launch.ready_path;
        again.deadline = settings_.ready_deadline.value_or(std::chrono::milliseconds(launch.ready_timeout_ms));
        again.want_status = launch.ready_status;
        if (!settings_.ready_step.empty()) again.headers[kStepHeader] = settings_.ready_step;
        try {
            ready_status_ = wait_ready(port_, *child_, again).status;
        } catch (const LaunchError& e) {
            child_->stop(settings_.stop_grace);
            redact_file(log_path_, secrets());
            throw LaunchError(
                redact_text("proxy '" + id_ + "' did not report ready after its setup: " + e.what(), secrets()));
        }
    }
    // Ready means ready to replay: the setup is part of the start.
    ready_ms_ += std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
}

}  // namespace routecheck::launch
