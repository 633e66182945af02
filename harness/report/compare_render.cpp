// The renderings of a cell comparison (report/compare.hpp): text for the terminal, Markdown, HTML and JSON, all
// grouped the same way: per proxy, then per client, each change "variant: before -> after".
#include <algorithm>
#include <sstream>

#include "report/compare.hpp"
#include "report/html_parts.hpp"
#include "text/words.hpp"

namespace routecheck {

namespace {

using html::esc;

// The proxies and clients in the order they first appear, and what each proxy holds.
struct ProxyGroup {
    std::string proxy;
    std::vector<std::string> clients;
    std::vector<const CellChange*> changed;
    std::vector<const CellOutcome*> only_before, only_after;
    int unchanged = 0;
};

template <typename T>
void add_unique(std::vector<T>& v, const T& x) {
    if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
}

std::vector<ProxyGroup> groups_of(const CellComparison& c) {
    std::vector<ProxyGroup> out;
    auto group = [&](const std::string& proxy) -> ProxyGroup& {
        for (auto& g : out)
            if (g.proxy == proxy) return g;
        out.push_back({proxy, {}, {}, {}, {}, 0});
        return out.back();
    };
    for (const auto& ch : c.changed) {
        auto& g = group(ch.after.proxy);
        g.changed.push_back(&ch);
        add_unique(g.clients, ch.after.client);
    }
    for (const auto& o : c.only_before) {
        auto& g = group(o.proxy);
        g.only_before.push_back(&o);
        add_unique(g.clients, o.client);
    }
    for (const auto& o : c.only_after) {
        auto& g = group(o.proxy);
        g.only_after.push_back(&o);
        add_unique(g.clients, o.client);
    }
    for (const auto& [proxy, n] : c.unchanged) group(proxy).unchanged = n;
    return out;
}

struct Tally {
    int now_work = 0, no_longer = 0;
};
Tally tally(const std::vector<CellChange>& changed) {
    Tally t;
    for (const auto& ch : changed) {
        t.now_work += !ch.before.works && ch.after.works;
        t.no_longer += ch.before.works && !ch.after.works;
    }
    return t;
}

std::string totals(const CellComparison& c) {
    const Tally t = tally(c.changed);
    std::string s = plural(c.changed.size(), "cell changed", "cells changed") + " (" + std::to_string(t.now_work) +
                    " now work, " + std::to_string(t.no_longer) + " no longer work), " +
                    std::to_string(c.unchanged_total()) + " unchanged";
    if (!c.only_before.empty()) s += ", " + std::to_string(c.only_before.size()) + " only in " + c.before_label;
    if (!c.only_after.empty()) s += ", " + std::to_string(c.only_after.size()) + " only in " + c.after_label;
    return s;
}

std::string group_totals(const ProxyGroup& g) {
    std::string s = std::to_string(g.changed.size()) + " changed, " + std::to_string(g.unchanged) + " unchanged";
    if (!g.only_before.empty()) s += ", " + std::to_string(g.only_before.size()) + " only before";
    if (!g.only_after.empty()) s += ", " + std::to_string(g.only_after.size()) + " only after";
    return s;
}

// "root, v1, v1-slash": the variants of one client's cells that are on one side only.
std::string variants_of(const std::vector<const CellOutcome*>& cells, const std::string& client) {
    std::string s;
    for (const auto* o : cells)
        if (o->client == client) s += (s.empty() ? "" : ", ") + o->variant;
    return s;
}

}  // namespace

std::string comparison_text(const CellComparison& c) {
    std::ostringstream t;
    t << c.before_label << " -> " << c.after_label << ": " << totals(c) << "\n";
    for (const auto& g : groups_of(c)) {
        if (g.changed.empty() && g.only_before.empty() && g.only_after.empty()) continue;
        t << g.proxy << ": " << group_totals(g) << "\n";
        for (const auto& client : g.clients) {
            t << "  " << client << "\n";
            for (const auto* ch : g.changed)
                if (ch->after.client == client)
                    t << "    " << ch->after.variant << ": " << ch->before.text() << " -> " << ch->after.text() << "\n";
            if (auto v = variants_of(g.only_before, client); !v.empty()) t << "    only before: " << v << "\n";
            if (auto v = variants_of(g.only_after, client); !v.empty()) t << "    only after: " << v << "\n";
        }
    }
    return t.str();
}

std::string comparison_markdown(const CellComparison& c, const std::string& heading) {
    std::ostringstream md;
    md << "## " << heading << "\n\n" << c.before_label << " → " << c.after_label << ": " << totals(c) << ".\n\n";
    for (const auto& g : groups_of(c)) {
        if (g.changed.empty() && g.only_before.empty() && g.only_after.empty()) continue;
        md << "### " << g.proxy << " (" << group_totals(g) << ")\n\n";
        for (const auto& client : g.clients) {
            for (const auto* ch : g.changed)
                if (ch->after.client == client)
                    md << "- " << client << " `" << ch->after.variant << "`: " << ch->before.text() << " → "
                       << ch->after.text() << "\n";
            if (auto v = variants_of(g.only_before, client); !v.empty())
                md << "- " << client << ": only before: " << v << "\n";
            if (auto v = variants_of(g.only_after, client); !v.empty())
                md << "- " << client << ": only after: " << v << "\n";
        }
        md << "\n";
    }
    return md.str();
}

namespace {

// An outcome in a table cell: the class as a badge with its grid label and letter (the legend's words), then
// the statuses.
std::string outcome_html(const CellOutcome& o) {
    if (!o.error.empty()) return "<span class=\"badge c-unexp\">could not run</span>";
    const html::ClassInfo* ci = html::class_info_by_name(o.verdict_class);
    std::string statuses;
    for (const auto& s : o.statuses) statuses += (statuses.empty() ? "" : " ") + s;
    std::string badge = ci ? "<span class=\"badge " + std::string(ci->css) + "\"><b class=glyph>" + esc(ci->glyph) +
                                 "</b> " + esc(ci->label) + "</span> <code>" + esc(o.verdict_class) + "</code>"
                           : "<code>" + esc(o.verdict_class) + "</code>";
    return badge + " <span class=st>" + esc(statuses) + "</span>";
}

}  // namespace

std::string comparison_html(const CellComparison& c, const std::string& heading, const std::string& id) {
    std::ostringstream h;
    h << "<section class=compare id=\"" << esc(id) << "\"><h2>" << esc(heading) << "</h2><p>" << esc(c.before_label)
      << " &rarr; " << esc(c.after_label) << ": " << esc(totals(c)) << ".</p>";
    for (const auto& g : groups_of(c)) {
        if (g.changed.empty() && g.only_before.empty() && g.only_after.empty()) continue;
        h << "<h3>" << esc(g.proxy) << " <small>" << esc(group_totals(g)) << "</small></h3>";
        h << "<div class=scroll><table class=changes><thead><tr><th>client</th><th>variant</th><th>"
          << esc(c.before_label) << "</th><th>" << esc(c.after_label) << "</th></tr></thead><tbody>";
        for (const auto& client : g.clients) {
            for (const auto* ch : g.changed)
                if (ch->after.client == client)
                    h << "<tr data-proxy=\"" << esc(g.proxy) << "\" data-client=\"" << esc(client) << "\"><td>"
                      << esc(client) << "</td><td><code>" << esc(ch->after.variant) << "</code></td><td>"
                      << outcome_html(ch->before) << "</td><td>" << outcome_html(ch->after) << "</td></tr>";
            if (auto v = variants_of(g.only_before, client); !v.empty())
                h << "<tr><td>" << esc(client) << "</td><td><code>" << esc(v) << "</code></td><td colspan=2>only before"
                  << "</td></tr>";
            if (auto v = variants_of(g.only_after, client); !v.empty())
                h << "<tr><td>" << esc(client) << "</td><td><code>" << esc(v) << "</code></td><td colspan=2>only after"
                  << "</td></tr>";
        }
        h << "</tbody></table></div>";
    }
    h << "</section>\n";
    return h.str();
}

nlohmann::json comparison_json(const CellComparison& c) {
    auto outcome = [](const CellOutcome& o) {
        return nlohmann::json{{"class", o.verdict_class},
                              {"works", o.works},
                              {"statuses", o.statuses},
                              {"error", o.error},
                              {"text", o.text()}};
    };
    nlohmann::json changed = nlohmann::json::array(), before = nlohmann::json::array(), after = nlohmann::json::array();
    for (const auto& ch : c.changed)
        changed.push_back({{"proxy", ch.after.proxy},
                           {"client", ch.after.client},
                           {"variant", ch.after.variant},
                           {"before", outcome(ch.before)},
                           {"after", outcome(ch.after)}});
    for (const auto& o : c.only_before) before.push_back(o.id());
    for (const auto& o : c.only_after) after.push_back(o.id());
    const Tally t = tally(c.changed);
    return {{"before", c.before_label},
            {"after", c.after_label},
            {"changed", changed},
            {"unchanged", c.unchanged_total()},
            {"unchanged_by_proxy", c.unchanged},
            {"now_work", t.now_work},
            {"no_longer_work", t.no_longer},
            {"only_before", before},
            {"only_after", after}};
}

std::string comparison_page(const CellComparison& c) {
    std::ostringstream h;
    h << "<!doctype html><html lang=en><head><meta charset=utf-8>"
         "<meta name=viewport content=\"width=device-width,initial-scale=1\"><title>routecheck diff: "
      << esc(c.before_label) << " → " << esc(c.after_label) << "</title><style>" << html::stylesheet()
      << "</style></head><body><header><h1>routecheck diff</h1></header>"
      << comparison_html(c, "Cells that changed", "diff");
    if (!c.any_change()) h << "<p>No cell changed.</p>";
    h << "</body></html>\n";
    return h.str();
}

}  // namespace routecheck
