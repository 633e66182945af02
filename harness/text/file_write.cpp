#include "text/file_write.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace routecheck {

namespace {

[[noreturn]] void fail(const std::filesystem::path& file, const std::string& step, int err) {
    throw FileWriteError(file.string() + ": " + step + (err ? std::string(": ") + std::strerror(err) : std::string()));
}

}  // namespace

void write_new_file(const std::filesystem::path& file, const std::string& text) {
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) fail(file, "open", errno);
    for (std::size_t off = 0; off < text.size();) {
        ssize_t n = ::write(fd, text.data() + off, text.size() - off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            int err = n < 0 ? errno : EIO;
            ::close(fd);
            fail(file, "write", err);
        }
        off += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        int err = errno;
        ::close(fd);
        fail(file, "fsync", err);
    }
    if (::close(fd) != 0) fail(file, "close", errno);
}

void replace_file(const std::filesystem::path& file, const std::string& text) {
    std::filesystem::path partial = file;
    partial += ".partial";
    std::error_code ec;
    std::filesystem::remove(partial, ec);
    try {
        write_new_file(partial, text);
    } catch (const FileWriteError& e) {
        std::filesystem::remove(partial, ec);
        throw FileWriteError(std::string(e.what()) + " (" + file.string() + " was left as it was)");
    }
    std::filesystem::rename(partial, file, ec);
    if (ec) {
        const int err = ec.value();
        std::filesystem::remove(partial, ec);
        fail(file, "rename (the old file was left as it was)", err);
    }
}

}  // namespace routecheck
