#pragma once
// The discovery sockets: one UDP socket per address family, bound to the
// wildcard address on the discovery port, joined to the WS-Discovery group
// on each interface discovery runs on. Packet info tells on which interface
// a datagram came in and whether it was sent to the group (multicast) or to
// us (unicast). Every fd is owned by a UniqueFd, so each failure path closes it.
#include <netinet/in.h>
#include <sys/socket.h>

#include <string>

#include "platform/unique_fd.hpp"

namespace onvif::discovery {

constexpr const char* kGroup4 = "239.255.255.250";
constexpr const char* kGroup6 = "ff02::c";

struct Peer {
  sockaddr_storage addr{};
  socklen_t len = 0;
};

// Opens, configures and binds a socket for `family` (AF_INET / AF_INET6) on
// `port` (0: any free port). Invalid UniqueFd with `error` set on failure.
platform::UniqueFd openDiscoverySocket(int family, int port, std::string* error);
// The port a socket is bound to, or -1.
int boundPort(int fd);

// Joins / leaves the group on interface `ifindex`. join() treats "already a
// member" as success; leave() ignores errors (the interface may be gone).
bool joinGroup(int fd, int family, unsigned ifindex, std::string* error);
void leaveGroup(int fd, int family, unsigned ifindex);

struct Received {
  std::size_t len = 0;
  bool truncated = false;  // larger than the buffer: never parsed
  bool multicast = false;  // sent to a group address
  unsigned ifindex = 0;    // interface it came in on
  Peer from;
};

// One datagram, non-blocking. 1: got one; 0: nothing queued; -1: error.
int receiveDatagram(int fd, char* buf, std::size_t cap, Received* out);

// To the group on interface `ifindex`, or to `to` when given.
bool sendDatagram(int fd, int family, unsigned ifindex, int port, const Peer* to, const std::string& data);

std::string peerText(const Peer& peer);

}  // namespace onvif::discovery
