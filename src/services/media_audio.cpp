// Media service ver10: audio sources and encoders (when [media] audio is
// on; otherwise the spec's env:Receiver/ter:ActionNotSupported/
// ter:AudioNotSupported) and metadata configurations (OSDs are in
// media_osd.cpp). Get* READ_MEDIA, Set* ACTUATE.
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
using onvif::soap::ErrorKind;

bool audio(struct soap* soap) {
  return model(soap).camera().audio;
}

// NoProfile is checked before AudioNotSupported so a client learns about a
// bad token first, whatever the device's audio.
bool knownProfile(struct soap*, const MediaState& st, const std::string& token) {
  const Profile* p = st.findProfile(token);
  return p && visibleProfile(st, *p);
}

}  // namespace

// Media spec "GetAudioSources".
int __trt__GetAudioSources(struct soap* soap, _trt__GetAudioSources*,
                           _trt__GetAudioSourcesResponse& response) {
  if (!audio(soap)) return fail(soap, ErrorKind::AudioNotSupported);
  const onvif::media::Camera& camera = model(soap).camera();
  auto* s = soap_new_tt__AudioSource(soap);
  s->token = camera.audio_source_token;
  s->Channels = camera.audio_channels;
  response.AudioSources.push_back(s);
  return SOAP_OK;
}

// Media spec "GetAudioSourceConfigurations" / "GetAudioSourceConfiguration" /
// "GetCompatibleAudioSourceConfigurations" / "GetAudioSourceConfigurationOptions".
int __trt__GetAudioSourceConfigurations(struct soap* soap, _trt__GetAudioSourceConfigurations*,
                                        _trt__GetAudioSourceConfigurationsResponse& response) {
  if (!audio(soap)) return fail(soap, ErrorKind::AudioNotSupported);
  const MediaState st = model(soap).snapshot();
  for (const auto& c : st.audio_sources) response.Configurations.push_back(toWire(soap, st, c));
  return SOAP_OK;
}

int __trt__GetAudioSourceConfiguration(struct soap* soap, _trt__GetAudioSourceConfiguration* request,
                                       _trt__GetAudioSourceConfigurationResponse& response) {
  if (!audio(soap)) return fail(soap, ErrorKind::AudioNotSupported);
  const MediaState st = model(soap).snapshot();
  const auto* c = request ? st.findAudioSource(request->ConfigurationToken) : nullptr;
  if (!c) return fail(soap, ErrorKind::NoConfig);
  response.Configuration = toWire(soap, st, *c);
  return SOAP_OK;
}

int __trt__GetCompatibleAudioSourceConfigurations(
    struct soap* soap, _trt__GetCompatibleAudioSourceConfigurations* request,
    _trt__GetCompatibleAudioSourceConfigurationsResponse& response) {
  const MediaState st = model(soap).snapshot();
  if (!request || !knownProfile(soap, st, request->ProfileToken)) return fail(soap, ErrorKind::NoProfile);
  if (!audio(soap)) return fail(soap, ErrorKind::AudioNotSupported);
  for (const auto& c : st.audio_sources) response.Configurations.push_back(toWire(soap, st, c));
  return SOAP_OK;
}

int __trt__GetAudioSourceConfigurationOptions(struct soap* soap,
                                              _trt__GetAudioSourceConfigurationOptions* request,
                                              _trt__GetAudioSourceConfigurationOptionsResponse& response) {
  const MediaState st = model(soap).snapshot();
  if (request && request->ProfileToken && !knownProfile(soap, st, *request->ProfileToken))
    return fail(soap, ErrorKind::NoProfile);
  if (!audio(soap)) return fail(soap, ErrorKind::AudioNotSupported);
  if (request && request->ConfigurationToken && !st.findAudioSource(*request->ConfigurationToken))
    return fail(soap, ErrorKind::NoConfig);
  response.Options = soap_new_tt__AudioSourceConfigurationOptions(soap);
  response.Options->InputTokensAvailable.push_back(model(soap).camera().audio_source_token);
  return SOAP_OK;
}

