// Media2 service, video: video source configurations, video encoder
// configurations (H.264, H.265, JPEG), encoder instances and video source
// modes (Media2 spec "Media Configuration Methods", "GetVideoEncoderInstances",
// "Video source mode"). Get* READ_MEDIA, Set* ACTUATE, video source modes
// READ_SYSTEM / WRITE_SYSTEM.
#include <algorithm>

#include "services/media2_wire.hpp"
#include "soap/faults.hpp"

namespace gsoap_onvif {
namespace {

using namespace onvif::services;
using onvif::media::MediaState;
using onvif::media::Profile;
using onvif::media::Status;
using onvif::media::VideoEncoderOptions;
using onvif::media::VideoEncoding;
using onvif::services::media_wire::fail;
using onvif::services::media_wire::model;
using onvif::soap::ErrorKind;

template <typename T>
void addOnce(std::vector<T>* into, const T& v) {
  if (std::find(into->begin(), into->end(), v) == into->end()) into->push_back(v);
}

// "Generic for the device" (no token): what any encoder offers.
VideoEncoderOptions deviceOptions(const onvif::media::Camera& camera) {
  VideoEncoderOptions all;
  for (std::size_t i = 0; i < camera.encoder_options.size(); ++i) {
    const VideoEncoderOptions& o = camera.encoder_options[i];
    for (VideoEncoding e : o.encodings) addOnce(&all.encodings, e);
    for (const auto& r : o.resolutions) addOnce(&all.resolutions, r);
    for (const auto& p : o.h264_profiles) addOnce(&all.h264_profiles, p);
    for (const auto& p : o.h265_profiles) addOnce(&all.h265_profiles, p);
    auto widen = [i](onvif::media::Range* into, const onvif::media::Range& r) {
      *into = i == 0 ? r : onvif::media::Range{std::min(into->min, r.min), std::max(into->max, r.max)};
    };
    widen(&all.quality, o.quality);
    widen(&all.framerate, o.framerate);
    widen(&all.bitrate, o.bitrate);
    widen(&all.gov, o.gov);
  }
  return all;
}

// One tt:VideoEncoder2ConfigurationOptions per encoding (Media2 spec
// "Get<entity>ConfigurationOptions"); every combination is accepted by
// SetVideoEncoderConfiguration.
void optionsToWire(struct soap* soap, const VideoEncoderOptions& o,
                   std::vector<tt__VideoEncoder2ConfigurationOptions*>* out) {
  for (VideoEncoding e : o.encodings) {
    auto* w = soap_new_tt__VideoEncoder2ConfigurationOptions(soap);
    w->Encoding = media2_wire::videoEncodingName(e);
    w->QualityRange = soap_new_tt__FloatRange(soap);
    w->QualityRange->Min = static_cast<float>(o.quality.min);
    w->QualityRange->Max = static_cast<float>(o.quality.max);
    for (const auto& r : o.resolutions) {
      auto* res = soap_new_tt__VideoResolution2(soap);
      res->Width = r.width;
      res->Height = r.height;
      w->ResolutionsAvailable.push_back(res);
    }
    w->BitrateRange = media_wire::newRange(soap, o.bitrate);
    std::string rates;  // highest first, as the schema's example lists them
    for (int f = o.framerate.max; f >= o.framerate.min && f >= 1; --f)
      rates += (rates.empty() ? "" : " ") + std::to_string(f);
    w->FrameRatesSupported = soap_new_std__string(soap);
    *w->FrameRatesSupported = rates;
    const std::vector<std::string>* profiles = e == VideoEncoding::H264   ? &o.h264_profiles
                                               : e == VideoEncoding::H265 ? &o.h265_profiles
                                                                          : nullptr;
    if (profiles) {
      w->GovLengthRange = soap_new_std__string(soap);
      *w->GovLengthRange = std::to_string(o.gov.min) + " " + std::to_string(o.gov.max);
      std::string list;
      for (const auto& p : *profiles) list += (list.empty() ? "" : " ") + p;
      w->ProfilesSupported = soap_new_std__string(soap);
      *w->ProfilesSupported = list;
    }
    w->ConstantBitRateSupported = media_wire::newBool(soap, false);
    out->push_back(w);
  }
}

}  // namespace

// Media2 spec "Get<entity>Configurations" for video source configurations.
int __tr2__GetVideoSourceConfigurations(struct soap* soap, tr2__GetConfiguration* request,
                                        _tr2__GetVideoSourceConfigurationsResponse& response) {
  const MediaState st = model(soap).snapshot();
  return media2_wire::listConfigurations(
      soap, st, request, st.video_sources, &response.Configurations,
      [&](const onvif::media::VideoSourceConfig& c) { return media_wire::toWire(soap, st, c); });
}

// Media2 spec "Set<entity>Configuration": Bounds inside the sensor, else
// ConfigModify with nothing changed; both services' change events.
int __tr2__SetVideoSourceConfiguration(struct soap* soap, _tr2__SetVideoSourceConfiguration* request,
                                       tr2__SetConfigurationResponse&) {
  if (!request || !request->Configuration) return fail(soap, ErrorKind::InvalidArgs);
  onvif::media::MediaModel& m = model(soap);
  const std::string token = request->Configuration->token;
  Status s = m.update([&](MediaState& st, onvif::media::Change* change) {
    auto* c = st.findVideoSource(token);
    if (!c) return Status::fail(ErrorKind::NoConfig);
    onvif::media::VideoSourceConfig next = *c;
    Status v = media_wire::fromWire(*request->Configuration, &next);
    if (v.ok) v = onvif::media::validateVideoSource(m.camera(), next);
    if (!v.ok) return v;
    *c = next;
    *change = onvif::media::describe(next);
    return Status{};
  });
  if (!s.ok) return fail(soap, s);
  media_wire::publishChange(soap, "tns1:Configuration/VideoSourceConfiguration/MediaService", token);
  return SOAP_OK;
}

// Media2 spec "Get<entity>ConfigurationOptions": Bounds anywhere inside the sensor.
int __tr2__GetVideoSourceConfigurationOptions(struct soap* soap, tr2__GetConfiguration* request,
                                              _tr2__GetVideoSourceConfigurationOptionsResponse& response) {
  const onvif::media::Camera& camera = model(soap).camera();
  const MediaState st = model(soap).snapshot();
  int err = media2_wire::checkProfileToken(soap, st, request);
  if (err != SOAP_OK) return err;
  if (request && request->ConfigurationToken && !st.findVideoSource(*request->ConfigurationToken))
    return fail(soap, ErrorKind::NoConfig);
  const auto& res = camera.video_source_resolution;
  auto* o = soap_new_tt__VideoSourceConfigurationOptions(soap);
  o->BoundsRange = soap_new_tt__IntRectangleRange(soap);
  o->BoundsRange->XRange = media_wire::newRange(soap, 0, res.width - 1);
  o->BoundsRange->YRange = media_wire::newRange(soap, 0, res.height - 1);
  o->BoundsRange->WidthRange = media_wire::newRange(soap, 1, res.width);
  o->BoundsRange->HeightRange = media_wire::newRange(soap, 1, res.height);
  o->VideoSourceTokensAvailable.push_back(camera.video_source_token);
  o->MaximumNumberOfProfiles = media_wire::newInt(soap, camera.max_profiles);
  response.Options = o;
  return SOAP_OK;
}

// Media2 spec "Get<entity>Configurations" for video encoder configurations
// (H.265 ones included: Media2 can name every codec).
int __tr2__GetVideoEncoderConfigurations(struct soap* soap, tr2__GetConfiguration* request,
                                         _tr2__GetVideoEncoderConfigurationsResponse& response) {
  const MediaState st = model(soap).snapshot();
  return media2_wire::listConfigurations(
      soap, st, request, st.video_encoders, &response.Configurations,
      [&](const onvif::media::VideoEncoderConfig& c) { return media2_wire::toWire(soap, st, c); });
}

// Media2 spec "Set<entity>Configuration": anything the options offer is
// accepted, H.265 included (BitrateLimit adapted into range, as the spec
// asks); anything else ConfigModify with nothing changed.
int __tr2__SetVideoEncoderConfiguration(struct soap* soap, _tr2__SetVideoEncoderConfiguration* request,
                                        tr2__SetConfigurationResponse&) {
  if (!request || !request->Configuration) return fail(soap, ErrorKind::InvalidArgs);
  onvif::media::MediaModel& m = model(soap);
  const std::string token = request->Configuration->token;
  Status s = m.update([&](MediaState& st, onvif::media::Change* change) {
    auto* c = st.findVideoEncoder(token);
    if (!c) return Status::fail(ErrorKind::NoConfig);
    onvif::media::VideoEncoderConfig next = *c;
    Status v = media2_wire::fromWire(*request->Configuration, &next);
    if (v.ok) v = onvif::media::validateVideoEncoder(m.camera(), *c, &next, true);
    if (!v.ok) return v;
    *c = next;
    *change = onvif::media::describe(next);
    return Status{};
  });
  if (!s.ok) return fail(soap, s);
  media_wire::publishChange(soap, "tns1:Configuration/VideoEncoderConfiguration", token);
  return SOAP_OK;
}

// Media2 spec "Get<entity>ConfigurationOptions": a ConfigurationToken gives
// that encoder's options, a ProfileToken those of the profile's encoder
// (both: the configuration's, which fits any profile), neither the device's.
int __tr2__GetVideoEncoderConfigurationOptions(struct soap* soap, tr2__GetConfiguration* request,
                                               _tr2__GetVideoEncoderConfigurationOptionsResponse& response) {
  const onvif::media::Camera& camera = model(soap).camera();
  const MediaState st = model(soap).snapshot();
  int err = media2_wire::checkProfileToken(soap, st, request);
  if (err != SOAP_OK) return err;
  const VideoEncoderOptions* chosen = nullptr;
  if (request && request->ProfileToken)
    chosen = camera.optionsFor(st.findProfile(*request->ProfileToken)->video_encoder);
  if (request && request->ConfigurationToken && !(chosen = camera.optionsFor(*request->ConfigurationToken)))
    return fail(soap, ErrorKind::NoConfig);
  VideoEncoderOptions generic;
  if (!chosen) {
    generic = deviceOptions(camera);
    chosen = &generic;
  }
  optionsToWire(soap, *chosen, &response.Options);
  return SOAP_OK;
}

// Media2 spec "GetVideoEncoderInstances": every encoder of the one video
// source runs at the same time whatever its codec, so Total is their number
// (never more than MaximumNumberOfProfiles: each has a fixed profile).
int __tr2__GetVideoEncoderInstances(struct soap* soap, _tr2__GetVideoEncoderInstances* request,
                                    _tr2__GetVideoEncoderInstancesResponse& response) {
  const MediaState st = model(soap).snapshot();
  if (!request || !st.findVideoSource(request->ConfigurationToken)) return fail(soap, ErrorKind::NoConfig);
  response.Info = soap_new_tr2__EncoderInstanceInfo(soap);
  response.Info->Total = static_cast<int>(st.video_encoders.size());
  return SOAP_OK;
}

// Media2 spec "GetVideoSourceModes": the sensor has one mode, the current
// one (its resolution, framerate and every encoding the encoders offer).
int __tr2__GetVideoSourceModes(struct soap* soap, _tr2__GetVideoSourceModes* request,
                               _tr2__GetVideoSourceModesResponse& response) {
  const onvif::media::Camera& camera = model(soap).camera();
  if (!request || request->VideoSourceToken != camera.video_source_token)
    return fail(soap, ErrorKind::NoVideoSource);
  auto* mode = soap_new_tr2__VideoSourceMode(soap);
  mode->token = camera.video_source_mode_token;
  mode->Enabled = media_wire::newBool(soap, true);
  mode->MaxFramerate = static_cast<float>(camera.video_source_framerate);
  mode->MaxResolution = soap_new_tt__VideoResolution(soap);
  mode->MaxResolution->Width = camera.video_source_resolution.width;
  mode->MaxResolution->Height = camera.video_source_resolution.height;
  for (VideoEncoding e : deviceOptions(camera).encodings)
    mode->Encodings += (mode->Encodings.empty() ? "" : " ") + std::string(media2_wire::videoEncodingName(e));
  mode->Reboot = false;
  response.VideoSourceModes.push_back(mode);
  return SOAP_OK;
}

// Media2 spec "SetVideoSourceMode": the one mode is already set, so nothing
// changes and no reboot follows.
int __tr2__SetVideoSourceMode(struct soap* soap, _tr2__SetVideoSourceMode* request,
                              _tr2__SetVideoSourceModeResponse& response) {
  const onvif::media::Camera& camera = model(soap).camera();
  if (!request || request->VideoSourceToken != camera.video_source_token)
    return fail(soap, ErrorKind::NoVideoSource);
  if (request->VideoSourceModeToken != camera.video_source_mode_token)
    return fail(soap, ErrorKind::NoVideoSourceMode);
  response.Reboot = false;
  return SOAP_OK;
}

}  // namespace gsoap_onvif
