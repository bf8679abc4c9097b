#include "imaging/imaging_model.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "core/log.hpp"
#include "platform/run_command.hpp"

namespace onvif::imaging {
namespace {

using soap::ErrorKind;

// The modes each parameter may offer (tt:IrCutFilterMode,
// tt:BacklightCompensationMode, tt:WideDynamicMode, tt:WhiteBalanceMode,
// tt:ExposureMode, tt:AutoFocusMode).
struct ModeKind {
  const char* name;
  std::vector<std::string> allowed;
};
const ModeKind kModeKinds[] = {
    {"ir_cut_filter", {"ON", "OFF", "AUTO"}}, {"backlight_compensation", {"OFF", "ON"}},
    {"wide_dynamic_range", {"OFF", "ON"}},    {"white_balance", {"AUTO", "MANUAL"}},
    {"exposure", {"AUTO", "MANUAL"}},         {"focus", {"AUTO", "MANUAL"}},
};

// A level exists only in a mode that uses it (Imaging test specification,
// GetOptions consistency: no BacklightCompensation.Level with only OFF, no
// WhiteBalance gains with only AUTO, no Exposure.ExposureTime/Gain with only
// AUTO, no Focus.DefaultSpeed with only AUTO, no WDR Level with only OFF).
struct LevelNeed {
  const char* level;
  const char* mode;
  const char* enabling;
};
const LevelNeed kLevelNeeds[] = {
    {"backlight_compensation_level", "backlight_compensation", "ON"},
    {"wide_dynamic_range_level", "wide_dynamic_range", "ON"},
    {"white_balance_cr_gain", "white_balance", "MANUAL"},
    {"white_balance_cb_gain", "white_balance", "MANUAL"},
    {"exposure_time", "exposure", "MANUAL"},
    {"exposure_gain", "exposure", "MANUAL"},
    {"focus_default_speed", "focus", "MANUAL"},
};

std::vector<std::string> splitList(const std::string& text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t comma = text.find(',', pos);
    if (comma == std::string::npos) comma = text.size();
    std::string item = text.substr(pos, comma - pos);
    std::size_t b = item.find_first_not_of(' '), e = item.find_last_not_of(' ');
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
    pos = comma + 1;
  }
  return out;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string number(float v) {
  char buf[32];
  snprintf(buf, sizeof buf, "%g", static_cast<double>(v));
  return buf;
}

bool parseRange(const std::string& text, Range* out) {
  return core::parseFloatRange(text, &out->min, &out->max);
}

// timg:ImagingPresetType (imaging.wsdl).
const char* const kPresetTypes[] = {"Custom",
                                    "ClearWeather",
                                    "Cloudy",
                                    "Fog",
                                    "Rain",
                                    "Snowing",
                                    "Snow",
                                    "WDR",
                                    "Shade",
                                    "Night",
                                    "Indoor",
                                    "Fluorescent",
                                    "Incandescent",
                                    "Sodium(Natrium)",
                                    "Sunrise(Horizon)",
                                    "Sunset(Rear)",
                                    "ExtremeHot",
                                    "ExtremeCold",
                                    "Underwater",
                                    "CloseUp",
                                    "Motion",
                                    "FlickerFree50",
                                    "FlickerFree60"};

// "TYPE:OFFSET:RESPONSE_MS" (OFFSET, RESPONSE_MS may be empty), as stored.
std::string encodeAdjustment(const IrCutAutoAdjustment& a) {
  return a.boundary_type + ":" + (a.offset ? number(*a.offset) : "") + ":" +
         (a.response_ms ? std::to_string(*a.response_ms) : "");
}

// The reverse; `seconds`: RESPONSE in seconds (the configuration) instead of ms.
bool decodeAdjustment(const std::string& text, bool seconds, IrCutAutoAdjustment* out) {
  std::size_t a = text.find(':'), b = a == std::string::npos ? a : text.find(':', a + 1);
  if (b == std::string::npos || text.find(':', b + 1) != std::string::npos) return false;
  IrCutAutoAdjustment adj;
  adj.boundary_type = text.substr(0, a);
  const std::string offset = text.substr(a + 1, b - a - 1), response = text.substr(b + 1);
  char* end = nullptr;
  if (!offset.empty()) {
    float v = strtof(offset.c_str(), &end);
    if (*end != '\0' || !std::isfinite(v)) return false;
    adj.offset = v;
  }
  if (!response.empty()) {
    double v = strtod(response.c_str(), &end);
    if (*end != '\0' || !std::isfinite(v) || v < 0 || v > 86400000) return false;
    adj.response_ms = static_cast<long long>(std::llround(seconds ? v * 1000 : v));
  }
  *out = std::move(adj);
  return true;
}

// Imaging spec "IrCutFilterAutoAdjustment": each item within the options.
Status validateAdjustment(const IrCutAutoOptions& o, const std::vector<IrCutAutoAdjustment>& list) {
  if (o.boundary_types.empty())
    return Status::fail(ErrorKind::SettingsInvalid, "IrCutFilterAutoAdjustment is not adjustable");
  if (list.size() > o.boundary_types.size())
    return Status::fail(ErrorKind::SettingsInvalid,
                        "More IrCutFilterAutoAdjustment items than boundary types");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const IrCutAutoAdjustment& a = list[i];
    if (!contains(o.boundary_types, a.boundary_type))
      return Status::fail(ErrorKind::SettingsInvalid, "BoundaryType " + a.boundary_type + " is not offered");
    for (std::size_t j = 0; j < i; ++j)
      if (list[j].boundary_type == a.boundary_type)
        return Status::fail(ErrorKind::SettingsInvalid, "BoundaryType " + a.boundary_type + " given twice");
    if (a.offset && !o.offset)
      return Status::fail(ErrorKind::SettingsInvalid, "BoundaryOffset is not adjustable");
    if (a.offset && (!std::isfinite(*a.offset) || *a.offset < -1 || *a.offset > 1))
      return Status::fail(ErrorKind::SettingsInvalid, "BoundaryOffset is outside -1 to 1");
    if (a.response_ms && !o.response_ms)
      return Status::fail(ErrorKind::SettingsInvalid, "ResponseTime is not adjustable");
    if (a.response_ms && (*a.response_ms < o.response_ms->first || *a.response_ms > o.response_ms->second))
      return Status::fail(ErrorKind::SettingsInvalid, *a.response_ms < 0
                                                          ? "ResponseTime is not a duration"
                                                          : "ResponseTime is outside its range");
  }
  return {};
}

}  // namespace