// Media spec "SetAudioSourceConfiguration": only the name can change (one
// microphone). Publishes the spec's AudioSourceConfiguration change event.
int __trt__SetAudioSourceConfiguration(struct soap* soap, _trt__SetAudioSourceConfiguration* request,
                                       _trt__SetAudioSourceConfigurationResponse&) {
  if (!audio(soap)) return fail(soap, ErrorKind::AudioNotSupported);
  if (!request || !request->Configuration) return fail(soap, ErrorKind::InvalidArgs);
  onvif::media::MediaModel& m = model(soap);
  const auto& in = *request->Configuration;
  Status s = m.update([&](MediaState& st, Change* change) {
    auto it = std::find_if(st.audio_sources.begin(), st.audio_sources.end(),
                           [&](const onvif::media::AudioSourceConfig& c) { return c.token == in.token; });
    if (it == st.audio_sources.end()) return Status::fail(ErrorKind::NoConfig);
    if (in.SourceToken != m.camera().audio_source_token)
      return Status::fail(ErrorKind::ConfigModify, "SourceToken names no audio source");
    if (in.Name.empty() || in.Name.size() > 64)
      return Status::fail(ErrorKind::ConfigModify, "Name must have 1 to 64 characters");
    it->name = in.Name;
    *change = {"audio-source", it->token, {"name=" + it->name, "source=" + it->source_token}};
    return Status{};
  });
  if (!s.ok) return fail(soap, s);
  publishChange(soap, "tns1:Configuration/AudioSourceConfiguration/MediaService", in.token);
  return SOAP_OK;
}

// Media spec "GetAudioEncoderConfigurations" / "GetAudioEncoderConfiguration" /
// "GetCompatibleAudioEncoderConfigurations" / "GetAudioEncoderConfigurationOptions".
int __trt__GetAudioEncoderConfigurations(struct soap* soap, _trt__GetAudioEncoderConfigurations*,
                                         _trt__GetAudioEncoderConfigurationsResponse& response) {
  if (!audio(soap)) return fail(soap, ErrorKind::AudioNotSupported);
  const MediaState st = model(soap).snapshot();
  for (const auto& c : st.audio_encoders) response.Configurations.push_back(toWire(soap, st, c));
  return SOAP_OK;
}

int __trt__GetAudioEncoderConfiguration(struct soap* soap, _trt__GetAudioEncoderConfiguration* request,
                                        _trt__GetAudioEncoderConfigurationResponse& response) {
  if (!audio(soap)) return fail(soap, ErrorKind::AudioNotSupported);
  const MediaState st = model(soap).snapshot();
  const auto* c = request ? st.findAudioEncoder(request->ConfigurationToken) : nullptr;
  if (!c) return fail(soap, ErrorKind::NoConfig);
  response.Configuration = toWire(soap, st, *c);
  return SOAP_OK;
}

int __trt__GetCompatibleAudioEncoderConfigurations(
    struct soap* soap, _trt__GetCompatibleAudioEncoderConfigurations* request,
    _trt__GetCompatibleAudioEncoderConfigurationsResponse& response) {
  const MediaState st = model(soap).snapshot();
  if (!request || !knownProfile(soap, st, request->ProfileToken)) return fail(soap, ErrorKind::NoProfile);
  if (!audio(soap)) return fail(soap, ErrorKind::AudioNotSupported);
  for (const auto& c : st.audio_encoders) response.Configurations.push_back(toWire(soap, st, c));
  return SOAP_OK;
}

int __trt__GetAudioEncoderConfigurationOptions(struct soap* soap,
                                               _trt__GetAudioEncoderConfigurationOptions* request,
                                               _trt__GetAudioEncoderConfigurationOptionsResponse& response) {
  const MediaState st = model(soap).snapshot();
  if (request && request->ProfileToken && !knownProfile(soap, st, *request->ProfileToken))
    return fail(soap, ErrorKind::NoProfile);
  if (!audio(soap)) return fail(soap, ErrorKind::AudioNotSupported);
  if (request && request->ConfigurationToken && !st.findAudioEncoder(*request->ConfigurationToken))
    return fail(soap, ErrorKind::NoConfig);
  const auto& o = model(soap).camera().audio_options;
  response.Options = soap_new_tt__AudioEncoderConfigurationOptions(soap);
  for (const std::string& e : o.encodings) {
    auto* opt = soap_new_tt__AudioEncoderConfigurationOption(soap);
    opt->Encoding = e == "AAC"    ? tt__AudioEncoding__AAC
                    : e == "G726" ? tt__AudioEncoding__G726
                                  : tt__AudioEncoding__G711;
    opt->BitrateList = soap_new_tt__IntItems(soap);
    opt->BitrateList->Items = o.bitrates;
    opt->SampleRateList = soap_new_tt__IntItems(soap);
    opt->SampleRateList->Items = o.sample_rates;
    response.Options->Options.push_back(opt);
  }
  return SOAP_OK;
}

