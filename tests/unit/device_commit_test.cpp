// Host-changing device operations: all or nothing (the hook is the last
// fallible step, or what was done before it is undone), and the choice
// between a simulated device (recorded) and a real one (refused without a
// hook). The handlers are called directly on a gSOAP context of their own;
// failures are injected through hooks that fail and a settings file that
// cannot be replaced.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "daemon/request_context.hpp"
#include "gsoap_onvifH.h"
#include "services/device_state.hpp"
#include "soap/soap_context.hpp"
#include "state/identity.hpp"
#include "state/settings_store.hpp"
#include "test_support.hpp"
#include "transport/network_protocols.hpp"

using namespace onvif;
namespace dev = onvif::services::device;

namespace {

struct Dir : test::TempDir {
  // An executable script that leaves `mark` behind when it runs.
  std::string hook(const std::string& name, const std::string& body) const {
    std::string p = path + "/" + name;
    std::ofstream(p) << "#!/bin/sh\ntouch '" << mark() << "'\n" << body << "\n";
    chmod(p.c_str(), 0755);
    return p;
  }
  std::string mark() const { return path + "/hook-ran"; }
  bool hookRan() const { return access(mark().c_str(), F_OK) == 0; }
  // The settings file can no longer be replaced: its temporary is a folder.
  void breakStore() const { REQUIRE(mkdir((path + "/settings.tmp").c_str(), 0700) == 0); }
};

struct Fixture {
  Dir dir;
  core::Config config;
  state::SettingsStore store{dir.path + "/settings"};
  daemon::DaemonState daemon;
  daemon::RequestContext ctx;
  soap::SoapContext owner = soap::newSoapContext(SOAP_C_UTFSTRING);
  struct soap* soap = owner.get();

  Fixture() {
    std::string error;
    REQUIRE(core::loadConfig("", &config, &error));
    REQUIRE(store.load(&error));
    daemon.config = &config;
    daemon.settings = &store;
    ctx.daemon = &daemon;
    ctx.base_url = "http://192.0.2.1:8080";
    soap->user = &ctx;
  }
  void put(const char* area, const state::Section& values) {
    std::string error;
    REQUIRE(store.put(area, values, &error));
  }
  std::string subcode() const {
    const char* s = ::soap_fault_subcode(soap);
    return s ? s : "";
  }
};

// A stand-in for the server's listeners: ports by protocol, and a rebind
// that can be told to fail for one port.
struct FakeListeners {
  int http = 8080, https = -1;
  int refuse_port = -1;
  std::vector<std::string> calls;
  transport::NetworkProtocols protocols;
  explicit FakeListeners(state::SettingsStore* store)
      : protocols(
            store,
            [this](bool tls, bool on, int port, std::string* error) {
              calls.push_back(std::string(tls ? "HTTPS" : "HTTP") +
                              (on ? "=" + std::to_string(port) : "=off"));
              if (on && port == refuse_port) return *error = "port in use", false;
              (tls ? https : http) = on ? port : -1;
              return true;
            },
            [this](bool tls) { return tls ? https : http; }) {}
};

gsoap_onvif::tt__NetworkProtocol* httpOn(struct soap* soap, int port) {
  auto* p = gsoap_onvif::soap_new_tt__NetworkProtocol(soap);
  p->Name = gsoap_onvif::tt__NetworkProtocolType__HTTP;
  p->Enabled = true;
  p->Port.push_back(port);
  return p;
}

}  // namespace