std::string durationText(long long ms) {
  char buf[48];
  if (ms % 1000 == 0)
    snprintf(buf, sizeof buf, "PT%lldS", ms / 1000);
  else
    snprintf(buf, sizeof buf, "PT%lld.%03lldS", ms / 1000, ms % 1000);
  std::string out = buf;
  if (ms % 1000 != 0)
    while (out[out.size() - 2] == '0') out.erase(out.size() - 2, 1);  // PT0.250S -> PT0.25S
  return out;
}

const Preset* Description::findPreset(const std::string& token) const {
  for (const Preset& p : presets)
    if (p.token == token) return &p;
  return nullptr;
}

bool Description::offersMode(const std::string& name, const std::string& mode) const {
  auto it = modes.find(name);
  return it != modes.end() && contains(it->second, mode);
}

bool buildDescription(const core::Config& config, Description* out, std::string* error) {
  const core::ImagingConfig& c = config.imaging;
  Description d;
  d.video_source = config.media.video_source_token;
  d.apply_hook = config.media.apply_hook;
  d.apply_hook_timeout_ms = config.media.apply_hook_timeout_ms;
  for (const ModeKind& kind : kModeKinds) {
    auto list = c.mode_lists.find(kind.name);
    if (list == c.mode_lists.end() || list->second.empty()) continue;
    std::vector<std::string> modes = splitList(list->second);
    for (const std::string& m : modes)
      if (!contains(kind.allowed, m))
        return *error = std::string("imaging.") + kind.name + "_modes: '" + m +
                        "' is not a mode of this parameter",
               false;
    auto current = c.modes.find(kind.name);
    std::string mode = current == c.modes.end() || current->second.empty() ? modes.front() : current->second;
    if (!contains(modes, mode))
      return *error =
                 std::string("imaging.") + kind.name + ": '" + mode + "' is not in " + kind.name + "_modes",
             false;
    d.modes[kind.name] = modes;
    d.initial.modes[kind.name] = mode;
  }
  for (const auto& [name, text] : c.ranges) {
    if (text.empty()) continue;
    Range r;
    if (!parseRange(text, &r)) return *error = "imaging." + name + "_range: expected MIN-MAX", false;
    auto value = c.levels.find(name);
    if (value == c.levels.end() || value->second.empty())
      return *error = "imaging." + name + ": a value is needed when " + name + "_range is set", false;
    float v = strtof(value->second.c_str(), nullptr);
    if (!r.contains(v))
      return *error = "imaging." + name + ": " + value->second + " is outside " + text, false;
    d.ranges[name] = r;
    d.initial.levels[name] = v;
  }
  for (const LevelNeed& need : kLevelNeeds)
    if (d.ranges.count(need.level) && !d.offersMode(need.mode, need.enabling))
      return *error = std::string("imaging.") + need.level + "_range: offered only with " + need.enabling +
                      " in " + need.mode + "_modes",
             false;
  // IR-cut filter AUTO adjustment: only with AUTO among the IR-cut modes.
  if (!c.ir_cut_auto_boundary_types.empty()) {
    if (!d.offersMode("ir_cut_filter", "AUTO"))
      return *error = "imaging.ir_cut_auto_boundary_types: offered only with AUTO in ir_cut_filter_modes",
             false;
    d.ir_cut_auto.boundary_types = c.ir_cut_auto_boundary_types;
    d.ir_cut_auto.offset = c.ir_cut_auto_boundary_offset;
    if (!c.ir_cut_auto_response_time_range.empty()) {
      Range r;
      if (!parseRange(c.ir_cut_auto_response_time_range, &r))
        return *error = "imaging.ir_cut_auto_response_time_range: expected MIN-MAX", false;
      d.ir_cut_auto.response_ms = std::make_pair(std::llround(r.min * 1000.0), std::llround(r.max * 1000.0));
    }
    std::vector<IrCutAutoAdjustment> initial;
    for (const std::string& item : c.ir_cut_auto_adjustment) {
      IrCutAutoAdjustment a;
      if (!decodeAdjustment(item, true, &a))
        return *error = "imaging.ir_cut_auto_adjustment: expected TYPE:OFFSET:SECONDS (got '" + item + "')",
               false;
      initial.push_back(a);
    }
    Status st = validateAdjustment(d.ir_cut_auto, initial);
    if (!st.ok) return *error = "imaging.ir_cut_auto_adjustment: " + st.detail, false;
    d.initial.ir_cut_auto = std::move(initial);
  } else if (!c.ir_cut_auto_adjustment.empty()) {
    return *error = "imaging.ir_cut_auto_adjustment: set without ir_cut_auto_boundary_types", false;
  }
  // Imaging presets: each a partial update within the options.
  for (int i = 0; i < core::ImagingConfig::kPresetSlots; ++i) {
    const core::ImagingPresetConfig& pc = c.presets[i];
    const std::string key = "imaging.preset" + std::to_string(i + 1) + ".";
    if (pc.token.empty()) continue;
    if (d.findPreset(pc.token)) return *error = key + "token: '" + pc.token + "' is used twice", false;
    if (std::find_if(std::begin(kPresetTypes), std::end(kPresetTypes),
                     [&](const char* t) { return pc.type == t; }) == std::end(kPresetTypes))
      return *error =
                 key + "type: '" + pc.type + "' is not an ImagingPresetType (e.g. Custom, Night, Indoor)",
             false;
    Preset p{pc.token, pc.type, pc.name.empty() ? pc.token : pc.name, {}};
    for (const std::string& item : pc.settings) {
      const std::string name = item.substr(0, item.find('=')), value = item.substr(item.find('=') + 1);
      if (d.modes.count(name)) {
        p.settings.modes[name] = value;
      } else {
        char* end = nullptr;
        float v = strtof(value.c_str(), &end);
        if (value.empty() || *end != '\0')
          return *error = key + "settings: " + name + " is neither an offered mode nor a level with a number",
                 false;
        p.settings.levels[name] = v;
      }
    }
    Status st = validate(d, p.settings);
    if (!st.ok) return *error = key + "settings: " + st.detail, false;
    d.presets.push_back(std::move(p));
  }
  for (const std::string& kind : c.focus_move) {
    d.absolute |= kind == "absolute";
    d.relative |= kind == "relative";
    d.continuous |= kind == "continuous";
  }
  if (!parseRange(c.focus_position_range, &d.position))
    return *error = "imaging.focus_position_range: expected MIN-MAX", false;
  if (!parseRange(c.focus_speed_range, &d.speed))
    return *error = "imaging.focus_speed_range: expected MIN-MAX", false;
  d.start_position = strtof(c.focus_position.c_str(), nullptr);
  if (!d.position.contains(d.start_position))
    return *error = "imaging.focus_position: outside focus_position_range", false;
  if (d.hasMotor() && !d.offersMode("focus", "MANUAL"))
    return *error = "imaging.focus_move: a focus motor needs MANUAL in focus_modes", false;
  *out = std::move(d);
  return true;
}

