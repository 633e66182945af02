#include "text/secrets.hpp"

#include <algorithm>
#include <cctype>
#include <mutex>

#include <nlohmann/json.hpp>

#include "text/utf8.hpp"

namespace routecheck {

namespace {

std::mutex g_mutex;
std::vector<std::string> g_secrets;

std::string json_escaped(const std::string& s) {
    std::string quoted = nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return quoted.substr(1, quoted.size() - 2);
}

void replace_all(std::string& text, const std::string& secret) {
    const std::string mark = kRedacted;
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + mark.size()))
        text.replace(at, secret.size(), mark);
}

}  // namespace

std::string redact_text(std::string text, const std::vector<std::string>& secrets) {
    // Longest first: a secret that contains another is cut whole, not around the shorter one.
    std::vector<std::string> order = secrets;
    std::stable_sort(order.begin(), order.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    for (const auto& secret : order) {
        if (secret.size() < kMinSecretLength) continue;
        // The secret as a proxy may have written it (raw, or inside JSON or HTML it produced) and as a report file
        // then writes that (escaped once more for JSON or HTML): every composition of up to two escapings.
        std::vector<std::string> forms = {secret};
        for (std::size_t level = 0, from = 0; level < 2; ++level) {
            std::size_t to = forms.size();
            for (std::size_t i = from; i < to; ++i)
                for (std::string f : {json_escaped(forms[i]), html_escape(forms[i])})
                    if (std::find(forms.begin(), forms.end(), f) == forms.end()) forms.push_back(std::move(f));
            from = to;
        }
        for (const auto& form : forms) replace_all(text, form);
    }
    return text;
}

void remember_secret(const std::string& secret) {
    if (secret.size() < kMinSecretLength) return;
    std::lock_guard<std::mutex> lock(g_mutex);
    if (std::find(g_secrets.begin(), g_secrets.end(), secret) == g_secrets.end()) g_secrets.push_back(secret);
}

void remember_secrets(const std::vector<std::string>& secrets) {
    for (const auto& s : secrets) remember_secret(s);
}

std::vector<std::string> known_secrets() {
    std::lock_guard<std::mutex> lock(g_mutex);
    return g_secrets;
}

void forget_known_secrets() {
    std::lock_guard<std::mutex> lock(g_mutex);
    g_secrets.clear();
}

std::string redact_known(std::string text) { return redact_text(std::move(text), known_secrets()); }

bool names_a_credential(std::string_view name) {
    std::string n(name);
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const char* word : {"key", "token", "secret", "password", "passwd", "credential", "authorization", "cookie"})
        if (n.find(word) != std::string::npos) return true;
    return false;
}

}  // namespace routecheck
