// Device service, network operations (Core spec "Network"): host name, DNS,
// NTP, protocols, default gateway, discovery mode, dynamic DNS and IP address
// filter. Interfaces and zero configuration: device_interfaces.cpp.
//
// Reads: what a client has set (stored), else what the OS says (platform/
// net_info). Writes: validate everything, run the configured hook (none on a
// development machine: recorded only), then store; a failure at any step
// answers with a fault and leaves the stored settings unchanged.
#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/log.hpp"
#include "core/validate.hpp"
#include "daemon/request_context.hpp"
#include "gsoap_onvifH.h"
#include "platform/net_info.hpp"
#include "services/device_soap.hpp"
#include "services/device_state.hpp"
#include "soap/faults.hpp"
#include "transport/network_protocols.hpp"

namespace onvif::services::device {
namespace {

using namespace gsoap_onvif;
namespace pf = onvif::platform;

constexpr std::size_t kMaxServers = 8;    // DNS / NTP servers (NTP capability)
constexpr std::size_t kMaxDomains = 8;    // DNS search domains
constexpr std::size_t kMaxAddresses = 8;  // gateways per family

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ",") + s;
  return out;
}

std::string flag(bool b) {
  return b ? "1" : "0";
}

tt__NetworkHost* networkHost(struct ::soap* soap, const std::string& text) {
  auto* host = soap_new_tt__NetworkHost(soap);
  if (onvif::core::isIPv4Address(text)) {
    host->Type = tt__NetworkHostType__IPv4;
    host->IPv4Address = soapString(soap, text);
  } else if (onvif::core::isIPv6Address(text)) {
    host->Type = tt__NetworkHostType__IPv6;
    host->IPv6Address = soapString(soap, text);
  } else {
    host->Type = tt__NetworkHostType__DNS;
    host->DNSname = soapString(soap, text);
  }
  return host;
}

tt__IPAddress* ipAddress(struct ::soap* soap, const std::string& text) {
  auto* ip = soap_new_tt__IPAddress(soap);
  if (onvif::core::isIPv6Address(text)) {
    ip->Type = tt__IPType__IPv6;
    ip->IPv6Address = soapString(soap, text);
  } else {
    ip->Type = tt__IPType__IPv4;
    ip->IPv4Address = soapString(soap, text);
  }
  return ip;
}

// The port the request came in on (base_url is scheme://host:port).
int requestPort(const onvif::daemon::RequestContext& ctx) {
  std::size_t colon = ctx.base_url.rfind(':');
  if (colon == std::string::npos || ctx.base_url.find(']', colon) != std::string::npos) return 80;
  int port = atoi(ctx.base_url.c_str() + colon + 1);
  return port > 0 ? port : 80;
}

struct Protocol {
  std::string name;  // HTTP, HTTPS, RTSP
  bool enabled = true;
  std::vector<int> ports;
};

const char* protocolName(tt__NetworkProtocolType t) {
  switch (t) {
    case tt__NetworkProtocolType__HTTP: return "HTTP";
    case tt__NetworkProtocolType__HTTPS: return "HTTPS";
    case tt__NetworkProtocolType__RTSP: return "RTSP";
  }
  return "";
}

