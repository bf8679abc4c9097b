#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/config.hpp"
#include "io/io_model.hpp"
#include "events/event_sink.hpp"
#include "state/settings_store.hpp"

using namespace onvif;

namespace {

core::Config ioConfig() {
  core::Config c;
  std::string error;
  REQUIRE(core::loadConfig("", &c, &error));
  REQUIRE(core::parseConfig("[device]\nrelay_outputs = r1, r2\nhook_relay = /bin/relay\n"
                            "hook_digital_input = /bin/input\n[events]\ndigital_inputs = in1, in2\n",
                            "t", &c, &error));
  return c;
}

struct Recorder : events::EventSink {
  std::vector<events::EventMessage> got;
  void publish(const events::EventMessage& m) override { got.push_back(m); }
};

}  // namespace

TEST_CASE("io: relay settings are validated, stored, and read back after a restart") {
  state::SettingsStore store;
  io::IoModel model(ioConfig(), &store, [](const std::vector<std::string>&) { return true; });
  CHECK(model.setRelaySettings("r2", io::RelaySettings{true, "PT1.5S", true}).ok);
  CHECK(model.setRelaySettings("nope", {}).kind == soap::ErrorKind::RelayToken);
  CHECK(model.setRelaySettings("r1", io::RelaySettings{true, "PT48H", false}).kind == soap::ErrorKind::ModeError);
  io::IoModel reloaded(ioConfig(), &store, nullptr);
  reloaded.load();
  CHECK(reloaded.relays()[1].settings == io::RelaySettings{true, "PT1.5S", true});
  CHECK(reloaded.relays()[0].settings == io::RelaySettings{});
}

TEST_CASE("io: relay settings the device area kept before are still read") {
  state::SettingsStore store;
  std::string error;
  REQUIRE(store.put("device", {{"relay_r1.mode", "Monostable"}, {"relay_r1.delay", "PT3S"}, {"relay_r1.idle", "closed"}},
                    &error));
  io::IoModel model(ioConfig(), &store, nullptr);
  model.load();
  CHECK(model.relays()[0].settings == io::RelaySettings{true, "PT3S", true});
}

TEST_CASE("io: a relay state change runs the hook, then raises the Trigger event once") {
  std::vector<std::vector<std::string>> calls;
  bool ok = true;
  io::IoModel model(ioConfig(), nullptr, [&](const std::vector<std::string>& argv) {
    calls.push_back(argv);
    return ok;
  });
  Recorder events;
  model.setEvents(&events);
  CHECK(model.setRelayState("r1", true).ok);
  CHECK(model.setRelayState("r1", true).ok);  // no change: no second event
  REQUIRE(calls.size() == 2);
  CHECK(calls[0] == std::vector<std::string>{"/bin/relay", "r1", "active", "Bistable", "0", "open"});
  REQUIRE(events.got.size() == 1);
  CHECK(events.got[0].topic == "tns1:Device/Trigger/Relay");
  CHECK(events.got[0].data[0].value == "active");
  ok = false;
  CHECK(model.setRelayState("r1", false).kind == soap::ErrorKind::ActionFailed);
  CHECK(model.relays()[0].active);
  CHECK(events.got.size() == 1);
}

TEST_CASE("io: digital input configurations are all or none") {
  state::SettingsStore store;
  io::IoModel model(ioConfig(), &store, [](const std::vector<std::string>&) { return true; });
  CHECK(model.setInputs({{"in1", true}, {"nope", true}}).kind == soap::ErrorKind::NoConfig);
  CHECK_FALSE(model.inputs()[0].idle_closed);
  CHECK(model.setInputs({{"in2", true}}).ok);
  CHECK(model.inputs()[1].idle_closed);
  io::IoModel reloaded(ioConfig(), &store, nullptr);
  reloaded.load();
  CHECK(reloaded.inputs()[1].idle_closed);
}
