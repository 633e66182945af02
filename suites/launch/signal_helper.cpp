// Helper for test_process.cpp: a stand-in harness that installs the signal cleanup, starts a child whose
// own child (a grandchild here) has no parent-death signal, writes that grandchild's pid, and waits to be killed.
// With a second argument "setsid" the grandchild leaves the child's process group and session
// (`setsid sleep 300 &`), so no signal to the group reaches it.
#include <unistd.h>

#include <cstdio>
#include <string>

#include "launch/process.hpp"

int main(int argc, char** argv) {
    if (argc != 2 && argc != 3) return 2;
    routecheck::launch::install_signal_cleanup();
    const std::string pidfile = argv[1];
    const std::string prefix = argc == 3 && std::string(argv[2]) == "setsid" ? "setsid " : "";
    routecheck::launch::ChildProcess child(
        {{"sh", "-c",
          prefix + "sleep 300 & echo $! > " + pidfile + ".tmp; mv " + pidfile + ".tmp " + pidfile + "; wait"},
         routecheck::launch::minimal_environment(),
         {},
         {}});
    for (;;) ::pause();  // destructors never run: only the signal path can clean up
}