Status validate(const Description& d, const Settings& partial) {
  for (const auto& [name, value] : partial.levels) {
    auto r = d.ranges.find(name);
    if (r == d.ranges.end()) return Status::fail(ErrorKind::SettingsInvalid, name + " is not adjustable");
    if (!std::isfinite(value) || !r->second.contains(value))
      return Status::fail(ErrorKind::SettingsInvalid, name + " " + number(value) + " is outside " +
                                                          number(r->second.min) + " to " +
                                                          number(r->second.max));
  }
  for (const auto& [name, mode] : partial.modes)
    if (!d.offersMode(name, mode))
      return Status::fail(ErrorKind::SettingsInvalid, name + " " + mode + " is not offered");
  if (partial.ir_cut_auto) return validateAdjustment(d.ir_cut_auto, *partial.ir_cut_auto);
  return {};
}

Settings merged(const Settings& current, const Settings& partial) {
  Settings out = current;
  for (const auto& [k, v] : partial.levels) out.levels[k] = v;
  for (const auto& [k, v] : partial.modes) out.modes[k] = v;
  if (partial.ir_cut_auto) out.ir_cut_auto = partial.ir_cut_auto;
  return out;
}

state::Section encode(const Settings& s) {
  state::Section section;
  for (const auto& [k, v] : s.levels) section["level." + k] = number(v);
  for (const auto& [k, v] : s.modes) section["mode." + k] = v;
  if (s.ir_cut_auto) {
    std::string items;
    for (const IrCutAutoAdjustment& a : *s.ir_cut_auto)
      items += (items.empty() ? "" : ",") + encodeAdjustment(a);
    section["ir_cut_auto"] = items;
  }
  return section;
}