TEST_CASE("device commit: a failing hook puts the area back; a failing store runs no hook") {
  Fixture f;
  const state::Section before{{"hostname", "old"}};
  f.put(dev::kNetworkArea, before);
  state::Section after{{"hostname", "new"}};

  f.config.device.hook_hostname = f.dir.hook("fail.sh", "exit 1");
  CHECK(dev::commit(f.daemon, dev::kNetworkArea, before, after, &core::DeviceConfig::hook_hostname,
                    "hostname", {}) == dev::Commit::HookFailed);
  CHECK(f.dir.hookRan());
  CHECK(f.store.get(dev::kNetworkArea) == before);

  f.config.device.hook_hostname = f.dir.hook("ok.sh", "exit 0");
  CHECK(dev::commit(f.daemon, dev::kNetworkArea, before, after, &core::DeviceConfig::hook_hostname,
                    "hostname", {}) == dev::Commit::Ok);
  CHECK(f.store.get(dev::kNetworkArea) == after);

  REQUIRE(unlink(f.dir.mark().c_str()) == 0);
  f.dir.breakStore();
  CHECK(dev::commit(f.daemon, dev::kNetworkArea, after, before, &core::DeviceConfig::hook_hostname,
                    "hostname", {}) == dev::Commit::StoreFailed);
  CHECK_FALSE(f.dir.hookRan());
  CHECK(f.store.get(dev::kNetworkArea) == after);
}

TEST_CASE("SetNetworkProtocols: a failing hook switches the rebound listener back and stores nothing") {
  Fixture f;
  FakeListeners listeners(&f.store);
  f.daemon.protocols = &listeners.protocols;
  f.config.device.hook_protocols = f.dir.hook("fail.sh", "exit 1");
  f.put(dev::kNetworkArea, {{"hostname", "cam"}});

  gsoap_onvif::_tds__SetNetworkProtocols request;
  request.NetworkProtocols.push_back(httpOn(f.soap, 8081));
  gsoap_onvif::_tds__SetNetworkProtocolsResponse response;
  CHECK(gsoap_onvif::__tds__SetNetworkProtocols(f.soap, &request, response) == SOAP_FAULT);
  CHECK(f.subcode() == "ter:Action");
  // Rebound first (the hook runs last), then switched back.
  CHECK(listeners.calls == std::vector<std::string>{"HTTP=8081", "HTTP=8080"});
  CHECK(listeners.http == 8080);
  CHECK(f.dir.hookRan());
  CHECK(f.store.get(dev::kNetworkArea) == state::Section{{"hostname", "cam"}});
  CHECK(state::getString(f.store.get(transport::NetworkProtocols::kArea), "http_port", "") == "8080");
}

TEST_CASE("SetNetworkProtocols: a rebind that fails runs no hook") {
  Fixture f;
  FakeListeners listeners(&f.store);
  listeners.refuse_port = 8082;
  f.daemon.protocols = &listeners.protocols;
  f.config.device.hook_protocols = f.dir.hook("ok.sh", "exit 0");
  gsoap_onvif::_tds__SetNetworkProtocols request;
  request.NetworkProtocols.push_back(httpOn(f.soap, 8082));
  gsoap_onvif::_tds__SetNetworkProtocolsResponse response;
  CHECK(gsoap_onvif::__tds__SetNetworkProtocols(f.soap, &request, response) == SOAP_FAULT);
  CHECK_FALSE(f.dir.hookRan());
  CHECK(listeners.http == 8080);
  CHECK_FALSE(f.store.has(dev::kNetworkArea));

  // The same request to a free port: rebound, stored, then the hook.
  request.NetworkProtocols[0]->Port = {8083};
  CHECK(gsoap_onvif::__tds__SetNetworkProtocols(f.soap, &request, response) == SOAP_OK);
  CHECK(f.dir.hookRan());
  CHECK(listeners.http == 8083);
  CHECK(state::getList(f.store.get(dev::kNetworkArea), "protocol_HTTP.port") ==
        std::vector<std::string>{"8083"});
}

