#pragma once
// The Imaging service's model, free of gSOAP types: what the sensor lets
// clients adjust (Description, built from [imaging]), the current settings
// (levels and modes by parameter name), and the focus motor. Every change
// follows one path: merge the request into a copy, check the copy against
// the description, run the apply hook, persist (settings area "imaging"),
// then make it current. A failure at any step changes nothing.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/config.hpp"
#include "imaging/focus_motor.hpp"
#include "soap/faults.hpp"
#include "state/settings_store.hpp"

namespace onvif::imaging {

constexpr const char* kSettingsArea = "imaging";

struct Range {
  float min = 0, max = 0;
  bool contains(float v) const { return v >= min && v <= max; }
};

// One item of the IR-cut filter's AUTO adjustment (Imaging spec
// "IrCutFilterAutoAdjustment"): which boundary it applies to (Common, ToOn,
// ToOff), the boundary exposure offset (-1 to 1) and the delay before the
// filter toggles; the optional parts may be absent.
struct IrCutAutoAdjustment {
  std::string boundary_type;
  std::optional<float> offset;
  std::optional<long long> response_ms;  // -1: the request's ResponseTime was no duration
  bool operator==(const IrCutAutoAdjustment& o) const {
    return boundary_type == o.boundary_type && offset == o.offset && response_ms == o.response_ms;
  }
};

// Parameter names are those of the [imaging] keys: levels such as
// "brightness" or "white_balance_cr_gain", modes such as "ir_cut_filter".
// ir_cut_auto: the whole adjustment list (a request that has one replaces it).
struct Settings {
  std::map<std::string, float> levels;
  std::map<std::string, std::string> modes;
  std::optional<std::vector<IrCutAutoAdjustment>> ir_cut_auto =
      std::nullopt;  // Settings{levels, modes} needs no third part
  bool operator==(const Settings& o) const {
    return levels == o.levels && modes == o.modes && ir_cut_auto == o.ir_cut_auto;
  }
};

// What the AUTO adjustment offers (empty boundary_types: nothing).
struct IrCutAutoOptions {
  std::vector<std::string> boundary_types;
  bool offset = false;                                         // BoundaryOffset may be set
  std::optional<std::pair<long long, long long>> response_ms;  // ResponseTime range
};

// An imaging preset (Imaging spec "Imaging Presets"): the manufacturer's
// settings for a kind of scene, applied as a partial update.
struct Preset {
  std::string token, type, name;  // type: a timg:ImagingPresetType
  Settings settings;
};

struct Description {
  std::string video_source;                                     // the media video source token
  std::map<std::string, Range> ranges;                          // offered levels
  std::map<std::string, std::vector<std::string>> modes;        // offered modes
  IrCutAutoOptions ir_cut_auto;                                 // with AUTO in the ir_cut_filter modes
  std::vector<Preset> presets;                                  // [imaging] presetN.*
  Settings initial;                                             // before any client changed anything
  bool absolute = false, relative = false, continuous = false;  // focus Move kinds
  Range position, speed;                                        // focus motor
  float start_position = 0;
  std::string apply_hook;  // [media] apply_hook: argv = hook, "imaging", source, key=value...
  int apply_hook_timeout_ms = 5000;

  bool hasMotor() const { return absolute || relative || continuous; }
  bool offersMode(const std::string& name, const std::string& mode) const;
  const Preset* findPreset(const std::string& token) const;
};

struct Status {
  bool ok = true;
  soap::ErrorKind kind = soap::ErrorKind::ActionFailed;
  std::string detail;
  static Status fail(soap::ErrorKind k, std::string d = {}) { return {false, k, std::move(d)}; }
};

enum class MoveKind { Absolute, Relative, Continuous };

// Builds the description from [imaging] (and the media video source and
// apply hook); false with a message naming the key when values do not fit
// together (a current value outside its range or modes, a level whose mode
// cannot enable it, ...).
bool buildDescription(const core::Config& config, Description* out, std::string* error);

// Checks a partial update: every parameter it names must be offered and its
// value within the options (else ter:SettingsInvalid).
Status validate(const Description& description, const Settings& partial);
// The partial update over the current settings.
Settings merged(const Settings& current, const Settings& partial);

// Settings as settings-store keys and back; stored values that no longer fit
// the description fall back to its initial ones.
state::Section encode(const Settings& settings);
Settings decode(const Description& description, const state::Section& section);

// xs:duration text of a whole number of milliseconds ("PT5S", "PT0.25S").
std::string durationText(long long ms);

using HookRunner = std::function<Status(const Description& description, const Settings& settings)>;
Status runApplyHook(const Description& description, const Settings& settings);

class ImagingModel {
 public:
  ImagingModel(Description description, state::SettingsStore* store, HookRunner hook = runApplyHook);

  void load();  // the stored settings over the initial ones
  const Description& description() const { return description_; }
  Settings settings() const;

  // SetImagingSettings: partial update (parameters left out keep their values).
  Status set(const Settings& partial);
  // SetCurrentPreset: the preset's settings as a partial update; an unknown
  // token -> ter:NoToken. The preset is remembered (and persisted).
  Status applyPreset(const std::string& token);
  // GetCurrentPreset: the preset last applied while the settings still
  // match it; nullptr when none was applied or a setting it made changed.
  const Preset* currentPreset() const;
  // Focus Move: value is the position (absolute), distance (relative) or
  // signed speed (continuous); speed applies to absolute and relative.
  // Moving the lens turns autofocus off (Imaging spec "Move").
  Status move(MoveKind kind, float value, std::optional<float> speed);
  Status stop();
  FocusState focus() const;

 private:
  Status update(const Settings& partial, const std::string* preset);

  const Description description_;
  state::SettingsStore* store_;
  HookRunner hook_;
  std::mutex update_mutex_;         // one change at a time (held across the hook)
  mutable std::mutex state_mutex_;  // guards settings_
  Settings settings_;
  std::string preset_;  // token of the preset last applied, or empty
  FocusMotor motor_;
};

// nullptr with an empty error when [imaging] enabled is false.
std::unique_ptr<ImagingModel> setupImaging(const core::Config& config, state::SettingsStore* store,
                                           std::string* error);

}  // namespace onvif::imaging
