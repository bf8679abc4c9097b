#include "services/ptz_wire.hpp"

#include "daemon/request_context.hpp"
#include "media/camera.hpp"

namespace onvif::services::ptz_wire {

using namespace gsoap_onvif;
using onvif::daemon::requestContext;

ptz::PtzModel* model(struct ::soap* soap) {
  return soap->user ? requestContext(soap).daemon->ptz : nullptr;
}

namespace {

std::string* uri(struct ::soap* soap, const std::string& value) {
  if (value.empty()) return nullptr;
  auto* s = soap_new_std__string(soap);
  *s = value;
  return s;
}

std::string durationText(int seconds) {
  return "PT" + std::to_string(seconds) + "S";
}

}  // namespace

// PTZ spec "PTZ Configuration": the default spaces of each kind the node
// supports, DefaultPTZSpeed, DefaultPTZTimeout. Elements in schema order
// (zeep drops out-of-order elements silently).
tt__PTZConfiguration* configuration(struct ::soap* soap, const media::MediaState& state,
                                    const std::string& token) {
  ptz::PtzModel* m = model(soap);
  if (!m || token != m->node().config.configuration_token) return nullptr;
  const ptz::Configuration c = m->configuration();
  auto* out = soap_new_tt__PTZConfiguration(soap);
  out->token = token;
  out->Name = c.name;
  out->UseCount = state.useCount(token);
  out->NodeToken = m->node().config.node_token;
  out->DefaultAbsolutePantTiltPositionSpace = uri(soap, c.absolute_pan_tilt);
  out->DefaultAbsoluteZoomPositionSpace = uri(soap, c.absolute_zoom);
  out->DefaultRelativePanTiltTranslationSpace = uri(soap, c.relative_pan_tilt);
  out->DefaultRelativeZoomTranslationSpace = uri(soap, c.relative_zoom);
  out->DefaultContinuousPanTiltVelocitySpace = uri(soap, c.continuous_pan_tilt);
  out->DefaultContinuousZoomVelocitySpace = uri(soap, c.continuous_zoom);
  const ptz::Node& node = m->node();
  if (node.config.absolute || node.config.relative) {
    out->DefaultPTZSpeed = soap_new_tt__PTZSpeed(soap);
    out->DefaultPTZSpeed->PanTilt = soap_new_tt__Vector2D(soap);
    out->DefaultPTZSpeed->PanTilt->x = static_cast<float>(c.pan_tilt_speed_x);
    out->DefaultPTZSpeed->PanTilt->y = static_cast<float>(c.pan_tilt_speed_y);
    out->DefaultPTZSpeed->PanTilt->space = uri(soap, ptz::spaces::kPanTiltSpeedGeneric);
    if (node.config.zoom) {
      out->DefaultPTZSpeed->Zoom = soap_new_tt__Vector1D(soap);
      out->DefaultPTZSpeed->Zoom->x = static_cast<float>(c.zoom_speed);
      out->DefaultPTZSpeed->Zoom->space = uri(soap, ptz::spaces::kZoomSpeedGeneric);
    }
  }
  out->DefaultPTZTimeout = uri(soap, durationText(c.timeout_s));
  if (node.config.eflip || node.config.reverse) {
    out->Extension = soap_new_tt__PTZConfigurationExtension(soap);
    out->Extension->PTControlDirection = soap_new_tt__PTControlDirection(soap);
    if (node.config.eflip) {
      out->Extension->PTControlDirection->EFlip = soap_new_tt__EFlip(soap);
      out->Extension->PTControlDirection->EFlip->Mode =
          c.eflip == "ON" ? tt__EFlipMode__ON : tt__EFlipMode__OFF;
    }
    if (node.config.reverse) {
      out->Extension->PTControlDirection->Reverse = soap_new_tt__Reverse(soap);
      out->Extension->PTControlDirection->Reverse->Mode =
          c.reverse == "ON" ? tt__ReverseMode__ON : tt__ReverseMode__OFF;
    }
  }
  return out;
}

}  // namespace onvif::services::ptz_wire
