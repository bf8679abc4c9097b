#pragma once
// One JPEG of a profile for GetSnapshotUri's URI (served by onvifd itself,
// services/media_snapshot.cpp), free of gSOAP types. The source is the
// firmware's: either a command run with an argument vector (never a shell)
// that writes one JPEG to its stdout, or a file the firmware keeps current.
// Both are bounded: the command in time (killed with its process group),
// either in size.
#include <string>
#include <vector>

#include "media/camera.hpp"

namespace onvif::media {

enum class SnapshotError {
  None,
  NoProfile,  // no such profile (HTTP 404)
  Failed,     // the source failed, timed out, or gave no JPEG (HTTP 503)
  TooLarge,   // larger than snapshot_max_bytes (HTTP 503)
};

struct Snapshot {
  SnapshotError error = SnapshotError::None;
  std::string jpeg;
  std::string problem;  // for the log
};

// The command's argv for a profile: {width} {height} {profile} {encoder} in
// each word replaced by the profile's encoder resolution (the video source's
// size when the profile has no encoder) and tokens.
std::vector<std::string> snapshotArgv(const Camera& camera, const MediaState& state, const Profile& profile);

Snapshot takeSnapshot(const Camera& camera, const MediaState& state, const std::string& profile_token);

}  // namespace onvif::media
