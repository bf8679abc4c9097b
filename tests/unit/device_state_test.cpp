// The device service's model: scopes (Fixed vs Configurable, from the
// configuration and the store), discovery notification, time settings.
#include "services/device_state.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "core/config.hpp"
#include "daemon/request_context.hpp"
#include "discovery/discovery_view.hpp"
#include "state/settings_store.hpp"

using namespace onvif;
namespace dev = onvif::services::device;

namespace {

struct CountingNotifier : discovery::DiscoveryNotifier {
  int calls = 0;
  void changed() override { ++calls; }
};

struct Fixture {
  core::Config config;
  state::SettingsStore store;  // in memory
  daemon::DaemonState daemon;
  daemon::DeviceClock clock;
  discovery::DiscoveryView view;
  CountingNotifier notifier;
  Fixture() {
    std::string error;
    REQUIRE(core::loadConfig("", &config, &error));
    daemon.config = &config;
    daemon.settings = &store;
    daemon.discovery = &notifier;
    daemon.clock = &clock;
    daemon.discovery_view = &view;
  }
};

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TEST_CASE("device scopes: name and location configurable by default, fixed on request") {
  Fixture f;
  f.config.device.location = "city/Berlin";
  dev::Scopes s = dev::currentScopes(f.daemon);
  CHECK(has(s.fixed, "onvif://www.onvif.org/Profile/S"));
  CHECK(has(s.fixed, "onvif://www.onvif.org/hardware/virtual-1"));
  CHECK(s.configurable == std::vector<std::string>{"onvif://www.onvif.org/name/Virtual%20Camera",
                                                   "onvif://www.onvif.org/location/city%2FBerlin"});
  f.config.device.name_location_fixed = true;
  f.config.device.extra_scopes = {"urn:x"};
  s = dev::currentScopes(f.daemon);
  CHECK(s.configurable.empty());
  CHECK(has(s.fixed, "onvif://www.onvif.org/name/Virtual%20Camera"));
  CHECK(s.fixed.back() == "urn:x");
}

TEST_CASE("device scopes: a stored list replaces the configurable defaults, even when empty") {
  Fixture f;
  state::Section area;
  area["scopes.set"] = "true";
  state::setList(&area, "scope", {});
  std::string error;
  REQUIRE(f.store.put(dev::kSystemArea, area, &error));
  CHECK(dev::currentScopes(f.daemon).configurable.empty());
  CHECK_FALSE(dev::currentScopes(f.daemon).fixed.empty());
}

TEST_CASE("device setup: publishes scopes and mode; changes notify discovery once") {
  Fixture f;
  dev::setupDevice(&f.daemon);
  CHECK(f.view.discoverable());
  CHECK(f.view.scopes() == dev::currentScopes(f.daemon).all());
  int after_setup = f.notifier.calls;
  dev::publishDiscovery(f.daemon);  // nothing changed: no Hello
  CHECK(f.notifier.calls == after_setup);
  state::Section area = f.store.get(dev::kSystemArea);
  area["discovery_mode"] = "NonDiscoverable";
  std::string error;
  REQUIRE(f.store.put(dev::kSystemArea, area, &error));
  dev::publishDiscovery(f.daemon);
  CHECK_FALSE(f.view.discoverable());
  CHECK(f.notifier.calls == after_setup + 1);
}

TEST_CASE("device setup: restores the manual clock offset, not in NTP mode") {
  Fixture f;
  state::Section area;
  area["time.mode"] = "Manual";
  area["time.offset_s"] = "3600";
  std::string error;
  REQUIRE(f.store.put(dev::kSystemArea, area, &error));
  dev::setupDevice(&f.daemon);
  CHECK(f.clock.offsetSeconds() == 3600);
  area["time.mode"] = "NTP";
  REQUIRE(f.store.put(dev::kSystemArea, area, &error));
  dev::setupDevice(&f.daemon);
  CHECK(f.clock.offsetSeconds() == 0);
  CHECK(dev::timeSettings(f.daemon).tz == "UTC0");
  CHECK(dev::timeSettings(f.daemon).ntp);
}

TEST_CASE("device hooks: none configured records; a failing one reports failure") {
  Fixture f;
  CHECK(dev::runHook(f.daemon, "", "test", {"a"}));
  CHECK_FALSE(dev::runHook(f.daemon, "/bin/false", "test", {}));
  std::string out;
  CHECK(dev::runHook(f.daemon, "/bin/echo", "test", {"hello", "world"}, &out));
  CHECK(out == "hello world\n");
}

TEST_CASE("device config: hooks must be absolute, TZ and scopes must parse") {
  core::Config c;
  std::string error;
  REQUIRE(core::loadConfig("", &c, &error));
  CHECK(core::parseConfig("[device]\nhook_clock = /usr/local/bin/set-clock\n", "t", &c, &error));
  CHECK(c.device.hook_clock == "/usr/local/bin/set-clock");
  CHECK_FALSE(core::parseConfig("[device]\nhook_clock = set-clock\n", "t", &c, &error));
  CHECK(error.find("absolute path") != std::string::npos);
  CHECK(core::parseConfig("[device]\ntimezone = CET-1CEST,M3.5.0,M10.5.0/3\n", "t", &c, &error));
  CHECK_FALSE(core::parseConfig("[device]\ntimezone = Europe/Berlin\n", "t", &c, &error));
  CHECK(core::parseConfig("[device]\nextra_scopes = urn:a, onvif://www.onvif.org/x\n", "t", &c, &error));
  CHECK(c.device.extra_scopes.size() == 2);
  CHECK_FALSE(core::parseConfig("[device]\nextra_scopes = not a scope\n", "t", &c, &error));
  CHECK(core::parseConfig("[device]\nrelay_outputs = r1, r2\n", "t", &c, &error));
  CHECK(c.device.relay_outputs == std::vector<std::string>{"r1", "r2"});
}
