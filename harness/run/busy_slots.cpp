#include "run/busy_slots.hpp"

#include <algorithm>

namespace routecheck {

std::vector<int> priority_by_expected_work(const std::vector<double>& expected_ms, int cores, int lowered) {
    std::vector<int> nice(expected_ms.size(), 0);
    std::vector<std::size_t> known;
    for (std::size_t i = 0; i < expected_ms.size(); ++i)
        if (expected_ms[i] > 0) known.push_back(i);
    const std::size_t keep = static_cast<std::size_t>(std::max(1, cores));
    if (known.size() < 2 || known.size() <= keep) return nice;
    std::stable_sort(known.begin(), known.end(),
                     [&](std::size_t a, std::size_t b) { return expected_ms[a] > expected_ms[b]; });
    for (std::size_t k = keep; k < known.size(); ++k) nice[known[k]] = lowered;
    return nice;
}

BusySlots::BusySlots(int slots) : slots_(std::max(1, slots)), free_(std::max(1, slots)) {}

BusySlots::Ticket::Ticket(BusySlots& slots, double expected_ms) : slots_(slots) {
    std::lock_guard<std::mutex> lock(slots_.mutex_);
    index_ = slots_.entries_.size();
    slots_.entries_.push_back({expected_ms, State::Starting});
}

bool BusySlots::may_hold(std::size_t index) const {
    const Entry& me = entries_[index];
    int kept = 0;
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        const Entry& e = entries_[i];
        if (i == index) continue;
        if (e.state == State::Starting && e.expected_ms > me.expected_ms) ++kept;
        // Someone with more work (or as much, and earlier) is waiting: it goes first.
        if (e.state == State::Waiting &&
            (e.expected_ms > me.expected_ms || (e.expected_ms == me.expected_ms && i < index)))
            return false;
    }
    return free_ - std::min(kept, slots_ - 1) > 0;
}

bool BusySlots::Ticket::wait(const Deadline& deadline) {
    std::unique_lock<std::mutex> lock(slots_.mutex_);
    Entry& me = slots_.entries_[index_];
    if (me.state != State::Starting) return me.state == State::Holding;
    me.state = State::Waiting;
    slots_.changed_.notify_all();  // no slot is kept for this ticket any more
    const auto ready = [&] { return slots_.may_hold(index_); };
    bool got = true;
    if (deadline.at == std::chrono::steady_clock::time_point::max())
        slots_.changed_.wait(lock, ready);  // no deadline: a time_point this far out is not handed to the clock
    else got = slots_.changed_.wait_until(lock, deadline.at, ready);
    slots_.entries_[index_].state = got ? State::Holding : State::Done;
    if (got) --slots_.free_;
    lock.unlock();
    slots_.changed_.notify_all();  // a waiter behind this one may be first in line now
    return got;
}

void BusySlots::Ticket::done() {
    {
        std::lock_guard<std::mutex> lock(slots_.mutex_);
        Entry& me = slots_.entries_[index_];
        if (me.state == State::Done) return;
        if (me.state == State::Holding) ++slots_.free_;
        me.state = State::Done;
    }
    slots_.changed_.notify_all();
}

int BusySlots::waiting() {
    std::lock_guard<std::mutex> lock(mutex_);
    return static_cast<int>(
        std::count_if(entries_.begin(), entries_.end(), [](const Entry& e) { return e.state == State::Waiting; }));
}

int BusySlots::holding() {
    std::lock_guard<std::mutex> lock(mutex_);
    return static_cast<int>(
        std::count_if(entries_.begin(), entries_.end(), [](const Entry& e) { return e.state == State::Holding; }));
}

}  // namespace routecheck
