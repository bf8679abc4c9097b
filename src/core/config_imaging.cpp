#include <algorithm>
#include <cctype>
#include <cmath>

#include "core/config_fields.hpp"

namespace onvif::core {
namespace {

// The adjustable parameters the [imaging] section knows (the imaging model
// maps them to the ImagingSettings20 fields).
const char* const kLevels[] = {"brightness",
                               "color_saturation",
                               "contrast",
                               "sharpness",
                               "backlight_compensation_level",
                               "wide_dynamic_range_level",
                               "white_balance_cr_gain",
                               "white_balance_cb_gain",
                               "exposure_time",
                               "exposure_gain",
                               "focus_default_speed"};
const char* const kModes[] = {
    "ir_cut_filter", "backlight_compensation", "wide_dynamic_range", "white_balance", "exposure", "focus"};

bool parseFloat(const std::string& text, float* out) {
  errno = 0;
  char* end = nullptr;
  float v = strtof(text.c_str(), &end);
  if (text.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(v)) return false;
  *out = v;
  return true;
}

}  // namespace

// "MIN-MAX" of two decimal numbers (either may be negative: "-1-1"), MIN <= MAX.
bool parseFloatRange(const std::string& text, float* min, float* max) {
  std::size_t dash = text.find('-', 1);
  if (dash == std::string::npos) return false;
  return parseFloat(text.substr(0, dash), min) && parseFloat(text.substr(dash + 1), max) && *min <= *max;
}

void addImagingFields(FieldTable& t) {
  t["imaging.enabled"] = boolField(&Config::imaging, &ImagingConfig::enabled);
  for (const char* name : kLevels) {
    std::string n = name;
    t["imaging." + n] = [n](Config& c, const std::string& v, std::string* problem) {
      float f;
      if (!v.empty() && !parseFloat(v, &f)) return *problem = "expected a decimal number, or nothing", false;
      c.imaging.levels[n] = v;
      return true;
    };
    t["imaging." + n + "_range"] = [n](Config& c, const std::string& v, std::string* problem) {
      float lo, hi;
      if (!v.empty() && !parseFloatRange(v, &lo, &hi))
        return *problem = "expected MIN-MAX (decimal numbers, MIN <= MAX), or nothing to not offer it", false;
      c.imaging.ranges[n] = v;
      return true;
    };
  }
  for (const char* name : kModes) {
    std::string n = name;
    t["imaging." + n] = [n](Config& c, const std::string& v, std::string* problem) {
      if (v.size() > 32) return *problem = "longer than 32 characters", false;
      c.imaging.modes[n] = v;
      return true;
    };
    t["imaging." + n + "_modes"] = [n](Config& c, const std::string& v, std::string* problem) {
      for (char ch : v)
        if (!isalnum(static_cast<unsigned char>(ch)) && ch != ',' && ch != ' ' && ch != '_')
          return *problem = "expected a comma-separated list of modes such as ON, OFF, AUTO", false;
      c.imaging.mode_lists[n] = v;
      return true;
    };
  }
  t["imaging.focus_move"] = [](Config& c, const std::string& v, std::string* problem) {
    if (!listField(&Config::imaging, &ImagingConfig::focus_move, 3)(c, v, problem)) return false;
    for (const auto& kind : c.imaging.focus_move)
      if (kind != "absolute" && kind != "relative" && kind != "continuous")
        return *problem = "expected absolute, relative and/or continuous (got '" + kind + "')", false;
    return true;
  };
  t["imaging.focus_position_range"] = [](Config& c, const std::string& v, std::string* problem) {
    float lo, hi;
    if (!parseFloatRange(v, &lo, &hi))
      return *problem = "expected MIN-MAX (decimal numbers, MIN <= MAX)", false;
    c.imaging.focus_position_range = v;
    return true;
  };
  t["imaging.focus_speed_range"] = [](Config& c, const std::string& v, std::string* problem) {
    float lo, hi;
    if (!parseFloatRange(v, &lo, &hi) || lo <= 0)
      return *problem = "expected MIN-MAX (decimal numbers, 0 < MIN <= MAX)", false;
    c.imaging.focus_speed_range = v;
    return true;
  };
  t["imaging.ir_cut_auto_boundary_types"] = [](Config& c, const std::string& v, std::string* problem) {
    if (!listField(&Config::imaging, &ImagingConfig::ir_cut_auto_boundary_types, 3)(c, v, problem))
      return false;
    for (const auto& type : c.imaging.ir_cut_auto_boundary_types)
      if (type != "Common" && type != "ToOn" && type != "ToOff")
        return *problem = "expected Common, ToOn and/or ToOff (got '" + type + "')", false;
    return true;
  };
  t["imaging.ir_cut_auto_boundary_offset"] =
      boolField(&Config::imaging, &ImagingConfig::ir_cut_auto_boundary_offset);
  t["imaging.ir_cut_auto_response_time_range"] = [](Config& c, const std::string& v, std::string* problem) {
    float lo, hi;
    if (!v.empty() && (!parseFloatRange(v, &lo, &hi) || lo < 0 || hi > 86400))
      return *problem = "expected MIN-MAX in seconds (0 to 86400), or nothing to not offer it", false;
    c.imaging.ir_cut_auto_response_time_range = v;
    return true;
  };
  // Items are checked against the options when the imaging model is built.
  t["imaging.ir_cut_auto_adjustment"] =
      listField(&Config::imaging, &ImagingConfig::ir_cut_auto_adjustment, 3);
  for (int i = 0; i < ImagingConfig::kPresetSlots; ++i) {
    const std::string k = "imaging.preset" + std::to_string(i + 1) + ".";
    t[k + "token"] = [i](Config& c, const std::string& v, std::string* problem) {
      if (v.size() > 64 || v.find_first_of(" <>&\"'") != std::string::npos)
        return *problem = "expected a token of at most 64 characters without spaces or XML characters", false;
      c.imaging.presets[i].token = v;
      return true;
    };
    t[k + "type"] = [i](Config& c, const std::string& v, std::string* problem) {
      if (v.size() > 32) return *problem = "longer than 32 characters", false;
      c.imaging.presets[i].type = v;  // checked against timg:ImagingPresetType by the imaging model
      return true;
    };
    t[k + "name"] = [i](Config& c, const std::string& v, std::string* problem) {
      if (v.size() > 64) return *problem = "longer than 64 characters (tt:Name)", false;
      c.imaging.presets[i].name = v;
      return true;
    };
    t[k + "settings"] = [i](Config& c, const std::string& v, std::string* problem) {
      std::vector<std::string> items;
      std::size_t pos = 0;
      while (!v.empty() && pos <= v.size()) {
        std::size_t comma = std::min(v.find(',', pos), v.size());
        std::string item = v.substr(pos, comma - pos);
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        if (item.find('=') == std::string::npos || item.front() == '=')
          return *problem = "expected comma-separated NAME=VALUE items (got '" + item + "')", false;
        items.push_back(item);
        pos = comma + 1;
      }
      if (items.size() > 32) return *problem = "more than 32 items", false;
      c.imaging.presets[i].settings = std::move(items);
      return true;
    };
  }
  t["imaging.focus_position"] = [](Config& c, const std::string& v, std::string* problem) {
    float f;
    if (!parseFloat(v, &f)) return *problem = "expected a decimal number", false;
    c.imaging.focus_position = v;
    return true;
  };
}

}  // namespace onvif::core
