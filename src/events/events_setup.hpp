#pragma once
// Everything the event service runs besides its handlers, owned by main:
// the broker (also the daemon's EventSink), the simulator and the control
// socket. Created before the server starts; destroyed after it stops.
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "core/config.hpp"
#include "events/broker.hpp"
#include "events/control.hpp"
#include "events/simulator.hpp"

namespace onvif::events {

class EventsRuntime {
 public:
  ~EventsRuntime();
  // Wakes long polls and push senders (server's on_shutdown; non-blocking).
  void beginStop();
  // The control socket, to add other subsystems' commands; nullptr when none is configured.
  ControlSocket* control() { return control_.get(); }
  Broker* broker() { return broker_.get(); }

 private:
  friend std::unique_ptr<EventsRuntime> setupEvents(const core::Config&, std::function<SystemTime()>,
                                                    std::string*);
  std::unique_ptr<Broker> broker_;
  std::unique_ptr<Simulator> simulator_;
  std::unique_ptr<ControlSocket> control_;
};

// `now`: the device's clock (event times). The caller hands broker() to the
// handlers as their EventSink. nullptr with `error` set on failure.
std::unique_ptr<EventsRuntime> setupEvents(const core::Config& config, std::function<SystemTime()> now,
                                           std::string* error);

// Pull points we can serve without ever taking the last free worker: a
// waiting PullMessages holds a worker thread, and at most one waits per
// pull point, so max_pull_points <= max_workers - workers keeps `workers`
// threads for everyone else.
int effectiveMaxPullPoints(const core::Config& config);

// [events] as the event sources see it: the device's relay outputs added to
// `relays`, and the "auto" tampering values decided by device.host (all
// four kinds and a 30 s simulator on a simulated host, none on a real one).
core::EventsConfig resolvedEvents(const core::Config& config);

// push_allow_loopback "auto": allowed only while the server listens on loopback.
bool allowLoopbackConsumers(const core::Config& config);

}  // namespace onvif::events
