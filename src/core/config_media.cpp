#include <cstdio>

#include "core/config_fields.hpp"

namespace onvif::core {
namespace {

bool parseInt(const std::string& text, long long min, long long max, int* out) {
  errno = 0;
  char* end = nullptr;
  long long n = strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno == ERANGE || n < min || n > max) return false;
  *out = static_cast<int>(n);
  return true;
}

// Setters for one stream slot's member, so the loop below can declare
// stream1.* ... streamN.* without a lambda per key.
template <typename Apply>
Setter streamSetter(int slot, Apply apply) {
  return [slot, apply](Config& c, const std::string& v, std::string* problem) {
    return apply(c.media.streams[slot], v, problem);
  };
}

Setter streamText(int slot, std::string MediaStreamConfig::*member) {
  return streamSetter(slot, [member](MediaStreamConfig& s, const std::string& v, std::string* problem) {
    if (v.size() > 256) {
      *problem = "longer than 256 characters";
      return false;
    }
    s.*member = v;
    return true;
  });
}

Setter streamInt(int slot, int MediaStreamConfig::*member, long long min, long long max) {
  return streamSetter(slot, [=](MediaStreamConfig& s, const std::string& v, std::string* problem) {
    if (!parseInt(v, min, max, &(s.*member))) {
      *problem = "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max);
      return false;
    }
    return true;
  });
}

Setter streamBool(int slot, bool MediaStreamConfig::*member) {
  return streamSetter(slot, [member](MediaStreamConfig& s, const std::string& v, std::string* problem) {
    if (v != "true" && v != "false") {
      *problem = "expected true or false";
      return false;
    }
    s.*member = v == "true";
    return true;
  });
}

// "MIN-MAX" (or a single number for MIN = MAX).
Setter streamRange(int slot, MediaRange MediaStreamConfig::*member, long long limit) {
  return streamSetter(slot, [=](MediaStreamConfig& s, const std::string& v, std::string* problem) {
    std::size_t dash = v.find('-', 1);
    MediaRange r;
    bool ok = dash == std::string::npos ? parseInt(v, 0, limit, &r.min) && parseInt(v, 0, limit, &r.max)
                                        : parseInt(v.substr(0, dash), 0, limit, &r.min) &&
                                              parseInt(v.substr(dash + 1), 0, limit, &r.max);
    if (!ok || r.min > r.max) {
      *problem = "expected MIN-MAX, whole numbers from 0 to " + std::to_string(limit);
      return false;
    }
    s.*member = r;
    return true;
  });
}

// Comma-separated items, trimmed; empty items are an error.
Setter streamList(int slot, std::vector<std::string> MediaStreamConfig::*member) {
  return streamSetter(slot, [member](MediaStreamConfig& s, const std::string& v, std::string* problem) {
    std::vector<std::string> items;
    std::size_t pos = 0;
    while (!v.empty() && pos <= v.size() && items.size() <= 32) {
      std::size_t comma = v.find(',', pos);
      if (comma == std::string::npos) comma = v.size();
      std::string item = v.substr(pos, comma - pos);
      std::size_t b = item.find_first_not_of(" \t"), e = item.find_last_not_of(" \t");
      if (b == std::string::npos) {
        *problem = "empty item in list";
        return false;
      }
      items.push_back(item.substr(b, e - b + 1));
      pos = comma + 1;
    }
    if (items.size() > 32) {
      *problem = "more than 32 items";
      return false;
    }
    s.*member = std::move(items);
    return true;
  });
}

}  // namespace

