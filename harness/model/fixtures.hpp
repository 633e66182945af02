// The fixture model: client profiles, Base URL variants, proxy profiles and expected tables, as loaded and
// validated from fixtures/ (see docs/design.md for the file formats).
#pragma once
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/behaviour.hpp"
#include "model/observed.hpp"

namespace routecheck {

struct Variant {
    std::string id;
    std::string base_url;  // with {port} / {closed_port} placeholders
    std::string note;
};

enum class JoinRule { Concat, ConcatRaw, Resolve };

// A profile's "join": the rule, and what the client does to the Base URL path before it appends (data, so a new
// client's habit needs no code): {"rule": "concat", "strip_suffix": ["/v1"]} for a client that drops a trailing
// /v1 and then appends "/v1/responses" itself (Qwen Code's openai-responses mode); "endpoint_if_missing": true for
// one that appends its endpoint only when the Base URL path does not already end with it (LiteLLM's anthropic/
// models: ".../v1/messages" stays, "/v1" gets "/v1/v1/messages"); "version_if_missing": true for one that adds its endpoint's leading version only when the Base
// URL path does not already end in a version segment (v1, v1beta, v2alpha1: Cline 3.x's gemini mode, "/v1" +
// "/v1beta/models/..." -> "/v1/models/..."). They apply to concat and concat_raw, after concat drops the
// trailing slashes, in this order: strip_suffix, version_if_missing, endpoint_if_missing.
struct JoinSpec {
    JoinRule rule = JoinRule::Concat;
    std::vector<std::string> strip_suffix;  // the first one the path ends with (at a segment boundary) is removed once
    bool endpoint_if_missing = false;       // nothing is appended when the path already ends with the endpoint
    bool version_if_missing = false;        // the endpoint's leading version only when the path ends in none
    JoinSpec() = default;
    JoinSpec(JoinRule r) : rule(r) {}  // NOLINT(google-explicit-constructor): a bare rule is a JoinSpec
    bool plain() const { return strip_suffix.empty() && !endpoint_if_missing && !version_if_missing; }
};

struct Step {
    std::string id;                              // unique within the profile, e.g. "prompt.messages"
    std::string call;                            // the user-level call this step belongs to
    std::string method;                          // GET, POST, ...
    std::string endpoint;                        // appended to the Base URL by the join rule
    std::string query;                           // without '?', may be empty
    std::map<std::string, std::string> headers;  // lower-case names; the key header is not stored here
    std::optional<nlohmann::json> body;
    bool stream = false;
    bool websocket = false;     // the client attempts a websocket upgrade here
    bool spends_quota = false;  // would reach the upstream model (attach mode skips it unless allowed)
    // The client cannot work without this step (its chat, messages or generate call). Optional steps (a model
    // listing for a picker, count_tokens, a websocket attempt it falls back from) are shown as warnings and never
    // decide a cell's verdict. Fixture key "essential"; default true, false for a websocket attempt.
    bool essential = true;
};

// One way a client sends its key: the header, its value prefix, and the client's own setting that makes it send
// the key this way (an environment variable, a config key or an SDK option). `seen`: "recorded" when a recording
// of the real client showed it, "documented" when it comes from the client's docs or source.
struct KeyCarrier {
    std::string header;   // lower case: authorization | x-api-key | x-goog-api-key
    std::string prefix;   // e.g. "Bearer "
    std::string setting;  // e.g. "ANTHROPIC_AUTH_TOKEN"; "" when unknown
    std::string seen;     // recorded | documented
};

struct Recording {
    std::string variant;
    std::string base_url;
    std::vector<std::string> requests;  // "METHOD /path?query" as the real client sent them
};

struct ClientProfile {
    std::string id;
    std::string name;
    std::string protocol;
    nlohmann::json provenance;
    std::string provenance_kind;  // recorded | source
    JoinSpec join;
    std::string auth_header;               // the default key carrier's header (key_carriers.front()), lower case
    std::string auth_prefix;               // ...and its prefix, e.g. "Bearer "
    std::vector<KeyCarrier> key_carriers;  // every way the client can send its key; the first is the default