std::vector<Protocol> currentProtocols(const onvif::daemon::RequestContext& ctx, const state::Section& area) {
  std::vector<Protocol> out;
  if (state::getBool(area, "protocols.set", false)) {
    for (const std::string& name : state::getList(area, "protocol")) {
      Protocol p;
      p.name = name;
      p.enabled = state::getBool(area, "protocol_" + name + ".enabled", true);
      for (const std::string& port : state::getList(area, "protocol_" + name + ".port"))
        p.ports.push_back(atoi(port.c_str()));
      out.push_back(p);
    }
  } else {
    out.push_back({"HTTP", true, {requestPort(ctx)}});
    if (ctx.daemon->config->device.rtsp_port > 0)
      out.push_back({"RTSP", true, {ctx.daemon->config->device.rtsp_port}});
  }
  // HTTP and HTTPS are the transport's live listeners, not a recorded wish.
  if (const transport::NetworkProtocols* live = ctx.daemon->protocols) {
    out.erase(std::remove_if(out.begin(), out.end(),
                             [](const Protocol& p) { return p.name == "HTTP" || p.name == "HTTPS"; }),
              out.end());
    std::vector<Protocol> listeners;
    const core::Config& config = *ctx.daemon->config;
    for (const transport::Protocol& t : live->get()) {
      // Without a certificate this device has no HTTPS to offer (Set answers
      // ter:ServiceNotSupported for it).
      if (t.name == "HTTPS" && config.transport.certificate.empty()) continue;
      Protocol p{t.name, t.enabled, t.ports};
      // tt:NetworkProtocol needs a Port even when disabled: the configured one.
      if (p.ports.empty()) {
        int port = t.name == "HTTPS" ? config.transport.https_port : config.server.port;
        p.ports.push_back(port > 0 ? port : (t.name == "HTTPS" ? 443 : 80));
      }
      listeners.push_back(p);
    }
    out.insert(out.begin(), listeners.begin(), listeners.end());
  }
  return out;
}

}  // namespace
}  // namespace onvif::services::device

