// Shared by the install and recipe tests: shell runs with captured output, temp folders, and a stand-in for a
// proxy project's repository (a tiny Node proxy started by a plain command, and its routecheck fixtures folder).
#pragma once
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace rc_install {

namespace fs = std::filesystem;

struct Result {
    int rc = -1;
    std::string out, err;
    std::string both() const { return "--- stdout\n" + out + "--- stderr\n" + err; }
};

inline std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline void spit(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << text;
}

inline std::string sh_quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

using Env = std::vector<std::pair<std::string, std::string>>;

// Runs `script` with bash in `cwd`, with `env` exported on top of this process's environment.
inline Result run_bash(const std::string& script, const fs::path& cwd, const Env& env = {},
                       const std::string& bash_flags = "") {
    static int counter = 0;
    fs::path dir =
        fs::temp_directory_path() / ("rc-install-run-" + std::to_string(getpid()) + "-" + std::to_string(++counter));
    fs::create_directories(dir);
    std::string prelude = "cd " + sh_quote(cwd.string()) + " || exit 97\n";
    for (const auto& [k, v] : env) prelude += "export " + k + "=" + sh_quote(v) + "\n";
    spit(dir / "script.sh", prelude + script + "\n");
    std::string cmd = "bash " + bash_flags + " " + sh_quote((dir / "script.sh").string()) + " >" +
                      sh_quote((dir / "out").string()) + " 2>" + sh_quote((dir / "err").string()) + " </dev/null";
    int status = std::system(cmd.c_str());
    Result r;
    r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    r.out = slurp(dir / "out");
    r.err = slurp(dir / "err");
    fs::remove_all(dir);
    return r;
}

// A temp folder removed at the end of the test (kept with RC_KEEP_TEMP=1, for looking at a failure).
class TempFolder {
public:
    explicit TempFolder(const std::string& prefix) {
        std::string tmpl = (fs::temp_directory_path() / (prefix + "XXXXXX")).string();
        if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
        path_ = tmpl;
    }
    ~TempFolder() {
        const char* keep = std::getenv("RC_KEEP_TEMP");
        if (!(keep && *keep == '1')) {
            std::error_code ec;
            fs::remove_all(path_, ec);
        }
    }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

// Installs the build tree into `prefix` the way docs/ci.md does.
inline Result install_into(const fs::path& prefix) {
    return run_bash("cmake --install " + sh_quote(RC_BUILD_DIR) + " --prefix " + sh_quote(prefix.string()), "/");
}

// The stand-in proxy: not an npm package, started as a plain command. It serves /health, a local /v1/models, and
// forwards POST /v1/messages (headers included, so x-routecheck-step reaches the mock upstream) to the upstream
// its environment names; 401 on /v1/* without its key.
inline const char* kTinyProxy =
    R"JS(// tiny proxy: the stand-in for a proxy project's own build in routecheck's install tests
import http from 'node:http';
const args = process.argv.slice(2);
const port = Number(args[args.indexOf('--port') + 1]);
const upstream = process.env.MY_PROXY_UPSTREAM || '';
const key = process.env.MY_PROXY_KEY || '';
const json = (res, status, body) => {
  res.writeHead(status, {'content-type': 'application/json'});
  res.end(JSON.stringify(body));
};
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (req.method === 'GET' && url.pathname === '/health') return json(res, 200, {ok: true});
  if (!url.pathname.startsWith('/v1/')) return json(res, 404, {error: 'not found'});
  const given = req.headers['x-api-key'] || (req.headers['authorization'] || '').replace(/^Bearer /, '');
  if (key && given !== key) return json(res, 401, {error: 'invalid key'});
  if (req.method === 'GET' && url.pathname === '/v1/models') return json(res, 200, {data: [{id: 'tiny', type: 'model'}]});
  if (req.method !== 'POST' || url.pathname !== '/v1/messages') return json(res, 404, {error: 'no route'});
  if (!upstream) return json(res, 502, {error: 'no upstream configured'});
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const headers = {...req.headers};
    for (const h of ['host', 'x-api-key', 'authorization', 'content-length', 'connection']) delete headers[h];
    headers['x-api-key'] = 'upstream-key';
    headers['content-length'] = String(body.length);
    const up = http.request(upstream + '/v1/messages' + url.search, {method: 'POST', headers}, (ur) => {
      res.writeHead(ur.statusCode, {'content-type': ur.headers['content-type'] || 'application/json'});
      ur.pipe(res);
    });
    up.on('error', (e) => json(res, 502, {error: 'upstream: ' + e.message}));
    up.end(body);
  });
});
server.listen(port, '127.0.0.1');
for (const s of ['SIGTERM', 'SIGINT']) process.on(s, () => server.close(() => process.exit(0)));
)JS";

inline nlohmann::json tiny_profile(const std::string& id, bool redirect) {
    nlohmann::json env = {{"MY_PROXY_KEY", "{api_key}"}};
    // Without redirection the proxy keeps "its" upstream: a port where nothing listens stands for a real service.
    env["MY_PROXY_UPSTREAM"] = redirect ? "{upstream}" : "http://127.0.0.1:9";
    nlohmann::json p = {{"id", id},
                        {"name", id},
                        {"provenance", "launched"},
                        {"launch",
                         {{"command", {"{install_dir}/target/release/my-proxy", "--port", "{port}"}},
                          {"env", env},
                          {"ready_path", "/health"},
                          {"ready_timeout_ms", 15000},
                          {"preload", false}}},
                        {"upstream", {{"protocols", {"anthropic"}}}},
                        {"health", {{"path", "/health"}}},
                        {"auth", {{"key", "rc-test-key-1"}, {"carriers", {"x-api-key", "authorization"}}}},
                        {"capabilities", {"anthropic"}},
                        {"routes",
                         {{{"method", "GET"}, {"path", "/health"}},
                          {{"method", "GET"}, {"path", "/v1/models"}},
                          {{"method", "POST"}, {"path", "/v1/messages"}}}}};
    if (!redirect) p["upstream"]["redirect"] = false;
    return p;
}

// A proxy project's repository: the proxy "built" at target/release/my-proxy (a script that runs the tiny Node
// proxy), and its routecheck fixtures folder `routecheck/` with the profile (no expected table yet).
inline void write_proxy_repo(const fs::path& repo) {
    spit(repo / "tiny-proxy.mjs", kTinyProxy);
    fs::path bin = repo / "target" / "release" / "my-proxy";
    spit(bin, "#!/bin/sh\nexec node \"$(dirname \"$0\")/../../tiny-proxy.mjs\" \"$@\"\n");
    fs::permissions(bin, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec,
                    fs::perm_options::replace);
    spit(repo / "routecheck" / "proxies" / "my-proxy.json", tiny_profile("my-proxy", true).dump(2) + "\n");
}

}  // namespace rc_install
