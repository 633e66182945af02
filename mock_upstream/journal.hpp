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
  // Assigns the entry's seq (1, 2, ...; never reused after clear()) and wakes waiters.
  void add(JournalEntry e);
  std::vector<JournalEntry> snapshot() const;
  std::size_t size() const;
  std::size_t clear();  // returns how many entries were dropped
  bool wait_for(std::size_t n, std::chrono::milliseconds timeout) const;

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  // A deque, not a vector: appending never moves the entries already stored, so no request waits
  // behind a reallocation of a journal that holds hundreds of thousands of entries.
  std::deque<JournalEntry> entries_;
  std::uint64_t next_seq_ = 1;
};

nlohmann::json journal_entry_to_json(const JournalEntry& e);

}  // namespace routecheck::mock