Settings decode(const Description& d, const state::Section& section) {
  Settings s = d.initial;
  for (const auto& [name, range] : d.ranges) {
    auto it = section.find("level." + name);
    if (it == section.end()) continue;
    char* end = nullptr;
    float v = strtof(it->second.c_str(), &end);
    if (!it->second.empty() && *end == '\0' && range.contains(v)) s.levels[name] = v;
  }
  for (const auto& [name, modes] : d.modes) {
    auto it = section.find("mode." + name);
    if (it != section.end() && contains(modes, it->second)) s.modes[name] = it->second;
  }
  auto stored = section.find("ir_cut_auto");
  if (stored != section.end() && !d.ir_cut_auto.boundary_types.empty()) {
    std::vector<IrCutAutoAdjustment> list;
    bool ok = true;
    for (const std::string& item : splitList(stored->second)) {
      IrCutAutoAdjustment a;
      ok = ok && decodeAdjustment(item, false, &a);
      list.push_back(a);
    }
    if (ok && validateAdjustment(d.ir_cut_auto, list).ok) s.ir_cut_auto = std::move(list);
  }
  return s;
}

Status runApplyHook(const Description& d, const Settings& s) {
  if (d.apply_hook.empty()) return {};
  std::vector<std::string> argv{d.apply_hook, "imaging", d.video_source};
  for (const auto& [k, v] : s.modes) argv.push_back(k + "=" + v);
  for (const auto& [k, v] : s.levels) argv.push_back(k + "=" + number(v));
  if (s.ir_cut_auto) {
    // ir_cut_auto=TYPE:OFFSET:RESPONSE,... (RESPONSE an xs:duration; empty parts: not set)
    std::string items;
    for (const IrCutAutoAdjustment& a : *s.ir_cut_auto)
      items += (items.empty() ? "" : ",") + a.boundary_type + ":" + (a.offset ? number(*a.offset) : "") +
               ":" + (a.response_ms ? durationText(*a.response_ms) : "");
    argv.push_back("ir_cut_auto=" + items);
  }
  platform::CommandResult r = platform::runCommand(argv, d.apply_hook_timeout_ms);
  if (r.ok) return {};
  LOG_WARN("imaging apply hook %s: %s", d.apply_hook.c_str(), r.problem.c_str());
  return Status::fail(ErrorKind::ActionFailed, "The device could not apply the imaging settings");
}

