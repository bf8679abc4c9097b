#include "platform/sys.hpp"

#include <fcntl.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>

namespace onvif::sys {
namespace {

// open is variadic in libc; the table's entry always passes the mode.
int openFile(const char* path, int flags, mode_t mode) {
  return ::open(path, flags, mode);
}
int newEventFd(unsigned initval, int flags) {
  return ::eventfd(initval, flags);
}

const Ops kLibc = {
    ::socket,        ::accept4,   ::connect,    ::send,       ::recv,        ::shutdown, ::close,
    ::poll,          ::bind,      ::listen,     ::setsockopt, ::getsockname, ::sendto,   ::recvmsg,
    ::epoll_create1, ::epoll_ctl, ::epoll_wait, newEventFd,   ::signalfd,    openFile,   ::read,
    ::write,         ::fsync,     ::rename,     ::unlink,
};

std::atomic<const Ops*> current{&kLibc};

}  // namespace

const Ops& ops() {
  return *current.load(std::memory_order_acquire);
}
const Ops& libcOps() {
  return kLibc;
}

ScopedOps::ScopedOps(const Ops& replacement) : previous_(current.exchange(&replacement)) {}
ScopedOps::~ScopedOps() {
  current.store(previous_);
}

}  // namespace onvif::sys
