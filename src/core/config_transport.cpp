#include "core/config_fields.hpp"

namespace onvif::core {

// [transport]: HTTPS, HTTP compression, IPv6 (documented in default_config.cpp).
void addTransportFields(FieldTable& t) {
  auto T = &Config::transport;
  t["transport.ipv6"] = boolField(T, &TransportConfig::ipv6);
  t["transport.http"] = boolField(T, &TransportConfig::http_enabled);
  t["transport.https"] = boolField(T, &TransportConfig::https_enabled);
  t["transport.https_port"] = numberField(T, &TransportConfig::https_port, 0, 65535);
  t["transport.certificate"] = textField(T, &TransportConfig::certificate, 4096);
  t["transport.private_key"] = textField(T, &TransportConfig::private_key, 4096);
  t["transport.tls_ciphers"] = textField(T, &TransportConfig::tls_ciphers, 1024);
  t["transport.tls_handshake_timeout_ms"] =
      numberField(T, &TransportConfig::tls_handshake_timeout_ms, 100, 600000);
  t["transport.gzip"] = boolField(T, &TransportConfig::gzip);
  t["transport.gzip_min_bytes"] = numberField(T, &TransportConfig::gzip_min_bytes, 0, 64 << 20);
  t["transport.max_inflated_bytes"] = numberField(T, &TransportConfig::max_inflated_bytes, 1024, 64LL << 20);
}

}  // namespace onvif::core
