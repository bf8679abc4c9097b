#pragma once
// Shared by the Media2 (ver20) handler files: the ver20 shapes of the
// shared camera model (tt:VideoEncoder2Configuration, tr2:MediaProfile, ...),
// the table of configuration types that AddConfiguration,
// RemoveConfiguration, CreateProfile, GetProfiles and the
// ConfigurationsSupported capability read, and the Get<entity>Configurations
// token rules. Everything else (faults, events, ver10 shapes) is media_wire.
#include <string>
#include <vector>

#include "services/media_wire.hpp"

namespace onvif::services::media2_wire {

using namespace gsoap_onvif;

// One tr2:ConfigurationEnumeration value a profile can hold. A new kind of
// configuration (PTZ, ...) is one more row in configurationTypes().
struct ConfigType {
  const char* name;                   // "VideoSource", "VideoEncoder", ...
  std::string media::Profile::*slot;  // where a profile keeps its token
  const char* requires;               // the type it depends on (Media2 spec "General"), or nullptr
  bool (*supported)(const media::Camera& camera);
  bool (*exists)(const media::Camera& camera, const media::MediaState& state, const std::string& token);
  // Puts the configuration into the profile's tr2:ConfigurationSet.
  void (*toSet)(struct ::soap* soap, const media::MediaState& state, const std::string& token,
                tr2__ConfigurationSet* set);
};

const std::vector<ConfigType>& configurationTypes();
const ConfigType* findType(const std::string& name);

// tr2:MediaProfile; `types` empty: no configurations (GetProfiles without
// Type), else the types named ("All" for every one).
tr2__MediaProfile* toWire(struct ::soap* soap, const media::MediaState& state, const media::Profile& p,
                          const std::vector<std::string>& types);

// IANA media subtype names used by Media2 (tt:VideoEncodingMimeNames).
const char* videoEncodingName(media::VideoEncoding e);
tt__VideoEncoder2Configuration* toWire(struct ::soap* soap, const media::MediaState& state,
                                       const media::VideoEncoderConfig& c);
media::Status fromWire(const tt__VideoEncoder2Configuration& in, media::VideoEncoderConfig* out);
tt__AudioEncoder2Configuration* toWire(struct ::soap* soap, const media::MediaState& state,
                                       const media::AudioEncoderConfig& c);
media::Status fromWire(const tt__AudioEncoder2Configuration& in, media::AudioEncoderConfig* out);
const char* audioEncodingName(const std::string& model_name);  // G711 -> PCMU, AAC -> MP4A-LATM
tt__VideoAnalyticsConfiguration* toWire(struct ::soap* soap, const media::MediaState& state,
                                        const media::AnalyticsConfig& c);

// The request's tokens of Get<entity>Configurations / Get<entity>ConfigurationOptions
// (Media2 spec "Get<entity>Configurations"): an unknown ProfileToken is
// NoProfile. Returns SOAP_OK or the fault.
int checkProfileToken(struct ::soap* soap, const media::MediaState& state,
                      const tr2__GetConfiguration* request);

// The Get<entity>Configurations answer: the configuration named by
// ConfigurationToken (NoConfig when absent), else all of them (every
// configuration fits every profile: one sensor). `convert` makes the wire item.
template <typename Config, typename Out, typename Convert>
int listConfigurations(struct ::soap* soap, const media::MediaState& state,
                       const tr2__GetConfiguration* request, const std::vector<Config>& all,
                       std::vector<Out*>* out, Convert convert) {
  int err = checkProfileToken(soap, state, request);
  if (err != SOAP_OK) return err;
  const std::string* token = request ? request->ConfigurationToken : nullptr;
  bool found = false;
  for (const Config& c : all) {
    if (token && c.token != *token) continue;
    found = true;
    out->push_back(convert(c));
  }
  if (token && !found) return media_wire::fail(soap, soap::ErrorKind::NoConfig);
  return SOAP_OK;
}

}  // namespace onvif::services::media2_wire
