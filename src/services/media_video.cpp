// Media service ver10, video: sources, source configurations and encoder
// configurations (Media spec sections "Video source", "Video source
// configuration", "Video encoder configuration"). Get* READ_MEDIA, Set* ACTUATE.
#include <algorithm>

#include "services/media_wire.hpp"
#include "soap/faults.hpp"

namespace gsoap_onvif {
namespace {

using namespace onvif::services::media_wire;
using onvif::media::Change;
using onvif::media::MediaState;
using onvif::media::Profile;
using onvif::media::Status;
using onvif::media::VideoEncoderOptions;
using onvif::media::VideoEncoding;
using onvif::soap::ErrorKind;

void addResolutions(struct soap* soap, const VideoEncoderOptions& o, std::vector<tt__VideoResolution*>* out) {
  for (const auto& r : o.resolutions) {
    auto* res = soap_new_tt__VideoResolution(soap);
    res->Width = r.width;
    res->Height = r.height;
    out->push_back(res);
  }
}

bool offers(const VideoEncoderOptions& o, VideoEncoding e) {
  return std::find(o.encodings.begin(), o.encodings.end(), e) != o.encodings.end();
}

tt__H264Profile h264Profile(const std::string& name) {
  return name == "Baseline"   ? tt__H264Profile__Baseline
         : name == "Extended" ? tt__H264Profile__Extended
         : name == "High"     ? tt__H264Profile__High
                              : tt__H264Profile__Main;
}

// The options on the wire: the ver10 elements plus the Extension's
// BitrateRange (JpegOptions2/H264Options2), which NVRs use for their sliders.
tt__VideoEncoderConfigurationOptions* optionsToWire(struct soap* soap, const VideoEncoderOptions& o) {
  auto* out = soap_new_tt__VideoEncoderConfigurationOptions(soap);
  out->QualityRange = newRange(soap, o.quality);
  out->Extension = soap_new_tt__VideoEncoderOptionsExtension(soap);
  if (offers(o, VideoEncoding::JPEG)) {
    out->JPEG = soap_new_tt__JpegOptions(soap);
    addResolutions(soap, o, &out->JPEG->ResolutionsAvailable);
    out->JPEG->FrameRateRange = newRange(soap, o.framerate);
    out->JPEG->EncodingIntervalRange = newRange(soap, o.encoding_interval);
    auto* j2 = soap_new_tt__JpegOptions2(soap);
    addResolutions(soap, o, &j2->ResolutionsAvailable);
    j2->FrameRateRange = newRange(soap, o.framerate);
    j2->EncodingIntervalRange = newRange(soap, o.encoding_interval);
    j2->BitrateRange = newRange(soap, o.bitrate);
    out->Extension->JPEG = j2;
  }
  if (offers(o, VideoEncoding::H264)) {
    out->H264 = soap_new_tt__H264Options(soap);
    addResolutions(soap, o, &out->H264->ResolutionsAvailable);
    out->H264->GovLengthRange = newRange(soap, o.gov);
    out->H264->FrameRateRange = newRange(soap, o.framerate);
    out->H264->EncodingIntervalRange = newRange(soap, o.encoding_interval);
    for (const std::string& p : o.h264_profiles) out->H264->H264ProfilesSupported.push_back(h264Profile(p));
    auto* h2 = soap_new_tt__H264Options2(soap);
    addResolutions(soap, o, &h2->ResolutionsAvailable);
    h2->GovLengthRange = newRange(soap, o.gov);
    h2->FrameRateRange = newRange(soap, o.framerate);
    h2->EncodingIntervalRange = newRange(soap, o.encoding_interval);
    h2->H264ProfilesSupported = out->H264->H264ProfilesSupported;
    h2->BitrateRange = newRange(soap, o.bitrate);
    out->Extension->H264 = h2;
  }
  return out;
}

// Options "generic for the device" (no token given): what any encoder offers.
VideoEncoderOptions deviceOptions(const onvif::media::Camera& camera) {
  VideoEncoderOptions all;
  bool first = true;
  for (std::size_t i = 0; i < camera.encoder_options.size(); ++i) {
    const VideoEncoderOptions& o = camera.encoder_options[i];
    if (std::all_of(o.encodings.begin(), o.encodings.end(),
                    [](VideoEncoding e) { return e == VideoEncoding::H265; }))
      continue;  // an H.265-only encoder offers ver10 nothing
    for (VideoEncoding e : o.encodings)
      if (e != VideoEncoding::H265 && !offers(all, e)) all.encodings.push_back(e);
    for (const auto& r : o.resolutions)
      if (std::find(all.resolutions.begin(), all.resolutions.end(), r) == all.resolutions.end())
        all.resolutions.push_back(r);
    for (const auto& p : o.h264_profiles)
      if (std::find(all.h264_profiles.begin(), all.h264_profiles.end(), p) == all.h264_profiles.end())
        all.h264_profiles.push_back(p);
    auto widen = [first](onvif::media::Range* into, const onvif::media::Range& r) {
      *into = first ? r : onvif::media::Range{std::min(into->min, r.min), std::max(into->max, r.max)};
    };
    widen(&all.quality, o.quality);
    widen(&all.framerate, o.framerate);
    widen(&all.encoding_interval, o.encoding_interval);
    widen(&all.bitrate, o.bitrate);
    widen(&all.gov, o.gov);
    first = false;
  }
  return all;
}

}  // namespace

// Media spec "GetVideoSources".
int __trt__GetVideoSources(struct soap* soap, _trt__GetVideoSources*,
                           _trt__GetVideoSourcesResponse& response) {
  const onvif::media::Camera& camera = model(soap).camera();
  auto* vs = soap_new_tt__VideoSource(soap);
  vs->token = camera.video_source_token;
  vs->Framerate = static_cast<float>(camera.video_source_framerate);
  vs->Resolution = soap_new_tt__VideoResolution(soap);
  vs->Resolution->Width = camera.video_source_resolution.width;
  vs->Resolution->Height = camera.video_source_resolution.height;
  response.VideoSources.push_back(vs);
  return SOAP_OK;
}

// Media spec "GetVideoSourceConfigurations".
int __trt__GetVideoSourceConfigurations(struct soap* soap, _trt__GetVideoSourceConfigurations*,
                                        _trt__GetVideoSourceConfigurationsResponse& response) {
  const MediaState st = model(soap).snapshot();
  for (const auto& c : st.video_sources) response.Configurations.push_back(toWire(soap, st, c));
  return SOAP_OK;
}

// Media spec "GetVideoSourceConfiguration".
int __trt__GetVideoSourceConfiguration(struct soap* soap, _trt__GetVideoSourceConfiguration* request,
                                       _trt__GetVideoSourceConfigurationResponse& response) {
  const MediaState st = model(soap).snapshot();
  const auto* c = request ? st.findVideoSource(request->ConfigurationToken) : nullptr;
  if (!c) return fail(soap, ErrorKind::NoConfig);
  response.Configuration = toWire(soap, st, *c);
  return SOAP_OK;
}

// Media spec "GetCompatibleVideoSourceConfigurations": one sensor, so every
// video source configuration fits every profile.
int __trt__GetCompatibleVideoSourceConfigurations(
    struct soap* soap, _trt__GetCompatibleVideoSourceConfigurations* request,
    _trt__GetCompatibleVideoSourceConfigurationsResponse& response) {
  const MediaState st = model(soap).snapshot();
  const Profile* p = request ? st.findProfile(request->ProfileToken) : nullptr;
  if (!p || !visibleProfile(st, *p)) return fail(soap, ErrorKind::NoProfile);
  for (const auto& c : st.video_sources) response.Configurations.push_back(toWire(soap, st, c));
  return SOAP_OK;
}

// Media spec "GetVideoSourceConfigurationOptions": Bounds anywhere inside
// the sensor (the same whatever the tokens, once they are checked).
int __trt__GetVideoSourceConfigurationOptions(struct soap* soap,
                                              _trt__GetVideoSourceConfigurationOptions* request,
                                              _trt__GetVideoSourceConfigurationOptionsResponse& response) {
  const onvif::media::Camera& camera = model(soap).camera();
  const MediaState st = model(soap).snapshot();
  if (request && request->ProfileToken) {
    const Profile* p = st.findProfile(*request->ProfileToken);
    if (!p || !visibleProfile(st, *p)) return fail(soap, ErrorKind::NoProfile);
  }
  if (request && request->ConfigurationToken && !st.findVideoSource(*request->ConfigurationToken))
    return fail(soap, ErrorKind::NoConfig);
  const auto& res = camera.video_source_resolution;
  auto* o = soap_new_tt__VideoSourceConfigurationOptions(soap);
  o->BoundsRange = soap_new_tt__IntRectangleRange(soap);
  o->BoundsRange->XRange = newRange(soap, 0, res.width - 1);
  o->BoundsRange->YRange = newRange(soap, 0, res.height - 1);
  o->BoundsRange->WidthRange = newRange(soap, 1, res.width);
  o->BoundsRange->HeightRange = newRange(soap, 1, res.height);
  o->VideoSourceTokensAvailable.push_back(camera.video_source_token);
  o->MaximumNumberOfProfiles = newInt(soap, camera.max_profiles);
  response.Options = o;
  return SOAP_OK;
}

// Media spec "SetVideoSourceConfiguration": Bounds inside the sensor, else
// ter:ConfigModify with nothing changed. Publishes the spec's
// VideoSourceConfiguration change event.
int __trt__SetVideoSourceConfiguration(struct soap* soap, _trt__SetVideoSourceConfiguration* request,
                                       _trt__SetVideoSourceConfigurationResponse&) {
  if (!request || !request->Configuration) return fail(soap, ErrorKind::InvalidArgs);
  onvif::media::MediaModel& m = model(soap);
  const std::string token = request->Configuration->token;
  Status s = m.update([&](MediaState& st, Change* change) {
    auto* c = st.findVideoSource(token);
    if (!c) return Status::fail(ErrorKind::NoConfig);
    onvif::media::VideoSourceConfig next = *c;
    Status v = fromWire(*request->Configuration, &next);
    if (v.ok) v = onvif::media::validateVideoSource(m.camera(), next);
    if (!v.ok) return v;
    *c = next;
    *change = onvif::media::describe(next);
    return Status{};
  });
  if (!s.ok) return fail(soap, s);
  publishChange(soap, "tns1:Configuration/VideoSourceConfiguration/MediaService", token);
  return SOAP_OK;
}

// Media spec "GetVideoEncoderConfigurations" (H.265 encoders are Media2's).
int __trt__GetVideoEncoderConfigurations(struct soap* soap, _trt__GetVideoEncoderConfigurations*,
                                         _trt__GetVideoEncoderConfigurationsResponse& response) {
  const MediaState st = model(soap).snapshot();
  for (const auto& c : st.video_encoders)
    if (visibleEncoder(st, c.token)) response.Configurations.push_back(toWire(soap, st, c));
  return SOAP_OK;
}

// Media spec "GetVideoEncoderConfiguration".
int __trt__GetVideoEncoderConfiguration(struct soap* soap, _trt__GetVideoEncoderConfiguration* request,
                                        _trt__GetVideoEncoderConfigurationResponse& response) {
  const MediaState st = model(soap).snapshot();
  const auto* c = request ? st.findVideoEncoder(request->ConfigurationToken) : nullptr;
  if (!c || !visibleEncoder(st, c->token)) return fail(soap, ErrorKind::NoConfig);
  response.Configuration = toWire(soap, st, *c);
  return SOAP_OK;
}

// Media spec "GetCompatibleVideoEncoderConfigurations": every encoder draws
// on the one sensor, so all of them can be added to any profile.
int __trt__GetCompatibleVideoEncoderConfigurations(
    struct soap* soap, _trt__GetCompatibleVideoEncoderConfigurations* request,
    _trt__GetCompatibleVideoEncoderConfigurationsResponse& response) {
  const MediaState st = model(soap).snapshot();
  const Profile* p = request ? st.findProfile(request->ProfileToken) : nullptr;
  if (!p || !visibleProfile(st, *p)) return fail(soap, ErrorKind::NoProfile);
  for (const auto& c : st.video_encoders)
    if (visibleEncoder(st, c.token)) response.Configurations.push_back(toWire(soap, st, c));
  return SOAP_OK;
}

// Media spec "GetVideoEncoderConfigurationOptions": with a ConfigurationToken
// the options of that encoder; with a ProfileToken those of the profile's
// encoder (both: the configuration's, which any profile accepts); with
// neither, the device's generic options.
int __trt__GetVideoEncoderConfigurationOptions(struct soap* soap,
                                               _trt__GetVideoEncoderConfigurationOptions* request,
                                               _trt__GetVideoEncoderConfigurationOptionsResponse& response) {
  const onvif::media::Camera& camera = model(soap).camera();
  const MediaState st = model(soap).snapshot();
  const VideoEncoderOptions* chosen = nullptr;
  if (request && request->ProfileToken) {
    const Profile* p = st.findProfile(*request->ProfileToken);
    if (!p || !visibleProfile(st, *p)) return fail(soap, ErrorKind::NoProfile);
    chosen = camera.optionsFor(p->video_encoder);
  }
  if (request && request->ConfigurationToken) {
    const std::string& token = *request->ConfigurationToken;
    if (!visibleEncoder(st, token) || !(chosen = camera.optionsFor(token)))
      return fail(soap, ErrorKind::NoConfig);
  }
  VideoEncoderOptions generic;
  if (!chosen) {
    generic = deviceOptions(camera);
    chosen = &generic;
  }
  response.Options = optionsToWire(soap, *chosen);
  return SOAP_OK;
}

// Media spec "SetVideoEncoderConfiguration": anything the options offer is
// accepted (BitrateLimit adapted into range, as the spec asks); anything
// else is ter:ConfigModify with nothing changed.
int __trt__SetVideoEncoderConfiguration(struct soap* soap, _trt__SetVideoEncoderConfiguration* request,
                                        _trt__SetVideoEncoderConfigurationResponse&) {
  if (!request || !request->Configuration) return fail(soap, ErrorKind::InvalidArgs);
  onvif::media::MediaModel& m = model(soap);
  const std::string token = request->Configuration->token;
  Status s = m.update([&](MediaState& st, Change* change) {
    auto* c = st.findVideoEncoder(token);
    if (!c || !visibleEncoder(st, token)) return Status::fail(ErrorKind::NoConfig);
    onvif::media::VideoEncoderConfig next = *c;
    Status v = fromWire(*request->Configuration, &next);
    if (v.ok) v = onvif::media::validateVideoEncoder(m.camera(), *c, &next);
    if (!v.ok) return v;
    *c = next;
    *change = onvif::media::describe(next);
    return Status{};
  });
  if (!s.ok) return fail(soap, s);
  publishChange(soap, "tns1:Configuration/VideoEncoderConfiguration", token);
  return SOAP_OK;
}

// Media spec "GetGuaranteedNumberOfVideoEncoderInstances": every encoder of
// the (one) video source runs at the same time whatever its codec.
int __trt__GetGuaranteedNumberOfVideoEncoderInstances(
    struct soap* soap, _trt__GetGuaranteedNumberOfVideoEncoderInstances* request,
    _trt__GetGuaranteedNumberOfVideoEncoderInstancesResponse& response) {
  const MediaState st = model(soap).snapshot();
  if (!request || !st.findVideoSource(request->ConfigurationToken)) return fail(soap, ErrorKind::NoConfig);
  int n = 0;
  for (const auto& c : st.video_encoders) n += visibleEncoder(st, c.token);
  response.TotalNumber = n;
  return SOAP_OK;
}

}  // namespace gsoap_onvif
