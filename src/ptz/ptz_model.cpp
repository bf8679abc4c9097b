#include "ptz/ptz_model.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "core/log.hpp"
#include "events/sources.hpp"
#include "platform/hook.hpp"

namespace onvif::ptz {
namespace {

using soap::ErrorKind;

std::string num(double v) {
  char buf[32];
  snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string positionText(const HeadPosition& p) {
  return num(p.pan) + "," + num(p.tilt) + "," + num(p.zoom);
}

bool parsePosition(const std::string& text, HeadPosition* out) {
  HeadPosition p;
  char extra = 0;
  if (sscanf(text.c_str(), "%lf , %lf , %lf %c", &p.pan, &p.tilt, &p.zoom, &extra) != 3) return false;
  if (!(p.pan >= -1 && p.pan <= 1 && p.tilt >= -1 && p.tilt <= 1 && p.zoom >= 0 && p.zoom <= 1)) return false;
  *out = p;
  return true;
}

bool within(double v, double lo, double hi) {
  return std::isfinite(v) && v >= lo && v <= hi;
}

// Degrees <-> generic -1..1 over [lo, hi].
double toGeneric(double v, double lo, double hi) {
  return -1 + 2 * (v - lo) / (hi - lo);
}
double fromGeneric(double g, double lo, double hi) {
  return lo + (g + 1) * (hi - lo) / 2;
}

// The firmware's idle position counts as the preset's within this (generic units).
bool near(const HeadPosition& a, const HeadPosition& b, bool zoom) {
  constexpr double kTolerance = 1e-3;
  return std::fabs(a.pan - b.pan) <= kTolerance && std::fabs(a.tilt - b.tilt) <= kTolerance &&
         (!zoom || std::fabs(a.zoom - b.zoom) <= kTolerance);
}

bool validPresetName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7f) return false;
  return true;
}

}  // namespace

bool runPtzHook(const std::vector<std::string>& argv, int timeout_ms, std::string* output,
                std::string* error) {
  platform::HookResult r = platform::runHook(argv, timeout_ms);
  if (output) *output = r.output;
  if (!r.ok) {
    if (error) *error = r.error;
    return false;
  }
  return true;
}

PtzModel::PtzModel(Node node, state::SettingsStore* store, HookRunner hook, Clock clock)
    : node_(std::move(node)), store_(store), hook_(std::move(hook)), clock_(std::move(clock)) {
  const core::PtzConfig& c = node_.config;
  auto firstUri = [&](SpaceKind k) {
    const Space* s = node_.first(k);
    return s ? s->uri : std::string();
  };
  config_.name = c.configuration_name;
  config_.absolute_pan_tilt = firstUri(SpaceKind::AbsolutePanTilt);
  config_.absolute_zoom = firstUri(SpaceKind::AbsoluteZoom);
  config_.relative_pan_tilt = firstUri(SpaceKind::RelativePanTilt);
  config_.relative_zoom = firstUri(SpaceKind::RelativeZoom);
  config_.continuous_pan_tilt = firstUri(SpaceKind::ContinuousPanTilt);
  config_.continuous_zoom = firstUri(SpaceKind::ContinuousZoom);
  config_.pan_tilt_speed_x = config_.pan_tilt_speed_y = c.default_pan_tilt_speed;
  config_.zoom_speed = c.default_zoom_speed;
  config_.timeout_s = c.default_timeout_s;
  double now = clock_();
  head_.pan.set(now, node_.home.pan);
  head_.tilt.set(now, node_.home.tilt);
  head_.zoom.set(now, c.zoom ? node_.home.zoom : 0);
}

