#include "text/words.hpp"

#include <cctype>

namespace routecheck {

std::string plural(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string with_article(const std::string& word) {
    // By letter, not sound: right for the API and proxy names these messages hold.
    const char c = word.empty() ? 'x' : static_cast<char>(std::tolower(static_cast<unsigned char>(word[0])));
    const bool vowel = c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
    return (vowel ? "an " : "a ") + word;
}

}  // namespace routecheck
