#pragma once
// Bounds the HTTP Digest challenges outstanding at once. gSOAP's httpda
// plugin keeps every nonce it hands out in a process-wide list for
// HTTP_DA_SESSION_TIMEOUT (600 s) and scans it on each verification, so an
// unauthenticated flood would grow that list without limit. Past `max`
// challenges within the last 600 s, a request without credentials gets the
// ter:NotAuthorized fault without a new challenge (UsernameToken clients are
// unaffected) until older challenges age out.
#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>

namespace onvif::security {

class ChallengeBudget {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr int kBucketSeconds = 10;
  static constexpr int kBuckets = 61;  // 610 s: a little longer than httpda keeps a nonce

  explicit ChallengeBudget(std::uint64_t max) : max_(max) {}

  // True, and counts it, when one more challenge may be issued now.
  bool take(Clock::time_point now);

 private:
  std::uint64_t max_;
  std::mutex mutex_;
  std::array<std::int64_t, kBuckets> stamp_{};  // which 10-s period each bucket counts
  std::array<std::uint64_t, kBuckets> count_{};
};

}  // namespace onvif::security