void PtzModel::load() {
  if (!store_) return;
  state::Section s = store_->get(kSettingsArea);
  std::unique_lock<std::mutex> lock(mutex_);
  Configuration cfg = config_;
  using state::getString;
  std::string name = getString(s, "configuration.name", cfg.name);
  if (!name.empty() && name.size() <= 64) cfg.name = name;
  auto space = [&](const char* key, SpaceKind kind, std::string* field) {
    std::string uri = getString(s, std::string("configuration.") + key, *field);
    if (node_.find(kind, uri)) *field = uri;
  };
  space("absolute_pan_tilt", SpaceKind::AbsolutePanTilt, &cfg.absolute_pan_tilt);
  space("absolute_zoom", SpaceKind::AbsoluteZoom, &cfg.absolute_zoom);
  space("relative_pan_tilt", SpaceKind::RelativePanTilt, &cfg.relative_pan_tilt);
  space("relative_zoom", SpaceKind::RelativeZoom, &cfg.relative_zoom);
  space("continuous_pan_tilt", SpaceKind::ContinuousPanTilt, &cfg.continuous_pan_tilt);
  space("continuous_zoom", SpaceKind::ContinuousZoom, &cfg.continuous_zoom);
  HeadPosition speed;
  if (parsePosition(getString(s, "configuration.speed", ""), &speed) && speed.pan >= 0 && speed.tilt >= 0) {
    cfg.pan_tilt_speed_x = speed.pan;
    cfg.pan_tilt_speed_y = speed.tilt;
    cfg.zoom_speed = speed.zoom;
  }
  long long timeout = state::getInt(s, "configuration.timeout_s", cfg.timeout_s);
  if (timeout >= 1 && timeout <= node_.config.max_timeout_s) cfg.timeout_s = static_cast<int>(timeout);
  std::string eflip = getString(s, "configuration.eflip", cfg.eflip);
  if (node_.config.eflip && (eflip == "ON" || eflip == "OFF")) cfg.eflip = eflip;
  std::string reverse = getString(s, "configuration.reverse", cfg.reverse);
  if (node_.config.reverse && (reverse == "ON" || reverse == "OFF")) cfg.reverse = reverse;
  config_ = cfg;
  presets_.clear();
  for (const std::string& token : state::getList(s, "presets")) {
    if (static_cast<int>(presets_.size()) >= node_.config.max_presets) break;
    Preset p;
    p.token = token;
    p.name = getString(s, "preset." + token + ".name", token);
    if (token.empty() || token.size() > 64 || !validPresetName(p.name)) continue;
    if (!parsePosition(getString(s, "preset." + token + ".position", ""), &p.position)) continue;
    presets_.push_back(p);
  }
  next_preset_ = static_cast<int>(std::max(1LL, state::getInt(s, "next_preset", 1)));
  HeadPosition home;
  if (!node_.config.fixed_home && parsePosition(getString(s, "home", ""), &home)) home_ = home;
  // A stored E-Flip ON is told to the firmware again at start-up (it may
  // have restarted too); a failure is logged by the hook runner.
  const bool eflip_on = config_.eflip == "ON";
  lock.unlock();
  if (eflip_on) {
    std::lock_guard<std::mutex> hook_lock(hook_mutex_);
    runMoveHook({"eflip", "ON"});
  }
}

bool PtzModel::persistLocked(const Configuration& cfg, const std::vector<Preset>& presets,
                             const std::optional<HeadPosition>& home, int next_preset, std::string* error) {
  if (!store_) return true;
  state::Section s;
  s["configuration.name"] = cfg.name;
  s["configuration.absolute_pan_tilt"] = cfg.absolute_pan_tilt;
  s["configuration.absolute_zoom"] = cfg.absolute_zoom;
  s["configuration.relative_pan_tilt"] = cfg.relative_pan_tilt;
  s["configuration.relative_zoom"] = cfg.relative_zoom;
  s["configuration.continuous_pan_tilt"] = cfg.continuous_pan_tilt;
  s["configuration.continuous_zoom"] = cfg.continuous_zoom;
  s["configuration.speed"] = positionText({cfg.pan_tilt_speed_x, cfg.pan_tilt_speed_y, cfg.zoom_speed});
  s["configuration.timeout_s"] = std::to_string(cfg.timeout_s);
  s["configuration.eflip"] = cfg.eflip;
  s["configuration.reverse"] = cfg.reverse;
  std::vector<std::string> tokens;
  for (const Preset& p : presets) {
    tokens.push_back(p.token);
    s["preset." + p.token + ".name"] = p.name;
    s["preset." + p.token + ".position"] = positionText(p.position);
  }
  state::setList(&s, "presets", tokens);
  s["next_preset"] = std::to_string(next_preset);
  if (home) s["home"] = positionText(*home);
  return store_->put(kSettingsArea, s, error);
}

PtzModel::~PtzModel() {
  stopEvents();
}