// [media]: camera description: sources, encoders, profiles, URIs. Values
// are checked one by one here; how they fit together (a current resolution
// in its list, a current framerate in its range, ...) is checked when the
// camera model is built at start-up (media/camera.cpp).
void addMediaFields(FieldTable& t) {
  auto M = &Config::media;
  t["media.video_source_token"] = textField(M, &MediaConfig::video_source_token, 64);
  t["media.video_source_resolution"] = textField(M, &MediaConfig::video_source_resolution, 16);
  t["media.video_source_framerate"] = numberField(M, &MediaConfig::video_source_framerate, 1, 1000);
  t["media.video_source_configuration_token"] =
      textField(M, &MediaConfig::video_source_configuration_token, 64);
  t["media.video_source_configuration_name"] =
      textField(M, &MediaConfig::video_source_configuration_name, 64);
  t["media.max_profiles"] = numberField(M, &MediaConfig::max_profiles, 1, 64);
  t["media.osd_max"] = numberField(M, &MediaConfig::osd_max, 0, 16);
  t["media.media2"] = boolField(M, &MediaConfig::media2);
  t["media.video_source_mode_token"] = textField(M, &MediaConfig::video_source_mode_token, 64);
  t["media.multicast"] = boolField(M, &MediaConfig::multicast);
  t["media.snapshot_uri"] = textField(M, &MediaConfig::snapshot_uri, 256);
  t["media.snapshot_command"] = textField(M, &MediaConfig::snapshot_command, 4096);
  t["media.snapshot_file"] = textField(M, &MediaConfig::snapshot_file, 4096);
  t["media.snapshot_timeout_ms"] = numberField(M, &MediaConfig::snapshot_timeout_ms, 100, 60000);
  t["media.snapshot_max_bytes"] = numberField(M, &MediaConfig::snapshot_max_bytes, 1024, 64 * 1024 * 1024);
  t["media.audio"] = boolField(M, &MediaConfig::audio);
  t["media.audio_source_token"] = textField(M, &MediaConfig::audio_source_token, 64);
  t["media.audio_channels"] = numberField(M, &MediaConfig::audio_channels, 1, 8);
  t["media.audio_source_configuration_token"] =
      textField(M, &MediaConfig::audio_source_configuration_token, 64);
  t["media.audio_encoder_token"] = textField(M, &MediaConfig::audio_encoder_token, 64);
  t["media.audio_encoding"] = textField(M, &MediaConfig::audio_encoding, 8);
  t["media.audio_encodings"] = listField(M, &MediaConfig::audio_encodings, 3);
  t["media.audio_bitrate_kbps"] = numberField(M, &MediaConfig::audio_bitrate_kbps, 1, 1024);
  t["media.audio_bitrates"] = listField(M, &MediaConfig::audio_bitrates, 16);
  t["media.audio_sample_rate_khz"] = numberField(M, &MediaConfig::audio_sample_rate_khz, 1, 192);
  t["media.audio_sample_rates"] = listField(M, &MediaConfig::audio_sample_rates, 16);
  t["media.metadata_token"] = textField(M, &MediaConfig::metadata_token, 64);
  t["media.apply_hook"] = textField(M, &MediaConfig::apply_hook, 4096);
  t["media.apply_hook_timeout_ms"] = numberField(M, &MediaConfig::apply_hook_timeout_ms, 100, 600000);
  t["media.apply_hook_at_start"] = boolField(M, &MediaConfig::apply_hook_at_start);
  for (int i = 0; i < MediaConfig::kStreamSlots; ++i) {
    std::string p = "media.stream" + std::to_string(i + 1) + ".";
    using S = MediaStreamConfig;
    t[p + "profile_token"] = streamText(i, &S::profile_token);
    t[p + "profile_name"] = streamText(i, &S::profile_name);
    t[p + "encoder_token"] = streamText(i, &S::encoder_token);
    t[p + "encoder_name"] = streamText(i, &S::encoder_name);
    t[p + "encoding"] = streamText(i, &S::encoding);
    t[p + "encodings"] = streamList(i, &S::encodings);
    t[p + "resolution"] = streamText(i, &S::resolution);
    t[p + "resolutions"] = streamList(i, &S::resolutions);
    t[p + "framerate"] = streamInt(i, &S::framerate, 1, 1000);
    t[p + "framerate_range"] = streamRange(i, &S::framerate_range, 1000);
    t[p + "bitrate_kbps"] = streamInt(i, &S::bitrate_kbps, 1, 1000000);
    t[p + "bitrate_range"] = streamRange(i, &S::bitrate_range, 1000000);
    t[p + "gov_length"] = streamInt(i, &S::gov_length, 1, 10000);
    t[p + "gov_range"] = streamRange(i, &S::gov_range, 10000);
    t[p + "h264_profile"] = streamText(i, &S::h264_profile);
    t[p + "h264_profiles"] = streamList(i, &S::h264_profiles);
    t[p + "h265_profile"] = streamText(i, &S::h265_profile);
    t[p + "h265_profiles"] = streamList(i, &S::h265_profiles);
    t[p + "quality"] = streamInt(i, &S::quality, 0, 100);
    t[p + "quality_range"] = streamRange(i, &S::quality_range, 100);
    t[p + "rtsp_uri"] = streamText(i, &S::rtsp_uri);
    t[p + "http_uri"] = streamText(i, &S::http_uri);
    t[p + "multicast_uri"] = streamText(i, &S::multicast_uri);
    t[p + "rtsps_uri"] = streamText(i, &S::rtsps_uri);
    t[p + "metadata"] = streamBool(i, &S::metadata);
    t[p + "multicast_address"] = streamText(i, &S::multicast_address);
    t[p + "multicast_port"] = streamInt(i, &S::multicast_port, 0, 65535);
    t[p + "multicast_ttl"] = streamInt(i, &S::multicast_ttl, 0, 255);
    t[p + "session_timeout_s"] = streamInt(i, &S::session_timeout_s, 0, 86400);
  }
}

}  // namespace onvif::core
