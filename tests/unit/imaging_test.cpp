#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "core/config.hpp"
#include "imaging/focus_motor.hpp"
#include "imaging/imaging_model.hpp"
#include "state/settings_store.hpp"

using namespace onvif;
using namespace onvif::imaging;
using std::chrono::milliseconds;

namespace {

core::Config configWith(const std::string& imaging_overrides) {
  core::Config c;
  std::string error;
  REQUIRE(core::loadConfig("", &c, &error));
  REQUIRE_MESSAGE(core::parseConfig("[imaging]\n" + imaging_overrides, "t.conf", &c, &error), error);
  return c;
}

Description describe(const std::string& overrides = "") {
  Description d;
  std::string error;
  REQUIRE_MESSAGE(buildDescription(configWith(overrides), &d, &error), error);
  return d;
}

std::string buildError(const std::string& overrides) {
  Description d;
  std::string error;
  CHECK_FALSE(buildDescription(configWith(overrides), &d, &error));
  return error;
}

}  // namespace

TEST_CASE("imaging: the default camera offers every parameter with its current value") {
  Description d = describe();
  CHECK(d.video_source == "VideoSource_1");
  CHECK(d.ranges.at("brightness").max == 100);
  CHECK(d.initial.levels.at("brightness") == 50);
  CHECK(d.initial.modes.at("ir_cut_filter") == "AUTO");
  CHECK(d.offersMode("focus", "MANUAL"));
  CHECK(d.absolute);
  CHECK(d.continuous);
}

TEST_CASE("imaging: configurations that do not fit together are refused, naming the key") {
  CHECK(buildError("brightness = 150\n").find("imaging.brightness") == 0);
  CHECK(buildError("ir_cut_filter_modes = ON, SOMETIMES\n").find("SOMETIMES") != std::string::npos);
  CHECK(buildError("ir_cut_filter = AUTO\nir_cut_filter_modes = ON, OFF\n").find("imaging.ir_cut_filter") == 0);
  // A level whose mode cannot enable it (Imaging test spec, GetOptions consistency).
  CHECK(buildError("white_balance_modes = AUTO\nwhite_balance = AUTO\n").find("white_balance_cr_gain") !=
        std::string::npos);
  CHECK(buildError("focus_modes = AUTO\nfocus = AUTO\nfocus_default_speed_range =\n").find("focus_move") !=
        std::string::npos);
  core::Config c;
  std::string error;
  CHECK_FALSE(core::parseConfig("[imaging]\nbrightness_range = 10-5\n", "t.conf", &c, &error));
  CHECK_FALSE(core::parseConfig("[imaging]\nfocus_move = sideways\n", "t.conf", &c, &error));
}

TEST_CASE("imaging: partial updates are validated whole and merged over the current settings") {
  Description d = describe();
  Settings partial{{{"brightness", 20}}, {{"ir_cut_filter", "OFF"}}};
  CHECK(validate(d, partial).ok);
  Settings next = merged(d.initial, partial);
  CHECK(next.levels.at("brightness") == 20);
  CHECK(next.levels.at("contrast") == 50);
  CHECK(next.modes.at("ir_cut_filter") == "OFF");
  CHECK(next.modes.at("focus") == "AUTO");
  Status st = validate(d, Settings{{{"brightness", 101}}, {}});
  CHECK_FALSE(st.ok);
  CHECK(st.kind == soap::ErrorKind::SettingsInvalid);
  CHECK_FALSE(validate(d, Settings{{}, {{"focus", "SOMETIMES"}}}).ok);
  CHECK_FALSE(validate(describe("sharpness_range =\n"), Settings{{{"sharpness", 1}}, {}}).ok);
}

TEST_CASE("imaging: the model stores accepted settings and keeps them on a failing hook") {
  state::SettingsStore store;
  bool refuse = false;
  int calls = 0;
  ImagingModel model(describe(), &store, [&](const Description&, const Settings&) {
    ++calls;
    return refuse ? Status::fail(soap::ErrorKind::ActionFailed) : Status{};
  });
  CHECK(model.set(Settings{{{"contrast", 10}}, {}}).ok);
  CHECK(store.get(kSettingsArea).at("level.contrast") == "10");
  refuse = true;
  CHECK_FALSE(model.set(Settings{{{"contrast", 90}}, {}}).ok);
  CHECK(model.settings().levels.at("contrast") == 10);
  CHECK_FALSE(model.set(Settings{{{"contrast", 900}}, {}}).ok);
  CHECK(calls == 2);  // an invalid request never reaches the hook
  // Reloaded from the store; stale values fall back to the description.
  state::Section stored = store.get(kSettingsArea);
  stored["level.brightness"] = "500";
  stored["mode.focus"] = "SOMETIMES";
  Settings decoded = decode(model.description(), stored);
  CHECK(decoded.levels.at("contrast") == 10);
  CHECK(decoded.levels.at("brightness") == 50);
  CHECK(decoded.modes.at("focus") == "AUTO");
}

TEST_CASE("imaging: a focus move turns autofocus off and is checked against the move options") {
  ImagingModel model(describe(), nullptr, [](const Description&, const Settings&) { return Status{}; });
  CHECK(model.move(MoveKind::Absolute, 0.8f, 1.0f).ok);
  CHECK(model.settings().modes.at("focus") == "MANUAL");
  CHECK(model.move(MoveKind::Absolute, 1.5f, std::nullopt).kind == soap::ErrorKind::SettingsInvalid);
  CHECK_FALSE(model.move(MoveKind::Relative, 0.1f, 7.0f).ok);
  CHECK_FALSE(model.move(MoveKind::Continuous, -2.0f, std::nullopt).ok);
  ImagingModel fixed(describe("focus_move =\n"), nullptr);
  CHECK(fixed.move(MoveKind::Absolute, 0.5f, std::nullopt).kind == soap::ErrorKind::ActionNotSupported);
}

TEST_CASE("focus motor: position follows the time since the move, MOVING until it arrives") {
  FocusMotor motor(0, 1, 0.5f);
  auto t0 = FocusMotor::Clock::time_point{} + std::chrono::hours(1);
  CHECK_FALSE(motor.state(t0).moving);
  motor.moveTo(0.9f, 0.5f, t0);
  FocusState mid = motor.state(t0 + milliseconds(400));
  CHECK(mid.moving);
  CHECK(mid.position == doctest::Approx(0.7));
  FocusState end = motor.state(t0 + milliseconds(2000));
  CHECK_FALSE(end.moving);
  CHECK(end.position == doctest::Approx(0.9));
  // Continuous until Stop, then still; never past the end of the range.
  motor.moveContinuous(-0.25f, t0 + milliseconds(2000));
  motor.stop(t0 + milliseconds(3000));
  FocusState stopped = motor.state(t0 + milliseconds(9000));
  CHECK_FALSE(stopped.moving);
  CHECK(stopped.position == doctest::Approx(0.65));
  motor.moveContinuous(1.0f, t0 + milliseconds(9000));
  CHECK(motor.state(t0 + milliseconds(20000)).position == doctest::Approx(1.0));
  CHECK_FALSE(motor.state(t0 + milliseconds(20000)).moving);
  // A target beyond the range is clamped to it.
  motor.moveTo(-3, 1, t0 + milliseconds(20000));
  CHECK(motor.state(t0 + milliseconds(30000)).position == doctest::Approx(0.0));
}
