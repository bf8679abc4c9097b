// Device management service (ONVIF Core spec, section "Device management").
// Thin handlers: read the request, ask the daemon's state, map to the
// response or to a fault from soap/faults. Operations not defined here are
// answered by the generated weak defaults with ter:ActionNotSupported.
#include <ctime>
#include <string>

#include "gsoap_onvifH.h"
#include "services/events_capabilities.hpp"
#include "services/service_context.hpp"
#include "services/service_registry.hpp"
#include "soap/element_xml.hpp"
#include "soap/faults.hpp"

namespace onvif::services {
namespace {

using namespace gsoap_onvif;

bool* boolean(struct ::soap* soap, bool value) {
  bool* p = static_cast<bool*>(soap_malloc(soap, sizeof(bool)));
  *p = value;
  return p;
}

int* integer(struct ::soap* soap, int value) {
  int* p = static_cast<int*>(soap_malloc(soap, sizeof(int)));
  *p = value;
  return p;
}

tt__DateTime* dateTime(struct ::soap* soap, const std::tm& tm) {
  auto* dt = soap_new_tt__DateTime(soap);
  dt->Date = soap_new_tt__Date(soap);
  dt->Time = soap_new_tt__Time(soap);
  dt->Date->Year = tm.tm_year + 1900;
  dt->Date->Month = tm.tm_mon + 1;
  dt->Date->Day = tm.tm_mday;
  dt->Time->Hour = tm.tm_hour;
  dt->Time->Minute = tm.tm_min;
  dt->Time->Second = tm.tm_sec;
  return dt;
}

tt__OnvifVersion* onvifVersion(struct ::soap* soap) {
  auto* v = soap_new_tt__OnvifVersion(soap);
  v->Major = kOnvifVersionMajor;
  v->Minor = kOnvifVersionMinor;
  return v;
}

// What the device service supports, shared by GetServiceCapabilities and
// GetServices(IncludeCapability).
tds__DeviceServiceCapabilities* deviceCapabilities(struct ::soap* soap) {
  auto* caps = soap_new_tds__DeviceServiceCapabilities(soap);
  caps->Network = soap_new_tds__NetworkCapabilities(soap);
  caps->Network->IPFilter = boolean(soap, false);
  caps->Network->ZeroConfiguration = boolean(soap, false);
  caps->Network->IPVersion6 = boolean(soap, false);
  caps->Network->DynDNS = boolean(soap, false);
  caps->Network->Dot11Configuration = boolean(soap, false);
  caps->Network->HostnameFromDHCP = boolean(soap, false);
  caps->Network->NTP = integer(soap, 0);
  caps->Security = soap_new_tds__SecurityCapabilities(soap);
  caps->Security->TLS1_x002e0 = boolean(soap, false);
  caps->Security->TLS1_x002e1 = boolean(soap, false);
  caps->Security->TLS1_x002e2 = boolean(soap, false);
  caps->Security->OnboardKeyGeneration = boolean(soap, false);
  caps->Security->AccessPolicyConfig = boolean(soap, false);
  caps->Security->DefaultAccessPolicy = boolean(soap, false);
  caps->Security->Dot1X = boolean(soap, false);
  caps->Security->RemoteUserHandling = boolean(soap, false);
  caps->Security->X_x002e509Token = boolean(soap, false);
  caps->Security->SAMLToken = boolean(soap, false);
  caps->Security->KerberosToken = boolean(soap, false);
  // Security part (docs/security.md): UsernameToken and HTTP Digest, and
  // the user limits of the [security] configuration.
  caps->Security->UsernameToken = boolean(soap, true);
  caps->Security->HttpDigest = boolean(soap, true);
  const DaemonState* daemon = soap->user ? requestContext(soap).daemon : nullptr;
  if (daemon && daemon->config) {
    const core::SecurityConfig& sec = daemon->config->security;
    caps->Security->MaxUsers = integer(soap, sec.max_users);
    caps->Security->MaxUserNameLength = integer(soap, sec.max_username_length);
    caps->Security->MaxPasswordLength = integer(soap, sec.max_password_length);
  }
  caps->Security->HashingAlgorithms = soap_new_std__string(soap);
  *caps->Security->HashingAlgorithms = "SHA-256 MD5";  // HTTP Digest, in order of preference
  caps->Security->RELToken = boolean(soap, false);
  caps->System = soap_new_tds__SystemCapabilities(soap);
  caps->System->DiscoveryResolve = boolean(soap, false);
  caps->System->DiscoveryBye = boolean(soap, false);
  caps->System->RemoteDiscovery = boolean(soap, false);
  caps->System->SystemBackup = boolean(soap, false);
  caps->System->SystemLogging = boolean(soap, false);
  caps->System->HttpFirmwareUpgrade = boolean(soap, false);
  caps->System->HttpSystemBackup = boolean(soap, false);
  caps->System->HttpSystemLogging = boolean(soap, false);
  caps->System->HttpSupportInformation = boolean(soap, false);
  return caps;
}

tt__DeviceCapabilities* legacyDeviceCapabilities(struct ::soap* soap, const RequestContext& ctx) {
  auto* dev = soap_new_tt__DeviceCapabilities(soap);
  dev->XAddr = serviceUrl(ctx, "device");
  dev->Network = soap_new_tt__NetworkCapabilities(soap);
  dev->Network->IPFilter = boolean(soap, false);
  dev->Network->ZeroConfiguration = boolean(soap, false);
  dev->Network->IPVersion6 = boolean(soap, false);
  dev->Network->DynDNS = boolean(soap, false);
  dev->System = soap_new_tt__SystemCapabilities(soap);
  dev->System->DiscoveryResolve = false;
  dev->System->DiscoveryBye = false;
  dev->System->RemoteDiscovery = false;
  dev->System->SystemBackup = false;
  dev->System->SystemLogging = false;
  dev->System->FirmwareUpgrade = false;
  dev->System->SupportedVersions.push_back(onvifVersion(soap));
  dev->IO = soap_new_tt__IOCapabilities(soap);
  dev->IO->InputConnectors = integer(soap, 0);
  dev->IO->RelayOutputs = integer(soap, 0);
  dev->Security = soap_new_tt__SecurityCapabilities(soap);
  return dev;
}

}  // namespace

std::string deviceCapabilitiesXml(struct ::soap* soap) {
  return onvif::soap::elementXml(*deviceCapabilities(soap), "tds:Capabilities");
}

}  // namespace onvif::services

