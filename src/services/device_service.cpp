// Device management service (ONVIF Core spec, section "Device management"):
// capabilities and identity. The other operations live beside this file:
// device_system.cpp (time, reboot, factory default, logs), device_network.cpp,
// device_scopes.cpp, device_io.cpp (relays, auxiliary commands); users and
// access policy belong to the security files. Operations not defined anywhere
// are answered by the generated weak defaults with ter:ActionNotSupported.
#include <string>

#include "daemon/request_context.hpp"
#include "gsoap_onvifH.h"
#include "io/io_model.hpp"
#include "server/listener.hpp"
#include "services/device_soap.hpp"
#include "services/events_capabilities.hpp"
#include "services/service_registry.hpp"
#include "soap/element_xml.hpp"
#include "soap/faults.hpp"

namespace onvif::services {
namespace {

using namespace gsoap_onvif;
using device::soapValue;

bool* boolean(struct ::soap* soap, bool value) {
  return soapValue(soap, value);
}
int* integer(struct ::soap* soap, int value) {
  return soapValue(soap, value);
}

// Largest number of NTP servers SetNTP accepts (the NTP capability).
constexpr int kMaxNtpServers = 8;

tt__OnvifVersion* onvifVersion(struct ::soap* soap) {
  auto* v = soap_new_tt__OnvifVersion(soap);
  v->Major = kOnvifVersionMajor;
  v->Minor = kOnvifVersionMinor;
  return v;
}

bool served(const char* name, const daemon::DaemonState* daemon) {
  return serviceAvailable(name, daemon);
}

// What the device really does, from its configuration and the code that
// runs; GetServiceCapabilities, GetServices and GetCapabilities all answer
// from it, so the three never disagree. Without a daemon (no request
// context) nothing optional is claimed.
struct DeviceFacts {
  bool ipv6 = false;  // a listener on an IPv6 address ([server] bind, [transport] ipv6)
  bool tls12 =
      false;  // HTTPS offered: a certificate is configured (TLS 1.2 minimum, transport/tls_context.cpp)
  bool hostname_from_dhcp = false;  // SetHostnameFromDHCP is carried out or recorded, not refused
  int ntp_servers = 0;              // SetNTP accepts this many (0: refused)
  bool discovery = false;           // WS-Discovery runs: Resolve answered, Bye sent
  bool system_logging = false;      // GetSystemLog has a log to return
};

// The relays clients can switch (io::IoModel lists none on a real device
// without hook_relay).
int relayOutputs(const daemon::DaemonState* daemon) {
  return daemon && daemon->io ? static_cast<int>(daemon->io->relays().size()) : 0;
}

// Auxiliary commands are claimed when configured and carried out (their
// hook, or recorded on a simulated device); Core spec "SendAuxiliaryCommand":
// "A device that indicates auxiliary service capability shall support this command."
bool auxiliaryOffered(const daemon::DaemonState* daemon) {
  if (!daemon || !daemon->config) return false;
  const core::DeviceConfig& d = daemon->config->device;
  return !d.auxiliary_commands.empty() && !device::refused(*daemon, &core::DeviceConfig::hook_auxiliary);
}

DeviceFacts deviceFacts(const daemon::DaemonState* daemon) {
  DeviceFacts f;
  if (!daemon || !daemon->config) return f;
  const core::Config& config = *daemon->config;
  f.ipv6 = server::listensOnIPv6(config.server.bind, config.transport.ipv6);
  f.tls12 = !config.transport.certificate.empty();
  f.hostname_from_dhcp = !device::refused(*daemon, &core::DeviceConfig::hook_hostname);
  f.ntp_servers = device::refused(*daemon, &core::DeviceConfig::hook_ntp) ? 0 : kMaxNtpServers;
  f.discovery = config.discovery.enabled;
  f.system_logging = !config.device.system_log.empty();
  return f;
}

// What the device service supports, shared by GetServiceCapabilities and
// GetServices(IncludeCapability).
tds__DeviceServiceCapabilities* deviceCapabilities(struct ::soap* soap, const daemon::DaemonState* daemon) {
  const DeviceFacts facts = deviceFacts(daemon);
  auto* caps = soap_new_tds__DeviceServiceCapabilities(soap);
  caps->Network = soap_new_tds__NetworkCapabilities(soap);
  caps->Network->IPFilter = boolean(soap, false);  // Set/Add/RemoveIPAddressFilter: ActionNotSupported
  caps->Network->ZeroConfiguration = boolean(soap, false);  // SetZeroConfiguration: ActionNotSupported
  caps->Network->IPVersion6 = boolean(soap, facts.ipv6);
  caps->Network->DynDNS = boolean(soap, false);  // SetDynamicDNS: ActionNotSupported
  caps->Network->Dot11Configuration = boolean(soap, false);
  caps->Network->HostnameFromDHCP = boolean(soap, facts.hostname_from_dhcp);
  caps->Network->NTP = integer(soap, facts.ntp_servers);
  caps->Security = soap_new_tds__SecurityCapabilities(soap);
  caps->Security->TLS1_x002e0 = boolean(soap, false);
  caps->Security->TLS1_x002e1 = boolean(soap, false);
  caps->Security->TLS1_x002e2 = boolean(soap, facts.tls12);
  caps->Security->OnboardKeyGeneration = boolean(soap, false);
  caps->Security->AccessPolicyConfig = boolean(soap, false);  // Get/SetAccessPolicy: ActionNotSupported
  // The Core spec's default access policy is enforced on every operation
  // (security/access_classes.cpp).
  caps->Security->DefaultAccessPolicy = boolean(soap, true);
  caps->Security->Dot1X = boolean(soap, false);
  caps->Security->RemoteUserHandling = boolean(soap, false);
  caps->Security->X_x002e509Token = boolean(soap, false);
  caps->Security->SAMLToken = boolean(soap, false);
  caps->Security->KerberosToken = boolean(soap, false);
  // Security part (docs/security.md): UsernameToken and HTTP Digest, and
  // the user limits of the [security] configuration.
  caps->Security->UsernameToken = boolean(soap, true);
  caps->Security->HttpDigest = boolean(soap, true);
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
  caps->System->DiscoveryResolve = boolean(soap, facts.discovery);
  caps->System->DiscoveryBye = boolean(soap, facts.discovery);
  caps->System->RemoteDiscovery = boolean(soap, false);
  caps->System->SystemBackup = boolean(soap, false);
  caps->System->SystemLogging = boolean(soap, facts.system_logging);
  caps->System->HttpFirmwareUpgrade = boolean(soap, false);
  caps->System->HttpSystemBackup = boolean(soap, false);
  caps->System->HttpSystemLogging = boolean(soap, false);
  caps->System->HttpSupportInformation = boolean(soap, false);
  if (auxiliaryOffered(daemon)) {
    std::string list;
    for (const std::string& c : daemon->config->device.auxiliary_commands)
      list += (list.empty() ? "" : " ") + c;
    caps->Misc = soap_new_tds__MiscCapabilities(soap);
    caps->Misc->AuxiliaryCommands = device::soapString(soap, list);
  }
  return caps;
}

tt__DeviceCapabilities* legacyDeviceCapabilities(struct ::soap* soap,
                                                 const onvif::daemon::RequestContext& ctx) {
  const core::DeviceConfig& config = ctx.daemon->config->device;
  const DeviceFacts facts = deviceFacts(ctx.daemon);
  auto* dev = soap_new_tt__DeviceCapabilities(soap);
  dev->XAddr = onvif::daemon::serviceUrl(ctx, "device");
  dev->Network = soap_new_tt__NetworkCapabilities(soap);
  dev->Network->IPFilter = boolean(soap, false);
  dev->Network->ZeroConfiguration = boolean(soap, false);
  dev->Network->IPVersion6 = boolean(soap, facts.ipv6);
  dev->Network->DynDNS = boolean(soap, false);
  dev->System = soap_new_tt__SystemCapabilities(soap);
  dev->System->DiscoveryResolve = facts.discovery;
  dev->System->DiscoveryBye = facts.discovery;
  dev->System->RemoteDiscovery = false;
  dev->System->SystemBackup = false;
  dev->System->SystemLogging = facts.system_logging;
  dev->System->FirmwareUpgrade = false;
  dev->System->SupportedVersions.push_back(onvifVersion(soap));
  dev->IO = soap_new_tt__IOCapabilities(soap);
  dev->IO->InputConnectors =
      integer(soap, static_cast<int>(ctx.daemon->config->events.digital_inputs.size()));
  dev->IO->RelayOutputs = integer(soap, relayOutputs(ctx.daemon));
  if (auxiliaryOffered(ctx.daemon)) {
    dev->IO->Extension = soap_new_tt__IOCapabilitiesExtension(soap);
    dev->IO->Extension->Auxiliary = boolean(soap, true);
    dev->IO->Extension->AuxiliaryCommands = config.auxiliary_commands;
    dev->IO->Extension->Extension = soap_new_tt__IOCapabilitiesExtension2(soap);
  }
  dev->Security = soap_new_tt__SecurityCapabilities(soap);
  dev->Security->TLS1_x002e2 = facts.tls12;
  return dev;
}

}  // namespace

std::string deviceCapabilitiesXml(struct ::soap* soap) {
  const onvif::daemon::DaemonState* daemon =
      soap->user ? onvif::daemon::requestContext(soap).daemon : nullptr;
  return onvif::soap::elementXml(*deviceCapabilities(soap, daemon), "tds:Capabilities");
}

}  // namespace onvif::services

