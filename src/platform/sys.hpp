#pragma once
// The system calls of the reactor, the listeners, the control socket, the
// settings store and the UDP sockets, behind one table that tests can
// replace to inject failures (EINTR, EAGAIN, ECONNRESET, a close, rename or
// epoll_ctl that fails). Production code calls onvif::sys::ops().accept4(...)
// and never the libc function directly on these paths.
#include <poll.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
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
  // Sockets: set-up and datagrams.
  int (*bind)(int fd, const sockaddr* addr, socklen_t len);
  int (*listen)(int fd, int backlog);
  int (*setsockopt)(int fd, int level, int name, const void* value, socklen_t len);
  int (*getsockname)(int fd, sockaddr* addr, socklen_t* len);
  ssize_t (*sendto)(int fd, const void* buf, size_t len, int flags, const sockaddr* to, socklen_t to_len);
  ssize_t (*recvmsg)(int fd, msghdr* msg, int flags);
  // The reactor's event loop.
  int (*epoll_create1)(int flags);
  int (*epoll_ctl)(int epfd, int op, int fd, epoll_event* event);
  int (*epoll_wait)(int epfd, epoll_event* events, int max, int timeout_ms);
  int (*eventfd)(unsigned initval, int flags);
  int (*signalfd)(int fd, const sigset_t* mask, int flags);
  // Files (the settings store) and plain reads/writes (eventfd, signalfd).
  int (*open)(const char* path, int flags, mode_t mode);
  ssize_t (*read)(int fd, void* buf, size_t len);
  ssize_t (*write)(int fd, const void* buf, size_t len);
  int (*fsync)(int fd);
  int (*rename)(const char* from, const char* to);
  int (*unlink)(const char* path);
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
