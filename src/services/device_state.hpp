#pragma once
// The device service's model, apart from gSOAP types: where its settings
// live in the SettingsStore, how they are read with their defaults, the
// scope lists, and the hook call every Set* makes before storing.
// Areas: "device" (time, scopes, discovery mode, relays) and
// "device_network" (host name, DNS, NTP, interfaces, gateway, protocols),
// split so a Soft factory default can keep the network settings.
#include <mutex>
#include <string>
#include <vector>

#include "daemon/request_context.hpp"
#include "state/settings_store.hpp"

namespace onvif::services::device {

inline constexpr const char* kSystemArea = "device";
inline constexpr const char* kNetworkArea = "device_network";

// Held across read-modify-write of the device areas (hook included), so
// two concurrent Set* requests cannot lose each other's change.
std::mutex& settingsMutex();

// Runs the configured hook (empty: none, the setting is only recorded) with
// the operation's arguments. False (and the reason logged) when it fails;
// the handler then answers ter:Action and stores nothing.
bool runHook(const daemon::DaemonState& daemon, const std::string& hook, const char* what,
             const std::vector<std::string>& args, std::string* output = nullptr);

// --- operations that change the host ---
// Which hook carries out an operation (a member of core::DeviceConfig).
using HookMember = std::string core::DeviceConfig::*;

// How this device carries out a host-changing operation: through its hook;
// without one, recorded only ([device] host = simulated) or refused
// ([device] host = real; the handler answers env:Receiver
// ter:ActionNotSupported, Core spec "Generic faults", and the capabilities
// do not claim it).
enum class HostAction { Hook, Record, Refuse };
HostAction hostAction(const core::DeviceConfig& config, HookMember hook);
inline bool refused(const daemon::DaemonState& daemon, HookMember hook) {
  return hostAction(daemon.config->device, hook) == HostAction::Refuse;
}

// The host-changing operations and their hooks, for the start-up log and
// the tests that check every one of them in both modes.
struct HostOperation {
  const char* operation;  // e.g. "SetHostname"
  HookMember hook;
};
const std::vector<HostOperation>& hostOperations();
// Logs once which operations are only recorded (simulated) or refused
// (real), the PTZ node's SendAuxiliaryCommand among them.
void logHostActions(const core::Config& config);

// All or nothing for a host change: stores `after` in the area, then runs
// the hook as the last fallible step; when the hook fails, `before` is put
// back. Nothing runs when the store fails.
enum class Commit { Ok, StoreFailed, HookFailed };
Commit commit(const daemon::DaemonState& daemon, const char* area_name, const state::Section& before,
              const state::Section& after, HookMember hook, const char* what,
              const std::vector<std::string>& args);

// One of the device's areas; empty when the daemon has no store (unit tests).
state::Section area(const daemon::DaemonState& daemon, const char* name);

// Replaces one area in the store; false (logged) when it could not be persisted.
bool store(const daemon::DaemonState& daemon, const char* area, const state::Section& values);

// --- scopes (Core spec "Scopes", "GetScopes") ---
struct Scopes {
  std::vector<std::string> fixed, configurable;
  std::vector<std::string> all() const;
};
Scopes currentScopes(const daemon::DaemonState& daemon);
// Writes the scope list and discovery mode to the discovery view and tells
// discovery (Hello/Bye) when something changed.
void publishDiscovery(const daemon::DaemonState& daemon);
// The discovery mode: the stored SetDiscoveryMode, else the configured one.
bool discoverable(const state::Section& system_area, bool configured);

// --- time (Core spec "SetSystemDateAndTime") ---
struct TimeSettings {
  bool ntp = false;
  bool daylight_savings = false;
  std::string tz;
  long long offset_s = 0;
};
TimeSettings timeSettings(const daemon::DaemonState& daemon);
// NTP servers in force (stored, else the configuration's).
std::vector<std::string> ntpServers(const daemon::DaemonState& daemon, bool* from_dhcp);

// At start: restore the clock offset, scopes and discovery mode.
void setupDevice(daemon::DaemonState* daemon);

}  // namespace onvif::services::device
