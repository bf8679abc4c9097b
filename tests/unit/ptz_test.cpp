#include <doctest/doctest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "events/event_sink.hpp"
#include "ptz/head.hpp"
#include "ptz/ptz_model.hpp"
#include "state/settings_store.hpp"

using namespace onvif;
using namespace onvif::ptz;

TEST_CASE("ptz axis: a velocity moves the position over time and stops at the deadline") {
  Axis a(-1, 1, 0);
  a.velocity(10.0, 0.5, 12.0);
  CHECK(a.position(10.0) == doctest::Approx(0));
  CHECK(a.moving(11.0));
  CHECK(a.position(11.0) == doctest::Approx(0.5));
  CHECK(a.position(12.0) == doctest::Approx(1.0));
  CHECK_FALSE(a.moving(12.0));
  CHECK(a.position(20.0) == doctest::Approx(1.0));
}

TEST_CASE("ptz axis: a velocity stops at the limit, before the deadline") {
  Axis a(-1, 1, 0.5);
  a.velocity(0, 1, 100);
  CHECK(a.moving(0.4));
  CHECK(a.position(0.5) == doctest::Approx(1));
  CHECK_FALSE(a.moving(0.6));
  CHECK(a.position(50) == 1);
  a.velocity(50, -2, 100);  // back the other way from the limit
  CHECK(a.moving(50.1));
  CHECK(a.position(51) == -1);
  CHECK_FALSE(a.moving(51));
}

TEST_CASE("ptz axis: a target is reached at the speed and then the axis is idle") {
  Axis z(0, 1, 0);
  z.target(0, 0.8, 0.4);
  CHECK(z.moving(1));
  CHECK(z.position(1) == doctest::Approx(0.4));
  CHECK(z.moving(1.99));
  CHECK(z.position(2) == doctest::Approx(0.8));
  CHECK_FALSE(z.moving(2));
  z.target(3, -5, 1);  // clamped to the limit
  CHECK(z.position(3.5) == doctest::Approx(0.3));
  CHECK(z.position(4) == 0);
  CHECK_FALSE(z.moving(4));
}

TEST_CASE("ptz axis: stop freezes where it is; a new command starts from there") {
  Axis a(-1, 1, 0);
  a.velocity(0, 1, 10);
  a.stop(0.25);
  CHECK_FALSE(a.moving(0.3));
  CHECK(a.position(5) == doctest::Approx(0.25));
  a.target(5, -0.25, 0.5);
  CHECK(a.position(5.5) == doctest::Approx(0));
  CHECK(a.position(7) == doctest::Approx(-0.25));
  a.velocity(7, 0, 10);  // zero velocity: idle
  CHECK_FALSE(a.moving(7.1));
}

namespace {

struct Fixture {
  double now = 100;
  std::vector<std::vector<std::string>> calls;
  bool hook_ok = true;
  state::SettingsStore store;
  std::unique_ptr<PtzModel> model;

  explicit Fixture(core::PtzConfig c = {}) {
    c.enabled = true;
    c.hook_move = "/bin/true-move";
    Node node;
    std::string error;
    REQUIRE(buildNode(c, &node, &error));
    model = std::make_unique<PtzModel>(
        node, &store,
        [this](const std::vector<std::string>& argv, int, std::string*, std::string* error) {
          calls.push_back(argv);
          if (!hook_ok) *error = "refused";
          return hook_ok;
        },
        [this] { return now; });
  }
};

}  // namespace

TEST_CASE("ptz model: continuous move with a timeout, seen through status") {
  Fixture f;
  REQUIRE(f.model->continuousMove(Vec2{1, 0, ""}, std::nullopt, 1000).ok);
  CHECK(f.calls.back() ==
        std::vector<std::string>{"/bin/true-move", "PTZNode_1", "continuous", "1", "0", "-", "1000"});
  f.now += 0.5;
  Status s = f.model->status();
  CHECK(s.pan_tilt_moving);
  CHECK(s.position.pan == doctest::Approx(120.0 * 2 / 360 * 0.5));
  f.now += 1;
  s = f.model->status();
  CHECK_FALSE(s.pan_tilt_moving);
  CHECK(s.position.pan == doctest::Approx(120.0 * 2 / 360));
}

TEST_CASE("ptz model: a refused hook leaves the head where it was") {
  Fixture f;
  f.hook_ok = false;
  Result r = f.model->absoluteMove(Vec2{0.5, 0.5, ""}, Vec1{1, ""}, {});
  CHECK_FALSE(r.ok);
  CHECK(r.kind == soap::ErrorKind::ActionFailed);
  f.now += 5;
  CHECK(f.model->status().position.pan == 0);
  CHECK_FALSE(f.model->status().pan_tilt_moving);
}

