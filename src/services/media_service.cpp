// Media service ver10 (ONVIF Media Service Specification): capabilities,
// profiles, stream and snapshot URIs, multicast and synchronization points.
// Video configurations are in media_video.cpp, audio/metadata in
// media_audio.cpp, OSDs in media_osd.cpp; the model they share is src/media/.
//
// Access classes (Media spec, per operation): GetServiceCapabilities
// PRE_AUTH; Get* READ_MEDIA; everything that changes state ACTUATE.
#include <algorithm>
#include <functional>

#include "events/event_sink.hpp"
#include "media/uri_template.hpp"
#include "services/media_wire.hpp"
#include "services/service_registry.hpp"
#include "soap/element_xml.hpp"
#include "soap/faults.hpp"

namespace onvif::services {
namespace {

using namespace gsoap_onvif;
using namespace media_wire;
using media::Change;
using media::MediaState;
using media::Profile;
using media::Status;
using onvif::soap::ErrorKind;

constexpr const char* kProfileTopic = "tns1:Configuration/Profile";

trt__Capabilities* mediaCapabilities(struct ::soap* soap, const media::Camera& camera) {
  auto* caps = soap_new_trt__Capabilities(soap);
  caps->ProfileCapabilities = soap_new_trt__ProfileCapabilities(soap);
  caps->ProfileCapabilities->MaximumNumberOfProfiles = newInt(soap, camera.max_profiles);
  caps->StreamingCapabilities = soap_new_trt__StreamingCapabilities(soap);
  auto* s = caps->StreamingCapabilities;
  s->RTPMulticast = newBool(soap, camera.multicast);
  s->RTP_USCORETCP = newBool(soap, false);  // RTP over plain TCP without RTSP: not offered
  s->RTP_USCORERTSP_USCORETCP = newBool(soap, true);
  s->NonAggregateControl = newBool(soap, false);
  s->NoRTSPStreaming = newBool(soap, false);
  caps->SnapshotUri = newBool(soap, !camera.snapshot_uri.empty());
  caps->Rotation = newBool(soap, false);
  caps->VideoSourceMode = newBool(soap, false);
  // Media spec "OSD": IsPersistentText=false texts are cleared at restart.
  caps->OSD = newBool(soap, camera.osd_max > 0);
  caps->TemporaryOSDText = newBool(soap, camera.osd_max > 0);
  caps->EXICompression = newBool(soap, false);
  return caps;
}

// Edits one profile through the model (validate, hook, store), then
// publishes tns1:Configuration/Profile (Media spec, "Events": creation,
// deletion, adding or removing a configuration).
int changeProfile(struct ::soap* soap, const std::string& token,
                  const std::function<Status(MediaState&, Profile&)>& edit) {
  media::MediaModel& m = model(soap);
  Status s = m.update([&](MediaState& st, Change* change) {
    Profile* p = st.findProfile(token);
    if (!p || !visibleProfile(st, *p)) return Status::fail(ErrorKind::NoProfile);
    Status e = edit(st, *p);
    if (!e.ok) return e;
    *change = media::describe(*p);
    return e;
  });
  if (!s.ok) return fail(soap, s);
  publishChange(soap, kProfileTopic, token);
  return SOAP_OK;
}

// Add<Configuration>: NoProfile, then AudioNotSupported/NoConfig, then set.
int addToProfile(struct ::soap* soap, const std::string& profile, const std::string& config,
                 std::string Profile::*slot, bool exists, bool audio = false) {
  if (audio && !model(soap).camera().audio) {
    const MediaState st = model(soap).snapshot();
    if (!st.findProfile(profile)) return fail(soap, ErrorKind::NoProfile);
    return fail(soap, ErrorKind::AudioNotSupported);
  }
  return changeProfile(soap, profile, [&](MediaState&, Profile& p) {
    if (!exists) return Status::fail(ErrorKind::NoConfig);
    p.*slot = config;  // "If a configuration exists in the media profile, it will be replaced."
    return Status{};
  });
}

// Remove<Configuration>: no effect when absent (the NoConfig fault is
// obsolete per the spec); a source the profile's encoder depends on stays
// (ter:ConfigurationConflict).
int removeFromProfile(struct ::soap* soap, const std::string& profile, std::string Profile::*slot,
                      std::string Profile::*dependent = nullptr, bool audio = false) {
  if (audio && !model(soap).camera().audio) {
    const MediaState st = model(soap).snapshot();
    if (!st.findProfile(profile)) return fail(soap, ErrorKind::NoProfile);
    return fail(soap, ErrorKind::AudioNotSupported);
  }
  return changeProfile(soap, profile, [&](MediaState&, Profile& p) {
    if (dependent && !(p.*dependent).empty())
      return Status::fail(ErrorKind::ConfigurationConflict, "Remove the encoder configuration first");
    p.*slot = "";
    return Status{};
  });
}

}  // namespace

std::string mediaCapabilitiesXml(struct ::soap* soap) {
  if (!onvif::daemon::requestContext(soap).daemon->media)
    return {};  // a daemon (or test) without the camera model
  return onvif::soap::elementXml(*mediaCapabilities(soap, media_wire::model(soap).camera()),
                                 "trt:Capabilities");
}

// GetCapabilities (Core spec, device service) Media category.
gsoap_onvif::tt__MediaCapabilities* legacyMediaCapabilities(struct ::soap* soap) {
  if (!onvif::daemon::requestContext(soap).daemon->media) return nullptr;
  const media::Camera& camera = media_wire::model(soap).camera();
  auto* caps = gsoap_onvif::soap_new_tt__MediaCapabilities(soap);
  caps->XAddr = onvif::daemon::serviceUrl(onvif::daemon::requestContext(soap), "media");
  caps->StreamingCapabilities = gsoap_onvif::soap_new_tt__RealTimeStreamingCapabilities(soap);
  caps->StreamingCapabilities->RTPMulticast = media_wire::newBool(soap, camera.multicast);
  caps->StreamingCapabilities->RTP_USCORETCP = media_wire::newBool(soap, false);
  caps->StreamingCapabilities->RTP_USCORERTSP_USCORETCP = media_wire::newBool(soap, true);
  caps->Extension = gsoap_onvif::soap_new_tt__MediaCapabilitiesExtension(soap);
  caps->Extension->ProfileCapabilities = gsoap_onvif::soap_new_tt__ProfileCapabilities(soap);
  caps->Extension->ProfileCapabilities->MaximumNumberOfProfiles = camera.max_profiles;
  return caps;
}

}  // namespace onvif::services

