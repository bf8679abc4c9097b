#include "discovery/udp_socket.hpp"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <string.h>

#include <cstring>

#include "platform/sys.hpp"

namespace onvif::discovery {

namespace {

std::string errnoText(const char* what) {
  return std::string(what) + ": " + strerror(errno);
}

bool setInt(int fd, int level, int name, int value, const char* what, std::string* error) {
  if (sys::ops().setsockopt(fd, level, name, &value, sizeof value) == 0) return true;
  *error = errnoText(what);
  return false;
}

}  // namespace

platform::UniqueFd openDiscoverySocket(int family, int port, std::string* error) {
  platform::UniqueFd fd(sys::ops().socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) {
    *error = errnoText("socket");
    return fd;
  }
  // Several WS-Discovery services may share port 3702 on one host (the group
  // is delivered to every member socket).
  if (!setInt(fd.get(), SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR", error)) return {};
  if (family == AF_INET) {
    // WS-Discovery / SOAP-over-UDP: multicast stays on the link (TTL 1).
    if (!setInt(fd.get(), IPPROTO_IP, IP_PKTINFO, 1, "IP_PKTINFO", error) ||
        !setInt(fd.get(), IPPROTO_IP, IP_MULTICAST_TTL, 1, "IP_MULTICAST_TTL", error))
      return {};
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_port = htons(static_cast<uint16_t>(port));
    sin.sin_addr.s_addr = htonl(INADDR_ANY);
    if (sys::ops().bind(fd.get(), reinterpret_cast<sockaddr*>(&sin), sizeof sin) != 0) {
      *error = errnoText(("bind udp port " + std::to_string(port)).c_str());
      return {};
    }
  } else {
    if (!setInt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, 1, "IPV6_V6ONLY", error) ||
        !setInt(fd.get(), IPPROTO_IPV6, IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO", error) ||
        !setInt(fd.get(), IPPROTO_IPV6, IPV6_MULTICAST_HOPS, 1, "IPV6_MULTICAST_HOPS", error))
      return {};
    sockaddr_in6 sin6{};
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = htons(static_cast<uint16_t>(port));
    sin6.sin6_addr = in6addr_any;
    if (sys::ops().bind(fd.get(), reinterpret_cast<sockaddr*>(&sin6), sizeof sin6) != 0) {
      *error = errnoText(("bind udp6 port " + std::to_string(port)).c_str());
      return {};
    }
  }
  return fd;
}

int boundPort(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (sys::ops().getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return -1;
  if (ss.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
  return ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
}

bool joinGroup(int fd, int family, unsigned ifindex, std::string* error) {
  int rc;
  if (family == AF_INET) {
    ip_mreqn m{};
    inet_pton(AF_INET, kGroup4, &m.imr_multiaddr);
    m.imr_ifindex = static_cast<int>(ifindex);
    rc = sys::ops().setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof m);
  } else {
    ipv6_mreq m{};
    inet_pton(AF_INET6, kGroup6, &m.ipv6mr_multiaddr);
    m.ipv6mr_interface = ifindex;
    rc = sys::ops().setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &m, sizeof m);
  }
  if (rc == 0 || errno == EADDRINUSE) return true;
  *error = errnoText(family == AF_INET ? "IP_ADD_MEMBERSHIP" : "IPV6_JOIN_GROUP");
  return false;
}

void leaveGroup(int fd, int family, unsigned ifindex) {
  if (family == AF_INET) {
    ip_mreqn m{};
    inet_pton(AF_INET, kGroup4, &m.imr_multiaddr);
    m.imr_ifindex = static_cast<int>(ifindex);
    (void)sys::ops().setsockopt(fd, IPPROTO_IP, IP_DROP_MEMBERSHIP, &m, sizeof m);
  } else {
    ipv6_mreq m{};
    inet_pton(AF_INET6, kGroup6, &m.ipv6mr_multiaddr);
    m.ipv6mr_interface = ifindex;
    (void)sys::ops().setsockopt(fd, IPPROTO_IPV6, IPV6_LEAVE_GROUP, &m, sizeof m);
  }
}

int receiveDatagram(int fd, char* buf, std::size_t cap, Received* out) {
  *out = Received();
  iovec iov{buf, cap};
  alignas(cmsghdr) char control[256];
  msghdr msg{};
  msg.msg_name = &out->from.addr;
  msg.msg_namelen = sizeof out->from.addr;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n = sys::ops().recvmsg(fd, &msg, MSG_DONTWAIT);
  if (n < 0) return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 0 : -1;
  out->len = static_cast<std::size_t>(n);
  out->truncated = (msg.msg_flags & MSG_TRUNC) != 0;
  out->from.len = msg.msg_namelen;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
      in_pktinfo info;
      memcpy(&info, CMSG_DATA(c), sizeof info);
      out->ifindex = static_cast<unsigned>(info.ipi_ifindex);
      out->multicast = IN_MULTICAST(ntohl(info.ipi_addr.s_addr));
    } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
      in6_pktinfo info;
      memcpy(&info, CMSG_DATA(c), sizeof info);
      out->ifindex = info.ipi6_ifindex;
      out->multicast = IN6_IS_ADDR_MULTICAST(&info.ipi6_addr);
    }
  }
  return 1;
}

bool sendDatagram(int fd, int family, unsigned ifindex, int port, const Peer* to, const std::string& data) {
  sockaddr_storage dest{};
  socklen_t len;
  if (to) {
    dest = to->addr;
    len = to->len;
  } else if (family == AF_INET) {
    ip_mreqn m{};
    m.imr_ifindex = static_cast<int>(ifindex);
    if (sys::ops().setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &m, sizeof m) != 0) return false;
    auto* sin = reinterpret_cast<sockaddr_in*>(&dest);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, kGroup4, &sin->sin_addr);
    len = sizeof *sin;
  } else {
    if (sys::ops().setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex, sizeof ifindex) != 0)
      return false;
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&dest);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(static_cast<uint16_t>(port));
    sin6->sin6_scope_id = ifindex;
    inet_pton(AF_INET6, kGroup6, &sin6->sin6_addr);
    len = sizeof *sin6;
  }
  ssize_t n = sys::ops().sendto(fd, data.data(), data.size(), MSG_DONTWAIT | MSG_NOSIGNAL,
                                reinterpret_cast<sockaddr*>(&dest), len);
  return n == static_cast<ssize_t>(data.size());
}

std::string peerText(const Peer& peer) {
  char host[INET6_ADDRSTRLEN] = "?";
  int port = 0;
  if (peer.addr.ss_family == AF_INET) {
    auto* sin = reinterpret_cast<const sockaddr_in*>(&peer.addr);
    inet_ntop(AF_INET, &sin->sin_addr, host, sizeof host);
    port = ntohs(sin->sin_port);
    return std::string(host) + ":" + std::to_string(port);
  }
  auto* sin6 = reinterpret_cast<const sockaddr_in6*>(&peer.addr);
  inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof host);
  port = ntohs(sin6->sin6_port);
  return "[" + std::string(host) + "]:" + std::to_string(port);
}

}  // namespace onvif::discovery
