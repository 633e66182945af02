#include "model/json_access.hpp"

#include <cstdint>
#include <fstream>
#include <limits>
#include <sstream>

namespace routecheck {

namespace {
std::string describe(const std::string& file, const std::string& pointer, const std::string& message) {
    return file + (pointer.empty() ? std::string(" (document root)") : " at " + pointer) + ": " + message;
}
}  // namespace

FixtureError::FixtureError(std::string file, std::string pointer, const std::string& message)
    : std::runtime_error(describe(file, pointer, message)), file_(std::move(file)), pointer_(std::move(pointer)) {}

nlohmann::json read_json_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw FixtureError(path.string(), "", "cannot open file");
    std::stringstream buffer;
    buffer << in.rdbuf();
    try {
        return nlohmann::json::parse(buffer.str());
    } catch (const nlohmann::json::parse_error& e) {
        throw FixtureError(path.string(), "", std::string("invalid JSON: ") + e.what());
    }
}

std::string json_pointer_escape(const std::string& key) {
    std::string out;
    for (char c : key) {
        if (c == '~') out += "~0";
        else if (c == '/') out += "~1";
        else out += c;
    }
    return out;
}

JsonAt::JsonAt(const nlohmann::json& node, std::string file, std::string pointer)
    : node_(&node), file_(std::move(file)), pointer_(std::move(pointer)) {}

void JsonAt::fail(const std::string& message) const { throw FixtureError(file_, pointer_, message); }

void JsonAt::expect_object() const {
    if (!node_->is_object()) fail(std::string("expected an object, found ") + node_->type_name());
}

void JsonAt::expect_array() const {
    if (!node_->is_array()) fail(std::string("expected an array, found ") + node_->type_name());
}

bool JsonAt::has(const std::string& key) const { return node_->is_object() && node_->contains(key); }

JsonAt JsonAt::at(const std::string& key) const {
    expect_object();
    std::string child = pointer_ + "/" + json_pointer_escape(key);
    auto it = node_->find(key);
    if (it == node_->end()) throw FixtureError(file_, child, "required field is missing");
    return JsonAt(*it, file_, child);
}

JsonAt JsonAt::at(std::size_t index) const {
    expect_array();
    std::string child = pointer_ + "/" + std::to_string(index);
    if (index >= node_->size()) throw FixtureError(file_, child, "index out of range");
    return JsonAt((*node_)[index], file_, child);
}

std::size_t JsonAt::size() const {
    if (!node_->is_array() && !node_->is_object()) fail("expected an array or an object");
    return node_->size();
}

std::string JsonAt::str(const std::string& key) const {
    JsonAt v = at(key);
    if (!v.node().is_string()) v.fail(std::string("expected a string, found ") + v.node().type_name());
    auto s = v.node().get<std::string>();
    if (s.empty()) v.fail("must not be empty");
    return s;
}

std::string JsonAt::str_or(const std::string& key, std::string fallback) const {
    if (!has(key)) return fallback;
    JsonAt v = at(key);
    if (!v.node().is_string()) v.fail(std::string("expected a string, found ") + v.node().type_name());
    return v.node().get<std::string>();
}

int JsonAt::integer(const std::string& key) const {
    JsonAt v = at(key);
    if (!v.node().is_number_integer()) v.fail(std::string("expected an integer, found ") + v.node().type_name());
    // get<int> would wrap 4294967297 to 1 silently: a value that does not fit is an error at its pointer.
    const bool fits = v.node().is_number_unsigned()
                          ? v.node().get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<int>::max())
                          : v.node().get<std::int64_t>() >= std::numeric_limits<int>::min() &&
                                v.node().get<std::int64_t>() <= std::numeric_limits<int>::max();
    if (!fits) v.fail("integer out of range");
    return v.node().get<int>();
}

int JsonAt::integer_or(const std::string& key, int fallback) const { return has(key) ? integer(key) : fallback; }

bool JsonAt::boolean_or(const std::string& key, bool fallback) const {
    if (!has(key)) return fallback;
    JsonAt v = at(key);
    if (!v.node().is_boolean()) v.fail(std::string("expected true or false, found ") + v.node().type_name());
    return v.node().get<bool>();
}

std::vector<std::string> JsonAt::strings(const std::string& key) const {
    JsonAt v = at(key);
    v.expect_array();
    std::vector<std::string> out;
    for (std::size_t i = 0; i < v.node().size(); ++i) {
        JsonAt e = v.at(i);
        if (!e.node().is_string()) e.fail(std::string("expected a string, found ") + e.node().type_name());
        out.push_back(e.node().get<std::string>());
    }
    return out;
}

std::vector<std::string> JsonAt::strings_or_empty(const std::string& key) const {
    return has(key) ? strings(key) : std::vector<std::string>{};
}

std::map<std::string, std::string> JsonAt::string_map_or_empty(const std::string& key) const {
    std::map<std::string, std::string> out;
    if (!has(key)) return out;
    JsonAt v = at(key);
    v.expect_object();
    for (auto it = v.node().begin(); it != v.node().end(); ++it) {
        if (!it->is_string()) v.at(it.key()).fail(std::string("expected a string, found ") + it->type_name());
        out[it.key()] = it->get<std::string>();
    }
    return out;
}

void JsonAt::only_keys(std::initializer_list<const char*> allowed) const {
    expect_object();
    for (auto it = node_->begin(); it != node_->end(); ++it) {
        bool ok = false;
        for (const char* a : allowed) ok = ok || it.key() == a;
        if (!ok) {
            std::string list;
            for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
            throw FixtureError(file_, pointer_ + "/" + json_pointer_escape(it.key()),
                               "unknown field (allowed: " + list + ")");
        }
    }
}

}  // namespace routecheck
