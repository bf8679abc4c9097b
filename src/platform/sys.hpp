#pragma once
// The system calls on the connection paths, behind one table that tests can
// replace to inject failures (EINTR, EAGAIN, ECONNRESET, a close that fails).
// Production code calls onvif::sys::ops().accept(...) and never the libc
// function directly on these paths.
#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>

namespace onvif::sys {

struct Ops {
  int (*socket)(int domain, int type, int protocol);
  int (*accept4)(int fd, sockaddr* addr, socklen_t* len, int flags);
  int (*connect)(int fd, const sockaddr* addr, socklen_t len);
  ssize_t (*send)(int fd, const void* buf, size_t len, int flags);
  ssize_t (*recv)(int fd, void* buf, size_t len, int flags);
  int (*shutdown)(int fd, int how);
  int (*close)(int fd);
  int (*poll)(pollfd* fds, nfds_t n, int timeout_ms);
};

// The table in force. Defaults to the libc functions.
const Ops& ops();

// Replaces the table for the lifetime of the guard (tests only; not
// thread-safe against concurrent I/O, which tests don't do while swapping).
class ScopedOps {
 public:
  explicit ScopedOps(const Ops& replacement);
  ~ScopedOps();
  ScopedOps(const ScopedOps&) = delete;
  ScopedOps& operator=(const ScopedOps&) = delete;

 private:
  const Ops* previous_;
};

// The libc table, for tests that wrap only one call.
const Ops& libcOps();

}  // namespace onvif::sys
