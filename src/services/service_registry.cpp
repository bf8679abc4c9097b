#include "services/service_registry.hpp"

#include <cstring>

#include "daemon/request_context.hpp"
#include "media/media_model.hpp"
#include "soap/operation_table.hpp"

namespace onvif::services {
namespace {

bool imagingPresent(const daemon::DaemonState& daemon) {
  return daemon.imaging != nullptr;
}
bool deviceIoPresent(const daemon::DaemonState&) {
  static const bool bound = operationBound("tmd:GetDigitalInputs");
  return bound;
}
bool media2Present(const daemon::DaemonState& daemon) {
  return daemon.media && daemon.media->camera().media2 && operationBound("tr2:GetProfiles");
}
bool ptzPresent(const daemon::DaemonState& daemon) {
  return daemon.ptz != nullptr && daemon.media != nullptr;
}

const ServiceInfo kServices[] = {
    {"device", "http://www.onvif.org/ver10/device/wsdl", "/onvif/device_service", true,
     deviceCapabilitiesXml},
    {"media", "http://www.onvif.org/ver10/media/wsdl", "/onvif/media_service", true, mediaCapabilitiesXml},
    {"media2", "http://www.onvif.org/ver20/media/wsdl", "/onvif/media2_service", true, media2CapabilitiesXml,
     media2Present},
    {"events", "http://www.onvif.org/ver10/events/wsdl", "/onvif/events_service", true,
     eventsCapabilitiesXml},
    {"ptz", "http://www.onvif.org/ver20/ptz/wsdl", "/onvif/ptz_service", true, ptzCapabilitiesXml,
     ptzPresent},
    {"imaging", "http://www.onvif.org/ver20/imaging/wsdl", "/onvif/imaging_service", true,
     imagingCapabilitiesXml, imagingPresent},
    {"deviceio", "http://www.onvif.org/ver10/deviceIO/wsdl", "/onvif/deviceio_service", true,
     deviceIoCapabilitiesXml, deviceIoPresent},
};

}  // namespace

const ServiceInfo* serviceTable() {
  return kServices;
}
std::size_t serviceCount() {
  return sizeof(kServices) / sizeof(kServices[0]);
}

const ServiceInfo* findService(const char* name) {
  for (const ServiceInfo& s : kServices)
    if (strcmp(s.name, name) == 0) return &s;
  return nullptr;
}

bool serviceAvailable(const ServiceInfo& info, const daemon::DaemonState* daemon) {
  if (!info.served) return false;
  return !info.present || (daemon && info.present(*daemon));
}

bool serviceAvailable(const char* name, const daemon::DaemonState* daemon) {
  const ServiceInfo* info = findService(name);
  return info && serviceAvailable(*info, daemon);
}

bool media2Available(const daemon::DaemonState* daemon) {
  return serviceAvailable("media2", daemon);
}

bool operationBound(const char* element) {
  for (std::size_t i = 0; i < soap::kBoundOperationCount; ++i)
    if (strcmp(soap::kBoundOperations[i].element, element) == 0) return true;
  return false;
}

}  // namespace onvif::services
