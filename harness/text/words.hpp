// Small pieces of English for messages: counted nouns, the indefinite article, a text fitted on one line.
#pragma once
#include <cstddef>
#include <string>

namespace routecheck {

// "1 proxy", "9 proxies": the count, a space, and `one` when n is 1, else `many`.
std::string plural(std::size_t n, const char* one, const char* many);

// "Antigravity Tools'", "LiteLLM proxy's": a name's possessive (a name that ends in s takes only the apostrophe).
std::string possessive(const std::string& name);

// `word` after "a" or "an" by its first letter ("an OpenAI", "an Anthropic", "a Gemini"). Empty: "a".
std::string with_article(const std::string& word);

// `text` on one terminal line: line breaks and tabs become spaces; longer than `max_bytes`, it is cut after the last
// whole word that fits (or, with no space in its second half, at the last whole UTF-8 character) and ends in " …".
// Out: at most max_bytes + 4 bytes (the " …"). For a line that points elsewhere for the whole text (an error kept
// in matrix.json and the proxy's log).
std::string one_line(std::string text, std::size_t max_bytes);

}  // namespace routecheck
