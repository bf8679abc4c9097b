#pragma once
// The live media configuration: the camera description plus what clients
// changed, shared by all workers. Every change follows one path (update):
// edit a copy, validate it against the advertised options, run the apply
// hook so the firmware can reconfigure the encoder, persist it in the
// settings store (area "media"), and only then make it current. A failure
// at any step leaves the old configuration in place.
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "media/camera.hpp"
#include "soap/faults.hpp"
#include "state/settings_store.hpp"

namespace onvif::media {

constexpr const char* kSettingsArea = "media";

// Outcome of a validation or an update; `kind` is meaningful when !ok.
struct Status {
  bool ok = true;
  soap::ErrorKind kind = soap::ErrorKind::ActionFailed;
  std::string detail;  // reason text for the fault, when more specific
  static Status fail(soap::ErrorKind k, std::string d = {}) { return {false, k, std::move(d)}; }
};

// What the hook is told about a change: argv = hook, what, token, args...
struct Change {
  std::string what;  // video-encoder, video-source, audio-encoder, metadata, profile,
                     // profile-deleted, multicast-start, multicast-stop, osd, osd-deleted
  std::string token;
  std::vector<std::string> args;  // key=value
};

// Checks of a requested configuration against the camera's options.
// They never change the state; `requested` may be adapted where the spec
// asks the device to adapt rather than refuse (BitrateLimit).
// H.265 is accepted only from Media2 (`media2`): ver10's schema cannot name it.
Status validateVideoEncoder(const Camera& camera, const VideoEncoderConfig& current,
                            VideoEncoderConfig* requested, bool media2 = false);
Status validateVideoSource(const Camera& camera, const VideoSourceConfig& requested);
Status validateAudioEncoder(const Camera& camera, const AudioEncoderConfig& current,
                            const AudioEncoderConfig& requested);
Status validateMulticast(const Camera& camera, const Multicast& current, const Multicast& requested);

// Hook arguments describing a configuration.
Change describe(const VideoEncoderConfig& c);
Change describe(const VideoSourceConfig& c);
Change describe(const AudioEncoderConfig& c);
Change describe(const MetadataConfig& c);
Change describe(const Profile& p);

// The state as settings-store keys, and back. Stored values that no longer
// fit the camera (its configuration changed since) fall back to the
// camera's values for that configuration, so a stale file never stops start-up.
state::Section encodeState(const MediaState& state);
MediaState decodeState(const Camera& camera, const state::Section& section);

// Runs the hook for a change; replaceable in unit tests.
using HookRunner = std::function<Status(const Camera& camera, const Change& change)>;
Status runApplyHook(const Camera& camera, const Change& change);

class MediaModel {
 public:
  MediaModel(Camera camera, state::SettingsStore* store, HookRunner hook = runApplyHook);

  // Reads the stored state over the camera's initial one.
  void load();

  const Camera& camera() const { return camera_; }
  MediaState snapshot() const;

  // Copies the state, lets `edit` change the copy and describe the change
  // (edit returns a failed Status to refuse), runs the hook, stores, swaps.
  // Updates are serialised; readers are never blocked by a running hook.
  Status update(const std::function<Status(MediaState& state, Change* change)>& edit);
  // Tells the hook about an action that changes no setting (a sync point).
  Status notify(const Change& change);
  // Passes every configuration, then every profile, to the hook, as if each
  // had just been set: the firmware's encoders and streaming server start
  // from what clients last set (apply_hook_at_start). Returns how many
  // calls the hook refused; those configurations stay as stored.
  int replay();

 private:
  const Camera camera_;
  state::SettingsStore* store_;
  HookRunner hook_;
  std::mutex update_mutex_;         // one change at a time (held across the hook)
  mutable std::mutex state_mutex_;  // guards state_ (held only to copy or swap)
  MediaState state_;
};

// Builds the model from [media] and the stored settings (main.cpp).
// `ptz_configuration` (empty: no PTZ node) is added to the fixed profiles
// named in `ptz_profiles` (empty: all of them) until a client changes them.
std::unique_ptr<MediaModel> setupMedia(const core::MediaConfig& config, state::SettingsStore* store,
                                       std::string* error, const std::string& ptz_configuration = {},
                                       const std::vector<std::string>& ptz_profiles = {});

}  // namespace onvif::media
