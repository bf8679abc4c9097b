#include <doctest/doctest.h>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/config.hpp"
#include "events/event_sink.hpp"
#include "io/io_model.hpp"
#include "state/settings_store.hpp"

using namespace onvif;

namespace {

core::Config ioConfig() {
  core::Config c;
  std::string error;
  REQUIRE(core::loadConfig("", &c, &error));
  REQUIRE(
      core::parseConfig("[device]\nrelay_outputs = r1, r2\nhook_relay = /bin/relay\n"
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
  CHECK(model.setRelaySettings("r1", io::RelaySettings{true, "PT48H", false}).kind ==
        soap::ErrorKind::ModeError);
  io::IoModel reloaded(ioConfig(), &store, nullptr);
  reloaded.load();
  CHECK(reloaded.relays()[1].settings == io::RelaySettings{true, "PT1.5S", true});
  CHECK(reloaded.relays()[0].settings == io::RelaySettings{});
}

TEST_CASE("io: relay settings the device area kept before are still read") {
  state::SettingsStore store;
  std::string error;
  REQUIRE(store.put(
      "device", {{"relay_r1.mode", "Monostable"}, {"relay_r1.delay", "PT3S"}, {"relay_r1.idle", "closed"}},
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

namespace {

// Events and hook calls from the model's timer thread too.
struct LockedLog : events::EventSink {
  std::mutex mutex;
  std::vector<std::string> states;  // LogicalState of each Trigger event
  std::vector<std::vector<std::string>> calls;
  void publish(const events::EventMessage& m) override {
    std::lock_guard<std::mutex> lock(mutex);
    states.push_back(m.data[0].value);
  }
  bool hook(const std::vector<std::string>& argv) {
    std::lock_guard<std::mutex> lock(mutex);
    calls.push_back(argv);
    return true;
  }
  size_t eventCount() {
    std::lock_guard<std::mutex> lock(mutex);
    return states.size();
  }
};

bool waitInactive(const io::IoModel& model, int ms) {
  for (int i = 0; i < ms / 5 && model.relays()[0].active; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return !model.relays()[0].active;
}

}  // namespace

TEST_CASE("io: a Monostable relay set active returns to inactive after its DelayTime, through the hook") {
  LockedLog log;
  io::IoModel model(ioConfig(), nullptr,
                    [&](const std::vector<std::string>& argv) { return log.hook(argv); });
  model.setEvents(&log);
  REQUIRE(model.setRelaySettings("r1", io::RelaySettings{true, "PT0.1S", false}).ok);
  auto start = std::chrono::steady_clock::now();
  REQUIRE(model.setRelayState("r1", true).ok);
  CHECK(model.relays()[0].active);
  REQUIRE(waitInactive(model, 3000));
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(100));
  std::lock_guard<std::mutex> lock(log.mutex);
  CHECK(log.states == std::vector<std::string>{"active", "inactive"});
  REQUIRE(log.calls.size() == 2);
  CHECK(log.calls[1] ==
        std::vector<std::string>{"/bin/relay", "r1", "inactive", "Monostable", "100", "open"});
}

TEST_CASE("io: setting a Monostable relay again restarts its delay; setting it inactive ends the wait") {
  LockedLog log;
  io::IoModel model(ioConfig(), nullptr,
                    [&](const std::vector<std::string>& argv) { return log.hook(argv); });
  model.setEvents(&log);
  REQUIRE(model.setRelaySettings("r1", io::RelaySettings{true, "PT0.3S", false}).ok);
  auto start = std::chrono::steady_clock::now();
  REQUIRE(model.setRelayState("r1", true).ok);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  REQUIRE(model.setRelayState("r1", true).ok);  // counts again from here
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(model.relays()[0].active);  // 400 ms after the first set
  REQUIRE(waitInactive(model, 3000));
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(500));
  CHECK(log.eventCount() == 2);
  REQUIRE(model.setRelayState("r1", true).ok);
  REQUIRE(model.setRelayState("r1", false).ok);
  std::this_thread::sleep_for(std::chrono::milliseconds(450));
  std::lock_guard<std::mutex> lock(log.mutex);
  CHECK(log.states == std::vector<std::string>{"active", "inactive", "active", "inactive"});
  CHECK(log.calls.size() == 5);  // no hook run for a cancelled return
}

TEST_CASE(
    "io: the logical state is stored; a Bistable relay is set again at start-up, a Monostable one starts "
    "idle") {
  state::SettingsStore store;
  {
    io::IoModel model(ioConfig(), &store, [](const std::vector<std::string>&) { return true; });
    REQUIRE(model.setRelaySettings("r2", io::RelaySettings{true, "PT1H", false}).ok);
    REQUIRE(model.setRelayState("r1", true).ok);
    REQUIRE(model.setRelayState("r2", true).ok);
  }  // destroyed with r2's return pending: nothing runs after
  std::vector<std::vector<std::string>> calls;
  io::IoModel reloaded(ioConfig(), &store, [&](const std::vector<std::string>& argv) {
    calls.push_back(argv);
    return true;
  });
  reloaded.load();
  CHECK(reloaded.relays()[0].active);
  CHECK_FALSE(reloaded.relays()[1].active);
  CHECK(calls ==
        std::vector<std::vector<std::string>>{{"/bin/relay", "r1", "active", "Bistable", "0", "open"}});
  Recorder events;
  reloaded.setEvents(&events);  // the restored state is published
  REQUIRE(events.got.size() == 1);
  CHECK(events.got[0].data[0].value == "active");
  // A failing hook at start-up leaves the relay inactive.
  io::IoModel failing(ioConfig(), &store, [](const std::vector<std::string>&) { return false; });
  failing.load();
  CHECK_FALSE(failing.relays()[0].active);
}

TEST_CASE("io: a real device without hook_relay lists no relays, refuses them and changes nothing") {
  state::SettingsStore store;
  {  // what a simulated run stored: r1 Bistable active, r2 Monostable
    io::IoModel model(ioConfig(), &store, [](const std::vector<std::string>&) { return true; });
    REQUIRE(model.setRelaySettings("r2", io::RelaySettings{true, "PT0.1S", false}).ok);
    REQUIRE(model.setRelayState("r1", true).ok);
  }
  const state::Section stored = store.get(io::kSettingsArea);
  core::Config c = ioConfig();
  c.device.hook_relay.clear();
  c.device.host = core::DeviceConfig::Host::Real;
  std::vector<std::vector<std::string>> calls;
  io::IoModel model(c, &store, [&](const std::vector<std::string>& argv) {
    calls.push_back(argv);
    return true;
  });
  model.load();  // no Bistable restore: nothing could drive it
  Recorder events;
  model.setEvents(&events);
  CHECK(model.relays().empty());
  CHECK_FALSE(model.hasRelay("r1"));
  for (const char* token : {"r1", "r2", "nope"}) {
    CAPTURE(token);
    CHECK(model.setRelayState(token, true).kind == soap::ErrorKind::ActionNotSupported);
    CHECK(model.setRelaySettings(token, io::RelaySettings{true, "PT1S", true}).kind ==
          soap::ErrorKind::ActionNotSupported);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(150));  // past r2's delay: no return ran
  CHECK(calls.empty());
  CHECK(events.got.empty());
  CHECK(store.get(io::kSettingsArea) == stored);
  // Digital inputs still work, and keep the relays' stored state as it was.
  REQUIRE(model.setInputs({{"in1", true}}).ok);
  CHECK(calls == std::vector<std::vector<std::string>>{{"/bin/input", "in1", "closed"}});
  calls.clear();
  state::Section after = store.get(io::kSettingsArea);
  CHECK(after["relay.r1.state"] == "active");
  CHECK(after["relay.r2.mode"] == "Monostable");
  // The same configuration on a simulated device records the relays.
  c.device.host = core::DeviceConfig::Host::Simulated;
  io::IoModel simulated(c, &store, [&](const std::vector<std::string>& argv) {
    calls.push_back(argv);
    return true;
  });
  simulated.load();
  CHECK(simulated.relays().size() == 2);
  CHECK(simulated.relays()[0].active);
  CHECK(simulated.setRelayState("r1", false).ok);
  CHECK(calls.empty());  // no hook: recorded only
}
