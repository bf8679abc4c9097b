#include "platform/sys.hpp"

#include <unistd.h>

#include <atomic>

namespace onvif::sys {
namespace {

const Ops kLibc = {
    ::socket, ::accept4, ::connect, ::send, ::recv, ::shutdown, ::close, ::poll,
};

std::atomic<const Ops*> current{&kLibc};

}  // namespace

const Ops& ops() { return *current.load(std::memory_order_acquire); }
const Ops& libcOps() { return kLibc; }

ScopedOps::ScopedOps(const Ops& replacement) : previous_(current.exchange(&replacement)) {}
ScopedOps::~ScopedOps() { current.store(previous_); }

}  // namespace onvif::sys
