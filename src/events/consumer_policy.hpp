#pragma once
// Where the camera may send Notify messages: a Subscribe must not make the
// camera connect to arbitrary internal services. Only http:// and
// https:// URLs; every address the host resolves to must be allowed: never multicast,
// broadcast or unspecified; loopback and link-local only when configured.
#include <sys/socket.h>

#include <string>

namespace onvif::events {

struct ConsumerUrl {
  bool tls = false;  // https://
  std::string host;  // without brackets
  int port = 80;     // 443 for https:// without a port
  std::string path;  // "/..." (with the query, if any)
};

struct ConsumerPolicy {
  bool allow_loopback = false;
  bool allow_link_local = false;
};

// Syntax only (no DNS). Returns false with `problem` set.
bool parseConsumerUrl(const std::string& url, ConsumerUrl* out, std::string* problem);

// Whether one resolved address may be connected to.
bool addressAllowed(const sockaddr* address, const ConsumerPolicy& policy, std::string* why);

// For a host that is an IP literal: whether it is allowed (true for names,
// which are checked when the push client resolves them).
bool literalHostAllowed(const std::string& host, const ConsumerPolicy& policy, std::string* why);

}  // namespace onvif::events
