#pragma once
// The camera as the Media service sees it, free of gSOAP types: what it has
// (Camera: sources, options, URI templates, limits; fixed at start-up from
// [media]) and what clients may change (MediaState: configurations and
// profiles). The handler files translate these to and from the wire.
#include <set>
#include <string>
#include <vector>

#include "core/config.hpp"

namespace onvif::media {

struct Resolution {
  int width = 0;
  int height = 0;
  bool operator==(const Resolution& o) const { return width == o.width && height == o.height; }
};

struct Range {
  int min = 0;
  int max = 0;
  bool contains(int v) const { return v >= min && v <= max; }
};

struct Rect {
  int x = 0, y = 0, width = 0, height = 0;
  bool operator==(const Rect& o) const {
    return x == o.x && y == o.y && width == o.width && height == o.height;
  }
};

enum class VideoEncoding { JPEG, MPEG4, H264, H265 };
const char* encodingName(VideoEncoding e);
bool parseEncoding(const std::string& text, VideoEncoding* out);

struct Multicast {
  std::string address = "0.0.0.0";  // IPv4 only
  int port = 0;
  int ttl = 1;
  bool auto_start = false;
  bool operator==(const Multicast& o) const {
    return address == o.address && port == o.port && ttl == o.ttl && auto_start == o.auto_start;
  }
};

struct VideoSourceConfig {
  std::string token, name, source_token;
  Rect bounds;
};

struct VideoEncoderConfig {
  std::string token, name;
  VideoEncoding encoding = VideoEncoding::H264;
  Resolution resolution;
  int quality = 0;
  int framerate = 0;
  int encoding_interval = 1;
  int bitrate_kbps = 0;
  int gov_length = 0;
  std::string h264_profile;           // Baseline, Main, Extended, High
  std::string h265_profile = "Main";  // Main, Main10 (Media2 only)
  Multicast multicast;
  int session_timeout_s = 60;
};

struct AudioSourceConfig {
  std::string token, name, source_token;
};

struct AudioEncoderConfig {
  std::string token, name;
  std::string encoding;  // G711, G726, AAC
  int bitrate_kbps = 0;
  int sample_rate_khz = 0;
  Multicast multicast;
  int session_timeout_s = 60;
};

// A video analytics configuration the camera describes (Media2 lists them
// and lets clients add them to profiles; the analytics themselves are the
// firmware's).
struct AnalyticsConfig {
  std::string token, name;
};

struct MetadataConfig {
  std::string token, name;
  bool analytics = false;
  bool events = false;  // all events in the metadata stream (no filter kept)
  Multicast multicast;
  int session_timeout_s = 60;
};

struct Profile {
  std::string token, name;
  bool fixed = false;
  // Tokens of the configurations in the profile; empty: none.
  std::string video_source, video_encoder, audio_source, audio_encoder, metadata, analytics;
  std::string ptz;  // PTZ configuration token (the PTZ service owns the configuration)
};

// A text OSD on a video source configuration (Media spec "OSD"). Image
// OSDs are not offered: the options say Text only.
struct Osd {
  std::string token, video_source;  // video_source: its VideoSourceConfiguration token
  std::string text_type = "Plain";  // Plain, Date, Time, DateAndTime
  std::string plain_text;           // Plain only
  std::string date_format, time_format;
  std::string position = "UpperLeft";  // UpperLeft, UpperRight, LowerLeft, LowerRight, Custom
  float x = 0, y = 0;                  // Custom only, each in [-1, 1]
  bool persistent_text = true;         // false: the text is cleared at restart
};

// What SetVideoEncoderConfiguration may choose for one encoder.
struct VideoEncoderOptions {
  std::vector<VideoEncoding> encodings;
  std::vector<Resolution> resolutions;
  Range quality, framerate, encoding_interval{1, 1}, bitrate, gov;
  std::vector<std::string> h264_profiles;
  std::vector<std::string> h265_profiles;  // Media2 only
};

struct StreamUris {
  std::string rtsp, http, multicast, rtsps;  // rtsps: empty when TLS streaming is not offered
};

struct AudioEncoderOptions {
  std::vector<std::string> encodings;
  std::vector<int> bitrates, sample_rates;
};

// Everything clients can change; copied, edited, validated, stored as a whole.
struct MediaState {
  std::vector<VideoSourceConfig> video_sources;
  std::vector<VideoEncoderConfig> video_encoders;
  std::vector<AudioSourceConfig> audio_sources;
  std::vector<AudioEncoderConfig> audio_encoders;
  std::vector<MetadataConfig> metadata;
  std::vector<AnalyticsConfig> analytics;   // fixed: what the camera describes (may be empty)
  std::vector<Profile> profiles;            // fixed ones first, then created, in creation order
  std::set<std::string> multicast_running;  // profile tokens (survives restart, Media spec)
  int next_profile_number = 1;              // for device-chosen tokens
  std::vector<Osd> osds;                    // in creation order
  int next_osd_number = 1;                  // OSD tokens are always device-chosen