TEST_CASE("SetSystemFactoryDefault: settings are cleared before the hook and put back when it fails") {
  Fixture f;
  f.put(dev::kSystemArea, {{"time.tz", "CET-1"}});
  f.put(dev::kNetworkArea, {{"hostname", "cam"}});
  f.put(state::kIdentityArea, {{"endpoint", "urn:uuid:1"}});
  const auto before = f.store.all();
  gsoap_onvif::_tds__SetSystemFactoryDefault request;
  request.FactoryDefault = gsoap_onvif::tt__FactoryDefaultType__Hard;
  gsoap_onvif::_tds__SetSystemFactoryDefaultResponse response;

  // The hook sees the settings already cleared (it is the last step).
  f.config.device.hook_factory_default =
      f.dir.hook("fail.sh", "grep -q hostname '" + f.store.path() + "' && exit 0; exit 1");
  CHECK(gsoap_onvif::__tds__SetSystemFactoryDefault(f.soap, &request, response) == SOAP_FAULT);
  CHECK(f.dir.hookRan());
  CHECK(f.store.all() == before);

  // Clearing cannot be persisted: no hook runs, nothing changes.
  REQUIRE(unlink(f.dir.mark().c_str()) == 0);
  f.config.device.hook_factory_default = f.dir.hook("ok.sh", "exit 0");
  f.dir.breakStore();
  CHECK(gsoap_onvif::__tds__SetSystemFactoryDefault(f.soap, &request, response) == SOAP_FAULT);
  CHECK_FALSE(f.dir.hookRan());
  CHECK(f.store.all() == before);
  REQUIRE(rmdir((f.dir.path + "/settings.tmp").c_str()) == 0);

  CHECK(gsoap_onvif::__tds__SetSystemFactoryDefault(f.soap, &request, response) == SOAP_OK);
  CHECK(f.dir.hookRan());
  const std::map<std::string, state::Section> identity_only{
      {state::kIdentityArea, {{"endpoint", "urn:uuid:1"}}}};
  CHECK(f.store.all() == identity_only);
}

TEST_CASE("host mode: every host operation is hooked, recorded (simulated) or refused (real)") {
  core::Config c;
  std::string error;
  REQUIRE(core::loadConfig("", &c, &error));
  CHECK(c.device.host == core::DeviceConfig::Host::Simulated);  // the embedded virtual camera
  REQUIRE(core::parseConfig("[device]\nhost = real\n", "t", &c, &error));
  CHECK(c.device.host == core::DeviceConfig::Host::Real);
  CHECK_FALSE(core::parseConfig("[device]\nhost = maybe\n", "t", &c, &error));
  CHECK(dev::hostOperations().size() == 14);
  for (const dev::HostOperation& op : dev::hostOperations()) {
    CAPTURE(op.operation);
    c.device.host = core::DeviceConfig::Host::Real;
    CHECK(dev::hostAction(c.device, op.hook) == dev::HostAction::Refuse);
    c.device.host = core::DeviceConfig::Host::Simulated;
    CHECK(dev::hostAction(c.device, op.hook) == dev::HostAction::Record);
    c.device.*op.hook = "/usr/local/bin/hook";
    CHECK(dev::hostAction(c.device, op.hook) == dev::HostAction::Hook);
    c.device.host = core::DeviceConfig::Host::Real;
    CHECK(dev::hostAction(c.device, op.hook) == dev::HostAction::Hook);
    c.device.*op.hook = "";
  }
}

TEST_CASE("host mode: a real device without the hook refuses SetHostname and stores nothing") {
  Fixture f;
  gsoap_onvif::_tds__SetHostname request;
  request.Name = "camera-7";
  gsoap_onvif::_tds__SetHostnameResponse response;
  f.config.device.host = core::DeviceConfig::Host::Real;
  CHECK(gsoap_onvif::__tds__SetHostname(f.soap, &request, response) == SOAP_FAULT);
  CHECK(f.subcode() == "ter:ActionNotSupported");
  CHECK_FALSE(f.store.has(dev::kNetworkArea));

  f.config.device.host = core::DeviceConfig::Host::Simulated;
  CHECK(gsoap_onvif::__tds__SetHostname(f.soap, &request, response) == SOAP_OK);
  CHECK(state::getString(f.store.get(dev::kNetworkArea), "hostname", "") == "camera-7");

  f.config.device.host = core::DeviceConfig::Host::Real;
  f.config.device.hook_hostname = f.dir.hook("ok.sh", "exit 0");
  request.Name = "camera-8";
  CHECK(gsoap_onvif::__tds__SetHostname(f.soap, &request, response) == SOAP_OK);
  CHECK(f.dir.hookRan());
  CHECK(state::getString(f.store.get(dev::kNetworkArea), "hostname", "") == "camera-8");
}
