// Device service, network interfaces (Core spec "GetNetworkInterfaces",
// "SetNetworkInterfaces", "GetZeroConfiguration"): the host's interfaces as
// the OS lists them, with the configuration a client set (stored; applied by
// [device] hook_network). Validate, hook, store: see device_network.cpp.
#include <cstdlib>
#include <string>
#include <type_traits>
#include <vector>

#include "core/validate.hpp"
#include "daemon/request_context.hpp"
#include "gsoap_onvifH.h"
#include "platform/net_info.hpp"
#include "services/device_soap.hpp"
#include "services/device_state.hpp"
#include "soap/faults.hpp"

namespace onvif::services::device {
namespace {

using namespace gsoap_onvif;
namespace pf = onvif::platform;

constexpr std::size_t kMaxAddresses = 8;  // per interface and family

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ",") + s;
  return out;
}

std::string flag(bool b) {
  return b ? "1" : "0";
}

// The interfaces a client sees: the host's non-loopback ones, or loopback
// when there is nothing else (a bare container).
std::vector<pf::InterfaceInfo> visibleInterfaces() {
  std::vector<pf::InterfaceInfo> all = pf::listInterfaces(), out;
  for (const auto& i : all)
    if (!i.loopback) out.push_back(i);
  if (out.empty()) out = all;
  return out;
}

const pf::InterfaceInfo* findInterface(const std::vector<pf::InterfaceInfo>& list, const std::string& token) {
  for (const auto& i : list)
    if (i.name == token) return &i;
  return nullptr;
}

// "address/prefix" as stored; false when malformed.
bool splitPrefixed(const std::string& text, std::string* address, int* prefix) {
  std::size_t slash = text.find('/');
  if (slash == std::string::npos) return false;
  *address = text.substr(0, slash);
  *prefix = atoi(text.c_str() + slash + 1);
  return true;
}

