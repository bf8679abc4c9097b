#include "events/consumer_policy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cctype>
#include <cstdlib>
#include <cstring>

namespace onvif::events {

bool parseConsumerUrl(const std::string& raw, ConsumerUrl* out, std::string* problem) {
  std::size_t b = raw.find_first_not_of(" \t\r\n"), e = raw.find_last_not_of(" \t\r\n");
  std::string url = b == std::string::npos ? std::string() : raw.substr(b, e - b + 1);
  if (url.size() > 2048) {
    *problem = "consumer address too long";
    return false;
  }
  std::size_t hostStart;
  if (url.compare(0, 7, "http://") == 0) {
    out->tls = false;
    hostStart = 7;
  } else if (url.compare(0, 8, "https://") == 0) {
    out->tls = true;
    hostStart = 8;
  } else {
    *problem = "consumer address must be an http:// or https:// URL";
    return false;
  }
  std::size_t pathStart = url.find_first_of("/?", hostStart);
  std::string authority =
      url.substr(hostStart, pathStart == std::string::npos ? std::string::npos : pathStart - hostStart);
  out->path = pathStart == std::string::npos ? "/" : url.substr(pathStart);
  if (out->path[0] == '?') out->path = "/" + out->path;
  if (authority.find('@') != std::string::npos) {
    *problem = "user information in the consumer address is not supported";
    return false;
  }
  std::string portText;
  if (!authority.empty() && authority[0] == '[') {
    std::size_t close = authority.find(']');
    if (close == std::string::npos) {
      *problem = "bad IPv6 literal in consumer address";
      return false;
    }
    out->host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') {
        *problem = "bad consumer address";
        return false;
      }
      portText = authority.substr(close + 2);
    }
  } else {
    std::size_t colon = authority.rfind(':');
    out->host = authority.substr(0, colon);
    if (colon != std::string::npos) portText = authority.substr(colon + 1);
  }
  if (out->host.empty()) {
    *problem = "consumer address has no host";
    return false;
  }
  for (char c : out->host)
    if (!(isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '_' ||
          c == '%')) {
      *problem = "bad host in consumer address";
      return false;
    }
  out->port = out->tls ? 443 : 80;
  if (!portText.empty()) {
    char* end = nullptr;
    long port = strtol(portText.c_str(), &end, 10);
    if (*end != '\0' || port < 1 || port > 65535) {
      *problem = "bad port in consumer address";
      return false;
    }
    out->port = static_cast<int>(port);
  }
  return true;
}

bool addressAllowed(const sockaddr* sa, const ConsumerPolicy& policy, std::string* why) {
  in_addr v4{};
  bool isV4 = false;
  if (sa->sa_family == AF_INET) {
    v4 = reinterpret_cast<const sockaddr_in*>(sa)->sin_addr;
    isV4 = true;
  } else if (sa->sa_family == AF_INET6) {
    const in6_addr& a = reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr;
    if (IN6_IS_ADDR_V4MAPPED(&a)) {
      memcpy(&v4, &a.s6_addr[12], 4);
      isV4 = true;
    } else {
      if (IN6_IS_ADDR_UNSPECIFIED(&a)) return *why = "unspecified address", false;
      if (IN6_IS_ADDR_MULTICAST(&a)) return *why = "multicast address", false;
      if (IN6_IS_ADDR_LOOPBACK(&a) && !policy.allow_loopback) return *why = "loopback address", false;
      if (IN6_IS_ADDR_LINKLOCAL(&a) && !policy.allow_link_local) return *why = "link-local address", false;
      return true;
    }
  } else {
    *why = "unsupported address family";
    return false;
  }
  if (isV4) {
    uint32_t h = ntohl(v4.s_addr);
    if (h == 0 || (h >> 24) == 0) return *why = "unspecified address", false;
    if (h == 0xFFFFFFFFu) return *why = "broadcast address", false;
    if ((h >> 28) == 0xE) return *why = "multicast address", false;
    if ((h >> 28) == 0xF) return *why = "reserved address", false;
    if ((h >> 24) == 127 && !policy.allow_loopback) return *why = "loopback address", false;
    if ((h >> 16) == 0xA9FE && !policy.allow_link_local) return *why = "link-local address", false;
  }
  return true;
}

bool literalHostAllowed(const std::string& host, const ConsumerPolicy& policy, std::string* why) {
  sockaddr_in a4{};
  sockaddr_in6 a6{};
  if (inet_pton(AF_INET, host.c_str(), &a4.sin_addr) == 1) {
    a4.sin_family = AF_INET;
    return addressAllowed(reinterpret_cast<sockaddr*>(&a4), policy, why);
  }
  if (inet_pton(AF_INET6, host.c_str(), &a6.sin6_addr) == 1) {
    a6.sin6_family = AF_INET6;
    return addressAllowed(reinterpret_cast<sockaddr*>(&a6), policy, why);
  }
  if (host == "localhost" && !policy.allow_loopback) return *why = "loopback address", false;
  return true;
}

}  // namespace onvif::events