void PtzModel::setEvents(events::EventSink* events, bool watch) {
  std::lock_guard<std::mutex> lock(mutex_);
  events_ = events;
  watch_ = events && watch && simulated();
}

void PtzModel::stopEvents() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    events_ = nullptr;
    watch_ = false;
  }
  timer_.stop();  // outside mutex_: a due arrival takes it
}

void PtzModel::publishLocked(const char* what) {
  if (events_)
    events_->publish(
        events::ptzPreset(what, node_.config.configuration_token, tracked_.token, tracked_.name));
}

void PtzModel::arriveLocked(double now) {
  if (phase_ != PresetPhase::Moving || now < arrival_ || head_.panTiltMoving(now) || head_.zoomMoving(now))
    return;
  publishLocked("Reached");
  phase_ = PresetPhase::Reached;
}

void PtzModel::checkArrival() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (simulated()) arriveLocked(clock_());
}

// The simulated head's arrival time is known when the move starts: the
// timer fires then (a new preset move replaces the pending arrival; one that
// ends the move leaves it nothing to do). At least 10 ms.
void PtzModel::scheduleArrivalLocked(double now) {
  long long ms = std::llround(std::max(0.01, arrival_ - now) * 1000);
  timer_.schedule("arrival", ms, [this] { arrivalDue(); });
}

void PtzModel::arrivalDue() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!watch_) return;
  double now = clock_();
  arriveLocked(now);
  // Not there yet (or rounding left it a hair short): again at the arrival.
  if (phase_ == PresetPhase::Moving) scheduleArrivalLocked(now);
}

// PTZ spec "Events" (PTZPresets): GotoPreset publishes Invoked; another
// accepted move, Stop or GotoPreset before the arrival publishes Aborted;
// after Reached, Left when the head moves away.
void PtzModel::commandAccepted(const Preset* preset) {
  std::lock_guard<std::mutex> lock(mutex_);
  double now = clock_();
  if (phase_ == PresetPhase::Moving) {
    publishLocked("Aborted");
    phase_ = PresetPhase::None;
  } else if (phase_ == PresetPhase::Reached) {
    // With position = reported only the firmware knows the head moves:
    // report() says Left, unless a new preset elsewhere replaces this one.
    bool leaving = simulated() ? head_.panTiltMoving(now) || head_.zoomMoving(now)
                               : preset && !near(preset->position, tracked_.position, node_.config.zoom);
    if (leaving) {
      publishLocked("Left");
      phase_ = PresetPhase::None;
    }
  }
  if (preset) {
    tracked_ = *preset;
    arrival_ = head_.arrival();
    phase_ = PresetPhase::Moving;
    publishLocked("Invoked");
    if (watch_) scheduleArrivalLocked(now);
  }
}

Configuration PtzModel::configuration() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return config_;
}

// PTZ spec "SetConfiguration": the node token cannot change (the handler
// checks it); every default space must be one of the node's, speeds within
// the speed spaces, the timeout within the PTZTimeout range.
Result PtzModel::setConfiguration(const Configuration& r) {
  auto modify = [](const char* what) { return Result::fail(ErrorKind::ConfigModify, what); };
  if (r.name.empty() || r.name.size() > 64) return modify("Name must be 1 to 64 characters");
  struct Check {
    const std::string* uri;
    SpaceKind kind;
  } checks[] = {{&r.absolute_pan_tilt, SpaceKind::AbsolutePanTilt},
                {&r.absolute_zoom, SpaceKind::AbsoluteZoom},
                {&r.relative_pan_tilt, SpaceKind::RelativePanTilt},
                {&r.relative_zoom, SpaceKind::RelativeZoom},
                {&r.continuous_pan_tilt, SpaceKind::ContinuousPanTilt},
                {&r.continuous_zoom, SpaceKind::ContinuousZoom}};
  for (const Check& c : checks) {
    bool has = node_.first(c.kind) != nullptr;
    if (has ? !node_.find(c.kind, *c.uri) : !c.uri->empty())
      return modify("A default space is not one of the node's spaces");
  }
  if (!within(r.pan_tilt_speed_x, 0, 1) || !within(r.pan_tilt_speed_y, 0, 1) || !within(r.zoom_speed, 0, 1))
    return modify("DefaultPTZSpeed is outside the speed spaces");
  if (r.timeout_s < 1 || r.timeout_s > node_.config.max_timeout_s)
    return modify("DefaultPTZTimeout is outside the PTZTimeout range");
  if ((r.eflip != "OFF" && !(node_.config.eflip && r.eflip == "ON")) ||
      (r.reverse != "OFF" && !(node_.config.reverse && r.reverse == "ON")))
    return modify("EFlip or Reverse mode not supported");
  // E-Flip turns the image round, which only the firmware can do: a new
  // mode reaches hook_move ("eflip ON|OFF") before it is stored, and is put
  // back there when the store fails. Reverse needs no firmware: the model
  // turns the moves round itself.
  std::lock_guard<std::mutex> hook_lock(hook_mutex_);
  const std::string eflip_before = configuration().eflip;
  const bool eflip_changed = r.eflip != eflip_before;
  if (eflip_changed) {
    Result applied = runMoveHook({"eflip", r.eflip});
    if (!applied.ok) return applied;
  }
  std::string error;
  bool stored;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stored = persistLocked(r, presets_, home_, next_preset_, &error);
    if (stored) config_ = r;
  }
  if (!stored) {
    LOG_WARN("ptz: configuration not stored: %s", error.c_str());
    if (eflip_changed) runMoveHook({"eflip", eflip_before});
    return Result::fail(ErrorKind::ActionFailed, "The configuration could not be stored");
  }
  return {};
}