    // The carrier whose setting or header is `name` (case-insensitive), or null.
    const KeyCarrier* carrier(const std::string& name) const;
    std::vector<Step> steps;
    std::vector<Recording> recordings;
    // Set when this client mode sends nothing to the Base URL (recorded: no request reached the recorder at any
    // variant): what it does instead and where that is known from. Such a profile has no steps, and each of its
    // cells is judged BASE_URL_IGNORED. Fixture key "base_url_ignored".
    std::string base_url_ignored;
    // Where a user types the Base URL in this client (an environment variable, an option, a config key), as the
    // client's own docs or the recording's command name it: "ANTHROPIC_BASE_URL", "baseURL (createOpenAI option)".
    // "" when the profile does not say. A fix that changes the Base URL says "set <it> to URL". Fixture key
    // "base_url_setting".
    std::string base_url_setting;
    std::filesystem::path file;
};

struct Route {
    std::string method;     // or "*" for any
    std::string path;       // segments; "*" one segment, "**" the rest
    bool fallback = false;  // a catch-all that is not an API route (a web UI, static files): never a route match
};

// One HTTP request the harness sends to a launched proxy once it answers, before any cell: for a proxy whose
// upstream can only be configured over its own API (better-ccflare adds accounts with POST /api/accounts).
// Path, header values and string leaves of the body are templates ({upstream}, {api_key}, ...).
struct SetupRequest {
    std::string method;
    std::string path;
    std::map<std::string, std::string> headers;
    nlohmann::json body;    // null: no body; sent as JSON otherwise
    int expect_status = 0;  // 0: any 2xx
};

struct ProxyLaunch {
    std::vector<std::string> command;
    std::map<std::string, std::string> env;
    std::map<std::string, nlohmann::json> files;  // path template -> JSON (rendered) or string (raw text)
    std::vector<std::string> redirect_origins;
    std::string ready_path;
    int ready_timeout_ms = 20000;
    bool use_preload = true;
    std::vector<SetupRequest> after_ready;  // sent in order once ready; a failure is a launch failure
    int ready_status = 0;  // with after_ready: then poll ready_path until it answers this status (0: don't)
};

struct ProxyProfile {
    std::string id;
    std::string name;
    std::string provenance;  // launched | source
    std::string npm_package, npm_version, npm_dir;
    // A proxy installed from another registry by scripts/setup (the "package" section): PyPI into a venv, a Go
    // module built with `go build`. {install_dir} is `dir`; the proxy counts as installed when `installed`
    // (relative to dir) exists, which setup creates last.
    struct Package {
        std::string registry;  // pypi | go
        std::string name, version, dir, installed;
    };
    std::optional<Package> package;
    std::optional<ProxyLaunch> launch;  // absent for source-only profiles
    std::vector<std::string> upstream_protocols;
    // upstream.redirect: false when the proxy cannot be pointed at the mock upstream (no config, env or preload
    // reaches its upstream calls). The matrix then replays only the quota-safe steps, as attach mode does.
    bool upstream_redirect = true;
    std::string health_path;
    std::string api_key;
    std::vector<std::string> auth_carriers;            // authorization | x-api-key | x-goog-api-key
    std::map<std::string, std::string> extra_headers;  // sent with every replayed request
    // Headers sent only for clients of one protocol ("openai", "openai-responses", "anthropic", "gemini"; a
    // family key such as "openai" also covers "openai-responses" unless that has its own entry). Values may name
    // {upstream}: a proxy like Portkey is told the upstream per request, and which one depends on the client.
    std::map<std::string, std::map<std::string, std::string>> extra_headers_by_protocol;
    // Extra headers whose values are not secrets (Portkey's provider name and upstream URL), lower case. Every
    // other extra header value is a secret: redacted from reports, logs and messages (text/secrets.hpp).
    std::vector<std::string> public_headers;
    // Step endpoint suffix ("/chat/completions", "/responses") -> what the body's "model" must become for this
    // proxy ("{model}" is the client's model): what a real user has to type as the model name for that call,
    // e.g. claude-code-router wants "provider,model". The longest matching suffix wins.
    std::map<std::string, std::string> model_map;
    std::vector<std::string> capabilities;
    std::vector<Route> routes;
    // false when the route table is not known ("behaviour": {"routes_known": false}: a probe that met a key checked
    // before routing, without the key). Then the judge says nothing about a path but its shape.
    bool routes_known = true;
    // Prefixes whose routes were not seen ("behaviour": {"routes_unseen_under": ["/v1"]}): a probe without the key
    // of a proxy that checks it before routing under them. The judge then draws no "served at no Base URL"
    // conclusion from the table (a call may be served there): it judges such a call by its shape only.
    std::vector<std::string> routes_unseen_under;
    std::optional<Behaviour> behaviour;  // source profiles: the contract harness/contract/predict.cpp reads
    nlohmann::json raw;                  // the whole document, for sections other modules read
    std::filesystem::path file;
};

struct ExpectedStep {
    std::string step;
    std::string request;  // "METHOD /path?query"
    int status = 0;       // 0 = connection failed
    std::vector<std::string> upstream;
    std::string diagnosis;  // the verdict class the step must get ("" in a table written before classes)
    std::string note;       // a reviewer's note, e.g. "needs upstream: ..." on an answer the upstream would change
};

struct ExpectedTable {
    std::string proxy;
    std::string provenance;
    // client -> variant -> rows
    std::map<std::string, std::map<std::string, std::vector<ExpectedStep>>> cells;
    std::filesystem::path file;
};

// True when an expected table or grid file (`doc`, any JSON) has a "provenance" string starting with "observed": it
// holds what a real proxy answered. "predicted from source" holds a contract's predictions, regenerated from it.
bool says_observed(const nlohmann::json& doc);

struct Fixtures {
    std::vector<Variant> variants;
    std::vector<ClientProfile> clients;
    std::vector<ProxyProfile> proxies;
    std::map<std::string, ExpectedTable> expected;   // by proxy id
    std::map<std::string, ObservedProbes> observed;  // by proxy id: probes of a source proxy that was run once
    std::vector<std::filesystem::path> roots;

    const ClientProfile* client(const std::string& id) const;
    const ProxyProfile* proxy(const std::string& id) const;
    const Variant* variant(const std::string& id) const;
};

// Loads fixture folders in order; a later folder may add files. A clash of ids is an error unless
// `allow_override`. Throws FixtureError naming the file and JSON pointer of the first problem.
Fixtures load_fixtures(const std::vector<std::filesystem::path>& roots, bool allow_override = false);

ClientProfile parse_client(const nlohmann::json& doc, const std::filesystem::path& file);
ProxyProfile parse_proxy(const nlohmann::json& doc, const std::filesystem::path& file);
std::vector<Variant> parse_variants(const nlohmann::json& doc, const std::filesystem::path& file);
ExpectedTable parse_expected(const nlohmann::json& doc, const std::filesystem::path& file);

}  // namespace routecheck
