#include "server/listener.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "platform/sys.hpp"

namespace onvif::server {

std::vector<std::string> bindAddresses(const std::string& list, bool ipv6) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= list.size()) {
    std::size_t comma = list.find(',', pos);
    if (comma == std::string::npos) comma = list.size();
    std::string a = list.substr(pos, comma - pos);
    std::size_t b = a.find_first_not_of(" \t"), e = a.find_last_not_of(" \t");
    pos = comma + 1;
    if (b == std::string::npos) continue;
    a = a.substr(b, e - b + 1);
    if (a.size() > 2 && a.front() == '[' && a.back() == ']') a = a.substr(1, a.size() - 2);
    if (!ipv6 && a == "*") a = "0.0.0.0";
    if (!ipv6 && a.find(':') != std::string::npos) continue;
    out.push_back(a);
  }
  return out;
}

bool listensOnIPv6(const std::string& list, bool ipv6) {
  for (const std::string& a : bindAddresses(list, ipv6))
    if (a == "*" || a.find(':') != std::string::npos) return true;
  return false;
}

platform::UniqueFd openListener(const std::string& address, int port, int backlog, std::string* error) {
  sockaddr_storage ss{};
  socklen_t len = 0;
  int family = AF_INET;
  if (address == "*" || address == "::") {
    auto* a6 = reinterpret_cast<sockaddr_in6*>(&ss);
    a6->sin6_family = AF_INET6;
    a6->sin6_addr = in6addr_any;
    a6->sin6_port = htons(static_cast<uint16_t>(port));
    len = sizeof *a6;
    family = AF_INET6;
  } else {
    auto* a4 = reinterpret_cast<sockaddr_in*>(&ss);
    auto* a6 = reinterpret_cast<sockaddr_in6*>(&ss);
    if (inet_pton(AF_INET, address.c_str(), &a4->sin_addr) == 1) {
      a4->sin_family = AF_INET;
      a4->sin_port = htons(static_cast<uint16_t>(port));
      len = sizeof *a4;
    } else if (inet_pton(AF_INET6, address.c_str(), &a6->sin6_addr) == 1) {
      a6->sin6_family = AF_INET6;
      a6->sin6_port = htons(static_cast<uint16_t>(port));
      len = sizeof *a6;
      family = AF_INET6;
    } else {
      *error = "not an IP address: " + address;
      return platform::UniqueFd();
    }
  }
  platform::UniqueFd fd(sys::ops().socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) {
    *error = std::string("socket: ") + strerror(errno);
    return fd;
  }
  int one = 1;
  sys::ops().setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (family == AF_INET6 && (address == "*" || address == "::")) {
    int zero = 0;  // "*": one socket for IPv4 and IPv6
    sys::ops().setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
  }
  if (sys::ops().bind(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0) {
    *error = "bind " + address + ":" + std::to_string(port) + ": " + strerror(errno);
    fd.reset();  // the single exit path for a failed listener closes its fd
    return fd;
  }
  if (sys::ops().listen(fd.get(), backlog) != 0) {
    *error = std::string("listen: ") + strerror(errno);
    fd.reset();
    return fd;
  }
  return fd;
}

int boundPort(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (sys::ops().getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return -1;
  if (ss.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
  return ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
}

}  // namespace onvif::server
