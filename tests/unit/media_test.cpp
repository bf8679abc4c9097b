#include <doctest/doctest.h>
#include <poll.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "core/config.hpp"
#include "media/camera.hpp"
#include "media/media_model.hpp"
#include "media/osd.hpp"
#include "media/uri_template.hpp"
#include "platform/run_command.hpp"
#include "state/settings_store.hpp"
#include "test_support.hpp"

using namespace onvif;
using namespace onvif::media;

namespace {

core::Config defaultConfig() {
  core::Config c;
  std::string error;
  REQUIRE(core::loadConfig("", &c, &error));
  return c;
}

Camera defaultCamera() {
  Camera cam;
  std::string error;
  REQUIRE_MESSAGE(buildCamera(defaultConfig().media, &cam, &error), error);
  return cam;
}

std::string buildError(const std::string& overrides) {
  core::Config c = defaultConfig();
  std::string error;
  REQUIRE_MESSAGE(core::parseConfig("[media]\n" + overrides, "t.conf", &c, &error), error);
  Camera cam;
  CHECK_FALSE(buildCamera(c.media, &cam, &error));
  return error;
}

}  // namespace

TEST_CASE("media camera: the default is a two-stream H.264 camera") {
  Camera cam = defaultCamera();
  REQUIRE(cam.initial.profiles.size() == 2);
  CHECK(cam.initial.profiles[0].token == "Profile_1");
  CHECK(cam.initial.profiles[0].fixed);
  CHECK(cam.initial.video_encoders[0].encoding == VideoEncoding::H264);
  CHECK(cam.initial.video_encoders[0].resolution == Resolution{1920, 1080});
  CHECK(cam.initial.video_encoders[1].resolution == Resolution{640, 360});
  CHECK(cam.optionsFor("VideoEncoder_2")->encodings.size() == 2);  // H264 and JPEG
  CHECK(cam.optionsFor("nope") == nullptr);
  CHECK_FALSE(cam.audio);
  CHECK(cam.initial.audio_encoders.empty());
  CHECK_FALSE(cam.snapshot_uri.empty());
}

TEST_CASE("media camera: values that do not fit together are refused, naming the key") {
  CHECK(buildError("stream1.resolution = 800x600\n").find("media.stream1.resolution") == 0);
  CHECK(buildError("stream1.framerate = 31\n").find("media.stream1.framerate") == 0);
  CHECK(buildError("stream2.encoder_token = VideoEncoder_1\n").find("media.stream2.encoder_token") == 0);
  CHECK(buildError("stream1.encodings = MPEG4\nstream1.encoding = MPEG4\n").find("media.stream1.encodings") ==
        0);
  CHECK(buildError("stream1.resolutions = 3840x2160\nstream1.resolution = 3840x2160\n").find("larger") !=
        std::string::npos);
  CHECK(buildError("max_profiles = 1\n").find("media.max_profiles") == 0);
  CHECK(buildError("stream1.profile_token = bad token\n").find("media.stream1.profile_token") == 0);
}

TEST_CASE("media config: ranges and lists are checked when read") {
  core::Config c = defaultConfig();
  std::string error;
  CHECK_FALSE(core::parseConfig("[media]\nstream1.framerate_range = 30-1\n", "t", &c, &error));
  CHECK(error.find("media.stream1.framerate_range") != std::string::npos);
  CHECK_FALSE(core::parseConfig("[media]\nstream1.resolutions = 1920x1080,,\n", "t", &c, &error));
  REQUIRE(core::parseConfig("[media]\nstream1.framerate_range = 5-20\nstream1.framerate = 10\n", "t", &c,
                            &error));
  CHECK(c.media.streams[0].framerate_range.min == 5);
  CHECK(c.media.streams[0].framerate_range.max == 20);
}

