// Internal: the thread-safe request journal. Writers are the server's worker threads; readers are the
// harness (in-process or over /__routecheck/journal), which may block until enough entries arrived.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <vector>

#include <nlohmann/json.hpp>

#include "mock_upstream/mock_upstream.hpp"

namespace routecheck::mock {

class Journal {
public:
    // limit > 0 keeps only the newest `limit` entries (older ones are dropped as new ones arrive); 0 keeps all.
    explicit Journal(std::size_t limit = 0) : limit_(limit) {}

    // Assigns the entry's seq (1, 2, ...; never reused after clear()), wakes waiters, and returns the seq.
    std::uint64_t add(JournalEntry e);
    // Appends a frame's send time to the entry `seq` (nothing when the limit or clear() dropped it).
    void note_sent(std::uint64_t seq, double at_ms);
    std::vector<JournalEntry> snapshot() const;
    std::size_t size() const;     // entries held
    std::size_t arrived() const;  // entries added since the last clear (held + dropped by the limit)
    std::size_t clear();          // returns how many entries were held
    // True once `n` entries arrived since the last clear (so it works with a limit below n).
    bool wait_for(std::size_t n, std::chrono::milliseconds timeout) const;

private:
    const std::size_t limit_;
    mutable std::mutex mu_;
    mutable std::condition_variable cv_;
    // A deque, not a vector: appending never moves the entries already stored, so no request waits
    // behind a reallocation of a journal that holds hundreds of thousands of entries.
    std::deque<JournalEntry> entries_;
    std::size_t arrived_ = 0;
    std::uint64_t next_seq_ = 1;
};

nlohmann::json journal_entry_to_json(const JournalEntry& e);

}  // namespace routecheck::mock
