#include "events/simulator.hpp"

#include "events/sources.hpp"

namespace onvif::events {

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

void Simulator::run() {
  bool motion = false;
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    if (cv_.wait_for(lock, std::chrono::seconds(config_.simulator_period_s), [this] { return stop_; })) return;
    motion = !motion;
    lock.unlock();
    sink_->publishAll({motionAlarm(config_, motion, services::PropertyOperation::Changed),
                       cellMotion(config_, motion, services::PropertyOperation::Changed)});
    lock.lock();
  }
}

}  // namespace onvif::events
