// Text from the outside (a proxy's body, headers and log, a Base URL typed on the command line) on its way into
// the report: made valid UTF-8 so every writer can store it, and cut on character boundaries. nlohmann's dump()
// throws on invalid UTF-8 by default; safe_dump() replaces instead, so a report is never lost to one odd byte.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace routecheck {

// Length of the valid UTF-8 sequence starting at s[i], or 0 when there is none (a stray continuation byte, an
// overlong form, a surrogate, a code point past U+10FFFF, U+FFFE/U+FFFF (not XML characters), or a sequence the
// string ends in the middle of). Browsers decode the same way.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);

// `s` with every byte that does not start a valid sequence replaced by U+FFFD. Valid text comes back unchanged.
std::string valid_utf8(std::string_view s);

// The longest prefix of `s` of at most `max_bytes` that does not end inside a multi-byte character.
std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes);

// An excerpt of a body whose first bytes are `kept` and whose whole length was `total_bytes`: when the body was
// cut (total_bytes > kept.size()), a character the cut split is dropped, not replaced; then valid_utf8().
std::string utf8_excerpt(std::string_view kept, std::size_t total_bytes);

// Text for an HTML (or XML) element body or a quoted attribute: & < > " ' escaped, control characters but tab and
// newline replaced (\r shown as ␍), invalid UTF-8 replaced. index.html and junit.xml write every text through it,
// and the redaction of secrets (text/secrets.hpp) cuts a secret in this form too.
std::string html_escape(std::string_view s);

// j.dump(indent) that never throws on invalid UTF-8 in a string (it is replaced by U+FFFD).
std::string safe_dump(const nlohmann::json& j, int indent = -1);

}  // namespace routecheck
