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

namespace onvif::daemon {
struct DaemonState;
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
// Weak: SERVICES=core builds leave imaging_service.cpp out (the service is
// then never present, see operationBound), so the address may be null.
std::string imagingCapabilitiesXml(struct ::soap* soap) __attribute__((weak));
std::string deviceIoCapabilitiesXml(struct ::soap* soap) __attribute__((weak));  // same for DeviceIO
// Weak too: SERVICES=core builds leave ptz_service.cpp out.
std::string ptzCapabilitiesXml(struct ::soap* soap) __attribute__((weak));
// Media2 (media2_service.cpp; weak: SERVICES=core builds leave it out).
std::string media2CapabilitiesXml(struct ::soap* soap) __attribute__((weak));

struct ServiceInfo {
  const char* name;              // "device" -> path /onvif/device_service
  const char* ns;                // WSDL target namespace
  const char* path;              // XAddr path
  bool served;                   // handlers implemented and listed to clients
  CapabilitiesXml capabilities;  // nullptr until served
  // For a service that exists only when configured: whether this daemon
  // serves it (nullptr: always, when served).
  bool (*present)(const daemon::DaemonState& daemon) = nullptr;
};

// ONVIF specification version of the WSDLs we bind (generated/MANIFEST).
constexpr int kOnvifVersionMajor = 25;
constexpr int kOnvifVersionMinor = 12;

const ServiceInfo* serviceTable();
std::size_t serviceCount();
const ServiceInfo* findService(const char* name);
// Served, and present in this daemon's configuration.
bool serviceAvailable(const ServiceInfo& info, const daemon::DaemonState* daemon);
bool serviceAvailable(const char* name, const daemon::DaemonState* daemon);
// Whether this build binds the operation (qualified request element, e.g.
// "timg:GetImagingSettings"); SERVICES=core builds bind fewer services.
bool operationBound(const char* element);
// Media2 is served: bound in this build and enabled by [media] media2.
bool media2Available(const daemon::DaemonState* daemon);

}  // namespace onvif::services
