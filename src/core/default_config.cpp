#include "core/config.hpp"

namespace onvif::core {

// Printed by --print-default-config; a config file needs only the keys it
// changes. Keep every key here, with a comment, so this doubles as reference.
const char* defaultConfigText() {
  return R"(# onvifd configuration (embedded default: a virtual camera on loopback)

[server]
# Addresses and port of the HTTP listener: a comma list of IPv4/IPv6
# literals, e.g. "127.0.0.1, ::1" ("*" = every IPv4 and IPv6 address; see
# [transport] ipv6). The default serves IPv4 loopback only.
bind = 127.0.0.1
port = 8080
# Connections past this are accepted and closed at once.
max_connections = 512
# Largest request (headers + body) in bytes; larger gets HTTP 413.
max_request_bytes = 1048576
# The request headers must arrive within this time (slowloris bound), and the
# body within body_timeout_ms after them; else HTTP 408 and close.
header_timeout_ms = 5000
body_timeout_ms = 10000
# A response that the client does not read within this time is abandoned.
send_timeout_ms = 10000
# HTTP keep-alive: idle connections are closed after this many seconds
# (advertised as Keep-Alive: timeout=N, max=M), and after max requests.
# A connection costs no more memory the more requests it carries (idle ones
# give their buffer back), so the cap only makes clients reconnect: a TCP
# and, over HTTPS, a TLS handshake, which on a camera's CPU costs far more
# than a request. 1000 (nginx's default) makes that once every few minutes
# for a client that polls several times a second.
keepalive_timeout_s = 10
keepalive_max_requests = 1000
# Worker threads: always running / at most (a long poll occupies one).
workers = 4
max_workers = 32
# On SIGTERM, in-flight requests get this long to finish.
shutdown_grace_ms = 1500

[device]
# GetDeviceInformation
manufacturer = onvifd
model = Virtual Camera
firmware_version = 0.1.0
serial_number = VC-0001
hardware_id = virtual-1
# Discovery scopes (GetScopes, WS-Discovery): onvif://www.onvif.org/name/<name>
# (empty: the model) and .../location/<location>. With name_location_fixed
# they are Fixed; otherwise Configurable (SetScopes may replace them).
# extra_scopes: more Fixed scopes, comma-separated URIs. max_scopes bounds
# Fixed + Configurable (more -> ter:TooManyScopes).
name =
location = unknown
name_location_fixed = false
extra_scopes =
max_scopes = 32
# POSIX TZ string (IEEE 1003.1 section 8.3) and NTP servers (names or
# addresses, comma-separated) until a client sets them.
timezone = UTC0
ntp_servers =
# File whose last 64 KiB GetSystemLog returns; empty: no system log.
system_log =
# RTSP port listed by GetNetworkProtocols (0: RTSP not listed).
rtsp_port = 0
# Relay output tokens (GetRelayOutputs) and auxiliary commands
# (SendAuxiliaryCommand, e.g. tt:IRLamp|On), comma-separated. The virtual
# camera has one relay (also in the DeviceIO service, docs/deviceio.md).
relay_outputs = Relay_1
auxiliary_commands =
# What changes the host (clock, host name, DNS, NTP, interfaces, gateway,
# protocols, factory default, reboot, relays, auxiliary commands and the PTZ
# node's, [ptz] hook_auxiliary) when no hook is configured for it:
#   simulated  the value is only recorded and Get* shows it (this virtual
#              camera, a development machine: the host is never touched);
#   real       a camera: the operation is refused (env:Receiver
#              ter:ActionNotSupported) and its capabilities are not claimed.
# A camera sets host = real and a hook for every setting it supports.
# The log says at start-up which operations are recorded or refused.
host = simulated
# Hooks that change the host: absolute paths of executables, run without a
# shell with the arguments listed in docs/device.md; exit status 0 = done.
# A failing hook answers with a SOAP fault and leaves the settings unchanged.
hook_clock =
hook_hostname =
hook_dns =
hook_ntp =
hook_network =
hook_gateway =
hook_protocols =
hook_reboot =
hook_factory_default =
hook_relay =
hook_auxiliary =
# Run when a client sets a digital input's idle state (DeviceIO
# SetDigitalInputConfigurations): hook TOKEN open|closed.
hook_digital_input =
# A hook still running after this long is killed and counts as failed.
hook_timeout_ms = 10000

[security]
# Users live in the state file (area "users"). When it holds none (first
# start, factory reset), this user is created as the only Administrator.
# The embedded default is admin/admin so any client works at once on
# loopback; with that password in place the server refuses to start on a
# non-loopback address unless allow_default_password = true.
admin_user = admin
admin_password = admin
allow_default_password = false
# HTTP Digest realm (challenges offer SHA-256, then MD5; qop=auth).
realm = onvifd
# The users as an htdigest-style file (one line per user, name:realm:HA1,
# HA1 = MD5 of name:realm:password; no passwords) for the camera's RTSP
# server, which must check
# the same users with RTSP Digest. Rewritten atomically (mode 0600) at
# start-up and whenever users change; a change that cannot be written is
# refused. Relative to the working directory; empty: not written.
users_file =
# gSOAP keeps each challenge's nonce for 600 s; at most this many are handed
# out per 600 s (then requests without credentials get a plain NotAuthorized
# fault), so a flood of anonymous requests cannot grow memory without bound.
max_digest_challenges = 50000
# A UsernameToken's Created must be within this many seconds of the device
# clock (either way). token_time_offset_s shifts the device clock for this
# check only; it is for replaying recorded client traffic in tests and stays 0.
token_window_s = 300
token_time_offset_s = 0
# Accepted tokens are remembered (at most replay_cache_size); the same token
# again is a replay, except from the same address within
# token_reuse_window_ms (libonvif repeats its token within one second).
replay_cache_size = 4096
token_reuse_window_ms = 2000
# After free_failures failed logins from one address, each further failure
# is answered later, by 250 ms more each time, at most max_failure_delay_ms.
free_failures = 3
max_failure_delay_ms = 2000
# User limits (GetServiceCapabilities MaxUsers, MaxUserNameLength,
# MaxPasswordLength); shorter passwords than the minimum are PasswordTooWeak.
max_users = 32
max_username_length = 32
max_password_length = 64
min_password_length = 1

[state]
# What clients set (users, scopes, encoder settings, discovery mode, the
# device's endpoint reference) is kept in this file, replaced atomically on
# every change. A relative path is relative to the working directory.
path = onvifd-state.ini

[media]
# The camera as the Media service (ver10) shows it. One video source (the
# sensor) and one video source configuration covering it; Bounds may be set
# to any rectangle inside the sensor.
video_source_token = VideoSource_1
video_source_resolution = 1920x1080
video_source_framerate = 30
video_source_configuration_token = VideoSourceConfig_1
video_source_configuration_name = VideoSourceConfig_1
# Streams: up to four slots, stream1 ... stream4. Each is one video encoder
# configuration plus a fixed (undeletable) profile streaming it; a slot
# without profile_token is unused. Tokens are what clients keep, so change
# them only with care. Per slot:
#   encoding / encodings   current codec / what clients may choose:
#                          H264, JPEG, H265 (H.265 only through Media2: ver10
#                          hides an encoder while it is H.265, and its profiles)
#   resolution / resolutions, framerate / framerate_range (MIN-MAX),
#   bitrate_kbps / bitrate_range, gov_length / gov_range,
#   h264_profile / h264_profiles (Baseline, Main, Extended, High),
#   h265_profile / h265_profiles (Main, Main10; Media2),
#   quality / quality_range (0..100; clients see the same numbers)
#   rtsp_uri       GetStreamUri for RTP-Unicast over UDP or RTSP (template)
#   http_uri       GetStreamUri for RTSP tunnelled in HTTP; onvifd does not
#                  tunnel RTSP itself: the address of an RTSP server that
#                  accepts tunnelling (or empty: HTTP is then refused)
#   multicast_uri, multicast_address/_port/_ttl  (when multicast = true)
#   rtsps_uri      Media2 GetStreamUri RtspsUnicast (RTSP over TLS); empty:
#                  not offered (SecureRTSPStreaming false)
#   metadata       true: the fixed profile carries the metadata configuration
#   session_timeout_s      RTSP session timeout reported to clients
# Templates: {host} is the address the request came in on, {port} the web
# service's port, {profile} the profile token, {encoder} the encoder token.
# The defaults point at the reference stream server that `make run` starts
# beside onvifd (scripts/stream-server: port 8554, one mount per profile,
# RTSP tunnelling in HTTP on the same port; see docs/streaming.md).
stream1.profile_token = Profile_1
stream1.profile_name = MainStream
stream1.encoder_token = VideoEncoder_1
stream1.encoder_name = MainStream
stream1.encoding = H264
stream1.encodings = H264, H265
stream1.resolution = 1920x1080
stream1.resolutions = 1920x1080, 1280x720
stream1.framerate = 25
stream1.framerate_range = 1-30
stream1.bitrate_kbps = 4096
stream1.bitrate_range = 256-8192
stream1.gov_length = 50
stream1.gov_range = 1-150
stream1.h264_profile = High
stream1.h264_profiles = Baseline, Main, High
stream1.h265_profile = Main
stream1.h265_profiles = Main
stream1.metadata = true
stream1.quality = 4
stream1.quality_range = 0-10
stream1.rtsp_uri = rtsp://{host}:8554/{profile}
stream1.http_uri = http://{host}:8554/{profile}
stream1.multicast_uri = rtsp://{host}:8554/{profile}
stream1.multicast_address = 239.0.1.1
stream1.multicast_port = 40000
stream1.multicast_ttl = 1
stream1.session_timeout_s = 60
stream2.profile_token = Profile_2
stream2.profile_name = SubStream
stream2.encoder_token = VideoEncoder_2
stream2.encoder_name = SubStream
stream2.encoding = H264
# JPEG at QVGA (320x240) is what every ONVIF device must offer (Media spec).
stream2.encodings = H264, JPEG
stream2.resolution = 640x360
stream2.resolutions = 640x360, 320x240
stream2.framerate = 15
stream2.framerate_range = 1-30
stream2.bitrate_kbps = 512
stream2.bitrate_range = 64-2048
stream2.gov_length = 30
stream2.gov_range = 1-150
stream2.h264_profile = Main
stream2.h264_profiles = Baseline, Main, High
stream2.quality = 4
stream2.quality_range = 0-10
stream2.rtsp_uri = rtsp://{host}:8554/{profile}
stream2.http_uri = http://{host}:8554/{profile}
stream2.multicast_uri = rtsp://{host}:8554/{profile}
stream2.multicast_address = 239.0.1.2
stream2.multicast_port = 40002
stream2.multicast_ttl = 1
stream2.session_timeout_s = 60
# Profiles clients may have in all (fixed ones included; CreateProfile
# beyond this answers ter:MaxNVTProfiles).
max_profiles = 8
# Text OSDs (date, time, plain text) clients may create per video source
# configuration (CreateOSD beyond it: ter:MaxOSDs). 0: a camera without OSD
# (OSD capability false, CreateOSD ter:ActionNotSupported). The firmware
# draws them: every change reaches apply_hook as "osd" / "osd-deleted".
osd_max = 4
# Media2 (ver20, /onvif/media2_service): served and listed in GetServices.
# The same camera, configurations and tokens as Media ver10.
media2 = true
video_source_mode_token = VideoSourceMode_1
# RTP multicast (GetStreamUri RTP-Multicast, Start/StopMulticastStreaming).
multicast = false
# GetSnapshotUri (JPEG over HTTP; same templates as above). Empty: no
# snapshots (SnapshotUri capability false). onvifd serves them itself at
# /onvif/snapshot/<profile> (HTTP Digest, READ_MEDIA, like GetSnapshotUri)
# from one of two sources:
#   snapshot_command  a program and its arguments, split at blanks and run
#                     without a shell, that writes one JPEG to its stdout;
#                     {width} {height} (the profile's encoder resolution),
#                     {profile} and {encoder} are replaced in each word
#   snapshot_file     a JPEG file the firmware keeps current (used instead of
#                     the command when set; {profile} {encoder} replaced)
# Bounded: killed after snapshot_timeout_ms, refused past snapshot_max_bytes
# (HTTP 503 then). The default draws a test pattern with GStreamer
# (scripts/install-deps --stream); a snapshot_uri elsewhere needs neither.
snapshot_uri = http://{host}:{port}/onvif/snapshot/{profile}
snapshot_command = /usr/bin/gst-launch-1.0 -q videotestsrc num-buffers=1 ! video/x-raw,width={width},height={height} ! jpegenc ! fdsink fd=1
snapshot_file =
snapshot_timeout_ms = 3000
snapshot_max_bytes = 4194304
# Audio (microphone): off by default; when on, the fixed profiles carry it.
# G711 is mandatory for a device with audio (Media spec).
audio = false
audio_source_token = AudioSource_1
audio_channels = 1
audio_source_configuration_token = AudioSourceConfig_1
audio_encoder_token = AudioEncoderConfig_1
audio_encoding = G711
audio_encodings = G711, AAC
audio_bitrate_kbps = 64
audio_bitrates = 64, 32
audio_sample_rate_khz = 8
audio_sample_rates = 8, 16
# One metadata configuration (clients may add it to a profile).
metadata_token = MetadataConfig_1
# A program run (fork/exec, no shell) for every accepted change before it is
# stored: argv = hook, what, token, key=value...; exit 0 accepts, anything
# else (or no exit within the timeout) rejects the change with a fault and
# the old configuration stays. Empty: changes are only stored.
apply_hook =
apply_hook_timeout_ms = 5000
# true: at start-up, once the stored settings are read, every configuration
# and then every profile is passed to apply_hook as if just set, so the
# encoders and the streaming server start from what clients last set (a
# refusal is logged; start-up goes on).
apply_hook_at_start = false

[imaging]
# Imaging service (/onvif/imaging_service): what clients may adjust on the
# video source (media.video_source_token). A level is offered when its
# NAME_range (MIN-MAX) is set, with NAME its current value; a mode when its
# NAME_modes list is set, with NAME the current mode. Levels: brightness,
# color_saturation, contrast, sharpness, backlight_compensation_level (needs
# ON in backlight_compensation_modes), wide_dynamic_range_level (ON),
# white_balance_cr_gain and _cb_gain (MANUAL), exposure_time and
# exposure_gain (MANUAL), focus_default_speed (MANUAL). Modes: ir_cut_filter
# (ON, OFF, AUTO), backlight_compensation and wide_dynamic_range (OFF, ON),
# white_balance, exposure and focus (AUTO, MANUAL). Accepted changes run
# media.apply_hook as: hook imaging SOURCE name=value... (every setting).
enabled = true
brightness = 50
brightness_range = 0-100
color_saturation = 50
color_saturation_range = 0-100
contrast = 50
contrast_range = 0-100
sharpness = 50
sharpness_range = 0-100
ir_cut_filter = AUTO
ir_cut_filter_modes = ON, OFF, AUTO
# IR-cut filter AUTO adjustment (IrCutFilterAutoAdjustment; needs AUTO in
# ir_cut_filter_modes): the boundary types offered (Common, ToOn, ToOff;
# empty: no adjustment), whether BoundaryOffset (-1 to 1) may be set, the
# ResponseTime range in seconds (MIN-MAX; empty: not offered), and the
# current items: TYPE:OFFSET:SECONDS, comma-separated (OFFSET and SECONDS
# may be left empty).
ir_cut_auto_boundary_types = Common, ToOn, ToOff
ir_cut_auto_boundary_offset = true
ir_cut_auto_response_time_range = 0-60
ir_cut_auto_adjustment = Common:0:5
backlight_compensation = OFF
backlight_compensation_modes = OFF, ON
backlight_compensation_level = 0
backlight_compensation_level_range = 0-10
wide_dynamic_range = OFF
wide_dynamic_range_modes = OFF, ON
wide_dynamic_range_level = 50
wide_dynamic_range_level_range = 0-100
white_balance = AUTO
white_balance_modes = AUTO, MANUAL
white_balance_cr_gain = 128
white_balance_cr_gain_range = 0-255
white_balance_cb_gain = 128
white_balance_cb_gain_range = 0-255
exposure = AUTO
exposure_modes = AUTO, MANUAL
exposure_time = 10000
exposure_time_range = 100-40000
exposure_gain = 0
exposure_gain_range = 0-48
focus = AUTO
focus_modes = AUTO, MANUAL
focus_default_speed = 0.5
focus_default_speed_range = 0.1-1
# The focus motor (simulated here): the Move kinds it takes (absolute,
# relative, continuous; empty: no motor), its positions, its speeds
# (positions per second) and where it starts.
focus_move = absolute, relative, continuous
focus_position_range = 0-1
focus_speed_range = 0.1-1
focus_position = 0.5
# Imaging presets (GetPresets, SetCurrentPreset): up to 8, presetN.token,
# .type (an ImagingPresetType: Custom, ClearWeather, Cloudy, Fog, Rain,
# Snowing, Snow, WDR, Shade, Night, Indoor, Fluorescent, Incandescent,
# Sodium(Natrium), Sunrise(Horizon), Sunset(Rear), ExtremeHot, ExtremeCold,
# Underwater, CloseUp, Motion, FlickerFree50, FlickerFree60), .name, and
# .settings: the levels and modes it sets (NAME=VALUE, comma-separated,
# within the options above). No presets: the Presets capability is false.
preset1.token = ImagingPreset_Day
preset1.type = ClearWeather
preset1.name = Day
preset1.settings = ir_cut_filter=ON, brightness=50, contrast=50, color_saturation=50
preset2.token = ImagingPreset_Night
preset2.type = Night
preset2.name = Night
preset2.settings = ir_cut_filter=OFF, brightness=65, contrast=40, color_saturation=0
preset3.token = ImagingPreset_Indoor
preset3.type = Indoor
preset3.name = Indoor
preset3.settings = ir_cut_filter=AUTO, white_balance=AUTO, wide_dynamic_range=ON, wide_dynamic_range_level=60

[events]
# Subscriptions: at most this many pull points (MaxPullPoints; also capped
# at server.max_workers - server.workers, so that long polls can never take
# the last worker) and push subscriptions (MaxNotificationProducers; each
# has its own sender thread).
max_pull_points = 16
max_push_subscriptions = 8
# Subscription lifetime when the client gives no InitialTerminationTime, and
# the longest one granted (longer requests are shortened; the response says so).
default_termination_s = 60
max_termination_s = 3600
# PullMessages: a longer Timeout is answered with PullMessagesFaultResponse;
# at most max_message_limit messages per response (the rest wait).
max_pull_timeout_s = 300
max_message_limit = 100
# Messages queued per subscription; when full the oldest is dropped (counted).
queue_limit = 200
# Push (Subscribe) consumers: link-local and multicast targets are refused;
# loopback too unless allowed. true / false / auto: auto allows loopback
# consumers only while server.bind is a loopback address (this development
# default). A configuration for a real camera should say false, or bind to a
# real address, which makes auto refuse them.
push_allow_loopback = auto
push_allow_link_local = false
# Each Notify: connect within / send and read the answer within (ms); a failed
# batch is retried push_retries times, waiting push_retry_backoff_ms, doubled
# each time; then it is dropped (counted) and the next batch goes.
push_connect_timeout_ms = 2000
push_io_timeout_ms = 3000
push_retries = 2
push_retry_backoff_ms = 200
# https:// consumers: the consumer's certificate must chain to a trusted CA
# and match the host in its URL (name or IP address). push_tls_ca_file is a
# PEM file of the CAs to trust; empty = the system store (OpenSSL's default
# paths, /etc/ssl/certs on Debian). push_tls_verify = false accepts any
# certificate: for development only (the Notify is still encrypted, but to
# whoever answers).
push_tls_verify = true
push_tls_ca_file =
# Local control socket (Unix domain, mode 0660: file permissions are the
# access check) through which firmware raises events:
#   onvifd event --socket PATH motion on
# Relative paths are relative to the working directory; empty = none.
control_socket = onvifd-events.sock
# Simulator: the motion alarm of the video source toggles every N seconds
# (0 = off).
simulator_period_s = 10
# Event sources of the camera: tokens used in the events' Source items.
video_source = VideoSource_1
video_source_configuration = VideoSourceConfig_1
analytics_configuration = VideoAnalyticsConfig_1
motion_rule = MyMotionDetectorRule
# Comma-separated input and relay tokens (tns1:Device/Trigger/DigitalInput
# and .../Relay topics exist only when these are set).
digital_inputs = DigitalInput_1
relays =
# Tampering detectors of the video source (Imaging spec "Tampering"), each a
# property topic tns1:VideoSource/<kind>/ImagingService (Source = video_source,
# Data State): comma-separated kinds out of ImageTooBlurry, ImageTooDark,
# ImageTooBright, GlobalSceneChange; empty = none. Firmware raises them with
#   onvifd event tamper ImageTooDark on
# auto = all four on a simulated host (device.host, raised by the simulator
# below), none on a real camera unless listed here. At least one kind is
# needed for the Profile T scope.
tampering = auto
# Tampering simulator: every N seconds one kind changes in turn (the first
# goes on, then off, then the next ...); 0 = off; auto = 30 on a simulated
# host, off on a real camera.
tampering_simulator_period_s = auto
# More topics firmware raises through the control socket (`onvifd event raw
# TOPIC ...`), listed in GetEventProperties' TopicSet; comma-separated.
extra_topics = tns1:Monitoring/ProcessorUsage

[discovery]
# WS-Discovery (ONVIF Core "Device discovery"): Hello at start and on change,
# Bye at shutdown, answers to Probe and Resolve. See docs/discovery.md.
enabled = true
# Interfaces (names, comma-separated) that join 239.255.255.250 and answer;
# "*" means every interface that is up and multicast-capable. The default
# answers on loopback only, so discovery can be tried locally.
interfaces = lo
# UDP port: 3702 is the standard one; 0 picks a free port (tests), which is
# logged as "discovery: listening on udp port N".
port = 3702
# Also join FF02::C on the same interfaces.
ipv6 = false
# Initial discovery mode (true = Discoverable) until a client sets one with
# SetDiscoveryMode. NonDiscoverable sends nothing and answers nothing.
discoverable = true
# Random wait before answering a multicast Probe or Resolve and before the
# first Hello (WS-Discovery APP_MAX_DELAY, milliseconds).
max_delay_ms = 500
# Datagrams larger than this are dropped without being parsed.
max_datagram_bytes = 32768

[ptz]
# The PTZ node (ONVIF PTZ service, docs/ptz.md). enabled = false: no PTZ
# service, nothing about PTZ is listed; the same on [device] host = real
# without hook_move (no move would reach a head). The default camera has a
# simulated head: position follows the requested moves over time.
enabled = true
node_token = PTZNode_1
node_name = PTZNode_1
configuration_token = PTZConfig_1
configuration_name = PTZConfig_1
# Fixed media profiles that hold the PTZ configuration until a client
# changes them (AddPTZConfiguration / RemovePTZConfiguration); empty: all.
profiles =
# Move kinds the head supports (each adds its spaces) and whether it zooms.
absolute = true
relative = true
continuous = true
zoom = true
# Mechanical range in degrees (the spherical position space; the generic
# spaces map -1..1 onto it) and the fastest pan and tilt (generic speed 1).
pan_min_deg = -180
pan_max_deg = 180
tilt_min_deg = -90
tilt_max_deg = 0
pan_speed_deg_s = 120
tilt_speed_deg_s = 60
# Seconds from wide to tele at the fastest zoom.
zoom_time_s = 4
# Field of view at zoom 0 (wide) and the optical zoom ratio; with them
# relative moves in .../TranslationSpaceFov (fractions of the current view,
# used by Frigate's autotracking) are offered. fov_horizontal_deg = 0: not.
fov_horizontal_deg = 60
fov_vertical_deg = 34
zoom_ratio = 10
# DefaultPTZSpeed (generic speed space, 0..1) and DefaultPTZTimeout of
# continuous moves; a ContinuousMove Timeout may be 1 s .. max_timeout_s.
default_pan_tilt_speed = 0.5
default_zoom_speed = 0.5
default_timeout_s = 10
max_timeout_s = 60
# Presets (SetPreset beyond this -> ter:TooManyPresets; 0: no presets).
max_presets = 16
# Home position (generic pan, tilt, zoom); fixed_home: SetHomePosition is
# refused with ter:CannotOverwriteHome.
home_supported = true
fixed_home = false
home = 0,0,0
# Auxiliary commands the node accepts (SendAuxiliaryCommand), comma-separated.
auxiliary_commands = tt:Wiper|On, tt:Wiper|Off
# EFlip / Reverse modes a client may set in the PTZ configuration (a new
# EFlip mode reaches hook_move as "eflip ON|OFF"; Reverse turns moves round).
eflip = false
reverse = false
# Firmware connection: absolute paths of programs run with fork/exec and an
# argument vector (never a shell). hook_move gets every move and stop,
# hook_auxiliary the auxiliary command, hook_status (run by GetStatus)
# prints "PAN TILT ZOOM PANTILT_STATE ZOOM_STATE". position = reported takes
# the position from the firmware (hook_status or `onvifd ptz status ...`
# through [events] control_socket) instead of simulating it.
hook_move =
hook_auxiliary =
hook_status =
position = simulated
hook_timeout_ms = 2000

[transport]
# Listen on the IPv6 addresses of [server] bind (off: they are skipped, and
# "*" means IPv4 only). XAddrs name the address a request came in on,
# bracketed for IPv6 (http://[::1]:8080/...).
ipv6 = true
# Plain HTTP on [server] port; HTTPS on https_port (0 = any free port) with
# the PEM certificate chain and private key below. Only TLS 1.2 and 1.3.
# SIGHUP reloads certificate and key; established connections keep theirs.
# `make run` creates a self-signed pair (scripts/make-dev-cert) for local use.
http = true
https = false
https_port = 8443
certificate =
private_key =
# OpenSSL cipher list for TLS 1.2 (TLS 1.3 uses OpenSSL's defaults).
tls_ciphers = ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM:!aNULL:!MD5:!DSS
# A client must finish the TLS handshake within this time, else it is dropped.
tls_handshake_timeout_ms = 5000
# gzip responses of at least gzip_min_bytes when the client sends
# Accept-Encoding: gzip. Requests with Content-Encoding: gzip are accepted up
# to max_inflated_bytes once inflated; more gets HTTP 413.
gzip = true
gzip_min_bytes = 1024
max_inflated_bytes = 1048576
)";
}

}  // namespace onvif::core
