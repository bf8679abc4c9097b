#include "security/challenge_budget.hpp"

namespace onvif::security {

bool ChallengeBudget::take(Clock::time_point now) {
  std::int64_t period =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count() / kBucketSeconds;
  std::lock_guard<std::mutex> lock(mutex_);
  std::uint64_t total = 0;
  for (int i = 0; i < kBuckets; i++) {
    if (stamp_[i] > period - kBuckets) total += count_[i];
  }
  if (total >= max_) return false;
  std::size_t slot = static_cast<std::size_t>(period % kBuckets);
  if (stamp_[slot] != period) {
    stamp_[slot] = period;
    count_[slot] = 0;
  }
  count_[slot]++;
  return true;
}

}  // namespace onvif::security
