#include "services/media2_wire.hpp"

#include <algorithm>
#include <cmath>

#include "services/ptz_wire.hpp"
#include "soap/faults.hpp"

namespace onvif::services::media2_wire {
namespace {

using media::MediaState;
using media_wire::newBool;

media::Status modify(const char* what) {
  return media::Status::fail(soap::ErrorKind::ConfigModify, what);
}

bool always(const media::Camera&) {
  return true;
}
bool withAudio(const media::Camera& camera) {
  return camera.audio;
}
// Analytics: supported when the camera describes at least one configuration.
bool withAnalytics(const media::Camera& camera) {
  return !camera.initial.analytics.empty();
}
// PTZ: the PTZ service owns the node's one configuration; a profile refers to it.
bool withPtz(const media::Camera& camera) {
  return !camera.ptz_configuration.empty();
}

// The rows of configurationTypes(), in tr2:ConfigurationSet order.
std::vector<ConfigType> makeTypes() {
  return {
      {"VideoSource", &media::Profile::video_source, nullptr, always,
       [](const media::Camera&, const MediaState& st, const std::string& t) {
         return st.findVideoSource(t) != nullptr;
       },
       [](struct ::soap* soap, const MediaState& st, const std::string& t, tr2__ConfigurationSet* set) {
         if (const auto* c = st.findVideoSource(t)) set->VideoSource = media_wire::toWire(soap, st, *c);
       }},
      {"AudioSource", &media::Profile::audio_source, nullptr, withAudio,
       [](const media::Camera&, const MediaState& st, const std::string& t) {
         return st.findAudioSource(t) != nullptr;
       },
       [](struct ::soap* soap, const MediaState& st, const std::string& t, tr2__ConfigurationSet* set) {
         if (const auto* c = st.findAudioSource(t)) set->AudioSource = media_wire::toWire(soap, st, *c);
       }},
      {"VideoEncoder", &media::Profile::video_encoder, "VideoSource", always,
       [](const media::Camera&, const MediaState& st, const std::string& t) {
         return st.findVideoEncoder(t) != nullptr;
       },
       [](struct ::soap* soap, const MediaState& st, const std::string& t, tr2__ConfigurationSet* set) {
         if (const auto* c = st.findVideoEncoder(t)) set->VideoEncoder = toWire(soap, st, *c);
       }},
      {"AudioEncoder", &media::Profile::audio_encoder, "AudioSource", withAudio,
       [](const media::Camera&, const MediaState& st, const std::string& t) {
         return st.findAudioEncoder(t) != nullptr;
       },
       [](struct ::soap* soap, const MediaState& st, const std::string& t, tr2__ConfigurationSet* set) {
         if (const auto* c = st.findAudioEncoder(t)) set->AudioEncoder = toWire(soap, st, *c);
       }},
      {"Analytics", &media::Profile::analytics, nullptr, withAnalytics,
       [](const media::Camera&, const MediaState& st, const std::string& t) {
         return st.findAnalytics(t) != nullptr;
       },
       [](struct ::soap* soap, const MediaState& st, const std::string& t, tr2__ConfigurationSet* set) {
         if (const auto* c = st.findAnalytics(t)) set->Analytics = toWire(soap, st, *c);
       }},
      {"PTZ", &media::Profile::ptz, nullptr, withPtz,
       [](const media::Camera& camera, const MediaState&, const std::string& t) {
         return !camera.ptz_configuration.empty() && t == camera.ptz_configuration;
       },
       [](struct ::soap* soap, const MediaState& st, const std::string& t, tr2__ConfigurationSet* set) {
         set->PTZ = ptz_wire::configuration(soap, st, t);
       }},
      {"Metadata", &media::Profile::metadata, nullptr, always,
       [](const media::Camera&, const MediaState& st, const std::string& t) {
         return st.findMetadata(t) != nullptr;
       },
       [](struct ::soap* soap, const MediaState& st, const std::string& t, tr2__ConfigurationSet* set) {
         if (const auto* c = st.findMetadata(t)) set->Metadata = media_wire::toWire(soap, st, *c);
       }},
  };
}

}  // namespace

const std::vector<ConfigType>& configurationTypes() {
  static const std::vector<ConfigType> types = makeTypes();
  return types;
}

const ConfigType* findType(const std::string& name) {
  for (const ConfigType& t : configurationTypes())
    if (name == t.name) return &t;
  return nullptr;
}

tr2__MediaProfile* toWire(struct ::soap* soap, const MediaState& st, const media::Profile& p,
                          const std::vector<std::string>& types) {
  auto* out = soap_new_tr2__MediaProfile(soap);
  out->token = p.token;
  out->Name = p.name;
  out->fixed = newBool(soap, p.fixed);
  // Media2 spec "GetProfiles": without Type the profiles carry no
  // configuration information; "All" includes every configuration.
  if (types.empty()) return out;
  bool all = std::find(types.begin(), types.end(), "All") != types.end();
  out->Configurations = soap_new_tr2__ConfigurationSet(soap);
  for (const ConfigType& t : configurationTypes()) {
    const std::string& token = p.*t.slot;
    if (token.empty()) continue;
    if (all || std::find(types.begin(), types.end(), t.name) != types.end())
      t.toSet(soap, st, token, out->Configurations);
  }
  return out;
}

const char* videoEncodingName(media::VideoEncoding e) {
  switch (e) {
    case media::VideoEncoding::JPEG: return "JPEG";
    case media::VideoEncoding::MPEG4: return "MPV4-ES";
    case media::VideoEncoding::H264: return "H264";
    case media::VideoEncoding::H265: return "H265";
  }
  return "H264";
}

tt__VideoEncoder2Configuration* toWire(struct ::soap* soap, const MediaState& st,
                                       const media::VideoEncoderConfig& c) {
  auto* out = soap_new_tt__VideoEncoder2Configuration(soap);
  out->token = c.token;
  out->Name = c.name;
  out->UseCount = st.useCount(c.token);
  out->Encoding = videoEncodingName(c.encoding);
  out->Resolution = soap_new_tt__VideoResolution2(soap);
  out->Resolution->Width = c.resolution.width;
  out->Resolution->Height = c.resolution.height;
  out->RateControl = soap_new_tt__VideoRateControl2(soap);
  out->RateControl->FrameRateLimit = static_cast<float>(c.framerate);
  out->RateControl->BitrateLimit = c.bitrate_kbps;
  out->Multicast = media_wire::toWire(soap, c.multicast);
  out->Quality = static_cast<float>(c.quality);
  if (c.encoding == media::VideoEncoding::H264 || c.encoding == media::VideoEncoding::H265) {
    out->GovLength = media_wire::newInt(soap, c.gov_length);
    out->Profile = soap_new_std__string(soap);
    *out->Profile = c.encoding == media::VideoEncoding::H264 ? c.h264_profile : c.h265_profile;
  }
  return out;
}

media::Status fromWire(const tt__VideoEncoder2Configuration& in, media::VideoEncoderConfig* out) {
  out->name = in.Name;
  if (in.Encoding == "H264")
    out->encoding = media::VideoEncoding::H264;
  else if (in.Encoding == "H265")
    out->encoding = media::VideoEncoding::H265;
  else if (in.Encoding == "JPEG")
    out->encoding = media::VideoEncoding::JPEG;
  else
    return modify("Encoding is not offered by this device");
  if (!in.Resolution) return modify("Resolution is missing");
  out->resolution = {in.Resolution->Width, in.Resolution->Height};
  if (!std::isfinite(in.Quality) || in.Quality < -1e6f || in.Quality > 1e6f)
    return modify("Quality is not a number");
  out->quality = static_cast<int>(std::lround(in.Quality));
  if (in.RateControl) {
    const float fps = in.RateControl->FrameRateLimit;
    if (!std::isfinite(fps) || fps < 0 || fps > 1e6f) return modify("FrameRateLimit is not a number");
    out->framerate = static_cast<int>(std::lround(fps));
    out->bitrate_kbps = in.RateControl->BitrateLimit;
    if (in.RateControl->ConstantBitRate && *in.RateControl->ConstantBitRate)
      return modify("Constant bit rate is not offered");
  }
  if (in.GovLength) out->gov_length = *in.GovLength;
  if (in.Profile) {
    if (out->encoding == media::VideoEncoding::H264) out->h264_profile = *in.Profile;
    if (out->encoding == media::VideoEncoding::H265) out->h265_profile = *in.Profile;
  }
  return media_wire::fromWire(in.Multicast, &out->multicast);
}

const char* audioEncodingName(const std::string& model_name) {
  if (model_name == "G711") return "PCMU";
  if (model_name == "AAC") return "MP4A-LATM";
  return "G726";
}

tt__AudioEncoder2Configuration* toWire(struct ::soap* soap, const MediaState& st,
                                       const media::AudioEncoderConfig& c) {
  auto* out = soap_new_tt__AudioEncoder2Configuration(soap);
  out->token = c.token;
  out->Name = c.name;
  out->UseCount = st.useCount(c.token);
  out->Encoding = audioEncodingName(c.encoding);
  out->Multicast = media_wire::toWire(soap, c.multicast);
  out->Bitrate = c.bitrate_kbps;
  out->SampleRate = c.sample_rate_khz;
  return out;
}

media::Status fromWire(const tt__AudioEncoder2Configuration& in, media::AudioEncoderConfig* out) {
  out->name = in.Name;
  if (in.Encoding == "PCMU")
    out->encoding = "G711";
  else if (in.Encoding == "G726")
    out->encoding = "G726";
  else if (in.Encoding == "MP4A-LATM" || in.Encoding == "mpeg4-generic")
    out->encoding = "AAC";
  else
    return modify("Encoding is not offered by this device");
  out->bitrate_kbps = in.Bitrate;
  out->sample_rate_khz = in.SampleRate;
  return media_wire::fromWire(in.Multicast, &out->multicast);
}

tt__VideoAnalyticsConfiguration* toWire(struct ::soap* soap, const MediaState& st,
                                        const media::AnalyticsConfig& c) {
  auto* out = soap_new_tt__VideoAnalyticsConfiguration(soap);
  out->token = c.token;
  out->Name = c.name;
  out->UseCount = st.useCount(c.token);
  out->AnalyticsEngineConfiguration = soap_new_tt__AnalyticsEngineConfiguration(soap);
  out->RuleEngineConfiguration = soap_new_tt__RuleEngineConfiguration(soap);
  return out;
}

int checkProfileToken(struct ::soap* soap, const MediaState& st, const tr2__GetConfiguration* request) {
  if (request && request->ProfileToken && !st.findProfile(*request->ProfileToken))
    return media_wire::fail(soap, soap::ErrorKind::NoProfile);
  return SOAP_OK;
}

}  // namespace onvif::services::media2_wire