Result PtzModel::runMoveHook(const std::vector<std::string>& args) {
  const std::string& hook = node_.config.hook_move;
  if (hook.empty()) return {};
  std::vector<std::string> argv{hook, node_.config.node_token};
  argv.insert(argv.end(), args.begin(), args.end());
  std::string output, error;
  if (!hook_(argv, node_.config.hook_timeout_ms, &output, &error)) {
    LOG_WARN("ptz: move hook %s failed: %s", hook.c_str(), error.c_str());
    return Result::fail(ErrorKind::ActionFailed, "The PTZ unit did not accept the move");
  }
  return {};
}

// PTZ spec "ContinuousMove": an omitted axis keeps its movement; zero stops
// that axis; the Timeout (else DefaultPTZTimeout) ends the move.
Result PtzModel::continuousMove(const std::optional<Vec2>& pt, const std::optional<Vec1>& zoom,
                                std::optional<long long> timeout_ms) {
  const Configuration cfg = configuration();
  if (pt) {
    const Space* s =
        node_.find(SpaceKind::ContinuousPanTilt, pt->space.empty() ? cfg.continuous_pan_tilt : pt->space);
    if (!s) return Result::fail(ErrorKind::SpaceNotSupported);
    if (!within(pt->x, s->x_min, s->x_max) || !within(pt->y, s->y_min, s->y_max))
      return Result::fail(ErrorKind::InvalidVelocity);
  }
  if (zoom) {
    const Space* s =
        node_.find(SpaceKind::ContinuousZoom, zoom->space.empty() ? cfg.continuous_zoom : zoom->space);
    if (!s) return Result::fail(ErrorKind::SpaceNotSupported);
    if (!within(zoom->x, s->x_min, s->x_max)) return Result::fail(ErrorKind::InvalidVelocity);
  }
  long long ms = timeout_ms ? *timeout_ms : cfg.timeout_s * 1000LL;
  if (ms < 1000 || ms > node_.config.max_timeout_s * 1000LL)
    return Result::fail(ErrorKind::TimeoutNotSupported);
  double sign = cfg.reverse == "ON" ? -1 : 1;
  std::lock_guard<std::mutex> hook_lock(hook_mutex_);
  Result r = runMoveHook({"continuous", pt ? num(sign * pt->x) : "-", pt ? num(sign * pt->y) : "-",
                          zoom ? num(zoom->x) : "-", std::to_string(ms)});
  if (!r.ok) return r;
  if (simulated()) {  // reported: the firmware says where the head goes
    std::lock_guard<std::mutex> lock(mutex_);
    double now = clock_(), until = now + ms / 1000.0;
    if (pt) {
      head_.pan.velocity(now, sign * pt->x * node_.panSpeed(), until);
      head_.tilt.velocity(now, sign * pt->y * node_.tiltSpeed(), until);
    }
    if (zoom) head_.zoom.velocity(now, zoom->x * node_.zoomSpeed(), until);
  }
  commandAccepted(nullptr);
  return {};
}

