#pragma once
// Listening TCP sockets, non-blocking, close-on-exec.
#include <string>

#include "platform/unique_fd.hpp"

namespace onvif::server {

// Binds `address` (IPv4 or IPv6 literal, or "*" for all IPv4+IPv6) on `port`
// (0 = any free port). On failure returns an invalid fd and sets `error`.
platform::UniqueFd openListener(const std::string& address, int port, int backlog, std::string* error);

// The port a listening socket is bound to.
int boundPort(int fd);

}  // namespace onvif::server
