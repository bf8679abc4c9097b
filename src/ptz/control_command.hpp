#pragma once
// The firmware's word on the head through the control socket:
//   ptz status PAN TILT ZOOM [moving|idle [moving|idle]]
// (generic units: pan and tilt -1..1, zoom 0..1; the states are pan/tilt's
// and zoom's, idle when left out). Also `onvifd ptz status ...`.
#include <string>
#include <vector>

namespace onvif::ptz {

class PtzModel;

// args[0] is "ptz". False with `error` set when the command is malformed.
bool controlCommand(PtzModel* model, const std::vector<std::string>& args, std::string* error);

}  // namespace onvif::ptz
