// Benchmark (not a test; scripts/bench-launch runs it): what one launch costs the harness. Three figures, each over
// N launches (default 50, argv[1]): start() alone (the guardian and the child up, the child exec'd), a whole round
// trip of a child that exits at once (start, wait for its exit, stop), and start + stop of a child that runs until
// it is stopped (SIGTERM to its group, the guardian ends its subtree). Prints median, 90th percentile and mean.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

#include "launch/process.hpp"

using namespace routecheck::launch;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

void report(const char* what, std::vector<double> ms) {
    std::sort(ms.begin(), ms.end());
    double sum = 0;
    for (double v : ms) sum += v;
    std::printf("%-34s n=%zu  median %6.2f ms  p90 %6.2f ms  mean %6.2f ms\n", what, ms.size(), ms[ms.size() / 2],
                ms[ms.size() * 9 / 10], sum / static_cast<double>(ms.size()));
}

ProcessSpec spec_of(std::vector<std::string> argv) {
    ProcessSpec spec;
    spec.argv = std::move(argv);
    spec.env = minimal_environment();
    return spec;
}

}  // namespace

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::max(1, std::atoi(argv[1])) : 50;
    std::vector<double> start_ms, true_ms, sleep_ms;
    for (int i = 0; i < n; ++i) {
        auto t0 = Clock::now();
        ChildProcess p(spec_of({"/bin/true"}));
        start_ms.push_back(ms_since(t0));
        if (!p.wait_exit(std::chrono::seconds(10))) {
            std::fprintf(stderr, "bench-launch: /bin/true did not exit within 10 s\n");
            return 1;
        }
        p.stop();
        true_ms.push_back(ms_since(t0));
    }
    for (int i = 0; i < n; ++i) {
        auto t0 = Clock::now();
        ChildProcess p(spec_of({"/bin/sleep", "30"}));
        p.stop();
        sleep_ms.push_back(ms_since(t0));
    }
    report("start() of /bin/true", start_ms);
    report("/bin/true: start, exit, stop", true_ms);
    report("/bin/sleep 30: start, stop", sleep_ms);
    return 0;
}
