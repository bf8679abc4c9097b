#include <cctype>
#include <cmath>

#include "core/config_fields.hpp"

namespace onvif::core {
namespace {

// The adjustable parameters the [imaging] section knows (the imaging model
// maps them to the ImagingSettings20 fields).
const char* const kLevels[] = {"brightness", "color_saturation", "contrast", "sharpness",
                               "backlight_compensation_level", "wide_dynamic_range_level",
                               "white_balance_cr_gain", "white_balance_cb_gain", "exposure_time",
                               "exposure_gain", "focus_default_speed"};
const char* const kModes[] = {"ir_cut_filter", "backlight_compensation", "wide_dynamic_range",
                              "white_balance", "exposure", "focus"};

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
    if (!parseFloatRange(v, &lo, &hi)) return *problem = "expected MIN-MAX (decimal numbers, MIN <= MAX)", false;
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
  t["imaging.focus_position"] = [](Config& c, const std::string& v, std::string* problem) {
    float f;
    if (!parseFloat(v, &f)) return *problem = "expected a decimal number", false;
    c.imaging.focus_position = v;
    return true;
  };
}

}  // namespace onvif::core
