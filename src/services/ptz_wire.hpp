#pragma once
// The PTZ model on the wire, shared by the PTZ handlers and the media
// services (a profile's PTZConfiguration). gSOAP types stop here: the model
// in src/ptz/ never sees them.
#include <string>

#include "gsoap_onvifH.h"
#include "ptz/ptz_model.hpp"

namespace onvif::media {
struct MediaState;
}

namespace onvif::services::ptz_wire {

// The daemon's PTZ model; nullptr when no PTZ node is offered (ptz::offersPtz).
ptz::PtzModel* model(struct ::soap* soap);

// The PTZ configuration `token` as a profile or GetConfiguration(s) shows
// it (UseCount from `state`); nullptr when there is no such configuration.
gsoap_onvif::tt__PTZConfiguration* configuration(struct ::soap* soap, const media::MediaState& state,
                                                 const std::string& token);

}  // namespace onvif::services::ptz_wire
