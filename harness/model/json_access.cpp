#include "model/json_access.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <limits>

namespace routecheck {

namespace {
std::string describe(const std::string& file, const std::string& pointer, const std::string& message) {
    return file + (pointer.empty() ? std::string(" (document root)") : " at " + pointer) + ": " + message;
}
}  // namespace

FixtureError::FixtureError(std::string file, std::string pointer, const std::string& message)
    : std::runtime_error(describe(file, pointer, message)), file_(std::move(file)), pointer_(std::move(pointer)) {}

namespace {

// A SAX pass before the DOM parse: stops at the first container that would nest deeper than kMaxJsonDepth and
// remembers its JSON pointer. Syntax errors are left to the DOM parse, whose message says where.
class DepthCheck : public nlohmann::json_sax<nlohmann::json> {
public:
    std::string too_deep;  // the pointer of the first container past the limit; "" when none
    bool found = false;

    bool null() override { return value(); }
    bool boolean(bool) override { return value(); }
    bool number_integer(number_integer_t) override { return value(); }
    bool number_unsigned(number_unsigned_t) override { return value(); }
    bool number_float(number_float_t, const string_t&) override { return value(); }
    bool string(string_t&) override { return value(); }
    bool binary(binary_t&) override { return value(); }
    bool start_object(std::size_t) override { return open(false); }
    bool key(string_t& k) override {
        frames_.back().key = k;
        return true;
    }
    bool end_object() override { return close(); }
    bool start_array(std::size_t) override { return open(true); }
    bool end_array() override { return close(); }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

private:
    struct Frame {
        bool array = false;
        std::size_t index = 0;
        std::string key;
    };
    bool value() {
        if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
        return true;
    }
    bool open(bool array) {
        if (frames_.size() >= kMaxJsonDepth) {
            for (const auto& f : frames_)
                too_deep += "/" + (f.array ? std::to_string(f.index) : json_pointer_escape(f.key));
            found = true;
            return false;
        }
        frames_.push_back({array, 0, {}});
        return true;
    }
    bool close() {
        frames_.pop_back();
        return value();
    }
    std::vector<Frame> frames_;
};

}  // namespace

nlohmann::json parse_json_text(const std::string& text, const std::string& file) {
    DepthCheck depth;
    nlohmann::json::sax_parse(text, &depth, nlohmann::json::input_format_t::json, /*strict=*/false);
    if (depth.found)
        throw FixtureError(file, depth.too_deep,
                           "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels (refused unread)");
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw FixtureError(file, "", std::string("invalid JSON: ") + e.what());
    }
}

nlohmann::json read_json_file(const std::filesystem::path& path, std::uintmax_t max_bytes) {
    const std::string file = path.string();
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) throw FixtureError(file, "", std::string("cannot open file: ") + std::strerror(errno));
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0) throw FixtureError(file, "", std::string("cannot read file: ") + std::strerror(errno));
    if (!S_ISREG(st.st_mode))
        throw FixtureError(file, "", "not a regular file (a FIFO, a device or a socket): refused");
    if (static_cast<std::uintmax_t>(st.st_size) > max_bytes)
        throw FixtureError(file, "",
                           "file of " + std::to_string(st.st_size) + " bytes is over the limit of " +
                               std::to_string(max_bytes) + " bytes: refused unread");
    std::string text;
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw FixtureError(file, "", std::string("cannot read file: ") + std::strerror(errno));
        if (n == 0) break;
        text.append(buf, static_cast<std::size_t>(n));
        if (text.size() > max_bytes) throw FixtureError(file, "", "file grew over the size limit while read");
    }
    return parse_json_text(text, file);
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
