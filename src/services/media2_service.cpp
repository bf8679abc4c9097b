// Media2 service (ver20, ONVIF Media2 Service Specification): capabilities,
// profiles and their configurations, stream and snapshot URIs, multicast
// and synchronization points. The camera model is the one Media ver10 uses
// (src/media/), so a change made through either service is what the other
// shows; tokens are shared. Video configurations are in media2_video.cpp,
// audio, metadata and analytics in media2_audio.cpp, OSDs and masks in
// media2_osd.cpp.
//
// Access classes (Media2 spec, per operation): GetServiceCapabilities
// PRE_AUTH; Get* READ_MEDIA; changes ACTUATE (src/security/access_classes.cpp).
#include <algorithm>
#include <functional>

#include "media/uri_template.hpp"
#include "services/media2_wire.hpp"
#include "services/service_registry.hpp"
#include "soap/element_xml.hpp"
#include "soap/faults.hpp"

namespace onvif::services {
namespace {

using namespace gsoap_onvif;
using daemon::requestContext;
using media::MediaState;
using media::Status;

tr2__Capabilities2* media2Capabilities(struct ::soap* soap, const media::Camera& camera) {
  using media_wire::newBool;
  auto* caps = soap_new_tr2__Capabilities2(soap);
  caps->ProfileCapabilities = soap_new_tr2__ProfileCapabilities(soap);
  caps->ProfileCapabilities->MaximumNumberOfProfiles = media_wire::newInt(soap, camera.max_profiles);
  // Media2 spec "GetServiceCapabilities": the configurations supported,
  // without "All" — the rows of the configuration type table this camera has.
  std::string supported;
  for (const media2_wire::ConfigType& t : media2_wire::configurationTypes())
    if (t.supported(camera)) supported += (supported.empty() ? "" : " ") + std::string(t.name);
  caps->ProfileCapabilities->ConfigurationsSupported = soap_new_std__string(soap);
  *caps->ProfileCapabilities->ConfigurationsSupported = supported;
  caps->StreamingCapabilities = soap_new_tr2__StreamingCapabilities(soap);
  auto* s = caps->StreamingCapabilities;
  s->RTSPStreaming = newBool(soap, true);
  s->RTPMulticast = newBool(soap, camera.multicast);
  s->RTP_USCORERTSP_USCORETCP = newBool(soap, true);
  s->NonAggregateControl = newBool(soap, false);
  s->AutoStartMulticast = newBool(soap, camera.multicast);
  bool rtsps = std::any_of(camera.encoder_uris.begin(), camera.encoder_uris.end(),
                           [](const media::StreamUris& u) { return !u.rtsps.empty(); });
  s->SecureRTSPStreaming = newBool(soap, rtsps);
  caps->SnapshotUri = newBool(soap, !camera.snapshot_uri.empty());
  caps->Rotation = newBool(soap, false);
  caps->VideoSourceMode = newBool(soap, true);
  caps->OSD = newBool(soap, camera.osd_max > 0);
  // Media2 spec "OSD": IsPersistentText=false texts are cleared at restart.
  caps->TemporaryOSDText = newBool(soap, camera.osd_max > 0);
  caps->Mask = newBool(soap, false);
  caps->SourceMask = newBool(soap, false);
  return caps;
}

// Applies ConfigurationRefs to a profile (AddConfiguration, CreateProfile):
// "All" is ignored, every named configuration must exist (NoConfig), and a
// configuration that depends on another (Media2 spec "General": an encoder
// on its source) needs it in the profile once the request is applied
// (ConfigurationConflict).
Status addRefs(const MediaState& st, const media::Camera& camera,
               const std::vector<tr2__ConfigurationRef*>& refs, media::Profile* p) {
  std::vector<const media2_wire::ConfigType*> added;
  for (const tr2__ConfigurationRef* ref : refs) {
    if (!ref || ref->Type == "All") continue;
    const media2_wire::ConfigType* t = media2_wire::findType(ref->Type);
    if (!t || !t->supported(camera) || !ref->Token || !t->exists(camera, st, *ref->Token))
      return Status::fail(soap::ErrorKind::NoConfig);
    (*p).*(t->slot) = *ref->Token;  // an existing one of that type is replaced
    added.push_back(t);
  }
  for (const media2_wire::ConfigType* t : added)
    if (t->requires && ((*p).*(media2_wire::findType(t->requires)->slot)).empty())
      return Status::fail(
          soap::ErrorKind::ConfigurationConflict,
          (std::string(t->name) + " needs a " + t->requires + " configuration in the profile").c_str());
  return {};
}

// Edits one profile through the model (validate, hook, store, swap) and
// publishes the profile change events of both media services.
int changeProfile(struct ::soap* soap, const std::string& token,
                  const std::function<Status(const MediaState&, media::Profile&)>& edit) {
  media::MediaModel& m = media_wire::model(soap);
  Status s = m.update([&](MediaState& st, media::Change* change) {
    media::Profile* p = st.findProfile(token);
    if (!p) return Status::fail(soap::ErrorKind::NoProfile);
    media::Profile next = *p;
    Status e = edit(st, next);
    if (!e.ok) return e;
    *p = next;
    *change = media::describe(next);
    return e;
  });
  if (!s.ok) return media_wire::fail(soap, s);
  media_wire::publishChange(soap, "tns1:Configuration/Profile", token);
  return SOAP_OK;
}

// The URI template of a profile's stream for a Media2 protocol, or the fault.
Status streamTemplate(const media::Camera& camera, const MediaState& st, const media::Profile& p,
                      const std::string& protocol, std::string* tmpl) {
  using soap::ErrorKind;
  const media::StreamUris* uris = camera.urisFor(p.video_encoder);
  const bool known = protocol == "RtspUnicast" || protocol == "RTSP" || protocol == "RtspOverHttp" ||
                     protocol == "RtspMulticast" || protocol == "RtspsUnicast" ||
                     protocol == "RtspsMulticast";
  if (!known) return Status::fail(ErrorKind::InvalidStreamSetup);
  if (p.video_source.empty() || !uris) return Status::fail(ErrorKind::IncompleteConfiguration);
  if (protocol == "RtspUnicast" || protocol == "RTSP") {
    *tmpl = uris->rtsp;
  } else if (protocol == "RtspOverHttp") {
    // Media2 spec "GetStreamUri": the same port as the web service (the template's {port}).
    *tmpl = uris->http;
  } else if (protocol == "RtspsUnicast") {
    *tmpl = uris->rtsps;  // only when a TLS streaming URI is configured
  } else if (protocol == "RtspMulticast" && camera.multicast) {
    const auto* vec = st.findVideoEncoder(p.video_encoder);
    if (!vec || vec->multicast.address == "0.0.0.0" || uris->multicast.empty())
      return Status::fail(ErrorKind::InvalidMulticastSettings);
    *tmpl = uris->multicast;
  }
  if (tmpl->empty())
    return Status::fail(ErrorKind::InvalidStreamSetup, "The protocol is not offered by this device");
  return {};
}

// Start/StopMulticastStreaming: the running set survives restarts (Media2
// spec "StartMulticastStreaming": "The streaming shall be resumed after rebooting").
int setMulticast(struct ::soap* soap, const std::string& token, bool start) {
  media::MediaModel& m = media_wire::model(soap);
  if (!m.camera().multicast) return media_wire::fail(soap, soap::ErrorKind::ActionNotSupported);
  Status s = m.update([&](MediaState& st, media::Change* change) {
    const media::Profile* p = st.findProfile(token);
    if (!p) return Status::fail(soap::ErrorKind::NoProfile);
    const auto* vec = st.findVideoEncoder(p->video_encoder);
    if (start && (p->video_source.empty() || !vec))
      return Status::fail(soap::ErrorKind::IncompleteConfiguration);
    if (start && vec->multicast.address == "0.0.0.0")
      return Status::fail(soap::ErrorKind::InvalidMulticastSettings);
    if (start ? st.multicast_running.count(token) : !st.multicast_running.count(token))
      return Status{};  // already so; Stop of a stream not started succeeds (spec)
    if (start)
      st.multicast_running.insert(token);
    else
      st.multicast_running.erase(token);
    *change = vec ? media::describe(*vec) : media::Change{};
    change->what = start ? "multicast-start" : "multicast-stop";
    change->token = token;
    return Status{};
  });
  return s.ok ? SOAP_OK : media_wire::fail(soap, s);
}

}  // namespace

std::string media2CapabilitiesXml(struct ::soap* soap) {
  if (!requestContext(soap).daemon->media) return {};
  return onvif::soap::elementXml(*media2Capabilities(soap, media_wire::model(soap).camera()),
                                 "tr2:Capabilities");
}

}  // namespace onvif::services