TEST_CASE("media validation: a Set inside the options passes, anything outside is ConfigModify") {
  Camera cam = defaultCamera();
  const VideoEncoderConfig current = cam.initial.video_encoders[0];
  VideoEncoderConfig ok = current;
  ok.resolution = {1280, 720};
  ok.framerate = 30;
  ok.h264_profile = "Baseline";
  CHECK(validateVideoEncoder(cam, current, &ok).ok);

  auto refused = [&](auto change) {
    VideoEncoderConfig r = current;
    change(r);
    Status s = validateVideoEncoder(cam, current, &r);
    return !s.ok && s.kind == soap::ErrorKind::ConfigModify;
  };
  CHECK(refused([](VideoEncoderConfig& r) { r.resolution = {640, 360}; }));  // the sub stream's, not ours
  CHECK(refused([](VideoEncoderConfig& r) { r.framerate = 31; }));
  CHECK(refused([](VideoEncoderConfig& r) { r.framerate = 0; }));
  CHECK(refused([](VideoEncoderConfig& r) { r.gov_length = 151; }));
  CHECK(refused([](VideoEncoderConfig& r) { r.quality = 11; }));
  CHECK(refused([](VideoEncoderConfig& r) { r.encoding = VideoEncoding::JPEG; }));
  CHECK(refused([](VideoEncoderConfig& r) { r.encoding = VideoEncoding::H265; }));
  CHECK(refused([](VideoEncoderConfig& r) { r.h264_profile = "Extended"; }));
  CHECK(refused([](VideoEncoderConfig& r) { r.encoding_interval = 2; }));
  CHECK(refused([](VideoEncoderConfig& r) { r.name = ""; }));
  CHECK(refused([](VideoEncoderConfig& r) { r.multicast.port = 5000; }));  // multicast off: unchanged only

  // The spec wants BitrateLimit adapted, not refused.
  VideoEncoderConfig high = current;
  high.bitrate_kbps = 1000000;
  REQUIRE(validateVideoEncoder(cam, current, &high).ok);
  CHECK(high.bitrate_kbps == 8192);
}

TEST_CASE("media validation: JPEG keeps the H.264 settings for a later switch back") {
  Camera cam = defaultCamera();
  const VideoEncoderConfig current = cam.initial.video_encoders[1];
  VideoEncoderConfig jpeg = current;
  jpeg.encoding = VideoEncoding::JPEG;
  jpeg.resolution = {320, 240};
  jpeg.gov_length = 100000;  // meaningless for JPEG
  REQUIRE(validateVideoEncoder(cam, current, &jpeg).ok);
  CHECK(jpeg.gov_length == current.gov_length);
}

TEST_CASE("media validation: multicast groups and video source bounds") {
  core::Config c = defaultConfig();
  std::string error;
  REQUIRE(core::parseConfig("[media]\nmulticast = true\n", "t", &c, &error));
  Camera cam;
  REQUIRE(buildCamera(c.media, &cam, &error));
  Multicast current;
  Multicast m;
  m.address = "239.1.1.1";
  m.port = 5000;
  CHECK(validateMulticast(cam, current, m).ok);
  m.address = "192.168.1.1";
  CHECK_FALSE(validateMulticast(cam, current, m).ok);
  m.address = "239.1.1.1";
  m.port = 5001;  // RTP wants an even port
  CHECK_FALSE(validateMulticast(cam, current, m).ok);

  VideoSourceConfig vsc = cam.initial.video_sources[0];
  CHECK(validateVideoSource(cam, vsc).ok);
  vsc.bounds = {1, 0, 1920, 1080};
  CHECK_FALSE(validateVideoSource(cam, vsc).ok);
  vsc.bounds = {100, 100, 800, 600};
  CHECK(validateVideoSource(cam, vsc).ok);
  vsc.source_token = "Other";
  CHECK_FALSE(validateVideoSource(cam, vsc).ok);
}

