#pragma once
// What WS-Discovery announces that the device service owns: the scopes and
// the discovery mode. The device service writes it (at start and on
// SetScopes/AddScopes/RemoveScopes/SetDiscoveryMode); the discovery
// announcer reads it and is told of changes through DiscoveryNotifier.
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "core/config.hpp"

namespace onvif::discovery {

class DiscoveryView {
 public:
  std::vector<std::string> scopes() const;
  bool discoverable() const;
  // Bumped on every change: WS-Discovery's MetadataVersion follows it.
  uint64_t version() const;
  void set(std::vector<std::string> scopes, bool discoverable);

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> scopes_;
  bool discoverable_ = true;
  uint64_t version_ = 1;
};

// Tells discovery that scopes, mode or addresses changed (Core spec: a Hello
// on change, a Bye when the device becomes non-discoverable).
class DiscoveryNotifier {
 public:
  virtual ~DiscoveryNotifier() = default;
  virtual void changed() = 0;
};

// The standard onvif://www.onvif.org/ scopes derived from the configuration
// (Core spec "Scopes"): type, Profile, hardware, then name and location.
// The device service decides which are Fixed and keeps the client-set list
// (services/device_state.hpp).
std::vector<std::string> standardScopes(const core::Config& config);

}  // namespace onvif::discovery
