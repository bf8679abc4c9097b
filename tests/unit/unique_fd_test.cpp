#include "platform/unique_fd.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <cerrno>

#include "platform/sys.hpp"
#include "test_support.hpp"

using namespace onvif;

namespace {
int closeCalls = 0;
int failingClose(int fd) {
  ++closeCalls;
  sys::libcOps().close(fd);  // the kernel releases the fd even when close reports an error
  errno = EIO;
  return -1;
}
int countingClose(int fd) {
  ++closeCalls;
  return sys::libcOps().close(fd);
}
}  // namespace

TEST_CASE("UniqueFd closes exactly once, whatever is done to it") {
  int base = test::openFdCount();
  sys::Ops ops = sys::libcOps();
  ops.close = countingClose;
  sys::ScopedOps scoped(ops);
  closeCalls = 0;
  {
    platform::UniqueFd a(dup(0));
    CHECK(test::openFdCount() == base + 1);
    platform::UniqueFd b(std::move(a));
    CHECK_FALSE(a.valid());
    CHECK(b.reset() == 0);
    CHECK(b.reset() == 0);  // idempotent: nothing left to close
    CHECK_FALSE(b.valid());
  }
  CHECK(closeCalls == 1);
  CHECK(test::openFdCount() == base);
}

TEST_CASE("UniqueFd: a failing close still releases the fd and is not retried") {
  int base = test::openFdCount();
  sys::Ops ops = sys::libcOps();
  ops.close = failingClose;
  sys::ScopedOps scoped(ops);
  closeCalls = 0;
  {
    platform::UniqueFd a(dup(0));
    CHECK(a.reset() == -1);
    CHECK_FALSE(a.valid());
  }
  CHECK(closeCalls == 1);
  CHECK(test::openFdCount() == base);
}

TEST_CASE("UniqueFd: move-assignment closes the old fd") {
  int base = test::openFdCount();
  platform::UniqueFd a(dup(0)), b(dup(0));
  CHECK(test::openFdCount() == base + 2);
  a = std::move(b);
  CHECK(test::openFdCount() == base + 1);
  a.reset();
  CHECK(test::openFdCount() == base);
}