TEST_CASE("ptz model: out-of-range requests name the spec's faults and change nothing") {
  Fixture f;
  CHECK(f.model->absoluteMove(Vec2{1.5, 0, ""}, std::nullopt, {}).kind == soap::ErrorKind::InvalidPosition);
  CHECK(f.model->relativeMove(Vec2{0, -1.5, ""}, std::nullopt, {}).kind ==
        soap::ErrorKind::InvalidTranslation);
  CHECK(f.model->continuousMove(std::nullopt, Vec1{2, ""}, std::nullopt).kind ==
        soap::ErrorKind::InvalidVelocity);
  CHECK(f.model->continuousMove(Vec2{0.1, 0, ""}, std::nullopt, 500).kind ==
        soap::ErrorKind::TimeoutNotSupported);
  Speed fast;
  fast.pan_tilt = Vec2{1.1, 0, ""};
  CHECK(f.model->absoluteMove(Vec2{0, 0, ""}, std::nullopt, fast).kind == soap::ErrorKind::InvalidSpeed);
  CHECK(f.model->absoluteMove(Vec2{0, 0, "urn:x"}, std::nullopt, {}).kind ==
        soap::ErrorKind::SpaceNotSupported);
  CHECK(f.calls.empty());
}

TEST_CASE("ptz model: presets are stored, limited, and survive a reload") {
  core::PtzConfig c;
  c.max_presets = 2;
  Fixture f(c);
  std::string a, b, d;
  std::string name = "Door";
  REQUIRE(f.model->absoluteMove(Vec2{0.5, -0.5, ""}, Vec1{0.25, ""}, {}).ok);
  f.now += 10;
  REQUIRE(f.model->setPreset(nullptr, &name, &a).ok);
  CHECK(f.model->setPreset(nullptr, &name, &b).kind == soap::ErrorKind::PresetExist);
  REQUIRE(f.model->setPreset(nullptr, nullptr, &b).ok);
  CHECK(f.model->setPreset(nullptr, nullptr, &d).kind == soap::ErrorKind::TooManyPresets);
  std::string missing = "Nope";
  CHECK(f.model->setPreset(&missing, nullptr, &d).kind == soap::ErrorKind::NoToken);

  Node node;
  std::string error;
  c.enabled = true;
  REQUIRE(buildNode(c, &node, &error));
  PtzModel again(node, &f.store, runPtzHook, [&] { return f.now; });
  again.load();
  auto presets = again.presets();
  REQUIRE(presets.size() == 2);
  CHECK(presets[0].token == a);
  CHECK(presets[0].name == "Door");
  CHECK(presets[0].position.pan == doctest::Approx(0.5));
  CHECK(presets[0].position.zoom == doctest::Approx(0.25));
}

TEST_CASE("ptz node: the FOV space is offered only with a field of view") {
  core::PtzConfig c;
  Node node;
  std::string error;
  REQUIRE(buildNode(c, &node, &error));
  CHECK(node.first(SpaceKind::RelativePanTilt)->uri == spaces::kPanTiltTranslationFov);
  c.fov_horizontal_deg = 0;
  REQUIRE(buildNode(c, &node, &error));
  CHECK(node.first(SpaceKind::RelativePanTilt)->uri == spaces::kPanTiltTranslationGeneric);
  c.home = "2,0,0";
  CHECK_FALSE(buildNode(c, &node, &error));
  CHECK(error.find("ptz.home") == 0);
}

namespace {

struct PresetEvents : events::EventSink {
  std::vector<events::EventMessage> got;
  void publish(const events::EventMessage& m) override { got.push_back(m); }
  // "Invoked Preset_1" for each event since the last call.
  std::vector<std::string> take() {
    std::vector<std::string> out;
    for (const auto& m : got)
      out.push_back(m.topic.substr(m.topic.rfind('/') + 1) + " " + m.data.at(0).value);
    got.clear();
    return out;
  }
};

using Seq = std::vector<std::string>;

}  // namespace

