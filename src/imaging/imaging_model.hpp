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

// Parameter names are those of the [imaging] keys: levels such as
// "brightness" or "white_balance_cr_gain", modes such as "ir_cut_filter".
struct Settings {
  std::map<std::string, float> levels;
  std::map<std::string, std::string> modes;
  bool operator==(const Settings& o) const { return levels == o.levels && modes == o.modes; }
};

struct Description {
  std::string video_source;                                // the media video source token
  std::map<std::string, Range> ranges;                     // offered levels
  std::map<std::string, std::vector<std::string>> modes;   // offered modes
  Settings initial;                                        // before any client changed anything
  bool absolute = false, relative = false, continuous = false;  // focus Move kinds
  Range position, speed;                                   // focus motor
  float start_position = 0;
  std::string apply_hook;  // [media] apply_hook: argv = hook, "imaging", source, key=value...
  int apply_hook_timeout_ms = 5000;

  bool hasMotor() const { return absolute || relative || continuous; }
  bool offersMode(const std::string& name, const std::string& mode) const;
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
  // Focus Move: value is the position (absolute), distance (relative) or
  // signed speed (continuous); speed applies to absolute and relative.
  // Moving the lens turns autofocus off (Imaging spec "Move").
  Status move(MoveKind kind, float value, std::optional<float> speed);
  Status stop();
  FocusState focus() const;

 private:
  const Description description_;
  state::SettingsStore* store_;
  HookRunner hook_;
  std::mutex update_mutex_;         // one change at a time (held across the hook)
  mutable std::mutex state_mutex_;  // guards settings_
  Settings settings_;
  FocusMotor motor_;
};

// nullptr with an empty error when [imaging] enabled is false.
std::unique_ptr<ImagingModel> setupImaging(const core::Config& config, state::SettingsStore* store,
                                           std::string* error);

}  // namespace onvif::imaging
