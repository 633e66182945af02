#include "launch/template.hpp"

#include "model/json_access.hpp"

namespace routecheck::launch {
namespace {

bool is_ident_char(char c, bool first) {
    return (c >= 'a' && c <= 'z') || c == '_' || (!first && c >= '0' && c <= '9');
}

std::string known_names(const TemplateVars& vars) {
    std::string out;
    for (const auto& [k, v] : vars) out += (out.empty() ? "{" : ", {") + k + "}";
    return out;
}

}  // namespace

std::string render(std::string_view text, const TemplateVars& vars, const std::string& where) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] == '{') {
            std::size_t j = i + 1;
            while (j < text.size() && is_ident_char(text[j], j == i + 1)) ++j;
            if (j > i + 1 && j < text.size() && text[j] == '}') {
                const std::string name(text.substr(i + 1, j - i - 1));
                auto it = vars.find(name);
                if (it == vars.end()) {
                    throw TemplateError(name, where,
                                        "unknown placeholder {" + name + "}" + (where.empty() ? "" : " in " + where) +
                                            " (known: " + known_names(vars) + ")");
                }
                out += it->second;
                i = j + 1;
                continue;
            }
        }
        out += text[i++];
    }
    return out;
}

nlohmann::json render_json(const nlohmann::json& value, const TemplateVars& vars, const std::string& where) {
    if (value.is_string()) return render(value.get_ref<const std::string&>(), vars, where);
    if (value.is_array()) {
        nlohmann::json out = nlohmann::json::array();
        for (std::size_t i = 0; i < value.size(); ++i)
            out.push_back(render_json(value[i], vars, where + "/" + std::to_string(i)));
        return out;
    }
    if (value.is_object()) {
        nlohmann::json out = nlohmann::json::object();
        for (const auto& [k, v] : value.items()) {
            const std::string at = where + "/" + json_pointer_escape(k);
            out[render(k, vars, at)] = render_json(v, vars, at);
        }
        return out;
    }
    return value;  // numbers, booleans, null: nothing to render
}

}  // namespace routecheck::launch
