#include "events/simulator.hpp"

#include <algorithm>

#include "events/sources.hpp"

namespace onvif::events {

using Clock = std::chrono::steady_clock;

Simulator::Simulator(const core::EventsConfig& config, Broker* sink) : config_(config), sink_(sink) {
  thread_ = std::thread([this] { run(); });
}

Simulator::~Simulator() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Simulator::stepMotion() {
  motion_ = !motion_;
  sink_->publishAll({motionAlarm(config_, motion_, PropertyOperation::Changed),
                     cellMotion(config_, motion_, PropertyOperation::Changed)});
}

void Simulator::stepTampering() {
  const std::string& kind = config_.tampering[(tamper_step_ / 2) % config_.tampering.size()];
  const bool on = tamper_step_ % 2 == 0;
  ++tamper_step_;
  sink_->publish(tampering(kind, config_.video_source, on, PropertyOperation::Changed));
}

void Simulator::run() {
  const bool motion = config_.simulator_period_s > 0;
  const bool tamper = config_.tampering_simulator_period_s > 0 && !config_.tampering.empty();
  const auto motionPeriod = std::chrono::seconds(config_.simulator_period_s);
  const auto tamperPeriod = std::chrono::seconds(config_.tampering_simulator_period_s);
  Clock::time_point nextMotion = Clock::now() + motionPeriod, nextTamper = Clock::now() + tamperPeriod;
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    if (!motion && !tamper) return cv_.wait(lock, [this] { return stop_; });
    const Clock::time_point next = motion && tamper ? std::min(nextMotion, nextTamper)
                                   : motion         ? nextMotion
                                                    : nextTamper;
    if (cv_.wait_until(lock, next, [this] { return stop_; })) return;
    const Clock::time_point now = Clock::now();
    lock.unlock();
    if (motion && now >= nextMotion) {
      stepMotion();
      nextMotion += motionPeriod;
    }
    if (tamper && now >= nextTamper) {
      stepTampering();
      nextTamper += tamperPeriod;
    }
    lock.lock();
  }
}

}  // namespace onvif::events
