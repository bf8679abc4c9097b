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
  CHECK(buildError("ir_cut_filter = AUTO\nir_cut_filter_modes = ON, OFF\n").find("imaging.ir_cut_filter") ==
        0);
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

TEST_CASE("imaging: IR-cut filter AUTO adjustment: options, validation, replace, persistence") {
  Description d = describe();
  CHECK(d.ir_cut_auto.boundary_types == std::vector<std::string>{"Common", "ToOn", "ToOff"});
  CHECK(d.ir_cut_auto.offset);
  REQUIRE(d.ir_cut_auto.response_ms);
  CHECK(d.ir_cut_auto.response_ms->first == 0);
  CHECK(d.ir_cut_auto.response_ms->second == 60000);
  REQUIRE(d.initial.ir_cut_auto);
  REQUIRE(d.initial.ir_cut_auto->size() == 1);
  CHECK(d.initial.ir_cut_auto->at(0) == IrCutAutoAdjustment{"Common", 0.0f, 5000});

  using List = std::vector<IrCutAutoAdjustment>;
  auto with = [](List list) {
    Settings s;
    s.ir_cut_auto = std::move(list);
    return s;
  };
  CHECK(validate(d, with({{"ToOn", -0.5f, 1500}, {"ToOff", std::nullopt, std::nullopt}})).ok);
  CHECK_FALSE(validate(d, with({{"Sideways", std::nullopt, std::nullopt}})).ok);
  CHECK_FALSE(validate(d, with({{"ToOn", 1.5f, std::nullopt}})).ok);
  CHECK_FALSE(validate(d, with({{"ToOn", std::nullopt, 61000}})).ok);
  CHECK_FALSE(validate(d, with({{"ToOn", std::nullopt, -1}})).ok);  // no duration on the wire
  CHECK_FALSE(validate(d, with({{"ToOn", std::nullopt, std::nullopt}, {"ToOn", 0.1f, std::nullopt}})).ok);
  Description plain = describe(
      "ir_cut_auto_boundary_offset = false\nir_cut_auto_response_time_range =\n"
      "ir_cut_auto_adjustment = Common::\n");
  CHECK_FALSE(validate(plain, with({{"Common", 0.2f, std::nullopt}})).ok);
  CHECK_FALSE(validate(plain, with({{"Common", std::nullopt, 1000}})).ok);
  Description none = describe("ir_cut_auto_boundary_types =\nir_cut_auto_adjustment =\n");
  CHECK_FALSE(none.initial.ir_cut_auto);
  CHECK_FALSE(validate(none, with({{"Common", std::nullopt, std::nullopt}})).ok);

  // A request's list replaces the current one; persisted and read back.
  state::SettingsStore store;
  ImagingModel model(d, &store, [](const Description&, const Settings&) { return Status{}; });
  REQUIRE(model.set(with({{"ToOn", -0.5f, 1500}, {"ToOff", std::nullopt, std::nullopt}})).ok);
  CHECK(model.set(Settings{{{"brightness", 40}}, {}}).ok);  // leaves the adjustment alone
  CHECK(model.settings().ir_cut_auto == List{{"ToOn", -0.5f, 1500}, {"ToOff", std::nullopt, std::nullopt}});
  ImagingModel again(d, &store, [](const Description&, const Settings&) { return Status{}; });
  again.load();
  CHECK(again.settings().ir_cut_auto == List{{"ToOn", -0.5f, 1500}, {"ToOff", std::nullopt, std::nullopt}});
  state::Section stale = store.get(kSettingsArea);
  stale["ir_cut_auto"] = "ToOn:7:";
  CHECK(decode(d, stale).ir_cut_auto == d.initial.ir_cut_auto);

  CHECK(durationText(5000) == "PT5S");
  CHECK(durationText(1500) == "PT1.5S");
  CHECK(durationText(250) == "PT0.25S");
  CHECK(
      buildError("ir_cut_filter = ON\nir_cut_filter_modes = ON, OFF\n").find("ir_cut_auto_boundary_types") !=
      std::string::npos);
  CHECK(buildError("ir_cut_auto_adjustment = Common:3:\n").find("imaging.ir_cut_auto_adjustment") == 0);
  CHECK(buildError("ir_cut_auto_adjustment = Common:0:90\n").find("ResponseTime") != std::string::npos);
}

TEST_CASE("imaging: presets are applied as partial updates and current while the settings match") {
  Description d = describe();
  REQUIRE(d.presets.size() == 3);
  CHECK(d.presets[1].token == "ImagingPreset_Night");
  CHECK(d.presets[1].type == "Night");
  CHECK(d.presets[1].settings.modes.at("ir_cut_filter") == "OFF");
  state::SettingsStore store;
  std::vector<Settings> applied;
  ImagingModel model(d, &store, [&](const Description&, const Settings& s) {
    applied.push_back(s);
    return Status{};
  });
  CHECK(model.currentPreset() == nullptr);
  CHECK(model.applyPreset("ImagingPreset_Nowhere").kind == soap::ErrorKind::NoToken);
  REQUIRE(model.applyPreset("ImagingPreset_Night").ok);
  REQUIRE(applied.size() == 1);  // through the apply hook like any change
  CHECK(model.settings().modes.at("ir_cut_filter") == "OFF");
  CHECK(model.settings().levels.at("brightness") == 65);
  CHECK(model.settings().levels.at("sharpness") == 50);  // not part of the preset
  REQUIRE(model.currentPreset() != nullptr);
  CHECK(model.currentPreset()->token == "ImagingPreset_Night");
  CHECK(model.set(Settings{{{"sharpness", 20}}, {}}).ok);  // a setting the preset leaves alone
  CHECK(model.currentPreset() != nullptr);
  ImagingModel again(d, &store, [](const Description&, const Settings&) { return Status{}; });
  again.load();
  REQUIRE(again.currentPreset() != nullptr);  // remembered across a restart
  CHECK(again.currentPreset()->token == "ImagingPreset_Night");
  CHECK(model.set(Settings{{{"brightness", 20}}, {}}).ok);  // one it made
  CHECK(model.currentPreset() == nullptr);

  CHECK(buildError("preset1.type = Sunny\n").find("imaging.preset1.type") == 0);
  CHECK(buildError("preset2.settings = brightness=500\n").find("imaging.preset2.settings") == 0);
  CHECK(buildError("preset2.settings = focus=SOMETIMES\n").find("imaging.preset2.settings") == 0);
  CHECK(buildError("preset2.token = ImagingPreset_Day\n").find("used twice") != std::string::npos);
  CHECK(describe("preset1.token =\npreset2.token =\npreset3.token =\n").presets.empty());
  core::Config c;
  std::string error;
  CHECK_FALSE(core::parseConfig("[imaging]\npreset1.settings = brightness\n", "t.conf", &c, &error));
}