template <typename Prefixed>
Prefixed* soapPrefixed(struct ::soap* soap, const std::string& address, int prefix) {
  Prefixed* p;
  if constexpr (std::is_same<Prefixed, tt__PrefixedIPv4Address>::value) {
    p = soap_new_tt__PrefixedIPv4Address(soap);
  } else {
    p = soap_new_tt__PrefixedIPv6Address(soap);
  }
  p->Address = address;
  p->PrefixLength = prefix;
  return p;
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

// --- interfaces ---

// Core spec "GetNetworkInterfaces": the host's interfaces (token = OS name,
// MAC, MTU); IPv4/IPv6 configuration as a client set it, else the OS's
// current addresses as manual ones. Access class READ_SYSTEM.
int __tds__GetNetworkInterfaces(struct soap* soap, _tds__GetNetworkInterfaces*,
                                _tds__GetNetworkInterfacesResponse& response) {
  const auto& daemon = *onvif::daemon::requestContext(soap).daemon;
  state::Section area = dev::area(daemon, dev::kNetworkArea);
  for (const pf::InterfaceInfo& os : dev::visibleInterfaces()) {
    const std::string k = "if_" + os.name;
    bool stored = state::getBool(area, k + ".set", false);
    auto* ni = soap_new_tt__NetworkInterface(soap);
    ni->token = os.name;
    ni->Enabled = stored ? state::getBool(area, k + ".enabled", os.up) : os.up;
    ni->Info = soap_new_tt__NetworkInterfaceInfo(soap);
    ni->Info->Name = dev::soapString(soap, os.name);
    ni->Info->HwAddress = os.mac;
    int mtu = stored ? static_cast<int>(state::getInt(area, k + ".mtu", os.mtu)) : os.mtu;
    if (mtu > 0) ni->Info->MTU = dev::soapValue(soap, mtu);

    ni->IPv4 = soap_new_tt__IPv4NetworkInterface(soap);
    ni->IPv4->Enabled = stored ? state::getBool(area, k + ".v4.enabled", true) : !os.ipv4.empty();
    ni->IPv4->Config = soap_new_tt__IPv4Configuration(soap);
    bool dhcp4 = stored && state::getBool(area, k + ".v4.dhcp", false);
    ni->IPv4->Config->DHCP = dhcp4;
    if (stored && !dhcp4) {
      for (const std::string& item : state::getList(area, k + ".v4.manual")) {
        std::string a;
        int p = 0;
        if (dev::splitPrefixed(item, &a, &p))
          ni->IPv4->Config->Manual.push_back(dev::soapPrefixed<tt__PrefixedIPv4Address>(soap, a, p));
      }
    }
    for (const pf::PrefixedAddress& a : os.ipv4) {
      auto* addr = dev::soapPrefixed<tt__PrefixedIPv4Address>(soap, a.address, a.prefix);
      if (a.address.compare(0, 8, "169.254.") == 0) {
        if (!ni->IPv4->Config->LinkLocal) ni->IPv4->Config->LinkLocal = addr;
      } else if (dhcp4) {
        if (!ni->IPv4->Config->FromDHCP) ni->IPv4->Config->FromDHCP = addr;
      } else if (!stored) {
        ni->IPv4->Config->Manual.push_back(addr);
      }
    }

    if (!os.ipv6.empty() || stored) {
      ni->IPv6 = soap_new_tt__IPv6NetworkInterface(soap);
      ni->IPv6->Enabled = stored ? state::getBool(area, k + ".v6.enabled", !os.ipv6.empty()) : true;
      ni->IPv6->Config = soap_new_tt__IPv6Configuration(soap);
      // The state file may have been edited by hand: only the four values go out.
      long long dhcp6 = state::getInt(area, k + ".v6.dhcp", tt__IPv6DHCPConfiguration__Off);
      ni->IPv6->Config->DHCP = dhcp6 >= 0 && dhcp6 <= 3 ? static_cast<tt__IPv6DHCPConfiguration>(dhcp6)
                                                        : tt__IPv6DHCPConfiguration__Off;
      if (stored)
        ni->IPv6->Config->AcceptRouterAdvert =
            dev::soapValue(soap, state::getBool(area, k + ".v6.ra", false));
      for (const std::string& item : state::getList(area, k + ".v6.manual")) {
        std::string a;
        int p = 0;
        if (dev::splitPrefixed(item, &a, &p))
          ni->IPv6->Config->Manual.push_back(dev::soapPrefixed<tt__PrefixedIPv6Address>(soap, a, p));
      }
      for (const pf::PrefixedAddress& a : os.ipv6) {
        auto* addr = dev::soapPrefixed<tt__PrefixedIPv6Address>(soap, a.address, a.prefix);
        if (a.address.compare(0, 5, "fe80:") == 0)
          ni->IPv6->Config->LinkLocal.push_back(addr);
        else if (!stored)
          ni->IPv6->Config->Manual.push_back(addr);
      }
    }
    response.NetworkInterfaces.push_back(ni);
  }
  return SOAP_OK;
}

// Core spec "SetNetworkInterfaces": unknown token -> ter:InvalidNetworkInterface,
// bad MTU -> ter:InvalidMtuValue, bad addresses -> ter:InvalidIPv4Address /
// ter:InvalidIPv6Address, IEEE 802.11 -> ter:ActionNotSupported. Fields the
// request leaves out keep their values. The hook applies it to the host; the
// answer is RebootNeeded=false (the hook is expected to apply it at once).
// Access class WRITE_SYSTEM.
int __tds__SetNetworkInterfaces(struct soap* soap, _tds__SetNetworkInterfaces* request,
                                _tds__SetNetworkInterfacesResponse& response) {
  const auto& daemon = *requestContext(soap).daemon;
  if (dev::refused(daemon, &onvif::core::DeviceConfig::hook_network)) return dev::refusedFault(soap);
  if (!request || !request->NetworkInterface) return fault(soap, ErrorKind::InvalidArgs);
  std::vector<pf::InterfaceInfo> interfaces = dev::visibleInterfaces();
  const pf::InterfaceInfo* os = dev::findInterface(interfaces, request->InterfaceToken);
  if (!os) return fault(soap, ErrorKind::InvalidNetworkInterface);
  const tt__NetworkInterfaceSetConfiguration& set = *request->NetworkInterface;
  if (set.Extension && !set.Extension->Dot11.empty())
    return fault(soap, ErrorKind::ActionNotSupported, "IEEE 802.11 is not supported");
  if (set.MTU && (*set.MTU < 68 || *set.MTU > 65535)) return fault(soap, ErrorKind::InvalidMtuValue);
  std::vector<std::string> v4, v6;
  if (set.IPv4) {
    if (set.IPv4->Manual.size() > dev::kMaxAddresses)
      return fault(soap, ErrorKind::InvalidArgVal, "Too many addresses");
    for (const tt__PrefixedIPv4Address* a : set.IPv4->Manual) {
      if (!a || !onvif::core::isIPv4Address(a->Address) || a->PrefixLength < 1 || a->PrefixLength > 32)
        return fault(soap, ErrorKind::InvalidIPv4Address);
      v4.push_back(a->Address + "/" + std::to_string(a->PrefixLength));
    }
  }
  if (set.IPv6) {
    if (set.IPv6->Manual.size() > dev::kMaxAddresses)
      return fault(soap, ErrorKind::InvalidArgVal, "Too many addresses");
    for (const tt__PrefixedIPv6Address* a : set.IPv6->Manual) {
      if (!a || !onvif::core::isIPv6Address(a->Address) || a->PrefixLength < 1 || a->PrefixLength > 128)
        return fault(soap, ErrorKind::InvalidIPv6Address);
      v6.push_back(a->Address + "/" + std::to_string(a->PrefixLength));
    }
  }
  std::lock_guard<std::mutex> lock(dev::settingsMutex());
  state::Section area = dev::area(daemon, dev::kNetworkArea);
  const std::string k = "if_" + os->name;
  bool stored = state::getBool(area, k + ".set", false);
  // Start from what is in force, then apply what the request carries.
  std::vector<std::string> cur_v4, cur_v6;
  if (stored) {
    cur_v4 = state::getList(area, k + ".v4.manual");
    cur_v6 = state::getList(area, k + ".v6.manual");
  } else {
    for (const auto& a : os->ipv4) cur_v4.push_back(a.address + "/" + std::to_string(a.prefix));
  }
  bool enabled =
      set.Enabled ? *set.Enabled : (stored ? state::getBool(area, k + ".enabled", os->up) : os->up);
  long long mtu = set.MTU ? *set.MTU : (stored ? state::getInt(area, k + ".mtu", os->mtu) : os->mtu);
  bool v4_enabled =
      set.IPv4 && set.IPv4->Enabled ? *set.IPv4->Enabled : state::getBool(area, k + ".v4.enabled", true);
  bool v4_dhcp = set.IPv4 && set.IPv4->DHCP ? *set.IPv4->DHCP : state::getBool(area, k + ".v4.dhcp", false);
  if (set.IPv4 && (!set.IPv4->Manual.empty() || (set.IPv4->DHCP && !*set.IPv4->DHCP))) cur_v4 = v4;
  bool v6_enabled = set.IPv6 && set.IPv6->Enabled
                        ? *set.IPv6->Enabled
                        : state::getBool(area, k + ".v6.enabled", !os->ipv6.empty());
  bool v6_ra = set.IPv6 && set.IPv6->AcceptRouterAdvert ? *set.IPv6->AcceptRouterAdvert
                                                        : state::getBool(area, k + ".v6.ra", false);
  long long v6_dhcp = set.IPv6 && set.IPv6->DHCP
                          ? static_cast<long long>(*set.IPv6->DHCP)
                          : state::getInt(area, k + ".v6.dhcp", tt__IPv6DHCPConfiguration__Off);
  if (set.IPv6 && !set.IPv6->Manual.empty()) cur_v6 = v6;
  if (set.IPv4 && !v4_dhcp && v4_enabled && cur_v4.empty())
    return fault(soap, ErrorKind::InvalidIPv4Address, "A static IPv4 configuration needs an address");
  const char* v6_dhcp_names[] = {"auto", "stateful", "stateless", "off"};
  std::vector<std::string> args{
      os->name,
      "enabled=" + dev::flag(enabled),
      "mtu=" + std::to_string(mtu),
      "ipv4_enabled=" + dev::flag(v4_enabled),
      "ipv4_dhcp=" + dev::flag(v4_dhcp),
      "ipv4=" + dev::join(cur_v4),
      "ipv6_enabled=" + dev::flag(v6_enabled),
      "ipv6_dhcp=" + std::string(v6_dhcp >= 0 && v6_dhcp <= 3 ? v6_dhcp_names[v6_dhcp] : "off"),
      "ipv6_ra=" + dev::flag(v6_ra),
      "ipv6=" + dev::join(cur_v6)};
  const state::Section before = area;
  area[k + ".set"] = "true";
  area[k + ".enabled"] = enabled ? "true" : "false";
  area[k + ".mtu"] = std::to_string(mtu);
  area[k + ".v4.enabled"] = v4_enabled ? "true" : "false";
  area[k + ".v4.dhcp"] = v4_dhcp ? "true" : "false";
  state::setList(&area, k + ".v4.manual", cur_v4);
  area[k + ".v6.enabled"] = v6_enabled ? "true" : "false";
  area[k + ".v6.ra"] = v6_ra ? "true" : "false";
  area[k + ".v6.dhcp"] = std::to_string(v6_dhcp);
  state::setList(&area, k + ".v6.manual", cur_v6);
  dev::Commit done = dev::commit(daemon, dev::kNetworkArea, before, area,
                                 &onvif::core::DeviceConfig::hook_network, "network interface", args);
  if (done != dev::Commit::Ok) return dev::commitFault(soap, done, "The network hook failed");
  response.RebootNeeded = false;
  return SOAP_OK;
}

// --- zero configuration ---

// Core spec "GetZeroConfiguration": the first interface and any RFC 3927
// (169.254/16) address it holds; the device does not run zeroconf itself
// (ZeroConfiguration capability false). Access class READ_SYSTEM.
int __tds__GetZeroConfiguration(struct soap* soap, _tds__GetZeroConfiguration*,
                                _tds__GetZeroConfigurationResponse& response) {
  auto* zc = soap_new_tt__NetworkZeroConfiguration(soap);
  std::vector<pf::InterfaceInfo> interfaces = dev::visibleInterfaces();
  if (!interfaces.empty()) {
    zc->InterfaceToken = interfaces.front().name;
    for (const auto& a : interfaces.front().ipv4)
      if (a.address.compare(0, 8, "169.254.") == 0) zc->Addresses.push_back(a.address);
  }
  zc->Enabled = !zc->Addresses.empty();
  response.ZeroConfiguration = zc;
  return SOAP_OK;
}

// Core spec "GetDynamicDNS": this device does no dynamic DNS updates
// (DynDNS capability false). Access class READ_SYSTEM.
}  // namespace gsoap_onvif
