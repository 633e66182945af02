#include "mock_upstream/journal.hpp"

namespace routecheck::mock {

std::uint64_t Journal::add(JournalEntry e) {
    std::uint64_t seq = 0;
    {
        std::lock_guard lock(mu_);
        seq = e.seq = next_seq_++;
        ++arrived_;
        entries_.push_back(std::move(e));
        if (limit_ > 0 && entries_.size() > limit_) entries_.pop_front();
    }
    cv_.notify_all();
    return seq;
}

void Journal::note_sent(std::uint64_t seq, double at_ms) {
    std::lock_guard lock(mu_);
    // Seqs are consecutive in the deque (clear() empties it), so the entry's place follows from the first one's.
    if (entries_.empty() || seq < entries_.front().seq) return;
    const std::uint64_t at = seq - entries_.front().seq;
    if (at < entries_.size() && entries_[at].seq == seq) entries_[at].sent_at_ms.push_back(at_ms);
}

double steady_ms() {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::vector<JournalEntry> Journal::snapshot() const {
    std::lock_guard lock(mu_);
    return {entries_.begin(), entries_.end()};
}

std::size_t Journal::size() const {
    std::lock_guard lock(mu_);
    return entries_.size();
}

std::size_t Journal::arrived() const {
    std::lock_guard lock(mu_);
    return arrived_;
}

std::size_t Journal::clear() {
    std::lock_guard lock(mu_);
    std::size_t n = entries_.size();
    entries_.clear();
    arrived_ = 0;
    return n;
}

bool Journal::wait_for(std::size_t n, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return arrived_ >= n; });
}

nlohmann::json journal_entry_to_json(const JournalEntry& e) {
    return {{"seq", e.seq},         {"t_ms", e.t_ms},
            {"method", e.method},   {"path", e.path},
            {"query", e.query},     {"target", e.target},
            {"headers", e.headers}, {"body", e.body},
            {"origin", e.origin},   {"correlation", e.correlation},
            {"status", e.status},   {"protocol", e.protocol},
            {"fault", e.fault},     {"sent_at_ms", e.sent_at_ms}};
}

std::string journal_to_json(const std::vector<JournalEntry>& entries) {
    nlohmann::json arr = nlohmann::json::array();
    for (const JournalEntry& e : entries) arr.push_back(journal_entry_to_json(e));
    // Bodies are whatever the client sent: replace invalid UTF-8 rather than fail the whole journal.
    return arr.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace routecheck::mock
