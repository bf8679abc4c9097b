#include "core/config.hpp"

namespace onvif::core {

// Printed by --print-default-config; a config file needs only the keys it
// changes. Keep every key here, with a comment, so this doubles as reference.
const char* defaultConfigText() {
  return R"(# onvifd configuration (embedded default: a virtual camera on loopback)

[server]
# Address and port of the HTTP listener. The default serves loopback only.
bind = 127.0.0.1
port = 8080
# Connections past this are accepted and closed at once.
max_connections = 512
# Largest request (headers + body) in bytes; larger gets HTTP 413.
max_request_bytes = 1048576
# The request headers must arrive within this time (slowloris bound), and the
# body within body_timeout_ms after them; else HTTP 408 and close.
header_timeout_ms = 5000
body_timeout_ms = 10000
# A response that the client does not read within this time is abandoned.
send_timeout_ms = 10000
# HTTP keep-alive: idle connections are closed after this many seconds
# (advertised as Keep-Alive: timeout=N, max=M), and after max requests.
keepalive_timeout_s = 10
keepalive_max_requests = 100
# Worker threads: always running / at most (a long poll occupies one).
workers = 4
max_workers = 32
# On SIGTERM, in-flight requests get this long to finish.
shutdown_grace_ms = 1500

[device]
# GetDeviceInformation
manufacturer = onvifd
model = Virtual Camera
firmware_version = 0.1.0
serial_number = VC-0001
hardware_id = virtual-1

# (security: users, authentication, access policy)

[state]
# What clients set (users, scopes, encoder settings, discovery mode, the
# device's endpoint reference) is kept in this file, replaced atomically on
# every change. A relative path is relative to the working directory.
path = onvifd-state.ini

# (media: camera description)

# (events: event service, push policy, control socket, simulator)

# (discovery: WS-Discovery)

# (transport: HTTPS, compression, IPv6)
)";
}

}  // namespace onvif::core
