#pragma once
// What the host's network looks like, read from the OS: interfaces
// (getifaddrs + SIOCGIFMTU), host name, resolver configuration and default
// gateways (/proc/net/route, /proc/net/ipv6_route). Read-only; changing the
// host goes through hooks (platform/hook.hpp). The text parsers are separate
// so tests can feed them fixed input.
#include <string>
#include <vector>

namespace onvif::platform {

struct PrefixedAddress {
  std::string address;
  int prefix = 0;
};

struct InterfaceInfo {
  std::string name;  // also the ONVIF interface token
  std::string mac;   // "aa:bb:cc:dd:ee:ff", zeros when the OS has none
  int mtu = 0;
  bool up = false;
  bool loopback = false;
  std::vector<PrefixedAddress> ipv4, ipv6;
};

// Every interface with its addresses, in the order the OS lists them.
std::vector<InterfaceInfo> listInterfaces();

std::string hostName();

struct ResolverConfig {
  std::vector<std::string> nameservers;
  std::vector<std::string> search;
};
ResolverConfig parseResolvConf(const std::string& text);
ResolverConfig readResolvConf(const std::string& path = "/etc/resolv.conf");

// Gateways of default routes: /proc/net/route (hex little-endian fields) and
// /proc/net/ipv6_route (32 hex digits, ::/0 destination).
std::vector<std::string> parseIPv4DefaultGateways(const std::string& proc_net_route);
std::vector<std::string> parseIPv6DefaultGateways(const std::string& proc_net_ipv6_route);
std::vector<std::string> ipv4DefaultGateways();
std::vector<std::string> ipv6DefaultGateways();

// Whole file up to max_bytes (the last max_bytes when tail is true); empty
// string and false when it cannot be read.
bool readTextFile(const std::string& path, std::size_t max_bytes, bool tail, std::string* out);

}  // namespace onvif::platform