Result PtzModel::toGenericSpeed(const Speed& speed, const Configuration& cfg, double* pan, double* tilt,
                                double* zoom) const {
  *pan = cfg.pan_tilt_speed_x, *tilt = cfg.pan_tilt_speed_y, *zoom = cfg.zoom_speed;
  if (speed.pan_tilt) {
    const Space* s =
        node_.find(SpaceKind::PanTiltSpeed,
                   speed.pan_tilt->space.empty() ? spaces::kPanTiltSpeedGeneric : speed.pan_tilt->space);
    if (!s) return Result::fail(ErrorKind::SpaceNotSupported);
    if (!within(speed.pan_tilt->x, s->x_min, s->x_max) || !within(speed.pan_tilt->y, s->x_min, s->x_max))
      return Result::fail(ErrorKind::InvalidSpeed);
    // A zero speed on an axis (Home Assistant sends one for the axes it
    // does not move) would never arrive: that axis keeps the default speed.
    if (speed.pan_tilt->x > 0) *pan = speed.pan_tilt->x;
    if (speed.pan_tilt->y > 0) *tilt = speed.pan_tilt->y;
  }
  if (speed.zoom) {
    const Space* s = node_.find(SpaceKind::ZoomSpeed,
                                speed.zoom->space.empty() ? spaces::kZoomSpeedGeneric : speed.zoom->space);
    if (!s) return Result::fail(ErrorKind::SpaceNotSupported);
    if (!within(speed.zoom->x, s->x_min, s->x_max)) return Result::fail(ErrorKind::InvalidSpeed);
    if (speed.zoom->x > 0) *zoom = speed.zoom->x;
  }
  return {};
}

Result PtzModel::moveTo(const Target& t, const Speed& speed, const char* why, const Preset* preset) {
  const Configuration cfg = configuration();
  double ps = 0, ts = 0, zs = 0;
  Result r = toGenericSpeed(speed, cfg, &ps, &ts, &zs);
  if (!r.ok) return r;
  auto opt = [](const std::optional<double>& v) { return v ? num(*v) : std::string("-"); };
  std::lock_guard<std::mutex> hook_lock(hook_mutex_);
  r = runMoveHook({"absolute", opt(t.pan), opt(t.tilt), opt(t.zoom), num(ps), num(ts), num(zs), why});
  if (!r.ok) return r;
  if (simulated()) {
    std::lock_guard<std::mutex> lock(mutex_);
    double now = clock_();
    if (t.pan) head_.pan.target(now, *t.pan, ps * node_.panSpeed());
    if (t.tilt) head_.tilt.target(now, *t.tilt, ts * node_.tiltSpeed());
    if (t.zoom && node_.config.zoom) head_.zoom.target(now, *t.zoom, zs * node_.zoomSpeed());
  }
  commandAccepted(preset);
  return {};
}

// PTZ spec "RelativeMove": a translation that leads out of range moves to
// the border; the FOV space is a fraction of the current field of view
// (section "Pan/tilt Translation Space in FOV": (1,1) is the upper right corner).
Result PtzModel::relativeMove(const std::optional<Vec2>& pt, const std::optional<Vec1>& zoom,
                              const Speed& speed) {
  if (!node_.config.relative) return Result::fail(ErrorKind::SpaceNotSupported);
  const Configuration cfg = configuration();
  const Status now = status();
  Target t;
  const core::PtzConfig& c = node_.config;
  if (pt) {
    const std::string uri = pt->space.empty() ? cfg.relative_pan_tilt : pt->space;
    const Space* s = node_.find(SpaceKind::RelativePanTilt, uri);
    if (!s) return Result::fail(ErrorKind::SpaceNotSupported);
    if (!within(pt->x, s->x_min, s->x_max) || !within(pt->y, s->y_min, s->y_max))
      return Result::fail(ErrorKind::InvalidTranslation);
    double dx = pt->x, dy = pt->y;
    if (uri == spaces::kPanTiltTranslationFov) {
      double magnification = 1 + (c.zoom_ratio - 1) * now.position.zoom;
      dx = pt->x * (c.fov_horizontal_deg / magnification) / (c.pan_max_deg - c.pan_min_deg);
      dy = pt->y * (c.fov_vertical_deg / magnification) / (c.tilt_max_deg - c.tilt_min_deg);
    }
    if (cfg.reverse == "ON") dx = -dx, dy = -dy;
    t.pan = std::min(1.0, std::max(-1.0, now.position.pan + dx));
    t.tilt = std::min(1.0, std::max(-1.0, now.position.tilt + dy));
  }
  if (zoom) {
    const Space* s =
        node_.find(SpaceKind::RelativeZoom, zoom->space.empty() ? cfg.relative_zoom : zoom->space);
    if (!s) return Result::fail(ErrorKind::SpaceNotSupported);
    if (!within(zoom->x, s->x_min, s->x_max)) return Result::fail(ErrorKind::InvalidTranslation);
    t.zoom = std::min(1.0, std::max(0.0, now.position.zoom + zoom->x));
  }
  return moveTo(t, speed, "relative");
}

