#include "media/media_model.hpp"

#include <algorithm>

#include "core/log.hpp"
#include "platform/run_command.hpp"

namespace onvif::media {
namespace {

using soap::ErrorKind;

template <typename List, typename T>
bool contains(const List& list, const T& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string multicastText(const Multicast& m) {
  return m.address + ":" + std::to_string(m.port) + "/" + std::to_string(m.ttl) +
         (m.auto_start ? "/auto" : "");
}

}  // namespace

Status validateMulticast(const Camera& camera, const Multicast& current, const Multicast& requested) {
  // Without multicast the settings are inert; clients (ODTT, NVRs) send back
  // what they read, which must keep working, but nothing else is accepted.
  if (!camera.multicast) {
    if (requested == current) return {};
    return Status::fail(ErrorKind::ConfigModify, "Multicast is not supported by this device");
  }
  if (requested.address != "0.0.0.0" && !isMulticastAddress(requested.address))
    return Status::fail(ErrorKind::ConfigModify, "Multicast address must be an IPv4 multicast address");
  if (requested.port < 0 || requested.port > 65535 || requested.port % 2 != 0)
    return Status::fail(ErrorKind::ConfigModify, "Multicast port must be an even number from 0 to 65534");
  if (requested.ttl < 0 || requested.ttl > 255)
    return Status::fail(ErrorKind::ConfigModify, "Multicast TTL must be from 0 to 255");
  return {};
}

Status validateVideoEncoder(const Camera& camera, const VideoEncoderConfig& current, VideoEncoderConfig* r,
                            bool media2) {
  const VideoEncoderOptions* o = camera.optionsFor(current.token);
  if (!o) return Status::fail(ErrorKind::NoConfig);
  auto modify = [](const std::string& what) { return Status::fail(ErrorKind::ConfigModify, what); };
  if (r->name.empty() || r->name.size() > 64) return modify("Name must have 1 to 64 characters");
  if (!contains(o->encodings, r->encoding) || (r->encoding == VideoEncoding::H265 && !media2))
    return modify(std::string("Encoding ") + encodingName(r->encoding) + " is not offered by this encoder");
  if (!contains(o->resolutions, r->resolution))
    return modify("Resolution " + resolutionText(r->resolution) + " is not offered");
  if (!o->quality.contains(r->quality)) return modify("Quality is outside QualityRange");
  if (!o->framerate.contains(r->framerate)) return modify("FrameRateLimit is outside FrameRateRange");
  if (!o->encoding_interval.contains(r->encoding_interval))
    return modify("EncodingInterval is outside its range");
  // Media spec, SetVideoEncoderConfiguration: "A device shall adapt an out of
  // range BitrateLimit instead of returning a fault."
  r->bitrate_kbps = std::clamp(r->bitrate_kbps, o->bitrate.min, o->bitrate.max);
  if (r->encoding == VideoEncoding::H264 || r->encoding == VideoEncoding::H265) {
    if (!o->gov.contains(r->gov_length)) return modify("GovLength is outside GovLengthRange");
  } else {
    // Not meaningful for JPEG; keep what was there so a switch back restores it.
    r->gov_length = current.gov_length;
  }
  if (r->encoding == VideoEncoding::H264) {
    if (!contains(o->h264_profiles, r->h264_profile))
      return modify("H264Profile " + r->h264_profile + " is not offered");
  } else {
    r->h264_profile = current.h264_profile;
  }
  if (r->encoding == VideoEncoding::H265) {
    if (!contains(o->h265_profiles, r->h265_profile))
      return modify("Profile " + r->h265_profile + " is not offered for H265");
  } else {
    r->h265_profile = current.h265_profile;
  }
  if (r->session_timeout_s < 0 || r->session_timeout_s > 86400)
    return modify("SessionTimeout must be at most one day");
  return validateMulticast(camera, current.multicast, r->multicast);
}

Status validateVideoSource(const Camera& camera, const VideoSourceConfig& r) {
  auto modify = [](const std::string& what) { return Status::fail(ErrorKind::ConfigModify, what); };
  if (r.name.empty() || r.name.size() > 64) return modify("Name must have 1 to 64 characters");
  if (r.source_token != camera.video_source_token) return modify("SourceToken names no video source");
  const Rect& b = r.bounds;
  const Resolution& s = camera.video_source_resolution;
  if (b.x < 0 || b.y < 0 || b.width < 1 || b.height < 1 || b.x > s.width - b.width ||
      b.y > s.height - b.height)
    return modify("Bounds must lie inside the video source");
  return {};
}

Status validateAudioEncoder(const Camera& camera, const AudioEncoderConfig& current,
                            const AudioEncoderConfig& r) {
  auto modify = [](const std::string& what) { return Status::fail(ErrorKind::ConfigModify, what); };
  const AudioEncoderOptions& o = camera.audio_options;
  if (r.name.empty() || r.name.size() > 64) return modify("Name must have 1 to 64 characters");
  if (!contains(o.encodings, r.encoding)) return modify("Encoding " + r.encoding + " is not offered");
  if (!contains(o.bitrates, r.bitrate_kbps)) return modify("Bitrate is not in BitrateList");
  if (!contains(o.sample_rates, r.sample_rate_khz)) return modify("SampleRate is not in SampleRateList");
  if (r.session_timeout_s < 0 || r.session_timeout_s > 86400)
    return modify("SessionTimeout must be at most one day");
  return validateMulticast(camera, current.multicast, r.multicast);
}

Change describe(const VideoEncoderConfig& c) {
  return {
      "video-encoder",
      c.token,
      {"name=" + c.name, std::string("encoding=") + encodingName(c.encoding),
       "resolution=" + resolutionText(c.resolution), "quality=" + std::to_string(c.quality),
       "framerate=" + std::to_string(c.framerate), "encoding_interval=" + std::to_string(c.encoding_interval),
       "bitrate_kbps=" + std::to_string(c.bitrate_kbps), "gov_length=" + std::to_string(c.gov_length),
       "h264_profile=" + c.h264_profile, "h265_profile=" + c.h265_profile,
       "multicast=" + multicastText(c.multicast),
       "session_timeout_s=" + std::to_string(c.session_timeout_s)}};
}

Change describe(const VideoSourceConfig& c) {
  const Rect& b = c.bounds;
  return {"video-source",
          c.token,
          {"name=" + c.name, "source=" + c.source_token,
           "bounds=" + std::to_string(b.x) + "," + std::to_string(b.y) + "," + std::to_string(b.width) + "," +
               std::to_string(b.height)}};
}

Change describe(const AudioEncoderConfig& c) {
  return {"audio-encoder",
          c.token,
          {"name=" + c.name, "encoding=" + c.encoding, "bitrate_kbps=" + std::to_string(c.bitrate_kbps),
           "sample_rate_khz=" + std::to_string(c.sample_rate_khz), "multicast=" + multicastText(c.multicast),
           "session_timeout_s=" + std::to_string(c.session_timeout_s)}};
}

Change describe(const MetadataConfig& c) {
  return {"metadata",
          c.token,
          {"name=" + c.name, std::string("analytics=") + (c.analytics ? "true" : "false"),
           std::string("events=") + (c.events ? "true" : "false"), "multicast=" + multicastText(c.multicast),
           "session_timeout_s=" + std::to_string(c.session_timeout_s)}};
}

Change describe(const Profile& p) {
  return {"profile",
          p.token,
          {"name=" + p.name, "video_source=" + p.video_source, "video_encoder=" + p.video_encoder,
           "audio_source=" + p.audio_source, "audio_encoder=" + p.audio_encoder, "metadata=" + p.metadata,
           "analytics=" + p.analytics}};
}

Status runApplyHook(const Camera& camera, const Change& change) {
  if (camera.apply_hook.empty()) return {};
  std::vector<std::string> argv{camera.apply_hook, change.what, change.token};
  argv.insert(argv.end(), change.args.begin(), change.args.end());
  platform::CommandResult r = platform::runCommand(argv, camera.apply_hook_timeout_ms);
  if (r.ok) return {};
  LOG_WARN("media apply hook %s %s %s: %s", camera.apply_hook.c_str(), change.what.c_str(),
           change.token.c_str(), r.problem.c_str());
  return Status::fail(ErrorKind::ActionFailed, "The device could not apply the configuration");
}

MediaModel::MediaModel(Camera camera, state::SettingsStore* store, HookRunner hook)
    : camera_(std::move(camera)), store_(store), hook_(std::move(hook)), state_(camera_.initial) {}

void MediaModel::load() {
  MediaState loaded = store_ && store_->has(kSettingsArea) ? decodeState(camera_, store_->get(kSettingsArea))
                                                           : camera_.initial;
  std::lock_guard<std::mutex> lock(state_mutex_);
  state_ = std::move(loaded);
}

MediaState MediaModel::snapshot() const {
  std::lock_guard<std::mutex> lock(state_mutex_);
  return state_;
}

Status MediaModel::update(const std::function<Status(MediaState&, Change*)>& edit) {
  std::lock_guard<std::mutex> serial(update_mutex_);
  MediaState next = snapshot();
  Change change;
  Status s = edit(next, &change);
  if (!s.ok) return s;
  if (!change.what.empty()) {
    s = hook_(camera_, change);
    if (!s.ok) return s;
  }
  if (store_) {
    std::string error;
    if (!store_->put(kSettingsArea, encodeState(next), &error)) {
      LOG_ERROR("media settings: %s", error.c_str());
      return Status::fail(ErrorKind::ActionFailed, "The configuration could not be stored");
    }
  }
  std::lock_guard<std::mutex> lock(state_mutex_);
  state_ = std::move(next);
  return {};
}

Status MediaModel::notify(const Change& change) {
  std::lock_guard<std::mutex> serial(update_mutex_);
  return hook_(camera_, change);
}

int MediaModel::replay() {
  std::lock_guard<std::mutex> serial(update_mutex_);
  const MediaState state = snapshot();
  std::vector<Change> changes;
  for (const auto& c : state.video_sources) changes.push_back(describe(c));
  for (const auto& c : state.video_encoders) changes.push_back(describe(c));
  for (const auto& c : state.audio_encoders) changes.push_back(describe(c));
  for (const auto& c : state.metadata) changes.push_back(describe(c));
  for (const auto& p : state.profiles) changes.push_back(describe(p));
  int refused = 0;
  for (const Change& change : changes) {
    if (!hook_(camera_, change).ok) refused++;
  }
  return refused;
}

std::unique_ptr<MediaModel> setupMedia(const core::MediaConfig& config, state::SettingsStore* store,
                                       std::string* error, const std::string& ptz_configuration,
                                       const std::vector<std::string>& ptz_profiles) {
  Camera camera;
  if (!buildCamera(config, &camera, error)) return nullptr;
  camera.ptz_configuration = ptz_configuration;
  if (!ptz_configuration.empty() && ptz_profiles.empty())
    for (Profile& p : camera.initial.profiles) p.ptz = ptz_configuration;
  for (const std::string& token : ptz_profiles) {
    Profile* p = camera.initial.findProfile(token);
    if (!p || ptz_configuration.empty()) {
      *error = "ptz.profiles: no fixed media profile '" + token + "'";
      return nullptr;
    }
    p->ptz = ptz_configuration;
  }
  auto model = std::make_unique<MediaModel>(std::move(camera), store);
  model->load();
  if (model->camera().apply_hook_at_start && !model->camera().apply_hook.empty()) {
    int refused = model->replay();
    if (refused) LOG_WARN("media: the apply hook refused %d of the configurations at start-up", refused);
  }
  return model;
}

}  // namespace onvif::media
