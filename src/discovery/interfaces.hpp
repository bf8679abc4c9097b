#pragma once
// The network interfaces discovery runs on, as the kernel reports them now.
#include <string>
#include <vector>

namespace onvif::discovery {

struct NetInterface {
  std::string name;
  unsigned index = 0;
  std::vector<std::string> ipv4;  // textual addresses
  std::vector<std::string> ipv6;  // global/ULA only: link-local needs a zone, no use in XAddrs
};

// The interfaces named in `wanted` ("*": every multicast-capable,
// non-loopback interface) that are up and running, with their addresses.
std::vector<NetInterface> scanInterfaces(const std::vector<std::string>& wanted);

}  // namespace onvif::discovery
