#include "media/camera.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace onvif::media {
namespace {

template <typename T>
T* findByToken(std::vector<T>& items, const std::string& token) {
  for (T& item : items)
    if (item.token == token) return &item;
  return nullptr;
}

template <typename T>
const T* findByToken(const std::vector<T>& items, const std::string& token) {
  for (const T& item : items)
    if (item.token == token) return &item;
  return nullptr;
}

bool parseWholeNumber(const std::string& text, int* out) {
  char* end = nullptr;
  long n = strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || n < 0 || n > 1000000) return false;
  *out = static_cast<int>(n);
  return true;
}

bool isIPv4(const std::string& text) {
  int parts = 0;
  std::size_t pos = 0;
  while (pos <= text.size() && parts < 5) {
    std::size_t dot = text.find('.', pos);
    std::string part = text.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
    int n;
    if (part.empty() || part.size() > 3 || !parseWholeNumber(part, &n) || n > 255) return false;
    ++parts;
    if (dot == std::string::npos) break;
    pos = dot + 1;
  }
  return parts == 4;
}

}  // namespace

bool validToken(const std::string& token) {
  if (token.empty() || token.size() > 64) return false;
  for (char c : token)
    if (!isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.') return false;
  return true;
}

const char* encodingName(VideoEncoding e) {
  switch (e) {
    case VideoEncoding::JPEG: return "JPEG";
    case VideoEncoding::MPEG4: return "MPEG4";
    case VideoEncoding::H264: return "H264";
    case VideoEncoding::H265: return "H265";
  }
  return "H264";
}

bool parseEncoding(const std::string& text, VideoEncoding* out) {
  for (VideoEncoding e :
       {VideoEncoding::JPEG, VideoEncoding::MPEG4, VideoEncoding::H264, VideoEncoding::H265})
    if (text == encodingName(e)) {
      *out = e;
      return true;
    }
  return false;
}

bool parseResolution(const std::string& text, Resolution* out) {
  std::size_t x = text.find('x');
  if (x == std::string::npos) return false;
  Resolution r;
  if (!parseWholeNumber(text.substr(0, x), &r.width) || !parseWholeNumber(text.substr(x + 1), &r.height))
    return false;
  if (r.width < 1 || r.height < 1 || r.width > 16384 || r.height > 16384) return false;
  *out = r;
  return true;
}

std::string resolutionText(const Resolution& r) {
  return std::to_string(r.width) + "x" + std::to_string(r.height);
}

bool isMulticastAddress(const std::string& text) {
  if (!isIPv4(text)) return false;
  int first = atoi(text.c_str());
  return first >= 224 && first <= 239;
}

bool validIPv4(const std::string& text) {
  return isIPv4(text);
}

Profile* MediaState::findProfile(const std::string& t) {
  return findByToken(profiles, t);
}
const Profile* MediaState::findProfile(const std::string& t) const {
  return findByToken(profiles, t);
}
VideoEncoderConfig* MediaState::findVideoEncoder(const std::string& t) {
  return findByToken(video_encoders, t);
}
const VideoEncoderConfig* MediaState::findVideoEncoder(const std::string& t) const {
  return findByToken(video_encoders, t);
}
const VideoSourceConfig* MediaState::findVideoSource(const std::string& t) const {
  return findByToken(video_sources, t);
}
VideoSourceConfig* MediaState::findVideoSource(const std::string& t) {
  return findByToken(video_sources, t);
}
const AudioSourceConfig* MediaState::findAudioSource(const std::string& t) const {
  return findByToken(audio_sources, t);
}
AudioSourceConfig* MediaState::findAudioSource(const std::string& t) {
  return findByToken(audio_sources, t);
}
const AudioEncoderConfig* MediaState::findAudioEncoder(const std::string& t) const {
  return findByToken(audio_encoders, t);
}
AudioEncoderConfig* MediaState::findAudioEncoder(const std::string& t) {
  return findByToken(audio_encoders, t);
}
const AnalyticsConfig* MediaState::findAnalytics(const std::string& t) const {
  return findByToken(analytics, t);
}
const MetadataConfig* MediaState::findMetadata(const std::string& t) const {
  return findByToken(metadata, t);
}
MetadataConfig* MediaState::findMetadata(const std::string& t) {
  return findByToken(metadata, t);
}
const Osd* MediaState::findOsd(const std::string& t) const {
  return findByToken(osds, t);
}
Osd* MediaState::findOsd(const std::string& t) {
  return findByToken(osds, t);
}

int MediaState::useCount(const std::string& token) const {
  int n = 0;
  for (const Profile& p : profiles)
    n += p.video_source == token || p.video_encoder == token || p.audio_source == token ||
         p.audio_encoder == token || p.metadata == token || p.analytics == token || p.ptz == token;
  return n;
}

const VideoEncoderOptions* Camera::optionsFor(const std::string& token) const {
  for (std::size_t i = 0; i < initial.video_encoders.size(); ++i)
    if (initial.video_encoders[i].token == token) return &encoder_options[i];
  return nullptr;
}

const StreamUris* Camera::urisFor(const std::string& token) const {
  for (std::size_t i = 0; i < initial.video_encoders.size(); ++i)
    if (initial.video_encoders[i].token == token) return &encoder_uris[i];
  return nullptr;
}

bool Camera::isFixedProfile(const std::string& token) const {
  return initial.findProfile(token) != nullptr;
}

bool buildCamera(const core::MediaConfig& c, Camera* out, std::string* error) {
  Camera cam;
  std::set<std::string> tokens;  // all configuration and profile tokens are distinct
  auto fail = [&](const std::string& key, const std::string& problem) {
    *error = "media." + key + ": " + problem;
    return false;
  };
  auto token = [&](const std::string& key, const std::string& value) {
    if (!validToken(value)) return fail(key, "expected a token of 1 to 64 letters, digits, '_', '-', '.'");
    if (!tokens.insert(value).second) return fail(key, "token '" + value + "' is used twice");
    return true;
  };
  if (!token("video_source_token", c.video_source_token)) return false;
  cam.video_source_token = c.video_source_token;
  if (!parseResolution(c.video_source_resolution, &cam.video_source_resolution))
    return fail("video_source_resolution", "expected WIDTHxHEIGHT");
  cam.video_source_framerate = c.video_source_framerate;
  if (!token("video_source_configuration_token", c.video_source_configuration_token)) return false;
  VideoSourceConfig vsc;
  vsc.token = c.video_source_configuration_token;
  vsc.name = c.video_source_configuration_name.empty() ? vsc.token : c.video_source_configuration_name;
  vsc.source_token = c.video_source_token;
  vsc.bounds = {0, 0, cam.video_source_resolution.width, cam.video_source_resolution.height};
  cam.initial.video_sources.push_back(vsc);

  cam.audio = c.audio;
  if (c.audio) {
    if (!token("audio_source_token", c.audio_source_token) ||
        !token("audio_source_configuration_token", c.audio_source_configuration_token) ||
        !token("audio_encoder_token", c.audio_encoder_token))
      return false;
    cam.audio_source_token = c.audio_source_token;
    cam.audio_channels = c.audio_channels;
    cam.initial.audio_sources.push_back(
        {c.audio_source_configuration_token, c.audio_source_configuration_token, c.audio_source_token});
    for (const std::string& e : c.audio_encodings) {
      if (e != "G711" && e != "G726" && e != "AAC")
        return fail("audio_encodings", "expected G711, G726 or AAC");
      cam.audio_options.encodings.push_back(e);
    }
    for (const std::string& b : c.audio_bitrates) {
      int n;
      if (!parseWholeNumber(b, &n) || n < 1) return fail("audio_bitrates", "expected whole numbers (kbit/s)");
      cam.audio_options.bitrates.push_back(n);
    }
    for (const std::string& r : c.audio_sample_rates) {
      int n;
      if (!parseWholeNumber(r, &n) || n < 1)
        return fail("audio_sample_rates", "expected whole numbers (kHz)");
      cam.audio_options.sample_rates.push_back(n);
    }
    AudioEncoderConfig aec;
    aec.token = aec.name = c.audio_encoder_token;
    aec.encoding = c.audio_encoding;
    aec.bitrate_kbps = c.audio_bitrate_kbps;
    aec.sample_rate_khz = c.audio_sample_rate_khz;
    auto has = [](const auto& list, const auto& v) {
      return std::find(list.begin(), list.end(), v) != list.end();
    };
    if (!has(cam.audio_options.encodings, aec.encoding))
      return fail("audio_encoding", "not in audio_encodings");
    if (!has(cam.audio_options.bitrates, aec.bitrate_kbps))
      return fail("audio_bitrate_kbps", "not in audio_bitrates");
    if (!has(cam.audio_options.sample_rates, aec.sample_rate_khz))
      return fail("audio_sample_rate_khz", "not in audio_sample_rates");
    cam.initial.audio_encoders.push_back(aec);
  }

  if (!token("metadata_token", c.metadata_token)) return false;
  MetadataConfig meta;
  meta.token = meta.name = c.metadata_token;
  // tt:MetadataConfiguration: an Events element without a filter streams all
  // events. The camera starts with it so that the metadata track carries the
  // events (e.g. the simulator's motion alarm) before any client set it;
  // clients remove it with SetMetadataConfiguration (stored like any setting).
  meta.events = true;
  cam.initial.metadata.push_back(meta);

  for (int i = 0; i < core::MediaConfig::kStreamSlots; ++i) {
    const core::MediaStreamConfig& s = c.streams[i];
    if (s.profile_token.empty()) continue;
    std::string k = "stream" + std::to_string(i + 1) + ".";
    if (!token(k + "profile_token", s.profile_token) || !token(k + "encoder_token", s.encoder_token))
      return false;
    VideoEncoderOptions o;
    for (const std::string& e : s.encodings) {
      VideoEncoding enc;
      if (!parseEncoding(e, &enc) || enc == VideoEncoding::MPEG4)
        return fail(k + "encodings", "expected H264, JPEG or H265");
      o.encodings.push_back(enc);
    }
    for (const std::string& r : s.resolutions) {
      Resolution res;
      if (!parseResolution(r, &res)) return fail(k + "resolutions", "expected WIDTHxHEIGHT items");
      if (res.width > cam.video_source_resolution.width || res.height > cam.video_source_resolution.height)
        return fail(k + "resolutions", r + " is larger than the video source");
      o.resolutions.push_back(res);
    }
    if (o.encodings.empty()) return fail(k + "encodings", "must name at least one encoding");
    if (o.resolutions.empty()) return fail(k + "resolutions", "must name at least one resolution");
    o.quality = {s.quality_range.min, s.quality_range.max};
    o.framerate = {s.framerate_range.min, s.framerate_range.max};
    o.bitrate = {s.bitrate_range.min, s.bitrate_range.max};
    o.gov = {s.gov_range.min, s.gov_range.max};
    for (const std::string& p : s.h264_profiles) {
      if (p != "Baseline" && p != "Main" && p != "Extended" && p != "High")
        return fail(k + "h264_profiles", "expected Baseline, Main, Extended or High");
      o.h264_profiles.push_back(p);
    }
    bool h265 = std::find(o.encodings.begin(), o.encodings.end(), VideoEncoding::H265) != o.encodings.end();
    for (const std::string& p : s.h265_profiles) {
      if (p != "Main" && p != "Main10") return fail(k + "h265_profiles", "expected Main or Main10");
      o.h265_profiles.push_back(p);
    }
    if (h265 && o.h265_profiles.empty()) o.h265_profiles.push_back("Main");
    VideoEncoderConfig vec;
    vec.token = s.encoder_token;
    vec.name = s.encoder_name.empty() ? s.encoder_token : s.encoder_name;
    if (!parseEncoding(s.encoding, &vec.encoding))
      return fail(k + "encoding", "expected H264, JPEG, MPEG4 or H265");
    if (std::find(o.encodings.begin(), o.encodings.end(), vec.encoding) == o.encodings.end())
      return fail(k + "encoding", "not in " + k + "encodings");
    if (!parseResolution(s.resolution, &vec.resolution))
      return fail(k + "resolution", "expected WIDTHxHEIGHT");
    if (std::find(o.resolutions.begin(), o.resolutions.end(), vec.resolution) == o.resolutions.end())
      return fail(k + "resolution", "not in " + k + "resolutions");
    vec.framerate = s.framerate;
    if (!o.framerate.contains(vec.framerate)) return fail(k + "framerate", "outside framerate_range");
    vec.bitrate_kbps = s.bitrate_kbps;
    if (!o.bitrate.contains(vec.bitrate_kbps)) return fail(k + "bitrate_kbps", "outside bitrate_range");
    vec.gov_length = s.gov_length;
    if (!o.gov.contains(vec.gov_length)) return fail(k + "gov_length", "outside gov_range");
    vec.quality = s.quality;
    if (!o.quality.contains(vec.quality)) return fail(k + "quality", "outside quality_range");
    vec.h264_profile = s.h264_profile;
    vec.h265_profile = s.h265_profile;
    if (h265 &&
        std::find(o.h265_profiles.begin(), o.h265_profiles.end(), vec.h265_profile) == o.h265_profiles.end())
      return fail(k + "h265_profile", "not in " + k + "h265_profiles");
    bool h264 = std::find(o.encodings.begin(), o.encodings.end(), VideoEncoding::H264) != o.encodings.end();
    if (h264 &&
        std::find(o.h264_profiles.begin(), o.h264_profiles.end(), vec.h264_profile) == o.h264_profiles.end())
      return fail(k + "h264_profile", "not in " + k + "h264_profiles");
    if (s.multicast_address != "0.0.0.0" && !isMulticastAddress(s.multicast_address))
      return fail(k + "multicast_address",
                  "expected an IPv4 multicast address (224.0.0.0 to 239.255.255.255) or 0.0.0.0");
    vec.multicast.address = s.multicast_address;
    vec.multicast.port = s.multicast_port;
    vec.multicast.ttl = s.multicast_ttl;
    vec.session_timeout_s = s.session_timeout_s;
    if (s.rtsp_uri.empty()) return fail(k + "rtsp_uri", "must be set");
    if (vec.encoding == VideoEncoding::H265) cam.media2_only_encoders.insert(vec.token);
    cam.initial.video_encoders.push_back(vec);
    cam.encoder_options.push_back(o);
    cam.encoder_uris.push_back({s.rtsp_uri, s.http_uri, s.multicast_uri, s.rtsps_uri});

    Profile p;
    p.token = s.profile_token;
    p.name = s.profile_name.empty() ? s.profile_token : s.profile_name;
    p.fixed = true;
    p.video_source = vsc.token;
    p.video_encoder = vec.token;
    if (c.audio) {
      p.audio_source = c.audio_source_configuration_token;
      p.audio_encoder = c.audio_encoder_token;
    }
    if (s.metadata) p.metadata = meta.token;
    cam.initial.profiles.push_back(p);
  }
  if (cam.initial.profiles.empty())
    return fail("stream1.profile_token", "at least one stream must be configured");
  if (static_cast<int>(cam.initial.profiles.size()) > c.max_profiles)
    return fail("max_profiles", "smaller than the number of fixed profiles");
  cam.multicast = c.multicast;
  cam.snapshot_uri = c.snapshot_uri;
  // The command is a word list, split at blanks, never given to a shell.
  for (std::size_t pos = 0; pos < c.snapshot_command.size();) {
    std::size_t b = c.snapshot_command.find_first_not_of(" \t", pos);
    if (b == std::string::npos) break;
    std::size_t e = c.snapshot_command.find_first_of(" \t", b);
    if (e == std::string::npos) e = c.snapshot_command.size();
    cam.snapshot_command.push_back(c.snapshot_command.substr(b, e - b));
    pos = e;
  }
  if (!cam.snapshot_command.empty() && cam.snapshot_command[0][0] != '/')
    return fail("snapshot_command", "the program must be an absolute path");
  cam.snapshot_file = c.snapshot_file;
  cam.snapshot_timeout_ms = c.snapshot_timeout_ms;
  cam.snapshot_max_bytes = c.snapshot_max_bytes;
  cam.max_profiles = c.max_profiles;
  cam.osd_max = c.osd_max;
  cam.media2 = c.media2;
  if (!token("video_source_mode_token", c.video_source_mode_token)) return false;
  cam.video_source_mode_token = c.video_source_mode_token;
  cam.apply_hook = c.apply_hook;
  cam.apply_hook_timeout_ms = c.apply_hook_timeout_ms;
  cam.apply_hook_at_start = c.apply_hook_at_start;
  *out = std::move(cam);
  return true;
}

}  // namespace onvif::media