namespace gsoap_onvif {

using onvif::services::requestContext;
using onvif::soap::ErrorKind;

// Core spec "GetSystemDateAndTime". Access class PRE_AUTH: clients read the
// device clock before they can compute a UsernameToken.
int __tds__GetSystemDateAndTime(struct soap* soap, _tds__GetSystemDateAndTime*,
                                _tds__GetSystemDateAndTimeResponse& response) {
  using namespace onvif::services;
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  auto* sdt = soap_new_tt__SystemDateTime(soap);
  sdt->DateTimeType = tt__SetDateTimeType__Manual;
  sdt->DaylightSavings = false;
  sdt->TimeZone = soap_new_tt__TimeZone(soap);
  sdt->TimeZone->TZ = "UTC0";  // POSIX TZ; settable with SetSystemDateAndTime (device issue)
  sdt->UTCDateTime = dateTime(soap, utc);
  sdt->LocalDateTime = dateTime(soap, utc);
  response.SystemDateAndTime = sdt;
  return SOAP_OK;
}

// Core spec "GetDeviceInformation". Access class READ_SYSTEM.
int __tds__GetDeviceInformation(struct soap* soap, _tds__GetDeviceInformation*,
                                _tds__GetDeviceInformationResponse& response) {
  const auto& device = requestContext(soap).daemon->config->device;
  response.Manufacturer = device.manufacturer;
  response.Model = device.model;
  response.FirmwareVersion = device.firmware_version;
  response.SerialNumber = device.serial_number;
  response.HardwareId = device.hardware_id;
  return SOAP_OK;
}

// Core spec "GetServices": one entry per service the device supports, with
// its capabilities when IncludeCapability is true. Access class PRE_AUTH.
int __tds__GetServices(struct soap* soap, _tds__GetServices* request, _tds__GetServicesResponse& response) {
  using namespace onvif::services;
  const RequestContext& ctx = requestContext(soap);
  for (std::size_t i = 0; i < serviceCount(); ++i) {
    const ServiceInfo& info = serviceTable()[i];
    if (!info.served) continue;
    auto* service = soap_new_tds__Service(soap);
    service->Namespace = info.ns;
    service->XAddr = ctx.base_url + info.path;
    service->Version = onvifVersion(soap);
    if (request && request->IncludeCapability && info.capabilities) {
      std::string xml = info.capabilities(soap);
      service->Capabilities = soap_new__tds__Service_Capabilities(soap);
      service->Capabilities->__any.soap = soap;
      service->Capabilities->__any.code = soap_strdup(soap, xml.c_str());
    }
    response.Service.push_back(service);
  }
  return SOAP_OK;
}

// Core spec "GetServiceCapabilities" (device service). Access class PRE_AUTH.
int __tds__GetServiceCapabilities(struct soap* soap, _tds__GetServiceCapabilities*,
                                  _tds__GetServiceCapabilitiesResponse& response) {
  response.Capabilities = onvif::services::deviceCapabilities(soap);
  return SOAP_OK;
}

// Core spec "GetCapabilities": only services the device really serves; a
// category it does not serve -> env:Receiver/ter:ActionNotSupported/ter:NoSuchService.
// Access class PRE_AUTH.
int __tds__GetCapabilities(struct soap* soap, _tds__GetCapabilities* request,
                           _tds__GetCapabilitiesResponse& response) {
  using namespace onvif::services;
  const RequestContext& ctx = requestContext(soap);
  bool all = !request || request->Category.empty();
  bool device = all;
  bool media = all;
  bool events = all && ctx.daemon->event_broker;
  if (request) {
    for (tt__CapabilityCategory category : request->Category) {
      switch (category) {
        case tt__CapabilityCategory__All:
          all = device = media = true;
          events = ctx.daemon->event_broker;
          break;
        case tt__CapabilityCategory__Device: device = true; break;
        case tt__CapabilityCategory__Media: media = true; break;
        case tt__CapabilityCategory__Events:
          if (!ctx.daemon->event_broker) return onvif::soap::fault(soap, ErrorKind::NoSuchService);
          events = true;
          break;
        default: return onvif::soap::fault(soap, ErrorKind::NoSuchService);
      }
    }
  }
  auto* caps = soap_new_tt__Capabilities(soap);
  if (device) caps->Device = legacyDeviceCapabilities(soap, ctx);
  if (media) caps->Media = legacyMediaCapabilities(soap);
  if (events) caps->Events = legacyEventCapabilities(soap, ctx);  // HA and NVRs look for the XAddr here
  response.Capabilities = caps;
  return SOAP_OK;
}

// Core spec "GetWsdlUrl". Access class PRE_AUTH.
int __tds__GetWsdlUrl(struct soap*, _tds__GetWsdlUrl*, _tds__GetWsdlUrlResponse& response) {
  response.WsdlUrl = "http://www.onvif.org/Documents/Specifications.aspx";
  return SOAP_OK;
}

}  // namespace gsoap_onvif
