// How a long matrix run is going, on the terminal: cells done / total per proxy, one line rewritten in place
// (stderr is a terminal) or a line every 10 s (`--progress` into a file or a CI log). Quiet for the first 2 s, so
// short runs print nothing.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <iosfwd>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace routecheck {

class Progress {
public:
    // `out` and `mutex` are what the run's other messages use (the progress line is cleared before each of them).
    // `enabled` false: nothing is printed and no thread runs. `in_place`: rewrite one line (a terminal).
    Progress(std::ostream& out, std::mutex& mutex, bool enabled, bool in_place);
    ~Progress();  // stops the printer and clears the line
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    // A proxy with `total` cells; returns its index for cell_done() and phase(). Every add() comes before start().
    std::size_t add(const std::string& proxy, std::size_t total);
    void start();                       // starts the printer (when enabled)
    void cell_done(std::size_t proxy);  // thread-safe
    void phase(std::size_t proxy,
               const char* what);  // "starting", "waiting" (for a replay slot), "cells", "grids", "done" (thread-safe)
    // Prints one message line (with a trailing newline), clearing the progress line first. Thread-safe.
    void say(const std::string& line);
    // The current line, e.g. "routecheck: 12 s: 180/560 cells; a 50/140, b 40/140 grids, c done".
    std::string line() const;

private:
    struct Entry {
        std::string proxy;
        std::size_t total = 0;
        std::atomic<std::size_t> done{0};
        std::atomic<const char*> phase{"starting"};
    };
    void loop();
    void clear_locked();

    std::ostream& out_;
    std::mutex& mutex_;
    const bool enabled_, in_place_;
    const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    std::deque<Entry> entries_;  // a deque: entries never move, so workers may hold their index
    bool shown_ = false;         // a line is on the terminal (in-place mode), under mutex_
    std::mutex wake_mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread printer_;
};

}  // namespace routecheck