TEST_CASE("ptz preset events: Invoked, Reached at the arrival, Left when the head moves away") {
  Fixture f;
  PresetEvents ev;
  f.model->setEvents(&ev, false);
  std::string token, name = "Gate";
  REQUIRE(
      f.model
          ->absoluteMove(Vec2{0.5, 0, "http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace"},
                         std::nullopt, {})
          .ok);
  f.now += 60;
  REQUIRE(f.model->setPreset(nullptr, &name, &token).ok);
  REQUIRE(f.model->gotoHome({}).ok);  // home is no preset: no events
  f.now += 60;
  f.model->checkArrival();
  CHECK(ev.take().empty());

  REQUIRE(f.model->gotoPreset(token, {}).ok);
  REQUIRE(ev.got.size() == 1);
  const events::EventMessage m = ev.got[0];
  CHECK(m.topic == "tns1:PTZController/PTZPresets/Invoked");
  CHECK(m.operation == events::PropertyOperation::None);
  REQUIRE(m.source.size() == 1);
  CHECK(m.source[0].name == "PTZConfigurationToken");
  CHECK(m.source[0].value == "PTZConfig_1");
  REQUIRE(m.data.size() == 2);
  CHECK(m.data[0].name == "PresetToken");
  CHECK(m.data[0].value == token);
  CHECK(m.data[1].name == "PresetName");
  CHECK(m.data[1].value == "Gate");
  ev.got.clear();
  f.model->checkArrival();  // still on the way
  CHECK(ev.take().empty());
  f.now += 60;
  f.model->checkArrival();
  CHECK(ev.take() == Seq{"Reached " + token});
  f.model->checkArrival();                // once
  REQUIRE(f.model->stop(true, true).ok);  // standing still: not leaving
  CHECK(ev.take().empty());
  REQUIRE(f.model->continuousMove(Vec2{0.5, 0, ""}, std::nullopt, 1000).ok);
  CHECK(ev.take() == Seq{"Left " + token});
  f.now += 5;
  REQUIRE(f.model->stop(true, true).ok);
  CHECK(ev.take().empty());
}

TEST_CASE("ptz preset events: a Stop, a move or another GotoPreset before the arrival aborts") {
  Fixture f;
  PresetEvents ev;
  f.model->setEvents(&ev, false);
  std::string a, b;
  REQUIRE(f.model->setPreset(nullptr, nullptr, &a).ok);  // at 0,0
  REQUIRE(f.model
              ->absoluteMove(Vec2{1, 1, "http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace"},
                             std::nullopt, {})
              .ok);
  f.now += 60;
  REQUIRE(f.model->setPreset(nullptr, nullptr, &b).ok);  // at 1,1

  REQUIRE(f.model->gotoPreset(a, {}).ok);
  f.now += 0.1;
  REQUIRE(f.model->stop(true, true).ok);
  CHECK(ev.take() == Seq{"Invoked " + a, "Aborted " + a});
  f.now += 60;
  f.model->checkArrival();
  CHECK(ev.take().empty());

  REQUIRE(f.model->gotoPreset(a, {}).ok);
  REQUIRE(f.model->gotoPreset(b, {}).ok);
  CHECK(ev.take() == Seq{"Invoked " + a, "Aborted " + a, "Invoked " + b});
  REQUIRE(f.model
              ->relativeMove(
                  Vec2{-0.1, 0, "http://www.onvif.org/ver10/tptz/PanTiltSpaces/TranslationGenericSpace"},
                  std::nullopt, {})
              .ok);
  CHECK(ev.take() == Seq{"Aborted " + b});

  f.hook_ok = false;  // a refused command interrupts nothing
  REQUIRE(f.model->gotoPreset(a, {}).kind == soap::ErrorKind::ActionFailed);
  CHECK(ev.take().empty());
}

TEST_CASE("ptz preset events: position = reported follows what the firmware says") {
  core::PtzConfig c;
  c.position = "reported";
  Fixture f(c);
  PresetEvents ev;
  f.model->setEvents(&ev);  // no watcher with a reported position
  f.model->report({0.5, 0.5, 0}, false, false);
  std::string token;
  REQUIRE(f.model->setPreset(nullptr, nullptr, &token).ok);
  f.model->report({0, 0, 0}, false, false);
  REQUIRE(f.model->gotoPreset(token, {}).ok);
  f.model->report({0.2, 0.2, 0}, true, false);
  f.model->report({0.5, 0.5, 0}, true, false);  // there, but still moving
  CHECK(ev.take() == Seq{"Invoked " + token});
  f.model->report({0.5, 0.5, 0}, false, false);
  CHECK(ev.take() == Seq{"Reached " + token});
  REQUIRE(f.model->continuousMove(Vec2{0.5, 0, ""}, std::nullopt, 1000).ok);
  CHECK(ev.take().empty());  // the firmware has not said the head moved yet
  f.model->report({0.6, 0.5, 0}, true, false);
  CHECK(ev.take() == Seq{"Left " + token});
}

