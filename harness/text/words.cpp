#include "text/words.hpp"

#include <algorithm>
#include <cctype>

#include "text/utf8.hpp"

namespace routecheck {

std::string plural(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string possessive(const std::string& name) {
    return name + (!name.empty() && (name.back() == 's' || name.back() == 'S') ? "'" : "'s");
}

std::string with_article(const std::string& word) {
    // By letter, not sound: right for the API and proxy names these messages hold.
    const char c = word.empty() ? 'x' : static_cast<char>(std::tolower(static_cast<unsigned char>(word[0])));
    const bool vowel = c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
    return (vowel ? "an " : "a ") + word;
}

std::string one_line(std::string text, std::size_t max_bytes) {
    for (auto& c : text)
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    if (text.size() <= max_bytes) return text;
    // The longest prefix of whole characters within max_bytes.
    std::size_t end = 0;
    for (std::size_t i = 0; i < max_bytes;) {
        const std::size_t n = std::max<std::size_t>(1, utf8_sequence_length(text, i));
        if (i + n > max_bytes) break;
        i += n;
        end = i;
    }
    // A word cut in two reads as another word (a path, a host): cut at a space instead, unless that loses half.
    const std::size_t space = text.rfind(' ', end);
    if (space != std::string::npos && space >= max_bytes / 2) end = space;
    while (end > 0 && text[end - 1] == ' ') --end;
    return text.substr(0, end) + " …";
}

}  // namespace routecheck