// PTZ spec "AbsoluteMove": out of range is ter:InvalidPosition.
Result PtzModel::absoluteMove(const std::optional<Vec2>& pt, const std::optional<Vec1>& zoom,
                              const Speed& speed) {
  if (!node_.config.absolute) return Result::fail(ErrorKind::SpaceNotSupported);
  const Configuration cfg = configuration();
  Target t;
  if (pt) {
    const std::string uri = pt->space.empty() ? cfg.absolute_pan_tilt : pt->space;
    const Space* s = node_.find(SpaceKind::AbsolutePanTilt, uri);
    if (!s) return Result::fail(ErrorKind::SpaceNotSupported);
    if (!within(pt->x, s->x_min, s->x_max) || !within(pt->y, s->y_min, s->y_max))
      return Result::fail(ErrorKind::InvalidPosition);
    t.pan = toGeneric(pt->x, s->x_min, s->x_max);
    t.tilt = toGeneric(pt->y, s->y_min, s->y_max);
  }
  if (zoom) {
    const Space* s =
        node_.find(SpaceKind::AbsoluteZoom, zoom->space.empty() ? cfg.absolute_zoom : zoom->space);
    if (!s) return Result::fail(ErrorKind::SpaceNotSupported);
    if (!within(zoom->x, s->x_min, s->x_max)) return Result::fail(ErrorKind::InvalidPosition);
    t.zoom = zoom->x;
  }
  return moveTo(t, speed, "absolute");
}

// PTZ spec "Stop": PanTilt and Zoom default to true (the handler applies that).
Result PtzModel::stop(bool pan_tilt, bool zoom) {
  std::lock_guard<std::mutex> hook_lock(hook_mutex_);
  Result r = runMoveHook({"stop", pan_tilt && zoom ? "all" : pan_tilt ? "pan_tilt" : zoom ? "zoom" : "none"});
  if (!r.ok) return r;
  if (simulated()) {
    std::lock_guard<std::mutex> lock(mutex_);
    double now = clock_();
    if (pan_tilt) head_.pan.stop(now), head_.tilt.stop(now);
    if (zoom) head_.zoom.stop(now);
  }
  commandAccepted(nullptr);
  return {};
}

Status PtzModel::statusLocked(double now) const {
  Status s;
  s.position = head_.position(now);
  if (node_.config.position == "reported") {
    s.known = reported_;
    if (!reported_) s.error = "The PTZ unit has not reported its position";
    s.pan_tilt_moving = reported_pt_moving_;
    s.zoom_moving = reported_zoom_moving_;
  } else {
    s.pan_tilt_moving = head_.panTiltMoving(now);
    s.zoom_moving = head_.zoomMoving(now);
  }
  return s;
}

void PtzModel::refreshReported() {
  const std::string& hook = node_.config.hook_status;
  if (hook.empty() || node_.config.position != "reported") return;
  std::string output, error;
  if (!hook_({hook, node_.config.node_token}, node_.config.hook_timeout_ms, &output, &error)) {
    LOG_WARN("ptz: status hook %s failed: %s", hook.c_str(), error.c_str());
    return;
  }
  HeadPosition p;
  char pt[16] = {0}, z[16] = {0};
  if (sscanf(output.c_str(), "%lf %lf %lf %15s %15s", &p.pan, &p.tilt, &p.zoom, pt, z) != 5) {
    LOG_WARN("ptz: status hook output not understood (expected PAN TILT ZOOM PT_STATE ZOOM_STATE)");
    return;
  }
  report(p, std::string(pt) == "moving", std::string(z) == "moving");
}

