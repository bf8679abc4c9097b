#include "services/profile_t.hpp"

#include "events/events_setup.hpp"
#include "services/service_registry.hpp"

namespace onvif::services {
namespace {

// One row per group of the Profile T mandatory feature list that this
// daemon's configuration or build decides; the rest (HTTP Digest, users,
// network configuration, system, discovery types) every onvifd provides.
struct Requirement {
  const char* name;
  bool (*met)(const daemon::DaemonState& daemon);
};

const Requirement kRequirements[] = {
    // Media profile management, video and metadata streaming and their
    // configuration, OSD and snapshots are Media2 features.
    {"Media2 service", [](const daemon::DaemonState& d) { return serviceAvailable("media2", &d); }},
    {"Imaging service", [](const daemon::DaemonState& d) { return serviceAvailable("imaging", &d); }},
    {"DeviceIO service", [](const daemon::DaemonState& d) { return serviceAvailable("deviceio", &d); }},
    {"Event service with at least two pull points",
     [](const daemon::DaemonState& d) {
       return serviceAvailable("events", &d) && events::effectiveMaxPullPoints(*d.config) >= 2;
     }},
    {"WS-Discovery", [](const daemon::DaemonState& d) { return d.config->discovery.enabled; }},
    // "Check that at least one Tampering Event is supported": the kinds of
    // [events] tampering, raised by firmware or the simulator.
    {"a tampering event (ImageTooBlurry, ImageTooDark, ImageTooBright or GlobalSceneChange)",
     [](const daemon::DaemonState& d) { return !events::resolvedEvents(*d.config).tampering.empty(); }},
    {"JPEG snapshot", [](const daemon::DaemonState& d) { return !d.config->media.snapshot_uri.empty(); }},
    {"text OSD", [](const daemon::DaemonState& d) { return d.config->media.osd_max > 0; }},
};

}  // namespace

std::vector<std::string> profileTMissing(const daemon::DaemonState& daemon) {
  std::vector<std::string> missing;
  for (const Requirement& r : kRequirements)
    if (!r.met(daemon)) missing.push_back(r.name);
  return missing;
}

}  // namespace onvif::services