TEST_CASE("ptz preset events: the watcher publishes Reached on its own and joins at stop") {
  core::PtzConfig c;
  Node node;
  std::string error;
  c.enabled = true;
  REQUIRE(buildNode(c, &node, &error));
  state::SettingsStore store;
  PtzModel model(node, &store,
                 [](const std::vector<std::string>&, int, std::string*, std::string*) { return true; });
  struct Waiting : events::EventSink {
    std::mutex m;
    std::condition_variable cv;
    std::vector<std::string> topics;
    void publish(const events::EventMessage& e) override {
      std::lock_guard<std::mutex> lock(m);
      topics.push_back(e.topic);
      cv.notify_all();
    }
  } sink;
  model.setEvents(&sink);
  std::string token;
  REQUIRE(model.setPreset(nullptr, nullptr, &token).ok);  // at home: arrival at once
  Speed slow;
  REQUIRE(model
              .relativeMove(
                  Vec2{0.02, 0, "http://www.onvif.org/ver10/tptz/PanTiltSpaces/TranslationGenericSpace"},
                  std::nullopt, slow)
              .ok);
  REQUIRE(model.gotoPreset(token, {}).ok);
  std::unique_lock<std::mutex> lock(sink.m);
  CHECK(sink.cv.wait_for(lock, std::chrono::seconds(5), [&] { return sink.topics.size() >= 2; }));
  REQUIRE(sink.topics.size() >= 2);
  CHECK(sink.topics[0] == "tns1:PTZController/PTZPresets/Invoked");
  CHECK(sink.topics[1] == "tns1:PTZController/PTZPresets/Reached");
  lock.unlock();
  model.stopEvents();
}

TEST_CASE("ptz auxiliary: a real device without the hook offers no commands and refuses them") {
  core::Config c;
  std::string error;
  REQUIRE(core::loadConfig("", &c, &error));
  c.ptz.enabled = true;
  c.ptz.auxiliary_commands = {"tt:Wiper|On"};
  c.ptz.hook_auxiliary.clear();
  c.ptz.hook_move = "/bin/move";
  state::SettingsStore store;
  c.device.host = core::DeviceConfig::Host::Real;
  std::unique_ptr<PtzModel> real = setupPtz(c, &store, &error);
  REQUIRE(real);
  CHECK(real->node().auxiliaryCommands().empty());
  std::string response;
  CHECK(real->auxiliary("tt:Wiper|On", &response).kind == soap::ErrorKind::ActionNotSupported);
  CHECK(response.empty());
  // A simulated device records the declared commands; a hook makes a real one carry them out.
  c.device.host = core::DeviceConfig::Host::Simulated;
  std::unique_ptr<PtzModel> simulated = setupPtz(c, &store, &error);
  CHECK(simulated->node().auxiliaryCommands() == std::vector<std::string>{"tt:Wiper|On"});
  CHECK(simulated->auxiliary("tt:Wiper|On", &response).ok);
  CHECK(response == "tt:Wiper|On");
  CHECK(simulated->auxiliary("tt:Wiper|Off", &response).kind == soap::ErrorKind::AuxiliaryDataNotSupported);
  c.device.host = core::DeviceConfig::Host::Real;
  c.ptz.hook_auxiliary = "/bin/aux";
  std::unique_ptr<PtzModel> hooked = setupPtz(c, &store, &error);
  CHECK(hooked->node().auxiliaryCommands() == std::vector<std::string>{"tt:Wiper|On"});
  CHECK_FALSE(hooked->node().auxiliary_refused);
}

TEST_CASE("ptz node: a real device offers one only with hook_move, whatever reports the position") {
  core::Config c;
  std::string error;
  REQUIRE(core::loadConfig("", &c, &error));
  c.ptz.enabled = true;
  c.ptz.hook_move.clear();
  state::SettingsStore store;
  // The virtual camera simulates its head.
  CHECK(offersPtz(c));
  CHECK(setupPtz(c, &store, &error) != nullptr);
  // A real camera without hook_move: no node, and no error (the daemon starts without PTZ).
  c.device.host = core::DeviceConfig::Host::Real;
  CHECK_FALSE(offersPtz(c));
  error.clear();
  CHECK(setupPtz(c, &store, &error) == nullptr);
  CHECK(error.empty());
  // A reported position (hook_status) tells where the head is but cannot
  // move it: without hook_move that is a configuration error on any host.
  c.ptz.position = "reported";
  c.ptz.hook_status = "/bin/status";
  CHECK_FALSE(offersPtz(c));
  CHECK(setupPtz(c, &store, &error) == nullptr);
  CHECK(error.find("hook_move") != std::string::npos);
  c.ptz.position = "simulated";
  c.ptz.hook_status.clear();
  error.clear();
  // The [ptz] section is still checked.
  c.ptz.pan_min_deg = 10;
  c.ptz.pan_max_deg = -10;
  CHECK(setupPtz(c, &store, &error) == nullptr);
  CHECK_FALSE(error.empty());
  c.ptz.pan_min_deg = -180;
  c.ptz.pan_max_deg = 180;
  error.clear();
  // With the hook the node is there; disabled it never is.
  c.ptz.hook_move = "/bin/move";
  CHECK(offersPtz(c));
  CHECK(setupPtz(c, &store, &error) != nullptr);
  c.ptz.enabled = false;
  CHECK_FALSE(offersPtz(c));
}