// Media spec "SetAudioEncoderConfiguration": values from the options only.
int __trt__SetAudioEncoderConfiguration(struct soap* soap, _trt__SetAudioEncoderConfiguration* request,
                                        _trt__SetAudioEncoderConfigurationResponse&) {
  if (!audio(soap)) return fail(soap, ErrorKind::AudioNotSupported);
  if (!request || !request->Configuration) return fail(soap, ErrorKind::InvalidArgs);
  onvif::media::MediaModel& m = model(soap);
  const std::string token = request->Configuration->token;
  Status s = m.update([&](MediaState& st, Change* change) {
    auto* c = st.findAudioEncoder(token);
    if (!c) return Status::fail(ErrorKind::NoConfig);
    onvif::media::AudioEncoderConfig next = *c;
    Status v = fromWire(*request->Configuration, &next);
    if (v.ok) v = onvif::media::validateAudioEncoder(m.camera(), *c, next);
    if (!v.ok) return v;
    *c = next;
    *change = onvif::media::describe(next);
    return Status{};
  });
  if (!s.ok) return fail(soap, s);
  publishChange(soap, "tns1:Configuration/AudioEncoderConfiguration", token);
  return SOAP_OK;
}

// Media spec "GetMetadataConfigurations" / "GetMetadataConfiguration" /
// "GetCompatibleMetadataConfigurations" / "GetMetadataConfigurationOptions".
int __trt__GetMetadataConfigurations(struct soap* soap, _trt__GetMetadataConfigurations*,
                                     _trt__GetMetadataConfigurationsResponse& response) {
  const MediaState st = model(soap).snapshot();
  for (const auto& c : st.metadata) response.Configurations.push_back(toWire(soap, st, c));
  return SOAP_OK;
}

int __trt__GetMetadataConfiguration(struct soap* soap, _trt__GetMetadataConfiguration* request,
                                    _trt__GetMetadataConfigurationResponse& response) {
  const MediaState st = model(soap).snapshot();
  const auto* c = request ? st.findMetadata(request->ConfigurationToken) : nullptr;
  if (!c) return fail(soap, ErrorKind::NoConfig);
  response.Configuration = toWire(soap, st, *c);
  return SOAP_OK;
}

int __trt__GetCompatibleMetadataConfigurations(struct soap* soap,
                                               _trt__GetCompatibleMetadataConfigurations* request,
                                               _trt__GetCompatibleMetadataConfigurationsResponse& response) {
  const MediaState st = model(soap).snapshot();
  if (!request || !knownProfile(soap, st, request->ProfileToken)) return fail(soap, ErrorKind::NoProfile);
  for (const auto& c : st.metadata) response.Configurations.push_back(toWire(soap, st, c));
  return SOAP_OK;
}

int __trt__GetMetadataConfigurationOptions(struct soap* soap, _trt__GetMetadataConfigurationOptions* request,
                                           _trt__GetMetadataConfigurationOptionsResponse& response) {
  const MediaState st = model(soap).snapshot();
  if (request && request->ProfileToken && !knownProfile(soap, st, *request->ProfileToken))
    return fail(soap, ErrorKind::NoProfile);
  if (request && request->ConfigurationToken && !st.findMetadata(*request->ConfigurationToken))
    return fail(soap, ErrorKind::NoConfig);
  response.Options = metadataOptions(soap);
  return SOAP_OK;
}

// Media spec "SetMetadataConfiguration". Publishes the MetadataConfiguration event.
int __trt__SetMetadataConfiguration(struct soap* soap, _trt__SetMetadataConfiguration* request,
                                    _trt__SetMetadataConfigurationResponse&) {
  if (!request || !request->Configuration) return fail(soap, ErrorKind::InvalidArgs);
  onvif::media::MediaModel& m = model(soap);
  const std::string token = request->Configuration->token;
  Status s = m.update([&](MediaState& st, Change* change) {
    auto* c = st.findMetadata(token);
    if (!c) return Status::fail(ErrorKind::NoConfig);
    onvif::media::MetadataConfig next = *c;
    Status v = fromWire(*request->Configuration, &next);
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
  publishChange(soap, "tns1:Configuration/MetadataConfiguration", token);
  return SOAP_OK;
}

}  // namespace gsoap_onvif
