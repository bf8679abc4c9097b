#include "platform/timer.hpp"

namespace onvif::platform {

void Timer::schedule(const std::string& key, long long delay_ms, std::function<void()> action) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (stopping_) return;
  entries_[key] =
      Entry{Clock::now() + std::chrono::milliseconds(delay_ms < 0 ? 0 : delay_ms), std::move(action)};
  if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
  wake_.notify_all();
}

void Timer::cancel(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  entries_.erase(key);
  wake_.notify_all();
}

bool Timer::pending(const std::string& key) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.count(key) != 0;
}

void Timer::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    entries_.clear();
    wake_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

void Timer::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    if (entries_.empty()) {
      wake_.wait(lock);
      continue;
    }
    auto next = entries_.begin();
    for (auto it = entries_.begin(); it != entries_.end(); ++it)
      if (it->second.due < next->second.due) next = it;
    // A copy: wait_until reads its deadline again after waking, when a
    // cancel() may have erased the entry it came from.
    const Clock::time_point due = next->second.due;
    if (Clock::now() < due) {
      wake_.wait_until(lock, due);
      continue;  // the entries may have changed meanwhile
    }
    std::function<void()> action = std::move(next->second.action);
    entries_.erase(next);
    lock.unlock();
    action();
    lock.lock();
  }
}

}  // namespace onvif::platform
