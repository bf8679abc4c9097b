#include "core/config_fields.hpp"
#include "core/posix_tz.hpp"
#include "core/validate.hpp"

namespace onvif::core {
namespace {

// A hook is empty (none) or an absolute path: hooks are exec'd, never run
// through a shell or looked up in PATH.
Setter hookField(std::string DeviceConfig::*member) {
  return [=](Config& c, const std::string& v, std::string* problem) {
    if (!v.empty() && (v[0] != '/' || v.size() > 4096)) {
      *problem = "expected an absolute path to an executable, or nothing";
      return false;
    }
    c.device.*member = v;
    return true;
  };
}

}  // namespace

void addDeviceFields(FieldTable& t) {
  auto D = &Config::device;
  t["device.manufacturer"] = textField(D, &DeviceConfig::manufacturer, 64);
  t["device.model"] = textField(D, &DeviceConfig::model, 64);
  t["device.firmware_version"] = textField(D, &DeviceConfig::firmware_version, 64);
  t["device.serial_number"] = textField(D, &DeviceConfig::serial_number, 64);
  t["device.hardware_id"] = textField(D, &DeviceConfig::hardware_id, 64);
  t["device.name"] = textField(D, &DeviceConfig::name, 64);
  t["device.location"] = textField(D, &DeviceConfig::location, 128);
  t["device.name_location_fixed"] = boolField(D, &DeviceConfig::name_location_fixed);
  t["device.extra_scopes"] = [list = listField(D, &DeviceConfig::extra_scopes, 16)](
                                 Config& c, const std::string& v, std::string* problem) {
    if (!list(c, v, problem)) return false;
    for (const std::string& scope : c.device.extra_scopes) {
      if (!isScopeUri(scope)) {
        *problem = "not a scope URI: " + scope;
        return false;
      }
    }
    return true;
  };
  t["device.max_scopes"] = numberField(D, &DeviceConfig::max_scopes, 8, 256);
  t["device.timezone"] = [](Config& c, const std::string& v, std::string* problem) {
    PosixTz tz;
    if (!parsePosixTz(v, &tz)) {
      *problem = "expected a POSIX TZ string such as UTC0 or CET-1CEST,M3.5.0,M10.5.0/3";
      return false;
    }
    c.device.timezone = v;
    return true;
  };
  t["device.ntp_servers"] = listField(D, &DeviceConfig::ntp_servers, 8);
  t["device.system_log"] = textField(D, &DeviceConfig::system_log, 4096);
  t["device.rtsp_port"] = numberField(D, &DeviceConfig::rtsp_port, 0, 65535);
  t["device.relay_outputs"] = listField(D, &DeviceConfig::relay_outputs, 16);
  t["device.auxiliary_commands"] = listField(D, &DeviceConfig::auxiliary_commands, 32);
  t["device.host"] = [](Config& c, const std::string& v, std::string* problem) {
    if (v != "simulated" && v != "real") {
      *problem = "expected simulated or real";
      return false;
    }
    c.device.host = v == "real" ? DeviceConfig::Host::Real : DeviceConfig::Host::Simulated;
    return true;
  };
  t["device.hook_clock"] = hookField(&DeviceConfig::hook_clock);
  t["device.hook_hostname"] = hookField(&DeviceConfig::hook_hostname);
  t["device.hook_dns"] = hookField(&DeviceConfig::hook_dns);
  t["device.hook_ntp"] = hookField(&DeviceConfig::hook_ntp);
  t["device.hook_network"] = hookField(&DeviceConfig::hook_network);
  t["device.hook_gateway"] = hookField(&DeviceConfig::hook_gateway);
  t["device.hook_protocols"] = hookField(&DeviceConfig::hook_protocols);
  t["device.hook_reboot"] = hookField(&DeviceConfig::hook_reboot);
  t["device.hook_factory_default"] = hookField(&DeviceConfig::hook_factory_default);
  t["device.hook_relay"] = hookField(&DeviceConfig::hook_relay);
  t["device.hook_auxiliary"] = hookField(&DeviceConfig::hook_auxiliary);
  t["device.hook_digital_input"] = hookField(&DeviceConfig::hook_digital_input);
  t["device.hook_timeout_ms"] = numberField(D, &DeviceConfig::hook_timeout_ms, 100, 600000);
}

}  // namespace onvif::core
