#pragma once
// The daemon's configuration: what the camera is and how the server behaves.
// Loaded from the embedded default (default_config.cpp), then from a file
// that overrides any key. Format: INI-style `[section]` and `key = value`
// lines, `#` comments. Unknown sections or keys are errors, so a typo cannot
// silently leave a default in place.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/config_ptz.hpp"

namespace onvif::core {

struct ServerConfig {
  std::string bind = "127.0.0.1";
  int port = 8080;
  int max_connections = 512;
  int64_t max_request_bytes = 1 << 20;
  int header_timeout_ms = 5000;
  int body_timeout_ms = 10000;
  int send_timeout_ms = 10000;
  int keepalive_timeout_s = 10;
  int keepalive_max_requests = 1000;
  int workers = 4;       // worker threads always running
  int max_workers = 32;  // grows to this under load (long polls hold one)
  int shutdown_grace_ms = 1500;
};

// [device]: identity, scopes, time defaults, I/O and the hooks that change
// the host (device issue; keys in config_device.cpp).
struct DeviceConfig {
  std::string manufacturer;
  std::string model;
  std::string firmware_version;
  std::string serial_number;
  std::string hardware_id;
  // Discovery scopes: name (empty: the model) and location, and whether
  // clients may change them (Configurable) or not (Fixed).
  std::string name;
  std::string location = "unknown";
  bool name_location_fixed = false;
  std::vector<std::string> extra_scopes;  // more Fixed scopes
  int max_scopes = 32;
  // Time zone and NTP servers until a client sets them.
  std::string timezone = "UTC0";
  std::vector<std::string> ntp_servers;
  std::string system_log;                       // file GetSystemLog returns (tail); empty: none
  int rtsp_port = 0;                            // listed by GetNetworkProtocols when > 0
  std::vector<std::string> relay_outputs;       // relay output tokens
  std::vector<std::string> auxiliary_commands;  // SendAuxiliaryCommand accepts these
  // What this device is: a simulation (the virtual camera of `make run`:
  // host settings without a hook are recorded, and the record is the
  // behaviour) or a real camera (a host setting without a hook is refused
  // with ter:ActionNotSupported and not advertised). docs/device.md.
  enum class Host { Simulated, Real };
  Host host = Host::Simulated;
  // Whether an operation carried out by `hook` is refused: a real device
  // without that hook cannot perform it.
  bool refusedWithout(const std::string& hook) const { return host == Host::Real && hook.empty(); }
  // Hooks: absolute paths of executables run with arguments (docs/device.md).
  std::string hook_clock, hook_hostname, hook_dns, hook_ntp, hook_network, hook_gateway, hook_protocols,
      hook_reboot, hook_factory_default, hook_relay, hook_auxiliary, hook_digital_input;
  int hook_timeout_ms = 10000;
};

// Each area below is owned by one subsystem; its keys are declared in
// config_<area>.cpp and documented in default_config.cpp.

// Users, authentication, access policy.
struct SecurityConfig {
  // Seeded as the only Administrator when the state holds no users.
  std::string admin_user = "admin";
  std::string admin_password = "admin";
  bool allow_default_password = false;  // start on a non-loopback address with it
  std::string realm = "onvifd";         // HTTP Digest realm
  std::string users_file;               // htdigest-style copy of the users for the RTSP server; empty: none
  int token_window_s = 300;             // |device clock - Created| allowed
  int token_reuse_window_ms = 2000;     // same token, same address (libonvif)
  int token_time_offset_s = 0;          // added to the device clock for Created checks (tests)
  int replay_cache_size = 4096;
  int max_digest_challenges = 50000;  // HTTP Digest nonces outstanding (600 s)
  int free_failures = 3;              // failed logins per address before slowing down
  int max_failure_delay_ms = 2000;
  int max_users = 32;
  int max_username_length = 32;
  int max_password_length = 64;
  int min_password_length = 1;
};

// Where client-set settings are persisted.
struct StateConfig {
  std::string path = "onvifd-state.ini";  // relative to the working directory
};

// Camera description: sources, encoders, profiles, URIs (media issue).
// Checked as a whole when the camera model is built (media/camera.cpp).
struct MediaRange {
  int min = 0;
  int max = 0;
};

// One encoder and the fixed profile that streams it ([media] streamN.*).
// A slot whose profile_token is empty is unused.
struct MediaStreamConfig {
  std::string profile_token, profile_name;
  std::string encoder_token, encoder_name;
  std::string encoding = "H264";       // H264, JPEG or H265 (H265: Media2 only)
  std::vector<std::string> encodings;  // what SetVideoEncoderConfiguration may choose
  std::string resolution;              // current, WxH, one of `resolutions`
  std::vector<std::string> resolutions;
  int framerate = 25;
  MediaRange framerate_range{1, 30};
  int bitrate_kbps = 2048;
  MediaRange bitrate_range{64, 16384};
  int gov_length = 50;
  MediaRange gov_range{1, 300};
  std::string h264_profile = "Main";
  std::vector<std::string> h264_profiles;
  std::string h265_profile = "Main";       // Media2 only (ver10 cannot name H.265)
  std::vector<std::string> h265_profiles;  // Main, Main10; empty: Main when H265 is offered
  int quality = 4;
  MediaRange quality_range{0, 10};
  std::string rtsp_uri;       // template; {host} {port} {profile} {encoder}
  std::string http_uri;       // RTSP tunnelled in HTTP; empty: not offered
  std::string multicast_uri;  // used when multicast is on
  std::string rtsps_uri;      // RTSP over TLS (Media2 RtspsUnicast); empty: not offered
  bool metadata = false;      // the fixed profile carries the metadata configuration
  std::string multicast_address = "0.0.0.0";
  int multicast_port = 0;
  int multicast_ttl = 1;
  int session_timeout_s = 60;
};

struct MediaConfig {
  static constexpr int kStreamSlots = 4;
  std::string video_source_token = "VideoSource_1";
  std::string video_source_resolution = "1920x1080";
  int video_source_framerate = 30;
  std::string video_source_configuration_token = "VideoSourceConfig_1";
  std::string video_source_configuration_name = "VideoSourceConfig_1";
  MediaStreamConfig streams[kStreamSlots];
  int max_profiles = 8;
  int osd_max = 0;     // text OSDs per video source configuration; 0: no OSD
  bool media2 = true;  // serve and advertise the Media2 service (ver20)
  std::string video_source_mode_token = "VideoSourceMode_1";
  bool multicast = false;
  std::string snapshot_uri;      // template; empty: no snapshots
  std::string snapshot_command;  // argv words (no shell) writing one JPEG to stdout
  std::string snapshot_file;     // or a file the firmware keeps current
  int snapshot_timeout_ms = 3000;
  int snapshot_max_bytes = 4 * 1024 * 1024;
  bool audio = false;
  std::string audio_source_token = "AudioSource_1";
  int audio_channels = 1;
  std::string audio_source_configuration_token = "AudioSourceConfig_1";
  std::string audio_encoder_token = "AudioEncoderConfig_1";
  std::string audio_encoding = "G711";
  std::vector<std::string> audio_encodings;
  int audio_bitrate_kbps = 64;
  std::vector<std::string> audio_bitrates;
  int audio_sample_rate_khz = 8;
  std::vector<std::string> audio_sample_rates;
  std::string metadata_token = "MetadataConfig_1";
  std::string apply_hook;  // program run on every change (argv, no shell)
  int apply_hook_timeout_ms = 5000;
  bool apply_hook_at_start = false;  // replay every configuration and profile at start-up
};

// Event service, push policy, local control socket, simulator (events issue).
struct EventsConfig {
  int max_pull_points = 16;        // MaxPullPoints (capped by free workers)
  int max_push_subscriptions = 8;  // MaxNotificationProducers (one sender thread each)
  int default_termination_s = 60;  // when InitialTerminationTime is absent
  int max_termination_s = 3600;    // longer requests are shortened to this
  int max_pull_timeout_s = 300;    // PullMessages Timeout above -> PullMessagesFaultResponse
  int max_message_limit = 100;     // most messages in one PullMessages response
  int queue_limit = 200;           // queued messages per subscription (oldest dropped)
  // Push consumer policy: "auto" allows loopback consumers only while the
  // server itself listens on loopback (the make-run development setup).
  std::string push_allow_loopback = "false";  // true, false or auto
  bool push_allow_link_local = false;
  int push_connect_timeout_ms = 2000;
  int push_io_timeout_ms = 3000;    // send and receive, per Notify
  int push_retries = 2;             // extra attempts per batch
  int push_retry_backoff_ms = 200;  // doubled after each failed attempt
  // https:// consumers: verify the certificate chain and the name in the
  // URL (off: development only), against this PEM file of CA certificates
  // (empty: OpenSSL's system store).
  bool push_tls_verify = true;
  std::string push_tls_ca_file;
  std::string control_socket;  // Unix socket path; empty = no control socket
  int simulator_period_s = 0;  // motion toggles every N s; 0 = off
  std::string video_source = "VideoSource_1";
  std::string video_source_configuration = "VideoSourceConfig_1";
  std::string analytics_configuration = "VideoAnalyticsConfig_1";
  std::string motion_rule = "MyMotionDetectorRule";
  std::vector<std::string> digital_inputs;
  std::vector<std::string> relays;
  std::vector<std::string> extra_topics;  // e.g. tns1:Monitoring/ProcessorUsage (listed in the TopicSet)
  // Tampering detectors of the video source (Imaging spec "Tampering"):
  // kinds out of ImageTooBlurry, ImageTooDark, ImageTooBright,
  // GlobalSceneChange. "auto" (tampering_auto): all four on a simulated host
  // (the simulator raises them), none on a real camera.
  std::vector<std::string> tampering;
  bool tampering_auto = false;
  // The tampering simulator cycles through the kinds, one change every N s
  // (0 = off); "auto": 30 s on a simulated host, off on a real camera.
  int tampering_simulator_period_s = 0;
  bool tampering_simulator_auto = false;
};

// Imaging service: what the sensor lets clients adjust (config_imaging.cpp).
// Each adjustable parameter is offered only when configured: a level by its
// range ("MIN-MAX"), a mode by its list of modes. Values are text here and
// checked together when the imaging model is built (imaging/imaging_model.cpp).
// One imaging preset ([imaging] presetN.*): what SetCurrentPreset applies.
// A slot whose token is empty is unused.
struct ImagingPresetConfig {
  std::string token, type, name;      // type: a timg:ImagingPresetType, e.g. Night
  std::vector<std::string> settings;  // name=value of [imaging] levels and modes
};

struct ImagingConfig {
  static constexpr int kPresetSlots = 8;
  bool enabled = false;                           // serve the Imaging service
  std::map<std::string, std::string> levels;      // name -> current value, e.g. brightness -> 50
  std::map<std::string, std::string> ranges;      // name -> "MIN-MAX"
  std::map<std::string, std::string> modes;       // name -> current mode, e.g. ir_cut_filter -> AUTO
  std::map<std::string, std::string> mode_lists;  // name -> "ON, OFF, AUTO"
  // Focus motor: which Move kinds it takes (absolute, relative, continuous;
  // empty: no motor), its position range and speed range (positions per second).
  std::vector<std::string> focus_move;
  std::string focus_position_range = "0-1";
  std::string focus_speed_range = "0.1-1";
  std::string focus_position = "0.5";  // where the motor starts
  // IR-cut filter AUTO adjustment: offered boundary types (Common, ToOn,
  // ToOff; empty: none), whether BoundaryOffset may be set, the ResponseTime
  // range in seconds ("MIN-MAX"; empty: not offered), and the current items
  // ("TYPE:OFFSET:SECONDS", comma-separated; OFFSET and SECONDS may be empty).
  std::vector<std::string> ir_cut_auto_boundary_types;
  bool ir_cut_auto_boundary_offset = false;
  std::string ir_cut_auto_response_time_range;
  std::vector<std::string> ir_cut_auto_adjustment;
  ImagingPresetConfig presets[kPresetSlots];
};

// WS-Discovery (discovery issue).
struct DiscoveryConfig {
  bool enabled = true;
  std::vector<std::string> interfaces = {"lo"};  // names; "*" = every multicast interface
  int port = 3702;                               // 0 = any free port (tests)
  bool ipv6 = false;                             // also FF02::C on the same interfaces
  bool discoverable = true;                      // initial mode until the device stores one
  int max_delay_ms = 500;                        // WS-Discovery APP_MAX_DELAY
  int max_datagram_bytes = 32768;                // larger datagrams are dropped unread
};

// HTTPS, compression, IPv6 (transport issue).
struct TransportConfig {
  // [server] bind is a comma list of addresses; IPv6 entries are used only
  // when ipv6 is on, and "*" then means every IPv4 and IPv6 address.
  bool ipv6 = true;
  bool http_enabled = true;  // the [server] port
  bool https_enabled = false;
  int https_port = 8443;    // 0 = any free port
  std::string certificate;  // PEM chain, server certificate first
  std::string private_key;  // PEM
  std::string tls_ciphers = "ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM:!aNULL:!MD5:!DSS";
  int tls_handshake_timeout_ms = 5000;
  bool gzip = true;                      // compress responses for Accept-Encoding: gzip
  int gzip_min_bytes = 1024;             // smaller responses go out uncompressed
  int64_t max_inflated_bytes = 1 << 20;  // Content-Encoding: gzip request limit
};

struct Config {
  ServerConfig server;
  DeviceConfig device;
  SecurityConfig security;
  StateConfig state;
  MediaConfig media;
  EventsConfig events;
  DiscoveryConfig discovery;
  TransportConfig transport;
  ImagingConfig imaging;
  PtzConfig ptz;
};

// The embedded default configuration text (a virtual camera on loopback).
const char* defaultConfigText();

// Parses `text` on top of `config`. On error returns false and sets `error`
// to "<source>:<line>: <field>: <problem>".
bool parseConfig(const std::string& text, const std::string& source, Config* config, std::string* error);

// "MIN-MAX" of two decimal numbers (either may be negative: "-1-1"), MIN <= MAX.
bool parseFloatRange(const std::string& text, float* min, float* max);

// Default config, then the file at `path` (if non-empty) over it.
bool loadConfig(const std::string& path, Config* config, std::string* error);

}  // namespace onvif::core
