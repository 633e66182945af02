// Small pieces of English for messages: counted nouns and the indefinite article.
#pragma once
#include <cstddef>
#include <string>

namespace routecheck {

// "1 proxy", "9 proxies": the count, a space, and `one` when n is 1, else `many`.
std::string plural(std::size_t n, const char* one, const char* many);

// `word` after "a" or "an" by its first letter ("an OpenAI", "an Anthropic", "a Gemini"). Empty: "a".
std::string with_article(const std::string& word);

}  // namespace routecheck
