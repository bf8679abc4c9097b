// PTZ service (ONVIF PTZ spec, ver20 ptz.wsdl): node, configurations,
// moves, status, presets, home position, auxiliary commands. The model is
// src/ptz/ (kinematics, spaces, presets, hooks); this file reads requests
// and maps results to responses and faults. Preset tours, GeoMove and
// MoveAndStartTracking are not offered (the node says so) and stay with
// the generated ter:ActionNotSupported defaults.
#include <ctime>
#include <optional>
#include <string>

#include "core/validate.hpp"
#include "daemon/request_context.hpp"
#include "gsoap_onvifH.h"
#include "media/media_model.hpp"
#include "services/ptz_wire.hpp"
#include "services/service_registry.hpp"
#include "soap/element_xml.hpp"
#include "soap/faults.hpp"

namespace onvif::services {
namespace {

using namespace gsoap_onvif;
using onvif::daemon::requestContext;
using onvif::soap::ErrorKind;
using ptz_wire::model;

bool* newBool(struct ::soap* soap, bool v) {
  bool* b = static_cast<bool*>(soap_malloc(soap, sizeof(bool)));
  *b = v;
  return b;
}

int fail(struct ::soap* soap, const ptz::Result& r) {
  return onvif::soap::fault(soap, r.kind, r.detail.empty() ? nullptr : r.detail.c_str());
}

tt__FloatRange* range(struct ::soap* soap, double lo, double hi) {
  auto* r = soap_new_tt__FloatRange(soap);
  r->Min = static_cast<float>(lo);
  r->Max = static_cast<float>(hi);
  return r;
}

// The node's spaces of each kind, as GetNode and GetConfigurationOptions list them.
tt__PTZSpaces* spacesWire(struct ::soap* soap, const ptz::Node& node) {
  auto* out = soap_new_tt__PTZSpaces(soap);
  for (const ptz::Space& s : node.spaces) {
    bool two = s.kind == ptz::SpaceKind::AbsolutePanTilt || s.kind == ptz::SpaceKind::RelativePanTilt ||
               s.kind == ptz::SpaceKind::ContinuousPanTilt;
    tt__Space2DDescription* d2 = nullptr;
    tt__Space1DDescription* d1 = nullptr;
    if (two) {
      d2 = soap_new_tt__Space2DDescription(soap);
      d2->URI = s.uri;
      d2->XRange = range(soap, s.x_min, s.x_max);
      d2->YRange = range(soap, s.y_min, s.y_max);
    } else {
      d1 = soap_new_tt__Space1DDescription(soap);
      d1->URI = s.uri;
      d1->XRange = range(soap, s.x_min, s.x_max);
    }
    switch (s.kind) {
      case ptz::SpaceKind::AbsolutePanTilt: out->AbsolutePanTiltPositionSpace.push_back(d2); break;
      case ptz::SpaceKind::AbsoluteZoom: out->AbsoluteZoomPositionSpace.push_back(d1); break;
      case ptz::SpaceKind::RelativePanTilt: out->RelativePanTiltTranslationSpace.push_back(d2); break;
      case ptz::SpaceKind::RelativeZoom: out->RelativeZoomTranslationSpace.push_back(d1); break;
      case ptz::SpaceKind::ContinuousPanTilt: out->ContinuousPanTiltVelocitySpace.push_back(d2); break;
      case ptz::SpaceKind::ContinuousZoom: out->ContinuousZoomVelocitySpace.push_back(d1); break;
      case ptz::SpaceKind::PanTiltSpeed: out->PanTiltSpeedSpace.push_back(d1); break;
      case ptz::SpaceKind::ZoomSpeed: out->ZoomSpeedSpace.push_back(d1); break;
    }
  }
  return out;
}

tt__PTZNode* nodeWire(struct ::soap* soap, const ptz::Node& node) {
  const core::PtzConfig& c = node.config;
  auto* out = soap_new_tt__PTZNode(soap);
  out->token = c.node_token;
  out->Name = soap_new_std__string(soap);
  *out->Name = c.node_name;
  out->SupportedPTZSpaces = spacesWire(soap, node);
  out->MaximumNumberOfPresets = c.max_presets;
  out->HomeSupported = c.home_supported;
  out->AuxiliaryCommands = node.auxiliaryCommands();
  if (c.home_supported) out->FixedHomePosition = newBool(soap, c.fixed_home);
  out->GeoMove = newBool(soap, false);
  return out;
}

tptz__Capabilities* capabilities(struct ::soap* soap) {
  ptz::PtzModel* m = model(soap);
  auto* caps = soap_new_tptz__Capabilities(soap);
  caps->EFlip = newBool(soap, m && m->node().config.eflip);
  caps->Reverse = newBool(soap, m && m->node().config.reverse);
  caps->GetCompatibleConfigurations = newBool(soap, true);
  caps->MoveStatus = newBool(soap, true);
  caps->StatusPosition = newBool(soap, true);
  return caps;
}

// The media profile's PTZ configuration: ter:NoProfile, ter:NoPTZProfile.
bool profilePtz(struct ::soap* soap, const std::string& profile, int* error) {
  const media::MediaState st = requestContext(soap).daemon->media->snapshot();
  const media::Profile* p = st.findProfile(profile);
  if (!p) return *error = onvif::soap::fault(soap, ErrorKind::NoProfile), false;
  if (p->ptz.empty()) return *error = onvif::soap::fault(soap, ErrorKind::NoPTZProfile), false;
  return true;
}

std::optional<ptz::Vec2> vec(const tt__Vector2D* v) {
  if (!v) return std::nullopt;
  return ptz::Vec2{v->x, v->y, v->space ? *v->space : std::string()};
}
std::optional<ptz::Vec1> vec(const tt__Vector1D* v) {
  if (!v) return std::nullopt;
  return ptz::Vec1{v->x, v->space ? *v->space : std::string()};
}
ptz::Speed speed(const tt__PTZSpeed* s) {
  ptz::Speed out;
  if (s) out.pan_tilt = vec(s->PanTilt), out.zoom = vec(s->Zoom);
  return out;
}

tt__PTZVector* positionWire(struct ::soap* soap, const ptz::PtzModel& m, const ptz::HeadPosition& p) {
  const ptz::Configuration cfg = m.configuration();
  auto* out = soap_new_tt__PTZVector(soap);
  out->PanTilt = soap_new_tt__Vector2D(soap);
  std::string pt_space =
      cfg.absolute_pan_tilt.empty() ? ptz::spaces::kPanTiltPositionGeneric : cfg.absolute_pan_tilt;
  out->PanTilt->x = static_cast<float>(m.panTiltIn(pt_space, p.pan, false));
  out->PanTilt->y = static_cast<float>(m.panTiltIn(pt_space, p.tilt, true));
  out->PanTilt->space = soap_new_std__string(soap);
  *out->PanTilt->space = pt_space;
  if (m.node().config.zoom) {
    out->Zoom = soap_new_tt__Vector1D(soap);
    out->Zoom->x = static_cast<float>(p.zoom);
    out->Zoom->space = soap_new_std__string(soap);
    *out->Zoom->space = cfg.absolute_zoom.empty() ? ptz::spaces::kZoomPositionGeneric : cfg.absolute_zoom;
  }
  return out;
}

}  // namespace

std::string ptzCapabilitiesXml(struct ::soap* soap) {
  return onvif::soap::elementXml(*capabilities(soap), "tptz:Capabilities");
}

}  // namespace onvif::services

