#pragma once
// The ONVIF services this binary binds: namespace, XAddr path, version, and
// whether it is served yet. GetServices and GetCapabilities list only served
// ones (Core spec: a device lists the services it supports).
#include <cstddef>
#include <string>

struct soap;
namespace gsoap_onvif {
class tt__MediaCapabilities;
}

namespace onvif::services {

// A served service's capabilities element (e.g. <trt:Capabilities .../>) as
// XML text, for GetServices with IncludeCapability. Defined in that service's
// handler file, next to its GetServiceCapabilities.
using CapabilitiesXml = std::string (*)(struct ::soap* soap);
std::string deviceCapabilitiesXml(struct ::soap* soap);
std::string mediaCapabilitiesXml(struct ::soap* soap);
// GetCapabilities' Media category (legacy tt:MediaCapabilities), from media_service.cpp.
gsoap_onvif::tt__MediaCapabilities* legacyMediaCapabilities(struct ::soap* soap);
std::string eventsCapabilitiesXml(struct ::soap* soap);

struct ServiceInfo {
  const char* name;       // "device" -> path /onvif/device_service
  const char* ns;         // WSDL target namespace
  const char* path;       // XAddr path
  bool served;            // handlers implemented and listed to clients
  CapabilitiesXml capabilities;  // nullptr until served
};

// ONVIF specification version of the WSDLs we bind (generated/MANIFEST).
constexpr int kOnvifVersionMajor = 25;
constexpr int kOnvifVersionMinor = 12;

const ServiceInfo* serviceTable();
std::size_t serviceCount();
const ServiceInfo* findService(const char* name);

}  // namespace onvif::services
