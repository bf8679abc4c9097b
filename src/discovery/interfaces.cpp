#include "discovery/interfaces.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <algorithm>
#include <map>

namespace onvif::discovery {

namespace {

bool isWanted(const std::vector<std::string>& wanted, const std::string& name, unsigned flags) {
  for (const std::string& w : wanted) {
    if (w == name) return true;
    if (w == "*" && (flags & IFF_MULTICAST) && !(flags & IFF_LOOPBACK)) return true;
  }
  return false;
}

// Owns getifaddrs()'s list.
struct IfAddrs {
  ifaddrs* list = nullptr;
  IfAddrs() {
    if (getifaddrs(&list) != 0) list = nullptr;
  }
  ~IfAddrs() {
    if (list) freeifaddrs(list);
  }
  IfAddrs(const IfAddrs&) = delete;
  IfAddrs& operator=(const IfAddrs&) = delete;
};

}  // namespace

std::vector<NetInterface> scanInterfaces(const std::vector<std::string>& wanted) {
  IfAddrs addrs;
  std::map<std::string, NetInterface> found;
  for (ifaddrs* a = addrs.list; a; a = a->ifa_next) {
    if (!a->ifa_name || !isWanted(wanted, a->ifa_name, a->ifa_flags)) continue;
    if (!(a->ifa_flags & IFF_UP) || !(a->ifa_flags & IFF_RUNNING)) continue;
    NetInterface& nif = found[a->ifa_name];
    nif.name = a->ifa_name;
    if (!a->ifa_addr) continue;
    char text[INET6_ADDRSTRLEN] = "";
    if (a->ifa_addr->sa_family == AF_INET) {
      auto* sin = reinterpret_cast<const sockaddr_in*>(a->ifa_addr);
      if (inet_ntop(AF_INET, &sin->sin_addr, text, sizeof text)) nif.ipv4.push_back(text);
    } else if (a->ifa_addr->sa_family == AF_INET6) {
      auto* sin6 = reinterpret_cast<const sockaddr_in6*>(a->ifa_addr);
      if (IN6_IS_ADDR_LINKLOCAL(&sin6->sin6_addr)) continue;
      if (inet_ntop(AF_INET6, &sin6->sin6_addr, text, sizeof text)) nif.ipv6.push_back(text);
    }
  }
  std::vector<NetInterface> out;
  for (auto& [name, nif] : found) {
    nif.index = if_nametoindex(name.c_str());
    if (nif.index == 0) continue;  // vanished meanwhile
    std::sort(nif.ipv4.begin(), nif.ipv4.end());
    std::sort(nif.ipv6.begin(), nif.ipv6.end());
    out.push_back(std::move(nif));
  }
  return out;
}

}  // namespace onvif::discovery
