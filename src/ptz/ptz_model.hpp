#pragma once
// The PTZ node, free of gSOAP types: what the head can do (Node, fixed from
// [ptz]), what clients may change (Configuration, presets, home position;
// persisted in the settings store, area "ptz"), and where the head is
// (a simulated head computed from timestamps, or the position the firmware
// reports). Moves are checked against the node's spaces, then handed to the
// firmware's move hook (a failing hook changes nothing), then applied.
// GotoPreset publishes the PTZ spec's preset events (PTZPresets/Invoked,
// then Reached or Aborted, after Reached Left when the head moves away).
// Everything is in the generic spaces inside: pan and tilt -1..1, zoom 0..1.
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "events/event_sink.hpp"
#include "platform/timer.hpp"
#include "ptz/head.hpp"
#include "soap/faults.hpp"
#include "state/settings_store.hpp"

namespace onvif::ptz {

constexpr const char* kSettingsArea = "ptz";

// Outcome of a request; `kind` is meaningful when !ok.
struct Result {
  bool ok = true;
  soap::ErrorKind kind = soap::ErrorKind::ActionFailed;
  std::string detail;
  static Result fail(soap::ErrorKind k, std::string d = {}) { return {false, k, std::move(d)}; }
};

// The spaces of the PTZ spec, section "Predefined PTZ Spaces".
namespace spaces {
constexpr const char* kPanTiltPositionGeneric =
    "http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace";
constexpr const char* kPanTiltPositionDegrees =
    "http://www.onvif.org/ver10/tptz/PanTiltSpaces/SphericalPositionSpaceDegrees";
constexpr const char* kZoomPositionGeneric =
    "http://www.onvif.org/ver10/tptz/ZoomSpaces/PositionGenericSpace";
constexpr const char* kPanTiltTranslationGeneric =
    "http://www.onvif.org/ver10/tptz/PanTiltSpaces/TranslationGenericSpace";
constexpr const char* kPanTiltTranslationFov =
    "http://www.onvif.org/ver10/tptz/PanTiltSpaces/TranslationSpaceFov";
constexpr const char* kZoomTranslationGeneric =
    "http://www.onvif.org/ver10/tptz/ZoomSpaces/TranslationGenericSpace";
constexpr const char* kPanTiltVelocityGeneric =
    "http://www.onvif.org/ver10/tptz/PanTiltSpaces/VelocityGenericSpace";
constexpr const char* kZoomVelocityGeneric =
    "http://www.onvif.org/ver10/tptz/ZoomSpaces/VelocityGenericSpace";
constexpr const char* kPanTiltSpeedGeneric =
    "http://www.onvif.org/ver10/tptz/PanTiltSpaces/GenericSpeedSpace";
constexpr const char* kZoomSpeedGeneric = "http://www.onvif.org/ver10/tptz/ZoomSpaces/ZoomGenericSpeedSpace";
}  // namespace spaces

enum class SpaceKind {
  AbsolutePanTilt,
  AbsoluteZoom,
  RelativePanTilt,
  RelativeZoom,
  ContinuousPanTilt,
  ContinuousZoom,
  PanTiltSpeed,
  ZoomSpeed
};

struct Space {
  SpaceKind kind;
  std::string uri;
  double x_min, x_max, y_min = 0, y_max = 0;  // y: 2D spaces only
};

// What the head is and can do (from [ptz]).
struct Node {
  core::PtzConfig config;
  std::vector<Space> spaces;  // in the order GetNode lists them
  HeadPosition home;          // the configured home (fixed_home: the only one)
  // A real device ([device] host = real) without [ptz] hook_auxiliary
  // cannot carry out auxiliary commands: the node lists none and
  // SendAuxiliaryCommand is refused (ter:ActionNotSupported).
  bool auxiliary_refused = false;

  // The commands the node offers (GetNode's AuxiliaryCommands).
  const std::vector<std::string>& auxiliaryCommands() const;

  const Space* find(SpaceKind kind, const std::string& uri) const;
  const Space* first(SpaceKind kind) const;
  // Fastest motion in generic units per second.
  double panSpeed() const;
  double tiltSpeed() const;
  double zoomSpeed() const;
};

// What SetConfiguration may change.
struct Configuration {
  std::string name;
  std::string absolute_pan_tilt, absolute_zoom, relative_pan_tilt, relative_zoom, continuous_pan_tilt,
      continuous_zoom;  // default space URIs; empty: the node has none of that kind
  double pan_tilt_speed_x = 0.5, pan_tilt_speed_y = 0.5, zoom_speed = 0.5;  // DefaultPTZSpeed
  int timeout_s = 10;                                                       // DefaultPTZTimeout
  std::string eflip = "OFF", reverse = "OFF";                               // OFF, ON (AUTO not offered)
};

struct Preset {
  std::string token, name;
  HeadPosition position;
};

struct Status {
  HeadPosition position;
  bool pan_tilt_moving = false, zoom_moving = false;
  bool known = true;  // false: the firmware has not reported a position yet
  std::string error;  // why not known
};

// An axis pair or axis of a request, in the space named (empty: the
// configuration's default for that kind).
struct Vec2 {
  double x = 0, y = 0;
  std::string space;
};
struct Vec1 {
  double x = 0;
  std::string space;
};
struct Speed {
  std::optional<Vec2> pan_tilt;
  std::optional<Vec1> zoom;
};

// Runs the firmware's hook: argv = program, arguments. Replaceable in tests.
// Returns false with `error` set when the program failed or did not finish
// in time; `output` gets what it printed.
using HookRunner = std::function<bool(const std::vector<std::string>& argv, int timeout_ms,
                                      std::string* output, std::string* error)>;
bool runPtzHook(const std::vector<std::string>& argv, int timeout_ms, std::string* output,
                std::string* error);

// Seconds on the monotonic clock (replaceable in tests).
using Clock = std::function<double()>;
double monotonicSeconds();

// Checks [ptz] and builds the node; false with `error` naming the key.
bool buildNode(const core::PtzConfig& config, Node* node, std::string* error);

class PtzModel {
 public:
  PtzModel(Node node, state::SettingsStore* store, HookRunner hook = runPtzHook,
           Clock clock = monotonicSeconds);
  ~PtzModel();
  PtzModel(const PtzModel&) = delete;
  PtzModel& operator=(const PtzModel&) = delete;

