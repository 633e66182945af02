// run/busy_slots.hpp: how many proxies replay at once, which goes first, and the slot kept for a long one still
// starting.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "run/busy_slots.hpp"

using namespace routecheck;
using namespace std::chrono_literals;

namespace {

// Records the order in which tickets got their slot.
struct Order {
    std::mutex m;
    std::vector<std::string> names;
    void add(const std::string& n) {
        std::lock_guard<std::mutex> lock(m);
        names.push_back(n);
    }
    std::vector<std::string> get() {
        std::lock_guard<std::mutex> lock(m);
        return names;
    }
    // The names once `n` are recorded (a holder records its name just after its wait returns), or after 10 s.
    std::vector<std::string> once(std::size_t n) {
        const auto until = std::chrono::steady_clock::now() + 10s;
        while (get().size() < n && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(1ms);
        return get();
    }
};

// A thread that waits with `t`, records its name once it holds a slot, then gives it back when `release` is set.
std::thread holder(BusySlots::Ticket& t, std::string name, Order& order, const std::atomic<bool>& release) {
    return std::thread([&t, name, &order, &release] {
        if (!t.wait(Deadline::in(10s, "test deadline"))) return;
        order.add(name);
        while (!release.load()) std::this_thread::sleep_for(1ms);
        t.done();
    });
}

// Waits (up to 10 s) until `waiting` tickets wait and `holding` hold a slot: each step of a scenario starts
// from a known state, however loaded the machine is.
void settle(BusySlots& slots, int waiting, int holding) {
    const auto until = std::chrono::steady_clock::now() + 10s;
    while ((slots.waiting() != waiting || slots.holding() != holding) && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(1ms);
    ASSERT_EQ(slots.waiting(), waiting);
    ASSERT_EQ(slots.holding(), holding);
}

TEST(BusySlots, NeverMoreHoldersThanSlots) {
    BusySlots slots(2);
    std::vector<std::unique_ptr<BusySlots::Ticket>> tickets;
    for (int i = 0; i < 6; ++i) tickets.push_back(std::make_unique<BusySlots::Ticket>(slots, 0));
    std::atomic<int> inside{0}, most{0};
    std::vector<std::thread> threads;
    for (auto& t : tickets)
        threads.emplace_back([&, ticket = t.get()] {
            ASSERT_TRUE(ticket->wait(Deadline::in(10s, "test deadline")));
            const int now = ++inside;
            int seen = most.load();
            while (now > seen && !most.compare_exchange_weak(seen, now)) {}
            std::this_thread::sleep_for(20ms);
            --inside;
            ticket->done();
        });
    for (auto& th : threads) th.join();
    EXPECT_EQ(most.load(), 2);
}

TEST(BusySlots, TheLongestExpectedWorkGoesFirstThenArrivalOrder) {
    BusySlots slots(1);
    BusySlots::Ticket first(slots, 0), shorter(slots, 100), unknown_a(slots, 0), longest(slots, 9000),
        unknown_b(slots, 0);
    // `first` holds the one slot (nothing is kept: at most slots - 1 are).
    ASSERT_TRUE(first.wait(Deadline::in(5s, "test deadline")));
    Order order;
    std::atomic<bool> release{false};
    std::vector<std::thread> threads;
    threads.push_back(holder(shorter, "short", order, release));
    settle(slots, 1, 1);
    threads.push_back(holder(unknown_a, "unknown-a", order, release));
    settle(slots, 2, 1);
    threads.push_back(holder(longest, "long", order, release));
    settle(slots, 3, 1);
    threads.push_back(holder(unknown_b, "unknown-b", order, release));
    settle(slots, 4, 1);
    EXPECT_TRUE(order.get().empty()) << "the slot is held";
    first.done();
    release = true;
    for (auto& th : threads) th.join();
    EXPECT_EQ(order.get(), (std::vector<std::string>{"long", "short", "unknown-a", "unknown-b"}));
}

// Two slots and a long proxy (9000 ms expected) still starting: b (20) takes a slot, then a (10) comes to wait
// and must wait, since the other slot is kept for the long one. The fixture leaves both threads running.
class KeptSlot : public testing::Test {
protected:
    void SetUp() override {
        threads.push_back(holder(b, "b", order, release));
        settle(slots, 0, 1);
        threads.push_back(holder(a, "a", order, release));
        settle(slots, 1, 1);
        EXPECT_EQ(order.once(1), std::vector<std::string>{"b"}) << "a waits: the second slot is kept";
    }
    void TearDown() override {
        release = true;
        for (auto& th : threads) th.join();
    }
    BusySlots slots{2};
    std::unique_ptr<BusySlots::Ticket> long_start = std::make_unique<BusySlots::Ticket>(slots, 9000);
    BusySlots::Ticket a{slots, 10}, b{slots, 20};
    Order order;
    std::atomic<bool> release{false};
    std::vector<std::thread> threads;
};

TEST_F(KeptSlot, TheLongProxyTakesItAtOnceWhenItComesToWait) {
    ASSERT_TRUE(long_start->wait(Deadline::in(5s, "test deadline")));
    EXPECT_EQ(order.get(), std::vector<std::string>{"b"}) << "a still waits: both slots are held";
    long_start->done();
    settle(slots, 0, 2);
    EXPECT_EQ(order.once(2), (std::vector<std::string>{"b", "a"}));
}

TEST_F(KeptSlot, AProxyThatNeverStartsGivesItBack) {
    long_start->done();  // its start failed: nothing is kept for it any more
    settle(slots, 0, 2);
    EXPECT_EQ(order.once(2), (std::vector<std::string>{"b", "a"}));
}

TEST(BusySlots, NeverAllSlotsKept) {
    // One slot, a longer proxy still starting: the waiting one still runs (at most slots - 1 are kept).
    BusySlots slots(1);
    BusySlots::Ticket slow_start(slots, 9000), a(slots, 10);
    EXPECT_TRUE(a.wait(Deadline::in(5s, "test deadline")));
}

TEST(BusySlots, ADeadlineEndsTheWaitWithNothingHeld) {
    BusySlots slots(1);
    BusySlots::Ticket holding(slots, 0), late(slots, 0), after(slots, 0);
    ASSERT_TRUE(holding.wait(Deadline{}));
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_FALSE(late.wait(Deadline::in(100ms, "test deadline")));
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
    holding.done();
    // The slot given back is free again: the ticket that timed out took nothing with it.
    EXPECT_TRUE(after.wait(Deadline::in(1s, "test deadline")));
}

TEST(BusySlots, AtLeastOneSlot) {
    BusySlots slots(0);
    BusySlots::Ticket t(slots, 0);
    EXPECT_TRUE(t.wait(Deadline::in(1s, "test deadline")));
}

TEST(PriorityByExpectedWork, TheCostliestAsManyAsCoresKeepTheirPriority) {
    // The CPU seconds of a full matrix's proxies (litellm 16.3, claude-code-router-3 6.9, portkey 3.5, ...).
    const std::vector<double> cpu = {1700, 2500, 6900, 2100, 1000, 700, 2100, 16300, 3500};
    EXPECT_EQ(priority_by_expected_work(cpu, 2), (std::vector<int>{10, 10, 0, 10, 10, 10, 10, 0, 10}));
    EXPECT_EQ(priority_by_expected_work(cpu, 1), (std::vector<int>{10, 10, 10, 10, 10, 10, 10, 0, 10}));
    EXPECT_EQ(priority_by_expected_work(cpu, 3, 5), (std::vector<int>{5, 5, 0, 5, 5, 5, 5, 0, 0}));
    // As many cores as proxies: nothing lowered.
    EXPECT_EQ(priority_by_expected_work(cpu, 9), std::vector<int>(9, 0));
}

TEST(PriorityByExpectedWork, UnknownWorkIsNeverLoweredAndOneKnownLowersNothing) {
    // Proxy 1 is new since the previous report: it may be a costly one.
    EXPECT_EQ(priority_by_expected_work({5000, 0, 300, 200}, 1), (std::vector<int>{0, 0, 10, 10}));
    EXPECT_EQ(priority_by_expected_work({5000, 0, 0}, 1), (std::vector<int>{0, 0, 0}));
    EXPECT_EQ(priority_by_expected_work({}, 2), std::vector<int>{});
    // Ties keep their order: the first of two equal proxies is kept.
    EXPECT_EQ(priority_by_expected_work({100, 100, 100}, 1), (std::vector<int>{0, 10, 10}));
}

}  // namespace
