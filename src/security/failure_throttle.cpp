#include "security/failure_throttle.hpp"

#include <algorithm>

namespace onvif::security {

std::chrono::milliseconds FailureThrottle::failure(const std::string& peer, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(peer);
  if (it != entries_.end() && now - it->second.last > limits_.forget_after) {
    entries_.erase(it);
    it = entries_.end();
  }
  if (it == entries_.end()) {
    if (entries_.size() >= limits_.capacity) {
      // Forget the quietest address (a linear scan: capacity is small and
      // this runs only on failures from a new address when full).
      auto oldest = std::min_element(entries_.begin(), entries_.end(), [](const auto& a, const auto& b) {
        return a.second.last < b.second.last;
      });
      if (oldest != entries_.end()) entries_.erase(oldest);
    }
    if (limits_.capacity == 0) return std::chrono::milliseconds(0);
    it = entries_.emplace(peer, Entry{}).first;
  }
  Entry& e = it->second;
  e.failures++;
  e.last = now;
  int over = e.failures - limits_.free_failures;
  if (over <= 0) return std::chrono::milliseconds(0);
  return std::min(limits_.max_delay, limits_.step * over);
}

void FailureThrottle::success(const std::string& peer) {
  std::lock_guard<std::mutex> lock(mutex_);
  entries_.erase(peer);
}

std::size_t FailureThrottle::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

}  // namespace onvif::security
