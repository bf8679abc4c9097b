#pragma once
// [ptz]: the camera's PTZ node as the PTZ service describes it (keys in
// config_ptz.cpp, documented in default_config.cpp). Angles in degrees,
// speeds at the fastest the head moves.
#include <string>
#include <vector>

namespace onvif::core {

struct PtzConfig {
  bool enabled = false;  // false: no PTZ node, the PTZ service is not offered
  std::string node_token = "PTZNode_1";
  std::string node_name = "PTZNode_1";
  std::string configuration_token = "PTZConfig_1";
  std::string configuration_name = "PTZConfig_1";
  std::vector<std::string> profiles;  // fixed profiles holding the configuration at first; empty: all
  bool absolute = true;               // move kinds the head supports
  bool relative = true;
  bool continuous = true;
  bool zoom = true;
  double pan_min_deg = -180, pan_max_deg = 180;
  double tilt_min_deg = -90, tilt_max_deg = 0;
  double pan_speed_deg_s = 120;  // fastest pan (generic speed 1)
  double tilt_speed_deg_s = 60;
  double zoom_time_s = 4;  // wide to tele at the fastest zoom
  // Field of view at zoom 0 and the optical zoom ratio (tele = wide / ratio):
  // they make the TranslationSpaceFov relative space; fov_horizontal_deg 0: no FOV space.
  double fov_horizontal_deg = 60, fov_vertical_deg = 34, zoom_ratio = 10;
  double default_pan_tilt_speed = 0.5;  // DefaultPTZSpeed, generic speed space
  double default_zoom_speed = 0.5;
  int default_timeout_s = 10;  // DefaultPTZTimeout of continuous moves
  int max_timeout_s = 60;      // PTZTimeout range: 1 s .. this
  int max_presets = 16;
  bool home_supported = true;
  bool fixed_home = false;                      // FixedHomePosition: SetHomePosition refused
  std::string home = "0,0,0";                   // generic pan, tilt, zoom
  std::vector<std::string> auxiliary_commands;  // e.g. tt:Wiper|On
  bool eflip = false, reverse = false;          // EFlip / Reverse modes configurable
  // Firmware connection (docs/ptz.md). Empty hooks: the head is simulated.
  std::string hook_move;               // run for every move and stop
  std::string hook_auxiliary;          // run for SendAuxiliaryCommand
  std::string hook_status;             // run by GetStatus: prints "PAN TILT ZOOM PT_STATE ZOOM_STATE"
  std::string position = "simulated";  // simulated | reported (control socket / status hook)
  int hook_timeout_ms = 2000;
};

}  // namespace onvif::core