TEST_CASE("media URI templates: host from the request, placeholders, IPv6") {
  UriContext ctx = uriContextFromBaseUrl("http://192.0.2.7:8080");
  CHECK(ctx.host == "192.0.2.7");
  CHECK(ctx.port == "8080");
  ctx.profile = "Profile_1";
  ctx.encoder = "VideoEncoder_1";
  CHECK(expandUri("rtsp://{host}:554/{profile}/{encoder}", ctx) ==
        "rtsp://192.0.2.7:554/Profile_1/VideoEncoder_1");
  CHECK(expandUri("http://{host}:{port}/x?{unknown}{", ctx) == "http://192.0.2.7:8080/x?{unknown}{");
  UriContext v6 = uriContextFromBaseUrl("http://[fe80::1]:80");
  CHECK(v6.host == "[fe80::1]");
  CHECK(v6.port == "80");
  UriContext noport = uriContextFromBaseUrl("https://camera.local");
  CHECK(noport.host == "camera.local");
  CHECK(noport.port == "443");
}

TEST_CASE("media state: encode/decode round trip, created profiles, stale values") {
  Camera cam = defaultCamera();
  MediaState st = cam.initial;
  st.video_encoders[0].resolution = {1280, 720};
  st.video_encoders[0].framerate = 12;
  st.video_sources[0].bounds = {10, 20, 640, 480};
  Profile created;
  created.token = "rec-1";
  created.name = "Recorder";
  created.video_source = "VideoSourceConfig_1";
  created.video_encoder = "VideoEncoder_2";
  st.profiles.push_back(created);
  st.profiles[0].metadata = "MetadataConfig_1";
  st.next_profile_number = 7;

  state::Section s = encodeState(st);
  MediaState back = decodeState(cam, s);
  CHECK(back.video_encoders[0].resolution == Resolution{1280, 720});
  CHECK(back.video_encoders[0].framerate == 12);
  CHECK(back.video_sources[0].bounds == Rect{10, 20, 640, 480});
  REQUIRE(back.profiles.size() == 3);
  CHECK(back.profiles[2].token == "rec-1");
  CHECK_FALSE(back.profiles[2].fixed);
  CHECK(back.profiles[2].video_encoder == "VideoEncoder_2");
  CHECK(back.profiles[0].metadata == "MetadataConfig_1");
  CHECK(back.next_profile_number == 7);
  CHECK(encodeState(back) == s);

  // A value that no longer fits the camera falls back to the configured one;
  // a reference to a configuration that is gone is dropped.
  s["vec.VideoEncoder_1.resolution"] = "4000x3000";
  s["profile.rec-1.video_encoder"] = "VideoEncoder_9";
  MediaState stale = decodeState(cam, s);
  CHECK(stale.video_encoders[0].resolution == Resolution{1920, 1080});
  CHECK(stale.profiles[2].video_encoder.empty());
  CHECK(stale.profiles[2].video_source == "VideoSourceConfig_1");

  // Fixed profiles exist even if the stored list lost them.
  state::Section empty;
  state::setList(&empty, "profiles", {"rec-1"});
  MediaState fixed = decodeState(cam, empty);
  REQUIRE(fixed.profiles.size() == 3);
  CHECK(fixed.profiles[0].token == "Profile_1");
}

TEST_CASE("media OSD: defaults are filled in, values outside the options are ConfigModify") {
  Camera cam = defaultCamera();
  MediaState st = cam.initial;
  Osd o;
  o.video_source = "VideoSourceConfig_1";
  o.text_type = "DateAndTime";
  o.plain_text = "dropped";  // only a Plain OSD carries text
  REQUIRE(completeAndValidateOsd(st, &o).ok);
  CHECK(o.date_format == "yyyy-MM-dd");
  CHECK(o.time_format == "HH:mm:ss");
  CHECK(o.plain_text.empty());

  auto kind = [&](Osd x) { return completeAndValidateOsd(st, &x); };
  Osd bad = o;
  bad.video_source = "nope";
  CHECK(kind(bad).kind == soap::ErrorKind::NoConfig);
  bad = o;
  bad.text_type = "Image";
  CHECK(kind(bad).kind == soap::ErrorKind::ConfigModify);
  bad = o;
  bad.position = "Middle";
  CHECK(kind(bad).kind == soap::ErrorKind::ConfigModify);
  bad = o;
  bad.position = "Custom";
  bad.x = 1.5f;
  CHECK(kind(bad).kind == soap::ErrorKind::ConfigModify);
  bad.x = 0.5f;
  CHECK(kind(bad).ok);
  bad = o;
  bad.date_format = "yy.MM.dd";
  CHECK(kind(bad).kind == soap::ErrorKind::ConfigModify);
  bad = o;
  bad.text_type = "Plain";
  bad.plain_text = "line\nbreak";
  CHECK(kind(bad).kind == soap::ErrorKind::ConfigModify);
  bad.plain_text = std::string(kMaxOsdText + 1, 'x');
  CHECK(kind(bad).kind == soap::ErrorKind::ConfigModify);
  bad.plain_text =
      "Entr\xC3\xA9"
      "e 1";  // UTF-8 is fine
  CHECK(kind(bad).ok);
}

