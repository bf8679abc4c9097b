#include "core/config_fields.hpp"

namespace onvif::core {

void addServerFields(FieldTable& t) {
  auto S = &Config::server;
  t["server.bind"] = textField(S, &ServerConfig::bind, 255);
  t["server.port"] = numberField(S, &ServerConfig::port, 0, 65535);
  t["server.max_connections"] = numberField(S, &ServerConfig::max_connections, 1, 65536);
  t["server.max_request_bytes"] = numberField(S, &ServerConfig::max_request_bytes, 1024, 64LL << 20);
  t["server.header_timeout_ms"] = numberField(S, &ServerConfig::header_timeout_ms, 100, 600000);
  t["server.body_timeout_ms"] = numberField(S, &ServerConfig::body_timeout_ms, 100, 600000);
  t["server.send_timeout_ms"] = numberField(S, &ServerConfig::send_timeout_ms, 100, 600000);
  t["server.keepalive_timeout_s"] = numberField(S, &ServerConfig::keepalive_timeout_s, 1, 3600);
  t["server.keepalive_max_requests"] = numberField(S, &ServerConfig::keepalive_max_requests, 1, 1000000);
  t["server.workers"] = numberField(S, &ServerConfig::workers, 1, 256);
  t["server.max_workers"] = numberField(S, &ServerConfig::max_workers, 1, 1024);
  t["server.shutdown_grace_ms"] = numberField(S, &ServerConfig::shutdown_grace_ms, 0, 60000);
}

}  // namespace onvif::core
