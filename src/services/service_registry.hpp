#pragma once
// The ONVIF services this binary binds: namespace, XAddr path, version, and
// whether it is served yet. GetServices and GetCapabilities list only served
// ones (Core spec: a device lists the services it supports).
#include <cstddef>

namespace onvif::services {

struct ServiceInfo {
  const char* name;       // "device" -> path /onvif/device_service
  const char* ns;         // WSDL target namespace
  const char* path;       // XAddr path
  bool served;            // handlers implemented and listed to clients
};

// ONVIF specification version of the WSDLs we bind (generated/MANIFEST).
constexpr int kOnvifVersionMajor = 25;
constexpr int kOnvifVersionMinor = 12;

const ServiceInfo* serviceTable();
std::size_t serviceCount();
const ServiceInfo* findService(const char* name);

}  // namespace onvif::services
