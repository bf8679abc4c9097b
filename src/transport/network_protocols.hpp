#pragma once
// What GetNetworkProtocols / SetNetworkProtocols (device service, Core spec
// "GetNetworkProtocols"/"SetNetworkProtocols") need from the transport: the
// HTTP and HTTPS listeners' state and ports, and a way to switch them at run
// time. The device handlers translate to and from tt:NetworkProtocol; RTSP
// belongs to the media side and is not handled here.
//
// set() follows the project's rule: validate everything, then apply (rebind
// listeners; on a failure the ones already switched are switched back), then
// persist in the settings area "transport", so a failure changes nothing.
// At start-up applyStored() puts the persisted choice over the config file's.
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "core/config.hpp"

namespace onvif::state {
class SettingsStore;
}

namespace onvif::transport {

struct Protocol {
  std::string name;  // "HTTP" or "HTTPS" (as tt:NetworkProtocolType)
  bool enabled = false;
  std::vector<int> ports;  // the listening port; empty when disabled
};

class NetworkProtocols {
 public:
  enum class Result {
    Ok,
    UnknownProtocol,  // a name other than HTTP/HTTPS (device: ter:ServiceNotSupported)
    InvalidPort,      // not exactly one port 1..65535 for an enabled protocol (ter:InvalidArgVal)
    CannotApply,      // port in use, no certificate for HTTPS, both off (ter:InvalidArgVal)
  };
  // apply(tls, enabled, port, error): Server::reconfigure. port(tls): the
  // live port or -1 (Server::httpPort/httpsPort).
  using Apply = std::function<bool(bool tls, bool enabled, int port, std::string* error)>;
  using LivePort = std::function<int(bool tls)>;

  NetworkProtocols(state::SettingsStore* settings, Apply apply, LivePort live);

  std::vector<Protocol> get() const;
  // Entries not named keep their state. `error` explains anything but Ok.
  Result set(const std::vector<Protocol>& wanted, std::string* error);

  static constexpr const char* kArea = "transport";
  // keep_http_port: a --port on the command line wins over the stored port.
  static void applyStored(const state::SettingsStore& settings, core::Config* config, bool keep_http_port);

 private:
  state::SettingsStore* settings_;
  Apply apply_;
  LivePort live_;
  std::mutex mutex_;
};

}  // namespace onvif::transport
