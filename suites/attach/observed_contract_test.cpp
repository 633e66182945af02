// Antigravity Tools was built and run once beside the project (v4.5.8; the profile's source.observed says how). What
// it answered is kept as data: fixtures/expected/antigravity-tools.json (the 140 cells, replayed in attach mode) and
// fixtures/observed/antigravity-tools.json (curl probes of every route, key carrier and mode). CI cannot build it, so
// these tests check that the contract read from its source (the profile's "behaviour", harness/contract/predict.cpp)
// still predicts every observed row, and print each row it gets wrong with the rule that decided.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "antigravity_tools.hpp"
#include "contract/predict.hpp"
#include "judge/judge.hpp"
#include "model/fixtures.hpp"

using namespace routecheck;

namespace {

const Fixtures& fixtures() { return test::repo_fixtures(); }
const ProxyProfile& tools() { return test::antigravity_tools(); }

const ExpectedTable& observed_cells() {
    auto it = fixtures().expected.find("antigravity-tools");
    if (it == fixtures().expected.end())
        throw std::runtime_error("fixtures/expected/antigravity-tools.json is missing");
    return it->second;
}

// How the cells were observed: the headless default (auth all_except_health), the key sent in each client's default
// carrier, and no upstream (it could not be redirected; profile upstream.note).
PredictOptions as_observed() {
    PredictOptions o;
    o.auth_on = true;
    o.upstream_reachable = false;
    return o;
}

bool needs_upstream(const std::string& note) { return note.rfind("needs upstream", 0) == 0; }

TEST(ObservedContract, TheTableSaysHowItWasObserved) {
    const ExpectedTable& t = observed_cells();
    EXPECT_TRUE(says_observed(nlohmann::json{{"provenance", t.provenance}})) << t.provenance;
    for (const char* fact : {"v4.5.8", "9b3dd14f", "2026-11-29", "--headless", "127.0.0.1"})
        EXPECT_NE(t.provenance.find(fact), std::string::npos) << fact << " missing from: " << t.provenance;
    const auto& observed = tools().raw["source"]["observed"];
    ASSERT_TRUE(observed.is_object()) << "the profile says what was observed (source.observed)";
    EXPECT_FALSE(tools().upstream_redirect) << "the upstream could not be pointed at the mock (upstream.note)";
}

// Every one of the 140 cells was observed, and the contract predicts each step's request line, status and class.
// The observation covered the 14 client profiles of its day; profiles added since (issue 16) have no observed rows
// (Antigravity Tools cannot run here) and stay predictions.
TEST(ObservedContract, PredictsEveryObservedCell) {
    const ExpectedTable& table = observed_cells();
    std::size_t cells = 0, rows = 0, marked = 0, observed_clients = 0;
    std::ostringstream wrong, marks;
    int wrong_rows = 0;
    for (const auto& [id, by_variant] : table.cells)
        EXPECT_NE(fixtures().client(id), nullptr) << "observed rows for a client profile that is gone: " << id;
    for (const auto& client : fixtures().clients) {
        if (!table.cells.count(client.id)) continue;
        ++observed_clients;
        for (const auto& variant : fixtures().variants) {
            auto c = table.cells.find(client.id);
            if (c == table.cells.end() || !c->second.count(variant.id)) {
                ADD_FAILURE() << "no observed row for cell antigravity-tools." << client.id << "." << variant.id;
                continue;
            }
            ++cells;
            std::vector<std::string> rules;
            CellObservation predicted = predict_cell(tools(), client, variant, as_observed(), &rules);
            CellResult r = judge_cell(predicted, tools(), client, &table);
            // The same cell with a working upstream: the rows that only differ there are the ones the observation
            // could not settle, and each carries a "needs upstream" note.
            PredictOptions reachable = as_observed();
            reachable.upstream_reachable = true;
            CellObservation with_upstream = predict_cell(tools(), client, variant, reachable);
            const auto& expected_rows = c->second.at(variant.id);
            rows += expected_rows.size();
            for (std::size_t i = 0; i < r.steps.size(); ++i) {
                const StepVerdict& s = r.steps[i];
                if (!s.mismatch.empty()) {
                    ++wrong_rows;
                    wrong << "  " << predicted.id() << " " << s.observed.step << ": predicted "
                          << s.observed.request_line() << " -> " << s.observed.status << " "
                          << to_string(s.finding.diagnosis) << " (" << rules[i] << "); observed: " << s.mismatch
                          << (s.expected && !s.expected->note.empty() ? " [" + s.expected->note + "]" : "") << "\n";
                }
                if (!s.expected) continue;
                const bool depends = with_upstream.steps[i].status != s.expected->status;
                marked += needs_upstream(s.expected->note);
                if (depends != needs_upstream(s.expected->note))
                    marks << "  " << predicted.id() << " " << s.observed.step << ": "
                          << (depends ? "differs with a working upstream (" +
                                            std::to_string(with_upstream.steps[i].status) +
                                            ") but has no \"needs upstream\" note"
                                      : "has a \"needs upstream\" note but its answer does not depend on the upstream")
                          << "\n";
            }
        }
    }
    EXPECT_EQ(observed_clients, 14u);
    EXPECT_EQ(cells, observed_clients * fixtures().variants.size());
    EXPECT_EQ(wrong_rows, 0) << wrong_rows << " of " << rows << " observed rows are not what the contract predicts:\n"
                             << wrong.str();
    EXPECT_TRUE(marks.str().empty()) << marks.str();
    std::cout << "[ observed ] " << cells << " cells, " << rows << " steps; " << rows - wrong_rows
              << " predicted as observed; " << marked << " marked \"needs upstream\"\n";
}

// The contract's options for one observed configuration and key carrier.
PredictOptions options_for(const ObservedProbes& probes, const ObservedConfig& config, const ObservedProbe& row,
                           const std::string& via) {
    PredictOptions o;
    o.auth_on = config.auth != "off";
    o.strict = config.auth == "strict";
    o.running = config.running;
    o.deployment = config.deployment;
    o.upstream_reachable = probes.upstream_reachable;
    o.websocket = row.websocket;
    o.model = row.model;
    // The key reaches the proxy only in a header it reads (a raw Authorization value is still Authorization).
    const std::string header = via == "authorization-raw" ? "authorization" : via;
    const auto& carriers = tools().auth_carriers;
    o.send_key = row.key != "none" && std::find(carriers.begin(), carriers.end(), header) != carriers.end();
    o.key_right = row.key == "right";
    return o;
}

// Routes, key carriers, auth modes, the disabled state and the web UI deployment, as probed with curl.
TEST(ObservedContract, PredictsEveryObservedProbe) {
    auto it = fixtures().observed.find("antigravity-tools");
    ASSERT_NE(it, fixtures().observed.end()) << "fixtures/observed/antigravity-tools.json is missing";
    const ObservedProbes& probes = it->second;
    EXPECT_FALSE(probes.upstream_reachable);
    std::ostringstream wrong;
    int checks = 0, wrong_checks = 0;
    for (const auto& row : probes.rows)
        for (const auto& config_id : row.configs)
            for (const auto& via : row.via) {
                const ObservedConfig& config = probes.configs.at(config_id);
                Prediction p = predict_request(tools(), row.method, row.path, options_for(probes, config, row, via));
                ++checks;
                if (p.status == row.status) continue;
                ++wrong_checks;
                wrong << "  " << row.pointer << " " << row.method << " " << row.target
                      << (row.websocket ? " (websocket)" : "") << " key " << row.key << " via " << via << " in "
                      << config_id << ": observed " << row.status << ", predicted " << p.status << " by " << p.rule
                      << "\n";
            }
    EXPECT_GE(probes.rows.size(), 100u);
    EXPECT_EQ(wrong_checks, 0) << wrong_checks << " of " << checks
                               << " observed answers are not what the contract predicts:\n"
                               << wrong.str();
    std::cout << "[ observed ] " << probes.rows.size() << " probe rows, " << checks << " (row, configuration, carrier) "
              << "answers; " << checks - wrong_checks << " predicted as observed\n";
}

}  // namespace
