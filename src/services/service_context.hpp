#pragma once
// What a handler can see besides its request: the daemon's shared state and
// facts about the request (which address it came in on, for XAddrs). Reached
// from the gSOAP context with requestContext(soap); gSOAP types stay in the
// handler files.
#include <atomic>
#include <chrono>
#include <string>

#include "core/config.hpp"
#include "services/discovery_view.hpp"

// Subsystems reachable from handlers are forward-declared here and owned by main.
namespace onvif::state {
class SettingsStore;
}
namespace onvif::services {
class EventSink;
}
namespace onvif::media {
class MediaModel;
}
namespace onvif::security {
struct Security;
}
namespace onvif::transport {
class NetworkProtocols;
}
namespace onvif::events {
class Broker;
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

struct soap;

namespace onvif::services {

// Shared by all workers. The pointers are set by main before the server
// starts and never change; what they point to does its own locking.
struct DaemonState {
  const core::Config* config = nullptr;
  std::chrono::system_clock::time_point started_at;
  state::SettingsStore* settings = nullptr;  // client-set settings, persisted
  // urn:uuid:... generated once and kept in the settings (Core spec: stable
  // across reboots); GetEndpointReference and WS-Discovery use it.
  std::string endpoint_reference;
  // Manual device time (SetSystemDateAndTime) as an offset from the host clock
  // in seconds, when the device may not set the host clock (see deviceNow).
  // mutable: handlers see the daemon as const, but the device service changes
  // the clock offset and the discovery view (both do their own locking).
  mutable std::atomic<long long> clock_offset_s{0};
  EventSink* events = nullptr;                // nullptr: no event service
  events::Broker* event_broker = nullptr;     // subscriptions (events service handlers)
  mutable DiscoveryView discovery_view;       // scopes and mode, device-owned
  DiscoveryNotifier* discovery = nullptr;     // nullptr: discovery off
  security::Security* security = nullptr;    // users, replay cache, throttle; nullptr: refuse all but PRE_AUTH
  media::MediaModel* media = nullptr;         // camera description and media settings
  transport::NetworkProtocols* protocols = nullptr;  // HTTP/HTTPS ports, for Get/SetNetworkProtocols
  imaging::ImagingModel* imaging = nullptr;   // nullptr: no Imaging service ([imaging] enabled)
  io::IoModel* io = nullptr;                  // relay outputs and digital inputs (Device and DeviceIO)
  ptz::PtzModel* ptz = nullptr;               // the PTZ node; nullptr: no PTZ service
};

// The device's notion of now (host clock plus the manual offset). Use it for
// everything a client sees or checks against (GetSystemDateAndTime,
// UsernameToken freshness, event times).
std::chrono::system_clock::time_point deviceNow(const DaemonState& daemon);

// Per worker, refreshed for every request.
struct RequestContext {
  const DaemonState* daemon = nullptr;
  std::string base_url;  // scheme://address:port the request came in on, no trailing slash
  std::string path;      // request path without the query
};

RequestContext& requestContext(struct ::soap* soap);

// "http://<base>/onvif/<service>_service"
std::string serviceUrl(const RequestContext& ctx, const char* service);

}  // namespace onvif::services
