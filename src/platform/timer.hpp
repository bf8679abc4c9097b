#pragma once
// One thread that runs delayed actions for a whole model: schedule() puts
// an action under a key (replacing the one pending under that key),
// cancel() drops it. Actions run on the timer's thread, one after another,
// without the timer's lock held, so they may schedule or cancel. stop()
// (and the destructor) drops what is pending and joins the thread; it
// must not be called from an action.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace onvif::platform {

class Timer {
 public:
  using Clock = std::chrono::steady_clock;
  Timer() = default;
  ~Timer() { stop(); }
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;

  void schedule(const std::string& key, long long delay_ms, std::function<void()> action);
  void cancel(const std::string& key);
  bool pending(const std::string& key) const;
  void stop();

 private:
  struct Entry {
    Clock::time_point due;
    std::function<void()> action;
  };
  void run();

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::map<std::string, Entry> entries_;
  bool stopping_ = false;
  std::thread thread_;  // started by the first schedule()
};

}  // namespace onvif::platform
