#include "services/service_registry.hpp"

#include <cstring>

namespace onvif::services {
namespace {

const ServiceInfo kServices[] = {
    {"device", "http://www.onvif.org/ver10/device/wsdl", "/onvif/device_service", true, deviceCapabilitiesXml},
    {"media", "http://www.onvif.org/ver10/media/wsdl", "/onvif/media_service", true, mediaCapabilitiesXml},
    {"media2", "http://www.onvif.org/ver20/media/wsdl", "/onvif/media2_service", false, nullptr},
    {"events", "http://www.onvif.org/ver10/events/wsdl", "/onvif/events_service", true, eventsCapabilitiesXml},
    {"ptz", "http://www.onvif.org/ver20/ptz/wsdl", "/onvif/ptz_service", false, nullptr},
    {"imaging", "http://www.onvif.org/ver20/imaging/wsdl", "/onvif/imaging_service", false, nullptr},
    {"deviceio", "http://www.onvif.org/ver10/deviceIO/wsdl", "/onvif/deviceio_service", false, nullptr},
};

}  // namespace

const ServiceInfo* serviceTable() { return kServices; }
std::size_t serviceCount() { return sizeof(kServices) / sizeof(kServices[0]); }

const ServiceInfo* findService(const char* name) {
  for (const ServiceInfo& s : kServices)
    if (strcmp(s.name, name) == 0) return &s;
  return nullptr;
}

}  // namespace onvif::services
