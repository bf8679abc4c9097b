#include "state/identity.hpp"

#include <cstdio>
#include <random>

namespace onvif::state {

std::string randomUuid() {
  std::random_device rd;  // the kernel's random source
  unsigned char b[16];
  for (int i = 0; i < 16; i += 4) {
    unsigned int r = rd();
    for (int k = 0; k < 4; ++k) b[i + k] = static_cast<unsigned char>(r >> (8 * k));
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  char out[37];
  snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
           b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return out;
}

std::string ensureEndpointReference(SettingsStore* store, std::string* error) {
  Section identity = store->get(kIdentityArea);
  auto it = identity.find("endpoint_reference");
  if (it != identity.end() && !it->second.empty()) return it->second;
  identity["endpoint_reference"] = "urn:uuid:" + randomUuid();
  if (!store->put(kIdentityArea, identity, error)) return {};
  return identity["endpoint_reference"];
}

}  // namespace onvif::state
