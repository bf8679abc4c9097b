#pragma once
// The virtual camera's motion: toggles the motion alarm (both motion topics)
// every `period_s` seconds, for demos and tests ([events] simulator_period_s).
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/config.hpp"
#include "events/broker.hpp"
#include "services/event_sink.hpp"

namespace onvif::events {

class Simulator {
 public:
  Simulator(const core::EventsConfig& config, Broker* sink);
  ~Simulator();  // stops and joins
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

 private:
  void run();
  core::EventsConfig config_;
  Broker* sink_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace onvif::events