namespace gsoap_onvif {

using namespace onvif::services;
using onvif::daemon::requestContext;
using onvif::media::MediaState;
using onvif::media::Profile;
using onvif::media::Status;
using onvif::services::media_wire::fail;
using onvif::services::media_wire::model;
using onvif::soap::ErrorKind;

// Media2 spec "GetServiceCapabilities". PRE_AUTH.
int __tr2__GetServiceCapabilities(struct soap* soap, _tr2__GetServiceCapabilities*,
                                  _tr2__GetServiceCapabilitiesResponse& response) {
  response.Capabilities = media2Capabilities(soap, model(soap).camera());
  return SOAP_OK;
}

// Media2 spec "GetProfiles": all profiles or the one named by Token
// (NoProfile); Type selects the configurations shown. READ_MEDIA.
int __tr2__GetProfiles(struct soap* soap, _tr2__GetProfiles* request, _tr2__GetProfilesResponse& response) {
  const MediaState st = model(soap).snapshot();
  const std::string* token = request ? request->Token : nullptr;
  const std::vector<std::string> none;
  const std::vector<std::string>& types = request ? request->Type : none;
  if (token && !st.findProfile(*token)) return fail(soap, ErrorKind::NoProfile);
  for (const Profile& p : st.profiles)
    if (!token || p.token == *token) response.Profiles.push_back(media2_wire::toWire(soap, st, p, types));
  return SOAP_OK;
}

// Media2 spec "CreateProfile": a deletable (fixed=false), persistent profile
// with a device-chosen token and the given configurations. ACTUATE.
int __tr2__CreateProfile(struct soap* soap, _tr2__CreateProfile* request,
                         _tr2__CreateProfileResponse& response) {
  if (!request) return fail(soap, ErrorKind::InvalidArgs);
  onvif::media::MediaModel& m = model(soap);
  if (request->Name.empty() || request->Name.size() > 64)
    return onvif::soap::fault(soap, ErrorKind::InvalidArgVal, "Name must have 1 to 64 characters");
  std::string token;
  Status s = m.update([&](MediaState& st, onvif::media::Change* change) {
    if (static_cast<int>(st.profiles.size()) >= m.camera().max_profiles)
      return Status::fail(ErrorKind::MaxNVTProfiles);
    Profile p;
    p.name = request->Name;
    Status a = addRefs(st, m.camera(), request->Configuration, &p);
    if (!a.ok) return a;
    // Device-chosen tokens are never reused (the counter is stored).
    do {
      token = "Profile_C" + std::to_string(st.next_profile_number++);
    } while (st.findProfile(token));
    p.token = token;
    st.profiles.push_back(p);
    *change = onvif::media::describe(p);
    return Status{};
  });
  if (!s.ok) return fail(soap, s);
  response.Token = token;
  media_wire::publishChange(soap, "tns1:Configuration/Profile", token);
  return SOAP_OK;
}

// Media2 spec "DeleteProfile": NoProfile; DeletionOfFixedProfile. ACTUATE.
int __tr2__DeleteProfile(struct soap* soap, _tr2__DeleteProfile* request, _tr2__DeleteProfileResponse&) {
  if (!request) return fail(soap, ErrorKind::InvalidArgs);
  const std::string token = request->Token;
  Status s = model(soap).update([&](MediaState& st, onvif::media::Change* change) {
    Profile* p = st.findProfile(token);
    if (!p) return Status::fail(ErrorKind::NoProfile);
    if (p->fixed) return Status::fail(ErrorKind::DeletionOfFixedProfile);
    st.profiles.erase(std::remove_if(st.profiles.begin(), st.profiles.end(),
                                     [&](const Profile& q) { return q.token == token; }),
                      st.profiles.end());
    st.multicast_running.erase(token);
    *change = {"profile-deleted", token, {}};
    return Status{};
  });
  if (!s.ok) return fail(soap, s);
  media_wire::publishChange(soap, "tns1:Configuration/Profile", token);
  return SOAP_OK;
}

// Media2 spec "AddConfiguration": adds or replaces; Name renames. ACTUATE.
int __tr2__AddConfiguration(struct soap* soap, _tr2__AddConfiguration* request,
                            _tr2__AddConfigurationResponse&) {
  if (!request) return fail(soap, ErrorKind::InvalidArgs);
  if (request->Name && (request->Name->empty() || request->Name->size() > 64))
    return onvif::soap::fault(soap, ErrorKind::InvalidArgVal, "Name must have 1 to 64 characters");
  const onvif::media::Camera& camera = model(soap).camera();
  return changeProfile(soap, request->ProfileToken, [&](const MediaState& st, Profile& p) {
    if (request->Name) p.name = *request->Name;
    return addRefs(st, camera, request->Configuration, &p);
  });
}

// Media2 spec "RemoveConfiguration": tokens are ignored, "All" empties the
// profile, a configuration not in the profile is no error; a source whose
// dependent stays is ConfigurationConflict. ACTUATE.
int __tr2__RemoveConfiguration(struct soap* soap, _tr2__RemoveConfiguration* request,
                               _tr2__RemoveConfigurationResponse&) {
  if (!request) return fail(soap, ErrorKind::InvalidArgs);
  return changeProfile(soap, request->ProfileToken, [&](const MediaState&, Profile& p) {
    const auto& types = media2_wire::configurationTypes();
    for (const tr2__ConfigurationRef* ref : request->Configuration) {
      if (!ref) continue;
      for (const media2_wire::ConfigType& t : types)
        if (ref->Type == "All" || ref->Type == t.name) p.*(t.slot) = "";
    }
    for (const media2_wire::ConfigType& t : types)
      if (t.requires && !(p.*(t.slot)).empty() && (p.*(media2_wire::findType(t.requires)->slot)).empty())
        return Status::fail(ErrorKind::ConfigurationConflict,
                            std::string("Remove the ") + t.name + " configuration too");
    return Status{};
  });
}

// Media2 spec "GetStreamUri": RtspUnicast and RTSP -> rtsp_uri,
// RtspOverHttp -> http_uri, RtspMulticast -> multicast_uri (multicast on),
// RtspsUnicast -> rtsps_uri (when configured); anything else
// InvalidStreamSetup. READ_MEDIA.
int __tr2__GetStreamUri(struct soap* soap, _tr2__GetStreamUri* request,
                        _tr2__GetStreamUriResponse& response) {
  if (!request) return fail(soap, ErrorKind::InvalidArgs);
  const onvif::media::Camera& camera = model(soap).camera();
  const MediaState st = model(soap).snapshot();
  const Profile* p = st.findProfile(request->ProfileToken);
  if (!p) return fail(soap, ErrorKind::NoProfile);
  std::string tmpl;
  Status s = streamTemplate(camera, st, *p, request->Protocol, &tmpl);
  if (!s.ok) return fail(soap, s);
  onvif::media::UriContext ctx = onvif::media::uriContextFromBaseUrl(requestContext(soap).base_url);
  ctx.profile = p->token;
  ctx.encoder = p->video_encoder;
  response.Uri = onvif::media::expandUri(tmpl, ctx);
  return SOAP_OK;
}

// Media2 spec "GetSnapshotUri": JPEG over HTTP whatever the profile's
// encoding; ActionNotSupported without snapshot_uri (capability false). READ_MEDIA.
int __tr2__GetSnapshotUri(struct soap* soap, _tr2__GetSnapshotUri* request,
                          _tr2__GetSnapshotUriResponse& response) {
  if (!request) return fail(soap, ErrorKind::InvalidArgs);
  const onvif::media::Camera& camera = model(soap).camera();
  const MediaState st = model(soap).snapshot();
  const Profile* p = st.findProfile(request->ProfileToken);
  if (!p) return fail(soap, ErrorKind::NoProfile);
  if (camera.snapshot_uri.empty()) return fail(soap, ErrorKind::ActionNotSupported);
  if (p->video_source.empty() || p->video_encoder.empty())
    return fail(soap, ErrorKind::IncompleteConfiguration);
  onvif::media::UriContext ctx = onvif::media::uriContextFromBaseUrl(requestContext(soap).base_url);
  ctx.profile = p->token;
  ctx.encoder = p->video_encoder;
  response.Uri = onvif::media::expandUri(camera.snapshot_uri, ctx);
  return SOAP_OK;
}

// Media2 spec "StartMulticastStreaming"/"StopMulticastStreaming" (the
// AutoStartMulticast capability follows `multicast`). ACTUATE.
int __tr2__StartMulticastStreaming(struct soap* soap, tr2__StartStopMulticastStreaming* request,
                                   tr2__SetConfigurationResponse&) {
  if (!request) return fail(soap, ErrorKind::InvalidArgs);
  return setMulticast(soap, request->ProfileToken, true);
}

int __tr2__StopMulticastStreaming(struct soap* soap, tr2__StartStopMulticastStreaming* request,
                                  tr2__SetConfigurationResponse&) {
  if (!request) return fail(soap, ErrorKind::InvalidArgs);
  return setMulticast(soap, request->ProfileToken, false);
}

// Media2 spec "SetSynchronizationPoint": the encoder is the firmware's, so
// the request goes to the apply hook ("sync-point <profile>"). ACTUATE.
int __tr2__SetSynchronizationPoint(struct soap* soap, _tr2__SetSynchronizationPoint* request,
                                   _tr2__SetSynchronizationPointResponse&) {
  if (!request) return fail(soap, ErrorKind::InvalidArgs);
  onvif::media::MediaModel& m = model(soap);
  const MediaState st = m.snapshot();
  const Profile* p = st.findProfile(request->ProfileToken);
  if (!p) return fail(soap, ErrorKind::NoProfile);
  Status s = m.notify({"sync-point", p->token, {"video_encoder=" + p->video_encoder}});
  return s.ok ? SOAP_OK : fail(soap, s);
}

}  // namespace gsoap_onvif
