#include "platform/timer.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

using namespace onvif;

namespace {

bool waitFor(const std::atomic<int>& v, int want, int ms) {
  for (int i = 0; i < ms / 5 && v.load() != want; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return v.load() == want;
}

}  // namespace

TEST_CASE("timer: an action runs once after its delay; a newer schedule under its key replaces it") {
  platform::Timer timer;
  std::atomic<int> a{0}, b{0};
  auto start = std::chrono::steady_clock::now();
  timer.schedule("a", 50, [&] { ++a; });
  timer.schedule("b", 10, [&] { b += 1; });
  timer.schedule("b", 20, [&] { b += 10; });  // replaces the first "b"
  CHECK(waitFor(a, 1, 2000));
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(50));
  CHECK(waitFor(b, 10, 2000));
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  CHECK(a.load() == 1);
  CHECK(b.load() == 10);
  CHECK_FALSE(timer.pending("a"));
}

TEST_CASE("timer: cancel and stop drop pending actions; stop joins") {
  std::atomic<int> ran{0};
  {
    platform::Timer timer;
    timer.schedule("x", 20, [&] { ++ran; });
    CHECK(timer.pending("x"));
    timer.cancel("x");
    CHECK_FALSE(timer.pending("x"));
    timer.schedule("y", 10000, [&] { ++ran; });
    timer.stop();                            // returns at once: the long wait is dropped
    timer.schedule("z", 0, [&] { ++ran; });  // after stop: ignored
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(40));
  CHECK(ran.load() == 0);
}

TEST_CASE("timer: an entry cancelled or replaced while the thread waits for it is not read again") {
  // The thread waits for the earliest entry's time; cancel() and a new
  // schedule() under the same key free that entry during the wait, which
  // AddressSanitizer reports if the wait kept a reference into it.
  platform::Timer timer;
  std::atomic<int> ran{0};
  timer.schedule("r", 10000, [&] { ran += 100; });
  std::this_thread::sleep_for(std::chrono::milliseconds(30));  // the thread is waiting now
  timer.cancel("r");
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  timer.schedule("r", 10000, [&] { ran += 100; });
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  timer.schedule("r", 10, [&] { ++ran; });  // replaces the waited-for entry
  CHECK(waitFor(ran, 1, 2000));
  timer.schedule("s", 10000, [&] { ran += 100; });
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  timer.stop();  // clears the waited-for entry
  CHECK(ran.load() == 1);
}
