#pragma once
// The virtual camera's event sources, for demos and tests:
//  - motion: toggles the motion alarm (both motion topics) every
//    `simulator_period_s` seconds;
//  - tampering: every `tampering_simulator_period_s` seconds one tampering
//    kind of [events] tampering changes, in turn: the first goes on, then
//    off, then the next goes on, ...
// Each runs only when its period is above 0 (periods already resolved, see
// events::resolvedEvents).
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>

#include "core/config.hpp"
#include "events/broker.hpp"
#include "events/event_sink.hpp"

namespace onvif::events {

class Simulator {
 public:
  Simulator(const core::EventsConfig& config, Broker* sink);
  ~Simulator();  // stops and joins
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

 private:
  void run();
  void stepMotion();
  void stepTampering();

  core::EventsConfig config_;
  Broker* sink_;
  bool motion_ = false;
  std::size_t tamper_step_ = 0;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace onvif::events
