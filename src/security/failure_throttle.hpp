#pragma once
// Slows down password guessing: after `free_failures` failed authentications
// from one client address, each further failure is answered only after a
// delay that grows by `step` per failure up to `max_delay`. A success from the
// address, or `forget_after` without failures, clears it. At most `capacity`
// addresses are tracked (the longest quiet one is forgotten first), so a
// flood of addresses cannot exhaust memory.
#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace onvif::security {

class FailureThrottle {
 public:
  using Clock = std::chrono::steady_clock;

  struct Limits {
    std::size_t capacity = 1024;
    int free_failures = 3;
    std::chrono::milliseconds step{250};
    std::chrono::milliseconds max_delay{2000};
    std::chrono::seconds forget_after{60};
  };

  explicit FailureThrottle(Limits limits) : limits_(limits) {}

  // Records a failure; returns how long to wait before answering it.
  std::chrono::milliseconds failure(const std::string& peer, Clock::time_point now);
  void success(const std::string& peer);
  std::size_t size() const;

 private:
  struct Entry {
    int failures = 0;
    Clock::time_point last;
  };

  Limits limits_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace onvif::security
