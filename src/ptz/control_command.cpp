#include "ptz/control_command.hpp"

#include <cmath>
#include <cstdlib>

#include "ptz/ptz_model.hpp"

namespace onvif::ptz {
namespace {

bool number(const std::string& text, double lo, double hi, double* out) {
  char* end = nullptr;
  double v = strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(v) || v < lo || v > hi) return false;
  *out = v;
  return true;
}

bool state(const std::string& text, bool* moving) {
  if (text == "moving") return *moving = true, true;
  if (text == "idle") return *moving = false, true;
  return false;
}

}  // namespace

bool controlCommand(PtzModel* model, const std::vector<std::string>& args, std::string* error) {
  const char* usage =
      "usage: ptz status PAN TILT ZOOM [moving|idle [moving|idle]] (pan, tilt -1..1, zoom 0..1)";
  if (args.size() < 5 || args.size() > 7 || args[1] != "status") return *error = usage, false;
  HeadPosition p;
  bool pt_moving = false, zoom_moving = false;
  if (!number(args[2], -1, 1, &p.pan) || !number(args[3], -1, 1, &p.tilt) ||
      !number(args[4], 0, 1, &p.zoom) || (args.size() > 5 && !state(args[5], &pt_moving)) ||
      (args.size() > 6 && !state(args[6], &zoom_moving)))
    return *error = usage, false;
  if (!model) return *error = "no PTZ node is offered ([ptz] enabled, and hook_move on a real device)", false;
  if (model->node().config.position != "reported")
    return *error = "ptz.position is simulated: the daemon does not take reported positions", false;
  model->report(p, pt_moving, zoom_moving);
  return true;
}

}  // namespace onvif::ptz