  Profile* findProfile(const std::string& token);
  const Profile* findProfile(const std::string& token) const;
  VideoEncoderConfig* findVideoEncoder(const std::string& token);
  const VideoEncoderConfig* findVideoEncoder(const std::string& token) const;
  const VideoSourceConfig* findVideoSource(const std::string& token) const;
  VideoSourceConfig* findVideoSource(const std::string& token);
  const AudioSourceConfig* findAudioSource(const std::string& token) const;
  AudioSourceConfig* findAudioSource(const std::string& token);
  const AudioEncoderConfig* findAudioEncoder(const std::string& token) const;
  AudioEncoderConfig* findAudioEncoder(const std::string& token);
  const MetadataConfig* findMetadata(const std::string& token) const;
  MetadataConfig* findMetadata(const std::string& token);
  const AnalyticsConfig* findAnalytics(const std::string& token) const;
  const Osd* findOsd(const std::string& token) const;
  Osd* findOsd(const std::string& token);
  // Profiles that contain the configuration (ConfigurationEntity UseCount).
  int useCount(const std::string& config_token) const;
};

// The fixed description of the camera, built from [media].
struct Camera {
  std::string video_source_token;
  Resolution video_source_resolution;
  int video_source_framerate = 0;
  std::vector<VideoEncoderOptions> encoder_options;  // parallel to initial.video_encoders
  std::vector<StreamUris> encoder_uris;              // parallel too
  // Encoders configured as H.265. ver10 cannot name the codec, so it hides
  // any encoder whose current encoding is H.265 (media_wire visibleEncoder).
  std::set<std::string> media2_only_encoders;
  bool media2 = true;                   // the Media2 service is served and advertised
  std::string video_source_mode_token;  // the one video source mode (Media2)
  bool audio = false;
  std::string audio_source_token;
  int audio_channels = 1;
  AudioEncoderOptions audio_options;
  bool multicast = false;
  std::string snapshot_uri;
  // Where GET /onvif/snapshot/<profile> takes its JPEG (media/snapshot.hpp).
  std::vector<std::string> snapshot_command;  // argv; empty: none
  std::string snapshot_file;                  // used instead of the command when set
  int snapshot_timeout_ms = 3000;
  int snapshot_max_bytes = 4 * 1024 * 1024;
  int max_profiles = 1;
  int osd_max = 0;  // text OSDs per video source configuration; 0: a device without OSD
  std::string apply_hook;
  int apply_hook_timeout_ms = 5000;
  bool apply_hook_at_start = false;
  std::string ptz_configuration;  // the PTZ node's configuration token; empty: no PTZ
  MediaState initial;             // the state before any client changed anything

  const VideoEncoderOptions* optionsFor(const std::string& encoder_token) const;
  const StreamUris* urisFor(const std::string& encoder_token) const;
  bool isFixedProfile(const std::string& token) const;
};

// Builds the camera from [media], checking that the values fit together.
// On error returns false with a message naming the key.
bool buildCamera(const core::MediaConfig& config, Camera* camera, std::string* error);

bool parseResolution(const std::string& text, Resolution* out);
std::string resolutionText(const Resolution& r);
// Tokens travel as tt:ReferenceToken (at most 64 characters); we also keep
// them to a safe alphabet because they end up in hook arguments and in the
// settings file.
bool validToken(const std::string& token);
bool validIPv4(const std::string& text);
bool isMulticastAddress(const std::string& text);  // 224.0.0.0 - 239.255.255.255

}  // namespace onvif::media