Status PtzModel::status() {
  refreshReported();
  std::lock_guard<std::mutex> lock(mutex_);
  return statusLocked(clock_());
}

void PtzModel::report(const HeadPosition& p, bool pan_tilt_moving, bool zoom_moving) {
  std::lock_guard<std::mutex> lock(mutex_);
  double now = clock_();
  head_.pan.set(now, p.pan);
  head_.tilt.set(now, p.tilt);
  head_.zoom.set(now, p.zoom);
  reported_ = true;
  reported_pt_moving_ = pan_tilt_moving;
  reported_zoom_moving_ = zoom_moving;
  if (simulated()) return;
  // position = reported: the preset is reached when the firmware reports
  // the head idle there, and left when it reports it moving or elsewhere.
  bool there = near(p, tracked_.position, node_.config.zoom);
  if (phase_ == PresetPhase::Moving && !pan_tilt_moving && !zoom_moving && there) {
    publishLocked("Reached");
    phase_ = PresetPhase::Reached;
  } else if (phase_ == PresetPhase::Reached && (pan_tilt_moving || zoom_moving || !there)) {
    publishLocked("Left");
    phase_ = PresetPhase::None;
  }
}

double PtzModel::panTiltIn(const std::string& space, double generic, bool tilt) const {
  if (space != spaces::kPanTiltPositionDegrees) return generic;
  const core::PtzConfig& c = node_.config;
  return tilt ? fromGeneric(generic, c.tilt_min_deg, c.tilt_max_deg)
              : fromGeneric(generic, c.pan_min_deg, c.pan_max_deg);
}

std::vector<Preset> PtzModel::presets() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return presets_;
}

// PTZ spec "SetPreset".
Result PtzModel::setPreset(const std::string* token, const std::string* name, std::string* token_out) {
  if (node_.config.max_presets == 0) return Result::fail(ErrorKind::ActionNotSupported);
  if (name && !validPresetName(*name)) return Result::fail(ErrorKind::InvalidPresetName);
  Status st = status();
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<Preset> next = presets_;
  int next_number = next_preset_;
  Preset* target = nullptr;
  if (token) {
    for (Preset& p : next)
      if (p.token == *token) target = &p;
    if (!target) return Result::fail(ErrorKind::NoToken);
  }
  if (name)
    for (const Preset& p : next)
      if (p.name == *name && &p != target) return Result::fail(ErrorKind::PresetExist);
  if (st.pan_tilt_moving || st.zoom_moving) return Result::fail(ErrorKind::MovingPTZ);
  if (!target) {
    if (static_cast<int>(next.size()) >= node_.config.max_presets)
      return Result::fail(ErrorKind::TooManyPresets);
    Preset p;
    do {
      p.token = "Preset_" + std::to_string(next_number++);
    } while (std::any_of(next.begin(), next.end(), [&](const Preset& q) { return q.token == p.token; }));
    p.name = name ? *name : p.token;
    // A device-chosen name must not collide with a client's either.
    if (!name && std::any_of(next.begin(), next.end(), [&](const Preset& q) { return q.name == p.name; }))
      p.name += "-" + std::to_string(next_number);
    next.push_back(p);
    target = &next.back();
  } else if (name) {
    target->name = *name;
  }
  target->position = st.position;
  std::string error;
  if (!persistLocked(config_, next, home_, next_number, &error)) {
    LOG_WARN("ptz: preset not stored: %s", error.c_str());
    return Result::fail(ErrorKind::ActionFailed, "The preset could not be stored");
  }
  *token_out = target->token;
  presets_ = std::move(next);
  next_preset_ = next_number;
  return {};
}

Result PtzModel::removePreset(const std::string& token) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<Preset> next = presets_;
  auto it = std::find_if(next.begin(), next.end(), [&](const Preset& p) { return p.token == token; });
  if (it == next.end()) return Result::fail(ErrorKind::NoToken);
  next.erase(it);
  std::string error;
  if (!persistLocked(config_, next, home_, next_preset_, &error)) {
    LOG_WARN("ptz: preset removal not stored: %s", error.c_str());
    return Result::fail(ErrorKind::ActionFailed, "The preset could not be removed");
  }
  presets_ = std::move(next);
  return {};
}