namespace gsoap_onvif {

using namespace onvif::services;
using onvif::daemon::deviceNow;
using onvif::daemon::requestContext;
using onvif::soap::ErrorKind;
using onvif::soap::fault;

#define PTZ_MODEL(m)                                                \
  onvif::ptz::PtzModel* m = onvif::services::ptz_wire::model(soap); \
  if (!m || !requestContext(soap).daemon->media) return fault(soap, ErrorKind::ActionNotSupported)

// PTZ spec "GetServiceCapabilities". Access class PRE_AUTH.
int __tptz__GetServiceCapabilities(struct soap* soap, _tptz__GetServiceCapabilities*,
                                   _tptz__GetServiceCapabilitiesResponse& response) {
  PTZ_MODEL(m);
  response.Capabilities = onvif::services::capabilities(soap);
  return SOAP_OK;
}

// PTZ spec "GetNodes". READ_MEDIA.
int __tptz__GetNodes(struct soap* soap, _tptz__GetNodes*, _tptz__GetNodesResponse& response) {
  PTZ_MODEL(m);
  response.PTZNode.push_back(nodeWire(soap, m->node()));
  return SOAP_OK;
}

// PTZ spec "GetNode": unknown token -> ter:NoEntity. READ_MEDIA.
int __tptz__GetNode(struct soap* soap, _tptz__GetNode* request, _tptz__GetNodeResponse& response) {
  PTZ_MODEL(m);
  if (!request || request->NodeToken != m->node().config.node_token) return fault(soap, ErrorKind::NoEntity);
  response.PTZNode = nodeWire(soap, m->node());
  return SOAP_OK;
}

// PTZ spec "GetConfigurations". READ_MEDIA.
int __tptz__GetConfigurations(struct soap* soap, _tptz__GetConfigurations*,
                              _tptz__GetConfigurationsResponse& response) {
  PTZ_MODEL(m);
  const auto st = requestContext(soap).daemon->media->snapshot();
  response.PTZConfiguration.push_back(
      ptz_wire::configuration(soap, st, m->node().config.configuration_token));
  return SOAP_OK;
}

// PTZ spec "GetConfiguration": ter:NoConfig. READ_MEDIA.
int __tptz__GetConfiguration(struct soap* soap, _tptz__GetConfiguration* request,
                             _tptz__GetConfigurationResponse& response) {
  PTZ_MODEL(m);
  const auto st = requestContext(soap).daemon->media->snapshot();
  response.PTZConfiguration =
      request ? ptz_wire::configuration(soap, st, request->PTZConfigurationToken) : nullptr;
  if (!response.PTZConfiguration) return fault(soap, ErrorKind::NoConfig);
  return SOAP_OK;
}

// PTZ spec "GetConfigurationOptions": the node's spaces, the timeout range
// of continuous moves, the EFlip/Reverse modes when configurable. READ_MEDIA.
int __tptz__GetConfigurationOptions(struct soap* soap, _tptz__GetConfigurationOptions* request,
                                    _tptz__GetConfigurationOptionsResponse& response) {
  PTZ_MODEL(m);
  const auto& c = m->node().config;
  if (!request || request->ConfigurationToken != c.configuration_token)
    return fault(soap, ErrorKind::NoConfig);
  auto* o = soap_new_tt__PTZConfigurationOptions(soap);
  o->Spaces = spacesWire(soap, m->node());
  o->PTZTimeout = soap_new_tt__DurationRange(soap);
  o->PTZTimeout->Min = "PT1S";
  o->PTZTimeout->Max = "PT" + std::to_string(c.max_timeout_s) + "S";
  if (c.eflip || c.reverse) {
    o->PTControlDirection = soap_new_tt__PTControlDirectionOptions(soap);
    if (c.eflip) {
      o->PTControlDirection->EFlip = soap_new_tt__EFlipOptions(soap);
      o->PTControlDirection->EFlip->Mode = {tt__EFlipMode__OFF, tt__EFlipMode__ON};
    }
    if (c.reverse) {
      o->PTControlDirection->Reverse = soap_new_tt__ReverseOptions(soap);
      o->PTControlDirection->Reverse->Mode = {tt__ReverseMode__OFF, tt__ReverseMode__ON};
    }
  }
  response.PTZConfigurationOptions = o;
  return SOAP_OK;
}

// PTZ spec "SetConfiguration": ter:NoConfig; the node token is not the
// client's to change, and anything outside the options is ter:ConfigModify.
// Absent optional parts keep their values. ACTUATE.
int __tptz__SetConfiguration(struct soap* soap, _tptz__SetConfiguration* request,
                             _tptz__SetConfigurationResponse&) {
  PTZ_MODEL(m);
  if (!request || !request->PTZConfiguration) return fault(soap, ErrorKind::InvalidArgs);
  const tt__PTZConfiguration& in = *request->PTZConfiguration;
  const auto& c = m->node().config;
  if (in.token != c.configuration_token) return fault(soap, ErrorKind::NoConfig);
  if (in.NodeToken != c.node_token)
    return fault(soap, ErrorKind::ConfigModify, "NodeToken cannot be changed");
  onvif::ptz::Configuration next = m->configuration();
  next.name = in.Name;
  auto take = [](const std::string* from, std::string* to) {
    if (from) *to = *from;
  };
  take(in.DefaultAbsolutePantTiltPositionSpace, &next.absolute_pan_tilt);
  take(in.DefaultAbsoluteZoomPositionSpace, &next.absolute_zoom);
  take(in.DefaultRelativePanTiltTranslationSpace, &next.relative_pan_tilt);
  take(in.DefaultRelativeZoomTranslationSpace, &next.relative_zoom);
  take(in.DefaultContinuousPanTiltVelocitySpace, &next.continuous_pan_tilt);
  take(in.DefaultContinuousZoomVelocitySpace, &next.continuous_zoom);
  if (in.DefaultPTZSpeed && in.DefaultPTZSpeed->PanTilt) {
    next.pan_tilt_speed_x = in.DefaultPTZSpeed->PanTilt->x;
    next.pan_tilt_speed_y = in.DefaultPTZSpeed->PanTilt->y;
  }
  if (in.DefaultPTZSpeed && in.DefaultPTZSpeed->Zoom) next.zoom_speed = in.DefaultPTZSpeed->Zoom->x;
  if (in.DefaultPTZTimeout) {
    long long ms = 0;
    if (!onvif::core::parseDuration(*in.DefaultPTZTimeout, &ms) || ms % 1000 != 0)
      return fault(soap, ErrorKind::ConfigModify,
                   "DefaultPTZTimeout must be whole seconds in the PTZTimeout range");
    next.timeout_s = static_cast<int>(ms / 1000);
  }
  if (in.PanTiltLimits || in.ZoomLimits)
    return fault(soap, ErrorKind::ConfigModify, "Pan/tilt and zoom limits are not configurable");
  if (in.Extension && in.Extension->PTControlDirection) {
    const tt__PTControlDirection& d = *in.Extension->PTControlDirection;
    if (d.EFlip)
      next.eflip = d.EFlip->Mode == tt__EFlipMode__ON    ? "ON"
                   : d.EFlip->Mode == tt__EFlipMode__OFF ? "OFF"
                                                         : "?";
    if (d.Reverse)
      next.reverse = d.Reverse->Mode == tt__ReverseMode__ON    ? "ON"
                     : d.Reverse->Mode == tt__ReverseMode__OFF ? "OFF"
                                                               : "?";
  }
  onvif::ptz::Result r = m->setConfiguration(next);
  return r.ok ? SOAP_OK : fail(soap, r);
}

// PTZ spec "GetCompatibleConfigurations": the node's one configuration fits
// every profile. READ_MEDIA.
int __tptz__GetCompatibleConfigurations(struct soap* soap, _tptz__GetCompatibleConfigurations* request,
                                        _tptz__GetCompatibleConfigurationsResponse& response) {
  PTZ_MODEL(m);
  const auto st = requestContext(soap).daemon->media->snapshot();
  if (!request || !st.findProfile(request->ProfileToken)) return fault(soap, ErrorKind::NoProfile);
  response.PTZConfiguration.push_back(
      ptz_wire::configuration(soap, st, m->node().config.configuration_token));
  return SOAP_OK;
}

// PTZ spec "ContinuousMove". ACTUATE.
int __tptz__ContinuousMove(struct soap* soap, _tptz__ContinuousMove* request,
                           _tptz__ContinuousMoveResponse&) {
  PTZ_MODEL(m);
  int error = 0;
  if (!request || !request->Velocity) return fault(soap, ErrorKind::InvalidArgs);
  if (!profilePtz(soap, request->ProfileToken, &error)) return error;
  std::optional<long long> timeout;
  if (request->Timeout) {
    long long ms = 0;
    if (!onvif::core::parseDuration(*request->Timeout, &ms))
      return fault(soap, ErrorKind::TimeoutNotSupported);
    timeout = ms;
  }
  onvif::ptz::Result r =
      m->continuousMove(vec(request->Velocity->PanTilt), vec(request->Velocity->Zoom), timeout);
  return r.ok ? SOAP_OK : fail(soap, r);
}

// PTZ spec "RelativeMove". ACTUATE.
int __tptz__RelativeMove(struct soap* soap, _tptz__RelativeMove* request, _tptz__RelativeMoveResponse&) {
  PTZ_MODEL(m);
  int error = 0;
  if (!request || !request->Translation) return fault(soap, ErrorKind::InvalidArgs);
  if (!profilePtz(soap, request->ProfileToken, &error)) return error;
  onvif::ptz::Result r = m->relativeMove(vec(request->Translation->PanTilt), vec(request->Translation->Zoom),
                                         speed(request->Speed));
  return r.ok ? SOAP_OK : fail(soap, r);
}

// PTZ spec "AbsoluteMove". ACTUATE.
int __tptz__AbsoluteMove(struct soap* soap, _tptz__AbsoluteMove* request, _tptz__AbsoluteMoveResponse&) {
  PTZ_MODEL(m);
  int error = 0;
  if (!request || !request->Position) return fault(soap, ErrorKind::InvalidArgs);
  if (!profilePtz(soap, request->ProfileToken, &error)) return error;
  onvif::ptz::Result r =
      m->absoluteMove(vec(request->Position->PanTilt), vec(request->Position->Zoom), speed(request->Speed));
  return r.ok ? SOAP_OK : fail(soap, r);
}

// PTZ spec "Stop": PanTilt and Zoom default to true. ACTUATE.
int __tptz__Stop(struct soap* soap, _tptz__Stop* request, _tptz__StopResponse&) {
  PTZ_MODEL(m);
  int error = 0;
  if (!request) return fault(soap, ErrorKind::InvalidArgs);
  if (!profilePtz(soap, request->ProfileToken, &error)) return error;
  onvif::ptz::Result r = m->stop(!request->PanTilt || *request->PanTilt, !request->Zoom || *request->Zoom);
  return r.ok ? SOAP_OK : fail(soap, r);
}

// PTZ spec "GetStatus": Position in the configuration's default absolute
// spaces, MoveStatus per axis, Error when the state is unknown, UtcTime.
// READ_MEDIA.
int __tptz__GetStatus(struct soap* soap, _tptz__GetStatus* request, _tptz__GetStatusResponse& response) {
  PTZ_MODEL(m);
  int error = 0;
  if (!request) return fault(soap, ErrorKind::InvalidArgs);
  if (!profilePtz(soap, request->ProfileToken, &error)) return error;
  const onvif::ptz::Status st = m->status();
  auto* out = soap_new_tt__PTZStatus(soap);
  out->Position = positionWire(soap, *m, st.position);
  out->MoveStatus = soap_new_tt__PTZMoveStatus(soap);
  auto state = [&](bool moving) {
    auto* s = static_cast<tt__MoveStatus*>(soap_malloc(soap, sizeof(tt__MoveStatus)));
    *s = !st.known ? tt__MoveStatus__UNKNOWN : moving ? tt__MoveStatus__MOVING : tt__MoveStatus__IDLE;
    return s;
  };
  out->MoveStatus->PanTilt = state(st.pan_tilt_moving);
  if (m->node().config.zoom) out->MoveStatus->Zoom = state(st.zoom_moving);
  if (!st.known) {
    out->Error = soap_new_std__string(soap);
    *out->Error = st.error;
  }
  out->UtcTime = std::chrono::system_clock::to_time_t(deviceNow(*requestContext(soap).daemon));
  response.PTZStatus = out;
  return SOAP_OK;
}

// PTZ spec "GetPresets". READ_MEDIA.
int __tptz__GetPresets(struct soap* soap, _tptz__GetPresets* request, _tptz__GetPresetsResponse& response) {
  PTZ_MODEL(m);
  int error = 0;
  if (!request) return fault(soap, ErrorKind::InvalidArgs);
  if (!profilePtz(soap, request->ProfileToken, &error)) return error;
  for (const onvif::ptz::Preset& p : m->presets()) {
    auto* out = soap_new_tt__PTZPreset(soap);
    out->token = soap_new_std__string(soap);
    *out->token = p.token;
    out->Name = soap_new_std__string(soap);
    *out->Name = p.name;
    out->PTZPosition = positionWire(soap, *m, p.position);
    response.Preset.push_back(out);
  }
  return SOAP_OK;
}

// PTZ spec "SetPreset". ACTUATE.
int __tptz__SetPreset(struct soap* soap, _tptz__SetPreset* request, _tptz__SetPresetResponse& response) {
  PTZ_MODEL(m);
  int error = 0;
  if (!request) return fault(soap, ErrorKind::InvalidArgs);
  if (!profilePtz(soap, request->ProfileToken, &error)) return error;
  onvif::ptz::Result r = m->setPreset(request->PresetToken, request->PresetName, &response.PresetToken);
  return r.ok ? SOAP_OK : fail(soap, r);
}

// PTZ spec "RemovePreset". ACTUATE.
int __tptz__RemovePreset(struct soap* soap, _tptz__RemovePreset* request, _tptz__RemovePresetResponse&) {
  PTZ_MODEL(m);
  int error = 0;
  if (!request) return fault(soap, ErrorKind::InvalidArgs);
  if (!profilePtz(soap, request->ProfileToken, &error)) return error;
  onvif::ptz::Result r = m->removePreset(request->PresetToken);
  return r.ok ? SOAP_OK : fail(soap, r);
}

// PTZ spec "GotoPreset" (Speed optional). ACTUATE.
int __tptz__GotoPreset(struct soap* soap, _tptz__GotoPreset* request, _tptz__GotoPresetResponse&) {
  PTZ_MODEL(m);
  int error = 0;
  if (!request) return fault(soap, ErrorKind::InvalidArgs);
  if (!profilePtz(soap, request->ProfileToken, &error)) return error;
  onvif::ptz::Result r = m->gotoPreset(request->PresetToken, speed(request->Speed));
  return r.ok ? SOAP_OK : fail(soap, r);
}

// PTZ spec "GotoHomePosition". ACTUATE.
int __tptz__GotoHomePosition(struct soap* soap, _tptz__GotoHomePosition* request,
                             _tptz__GotoHomePositionResponse&) {
  PTZ_MODEL(m);
  int error = 0;
  if (!request) return fault(soap, ErrorKind::InvalidArgs);
  if (!profilePtz(soap, request->ProfileToken, &error)) return error;
  onvif::ptz::Result r = m->gotoHome(speed(request->Speed));
  return r.ok ? SOAP_OK : fail(soap, r);
}

// PTZ spec "SetHomePosition": FixedHomePosition -> ter:CannotOverwriteHome. ACTUATE.
int __tptz__SetHomePosition(struct soap* soap, _tptz__SetHomePosition* request,
                            _tptz__SetHomePositionResponse&) {
  PTZ_MODEL(m);
  int error = 0;
  if (!request) return fault(soap, ErrorKind::InvalidArgs);
  if (!profilePtz(soap, request->ProfileToken, &error)) return error;
  onvif::ptz::Result r = m->setHome();
  return r.ok ? SOAP_OK : fail(soap, r);
}

// PTZ spec "SendAuxiliaryCommand": the node's declared commands only; refused
// on a real device without [ptz] hook_auxiliary (ptz_model.cpp). ACTUATE.
int __tptz__SendAuxiliaryCommand(struct soap* soap, _tptz__SendAuxiliaryCommand* request,
                                 _tptz__SendAuxiliaryCommandResponse& response) {
  PTZ_MODEL(m);
  int error = 0;
  if (!request) return fault(soap, ErrorKind::InvalidArgs);
  if (!profilePtz(soap, request->ProfileToken, &error)) return error;
  onvif::ptz::Result r = m->auxiliary(request->AuxiliaryData, &response.AuxiliaryResponse);
  return r.ok ? SOAP_OK : fail(soap, r);
}

}  // namespace gsoap_onvif
