// Typed access to fixture JSON with errors that name the file and the JSON pointer of the bad field.
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace routecheck {

// A fixture (or other input) that cannot be used. Always carries where: file and JSON pointer.
class FixtureError : public std::runtime_error {
public:
    FixtureError(std::string file, std::string pointer, const std::string& message);
    const std::string& file() const { return file_; }
    const std::string& pointer() const { return pointer_; }

private:
    std::string file_;
    std::string pointer_;
};

// Limits on a fixture file, checked before anything else reads it: a file larger than this is refused unread, and
// nesting deeper than kMaxJsonDepth is an error at the pointer where it goes too deep (copying or printing such a
// document would recurse once per level: 60,000 '[' overflow the stack). serde_json's default limit is also 128;
// the deepest fixture today (a recorded request body) nests 15 levels.
inline constexpr std::uintmax_t kMaxFixtureBytes = 8u << 20;
inline constexpr std::size_t kMaxJsonDepth = 128;

// Reads and parses a JSON file; a missing file, one that is not a regular file (a FIFO, a device, a socket: refused
// at once, never opened for a blocking read), one over kMaxFixtureBytes, a syntax error, or nesting deeper than
// kMaxJsonDepth becomes a FixtureError naming the file (and the pointer, for the nesting). `max_bytes`: a larger
// limit for a file that is not a fixture (a matrix.json of thousands of cells).
nlohmann::json read_json_file(const std::filesystem::path& path, std::uintmax_t max_bytes = kMaxFixtureBytes);

// The parsing part of read_json_file, for text already in memory (`file` names it in errors).
nlohmann::json parse_json_text(const std::string& text, const std::string& file);

// A position inside one fixture file: the file and the JSON pointer of the current node.
class JsonAt {
public:
    JsonAt(const nlohmann::json& node, std::string file, std::string pointer = "");

    const nlohmann::json& node() const { return *node_; }
    const std::string& file() const { return file_; }
    const std::string& pointer() const { return pointer_; }
    [[noreturn]] void fail(const std::string& message) const;

    bool has(const std::string& key) const;
    JsonAt at(const std::string& key) const;  // required member (object expected)
    JsonAt at(std::size_t index) const;       // array element
    std::size_t size() const;                 // array or object size (checked to be one of those)

    std::string str(const std::string& key) const;  // required non-empty string
    std::string str_or(const std::string& key, std::string fallback) const;
    int integer(const std::string& key) const;
    int integer_or(const std::string& key, int fallback) const;
    bool boolean_or(const std::string& key, bool fallback) const;
    std::vector<std::string> strings(const std::string& key) const;  // required array of strings
    std::vector<std::string> strings_or_empty(const std::string& key) const;
    std::map<std::string, std::string> string_map_or_empty(const std::string& key) const;

    void expect_object() const;
    void expect_array() const;
    // Every member name must be in `allowed`: a typo in a fixture is an error, not a silent default.
    void only_keys(std::initializer_list<const char*> allowed) const;

private:
    const nlohmann::json* node_;
    std::string file_;
    std::string pointer_;
};

std::string json_pointer_escape(const std::string& key);

}  // namespace routecheck
