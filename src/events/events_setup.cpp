#include "events/events_setup.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <iterator>

#include "core/log.hpp"
#include "events/sources.hpp"

namespace onvif::events {

int effectiveMaxPullPoints(const core::Config& config) {
  int spare = config.server.max_workers - config.server.workers;
  return std::max(1, std::min(config.events.max_pull_points, spare));
}

bool allowLoopbackConsumers(const core::Config& config) {
  const std::string& mode = config.events.push_allow_loopback;
  if (mode != "auto") return mode == "true";
  const std::string& bind = config.server.bind;
  in_addr a4{};
  in6_addr a6{};
  if (inet_pton(AF_INET, bind.c_str(), &a4) == 1) return (ntohl(a4.s_addr) >> 24) == 127;
  if (inet_pton(AF_INET6, bind.c_str(), &a6) == 1) return IN6_IS_ADDR_LOOPBACK(&a6);
  return bind == "localhost";
}

core::EventsConfig resolvedEvents(const core::Config& config) {
  core::EventsConfig events = config.events;
  // The device's relay outputs ([device] relay_outputs, switched through the
  // Device and DeviceIO services) are event sources too; not on a real
  // device without hook_relay, which switches none (io/io_model.hpp).
  if (!config.device.refusedWithout(config.device.hook_relay))
    for (const std::string& relay : config.device.relay_outputs)
      if (std::find(events.relays.begin(), events.relays.end(), relay) == events.relays.end())
        events.relays.push_back(relay);
  // A real camera claims a tampering detector only when its configuration
  // names it: the firmware has to raise it (the device never says what it
  // does not do); the virtual camera's simulator raises all four.
  const bool simulated = config.device.host == core::DeviceConfig::Host::Simulated;
  if (events.tampering_auto) {
    events.tampering.clear();
    if (simulated) events.tampering.assign(std::begin(kTamperingKinds), std::end(kTamperingKinds));
  }
  if (events.tampering_simulator_auto) events.tampering_simulator_period_s = simulated ? 30 : 0;
  return events;
}

EventsRuntime::~EventsRuntime() {
  // Sources first (they publish into the broker), then the broker.
  control_.reset();
  simulator_.reset();
  if (broker_) {
    Broker::Stats s = broker_->stats();
    LOG_INFO("events: published=%llu dropped=%llu push_sent=%llu push_failed=%llu",
             static_cast<unsigned long long>(s.published), static_cast<unsigned long long>(s.dropped),
             static_cast<unsigned long long>(s.push_sent), static_cast<unsigned long long>(s.push_failed));
  }
  broker_.reset();
}

void EventsRuntime::beginStop() {
  if (broker_) broker_->beginStop();
}

std::unique_ptr<EventsRuntime> setupEvents(const core::Config& config, std::function<SystemTime()> now,
                                           std::string* error) {
  std::unique_ptr<EventsRuntime> rt(new EventsRuntime());
  const core::EventsConfig events = resolvedEvents(config);
  BrokerOptions options;
  options.config = events;
  options.max_pull_points = effectiveMaxPullPoints(config);
  if (options.max_pull_points < config.events.max_pull_points)
    LOG_WARN("events: max_pull_points %d capped to %d (server.max_workers - server.workers)",
             config.events.max_pull_points, options.max_pull_points);
  options.allow_loopback = allowLoopbackConsumers(config);
  options.now = std::move(now);
  rt->broker_ = std::make_unique<Broker>(std::move(options));
  for (const auto& m : initialStates(events)) rt->broker_->publish(m);
  if (!config.events.control_socket.empty()) {
    rt->control_ = std::make_unique<ControlSocket>(events, rt->broker_.get());
    if (!rt->control_->start(config.events.control_socket, error)) return nullptr;
  }
  if (events.simulator_period_s > 0 || (events.tampering_simulator_period_s > 0 && !events.tampering.empty()))
    rt->simulator_ = std::make_unique<Simulator>(events, rt->broker_.get());
  return rt;
}

}  // namespace onvif::events
