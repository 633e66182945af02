// Placeholder rendering for proxy launch templates: `{name}` in strings, and recursively in JSON (values and
// object keys). Only `{identifier}` (lower-case letters, digits, '_') is a placeholder; other braces, such as
// JSON text inside a string, are left alone. An unknown placeholder is an error that names it and where.
#pragma once
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace routecheck::launch {

using TemplateVars = std::map<std::string, std::string>;

class TemplateError : public std::runtime_error {
public:
    TemplateError(std::string placeholder, std::string where, const std::string& message)
        : std::runtime_error(message), placeholder_(std::move(placeholder)), where_(std::move(where)) {}
    const std::string& placeholder() const { return placeholder_; }  // without braces
    const std::string& where() const { return where_; }

private:
    std::string placeholder_;
    std::string where_;
};

// `where` names the template in errors (e.g. "fixtures/proxies/x.json#/launch/env/PORT").
std::string render(std::string_view text, const TemplateVars& vars, const std::string& where = "");

// Renders every string value and object key; `where` is the JSON pointer prefix used in errors.
nlohmann::json render_json(const nlohmann::json& value, const TemplateVars& vars, const std::string& where = "");

}  // namespace routecheck::launch
