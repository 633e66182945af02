#include "text/secrets.hpp"

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>
#include <utility>

#include <nlohmann/json.hpp>

#include "text/utf8.hpp"

namespace routecheck {

namespace {

std::mutex g_mutex;
std::vector<std::string> g_secrets;
// secret_forms(g_secrets), made again when a secret is added: redact_known() runs on every report file, log line and
// message, and working the forms out each time was most of its cost (about a third of the harness's own CPU in a
// full matrix run, by perf).
std::shared_ptr<const std::vector<std::string>> g_forms = std::make_shared<const std::vector<std::string>>();

std::string json_escaped(const std::string& s) {
    std::string quoted = nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return quoted.substr(1, quoted.size() - 2);
}

std::size_t replace_all(std::string& text, const std::string& secret) {
    const std::string mark = kRedacted;
    std::size_t n = 0;
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + mark.size()), ++n)
        text.replace(at, secret.size(), mark);
    return n;
}

}  // namespace

std::vector<std::string> secret_forms(const std::vector<std::string>& secrets) {
    // Longest first: a secret that contains another is cut whole, not around the shorter one.
    std::vector<std::string> order = secrets;
    std::stable_sort(order.begin(), order.end(),
                     [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    std::vector<std::string> all;
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
        for (auto& f : forms)
            if (std::find(all.begin(), all.end(), f) == all.end()) all.push_back(std::move(f));
    }
    return all;
}

std::string redact_text(std::string text, const std::vector<std::string>& secrets) {
    for (const auto& form : secret_forms(secrets)) replace_all(text, form);
    return text;
}

namespace {

std::shared_ptr<const std::vector<std::string>> known_forms() {
    std::lock_guard<std::mutex> lock(g_mutex);
    return g_forms;
}

}  // namespace

StreamRedactor::StreamRedactor(const std::vector<std::string>& secrets) : forms_(secret_forms(secrets)) {
    for (const auto& f : forms_) hold_ = std::max(hold_, f.size() - 1);
}

std::string StreamRedactor::redact(std::string text) {
    for (const auto& form : forms_) cut_ += replace_all(text, form);
    return text;
}

std::string StreamRedactor::feed(std::string_view piece) {
    pending_.append(piece);
    if (pending_.size() <= hold_) return {};
    // An occurrence that starts before `cut` lies wholly in pending_ (no form is longer than hold_ + 1), so it is
    // decided now; one that starts later waits for the next piece, a shorter form inside it too (longest first).
    const std::string mark = kRedacted;
    std::size_t cut = pending_.size() - hold_;
    for (const auto& form : forms_) {
        for (auto at = pending_.find(form); at != std::string::npos && at < cut;
             at = pending_.find(form, at + mark.size())) {
            pending_.replace(at, form.size(), mark);
            ++cut_;
            cut = at + form.size() <= cut ? cut - form.size() + mark.size() : at + mark.size();
        }
    }
    std::string out = pending_.substr(0, cut);
    pending_.erase(0, cut);
    return out;
}

std::string StreamRedactor::flush() { return redact(std::exchange(pending_, {})); }

void remember_secret(const std::string& secret) {
    if (secret.size() < kMinSecretLength) return;
    std::lock_guard<std::mutex> lock(g_mutex);
    if (std::find(g_secrets.begin(), g_secrets.end(), secret) != g_secrets.end()) return;
    g_secrets.push_back(secret);
    g_forms = std::make_shared<const std::vector<std::string>>(secret_forms(g_secrets));
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
    g_forms = std::make_shared<const std::vector<std::string>>();
}

std::string redact_known(std::string text) {
    for (const auto& form : *known_forms()) replace_all(text, form);
    return text;
}

bool names_a_credential(std::string_view name) {
    std::string n(name);
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const char* word : {"key", "token", "secret", "password", "passwd", "credential", "authorization", "cookie"})
        if (n.find(word) != std::string::npos) return true;
    return false;
}

}  // namespace routecheck
