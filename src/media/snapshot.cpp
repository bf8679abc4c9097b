#include "media/snapshot.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "platform/hook.hpp"
#include "platform/unique_fd.hpp"

namespace onvif::media {
namespace {

void replaceAll(std::string* s, const std::string& from, const std::string& to) {
  for (std::size_t pos = s->find(from); pos != std::string::npos; pos = s->find(from, pos + to.size()))
    s->replace(pos, from.size(), to);
}

bool looksLikeJpeg(const std::string& data) {
  return data.size() >= 4 && static_cast<unsigned char>(data[0]) == 0xFF &&
         static_cast<unsigned char>(data[1]) == 0xD8;
}

Snapshot readFile(const std::string& path, std::size_t max_bytes) {
  Snapshot s;
  platform::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (!fd) {
    s.error = SnapshotError::Failed;
    s.problem = path + ": " + std::strerror(errno);
    return s;
  }
  char buf[16384];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      s.error = SnapshotError::Failed;
      s.problem = path + ": " + std::strerror(errno);
      return s;
    }
    if (n == 0) break;
    if (s.jpeg.size() + static_cast<std::size_t>(n) > max_bytes) {
      s.error = SnapshotError::TooLarge;
      s.problem = path + " is larger than " + std::to_string(max_bytes) + " bytes";
      s.jpeg.clear();
      return s;
    }
    s.jpeg.append(buf, static_cast<std::size_t>(n));
  }
  return s;
}

}  // namespace

std::vector<std::string> snapshotArgv(const Camera& camera, const MediaState& state, const Profile& profile) {
  Resolution size = camera.video_source_resolution;
  if (const VideoEncoderConfig* vec = state.findVideoEncoder(profile.video_encoder)) size = vec->resolution;
  std::vector<std::string> argv = camera.snapshot_command;
  for (std::string& word : argv) {
    replaceAll(&word, "{width}", std::to_string(size.width));
    replaceAll(&word, "{height}", std::to_string(size.height));
    replaceAll(&word, "{profile}", profile.token);
    replaceAll(&word, "{encoder}", profile.video_encoder);
  }
  return argv;
}

Snapshot takeSnapshot(const Camera& camera, const MediaState& state, const std::string& profile_token) {
  Snapshot s;
  const Profile* profile = state.findProfile(profile_token);
  if (!profile) {
    s.error = SnapshotError::NoProfile;
    return s;
  }
  const std::size_t max_bytes = static_cast<std::size_t>(camera.snapshot_max_bytes);
  if (!camera.snapshot_file.empty()) {
    std::string path = camera.snapshot_file;
    replaceAll(&path, "{profile}", profile->token);
    replaceAll(&path, "{encoder}", profile->video_encoder);
    s = readFile(path, max_bytes);
  } else if (!camera.snapshot_command.empty()) {
    platform::HookOptions options;
    options.max_output = max_bytes;
    options.stdout_only = true;
    platform::HookResult r =
        platform::runHook(snapshotArgv(camera, state, *profile), camera.snapshot_timeout_ms, options);
    if (r.output_truncated) {
      s.error = SnapshotError::TooLarge;
      s.problem = "the snapshot command wrote more than " + std::to_string(max_bytes) + " bytes";
      return s;
    }
    if (!r.ok) {
      s.error = SnapshotError::Failed;
      s.problem = "snapshot command: " + r.error;
      return s;
    }
    s.jpeg = std::move(r.output);
  } else {
    s.error = SnapshotError::Failed;
    s.problem = "no snapshot source configured";
    return s;
  }
  if (s.error == SnapshotError::None && !looksLikeJpeg(s.jpeg)) {
    s.error = SnapshotError::Failed;
    s.problem = "the snapshot source gave no JPEG (" + std::to_string(s.jpeg.size()) + " bytes)";
    s.jpeg.clear();
  }
  return s;
}

}  // namespace onvif::media
