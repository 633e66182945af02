// text/secrets.hpp: StreamRedactor cuts exactly what redact_text() cuts from the whole text, wherever the pieces
// break, and holds back no more than the longest form of a secret (issue 21.3: kept logs are redacted a block at a
// time, never loaded whole).
#include <gtest/gtest.h>

#include "text/secrets.hpp"
#include "text/words.hpp"

namespace {

using namespace routecheck;

// Secrets with overlaps: one contains another, one needs JSON and HTML escaping (its escaped forms are longer).
const std::vector<std::string> kSecrets = {"rc-test-key-long-1234", "rc-test-key", "rc\"q&<x>-key-9"};

std::string sample() {
    std::string t = "start rc-test-key-long-1234 mid rc-test-key end\n";
    t += "json {\"k\": \"rc\\\"q&<x>-key-9\"} html rc&quot;q&amp;&lt;x&gt;-key-9 raw rc\"q&<x>-key-9\n";
    t += "rc-test-key-long-123 (not the long one) rc-test-key-long-1234rc-test-key\n";
    return t;
}

std::string streamed(const std::string& text, const std::vector<std::size_t>& cuts) {
    StreamRedactor r(kSecrets);
    std::string out;
    std::size_t from = 0;
    for (std::size_t at : cuts) {
        out += r.feed(std::string_view(text).substr(from, at - from));
        from = at;
    }
    out += r.feed(std::string_view(text).substr(from));
    out += r.flush();
    return out;
}

TEST(StreamRedactor, EveryTwoPieceSplitGivesTheWholeTextsRedaction) {
    const std::string text = sample();
    const std::string want = redact_text(text, kSecrets);
    ASSERT_EQ(want.find("rc-test-key"), std::string::npos);
    for (std::size_t at = 0; at <= text.size(); ++at) EXPECT_EQ(streamed(text, {at}), want) << "split at " << at;
}

TEST(StreamRedactor, OneBytePiecesGiveTheWholeTextsRedaction) {
    const std::string text = sample();
    std::vector<std::size_t> cuts;
    for (std::size_t at = 1; at < text.size(); ++at) cuts.push_back(at);
    EXPECT_EQ(streamed(text, cuts), redact_text(text, kSecrets));
}

// Memory: what it holds back is bounded by the longest form, not by the text (a 4 MB text without a secret, fed
// 64 KiB at a time, comes back a piece at a time).
TEST(StreamRedactor, HoldsBackAtMostTheLongestForm) {
    std::size_t longest = 0;
    for (const auto& f : secret_forms(kSecrets)) longest = std::max(longest, f.size());
    StreamRedactor r(kSecrets);
    const std::string block(1 << 16, 'x');
    std::size_t fed = 0, out = 0;
    for (int i = 0; i < 64; ++i) {
        fed += block.size();
        out += r.feed(block).size();
        EXPECT_LE(fed - out, longest) << "after " << fed << " bytes";
    }
    out += r.flush().size();
    EXPECT_EQ(out, fed);
    EXPECT_EQ(r.cut(), 0u);
}

// The terminal's one-line errors: a cut never splits a word (a path or host cut in two reads as another one) nor a
// UTF-8 character, and says that it cut.
TEST(OneLine, ShortTextOnlyLosesItsLineBreaks) {
    EXPECT_EQ(one_line("cannot start\n\tproxy", 80), "cannot start  proxy");
}

TEST(OneLine, CutsAfterTheLastWholeWord) {
    const std::string text = "cannot start 'node': not found in PATH=/usr/local/bin:/usr/bin:/bin";
    const std::string cut = one_line(text, 40);  // byte 40 is inside "PATH=/usr/local/bin..."
    EXPECT_EQ(cut, "cannot start 'node': not found in …");
    EXPECT_LE(cut.size(), 40u + 4u);
}

TEST(OneLine, AWordLongerThanHalfIsCutAtAWholeCharacter) {
    const std::string text = "x " + std::string(30, 'a') + "\xC3\xA9" + std::string(30, 'b');  // an e-acute at 32-33
    EXPECT_EQ(one_line(text, 33), "x " + std::string(30, 'a') + " …");  // the e-acute would not fit whole
    EXPECT_EQ(one_line(text, 34), "x " + std::string(30, 'a') + "\xC3\xA9 …");
}

TEST(Possessive, ANameEndingInSTakesOnlyTheApostrophe) {
    EXPECT_EQ(possessive("Antigravity Tools"), "Antigravity Tools'");
    EXPECT_EQ(possessive("LiteLLM proxy"), "LiteLLM proxy's");
}

}  // namespace
