// How many launched proxies replay at once, and in which order (routecheck matrix --proxies-at-once N; default
// all). Every proxy of a run starts at once (a start mostly waits). With N slots a proxy's busy part (its cells,
// then its grids) takes one of them; the longest expected work goes first, and while it is still starting a slot is
// kept for it, since the proxy with the longest work of its own (its start, then its cells and grids) sets the
// run's floor. Measured on 2 cores (scripts/bench-matrix part 3, docs/performance.md): 2 at once was 6-14 % slower
// than all at once on a quiet machine and slower still on a loaded one (LiteLLM's start still shares the cores,
// and a proxy whose replay mostly waits, hung websocket upgrades, holds a slot idle), so it is not the default.
//
// Where the expected work comes from: the previous report of the same folder (routecheck matrix reads each proxy's
// ready_ms, replay_ms and grids_ms there). Without one every proxy expects 0: first come, first served, nothing kept.
#pragma once
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <vector>

#include "http/client.hpp"  // Deadline

namespace routecheck {

class BusySlots {
public:
    // `slots`: how many tickets hold a slot at once (at least 1).
    explicit BusySlots(int slots);

    // One proxy's place. Made for every proxy before any of them starts (so a long one still starting is known);
    // ended by done() or the destructor, whatever happened (a proxy that could not start gives its place up).
    class Ticket {
    public:
        // `expected_ms`: this proxy's expected busy time in milliseconds (0: unknown).
        Ticket(BusySlots& slots, double expected_ms);
        ~Ticket() { done(); }
        Ticket(const Ticket&) = delete;
        Ticket& operator=(const Ticket&) = delete;

        // Waits until this ticket may hold a slot: a slot is free after those kept for tickets with more expected
        // work that have not come to wait yet (at most slots - 1 are kept), and no waiting ticket has more expected
        // work (ties: who came first). Returns true holding the slot; false when `deadline` passed first (nothing
        // held). Called once. Thread-safe.
        bool wait(const Deadline& deadline);
        // Gives back the slot, or the place in line of a ticket that never held one. Idempotent.
        void done();

    private:
        BusySlots& slots_;
        std::size_t index_;
    };

    // How many tickets wait for a slot / hold one now (for progress lines and tests). Thread-safe.
    int waiting();
    int holding();

private:
    enum class State { Starting, Waiting, Holding, Done };
    struct Entry {
        double expected_ms;
        State state;
    };
    bool may_hold(std::size_t index) const;  // mutex_ held

    std::mutex mutex_;
    std::condition_variable changed_;
    const int slots_;
    int free_;
    std::vector<Entry> entries_;  // in the order tickets were made; never shrinks (index_ points into it)
};

// The nice value of each launched proxy of a run (its processes, and the harness threads that replay against it):
// `expected_ms[i]` is proxy i's expected work in milliseconds (0: unknown; the matrix passes the CPU time it took in
// the previous report), `cores` the machine's. The `cores` proxies with the most expected work keep the harness's
// priority (0); the others get `lowered`. On a machine with fewer cores than proxies, the costliest then run as if
// nearly alone (LiteLLM, whose start is 6 s of imports, was ready only after 15-16 s with the eight other proxies
// replaying beside it, and 8-13 s with them lowered), while the cheap ones fill the time the costly leave.
// Measured on 2 cores (scripts/bench-matrix part 3, docs/performance.md): keeping one proxy (LiteLLM) was no
// faster, since claude-code-router 3, lowered, then ended last; keeping two was 2 s faster (24.3 s against 26.5).
// Nothing is lowered when fewer than two proxies have a known expected work, when every proxy is kept, or for a
// proxy whose work is unknown (a proxy new since the previous report may be a costly one).
std::vector<int> priority_by_expected_work(const std::vector<double>& expected_ms, int cores, int lowered = 10);

}  // namespace routecheck
