#include "launch/ports.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <system_error>

#include "launch/process.hpp"

namespace routecheck::launch {
namespace {

// Binds a TCP socket to 127.0.0.1:0 and returns it with the port the kernel chose.
int bind_loopback(int& port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw LaunchError(std::string("socket: ") + std::strerror(errno));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        int e = errno;
        ::close(fd);
        throw LaunchError(std::string("cannot bind a loopback port: ") + std::strerror(e));
    }
    port = ntohs(addr.sin_port);
    return fd;
}

// /proc/net/tcp prints addresses as the raw in-memory 32-bit words, each in host byte order.
std::string decode_address(const std::string& hex) {
    char buf[INET6_ADDRSTRLEN] = {};
    if (hex.size() == 8) {
        in_addr a{};
        a.s_addr = static_cast<uint32_t>(std::stoul(hex, nullptr, 16));
        ::inet_ntop(AF_INET, &a, buf, sizeof buf);
    } else if (hex.size() == 32) {
        in6_addr a{};
        for (int w = 0; w < 4; ++w) {
            uint32_t word = static_cast<uint32_t>(std::stoul(hex.substr(w * 8, 8), nullptr, 16));
            std::memcpy(&a.s6_addr[w * 4], &word, 4);
        }
        ::inet_ntop(AF_INET6, &a, buf, sizeof buf);
    } else {
        return hex;
    }
    return buf;
}

// inode -> local address for every socket in LISTEN state (st == 0A).
std::map<unsigned long, ListenAddress> listening_sockets() {
    std::map<unsigned long, ListenAddress> out;
    for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        std::ifstream in(table);
        std::string line;
        std::getline(in, line);  // header
        while (std::getline(in, line)) {
            std::istringstream fields(line);
            std::string sl, local, remote, st, queues, timer, retr, uid, timeout;
            unsigned long inode = 0;
            if (!(fields >> sl >> local >> remote >> st >> queues >> timer >> retr >> uid >> timeout >> inode))
                continue;
            if (st != "0A") continue;
            auto colon = local.find(':');
            if (colon == std::string::npos) continue;
            ListenAddress a;
            a.address = decode_address(local.substr(0, colon));
            a.port = static_cast<int>(std::stoul(local.substr(colon + 1), nullptr, 16));
            out[inode] = a;
        }
    }
    return out;
}

}  // namespace

int free_loopback_port() {
    int port = 0;
    ::close(bind_loopback(port));
    return port;
}

ClosedPort::ClosedPort() { fd_ = bind_loopback(port_); }
ClosedPort::~ClosedPort() {
    if (fd_ >= 0) ::close(fd_);
}

std::string ListenAddress::text() const {
    if (address.find(':') != std::string::npos) return "[" + address + "]:" + std::to_string(port);
    return address + ":" + std::to_string(port);
}

namespace {

struct ProcLinks {
    pid_t pid, ppid, pgrp;
    double cpu_ticks;  // utime + stime + cutime + cstime: its own CPU time and that of the children it reaped
};

// pid, parent, group and CPU time of every process, from /proc/<pid>/stat.
std::vector<ProcLinks> all_processes() {
    std::vector<ProcLinks> out;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
        const std::string name = entry.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream in(entry.path() / "stat");
        std::string stat;
        if (!std::getline(in, stat)) continue;  // the process ended meanwhile
        // Fields after the command name (which may contain spaces and parentheses): state ppid pgrp session tty
        // tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime ...
        auto close = stat.rfind(')');
        if (close == std::string::npos) continue;
        std::istringstream rest(stat.substr(close + 1));
        std::string state;
        long ppid = 0, pgrp = 0, skip = 0;
        double utime = 0, stime = 0, cutime = 0, cstime = 0;
        if (!(rest >> state >> ppid >> pgrp)) continue;
        for (int i = 0; i < 8; ++i) rest >> skip;
        rest >> utime >> stime >> cutime >> cstime;
        out.push_back({static_cast<pid_t>(std::stol(name)), static_cast<pid_t>(ppid), static_cast<pid_t>(pgrp),
                       rest ? utime + stime + cutime + cstime : 0.0});
    }
    return out;
}

}  // namespace

double group_cpu_ms(pid_t pgid) {
    if (pgid <= 0) return 0;
    double ticks = 0;
    for (const auto& p : all_processes())
        if (p.pgrp == pgid) ticks += p.cpu_ticks;
    return ticks * 1000.0 / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

std::vector<pid_t> processes_in_group(pid_t pgid) {
    std::vector<pid_t> out;
    for (const auto& p : all_processes())
        if (p.pgrp == pgid) out.push_back(p.pid);
    return out;
}

std::vector<pid_t> processes_in_tree(pid_t root) {
    const auto all = all_processes();
    std::vector<pid_t> out;
    std::set<pid_t> in_tree = {root};
    // Parents are found before children by repeating until nothing is added (a tree is shallow).
    for (bool added = true; added;) {
        added = false;
        for (const auto& p : all)
            if (in_tree.count(p.ppid) && in_tree.insert(p.pid).second) {
                out.push_back(p.pid);
                added = true;
            }
    }
    return out;
}

std::vector<ListenAddress> listening_addresses(pid_t pgid) { return listening_addresses_of(processes_in_group(pgid)); }

std::vector<ListenAddress> listening_addresses_of(const std::vector<pid_t>& pids) {
    std::vector<ListenAddress> out;
    const auto sockets = listening_sockets();
    std::set<unsigned long> seen;  // forked workers share sockets: report each once
    for (pid_t pid : pids) {
        std::error_code ec;
        const auto fd_dir = std::filesystem::path("/proc") / std::to_string(pid) / "fd";
        for (const auto& fd : std::filesystem::directory_iterator(fd_dir, ec)) {
            std::error_code link_ec;
            const std::string target = std::filesystem::read_symlink(fd.path(), link_ec).string();
            if (link_ec || target.rfind("socket:[", 0) != 0) continue;
            const unsigned long inode = std::stoul(target.substr(8));
            auto it = sockets.find(inode);
            if (it == sockets.end() || !seen.insert(inode).second) continue;
            ListenAddress a = it->second;
            a.pid = pid;
            out.push_back(a);
        }
    }
    return out;
}

}  // namespace routecheck::launch
