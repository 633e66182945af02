// Keys never reach disk or the screen. Every secret a run knows (a proxy's key, --api-key, the values of a
// profile's extra headers, credentials rendered into a proxy's launch files) is remembered here, process-wide,
// and cut from every report file, kept log, console line and error message on its way out. Process-wide on
// purpose: an error message may be built anywhere, and whatever prints it must be able to redact it.
#pragma once
#include <cstddef>
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

// Every form redact_text() cuts of these secrets (each secret and its JSON and HTML escapings, up to two deep),
// longest first; secrets shorter than kMinSecretLength are left out.
std::vector<std::string> secret_forms(const std::vector<std::string>& secrets);

// redact_text() for text that arrives in pieces (a log file read a block at a time): a secret split between two
// pieces is still cut, and memory stays at one piece plus the longest form, whatever the whole text's size.
class StreamRedactor {
public:
    explicit StreamRedactor(const std::vector<std::string>& secrets);
    // What can be written now: the held-back bytes and `piece`, redacted, except the last bytes that could begin a
    // secret the next piece completes.
    std::string feed(std::string_view piece);
    // Everything held back, redacted: at the end, or where the text is known to break (a secret holds no newline,
    // so after a complete line nothing needs to wait).
    std::string flush();
    // How many secrets were cut so far (0: the text had none).
    std::size_t cut() const { return cut_; }

private:
    std::string redact(std::string text);
    std::vector<std::string> forms_;
    std::size_t hold_ = 0;  // the longest form minus one
    std::string pending_;
    std::size_t cut_ = 0;
};

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
