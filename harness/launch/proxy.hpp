// One running proxy for a run: temp HOME/TMPDIR/state dir, rendered config files, the Node preload, a free
// loopback port, readiness, and a check that it listens on 127.0.0.1 only. Stopped (whole process group)
// when the object goes away.
#pragma once
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "launch/ports.hpp"
#include "launch/process.hpp"
#include "launch/tempdir.hpp"
#include "launch/template.hpp"
#include "model/fixtures.hpp"

namespace routecheck::launch {

struct ProxySettings {
    std::string upstream_url;            // mock upstream base, "http://127.0.0.1:M"
    std::filesystem::path preload;       // absolute path of harness/launch/preload.cjs
    std::filesystem::path install_root;  // the folder the profile's npm.dir is relative to (repo root)
    std::filesystem::path run_dir;       // where the log and temp dirs go; empty: system temp
    std::optional<std::string> api_key;  // default: the profile's auth.key
    bool keep_artifacts = false;         // keep the temp HOME/state dir after the run
    std::optional<std::chrono::milliseconds> ready_deadline;  // default: launch.ready_timeout_ms
    int port_attempts = 3;                                    // new port and relaunch when the port was taken meanwhile
    std::chrono::milliseconds stop_grace{3000};
    Environment extra_env;                    // added last, e.g. ROUTECHECK_PRELOAD_DEBUG=1
    std::string ready_step = "launch/ready";  // x-routecheck-step of the readiness probe ("" = none)
    bool require_loopback_only = true;        // fail if any listener of the group is not 127.0.0.1
    // Secrets cut from the kept log and from log tails in errors, besides the api key (always): e.g. the
    // placeholder and wrong keys the replay sends. A proxy that logs the keys it is sent must not put them
    // into a report folder.
    std::vector<std::string> redact;
    int nice = 0;  // ProcessSpec::nice of the proxy's processes
};

class ProxyInstance {
public:
    // Launches and waits until ready. Throws LaunchError (not installed, start failure, early exit, deadline,
    // non-loopback listener) or TemplateError (bad placeholder in the profile).
    ProxyInstance(const ProxyProfile& profile, ProxySettings settings);
    ~ProxyInstance();  // stop()
    ProxyInstance(const ProxyInstance&) = delete;
    ProxyInstance& operator=(const ProxyInstance&) = delete;

    const std::string& id() const { return id_; }
    int port() const { return port_; }
    std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    std::chrono::milliseconds ready_ms() const { return ready_ms_; }
    int ready_status() const { return ready_status_; }
    int attempts() const { return attempts_; }
    const std::filesystem::path& log_path() const { return log_path_; }
    std::string log_tail(std::size_t lines = 40) const;  // redacted
    const std::filesystem::path& home() const { return home_; }
    const std::filesystem::path& state_dir() const { return state_dir_; }
    const std::filesystem::path& install_dir() const { return install_dir_; }
    pid_t pid() const { return child_ ? child_->pid() : -1; }
    bool alive() { return child_ && child_->running(); }
    // group_cpu_ms() of the proxy's process group: what it has cost so far (read before stop()).
    double cpu_ms() const { return child_ ? group_cpu_ms(child_->pgid()) : 0; }
    // True if the proxy has exited or exits within `timeout` (a crash seen as a reset connection can reach
    // the harness a moment before the process is gone).
    bool exits_within(std::chrono::milliseconds timeout) { return !child_ || child_->wait_exit(timeout); }
    std::string exit_description() { return child_ ? child_->exit_description() : "not started"; }
    std::vector<ListenAddress> listening() const;
    // The rendered placeholder values of this run ({port}, {upstream}, {home}, ...), for other templates.
    const TemplateVars& vars() const { return vars_; }
    // Every secret this instance knows: its key, settings.redact, and profile_secrets() with this run's values.
    // Its log is redacted with them as it is written.
    std::vector<std::string> secrets() const;

    // Stops the process group (SIGTERM, grace, SIGKILL), then redacts the log. Idempotent; returns true if it
    // exited on SIGTERM.
    bool stop();

private:
    void prepare_files(const ProxyLaunch& launch);
    ProcessSpec make_spec(const ProxyLaunch& launch) const;
    bool try_start(const ProxyLaunch& launch, int attempt);  // false: the port was taken, try another
    void run_after_ready(const ProxyLaunch& launch);         // launch.after_ready; throws LaunchError

    std::string id_;
    std::filesystem::path profile_file_;
    ProxySettings settings_;
    std::string api_key_;
    std::filesystem::path install_dir_;
    std::unique_ptr<TempDir> root_;
    std::filesystem::path home_, tmp_, state_dir_, log_path_;
    TemplateVars vars_;
    int port_ = 0;
    int attempts_ = 0;
    int ready_status_ = 0;
    std::chrono::milliseconds ready_ms_{0};
    std::unique_ptr<ChildProcess> child_;
    ProxyProfile profile_;  // a copy: callers may pass a temporary
};

// The secrets a proxy profile carries, rendered with `vars` (a value whose placeholders `vars` cannot fill is left
// out): its key (auth.key, or `api_key` when given), every extra header value but those of public_headers, and the
// credentials of its launch section: values of environment variables and config-file keys whose names say they
// are credentials (names_a_credential in text/secrets.hpp), and the value of a credential-named command flag
// ("--github-token T" or "--github-token=T"). What the run redacts from logs, reports and messages.
std::vector<std::string> profile_secrets(const ProxyProfile& profile, const TemplateVars& vars,
                                         const std::string& api_key = "");

// Checks that the profile's npm package is installed under `install_root` / npm.dir at the pinned version (a
// profile with a "package" section instead: check_package_installed); returns the install folder. Throws
// LaunchError naming the profile, the missing path, and telling the user to run scripts/setup.
std::filesystem::path check_installed(const ProxyProfile& profile, const std::filesystem::path& install_root);

// The same for a profile's "package" section (PyPI venv, Go build): returns install_root / package.dir, or throws
// LaunchError naming the missing `installed` path and telling the user to run scripts/setup <id>.
std::filesystem::path check_package_installed(const ProxyProfile& profile, const std::filesystem::path& install_root);

// Rewrites `file` with every secret cut (redact_text(), launch/process.hpp), reading and writing 64 KiB at a time
// (StreamRedactor), so its size does not matter; left as it is when it holds no secret. False if it could not be
// read or written. Never throws.
bool redact_file(const std::filesystem::path& file, const std::vector<std::string>& secrets) noexcept;

// NODE_OPTIONS value that loads `preload` (quoted so paths with spaces work).
std::string node_options_require(const std::filesystem::path& preload);

}  // namespace routecheck::launch