TEST_CASE("media OSD: stored OSDs come back; a temporary text is cleared; too many are dropped") {
  core::Config c = defaultConfig();
  c.media.osd_max = 2;
  Camera cam;
  std::string error;
  REQUIRE_MESSAGE(buildCamera(c.media, &cam, &error), error);
  MediaState st = cam.initial;
  Osd a;
  a.token = "OSD_1";
  a.video_source = "VideoSourceConfig_1";
  a.plain_text = "Gate = north # 1";
  a.position = "Custom";
  a.x = -0.25f;
  a.y = 0.75f;
  Osd b = a;
  b.token = "OSD_2";
  b.persistent_text = false;
  st.osds = {a, b};
  st.next_osd_number = 3;

  state::Section s = encodeState(st);
  MediaState back = decodeState(cam, s);
  REQUIRE(back.osds.size() == 2);
  CHECK(back.osds[0].plain_text == "Gate = north # 1");
  CHECK(back.osds[0].position == "Custom");
  CHECK(back.osds[0].x == doctest::Approx(-0.25));
  CHECK(back.osds[0].y == doctest::Approx(0.75));
  CHECK(back.osds[1].plain_text.empty());  // IsPersistentText=false: cleared at restart
  CHECK(back.next_osd_number == 3);

  c.media.osd_max = 1;  // the camera now allows fewer: the extra one goes
  REQUIRE(buildCamera(c.media, &cam, &error));
  CHECK(decodeState(cam, s).osds.size() == 1);
  s["osd.OSD_1.position"] = "Elsewhere";  // no longer valid: dropped, start-up goes on
  CHECK(decodeState(cam, s).osds.size() == 1);
  CHECK(decodeState(cam, s).osds[0].token == "OSD_2");
}

TEST_CASE("media model: validate, hook, store; a failing hook changes nothing") {
  state::SettingsStore store;  // in memory
  Camera cam = defaultCamera();
  bool hook_ok = true;
  std::vector<Change> seen;
  MediaModel model(cam, &store, [&](const Camera&, const Change& c) {
    seen.push_back(c);
    return hook_ok ? Status{} : Status::fail(soap::ErrorKind::ActionFailed, "no");
  });
  model.load();
  auto setFramerate = [&](int fps) {
    return model.update([&](MediaState& st, Change* change) {
      VideoEncoderConfig* c = st.findVideoEncoder("VideoEncoder_1");
      VideoEncoderConfig next = *c;
      next.framerate = fps;
      Status v = validateVideoEncoder(model.camera(), *c, &next);
      if (!v.ok) return v;
      *c = next;
      *change = describe(next);
      return Status{};
    });
  };
  REQUIRE(setFramerate(10).ok);
  CHECK(model.snapshot().findVideoEncoder("VideoEncoder_1")->framerate == 10);
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].what == "video-encoder");
  CHECK(seen[0].token == "VideoEncoder_1");
  CHECK(state::getString(store.get(kSettingsArea), "vec.VideoEncoder_1.framerate", "") == "10");

  hook_ok = false;
  Status failed = setFramerate(20);
  CHECK_FALSE(failed.ok);
  CHECK(failed.kind == soap::ErrorKind::ActionFailed);
  CHECK(model.snapshot().findVideoEncoder("VideoEncoder_1")->framerate == 10);
  CHECK(state::getString(store.get(kSettingsArea), "vec.VideoEncoder_1.framerate", "") == "10");

  hook_ok = true;
  std::size_t hooks = seen.size();
  Status invalid = setFramerate(99);
  CHECK(invalid.kind == soap::ErrorKind::ConfigModify);
  CHECK(seen.size() == hooks);  // never asked the hook about an invalid change

  // A second model on the same store starts from what was stored (restart).
  MediaModel restarted(cam, &store, [](const Camera&, const Change&) { return Status{}; });
  restarted.load();
  CHECK(restarted.snapshot().findVideoEncoder("VideoEncoder_1")->framerate == 10);
}

