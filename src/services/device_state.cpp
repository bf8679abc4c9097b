#include "services/device_state.hpp"

#include <algorithm>

#include "core/log.hpp"
#include "discovery/discovery_view.hpp"
#include "platform/hook.hpp"
#include "ptz/ptz_model.hpp"
#include "services/profile_t.hpp"
#include "services/service_registry.hpp"

namespace onvif::services::device {

std::mutex& settingsMutex() {
  static std::mutex mutex;
  return mutex;
}

bool runHook(const daemon::DaemonState& daemon, const std::string& hook, const char* what,
             const std::vector<std::string>& args, std::string* output) {
  if (hook.empty()) {
    LOG_INFO("device: %s recorded (no hook configured)", what);
    return true;
  }
  std::vector<std::string> argv{hook};
  argv.insert(argv.end(), args.begin(), args.end());
  platform::HookResult r = platform::runHook(argv, daemon.config->device.hook_timeout_ms);
  if (!r.ok) {
    LOG_WARN("device: %s hook %s failed: %s%s%s", what, hook.c_str(), r.error.c_str(),
             r.output.empty() ? "" : "; output: ", r.output.c_str());
    return false;
  }
  if (output) *output = r.output;
  return true;
}

HostAction hostAction(const core::DeviceConfig& config, HookMember hook) {
  if (!(config.*hook).empty()) return HostAction::Hook;
  return config.refusedWithout(config.*hook) ? HostAction::Refuse : HostAction::Record;
}

const std::vector<HostOperation>& hostOperations() {
  using D = core::DeviceConfig;
  static const std::vector<HostOperation> kOperations{
      {"SetSystemDateAndTime", &D::hook_clock},
      {"SetHostname", &D::hook_hostname},
      {"SetHostnameFromDHCP", &D::hook_hostname},
      {"SetDNS", &D::hook_dns},
      {"SetNTP", &D::hook_ntp},
      {"SetNetworkInterfaces", &D::hook_network},
      {"SetNetworkDefaultGateway", &D::hook_gateway},
      {"SetNetworkProtocols", &D::hook_protocols},
      {"SetSystemFactoryDefault", &D::hook_factory_default},
      {"SystemReboot", &D::hook_reboot},
      {"SetDigitalInputConfigurations", &D::hook_digital_input},  // DeviceIO
      {"SetRelayOutputState", &D::hook_relay},                    // Device and DeviceIO services
      {"SetRelayOutputSettings", &D::hook_relay},
      {"SendAuxiliaryCommand", &D::hook_auxiliary},
  };
  return kOperations;
}

void logHostActions(const core::Config& config) {
  std::string recorded, refused;
  auto add = [&](const char* operation, const std::string& hook) {
    if (!hook.empty()) return;
    std::string& list = config.device.refusedWithout(hook) ? refused : recorded;
    list += (list.empty() ? "" : " ") + std::string(operation);
  };
  for (const HostOperation& op : hostOperations()) add(op.operation, config.device.*op.hook);
  // The PTZ node's auxiliary commands have their own hook ([ptz] hook_auxiliary).
  bool ptz = config.ptz.enabled && operationBound("tptz:GetNodes");
  if (ptz && ptz::offersPtz(config)) add("PTZ.SendAuxiliaryCommand", config.ptz.hook_auxiliary);
  if (!recorded.empty())
    LOG_INFO("device: host = simulated; recorded only, the host is not changed: %s", recorded.c_str());
  if (!refused.empty()) LOG_INFO("device: host = real; refused for want of a hook: %s", refused.c_str());
  // Without hook_move no move reaches the head: the whole service goes.
  if (ptz && !ptz::offersPtz(config))
    LOG_INFO(
        "device: host = real; no PTZ service for want of [ptz] hook_move: its moves would reach no head");
}

Commit commit(const daemon::DaemonState& daemon, const char* area_name, const state::Section& before,
              const state::Section& after, HookMember hook, const char* what,
              const std::vector<std::string>& args) {
  if (!store(daemon, area_name, after)) return Commit::StoreFailed;
  if (runHook(daemon, daemon.config->device.*hook, what, args)) return Commit::Ok;
  if (!store(daemon, area_name, before))
    LOG_ERROR("device: %s hook failed and the previous settings could not be put back", what);
  return Commit::HookFailed;
}

state::Section area(const daemon::DaemonState& daemon, const char* name) {
  return daemon.settings ? daemon.settings->get(name) : state::Section{};
}

bool store(const daemon::DaemonState& daemon, const char* area, const state::Section& values) {
  std::string error;
  if (!daemon.settings) {
    LOG_ERROR("device: no settings store");
    return false;
  }
  if (daemon.settings->put(area, values, &error)) return true;
  LOG_ERROR("device: cannot persist [%s]: %s", area, error.c_str());
  return false;
}

std::vector<std::string> Scopes::all() const {
  std::vector<std::string> out = fixed;
  out.insert(out.end(), configurable.begin(), configurable.end());
  return out;
}

Scopes currentScopes(const daemon::DaemonState& daemon) {
  const core::Config& config = *daemon.config;
  std::vector<std::string> standard = discovery::standardScopes(config);
  Scopes scopes;
  // standardScopes ends with the name and location scopes (see discovery_view.cpp).
  std::size_t n_fixed = config.device.name_location_fixed ? standard.size() : standard.size() - 2;
  scopes.fixed.assign(standard.begin(), standard.begin() + static_cast<long>(n_fixed));
  scopes.fixed.insert(scopes.fixed.end(), config.device.extra_scopes.begin(),
                      config.device.extra_scopes.end());
  // Profile T only when every mandatory feature is there (services/profile_t.cpp).
  if (profileTMissing(daemon).empty()) scopes.fixed.push_back("onvif://www.onvif.org/Profile/T");
  state::Section area = device::area(daemon, kSystemArea);
  if (state::getBool(area, "scopes.set", false)) {
    scopes.configurable = state::getList(area, "scope");
  } else {
    scopes.configurable.assign(standard.begin() + static_cast<long>(n_fixed), standard.end());
  }
  return scopes;
}

// A stored SetDiscoveryMode wins; until then [discovery] discoverable says.
bool discoverable(const state::Section& system_area, bool configured) {
  std::string stored = state::getString(system_area, "discovery_mode", "");
  if (stored.empty()) return configured;
  return stored != "NonDiscoverable";
}

void publishDiscovery(const daemon::DaemonState& daemon) {
  if (!daemon.discovery_view) return;
  uint64_t before = daemon.discovery_view->version();
  daemon.discovery_view->set(
      currentScopes(daemon).all(),
      discoverable(device::area(daemon, kSystemArea), daemon.config->discovery.discoverable));
  if (daemon.discovery && daemon.discovery_view->version() != before) daemon.discovery->changed();
}

TimeSettings timeSettings(const daemon::DaemonState& daemon) {
  state::Section area = device::area(daemon, kSystemArea);
  TimeSettings t;
  t.ntp = state::getString(area, "time.mode", "Manual") == "NTP";
  t.daylight_savings = state::getBool(area, "time.dst", true);
  t.tz = state::getString(area, "time.tz", daemon.config->device.timezone);
  t.offset_s = state::getInt(area, "time.offset_s", 0);
  return t;
}

std::vector<std::string> ntpServers(const daemon::DaemonState& daemon, bool* from_dhcp) {
  state::Section area = device::area(daemon, kNetworkArea);
  *from_dhcp = state::getBool(area, "ntp.from_dhcp", false);
  if (state::getBool(area, "ntp.set", false)) return state::getList(area, "ntp.server");
  return daemon.config->device.ntp_servers;
}

void setupDevice(daemon::DaemonState* daemon) {
  logHostActions(*daemon->config);
  TimeSettings t = timeSettings(*daemon);
  if (daemon->clock) daemon->clock->setOffsetSeconds(t.ntp ? 0 : t.offset_s);
  publishDiscovery(*daemon);
}

}  // namespace onvif::services::device
