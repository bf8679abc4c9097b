// Media2 service: audio source / encoder configurations (when the camera
// has audio), audio output / decoder configurations (none: the camera has
// no audio output), metadata configurations and the analytics
// configurations the camera describes (Media2 spec "Media Configuration
// Methods"). Without audio the lists are empty, a named configuration is
// NoConfig, and the options are ter:AudioNotSupported. Get* READ_MEDIA,
// Set* ACTUATE.
#include "services/media2_wire.hpp"
#include "soap/faults.hpp"

namespace gsoap_onvif {
namespace {

using namespace onvif::services;
using onvif::media::MediaState;
using onvif::media::Status;
using onvif::services::media_wire::fail;
using onvif::services::media_wire::model;
using onvif::soap::ErrorKind;

// Options for a kind of configuration the camera does not have: the tokens
// are checked first (NoProfile, NoConfig), then ter:AudioNotSupported.
int noAudioOptions(struct soap* soap, const tr2__GetConfiguration* request) {
  const MediaState st = model(soap).snapshot();
  int err = media2_wire::checkProfileToken(soap, st, request);
  if (err != SOAP_OK) return err;
  if (request && request->ConfigurationToken) return fail(soap, ErrorKind::NoConfig);
  return fail(soap, ErrorKind::AudioNotSupported);
}

// An empty list (tokens checked): audio outputs and decoders.
int emptyList(struct soap* soap, const tr2__GetConfiguration* request) {
  const MediaState st = model(soap).snapshot();
  int err = media2_wire::checkProfileToken(soap, st, request);
  if (err != SOAP_OK) return err;
  if (request && request->ConfigurationToken) return fail(soap, ErrorKind::NoConfig);
  return SOAP_OK;
}

}  // namespace

int __tr2__GetAudioSourceConfigurations(struct soap* soap, tr2__GetConfiguration* request,
                                        _tr2__GetAudioSourceConfigurationsResponse& response) {
  const MediaState st = model(soap).snapshot();
  return media2_wire::listConfigurations(
      soap, st, request, st.audio_sources, &response.Configurations,
      [&](const onvif::media::AudioSourceConfig& c) { return media_wire::toWire(soap, st, c); });
}

int __tr2__GetAudioEncoderConfigurations(struct soap* soap, tr2__GetConfiguration* request,
                                         _tr2__GetAudioEncoderConfigurationsResponse& response) {
  const MediaState st = model(soap).snapshot();
  return media2_wire::listConfigurations(
      soap, st, request, st.audio_encoders, &response.Configurations,
      [&](const onvif::media::AudioEncoderConfig& c) { return media2_wire::toWire(soap, st, c); });
}

// The audio source configuration names the one audio source; only Name changes.
int __tr2__SetAudioSourceConfiguration(struct soap* soap, _tr2__SetAudioSourceConfiguration* request,
                                       tr2__SetConfigurationResponse&) {
  if (!request || !request->Configuration) return fail(soap, ErrorKind::InvalidArgs);
  onvif::media::MediaModel& m = model(soap);
  const std::string token = request->Configuration->token;
  Status s = m.update([&](MediaState& st, onvif::media::Change* change) {
    auto* c = st.findAudioSource(token);
    if (!c) return Status::fail(ErrorKind::NoConfig);
    const std::string& name = request->Configuration->Name;
    if (name.empty() || name.size() > 64)
      return Status::fail(ErrorKind::ConfigModify, "Name must have 1 to 64 characters");
    if (request->Configuration->SourceToken != m.camera().audio_source_token)
      return Status::fail(ErrorKind::ConfigModify, "SourceToken names no audio source");
    c->name = name;
    *change = {"audio-source", token, {"name=" + c->name, "source=" + c->source_token}};
    return Status{};
  });
  if (!s.ok) return fail(soap, s);
  media_wire::publishChange(soap, "tns1:Configuration/AudioSourceConfiguration/MediaService", token);
  return SOAP_OK;
}

int __tr2__SetAudioEncoderConfiguration(struct soap* soap, _tr2__SetAudioEncoderConfiguration* request,
                                        tr2__SetConfigurationResponse&) {
  if (!request || !request->Configuration) return fail(soap, ErrorKind::InvalidArgs);
  onvif::media::MediaModel& m = model(soap);
  const std::string token = request->Configuration->token;
  Status s = m.update([&](MediaState& st, onvif::media::Change* change) {
    auto* c = st.findAudioEncoder(token);
    if (!c) return Status::fail(ErrorKind::NoConfig);
    onvif::media::AudioEncoderConfig next = *c;
    Status v = media2_wire::fromWire(*request->Configuration, &next);
    if (v.ok) v = onvif::media::validateAudioEncoder(m.camera(), *c, next);
    if (!v.ok) return v;
    *c = next;
    *change = onvif::media::describe(next);
    return Status{};
  });
  if (!s.ok) return fail(soap, s);
  media_wire::publishChange(soap, "tns1:Configuration/AudioEncoderConfiguration", token);
  return SOAP_OK;
}

int __tr2__GetAudioSourceConfigurationOptions(struct soap* soap, tr2__GetConfiguration* request,
                                              _tr2__GetAudioSourceConfigurationOptionsResponse& response) {
  const onvif::media::Camera& camera = model(soap).camera();
  if (!camera.audio) return noAudioOptions(soap, request);
  const MediaState st = model(soap).snapshot();
  int err = media2_wire::checkProfileToken(soap, st, request);
  if (err != SOAP_OK) return err;
  if (request && request->ConfigurationToken && !st.findAudioSource(*request->ConfigurationToken))
    return fail(soap, ErrorKind::NoConfig);
  response.Options = soap_new_tt__AudioSourceConfigurationOptions(soap);
  response.Options->InputTokensAvailable.push_back(camera.audio_source_token);
  return SOAP_OK;
}

// One options element per encoding (IANA names: PCMU for G.711).
int __tr2__GetAudioEncoderConfigurationOptions(struct soap* soap, tr2__GetConfiguration* request,
                                               _tr2__GetAudioEncoderConfigurationOptionsResponse& response) {
  const onvif::media::Camera& camera = model(soap).camera();
  if (!camera.audio) return noAudioOptions(soap, request);
  const MediaState st = model(soap).snapshot();
  int err = media2_wire::checkProfileToken(soap, st, request);
  if (err != SOAP_OK) return err;
  if (request && request->ConfigurationToken && !st.findAudioEncoder(*request->ConfigurationToken))
    return fail(soap, ErrorKind::NoConfig);
  const onvif::media::AudioEncoderOptions& o = camera.audio_options;
  for (const std::string& e : o.encodings) {
    auto* w = soap_new_tt__AudioEncoder2ConfigurationOptions(soap);
    w->Encoding = media2_wire::audioEncodingName(e);
    w->BitrateList = soap_new_tt__IntItems(soap);
    w->BitrateList->Items = o.bitrates;
    w->SampleRateList = soap_new_tt__IntItems(soap);
    w->SampleRateList->Items = o.sample_rates;
    response.Options.push_back(w);
  }
  return SOAP_OK;
}

// No audio output: empty lists, NoConfig for a named one, and the options
// and setters are not supported.
int __tr2__GetAudioOutputConfigurations(struct soap* soap, tr2__GetConfiguration* request,
                                        _tr2__GetAudioOutputConfigurationsResponse&) {
  return emptyList(soap, request);
}

int __tr2__GetAudioDecoderConfigurations(struct soap* soap, tr2__GetConfiguration* request,
                                         _tr2__GetAudioDecoderConfigurationsResponse&) {
  return emptyList(soap, request);
}

int __tr2__SetAudioOutputConfiguration(struct soap* soap, _tr2__SetAudioOutputConfiguration*,
                                       tr2__SetConfigurationResponse&) {
  return fail(soap, ErrorKind::NoConfig);
}

int __tr2__SetAudioDecoderConfiguration(struct soap* soap, _tr2__SetAudioDecoderConfiguration*,
                                        tr2__SetConfigurationResponse&) {
  return fail(soap, ErrorKind::NoConfig);
}

int __tr2__GetAudioOutputConfigurationOptions(struct soap* soap, tr2__GetConfiguration* request,
                                              _tr2__GetAudioOutputConfigurationOptionsResponse&) {
  return noAudioOptions(soap, request);
}

int __tr2__GetAudioDecoderConfigurationOptions(struct soap* soap, tr2__GetConfiguration* request,
                                               _tr2__GetAudioDecoderConfigurationOptionsResponse&) {
  return noAudioOptions(soap, request);
}

// Media2 spec "Get<entity>Configurations" for metadata configurations.
int __tr2__GetMetadataConfigurations(struct soap* soap, tr2__GetConfiguration* request,
                                     _tr2__GetMetadataConfigurationsResponse& response) {
  const MediaState st = model(soap).snapshot();
  return media2_wire::listConfigurations(
      soap, st, request, st.metadata, &response.Configurations,
      [&](const onvif::media::MetadataConfig& c) { return media_wire::toWire(soap, st, c); });
}

// Media2 spec "Metadata Configuration": events and analytics inclusion,
// multicast, session timeout; no PTZ status (no PTZ).
int __tr2__SetMetadataConfiguration(struct soap* soap, _tr2__SetMetadataConfiguration* request,
                                    tr2__SetConfigurationResponse&) {
  if (!request || !request->Configuration) return fail(soap, ErrorKind::InvalidArgs);
  onvif::media::MediaModel& m = model(soap);
  const std::string token = request->Configuration->token;
  Status s = m.update([&](MediaState& st, onvif::media::Change* change) {
    auto* c = st.findMetadata(token);
    if (!c) return Status::fail(ErrorKind::NoConfig);
    onvif::media::MetadataConfig next = *c;
    Status v = media_wire::fromWire(*request->Configuration, &next);
    if (v.ok && (next.name.empty() || next.name.size() > 64))
      v = Status::fail(ErrorKind::ConfigModify, "Name must have 1 to 64 characters");
    if (v.ok && (next.session_timeout_s < 0 || next.session_timeout_s > 86400))
      v = Status::fail(ErrorKind::ConfigModify, "SessionTimeout must be at most one day");
    if (v.ok) v = onvif::media::validateMulticast(m.camera(), c->multicast, next.multicast);
    if (!v.ok) return v;
    *c = next;
    *change = onvif::media::describe(next);
    return Status{};
  });
  if (!s.ok) return fail(soap, s);
  media_wire::publishChange(soap, "tns1:Configuration/MetadataConfiguration", token);
  return SOAP_OK;
}

int __tr2__GetMetadataConfigurationOptions(struct soap* soap, tr2__GetConfiguration* request,
                                           _tr2__GetMetadataConfigurationOptionsResponse& response) {
  const MediaState st = model(soap).snapshot();
  int err = media2_wire::checkProfileToken(soap, st, request);
  if (err != SOAP_OK) return err;
  if (request && request->ConfigurationToken && !st.findMetadata(*request->ConfigurationToken))
    return fail(soap, ErrorKind::NoConfig);
  response.Options = media_wire::metadataOptions(soap);
  return SOAP_OK;
}

// Media2 spec "Analytics Configuration": the list the camera describes
// (possibly empty).
int __tr2__GetAnalyticsConfigurations(struct soap* soap, tr2__GetConfiguration* request,
                                      _tr2__GetAnalyticsConfigurationsResponse& response) {
  const MediaState st = model(soap).snapshot();
  return media2_wire::listConfigurations(
      soap, st, request, st.analytics, &response.Configurations,
      [&](const onvif::media::AnalyticsConfig& c) { return media2_wire::toWire(soap, st, c); });
}

}  // namespace gsoap_onvif