Result PtzModel::gotoPreset(const std::string& token, const Speed& speed) {
  std::optional<Preset> preset;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const Preset& p : presets_)
      if (p.token == token) preset = p;
  }
  if (!preset) return Result::fail(ErrorKind::NoToken);
  Target t;
  t.pan = preset->position.pan, t.tilt = preset->position.tilt;
  if (node_.config.zoom) t.zoom = preset->position.zoom;
  return moveTo(t, speed, "preset", &*preset);
}

Result PtzModel::gotoHome(const Speed& speed) {
  if (!node_.config.home_supported) return Result::fail(ErrorKind::ActionNotSupported);
  HeadPosition home;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    home = home_ ? *home_ : node_.home;
  }
  Target t;
  t.pan = home.pan, t.tilt = home.tilt;
  if (node_.config.zoom) t.zoom = home.zoom;
  return moveTo(t, speed, "home");
}

// PTZ spec "SetHomePosition": a fixed home is ter:CannotOverwriteHome.
Result PtzModel::setHome() {
  if (!node_.config.home_supported) return Result::fail(ErrorKind::ActionNotSupported);
  if (node_.config.fixed_home) return Result::fail(ErrorKind::CannotOverwriteHome);
  Status st = status();
  std::lock_guard<std::mutex> lock(mutex_);
  std::string error;
  if (!persistLocked(config_, presets_, st.position, next_preset_, &error)) {
    LOG_WARN("ptz: home position not stored: %s", error.c_str());
    return Result::fail(ErrorKind::ActionFailed, "The home position could not be stored");
  }
  home_ = st.position;
  return {};
}

// PTZ spec "SendAuxiliaryCommand": only the node's declared commands; the
// hook gets the node token and the command as two arguments. Refused on a
// real device without the hook (Core spec "Generic faults"; the node then
// lists no commands, PTZ spec "PTZ Node": "If the list is not empty, the
// Auxiliary Operations shall be available").
Result PtzModel::auxiliary(const std::string& command, std::string* response) {
  if (node_.auxiliary_refused)
    return Result::fail(ErrorKind::ActionNotSupported,
                        "This device has no hook for auxiliary commands ([device] host = real)");
  const auto& list = node_.config.auxiliary_commands;
  if (std::find(list.begin(), list.end(), command) == list.end())
    return Result::fail(ErrorKind::AuxiliaryDataNotSupported);
  *response = command;
  const std::string& hook = node_.config.hook_auxiliary;
  if (hook.empty()) {
    LOG_INFO("ptz: auxiliary command %s recorded (no hook configured)", command.c_str());
    return {};
  }
  std::string output, error;
  if (!hook_({hook, node_.config.node_token, command}, node_.config.hook_timeout_ms, &output, &error)) {
    LOG_WARN("ptz: auxiliary hook %s failed: %s", hook.c_str(), error.c_str());
    return Result::fail(ErrorKind::ActionFailed, "The auxiliary command failed");
  }
  std::string first = output.substr(0, output.find('\n'));
  if (!first.empty()) *response = first;
  return {};
}

bool offersPtz(const core::Config& config) {
  return config.ptz.enabled && !config.device.refusedWithout(config.ptz.hook_move);
}

std::unique_ptr<PtzModel> setupPtz(const core::Config& config, state::SettingsStore* store,
                                   std::string* error) {
  if (!config.ptz.enabled) return nullptr;
  Node node;
  if (!buildNode(config.ptz, &node, error)) return nullptr;
  // Every move reaches the head through hook_move: a real device without it
  // would answer moves that move nothing, so it has no node (Core spec
  // "Generic faults": the PTZ service is not offered and its operations
  // answer ter:ActionNotSupported). A reported position cannot stand in for it.
  if (!offersPtz(config)) return nullptr;
  node.auxiliary_refused = config.device.refusedWithout(config.ptz.hook_auxiliary);
  auto model = std::make_unique<PtzModel>(std::move(node), store);
  model->load();
  return model;
}

}  // namespace onvif::ptz
