#include "core/config_fields.hpp"

namespace onvif::core {

// [discovery]: WS-Discovery (docs/discovery.md).
void addDiscoveryFields(FieldTable& t) {
  auto D = &Config::discovery;
  t["discovery.enabled"] = boolField(D, &DiscoveryConfig::enabled);
  t["discovery.interfaces"] = listField(D, &DiscoveryConfig::interfaces, 32);
  t["discovery.port"] = numberField(D, &DiscoveryConfig::port, 0, 65535);
  t["discovery.ipv6"] = boolField(D, &DiscoveryConfig::ipv6);
  t["discovery.discoverable"] = boolField(D, &DiscoveryConfig::discoverable);
  t["discovery.max_delay_ms"] = numberField(D, &DiscoveryConfig::max_delay_ms, 0, 5000);
  t["discovery.max_datagram_bytes"] = numberField(D, &DiscoveryConfig::max_datagram_bytes, 1024, 65507);
}

}  // namespace onvif::core
