// The PTZ node from [ptz]: its spaces (PTZ spec, "Predefined PTZ Spaces")
// and the checks that make the configuration coherent.
#include <cctype>
#include <chrono>
#include <cstdio>

#include "ptz/ptz_model.hpp"

namespace onvif::ptz {
namespace {

bool validToken(const std::string& t) {
  if (t.empty() || t.size() > 64) return false;
  for (char c : t)
    if (!(isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) return false;
  return true;
}

}  // namespace

double monotonicSeconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

const Space* Node::find(SpaceKind kind, const std::string& uri) const {
  for (const Space& s : spaces)
    if (s.kind == kind && s.uri == uri) return &s;
  return nullptr;
}

const Space* Node::first(SpaceKind kind) const {
  for (const Space& s : spaces)
    if (s.kind == kind) return &s;
  return nullptr;
}

double Node::panSpeed() const {
  return config.pan_speed_deg_s * 2 / (config.pan_max_deg - config.pan_min_deg);
}
double Node::tiltSpeed() const {
  return config.tilt_speed_deg_s * 2 / (config.tilt_max_deg - config.tilt_min_deg);
}
double Node::zoomSpeed() const {
  return 1 / config.zoom_time_s;
}

bool buildNode(const core::PtzConfig& c, Node* node, std::string* error) {
  auto fail = [&](const char* key, const char* problem) {
    *error = std::string("ptz.") + key + ": " + problem;
    return false;
  };
  for (const std::string* t : {&c.node_token, &c.configuration_token})
    if (!validToken(*t))
      return fail(t == &c.node_token ? "node_token" : "configuration_token",
                  "expected 1-64 letters, digits, '_', '-' or '.'");
  if (c.pan_min_deg >= c.pan_max_deg) return fail("pan_min_deg", "must be below pan_max_deg");
  if (c.tilt_min_deg >= c.tilt_max_deg) return fail("tilt_min_deg", "must be below tilt_max_deg");
  if (c.default_timeout_s > c.max_timeout_s)
    return fail("default_timeout_s", "must be at most max_timeout_s");
  if (!c.continuous)
    return fail("continuous", "every PTZ node supports continuous moves (PTZ spec, ContinuousMove)");
  if (c.fixed_home && !c.home_supported) return fail("fixed_home", "needs home_supported");
  // A reported head moves only through the firmware: without a move hook
  // every move would be accepted and go nowhere.
  if (c.position == "reported" && c.hook_move.empty())
    return fail("position", "reported needs ptz.hook_move");
  HeadPosition home;
  char extra = 0;
  if (sscanf(c.home.c_str(), "%lf , %lf , %lf %c", &home.pan, &home.tilt, &home.zoom, &extra) != 3 ||
      home.pan < -1 || home.pan > 1 || home.tilt < -1 || home.tilt > 1 || home.zoom < 0 || home.zoom > 1)
    return fail("home", "expected PAN,TILT,ZOOM in the generic spaces (-1..1, -1..1, 0..1)");
  for (const std::string& a : c.auxiliary_commands)
    if (a.size() > 128) return fail("auxiliary_commands", "a command is longer than 128 characters");
  node->config = c;
  node->home = home;
  node->spaces.clear();
  auto add = [&](SpaceKind k, const char* uri, double x0, double x1, double y0 = 0, double y1 = 0) {
    node->spaces.push_back({k, uri, x0, x1, y0, y1});
  };
  using namespace spaces;
  if (c.absolute) {
    add(SpaceKind::AbsolutePanTilt, kPanTiltPositionGeneric, -1, 1, -1, 1);
    add(SpaceKind::AbsolutePanTilt, kPanTiltPositionDegrees, c.pan_min_deg, c.pan_max_deg, c.tilt_min_deg,
        c.tilt_max_deg);
    if (c.zoom) add(SpaceKind::AbsoluteZoom, kZoomPositionGeneric, 0, 1);
  }
  if (c.relative) {
    // The FOV space first: a client that takes the first relative space
    // (and the configuration's default) gets the one Frigate tracks with.
    if (c.fov_horizontal_deg > 0) add(SpaceKind::RelativePanTilt, kPanTiltTranslationFov, -1, 1, -1, 1);
    add(SpaceKind::RelativePanTilt, kPanTiltTranslationGeneric, -1, 1, -1, 1);
    if (c.zoom) add(SpaceKind::RelativeZoom, kZoomTranslationGeneric, -1, 1);
  }
  add(SpaceKind::ContinuousPanTilt, kPanTiltVelocityGeneric, -1, 1, -1, 1);
  if (c.zoom) add(SpaceKind::ContinuousZoom, kZoomVelocityGeneric, -1, 1);
  if (c.absolute || c.relative) {
    add(SpaceKind::PanTiltSpeed, kPanTiltSpeedGeneric, 0, 1);
    if (c.zoom) add(SpaceKind::ZoomSpeed, kZoomSpeedGeneric, 0, 1);
  }
  return true;
}

const std::vector<std::string>& Node::auxiliaryCommands() const {
  static const std::vector<std::string> kNone;
  return auxiliary_refused ? kNone : config.auxiliary_commands;
}

}  // namespace onvif::ptz
