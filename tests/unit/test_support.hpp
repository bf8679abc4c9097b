#pragma once
// Helpers shared by the unit tests.
#include <dirent.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace onvif::test {

// Number of open file descriptors of this process.
inline int openFdCount() {
  int n = 0;
  if (DIR* d = opendir("/proc/self/fd")) {
    while (readdir(d)) ++n;
    closedir(d);
    n -= 3;  // ".", ".." and the directory's own fd
  }
  return n;
}

inline bool fdIsOpen(int fd) {
  return fcntl(fd, F_GETFD) != -1;
}

// Reads from fd until EOF or `max` bytes; returns what was read.
inline std::string readAll(int fd, std::size_t max = 1 << 20) {
  std::string out;
  char buf[4096];
  while (out.size() < max) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

// A fresh folder under /tmp, removed with everything in it.
struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/onvifd-unit-XXXXXX";
    const char* made = mkdtemp(tmpl);
    path = made ? made : "/tmp";
  }
  ~TempDir() {
    if (path != "/tmp") (void)system(("rm -rf '" + path + "'").c_str());
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

}  // namespace onvif::test