namespace gsoap_onvif {

using onvif::daemon::requestContext;
using onvif::soap::ErrorKind;
using onvif::soap::fault;
namespace dev = onvif::services::device;
namespace pf = onvif::platform;
namespace state = onvif::state;

// --- host name ---

// Core spec "GetHostname". Access class PRE_AUTH.
int __tds__GetHostname(struct soap* soap, _tds__GetHostname*, _tds__GetHostnameResponse& response) {
  const auto& daemon = *onvif::daemon::requestContext(soap).daemon;
  state::Section area = dev::area(daemon, dev::kNetworkArea);
  auto* info = soap_new_tt__HostnameInformation(soap);
  info->FromDHCP = state::getBool(area, "hostname.from_dhcp", false);
  std::string name = state::getString(area, "hostname", pf::hostName());
  if (!name.empty()) info->Name = dev::soapString(soap, name);
  response.HostnameInformation = info;
  return SOAP_OK;
}

// Core spec "SetHostname": RFC 1123 names only (else ter:InvalidHostname).
// An empty name is invalid too: taking the name from DHCP is
// SetHostnameFromDHCP's job. Access class WRITE_SYSTEM.
int __tds__SetHostname(struct soap* soap, _tds__SetHostname* request, _tds__SetHostnameResponse&) {
  const auto& daemon = *requestContext(soap).daemon;
  if (dev::refused(daemon, &onvif::core::DeviceConfig::hook_hostname)) return dev::refusedFault(soap);
  if (!request || !onvif::core::isHostname(request->Name)) return fault(soap, ErrorKind::InvalidHostname);
  std::lock_guard<std::mutex> lock(dev::settingsMutex());
  const state::Section before = dev::area(daemon, dev::kNetworkArea);
  state::Section area = before;
  area["hostname"] = request->Name;
  area["hostname.from_dhcp"] = "false";
  dev::Commit done =
      dev::commit(daemon, dev::kNetworkArea, before, area, &onvif::core::DeviceConfig::hook_hostname,
                  "hostname", {"set", request->Name});
  if (done != dev::Commit::Ok) return dev::commitFault(soap, done, "The hostname hook failed");
  return SOAP_OK;
}

// Core spec "SetHostnameFromDHCP": accepted whether or not DHCP is in use;
// the hook decides what it means on the host (HostnameFromDHCP capability
// true exactly when this is not refused). Access class WRITE_SYSTEM.
int __tds__SetHostnameFromDHCP(struct soap* soap, _tds__SetHostnameFromDHCP* request,
                               _tds__SetHostnameFromDHCPResponse& response) {
  const auto& daemon = *requestContext(soap).daemon;
  if (dev::refused(daemon, &onvif::core::DeviceConfig::hook_hostname)) return dev::refusedFault(soap);
  if (!request) return fault(soap, ErrorKind::InvalidArgs);
  std::lock_guard<std::mutex> lock(dev::settingsMutex());
  const state::Section before = dev::area(daemon, dev::kNetworkArea);
  state::Section area = before;
  area["hostname.from_dhcp"] = request->FromDHCP ? "true" : "false";
  dev::Commit done =
      dev::commit(daemon, dev::kNetworkArea, before, area, &onvif::core::DeviceConfig::hook_hostname,
                  "hostname", {request->FromDHCP ? "dhcp" : "static"});
  if (done != dev::Commit::Ok) return dev::commitFault(soap, done, "The hostname hook failed");
  response.RebootNeeded = false;
  return SOAP_OK;
}

// --- DNS ---

// Core spec "GetDNS": stored settings, else /etc/resolv.conf.
// Access class READ_SYSTEM.
int __tds__GetDNS(struct soap* soap, _tds__GetDNS*, _tds__GetDNSResponse& response) {
  const auto& daemon = *onvif::daemon::requestContext(soap).daemon;
  state::Section area = dev::area(daemon, dev::kNetworkArea);
  auto* info = soap_new_tt__DNSInformation(soap);
  std::vector<std::string> servers, search;
  if (state::getBool(area, "dns.set", false)) {
    info->FromDHCP = state::getBool(area, "dns.from_dhcp", false);
    servers = state::getList(area, "dns.server");
    search = state::getList(area, "dns.search");
  } else {
    pf::ResolverConfig rc = pf::readResolvConf();
    info->FromDHCP = false;
    servers = rc.nameservers;
    search = rc.search;
  }
  for (const std::string& s : search)
    if (onvif::core::isHostname(s)) info->SearchDomain.push_back(s);
  for (const std::string& s : servers)
    if (onvif::core::isIPv4Address(s) || onvif::core::isIPv6Address(s))
      info->DNSManual.push_back(dev::ipAddress(soap, s));
  response.DNSInformation = info;
  return SOAP_OK;
}

// Core spec "SetDNS". Access class WRITE_SYSTEM.
int __tds__SetDNS(struct soap* soap, _tds__SetDNS* request, _tds__SetDNSResponse&) {
  const auto& daemon = *requestContext(soap).daemon;
  if (dev::refused(daemon, &onvif::core::DeviceConfig::hook_dns)) return dev::refusedFault(soap);
  if (!request) return fault(soap, ErrorKind::InvalidArgs);
  if (request->DNSManual.size() > dev::kMaxServers || request->SearchDomain.size() > dev::kMaxDomains)
    return fault(soap, ErrorKind::InvalidArgVal, "Too many DNS servers or search domains");
  std::vector<std::string> servers;
  for (const tt__IPAddress* ip : request->DNSManual) {
    if (!ip) continue;
    if (ip->Type == tt__IPType__IPv4) {
      if (!ip->IPv4Address || !onvif::core::isIPv4Address(*ip->IPv4Address))
        return fault(soap, ErrorKind::InvalidIPv4Address);
      servers.push_back(*ip->IPv4Address);
    } else {
      if (!ip->IPv6Address || !onvif::core::isIPv6Address(*ip->IPv6Address))
        return fault(soap, ErrorKind::InvalidIPv6Address);
      servers.push_back(*ip->IPv6Address);
    }
  }
  for (const std::string& domain : request->SearchDomain)
    if (!onvif::core::isHostname(domain)) return fault(soap, ErrorKind::InvalidDnsName);
  std::lock_guard<std::mutex> lock(dev::settingsMutex());
  const state::Section before = dev::area(daemon, dev::kNetworkArea);
  state::Section area = before;
  area["dns.set"] = "true";
  area["dns.from_dhcp"] = request->FromDHCP ? "true" : "false";
  state::setList(&area, "dns.server", servers);
  state::setList(&area, "dns.search", request->SearchDomain);
  dev::Commit done =
      dev::commit(daemon, dev::kNetworkArea, before, area, &onvif::core::DeviceConfig::hook_dns, "DNS",
                  {request->FromDHCP ? "dhcp" : "manual", "search=" + dev::join(request->SearchDomain),
                   "servers=" + dev::join(servers)});
  if (done != dev::Commit::Ok) return dev::commitFault(soap, done, "The DNS hook failed");
  return SOAP_OK;
}

// --- NTP ---

// Core spec "GetNTP": stored servers, else [device] ntp_servers.
// Access class READ_SYSTEM.
int __tds__GetNTP(struct soap* soap, _tds__GetNTP*, _tds__GetNTPResponse& response) {
  const auto& daemon = *onvif::daemon::requestContext(soap).daemon;
  auto* info = soap_new_tt__NTPInformation(soap);
  bool from_dhcp = false;
  for (const std::string& s : dev::ntpServers(daemon, &from_dhcp))
    info->NTPManual.push_back(dev::networkHost(soap, s));
  info->FromDHCP = from_dhcp;
  response.NTPInformation = info;
  return SOAP_OK;
}

// Core spec "SetNTP": RFC 1123 names or addresses. Leaving no server while
// the clock is in NTP mode -> ter:TimeSyncedToNtp. Access class WRITE_SYSTEM.
int __tds__SetNTP(struct soap* soap, _tds__SetNTP* request, _tds__SetNTPResponse&) {
  const auto& daemon = *requestContext(soap).daemon;
  if (dev::refused(daemon, &onvif::core::DeviceConfig::hook_ntp)) return dev::refusedFault(soap);
  if (!request) return fault(soap, ErrorKind::InvalidArgs);
  if (request->NTPManual.size() > dev::kMaxServers)
    return fault(soap, ErrorKind::InvalidArgVal, "Too many NTP servers");
  std::vector<std::string> servers;
  for (const tt__NetworkHost* host : request->NTPManual) {
    if (!host) continue;
    switch (host->Type) {
      case tt__NetworkHostType__IPv4:
        if (!host->IPv4Address || !onvif::core::isIPv4Address(*host->IPv4Address))
          return fault(soap, ErrorKind::InvalidIPv4Address);
        servers.push_back(*host->IPv4Address);
        break;
      case tt__NetworkHostType__IPv6:
        if (!host->IPv6Address || !onvif::core::isIPv6Address(*host->IPv6Address))
          return fault(soap, ErrorKind::InvalidIPv6Address);
        servers.push_back(*host->IPv6Address);
        break;
      case tt__NetworkHostType__DNS:
        if (!host->DNSname || !onvif::core::isHostname(*host->DNSname))
          return fault(soap, ErrorKind::InvalidDnsName);
        servers.push_back(*host->DNSname);
        break;
    }
  }
  std::lock_guard<std::mutex> lock(dev::settingsMutex());
  if (servers.empty() && !request->FromDHCP && dev::timeSettings(daemon).ntp)
    return fault(soap, ErrorKind::TimeSyncedToNtp);
  const state::Section before = dev::area(daemon, dev::kNetworkArea);
  state::Section area = before;
  area["ntp.set"] = "true";
  area["ntp.from_dhcp"] = request->FromDHCP ? "true" : "false";
  state::setList(&area, "ntp.server", servers);
  dev::Commit done =
      dev::commit(daemon, dev::kNetworkArea, before, area, &onvif::core::DeviceConfig::hook_ntp, "NTP",
                  {request->FromDHCP ? "dhcp" : "manual", "servers=" + dev::join(servers)});
  if (done != dev::Commit::Ok) return dev::commitFault(soap, done, "The NTP hook failed");
  return SOAP_OK;
}

// --- protocols ---

// Core spec "GetNetworkProtocols": HTTP on the port this request came in on,
// RTSP when configured; what a client set once it has. Access class READ_SYSTEM.
int __tds__GetNetworkProtocols(struct soap* soap, _tds__GetNetworkProtocols*,
                               _tds__GetNetworkProtocolsResponse& response) {
  const auto& ctx = onvif::daemon::requestContext(soap);
  for (const dev::Protocol& p : dev::currentProtocols(ctx, dev::area(*ctx.daemon, dev::kNetworkArea))) {
    auto* np = soap_new_tt__NetworkProtocol(soap);
    np->Name = p.name == "HTTPS"  ? tt__NetworkProtocolType__HTTPS
               : p.name == "RTSP" ? tt__NetworkProtocolType__RTSP
                                  : tt__NetworkProtocolType__HTTP;
    np->Enabled = p.enabled;
    np->Port = p.ports;
    response.NetworkProtocols.push_back(np);
  }
  return SOAP_OK;
}

// Core spec "SetNetworkProtocols": a protocol the device does not offer ->
// ter:ServiceNotSupported (HTTPS until TLS is configured); one port for two
// protocols -> ter:PortAlreadyInUse. The daemon moves its own HTTP/HTTPS
// listeners; the rest (RTSP) is the host's, changed by the protocols hook,
// and refused on a real device without one. All or nothing: the listeners
// are rebound (undone on a later failure), the settings stored, and the
// hook runs last. Access class WRITE_SYSTEM.
int __tds__SetNetworkProtocols(struct soap* soap, _tds__SetNetworkProtocols* request,
                               _tds__SetNetworkProtocolsResponse&) {
  const auto& ctx = onvif::daemon::requestContext(soap);
  const auto& daemon = *ctx.daemon;
  if (!request || request->NetworkProtocols.empty()) return fault(soap, ErrorKind::InvalidArgs);
  std::lock_guard<std::mutex> lock(dev::settingsMutex());
  const state::Section before = dev::area(daemon, dev::kNetworkArea);
  state::Section area = before;
  std::vector<dev::Protocol> protocols = dev::currentProtocols(ctx, area);
  const bool host_refused = dev::refused(daemon, &onvif::core::DeviceConfig::hook_protocols);
  for (const tt__NetworkProtocol* np : request->NetworkProtocols) {
    if (!np) continue;
    std::string name = dev::protocolName(np->Name);
    bool own_listener = daemon.protocols && (name == "HTTP" || name == "HTTPS");
    auto it = std::find_if(protocols.begin(), protocols.end(),
                           [&](const dev::Protocol& p) { return p.name == name; });
    if (it == protocols.end()) return fault(soap, ErrorKind::ServiceNotSupported);
    if (host_refused && !own_listener) return dev::refusedFault(soap);
    if (np->Port.empty() || np->Port.size() > 4)
      return fault(soap, ErrorKind::InvalidArgVal, "Expected one to four ports");
    for (int port : np->Port)
      if (port < 1 || port > 65535) return fault(soap, ErrorKind::InvalidArgVal, "Port out of range");
    if (name == "HTTP" && !np->Enabled && !daemon.protocols)
      return fault(soap, ErrorKind::InvalidArgVal, "HTTP cannot be disabled");
    it->enabled = np->Enabled;
    it->ports = np->Port;
  }
  std::vector<int> used;
  std::vector<std::string> names, args;
  for (const dev::Protocol& p : protocols) {
    std::vector<std::string> ports;
    for (int port : p.ports) {
      if (p.enabled && std::find(used.begin(), used.end(), port) != used.end())
        return fault(soap, ErrorKind::PortAlreadyInUse);
      if (p.enabled) used.push_back(port);
      ports.push_back(std::to_string(port));
    }
    names.push_back(p.name);
    args.push_back(p.name + "=" + dev::flag(p.enabled) + ":" + dev::join(ports));
  }
  std::vector<onvif::transport::Protocol> live_before;  // what to switch back to
  if (daemon.protocols) {
    // The transport moves the HTTP/HTTPS listeners itself (validate, rebind
    // with roll-back, persist); a refusal leaves everything as it was.
    std::vector<onvif::transport::Protocol> wanted;
    for (const dev::Protocol& p : protocols)
      if (p.name == "HTTP" || p.name == "HTTPS") wanted.push_back({p.name, p.enabled, p.ports});
    for (const onvif::transport::Protocol& live : daemon.protocols->get())
      for (const onvif::transport::Protocol& w : wanted)
        if (w.name == live.name) live_before.push_back(live);
    std::string error;
    using Result = onvif::transport::NetworkProtocols::Result;
    switch (daemon.protocols->set(wanted, &error)) {
      case Result::Ok: break;
      case Result::UnknownProtocol: return fault(soap, ErrorKind::ServiceNotSupported, error.c_str());
      case Result::InvalidPort:
      case Result::CannotApply: return fault(soap, ErrorKind::InvalidArgVal, error.c_str());
    }
  }
  area["protocols.set"] = "true";
  state::setList(&area, "protocol", names);
  for (const dev::Protocol& p : protocols) {
    std::vector<std::string> ports;
    for (int port : p.ports) ports.push_back(std::to_string(port));
    area["protocol_" + p.name + ".enabled"] = p.enabled ? "true" : "false";
    state::setList(&area, "protocol_" + p.name + ".port", ports);
  }
  dev::Commit done = dev::commit(daemon, dev::kNetworkArea, before, area,
                                 &onvif::core::DeviceConfig::hook_protocols, "network protocols", args);
  if (done != dev::Commit::Ok) {
    std::string error;
    if (daemon.protocols &&
        daemon.protocols->set(live_before, &error) != onvif::transport::NetworkProtocols::Result::Ok)
      LOG_ERROR("device: network protocols: the listeners could not be switched back: %s", error.c_str());
    return dev::commitFault(soap, done, "The protocols hook failed");
  }
  return SOAP_OK;
}

// --- default gateway ---

// Core spec "GetNetworkDefaultGateway": stored, else the host's default
// routes. Access class READ_SYSTEM.
int __tds__GetNetworkDefaultGateway(struct soap* soap, _tds__GetNetworkDefaultGateway*,
                                    _tds__GetNetworkDefaultGatewayResponse& response) {
  const auto& daemon = *onvif::daemon::requestContext(soap).daemon;
  state::Section area = dev::area(daemon, dev::kNetworkArea);
  auto* gw = soap_new_tt__NetworkGateway(soap);
  if (state::getBool(area, "gateway.set", false)) {
    gw->IPv4Address = state::getList(area, "gateway.v4");
    gw->IPv6Address = state::getList(area, "gateway.v6");
  } else {
    gw->IPv4Address = pf::ipv4DefaultGateways();
    gw->IPv6Address = pf::ipv6DefaultGateways();
  }
  response.NetworkGateway = gw;
  return SOAP_OK;
}

// Core spec "SetNetworkDefaultGateway": malformed -> ter:InvalidIPv4Address /
// ter:InvalidIPv6Address; well-formed but unusable as a gateway (unspecified,
// broadcast, multicast, loopback) -> ter:InvalidGatewayAddress.
// Access class WRITE_SYSTEM.
int __tds__SetNetworkDefaultGateway(struct soap* soap, _tds__SetNetworkDefaultGateway* request,
                                    _tds__SetNetworkDefaultGatewayResponse&) {
  const auto& daemon = *requestContext(soap).daemon;
  if (dev::refused(daemon, &onvif::core::DeviceConfig::hook_gateway)) return dev::refusedFault(soap);
  if (!request) return fault(soap, ErrorKind::InvalidArgs);
  if (request->IPv4Address.size() > dev::kMaxAddresses || request->IPv6Address.size() > dev::kMaxAddresses)
    return fault(soap, ErrorKind::InvalidArgVal, "Too many gateways");
  for (const std::string& a : request->IPv4Address) {
    if (!onvif::core::isIPv4Address(a)) return fault(soap, ErrorKind::InvalidIPv4Address);
    int first = atoi(a.c_str());
    if (a == "0.0.0.0" || a == "255.255.255.255" || first == 127 || first >= 224)
      return fault(soap, ErrorKind::InvalidGatewayAddress);
  }
  for (const std::string& a : request->IPv6Address) {
    if (!onvif::core::isIPv6Address(a)) return fault(soap, ErrorKind::InvalidIPv6Address);
    if (a == "::" || a == "::1" || a.compare(0, 2, "ff") == 0 || a.compare(0, 2, "FF") == 0)
      return fault(soap, ErrorKind::InvalidGatewayAddress);
  }
  std::lock_guard<std::mutex> lock(dev::settingsMutex());
  const state::Section before = dev::area(daemon, dev::kNetworkArea);
  state::Section area = before;
  area["gateway.set"] = "true";
  state::setList(&area, "gateway.v4", request->IPv4Address);
  state::setList(&area, "gateway.v6", request->IPv6Address);
  dev::Commit done = dev::commit(
      daemon, dev::kNetworkArea, before, area, &onvif::core::DeviceConfig::hook_gateway, "default gateway",
      {"ipv4=" + dev::join(request->IPv4Address), "ipv6=" + dev::join(request->IPv6Address)});
  if (done != dev::Commit::Ok) return dev::commitFault(soap, done, "The gateway hook failed");
  return SOAP_OK;
}

// --- dynamic DNS, IP filter ---

int __tds__GetDynamicDNS(struct soap* soap, _tds__GetDynamicDNS*, _tds__GetDynamicDNSResponse& response) {
  response.DynamicDNSInformation = soap_new_tt__DynamicDNSInformation(soap);
  response.DynamicDNSInformation->Type = tt__DynamicDNSType__NoUpdate;
  return SOAP_OK;
}

// Core spec "GetIPAddressFilter": no filter is enforced (IPFilter capability
// false): an empty Deny list, i.e. nobody is filtered out. The Set/Add/Remove
// operations stay ter:ActionNotSupported. Access class READ_SYSTEM.
int __tds__GetIPAddressFilter(struct soap* soap, _tds__GetIPAddressFilter*,
                              _tds__GetIPAddressFilterResponse& response) {
  response.IPAddressFilter = soap_new_tt__IPAddressFilter(soap);
  response.IPAddressFilter->Type = tt__IPAddressFilterType__Deny;
  return SOAP_OK;
}

// --- discovery mode ---

// Core spec "GetDiscoveryMode". Access class READ_SYSTEM.
int __tds__GetDiscoveryMode(struct soap* soap, _tds__GetDiscoveryMode*,
                            _tds__GetDiscoveryModeResponse& response) {
  const auto& daemon = *onvif::daemon::requestContext(soap).daemon;
  response.DiscoveryMode =
      dev::discoverable(dev::area(daemon, dev::kSystemArea), daemon.config->discovery.discoverable)
          ? tt__DiscoveryMode__Discoverable
          : tt__DiscoveryMode__NonDiscoverable;
  return SOAP_OK;
}

// Core spec "SetDiscoveryMode": stored, then announced through discovery
// (Hello when it becomes discoverable, Bye when not). Access class WRITE_SYSTEM.
int __tds__SetDiscoveryMode(struct soap* soap, _tds__SetDiscoveryMode* request,
                            _tds__SetDiscoveryModeResponse&) {
  const auto& daemon = *onvif::daemon::requestContext(soap).daemon;
  if (!request) return fault(soap, ErrorKind::InvalidArgs);
  if (request->DiscoveryMode != tt__DiscoveryMode__Discoverable &&
      request->DiscoveryMode != tt__DiscoveryMode__NonDiscoverable)
    return fault(soap, ErrorKind::InvalidArgVal);
  std::lock_guard<std::mutex> lock(dev::settingsMutex());
  state::Section area = dev::area(daemon, dev::kSystemArea);
  area["discovery_mode"] =
      request->DiscoveryMode == tt__DiscoveryMode__Discoverable ? "Discoverable" : "NonDiscoverable";
  if (!dev::store(daemon, dev::kSystemArea, area)) return fault(soap, ErrorKind::ActionFailed);
  dev::publishDiscovery(daemon);
  return SOAP_OK;
}

}  // namespace gsoap_onvif