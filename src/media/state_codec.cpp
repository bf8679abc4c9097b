// The media state in the settings store (area "media"): one key per field,
// prefixed with the kind and token of the configuration, e.g.
//   vec.VideoEncoder_1.resolution = 1280x720
//   profile.Profile_3.video_encoder = VideoEncoder_2
//   profiles.count = 3, profiles.0 = Profile_1, ...
#include <algorithm>
#include <cstdio>

#include "core/log.hpp"
#include "media/media_model.hpp"
#include "media/osd.hpp"

namespace onvif::media {
namespace {

using state::getBool;
using state::getInt;
using state::getString;
using state::Section;

void putMulticast(Section* s, const std::string& p, const Multicast& m) {
  (*s)[p + "mc_address"] = m.address;
  (*s)[p + "mc_port"] = std::to_string(m.port);
  (*s)[p + "mc_ttl"] = std::to_string(m.ttl);
  (*s)[p + "mc_auto"] = m.auto_start ? "true" : "false";
}

Multicast getMulticast(const Section& s, const std::string& p, const Multicast& d) {
  Multicast m;
  m.address = getString(s, p + "mc_address", d.address);
  m.port = static_cast<int>(getInt(s, p + "mc_port", d.port));
  m.ttl = static_cast<int>(getInt(s, p + "mc_ttl", d.ttl));
  m.auto_start = getBool(s, p + "mc_auto", d.auto_start);
  return m;
}

int getIntIn(const Section& s, const std::string& key, int fallback) {
  long long v = getInt(s, key, fallback);
  return v < -1000000000LL || v > 1000000000LL ? fallback : static_cast<int>(v);
}

// A stored reference is kept only if it still names a configuration.
std::string reference(const Section& s, const std::string& key, const std::string& fallback, bool exists) {
  std::string v = getString(s, key, fallback);
  return exists || v.empty() ? v : std::string();
}

}  // namespace

Section encodeState(const MediaState& st) {
  Section s;
  for (const VideoSourceConfig& c : st.video_sources) {
    std::string p = "vsc." + c.token + ".";
    s[p + "name"] = c.name;
    const Rect& b = c.bounds;
    s[p + "bounds"] = std::to_string(b.x) + "," + std::to_string(b.y) + "," + std::to_string(b.width) + "," +
                      std::to_string(b.height);
  }
  for (const VideoEncoderConfig& c : st.video_encoders) {
    std::string p = "vec." + c.token + ".";
    s[p + "name"] = c.name;
    s[p + "encoding"] = encodingName(c.encoding);
    s[p + "resolution"] = resolutionText(c.resolution);
    s[p + "quality"] = std::to_string(c.quality);
    s[p + "framerate"] = std::to_string(c.framerate);
    s[p + "encoding_interval"] = std::to_string(c.encoding_interval);
    s[p + "bitrate_kbps"] = std::to_string(c.bitrate_kbps);
    s[p + "gov_length"] = std::to_string(c.gov_length);
    s[p + "h264_profile"] = c.h264_profile;
    s[p + "h265_profile"] = c.h265_profile;
    s[p + "session_timeout_s"] = std::to_string(c.session_timeout_s);
    putMulticast(&s, p, c.multicast);
  }
  for (const AudioEncoderConfig& c : st.audio_encoders) {
    std::string p = "aec." + c.token + ".";
    s[p + "name"] = c.name;
    s[p + "encoding"] = c.encoding;
    s[p + "bitrate_kbps"] = std::to_string(c.bitrate_kbps);
    s[p + "sample_rate_khz"] = std::to_string(c.sample_rate_khz);
    s[p + "session_timeout_s"] = std::to_string(c.session_timeout_s);
    putMulticast(&s, p, c.multicast);
  }
  for (const MetadataConfig& c : st.metadata) {
    std::string p = "meta." + c.token + ".";
    s[p + "name"] = c.name;
    s[p + "analytics"] = c.analytics ? "true" : "false";
    s[p + "events"] = c.events ? "true" : "false";
    s[p + "session_timeout_s"] = std::to_string(c.session_timeout_s);
    putMulticast(&s, p, c.multicast);
  }
  std::vector<std::string> tokens;
  for (const Profile& pr : st.profiles) {
    tokens.push_back(pr.token);
    std::string p = "profile." + pr.token + ".";
    s[p + "name"] = pr.name;
    s[p + "video_source"] = pr.video_source;
    s[p + "video_encoder"] = pr.video_encoder;
    s[p + "audio_source"] = pr.audio_source;
    s[p + "audio_encoder"] = pr.audio_encoder;
    s[p + "metadata"] = pr.metadata;
    s[p + "analytics"] = pr.analytics;
    s[p + "ptz"] = pr.ptz;
  }
  state::setList(&s, "profiles", tokens);
  state::setList(&s, "multicast_running",
                 std::vector<std::string>(st.multicast_running.begin(), st.multicast_running.end()));
  s["next_profile_number"] = std::to_string(st.next_profile_number);
  encodeOsds(st, &s);
  return s;
}

MediaState decodeState(const Camera& camera, const Section& s) {
  MediaState st = camera.initial;
  for (VideoSourceConfig& c : st.video_sources) {
    std::string p = "vsc." + c.token + ".";
    VideoSourceConfig r = c;
    r.name = getString(s, p + "name", c.name);
    std::string b = getString(s, p + "bounds", "");
    Rect rect;
    if (sscanf(b.c_str(), "%d,%d,%d,%d", &rect.x, &rect.y, &rect.width, &rect.height) == 4) r.bounds = rect;
    if (validateVideoSource(camera, r).ok)
      c = r;
    else
      LOG_WARN("media settings: stored %s no longer fits the camera; using the configured one",
               c.token.c_str());
  }
  for (VideoEncoderConfig& c : st.video_encoders) {
    std::string p = "vec." + c.token + ".";
    VideoEncoderConfig r = c;
    r.name = getString(s, p + "name", c.name);
    parseEncoding(getString(s, p + "encoding", encodingName(c.encoding)), &r.encoding);
    parseResolution(getString(s, p + "resolution", resolutionText(c.resolution)), &r.resolution);
    r.quality = getIntIn(s, p + "quality", c.quality);
    r.framerate = getIntIn(s, p + "framerate", c.framerate);
    r.encoding_interval = getIntIn(s, p + "encoding_interval", c.encoding_interval);
    r.bitrate_kbps = getIntIn(s, p + "bitrate_kbps", c.bitrate_kbps);
    r.gov_length = getIntIn(s, p + "gov_length", c.gov_length);
    r.h264_profile = getString(s, p + "h264_profile", c.h264_profile);
    r.h265_profile = getString(s, p + "h265_profile", c.h265_profile);
    r.session_timeout_s = getIntIn(s, p + "session_timeout_s", c.session_timeout_s);
    r.multicast = getMulticast(s, p, c.multicast);
    // Stored through either service: H.265 is valid where the options offer it.
    if (validateVideoEncoder(camera, c, &r, true).ok)
      c = r;
    else
      LOG_WARN("media settings: stored %s no longer fits the camera; using the configured one",
               c.token.c_str());
  }
  for (AudioEncoderConfig& c : st.audio_encoders) {
    std::string p = "aec." + c.token + ".";
    AudioEncoderConfig r = c;
    r.name = getString(s, p + "name", c.name);
    r.encoding = getString(s, p + "encoding", c.encoding);
    r.bitrate_kbps = getIntIn(s, p + "bitrate_kbps", c.bitrate_kbps);
    r.sample_rate_khz = getIntIn(s, p + "sample_rate_khz", c.sample_rate_khz);
    r.session_timeout_s = getIntIn(s, p + "session_timeout_s", c.session_timeout_s);
    r.multicast = getMulticast(s, p, c.multicast);
    if (validateAudioEncoder(camera, c, r).ok) c = r;
  }
  for (MetadataConfig& c : st.metadata) {
    std::string p = "meta." + c.token + ".";
    c.name = getString(s, p + "name", c.name);
    c.analytics = getBool(s, p + "analytics", c.analytics);
    c.events = getBool(s, p + "events", c.events);
    c.session_timeout_s = std::clamp(getIntIn(s, p + "session_timeout_s", c.session_timeout_s), 0, 86400);
    Multicast m = getMulticast(s, p, c.multicast);
    if (validateMulticast(camera, c.multicast, m).ok) c.multicast = m;
  }

  // Profiles: the fixed ones always exist (in the configured order); created
  // ones follow in creation order, up to the limit.
  std::vector<std::string> stored = state::getList(s, "profiles");
  std::vector<Profile> profiles;
  auto restore = [&](Profile pr) {
    std::string p = "profile." + pr.token + ".";
    std::string name = getString(s, p + "name", pr.name);
    if (!name.empty() && name.size() <= 64) pr.name = name;
    pr.video_source = reference(s, p + "video_source", pr.video_source,
                                st.findVideoSource(getString(s, p + "video_source", "")) != nullptr);
    pr.video_encoder = reference(s, p + "video_encoder", pr.video_encoder,
                                 st.findVideoEncoder(getString(s, p + "video_encoder", "")) != nullptr);
    pr.audio_source = reference(s, p + "audio_source", pr.audio_source,
                                st.findAudioSource(getString(s, p + "audio_source", "")) != nullptr);
    pr.audio_encoder = reference(s, p + "audio_encoder", pr.audio_encoder,
                                 st.findAudioEncoder(getString(s, p + "audio_encoder", "")) != nullptr);
    pr.metadata = reference(s, p + "metadata", pr.metadata,
                            st.findMetadata(getString(s, p + "metadata", "")) != nullptr);
    pr.analytics = reference(s, p + "analytics", pr.analytics,
                             st.findAnalytics(getString(s, p + "analytics", "")) != nullptr);
    // Files written before profiles had PTZ keep the configured default.
    pr.ptz = reference(
        s, p + "ptz", pr.ptz,
        !camera.ptz_configuration.empty() && getString(s, p + "ptz", "") == camera.ptz_configuration);
    profiles.push_back(pr);
  };
  for (const Profile& fixed : camera.initial.profiles) restore(fixed);
  for (const std::string& token : stored) {
    if (!validToken(token) || camera.isFixedProfile(token)) continue;
    if (std::any_of(profiles.begin(), profiles.end(), [&](const Profile& p) { return p.token == token; }))
      continue;
    if (static_cast<int>(profiles.size()) >= camera.max_profiles) break;
    Profile pr;
    pr.token = pr.name = token;
    restore(pr);
  }
  st.profiles = std::move(profiles);
  for (const std::string& token : state::getList(s, "multicast_running"))
    if (camera.multicast && st.findProfile(token)) st.multicast_running.insert(token);
  st.next_profile_number = std::max(1, getIntIn(s, "next_profile_number", 1));
  decodeOsds(camera, s, &st);
  return st;
}

}  // namespace onvif::media
