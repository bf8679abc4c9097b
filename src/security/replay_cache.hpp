#pragma once
// Remembers the UsernameTokens (user + Nonce + Created) the device has
// accepted, so that a captured token cannot be used again. Bounded: at most
// `capacity` tokens, each kept for `retention` (past that, the Created
// freshness window rejects the token anyway); the oldest go first when full.
//
// Policy for real clients (see docs/security.md):
//  - only accepted requests are recorded (admit() is called last), so a token
//    answered with a 401 challenge or a fault is not "used": agsh resends a
//    byte-identical token after an HTTP Digest challenge;
//  - a token seen before is accepted again only from the same client address
//    and within `reuse_window` of its first use, at most `max_reuses` times:
//    libonvif sends the same Nonce and Created for every request in the same
//    wall-clock second. A third party (another address), or the same token
//    later, is refused.
#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace onvif::security {

class ReplayCache {
 public:
  using Clock = std::chrono::steady_clock;

  struct Limits {
    std::size_t capacity = 4096;
    std::chrono::seconds retention{600};
    std::chrono::milliseconds reuse_window{2000};
    int max_reuses = 16;
  };

  explicit ReplayCache(Limits limits) : limits_(limits) {}

  // True when the token may be used now (and records the use); false for a replay.
  bool admit(const std::string& token_key, const std::string& peer, Clock::time_point now);

  std::size_t size() const;

 private:
  struct Entry {
    std::string peer;
    Clock::time_point first_use;
    int uses = 0;
  };
  void expireLocked(Clock::time_point now);

  Limits limits_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::deque<std::pair<Clock::time_point, std::string>> order_;  // first use, oldest first
};

}  // namespace onvif::security