TEST_CASE("media model: replay hands the hook every configuration, then every profile, as stored") {
  state::SettingsStore store;  // in memory
  Camera cam = defaultCamera();
  std::vector<Change> seen;
  MediaModel model(cam, &store, [&](const Camera&, const Change& c) {
    seen.push_back(c);
    // The firmware refuses one call: replay goes on and counts it.
    return c.what == "metadata" ? Status::fail(soap::ErrorKind::ActionFailed, "no") : Status{};
  });
  model.load();
  CHECK(model.replay() == 1);
  std::vector<std::string> order;
  for (const Change& c : seen) order.push_back(c.what + " " + c.token);
  const MediaState st = model.snapshot();
  std::vector<std::string> expected;
  for (const auto& c : st.video_sources) expected.push_back("video-source " + c.token);
  for (const auto& c : st.video_encoders) expected.push_back("video-encoder " + c.token);
  for (const auto& c : st.audio_encoders) expected.push_back("audio-encoder " + c.token);
  for (const auto& c : st.metadata) expected.push_back("metadata " + c.token);
  for (const auto& p : st.profiles) expected.push_back("profile " + p.token);
  CHECK(order == expected);
  CHECK(order.front() == "video-source VideoSourceConfig_1");
  CHECK(order.back() == "profile " + st.profiles.back().token);
  CHECK(seen[1].args == describe(st.video_encoders.front()).args);
  CHECK(model.snapshot().findMetadata("MetadataConfig_1") != nullptr);  // a refusal changes nothing
}

TEST_CASE("run command: exit status, missing program, timeout") {
  CHECK(platform::runCommand({"/bin/true"}, 5000).ok);
  platform::CommandResult f = platform::runCommand({"/bin/false"}, 5000);
  CHECK_FALSE(f.ok);
  CHECK(f.problem.find("status 1") != std::string::npos);
  CHECK_FALSE(platform::runCommand({"/nonexistent/hook"}, 5000).ok);
  CHECK_FALSE(platform::runCommand({}, 5000).ok);
  platform::CommandResult slow = platform::runCommand({"/bin/sleep", "5"}, 100);
  CHECK_FALSE(slow.ok);
  CHECK(slow.problem.find("did not finish") != std::string::npos);
  // A timeout kills what the hook started, too (its process group): the
  // background sleep would otherwise live on for 5 s.
  test::TempDir dir;
  std::string pid_file = dir.path + "/pid";
  platform::CommandResult group =
      platform::runCommand({"/bin/sh", "-c", "sleep 5 & echo $! > " + pid_file + "; wait"}, 300);
  CHECK_FALSE(group.ok);
  std::ifstream in(pid_file);
  int pid = 0;
  REQUIRE((in >> pid));
  // Gone or a zombie awaiting its new parent, far sooner than 5 s.
  auto dead = [pid] {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    std::getline(stat, text);
    std::size_t paren = text.rfind(')');
    return text.empty() || (paren != std::string::npos && text.compare(paren + 2, 1, "Z") == 0);
  };
  for (int i = 0; i < 200 && !dead(); ++i) usleep(10000);
  CHECK(dead());
  // Arguments are passed as they are, no shell: a ';' is just a character.
  CHECK(platform::runCommand({"/bin/sh", "-c", "test \"$0\" = 'a;b'", "a;b"}, 5000).ok);
}
