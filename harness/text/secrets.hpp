// Keys never reach disk or the screen. Every secret a run knows (a proxy's key, --api-key, the values of a
// profile's extra headers, credentials rendered into a proxy's launch files) is remembered here, process-wide,
// and cut from every report file, kept log, console line and error message on its way out. Process-wide on
// purpose: an error message may be built anywhere, and whatever prints it must be able to redact it.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace routecheck {

// What replaces a secret.
inline constexpr const char* kRedacted = "[redacted]";

// Secrets shorter than this are not redacted: cutting every "key" or "sk" would shred ordinary words.
inline constexpr std::size_t kMinSecretLength = 4;

// `text` with every occurrence of each secret (of kMinSecretLength bytes or more) replaced by "[redacted]", in
// every form up to two JSON or HTML escapings make of it (a key holding '"' or '&' that a proxy quoted in its JSON
// body is escaped once more in matrix.json and index.html). Longer secrets are cut first.
std::string redact_text(std::string text, const std::vector<std::string>& secrets);

// Adds a secret for the rest of the process. Thread-safe; a secret shorter than kMinSecretLength is ignored.
void remember_secret(const std::string& secret);
void remember_secrets(const std::vector<std::string>& secrets);
std::vector<std::string> known_secrets();
// Forgets every secret: only for tests and fuzz targets that run many independent "runs" in one process.
void forget_known_secrets();

// redact_text(text, known_secrets()).
std::string redact_known(std::string text);

// True when a setting's name (an environment variable, a config file key, a command-line flag) says its value is
// a credential: it holds "key", "token", "secret", "password", "passwd", "credential", "authorization" or
// "cookie", in any case ("APIKEY", "apiKey", "--github-token", "OPENAI_API_KEY").
bool names_a_credential(std::string_view name);

}  // namespace routecheck
