#include "run/progress.hpp"

#include <ostream>

namespace routecheck {

namespace {

constexpr auto kQuiet = std::chrono::seconds(2);  // short runs print no progress at all
constexpr auto kInPlaceEvery = std::chrono::seconds(1);
constexpr auto kLineEvery = std::chrono::seconds(10);  // a log file gets a line now and then, not a flood

}  // namespace

Progress::Progress(std::ostream& out, std::mutex& mutex, bool enabled, bool in_place)
    : out_(out), mutex_(mutex), enabled_(enabled), in_place_(in_place) {}

Progress::~Progress() {
    if (printer_.joinable()) {
        {
            std::lock_guard lock(wake_mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        printer_.join();
    }
    std::lock_guard lock(mutex_);
    clear_locked();
}

std::size_t Progress::add(const std::string& proxy, std::size_t total) {
    entries_.emplace_back();
    entries_.back().proxy = proxy;
    entries_.back().total = total;
    return entries_.size() - 1;
}

void Progress::start() {
    if (enabled_ && !printer_.joinable() && !entries_.empty()) printer_ = std::thread([this] { loop(); });
}

void Progress::cell_done(std::size_t proxy) { ++entries_[proxy].done; }

void Progress::phase(std::size_t proxy, const char* what) { entries_[proxy].phase = what; }

void Progress::say(const std::string& line) {
    std::lock_guard lock(mutex_);
    clear_locked();
    out_ << line << std::endl;
}

std::string Progress::line() const {
    std::size_t done = 0, total = 0;
    std::string parts;
    for (const auto& e : entries_) {
        const std::size_t d = e.done;
        done += d;
        total += e.total;
        const std::string phase = e.phase.load();
        parts += (parts.empty() ? "" : ", ") + e.proxy + " " +
                 (phase == "done" ? std::string("done") : std::to_string(d) + "/" + std::to_string(e.total)) +
                 (phase == "grids" || phase == "starting" ? " " + phase : "");
    }
    const auto secs =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start_).count();
    return "routecheck: " + std::to_string(secs) + " s: " + std::to_string(done) + "/" + std::to_string(total) +
           " cells; " + parts;
}

void Progress::clear_locked() {
    if (!shown_) return;
    out_ << "\r\x1b[K" << std::flush;
    shown_ = false;
}

void Progress::loop() {
    std::unique_lock wait(wake_mutex_);
    if (wake_.wait_for(wait, kQuiet, [this] { return stopping_; })) return;
    for (;;) {
        {
            std::lock_guard lock(mutex_);
            if (in_place_) {
                out_ << "\r\x1b[K" << line() << std::flush;
                shown_ = true;
            } else {
                out_ << line() << std::endl;
            }
        }
        if (wake_.wait_for(wait, in_place_ ? kInPlaceEvery : kLineEvery, [this] { return stopping_; })) return;
    }
}

}  // namespace routecheck
