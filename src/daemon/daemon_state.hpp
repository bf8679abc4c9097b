#pragma once
// The composition of the daemon: the subsystems main builds, as the
// handlers (services/) reach them. Every layer below this one gets what it
// needs as an argument (a pointer, a function) and never sees DaemonState;
// see docs/layers.md.
#include <atomic>
#include <chrono>
#include <string>

#include "core/config.hpp"

// Subsystems reachable from handlers are forward-declared here and owned by main.
namespace onvif::state {
class SettingsStore;
}
namespace onvif::events {
class EventSink;
class Broker;
}  // namespace onvif::events
namespace onvif::discovery {
class DiscoveryView;
class DiscoveryNotifier;
}  // namespace onvif::discovery
namespace onvif::media {
class MediaModel;
}
namespace onvif::security {
struct Security;
}
namespace onvif::transport {
class NetworkProtocols;
}
namespace onvif::imaging {
class ImagingModel;
}
namespace onvif::io {
class IoModel;
}
namespace onvif::ptz {
class PtzModel;
}

namespace onvif::daemon {

// Manual device time (SetSystemDateAndTime) as an offset from the host
// clock, for a device that may not set the host clock. Thread-safe.
class DeviceClock {
 public:
  // The device's notion of now (host clock plus the offset). Use it for
  // everything a client sees or checks against (GetSystemDateAndTime,
  // UsernameToken freshness, event times).
  std::chrono::system_clock::time_point now() const;
  long long offsetSeconds() const { return offset_s_.load(); }
  void setOffsetSeconds(long long s) { offset_s_.store(s); }

 private:
  std::atomic<long long> offset_s_{0};
};

// Shared by all workers. The pointers are set by main before the server
// starts and never change; what they point to does its own locking.
struct DaemonState {
  const core::Config* config = nullptr;
  std::chrono::system_clock::time_point started_at;
  state::SettingsStore* settings = nullptr;  // client-set settings, persisted
  // urn:uuid:... generated once and kept in the settings (Core spec: stable
  // across reboots); GetEndpointReference and WS-Discovery use it.
  std::string endpoint_reference;
  DeviceClock* clock = nullptr;                        // nullptr: the host clock
  events::EventSink* events = nullptr;                 // nullptr: no event service
  events::Broker* event_broker = nullptr;              // subscriptions (events service handlers)
  discovery::DiscoveryView* discovery_view = nullptr;  // scopes and mode, device-owned
  discovery::DiscoveryNotifier* discovery = nullptr;   // nullptr: discovery off
  security::Security* security = nullptr;  // users, replay cache, throttle; nullptr: refuse all but PRE_AUTH
  media::MediaModel* media = nullptr;      // camera description and media settings
  transport::NetworkProtocols* protocols = nullptr;  // HTTP/HTTPS ports, for Get/SetNetworkProtocols
  imaging::ImagingModel* imaging = nullptr;          // nullptr: no Imaging service ([imaging] enabled)
  io::IoModel* io = nullptr;                         // relay outputs and digital inputs (Device and DeviceIO)
  ptz::PtzModel* ptz = nullptr;                      // the PTZ node; nullptr: no PTZ service
};

// daemon.clock's now, or the host clock's without one.
std::chrono::system_clock::time_point deviceNow(const DaemonState& daemon);

}  // namespace onvif::daemon
