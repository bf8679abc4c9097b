#include "services/media_wire.hpp"

#include <cmath>
#include <cstdlib>

#include "events/event_sink.hpp"
#include "services/ptz_wire.hpp"
#include "services/service_registry.hpp"
#include "soap/element_xml.hpp"
#include "soap/faults.hpp"

namespace onvif::services::media_wire {

media::MediaModel& model(struct ::soap* soap) {
  return *onvif::daemon::requestContext(soap).daemon->media;
}

int fail(struct ::soap* soap, const media::Status& status) {
  return onvif::soap::fault(soap, status.kind, status.detail.empty() ? nullptr : status.detail.c_str());
}

int fail(struct ::soap* soap, soap::ErrorKind kind) {
  return onvif::soap::fault(soap, kind);
}

namespace {

constexpr const char* kProfileTopic = "tns1:Configuration/Profile";

template <typename Config>
std::string configurationXml(struct ::soap* soap, const media::MediaState& state, const Config* config) {
  if (!config) return {};
  return onvif::soap::elementXml(*toWire(soap, state, *config), "tt:Configuration");
}

// The item the topic names, as it is now, serialized for the message's Data
// ElementItem "Configuration". Empty when it is gone (a deleted profile).
std::string currentConfigurationXml(struct ::soap* soap, const std::string& topic, const std::string& token) {
  const media::MediaState st = model(soap).snapshot();
  if (topic == kProfileTopic) return configurationXml(soap, st, st.findProfile(token));
  if (topic == "tns1:Configuration/VideoSourceConfiguration/MediaService")
    return configurationXml(soap, st, st.findVideoSource(token));
  if (topic == "tns1:Configuration/VideoEncoderConfiguration")
    return configurationXml(soap, st, st.findVideoEncoder(token));
  if (topic == "tns1:Configuration/AudioSourceConfiguration/MediaService")
    return configurationXml(soap, st, st.findAudioSource(token));
  if (topic == "tns1:Configuration/AudioEncoderConfiguration")
    return configurationXml(soap, st, st.findAudioEncoder(token));
  if (topic == "tns1:Configuration/MetadataConfiguration")
    return configurationXml(soap, st, st.findMetadata(token));
  return {};
}

// The Media2 ConfigurationEnumeration value of a ver10 change topic; empty
// for the profile topic.
const char* media2Type(const std::string& topic) {
  static const char* const kTypes[][2] = {
      {"tns1:Configuration/VideoSourceConfiguration/MediaService", "VideoSource"},
      {"tns1:Configuration/VideoEncoderConfiguration", "VideoEncoder"},
      {"tns1:Configuration/AudioSourceConfiguration/MediaService", "AudioSource"},
      {"tns1:Configuration/AudioEncoderConfiguration", "AudioEncoder"},
      {"tns1:Configuration/MetadataConfiguration", "Metadata"}};
  for (const auto& t : kTypes)
    if (topic == t[0]) return t[1];
  return "";
}

// What ver10 cannot show (an H.265 encoder, a profile holding one) gets no ver10 event.
bool visibleToVer10(const media::MediaState& st, const std::string& topic, const std::string& token) {
  if (topic == kProfileTopic) {
    const media::Profile* p = st.findProfile(token);
    return !p || visibleProfile(st, *p);
  }
  return topic != "tns1:Configuration/VideoEncoderConfiguration" || visibleEncoder(st, token);
}

}  // namespace

void publishChange(struct ::soap* soap, const char* topic, const std::string& token) {
  events::EventSink* sink = onvif::daemon::requestContext(soap).daemon->events;
  if (!sink) return;
  const media::MediaState st = model(soap).snapshot();
  // Media2 spec "Events": every change, whichever service made it, is also
  // tns1:Media/ProfileChanged (Source Token) or
  // tns1:Media/ConfigurationChanged (Source Token and Type).
  if (media2Available(onvif::daemon::requestContext(soap).daemon)) {
    events::EventMessage m2;
    const std::string type = media2Type(topic);
    m2.topic = type.empty() ? "tns1:Media/ProfileChanged" : "tns1:Media/ConfigurationChanged";
    m2.source.push_back({"Token", token});
    if (!type.empty()) m2.source.push_back({"Type", type});
    sink->publish(m2);
  }
  if (!visibleToVer10(st, topic, token)) return;
  events::EventMessage message;
  message.topic = topic;
  message.source.push_back({"Token", token});
  // Media spec "Configuration Change": Data ElementItem "Configuration" of
  // the configuration's type, read after the change was stored.
  std::string xml = currentConfigurationXml(soap, topic, token);
  if (!xml.empty()) message.data_elements.push_back({"Configuration", std::move(xml)});
  sink->publish(message);
}

bool visibleEncoder(const media::MediaState& state, const std::string& token) {
  const media::VideoEncoderConfig* c = state.findVideoEncoder(token);
  return !c || c->encoding != media::VideoEncoding::H265;
}

bool visibleProfile(const media::MediaState& state, const media::Profile& profile) {
  return profile.video_encoder.empty() || visibleEncoder(state, profile.video_encoder);
}

bool* newBool(struct ::soap* soap, bool value) {
  bool* p = static_cast<bool*>(soap_malloc(soap, sizeof(bool)));
  *p = value;
  return p;
}

int* newInt(struct ::soap* soap, int value) {
  int* p = static_cast<int*>(soap_malloc(soap, sizeof(int)));
  *p = value;
  return p;
}

tt__IntRange* newRange(struct ::soap* soap, int min, int max) {
  auto* r = soap_new_tt__IntRange(soap);
  r->Min = min;
  r->Max = max;
  return r;
}

tt__IntRange* newRange(struct ::soap* soap, const media::Range& range) {
  return newRange(soap, range.min, range.max);
}

std::string durationText(int seconds) {
  return "PT" + std::to_string(seconds) + "S";
}

bool parseDuration(const std::string& text, int* seconds) {
  // xs:duration without years and months (their length in seconds is not fixed).
  if (text.size() < 3 || text[0] != 'P') return false;
  long long total = 0;
  bool in_time = false, any = false;
  for (std::size_t i = 1; i < text.size();) {
    if (text[i] == 'T') {
      if (in_time) return false;
      in_time = true;
      ++i;
      continue;
    }
    char* end = nullptr;
    double v = strtod(text.c_str() + i, &end);
    std::size_t used = static_cast<std::size_t>(end - (text.c_str() + i));
    if (used == 0 || !std::isfinite(v) || v < 0 || v > 1e9) return false;
    i += used;
    if (i >= text.size()) return false;
    char unit = text[i++];
    if (unit == 'D' && !in_time)
      total += static_cast<long long>(v * 86400);
    else if (unit == 'H' && in_time)
      total += static_cast<long long>(v * 3600);
    else if (unit == 'M' && in_time)
      total += static_cast<long long>(v * 60);
    else if (unit == 'S' && in_time)
      total += static_cast<long long>(v);
    else
      return false;
    any = true;
    if (total > 1000000000LL) return false;
  }
  if (!any) return false;
  *seconds = static_cast<int>(total);
  return true;
}

tt__MulticastConfiguration* toWire(struct ::soap* soap, const media::Multicast& m) {
  auto* out = soap_new_tt__MulticastConfiguration(soap);
  out->Address = soap_new_tt__IPAddress(soap);
  out->Address->Type = tt__IPType__IPv4;
  out->Address->IPv4Address = soap_new_std__string(soap);
  *out->Address->IPv4Address = m.address;
  out->Port = m.port;
  out->TTL = m.ttl;
  out->AutoStart = m.auto_start;
  return out;
}

tt__VideoSourceConfiguration* toWire(struct ::soap* soap, const media::MediaState& st,
                                     const media::VideoSourceConfig& c) {
  auto* out = soap_new_tt__VideoSourceConfiguration(soap);
  out->token = c.token;
  out->Name = c.name;
  out->UseCount = st.useCount(c.token);
  out->SourceToken = c.source_token;
  out->Bounds = soap_new_tt__IntRectangle(soap);
  out->Bounds->x = c.bounds.x;
  out->Bounds->y = c.bounds.y;
  out->Bounds->width = c.bounds.width;
  out->Bounds->height = c.bounds.height;
  return out;
}

tt__VideoEncoderConfiguration* toWire(struct ::soap* soap, const media::MediaState& st,
                                      const media::VideoEncoderConfig& c) {
  auto* out = soap_new_tt__VideoEncoderConfiguration(soap);
  out->token = c.token;
  out->Name = c.name;
  out->UseCount = st.useCount(c.token);
  switch (c.encoding) {
    case media::VideoEncoding::JPEG: out->Encoding = tt__VideoEncoding__JPEG; break;
    case media::VideoEncoding::MPEG4: out->Encoding = tt__VideoEncoding__MPEG4; break;
    default: out->Encoding = tt__VideoEncoding__H264; break;
  }
  out->Resolution = soap_new_tt__VideoResolution(soap);
  out->Resolution->Width = c.resolution.width;
  out->Resolution->Height = c.resolution.height;
  out->Quality = static_cast<float>(c.quality);
  out->RateControl = soap_new_tt__VideoRateControl(soap);
  out->RateControl->FrameRateLimit = c.framerate;
  out->RateControl->EncodingInterval = c.encoding_interval;
  out->RateControl->BitrateLimit = c.bitrate_kbps;
  if (c.encoding == media::VideoEncoding::H264) {
    out->H264 = soap_new_tt__H264Configuration(soap);
    out->H264->GovLength = c.gov_length;
    out->H264->H264Profile = c.h264_profile == "Baseline"   ? tt__H264Profile__Baseline
                             : c.h264_profile == "Extended" ? tt__H264Profile__Extended
                             : c.h264_profile == "High"     ? tt__H264Profile__High
                                                            : tt__H264Profile__Main;
  }
  out->Multicast = toWire(soap, c.multicast);
  out->SessionTimeout = durationText(c.session_timeout_s);
  return out;
}

tt__AudioSourceConfiguration* toWire(struct ::soap* soap, const media::MediaState& st,
                                     const media::AudioSourceConfig& c) {
  auto* out = soap_new_tt__AudioSourceConfiguration(soap);
  out->token = c.token;
  out->Name = c.name;
  out->UseCount = st.useCount(c.token);
  out->SourceToken = c.source_token;
  return out;
}

tt__AudioEncoderConfiguration* toWire(struct ::soap* soap, const media::MediaState& st,
                                      const media::AudioEncoderConfig& c) {
  auto* out = soap_new_tt__AudioEncoderConfiguration(soap);
  out->token = c.token;
  out->Name = c.name;
  out->UseCount = st.useCount(c.token);
  out->Encoding = c.encoding == "AAC"    ? tt__AudioEncoding__AAC
                  : c.encoding == "G726" ? tt__AudioEncoding__G726
                                         : tt__AudioEncoding__G711;
  out->Bitrate = c.bitrate_kbps;
  out->SampleRate = c.sample_rate_khz;
  out->Multicast = toWire(soap, c.multicast);
  out->SessionTimeout = durationText(c.session_timeout_s);
  return out;
}

tt__MetadataConfigurationOptions* metadataOptions(struct ::soap* soap) {
  auto* out = soap_new_tt__MetadataConfigurationOptions(soap);
  out->PTZStatusFilterOptions = soap_new_tt__PTZStatusFilterOptions(soap);
  out->PTZStatusFilterOptions->PanTiltStatusSupported = false;
  out->PTZStatusFilterOptions->ZoomStatusSupported = false;
  return out;
}

tt__MetadataConfiguration* toWire(struct ::soap* soap, const media::MediaState& st,
                                  const media::MetadataConfig& c) {
  auto* out = soap_new_tt__MetadataConfiguration(soap);
  out->token = c.token;
  out->Name = c.name;
  out->UseCount = st.useCount(c.token);
  out->Analytics = newBool(soap, c.analytics);
  if (c.events) out->Events = soap_new_tt__EventSubscription(soap);
  out->Multicast = toWire(soap, c.multicast);
  out->SessionTimeout = durationText(c.session_timeout_s);
  return out;
}

tt__Profile* toWire(struct ::soap* soap, const media::MediaState& st, const media::Profile& p) {
  auto* out = soap_new_tt__Profile(soap);
  out->token = p.token;
  out->Name = p.name;
  out->fixed = newBool(soap, p.fixed);  // Media spec GetProfiles: "shall include the fixed attribute"
  if (const auto* c = st.findVideoSource(p.video_source))
    out->VideoSourceConfiguration = toWire(soap, st, *c);
  if (const auto* c = st.findAudioSource(p.audio_source))
    out->AudioSourceConfiguration = toWire(soap, st, *c);
  if (const auto* c = st.findVideoEncoder(p.video_encoder))
    out->VideoEncoderConfiguration = toWire(soap, st, *c);
  if (const auto* c = st.findAudioEncoder(p.audio_encoder))
    out->AudioEncoderConfiguration = toWire(soap, st, *c);
  if (!p.ptz.empty()) out->PTZConfiguration = ptz_wire::configuration(soap, st, p.ptz);
  if (const auto* c = st.findMetadata(p.metadata)) out->MetadataConfiguration = toWire(soap, st, *c);
  return out;
}

namespace {
media::Status modify(const char* what) {
  return media::Status::fail(soap::ErrorKind::ConfigModify, what);
}
}  // namespace

media::Status fromWire(const tt__MulticastConfiguration* in, media::Multicast* out) {
  if (!in) return {};
  if (!in->Address || in->Address->Type != tt__IPType__IPv4 || !in->Address->IPv4Address ||
      !media::validIPv4(*in->Address->IPv4Address))
    return modify("Multicast address must be an IPv4 address");
  out->address = *in->Address->IPv4Address;
  out->port = in->Port;
  out->ttl = in->TTL;
  out->auto_start = in->AutoStart;
  return {};
}

media::Status fromWire(const tt__VideoEncoderConfiguration& in, media::VideoEncoderConfig* out) {
  out->name = in.Name;
  switch (in.Encoding) {
    case tt__VideoEncoding__JPEG: out->encoding = media::VideoEncoding::JPEG; break;
    case tt__VideoEncoding__MPEG4: out->encoding = media::VideoEncoding::MPEG4; break;
    default: out->encoding = media::VideoEncoding::H264; break;
  }
  if (!in.Resolution) return modify("Resolution is missing");
  out->resolution = {in.Resolution->Width, in.Resolution->Height};
  // Quality is a float on the wire; the options advertise whole numbers.
  if (!std::isfinite(in.Quality) || in.Quality < -1e6f || in.Quality > 1e6f)
    return modify("Quality is not a number");
  out->quality = static_cast<int>(std::lround(in.Quality));
  if (in.RateControl) {
    out->framerate = in.RateControl->FrameRateLimit;
    out->encoding_interval = in.RateControl->EncodingInterval;
    out->bitrate_kbps = in.RateControl->BitrateLimit;
  }
  if (in.H264) {
    out->gov_length = in.H264->GovLength;
    switch (in.H264->H264Profile) {
      case tt__H264Profile__Baseline: out->h264_profile = "Baseline"; break;
      case tt__H264Profile__Extended: out->h264_profile = "Extended"; break;
      case tt__H264Profile__High: out->h264_profile = "High"; break;
      default: out->h264_profile = "Main"; break;
    }
  }
  if (!parseDuration(in.SessionTimeout, &out->session_timeout_s))
    return modify("SessionTimeout is not a duration");
  return fromWire(in.Multicast, &out->multicast);
}

media::Status fromWire(const tt__VideoSourceConfiguration& in, media::VideoSourceConfig* out) {
  out->name = in.Name;
  out->source_token = in.SourceToken;
  if (!in.Bounds) return modify("Bounds are missing");
  // Both media services report Rotation false: a rotation this camera cannot
  // do is refused (ter:ConfigModify), never accepted and dropped.
  if (in.Extension && in.Extension->Rotate && in.Extension->Rotate->Mode != tt__RotateMode__OFF)
    return modify("This camera cannot rotate its image");
  out->bounds = {in.Bounds->x, in.Bounds->y, in.Bounds->width, in.Bounds->height};
  return {};
}

media::Status fromWire(const tt__AudioEncoderConfiguration& in, media::AudioEncoderConfig* out) {
  out->name = in.Name;
  out->encoding = in.Encoding == tt__AudioEncoding__AAC    ? "AAC"
                  : in.Encoding == tt__AudioEncoding__G726 ? "G726"
                                                           : "G711";
  out->bitrate_kbps = in.Bitrate;
  out->sample_rate_khz = in.SampleRate;
  if (!parseDuration(in.SessionTimeout, &out->session_timeout_s))
    return modify("SessionTimeout is not a duration");
  return fromWire(in.Multicast, &out->multicast);
}

media::Status fromWire(const tt__MetadataConfiguration& in, media::MetadataConfig* out) {
  out->name = in.Name;
  if (in.PTZStatus && (in.PTZStatus->Status || in.PTZStatus->Position))
    return modify("This device has no PTZ status to stream");
  if (in.Analytics) out->analytics = *in.Analytics;
  // The metadata stream is the firmware's; we keep whether events are wanted,
  // not the filter (see docs/media.md).
  out->events = in.Events != nullptr;
  if (!parseDuration(in.SessionTimeout, &out->session_timeout_s))
    return modify("SessionTimeout is not a duration");
  return fromWire(in.Multicast, &out->multicast);
}

}  // namespace onvif::services::media_wire