  void load();  // configuration, presets and home from the settings store

  // Where the preset events go. watch: with the simulated head, a timer
  // publishes Reached at the expected arrival (tests call checkArrival
  // instead). stopEvents (and the destructor) stops and joins the timer;
  // call it before the sink goes away. Nothing is published after it.
  void setEvents(events::EventSink* events, bool watch = true);
  void stopEvents();
  // Publishes Reached if the simulated head has arrived at the invoked preset.
  void checkArrival();

  const Node& node() const { return node_; }
  Configuration configuration() const;
  Result setConfiguration(const Configuration& requested);

  Result continuousMove(const std::optional<Vec2>& pan_tilt, const std::optional<Vec1>& zoom,
                        std::optional<long long> timeout_ms);
  Result relativeMove(const std::optional<Vec2>& pan_tilt, const std::optional<Vec1>& zoom,
                      const Speed& speed);
  Result absoluteMove(const std::optional<Vec2>& pan_tilt, const std::optional<Vec1>& zoom,
                      const Speed& speed);
  Result stop(bool pan_tilt, bool zoom);
  Status status();

  std::vector<Preset> presets() const;
  // token: update that preset (NoToken if absent); nullptr: a new one.
  Result setPreset(const std::string* token, const std::string* name, std::string* token_out);
  Result removePreset(const std::string& token);
  Result gotoPreset(const std::string& token, const Speed& speed);
  Result gotoHome(const Speed& speed);
  Result setHome();
  Result auxiliary(const std::string& command, std::string* response);

  // The firmware's word on where the head is (control socket, status hook).
  void report(const HeadPosition& position, bool pan_tilt_moving, bool zoom_moving);

  // A generic position expressed in an absolute space of the node.
  double panTiltIn(const std::string& space, double generic, bool tilt) const;

 private:
  struct Target {
    std::optional<double> pan, tilt, zoom;
  };
  Result toGenericSpeed(const Speed& speed, const Configuration& cfg, double* pan, double* tilt,
                        double* zoom) const;
  Result moveTo(const Target& target, const Speed& speed, const char* why, const Preset* preset = nullptr);
  // The preset sequence after an accepted command (hook_mutex_ held):
  // Aborted for a preset move in progress, Left for a head leaving a
  // reached preset, Invoked for a new preset move.
  void commandAccepted(const Preset* preset);
  void publishLocked(const char* what);
  void arriveLocked(double now);
  void scheduleArrivalLocked(double now);
  void arrivalDue();
  Result runMoveHook(const std::vector<std::string>& args);
  bool simulated() const { return node_.config.position != "reported"; }
  Status statusLocked(double now) const;
  void refreshReported();
  bool persistLocked(const Configuration& cfg, const std::vector<Preset>& presets,
                     const std::optional<HeadPosition>& home, int next_preset, std::string* error);

  const Node node_;
  state::SettingsStore* store_;
  HookRunner hook_;
  Clock clock_;
  std::mutex hook_mutex_;     // one firmware command at a time (held across the hook)
  mutable std::mutex mutex_;  // the state below (never held across a hook)
  Configuration config_;
  std::vector<Preset> presets_;
  std::optional<HeadPosition> home_;  // set by SetHomePosition
  int next_preset_ = 1;
  Head head_;
  bool reported_ = false;  // position = reported: whether the firmware has said anything
  bool reported_pt_moving_ = false, reported_zoom_moving_ = false;
  // The preset sequence (PTZ spec "Events"); guarded by mutex_, events are
  // published under it (the sink never blocks) so they keep their order.
  enum class PresetPhase { None, Moving, Reached };
  PresetPhase phase_ = PresetPhase::None;
  Preset tracked_;      // the preset invoked last
  double arrival_ = 0;  // simulated head: when it arrives there
  events::EventSink* events_ = nullptr;
  bool watch_ = false;     // simulated head: the timer publishes Reached at the arrival
  platform::Timer timer_;  // last: stopped and joined before the rest goes
};

// Whether the device has a PTZ node: [ptz] enabled, and on a real device
// ([device] host = real) a hook_move that carries the moves out.
bool offersPtz(const core::Config& config);

// The node of [ptz] (none when offersPtz is false; the [ptz] section is
// checked all the same); [device] host decides whether auxiliary commands
// without a hook are recorded or refused.
std::unique_ptr<PtzModel> setupPtz(const core::Config& config, state::SettingsStore* store,
                                   std::string* error);

}  // namespace onvif::ptz