namespace gsoap_onvif {

using onvif::daemon::requestContext;
using onvif::soap::ErrorKind;

// Core spec "GetDeviceInformation". Access class READ_SYSTEM.
int __tds__GetDeviceInformation(struct soap* soap, _tds__GetDeviceInformation*,
                                _tds__GetDeviceInformationResponse& response) {
  const auto& device = onvif::daemon::requestContext(soap).daemon->config->device;
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
  const onvif::daemon::RequestContext& ctx = onvif::daemon::requestContext(soap);
  for (std::size_t i = 0; i < serviceCount(); ++i) {
    const ServiceInfo& info = serviceTable()[i];
    if (!serviceAvailable(info, ctx.daemon)) continue;
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
  response.Capabilities =
      onvif::services::deviceCapabilities(soap, onvif::daemon::requestContext(soap).daemon);
  return SOAP_OK;
}

// Core spec "GetCapabilities": the categories asked for, of the services the
// device really serves (service registry). A category of a service it does
// not serve is left out; when nothing asked for is served the answer is
// env:Receiver/ter:ActionNotSupported/ter:NoSuchService. Access class PRE_AUTH.
int __tds__GetCapabilities(struct soap* soap, _tds__GetCapabilities* request,
                           _tds__GetCapabilitiesResponse& response) {
  using namespace onvif::services;
  const onvif::daemon::RequestContext& ctx = onvif::daemon::requestContext(soap);
  bool all = !request || request->Category.empty();
  bool want_device = all, want_media = all, want_events = all, want_ptz = all, want_imaging = all;
  bool want_deviceio = all;
  if (request) {
    for (tt__CapabilityCategory category : request->Category) {
      switch (category) {
        case tt__CapabilityCategory__All:
          want_device = want_media = want_events = want_ptz = want_imaging = want_deviceio = true;
          break;
        case tt__CapabilityCategory__Device: want_device = true; break;
        case tt__CapabilityCategory__Media: want_media = true; break;
        case tt__CapabilityCategory__Events: want_events = true; break;
        case tt__CapabilityCategory__PTZ: want_ptz = true; break;
        case tt__CapabilityCategory__Imaging: want_imaging = true; break;
        case tt__CapabilityCategory__Analytics: break;  // no analytics service is bound
      }
    }
  }
  auto* caps = soap_new_tt__Capabilities(soap);
  bool any = false;
  if (want_device) caps->Device = legacyDeviceCapabilities(soap, ctx), any = true;
  if (want_media && served("media", ctx.daemon)) caps->Media = legacyMediaCapabilities(soap), any = true;
  if (want_events && served("events", ctx.daemon))
    caps->Events = legacyEventCapabilities(soap, ctx), any = true;  // HA and NVRs find the events XAddr here
  if (want_ptz && served("ptz", ctx.daemon)) {
    caps->PTZ = soap_new_tt__PTZCapabilities(soap);
    caps->PTZ->XAddr = onvif::daemon::serviceUrl(ctx, "ptz");
    any = true;
  }
  if (want_imaging && served("imaging", ctx.daemon)) {
    caps->Imaging = soap_new_tt__ImagingCapabilities(soap);
    caps->Imaging->XAddr = onvif::daemon::serviceUrl(ctx, "imaging");
    any = true;
  }
  if (want_deviceio && served("deviceio", ctx.daemon)) {
    caps->Extension = soap_new_tt__CapabilitiesExtension(soap);
    caps->Extension->DeviceIO = soap_new_tt__DeviceIOCapabilities(soap);
    caps->Extension->DeviceIO->XAddr = onvif::daemon::serviceUrl(ctx, "deviceio");
    // The counts of DeviceIO's GetServiceCapabilities (deviceio_service.cpp).
    caps->Extension->DeviceIO->VideoSources = 1;
    caps->Extension->DeviceIO->VideoOutputs = 0;
    caps->Extension->DeviceIO->AudioSources = ctx.daemon->config->media.audio ? 1 : 0;
    caps->Extension->DeviceIO->AudioOutputs = 0;
    caps->Extension->DeviceIO->RelayOutputs = relayOutputs(ctx.daemon);
    any = true;
  }
  if (!any) return onvif::soap::fault(soap, ErrorKind::NoSuchService);
  response.Capabilities = caps;
  return SOAP_OK;
}

// Core spec "GetWsdlUrl". Access class PRE_AUTH.
int __tds__GetWsdlUrl(struct soap*, _tds__GetWsdlUrl*, _tds__GetWsdlUrlResponse& response) {
  response.WsdlUrl = "http://www.onvif.org/Documents/Specifications.aspx";
  return SOAP_OK;
}

// Core spec "GetEndpointReference": the device's stable urn:uuid, the same
// one WS-Discovery announces. Access class PRE_AUTH.
int __tds__GetEndpointReference(struct soap* soap, _tds__GetEndpointReference*,
                                _tds__GetEndpointReferenceResponse& response) {
  response.GUID = onvif::daemon::requestContext(soap).daemon->endpoint_reference;
  return SOAP_OK;
}

}  // namespace gsoap_onvif
