#include "security/replay_cache.hpp"

namespace onvif::security {

void ReplayCache::expireLocked(Clock::time_point now) {
  while (!order_.empty() &&
         (order_.front().first + limits_.retention < now || order_.size() > limits_.capacity)) {
    entries_.erase(order_.front().second);
    order_.pop_front();
  }
}

bool ReplayCache::admit(const std::string& token_key, const std::string& peer, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mutex_);
  expireLocked(now);
  auto it = entries_.find(token_key);
  if (it != entries_.end()) {
    Entry& e = it->second;
    if (e.peer != peer || now - e.first_use > limits_.reuse_window || e.uses > limits_.max_reuses)
      return false;
    e.uses++;
    return true;
  }
  if (limits_.capacity == 0) return true;
  entries_.emplace(token_key, Entry{peer, now, 1});
  order_.emplace_back(now, token_key);
  expireLocked(now);
  return true;
}

std::size_t ReplayCache::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

}  // namespace onvif::security
