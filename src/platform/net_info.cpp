#include "platform/net_info.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <sstream>

#include "platform/sys.hpp"
#include "platform/unique_fd.hpp"

namespace onvif::platform {
namespace {

struct IfaddrsFree {
  void operator()(ifaddrs* p) const { freeifaddrs(p); }
};

int prefixLength(const sockaddr* mask) {
  if (!mask) return 0;
  const unsigned char* bytes;
  std::size_t n;
  if (mask->sa_family == AF_INET) {
    bytes = reinterpret_cast<const unsigned char*>(&reinterpret_cast<const sockaddr_in*>(mask)->sin_addr);
    n = 4;
  } else if (mask->sa_family == AF_INET6) {
    bytes = reinterpret_cast<const unsigned char*>(&reinterpret_cast<const sockaddr_in6*>(mask)->sin6_addr);
    n = 16;
  } else {
    return 0;
  }
  int bits = 0;
  for (std::size_t i = 0; i < n; ++i) bits += __builtin_popcount(bytes[i]);
  return bits;
}

InterfaceInfo& entry(std::vector<InterfaceInfo>& list, const char* name) {
  for (InterfaceInfo& i : list)
    if (i.name == name) return i;
  list.push_back(InterfaceInfo{});
  list.back().name = name;
  list.back().mac = "00:00:00:00:00:00";
  return list.back();
}

// MTU through one datagram socket for all interfaces; the socket is owned
// by a UniqueFd, so it is closed on every path (the old server's MAC helper
// leaked it on its error returns).
void fillMtu(std::vector<InterfaceInfo>& list) {
  UniqueFd fd(sys::ops().socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd) return;
  for (InterfaceInfo& i : list) {
    ifreq req{};
    if (i.name.size() >= sizeof(req.ifr_name)) continue;
    memcpy(req.ifr_name, i.name.c_str(), i.name.size() + 1);
    if (ioctl(fd.get(), SIOCGIFMTU, &req) == 0) i.mtu = req.ifr_mtu;
  }
}

std::vector<std::string> splitWords(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> words;
  std::string w;
  while (in >> w) words.push_back(w);
  return words;
}

}  // namespace

std::vector<InterfaceInfo> listInterfaces() {
  std::vector<InterfaceInfo> list;
  ifaddrs* raw = nullptr;
  if (getifaddrs(&raw) != 0) return list;
  std::unique_ptr<ifaddrs, IfaddrsFree> all(raw);
  for (ifaddrs* a = raw; a; a = a->ifa_next) {
    if (!a->ifa_name) continue;
    InterfaceInfo& info = entry(list, a->ifa_name);
    info.up = (a->ifa_flags & IFF_UP) != 0;
    info.loopback = (a->ifa_flags & IFF_LOOPBACK) != 0;
    if (!a->ifa_addr) continue;
    char text[INET6_ADDRSTRLEN] = {};
    switch (a->ifa_addr->sa_family) {
      case AF_INET:
        inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(a->ifa_addr)->sin_addr, text, sizeof text);
        info.ipv4.push_back({text, prefixLength(a->ifa_netmask)});
        break;
      case AF_INET6:
        inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(a->ifa_addr)->sin6_addr, text, sizeof text);
        info.ipv6.push_back({text, prefixLength(a->ifa_netmask)});
        break;
      case AF_PACKET: {
        auto* ll = reinterpret_cast<sockaddr_ll*>(a->ifa_addr);
        if (ll->sll_halen == 6) {
          char mac[18];
          snprintf(mac, sizeof mac, "%02x:%02x:%02x:%02x:%02x:%02x", ll->sll_addr[0], ll->sll_addr[1],
                   ll->sll_addr[2], ll->sll_addr[3], ll->sll_addr[4], ll->sll_addr[5]);
          info.mac = mac;
        }
        break;
      }
      default: break;
    }
  }
  fillMtu(list);
  return list;
}

std::string hostName() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return {};
  return name;
}

ResolverConfig parseResolvConf(const std::string& text) {
  ResolverConfig rc;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::size_t hash = line.find_first_of("#;");
    if (hash != std::string::npos) line.resize(hash);
    std::vector<std::string> words = splitWords(line);
    if (words.size() < 2) continue;
    if (words[0] == "nameserver") {
      rc.nameservers.push_back(words[1]);
    } else if (words[0] == "search" || words[0] == "domain") {
      rc.search.assign(words.begin() + 1, words.end());  // the last one wins (resolv.conf(5))
    }
  }
  return rc;
}

ResolverConfig readResolvConf(const std::string& path) {
  std::string text;
  if (!readTextFile(path, 64 * 1024, false, &text)) return {};
  return parseResolvConf(text);
}

std::vector<std::string> parseIPv4DefaultGateways(const std::string& text) {
  // Iface Destination Gateway Flags RefCnt Use Metric Mask ...
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> f = splitWords(line);
    if (f.size() < 8 || f[1] != "00000000" || f[7] != "00000000") continue;
    unsigned long flags = strtoul(f[3].c_str(), nullptr, 16);
    if (!(flags & 0x2)) continue;  // RTF_GATEWAY
    in_addr gw{};
    gw.s_addr = static_cast<in_addr_t>(strtoul(f[2].c_str(), nullptr, 16));  // already network order
    char buf[INET_ADDRSTRLEN];
    if (inet_ntop(AF_INET, &gw, buf, sizeof buf)) out.push_back(buf);
  }
  return out;
}

std::vector<std::string> parseIPv6DefaultGateways(const std::string& text) {
  // dest destlen src srclen nexthop metric refcnt use flags iface
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> f = splitWords(line);
    if (f.size() < 10 || f[0] != std::string(32, '0') || f[1] != "00" || f[4].size() != 32) continue;
    if (f[4] == std::string(32, '0')) continue;  // no next hop
    in6_addr gw{};
    for (int i = 0; i < 16; ++i)
      gw.s6_addr[i] = static_cast<uint8_t>(strtoul(f[4].substr(i * 2, 2).c_str(), nullptr, 16));
    char buf[INET6_ADDRSTRLEN];
    if (inet_ntop(AF_INET6, &gw, buf, sizeof buf)) out.push_back(buf);
  }
  return out;
}

std::vector<std::string> ipv4DefaultGateways() {
  std::string text;
  return readTextFile("/proc/net/route", 256 * 1024, false, &text) ? parseIPv4DefaultGateways(text)
                                                                   : std::vector<std::string>{};
}

std::vector<std::string> ipv6DefaultGateways() {
  std::string text;
  return readTextFile("/proc/net/ipv6_route", 256 * 1024, false, &text) ? parseIPv6DefaultGateways(text)
                                                                        : std::vector<std::string>{};
}

bool readTextFile(const std::string& path, std::size_t max_bytes, bool tail, std::string* out) {
  out->clear();
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return false;
  if (tail) {
    struct stat st {};
    if (fstat(fd.get(), &st) == 0 && S_ISREG(st.st_mode) && static_cast<std::size_t>(st.st_size) > max_bytes)
      lseek(fd.get(), st.st_size - static_cast<off_t>(max_bytes), SEEK_SET);
  }
  char buf[8192];
  while (out->size() < max_bytes) {
    ssize_t n = read(fd.get(), buf, std::min(sizeof buf, max_bytes - out->size()));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) break;
    out->append(buf, static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace onvif::platform
