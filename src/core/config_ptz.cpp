#include <cmath>
#include <cstdlib>

#include "core/config_fields.hpp"

namespace onvif::core {
namespace {

Setter realField(double PtzConfig::*member, double min, double max) {
  return [=](Config& c, const std::string& v, std::string* problem) {
    char* end = nullptr;
    errno = 0;
    double d = strtod(v.c_str(), &end);
    if (v.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(d) || d < min || d > max) {
      *problem = "expected a number from " + std::to_string(min) + " to " + std::to_string(max);
      return false;
    }
    c.ptz.*member = d;
    return true;
  };
}

// Hooks are exec'd with an argument vector, never through a shell or PATH.
Setter hookField(std::string PtzConfig::*member) {
  return [=](Config& c, const std::string& v, std::string* problem) {
    if (!v.empty() && (v[0] != '/' || v.size() > 4096)) {
      *problem = "expected an absolute path to an executable, or nothing";
      return false;
    }
    c.ptz.*member = v;
    return true;
  };
}

}  // namespace

void addPtzFields(FieldTable& t) {
  auto P = &Config::ptz;
  t["ptz.enabled"] = boolField(P, &PtzConfig::enabled);
  t["ptz.node_token"] = textField(P, &PtzConfig::node_token, 64);
  t["ptz.node_name"] = textField(P, &PtzConfig::node_name, 64);
  t["ptz.configuration_token"] = textField(P, &PtzConfig::configuration_token, 64);
  t["ptz.configuration_name"] = textField(P, &PtzConfig::configuration_name, 64);
  t["ptz.profiles"] = listField(P, &PtzConfig::profiles, 8);
  t["ptz.absolute"] = boolField(P, &PtzConfig::absolute);
  t["ptz.relative"] = boolField(P, &PtzConfig::relative);
  t["ptz.continuous"] = boolField(P, &PtzConfig::continuous);
  t["ptz.zoom"] = boolField(P, &PtzConfig::zoom);
  t["ptz.pan_min_deg"] = realField(&PtzConfig::pan_min_deg, -360, 360);
  t["ptz.pan_max_deg"] = realField(&PtzConfig::pan_max_deg, -360, 360);
  t["ptz.tilt_min_deg"] = realField(&PtzConfig::tilt_min_deg, -180, 180);
  t["ptz.tilt_max_deg"] = realField(&PtzConfig::tilt_max_deg, -180, 180);
  t["ptz.pan_speed_deg_s"] = realField(&PtzConfig::pan_speed_deg_s, 0.1, 3600);
  t["ptz.tilt_speed_deg_s"] = realField(&PtzConfig::tilt_speed_deg_s, 0.1, 3600);
  t["ptz.zoom_time_s"] = realField(&PtzConfig::zoom_time_s, 0.05, 600);
  t["ptz.fov_horizontal_deg"] = realField(&PtzConfig::fov_horizontal_deg, 0, 360);
  t["ptz.fov_vertical_deg"] = realField(&PtzConfig::fov_vertical_deg, 0, 180);
  t["ptz.zoom_ratio"] = realField(&PtzConfig::zoom_ratio, 1, 1000);
  t["ptz.default_pan_tilt_speed"] = realField(&PtzConfig::default_pan_tilt_speed, 0.01, 1);
  t["ptz.default_zoom_speed"] = realField(&PtzConfig::default_zoom_speed, 0.01, 1);
  t["ptz.default_timeout_s"] = numberField(P, &PtzConfig::default_timeout_s, 1, 3600);
  t["ptz.max_timeout_s"] = numberField(P, &PtzConfig::max_timeout_s, 1, 3600);
  t["ptz.max_presets"] = numberField(P, &PtzConfig::max_presets, 0, 256);
  t["ptz.home_supported"] = boolField(P, &PtzConfig::home_supported);
  t["ptz.fixed_home"] = boolField(P, &PtzConfig::fixed_home);
  t["ptz.home"] = textField(P, &PtzConfig::home, 64);
  t["ptz.auxiliary_commands"] = listField(P, &PtzConfig::auxiliary_commands, 16);
  t["ptz.eflip"] = boolField(P, &PtzConfig::eflip);
  t["ptz.reverse"] = boolField(P, &PtzConfig::reverse);
  t["ptz.hook_move"] = hookField(&PtzConfig::hook_move);
  t["ptz.hook_auxiliary"] = hookField(&PtzConfig::hook_auxiliary);
  t["ptz.hook_status"] = hookField(&PtzConfig::hook_status);
  t["ptz.position"] = [](Config& c, const std::string& v, std::string* problem) {
    if (v != "simulated" && v != "reported") {
      *problem = "expected simulated or reported";
      return false;
    }
    c.ptz.position = v;
    return true;
  };
  t["ptz.hook_timeout_ms"] = numberField(P, &PtzConfig::hook_timeout_ms, 100, 60000);
}

}  // namespace onvif::core