ImagingModel::ImagingModel(Description description, state::SettingsStore* store, HookRunner hook)
    : description_(std::move(description)),
      store_(store),
      hook_(std::move(hook)),
      settings_(description_.initial),
      motor_(description_.position.min, description_.position.max, description_.start_position) {}

void ImagingModel::load() {
  const bool stored = store_ && store_->has(kSettingsArea);
  const state::Section section = stored ? store_->get(kSettingsArea) : state::Section{};
  Settings loaded = stored ? decode(description_, section) : description_.initial;
  auto preset = section.find("preset");
  std::lock_guard<std::mutex> lock(state_mutex_);
  settings_ = std::move(loaded);
  preset_ = preset != section.end() && description_.findPreset(preset->second) ? preset->second : "";
}

Settings ImagingModel::settings() const {
  std::lock_guard<std::mutex> lock(state_mutex_);
  return settings_;
}

Status ImagingModel::set(const Settings& partial) {
  return update(partial, nullptr);
}

Status ImagingModel::applyPreset(const std::string& token) {
  const Preset* p = description_.findPreset(token);
  if (!p) return Status::fail(ErrorKind::NoToken, "The requested imaging preset does not exist");
  return update(p->settings, &token);
}

const Preset* ImagingModel::currentPreset() const {
  std::lock_guard<std::mutex> lock(state_mutex_);
  const Preset* p = description_.findPreset(preset_);
  if (!p) return nullptr;
  // Imaging spec "GetCurrentPreset": empty when the settings no longer match it.
  for (const auto& [k, v] : p->settings.levels) {
    auto it = settings_.levels.find(k);
    if (it == settings_.levels.end() || it->second != v) return nullptr;
  }
  for (const auto& [k, v] : p->settings.modes) {
    auto it = settings_.modes.find(k);
    if (it == settings_.modes.end() || it->second != v) return nullptr;
  }
  return p;
}

