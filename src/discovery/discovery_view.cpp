#include "discovery/discovery_view.hpp"

#include <cctype>

namespace onvif::discovery {

std::vector<std::string> DiscoveryView::scopes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return scopes_;
}

bool DiscoveryView::discoverable() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return discoverable_;
}

uint64_t DiscoveryView::version() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return version_;
}

void DiscoveryView::set(std::vector<std::string> scopes, bool discoverable) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (scopes == scopes_ && discoverable == discoverable_) return;
  scopes_ = std::move(scopes);
  discoverable_ = discoverable;
  ++version_;
}

namespace {
// Scope values are URI path segments: percent-encode what is not unreserved.
std::string scopeSegment(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}
}  // namespace

std::vector<std::string> standardScopes(const core::Config& config) {
  const std::string base = "onvif://www.onvif.org/";
  const core::DeviceConfig& d = config.device;
  // The device service relies on this order: name and location come last,
  // because [device] name_location_fixed decides whether they are Fixed.
  return {
      base + "type/video_encoder",
      base + "type/Network_Video_Transmitter",
      base + "Profile/Streaming",
      base + "Profile/S",
      base + "hardware/" + scopeSegment(d.hardware_id),
      base + "name/" + scopeSegment(d.name.empty() ? d.model : d.name),
      base + "location/" + scopeSegment(d.location),
  };
}

}  // namespace onvif::discovery