namespace gsoap_onvif {

using namespace onvif::services::media_wire;
using onvif::daemon::requestContext;
using onvif::media::Change;
using onvif::media::MediaState;
using onvif::media::Profile;
using onvif::media::Status;
using onvif::soap::ErrorKind;

// Media spec "GetServiceCapabilities". PRE_AUTH.
int __trt__GetServiceCapabilities(struct soap* soap, _trt__GetServiceCapabilities*,
                                  _trt__GetServiceCapabilitiesResponse& response) {
  response.Capabilities = onvif::services::mediaCapabilities(soap, model(soap).camera());
  return SOAP_OK;
}

// Media spec "GetProfiles": every profile, with the "fixed" attribute. READ_MEDIA.
int __trt__GetProfiles(struct soap* soap, _trt__GetProfiles*, _trt__GetProfilesResponse& response) {
  const MediaState st = model(soap).snapshot();
  for (const Profile& p : st.profiles)
    if (visibleProfile(st, p)) response.Profiles.push_back(toWire(soap, st, p));
  return SOAP_OK;
}

// Media spec "GetProfile". READ_MEDIA.
int __trt__GetProfile(struct soap* soap, _trt__GetProfile* request, _trt__GetProfileResponse& response) {
  const MediaState st = model(soap).snapshot();
  const Profile* p = request ? st.findProfile(request->ProfileToken) : nullptr;
  if (!p || !visibleProfile(st, *p)) return fail(soap, ErrorKind::NoProfile);
  response.Profile = toWire(soap, st, *p);
  return SOAP_OK;
}

// Media spec "CreateProfile": an empty, deletable (fixed=false), persistent
// profile; the client may choose the token (at least 12 characters of
// A-Z a-z 0-9 - . shall be supported). ACTUATE.
int __trt__CreateProfile(struct soap* soap, _trt__CreateProfile* request,
                         _trt__CreateProfileResponse& response) {
  if (!request) return fail(soap, ErrorKind::InvalidArgs);
  onvif::media::MediaModel& m = model(soap);
  if (request->Name.empty() || request->Name.size() > 64)
    return onvif::soap::fault(soap, ErrorKind::InvalidArgVal, "Name must have 1 to 64 characters");
  std::string token;
  Status s = m.update([&](MediaState& st, Change* change) {
    if (request->Token) {
      token = *request->Token;
      if (!onvif::media::validToken(token))
        return Status::fail(ErrorKind::InvalidArgVal,
                            "Token must have 1 to 64 characters of A-Z a-z 0-9 _ - .");
      if (st.findProfile(token)) return Status::fail(ErrorKind::ProfileExists);
    }
    if (static_cast<int>(st.profiles.size()) >= m.camera().max_profiles)
      return Status::fail(ErrorKind::MaxNVTProfiles);
    if (!request->Token) {
      // Device-chosen tokens are never reused, so a client holding an old
      // token cannot silently reach a different profile.
      do {
        token = "Profile_C" + std::to_string(st.next_profile_number++);
      } while (st.findProfile(token));
    }
    Profile p;
    p.token = token;
    p.name = request->Name;
    st.profiles.push_back(p);
    *change = onvif::media::describe(p);
    return Status{};
  });
  if (!s.ok) return fail(soap, s);
  const MediaState st = m.snapshot();
  response.Profile = toWire(soap, st, *st.findProfile(token));
  publishChange(soap, "tns1:Configuration/Profile", token);
  return SOAP_OK;
}

// Media spec "DeleteProfile"; fixed profiles -> ter:DeletionOfFixedProfile. ACTUATE.
int __trt__DeleteProfile(struct soap* soap, _trt__DeleteProfile* request, _trt__DeleteProfileResponse&) {
  if (!request) return fail(soap, ErrorKind::InvalidArgs);
  onvif::media::MediaModel& m = model(soap);
  const std::string token = request->ProfileToken;
  Status s = m.update([&](MediaState& st, Change* change) {
    Profile* p = st.findProfile(token);
    if (!p || !visibleProfile(st, *p)) return Status::fail(ErrorKind::NoProfile);
    if (p->fixed) return Status::fail(ErrorKind::DeletionOfFixedProfile);
    st.profiles.erase(std::remove_if(st.profiles.begin(), st.profiles.end(),
                                     [&](const Profile& q) { return q.token == token; }),
                      st.profiles.end());
    st.multicast_running.erase(token);
    *change = {"profile-deleted", token, {}};
    return Status{};
  });
  if (!s.ok) return fail(soap, s);
  publishChange(soap, "tns1:Configuration/Profile", token);
  return SOAP_OK;
}

// Media spec "Add<Configuration>" / "Remove<Configuration>". ACTUATE.
int __trt__AddVideoSourceConfiguration(struct soap* soap, _trt__AddVideoSourceConfiguration* r,
                                       _trt__AddVideoSourceConfigurationResponse&) {
  if (!r) return fail(soap, ErrorKind::InvalidArgs);
  bool exists = model(soap).snapshot().findVideoSource(r->ConfigurationToken) != nullptr;
  return onvif::services::addToProfile(soap, r->ProfileToken, r->ConfigurationToken, &Profile::video_source,
                                       exists);
}

int __trt__AddVideoEncoderConfiguration(struct soap* soap, _trt__AddVideoEncoderConfiguration* r,
                                        _trt__AddVideoEncoderConfigurationResponse&) {
  if (!r) return fail(soap, ErrorKind::InvalidArgs);
  const MediaState st = model(soap).snapshot();
  bool exists =
      st.findVideoEncoder(r->ConfigurationToken) != nullptr && visibleEncoder(st, r->ConfigurationToken);
  return onvif::services::addToProfile(soap, r->ProfileToken, r->ConfigurationToken, &Profile::video_encoder,
                                       exists);
}

int __trt__AddAudioSourceConfiguration(struct soap* soap, _trt__AddAudioSourceConfiguration* r,
                                       _trt__AddAudioSourceConfigurationResponse&) {
  if (!r) return fail(soap, ErrorKind::InvalidArgs);
  bool exists = model(soap).snapshot().findAudioSource(r->ConfigurationToken) != nullptr;
  return onvif::services::addToProfile(soap, r->ProfileToken, r->ConfigurationToken, &Profile::audio_source,
                                       exists, true);
}

int __trt__AddAudioEncoderConfiguration(struct soap* soap, _trt__AddAudioEncoderConfiguration* r,
                                        _trt__AddAudioEncoderConfigurationResponse&) {
  if (!r) return fail(soap, ErrorKind::InvalidArgs);
  bool exists = model(soap).snapshot().findAudioEncoder(r->ConfigurationToken) != nullptr;
  return onvif::services::addToProfile(soap, r->ProfileToken, r->ConfigurationToken, &Profile::audio_encoder,
                                       exists, true);
}

int __trt__AddMetadataConfiguration(struct soap* soap, _trt__AddMetadataConfiguration* r,
                                    _trt__AddMetadataConfigurationResponse&) {
  if (!r) return fail(soap, ErrorKind::InvalidArgs);
  bool exists = model(soap).snapshot().findMetadata(r->ConfigurationToken) != nullptr;
  return onvif::services::addToProfile(soap, r->ProfileToken, r->ConfigurationToken, &Profile::metadata,
                                       exists);
}

// Media spec "AddPTZConfiguration": the PTZ node's configuration (the PTZ
// service owns it); ter:NoConfig for any other token. ACTUATE.
int __trt__AddPTZConfiguration(struct soap* soap, _trt__AddPTZConfiguration* r,
                               _trt__AddPTZConfigurationResponse&) {
  if (!r) return fail(soap, ErrorKind::InvalidArgs);
  const std::string& ptz = model(soap).camera().ptz_configuration;
  return onvif::services::addToProfile(soap, r->ProfileToken, r->ConfigurationToken, &Profile::ptz,
                                       !ptz.empty() && r->ConfigurationToken == ptz);
}

int __trt__RemovePTZConfiguration(struct soap* soap, _trt__RemovePTZConfiguration* r,
                                  _trt__RemovePTZConfigurationResponse&) {
  if (!r) return fail(soap, ErrorKind::InvalidArgs);
  return onvif::services::removeFromProfile(soap, r->ProfileToken, &Profile::ptz);
}

int __trt__RemoveVideoSourceConfiguration(struct soap* soap, _trt__RemoveVideoSourceConfiguration* r,
                                          _trt__RemoveVideoSourceConfigurationResponse&) {
  if (!r) return fail(soap, ErrorKind::InvalidArgs);
  return onvif::services::removeFromProfile(soap, r->ProfileToken, &Profile::video_source,
                                            &Profile::video_encoder);
}

int __trt__RemoveVideoEncoderConfiguration(struct soap* soap, _trt__RemoveVideoEncoderConfiguration* r,
                                           _trt__RemoveVideoEncoderConfigurationResponse&) {
  if (!r) return fail(soap, ErrorKind::InvalidArgs);
  return onvif::services::removeFromProfile(soap, r->ProfileToken, &Profile::video_encoder);
}

int __trt__RemoveAudioSourceConfiguration(struct soap* soap, _trt__RemoveAudioSourceConfiguration* r,
                                          _trt__RemoveAudioSourceConfigurationResponse&) {
  if (!r) return fail(soap, ErrorKind::InvalidArgs);
  return onvif::services::removeFromProfile(soap, r->ProfileToken, &Profile::audio_source,
                                            &Profile::audio_encoder, true);
}

int __trt__RemoveAudioEncoderConfiguration(struct soap* soap, _trt__RemoveAudioEncoderConfiguration* r,
                                           _trt__RemoveAudioEncoderConfigurationResponse&) {
  if (!r) return fail(soap, ErrorKind::InvalidArgs);
  return onvif::services::removeFromProfile(soap, r->ProfileToken, &Profile::audio_encoder, nullptr, true);
}

int __trt__RemoveMetadataConfiguration(struct soap* soap, _trt__RemoveMetadataConfiguration* r,
                                       _trt__RemoveMetadataConfigurationResponse&) {
  if (!r) return fail(soap, ErrorKind::InvalidArgs);
  return onvif::services::removeFromProfile(soap, r->ProfileToken, &Profile::metadata);
}

// Media spec "GetStreamUri": the encoder's RTSP URI for RTP-Unicast over UDP
// or RTSP, its tunnelling URI for HTTP, its multicast URI for RTP-Multicast;
// InvalidAfterConnect/Reboot false and Timeout PT0S ("valid indefinitely").
// READ_MEDIA.
int __trt__GetStreamUri(struct soap* soap, _trt__GetStreamUri* request,
                        _trt__GetStreamUriResponse& response) {
  if (!request) return fail(soap, ErrorKind::InvalidArgs);
  const onvif::media::Camera& camera = model(soap).camera();
  const MediaState st = model(soap).snapshot();
  const Profile* p = st.findProfile(request->ProfileToken);
  if (!p || !visibleProfile(st, *p)) return fail(soap, ErrorKind::NoProfile);
  if (!request->StreamSetup || !request->StreamSetup->Transport)
    return fail(soap, ErrorKind::InvalidStreamSetup);
  const tt__StreamType type = request->StreamSetup->Stream;
  const tt__TransportProtocol protocol = request->StreamSetup->Transport->Protocol;
  // Valid combinations (Media spec table "Valid setup parameter combinations"
  // and the Streaming spec): UDP, RTSP or HTTP; TCP alone is not a mode.
  if (protocol == tt__TransportProtocol__TCP) return fail(soap, ErrorKind::InvalidStreamSetup);
  if (type == tt__StreamType__RTP_Multicast && !camera.multicast)
    return fail(soap, ErrorKind::InvalidStreamSetup);
  const onvif::media::StreamUris* uris = camera.urisFor(p->video_encoder);
  if (p->video_source.empty() || !uris) return fail(soap, ErrorKind::IncompleteConfiguration);
  std::string tmpl;
  if (type == tt__StreamType__RTP_Multicast) {
    const auto* vec = st.findVideoEncoder(p->video_encoder);
    if (!vec || vec->multicast.address == "0.0.0.0" || uris->multicast.empty())
      return fail(soap, ErrorKind::InvalidMulticastSettings);
    tmpl = uris->multicast;
  } else if (protocol == tt__TransportProtocol__HTTP) {
    if (uris->http.empty()) return fail(soap, ErrorKind::InvalidStreamSetup);
    tmpl = uris->http;
  } else {
    tmpl = uris->rtsp;
  }
  onvif::media::UriContext ctx =
      onvif::media::uriContextFromBaseUrl(onvif::daemon::requestContext(soap).base_url);
  ctx.profile = p->token;
  ctx.encoder = p->video_encoder;
  response.MediaUri = soap_new_tt__MediaUri(soap);
  response.MediaUri->Uri = onvif::media::expandUri(tmpl, ctx);
  response.MediaUri->InvalidAfterConnect = false;
  response.MediaUri->InvalidAfterReboot = false;
  response.MediaUri->Timeout = "PT0S";
  return SOAP_OK;
}

// Media spec "GetSnapshotUri": a JPEG over HTTP whatever the profile's
// encoding. READ_MEDIA. Without a configured snapshot_uri the SnapshotUri
// capability is false and the operation is not supported.
int __trt__GetSnapshotUri(struct soap* soap, _trt__GetSnapshotUri* request,
                          _trt__GetSnapshotUriResponse& response) {
  if (!request) return fail(soap, ErrorKind::InvalidArgs);
  const onvif::media::Camera& camera = model(soap).camera();
  const MediaState st = model(soap).snapshot();
  const Profile* p = st.findProfile(request->ProfileToken);
  if (!p || !visibleProfile(st, *p)) return fail(soap, ErrorKind::NoProfile);
  if (camera.snapshot_uri.empty()) return fail(soap, ErrorKind::ActionNotSupported);
  if (p->video_source.empty() || p->video_encoder.empty())
    return fail(soap, ErrorKind::IncompleteConfiguration);
  onvif::media::UriContext ctx =
      onvif::media::uriContextFromBaseUrl(onvif::daemon::requestContext(soap).base_url);
  ctx.profile = p->token;
  ctx.encoder = p->video_encoder;
  response.MediaUri = soap_new_tt__MediaUri(soap);
  response.MediaUri->Uri = onvif::media::expandUri(camera.snapshot_uri, ctx);
  response.MediaUri->InvalidAfterConnect = false;
  response.MediaUri->InvalidAfterReboot = false;
  response.MediaUri->Timeout = "PT0S";
  return SOAP_OK;
}

namespace {

// Start/StopMulticastStreaming share this: the running set survives restarts
// (Media spec: "streaming shall continue after a reboot").
int setMulticast(struct soap* soap, const std::string& token, bool start) {
  onvif::media::MediaModel& m = model(soap);
  if (!m.camera().multicast) return fail(soap, ErrorKind::ActionNotSupported);
  Status s = m.update([&](MediaState& st, Change* change) {
    const Profile* p = st.findProfile(token);
    if (!p || !visibleProfile(st, *p)) return Status::fail(ErrorKind::NoProfile);
    const auto* vec = st.findVideoEncoder(p->video_encoder);
    if (p->video_source.empty() || !vec) return Status::fail(ErrorKind::IncompleteConfiguration);
    if (start && vec->multicast.address == "0.0.0.0")
      return Status::fail(ErrorKind::InvalidMulticastSettings);
    if (start ? st.multicast_running.count(token) : !st.multicast_running.count(token))
      return Status{};  // already in the requested state: nothing to do
    if (start)
      st.multicast_running.insert(token);
    else
      st.multicast_running.erase(token);
    *change = onvif::media::describe(*vec);
    change->what = start ? "multicast-start" : "multicast-stop";
    change->token = token;
    return Status{};
  });
  return s.ok ? SOAP_OK : fail(soap, s);
}

}  // namespace

// Media spec "StartMulticastStreaming"/"StopMulticastStreaming". ACTUATE.
int __trt__StartMulticastStreaming(struct soap* soap, _trt__StartMulticastStreaming* request,
                                   _trt__StartMulticastStreamingResponse&) {
  if (!request) return fail(soap, ErrorKind::InvalidArgs);
  return setMulticast(soap, request->ProfileToken, true);
}

int __trt__StopMulticastStreaming(struct soap* soap, _trt__StopMulticastStreaming* request,
                                  _trt__StopMulticastStreamingResponse&) {
  if (!request) return fail(soap, ErrorKind::InvalidArgs);
  return setMulticast(soap, request->ProfileToken, false);
}

// Media spec "SetSynchronizationPoint": the encoder is the firmware's, so the
// request goes to the apply hook ("sync-point <profile>"). ACTUATE.
int __trt__SetSynchronizationPoint(struct soap* soap, _trt__SetSynchronizationPoint* request,
                                   _trt__SetSynchronizationPointResponse&) {
  if (!request) return fail(soap, ErrorKind::InvalidArgs);
  onvif::media::MediaModel& m = model(soap);
  const MediaState st = m.snapshot();
  const Profile* p = st.findProfile(request->ProfileToken);
  if (!p || !visibleProfile(st, *p)) return fail(soap, ErrorKind::NoProfile);
  Status s = m.notify({"sync-point", p->token, {"video_encoder=" + p->video_encoder}});
  return s.ok ? SOAP_OK : fail(soap, s);
}

}  // namespace gsoap_onvif