Status ImagingModel::update(const Settings& partial, const std::string* preset) {
  Status st = validate(description_, partial);
  if (!st.ok) return st;
  std::lock_guard<std::mutex> serial(update_mutex_);
  Settings next = merged(settings(), partial);
  std::string nextPreset;
  {
    std::lock_guard<std::mutex> lock(state_mutex_);
    nextPreset = preset ? *preset : preset_;
  }
  st = hook_(description_, next);
  if (!st.ok) return st;
  if (store_) {
    std::string error;
    state::Section section = encode(next);
    if (!nextPreset.empty()) section["preset"] = nextPreset;
    if (!store_->put(kSettingsArea, section, &error)) {
      LOG_ERROR("imaging: cannot persist the settings: %s", error.c_str());
      return Status::fail(ErrorKind::ActionFailed, "The settings could not be stored");
    }
  }
  std::lock_guard<std::mutex> lock(state_mutex_);
  settings_ = std::move(next);
  preset_ = std::move(nextPreset);
  return {};
}

Status ImagingModel::move(MoveKind kind, float value, std::optional<float> speed) {
  const Description& d = description_;
  bool offered = kind == MoveKind::Absolute   ? d.absolute
                 : kind == MoveKind::Relative ? d.relative
                                              : d.continuous;
  if (!offered)
    return Status::fail(ErrorKind::ActionNotSupported, "This kind of focus move is not supported");
  if (!std::isfinite(value)) return Status::fail(ErrorKind::SettingsInvalid, "Not a number");
  float span = d.position.max - d.position.min;
  if (kind == MoveKind::Absolute && !d.position.contains(value))
    return Status::fail(ErrorKind::SettingsInvalid, "Position outside the focus range");
  if (kind == MoveKind::Relative && std::fabs(value) > span)
    return Status::fail(ErrorKind::SettingsInvalid, "Distance outside the focus range");
  if (kind == MoveKind::Continuous && std::fabs(value) > d.speed.max)
    return Status::fail(ErrorKind::SettingsInvalid, "Speed outside the focus speed range");
  if (speed && (!std::isfinite(*speed) || !d.speed.contains(*speed)))
    return Status::fail(ErrorKind::SettingsInvalid, "Speed outside the focus speed range");
  // Imaging spec "Move": focus adjustments through this operation turn off the autofocus.
  Settings current = settings();
  if (current.modes.count("focus") && current.modes["focus"] != "MANUAL") {
    Status st = set(Settings{{}, {{"focus", "MANUAL"}}});
    if (!st.ok) return st;
  }
  float s = speed ? *speed : d.speed.max;
  if (!speed && current.levels.count("focus_default_speed"))
    s = std::clamp(current.levels["focus_default_speed"], d.speed.min, d.speed.max);
  auto now = FocusMotor::Clock::now();
  if (kind == MoveKind::Absolute)
    motor_.moveTo(value, s, now);
  else if (kind == MoveKind::Relative)
    motor_.moveTo(motor_.state(now).position + value, s, now);
  else
    motor_.moveContinuous(value, now);
  return {};
}

Status ImagingModel::stop() {
  motor_.stop(FocusMotor::Clock::now());
  return {};
}

FocusState ImagingModel::focus() const {
  return motor_.state(FocusMotor::Clock::now());
}

std::unique_ptr<ImagingModel> setupImaging(const core::Config& config, state::SettingsStore* store,
                                           std::string* error) {
  error->clear();
  if (!config.imaging.enabled) return nullptr;
  Description d;
  if (!buildDescription(config, &d, error)) return nullptr;
  auto model = std::make_unique<ImagingModel>(std::move(d), store);
  model->load();
  return model;
}

}  // namespace onvif::imaging
