#include "daemon/daemon_state.hpp"

namespace onvif::daemon {

std::chrono::system_clock::time_point DeviceClock::now() const {
  return std::chrono::system_clock::now() + std::chrono::seconds(offset_s_.load());
}

std::chrono::system_clock::time_point deviceNow(const DaemonState& daemon) {
  return daemon.clock ? daemon.clock->now() : std::chrono::system_clock::now();
}

}  // namespace onvif::daemon
