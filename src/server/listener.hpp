#pragma once
// Listening TCP sockets, non-blocking, close-on-exec.
#include <string>
#include <vector>

#include "platform/unique_fd.hpp"

namespace onvif::server {

// The addresses of a [server] bind list, "127.0.0.1, ::1" -> {"127.0.0.1",
// "::1"}; IPv6 entries are dropped when IPv6 is off ([transport] ipv6), and
// "*" then means every IPv4 address only.
std::vector<std::string> bindAddresses(const std::string& list, bool ipv6);
// Whether such a list has the server listen on IPv6 ("*" or an IPv6 address).
bool listensOnIPv6(const std::string& list, bool ipv6);

// Binds `address` (IPv4 or IPv6 literal, or "*" for all IPv4+IPv6) on `port`
// (0 = any free port). On failure returns an invalid fd and sets `error`.
platform::UniqueFd openListener(const std::string& address, int port, int backlog, std::string* error);

// The port a listening socket is bound to.
int boundPort(int fd);

}  // namespace onvif::server
