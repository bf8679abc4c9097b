// Transport: [transport] config keys, the reactor's listener set (bind lists,
// IPv6 switch, run-time reconfigure) and NetworkProtocols' validate / apply /
// roll back / persist order. TLS and gzip on the wire: tests/integration/test_transport.py.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <string>
#include <thread>
#include <vector>

#include "core/config.hpp"
#include "server/server.hpp"
#include "state/settings_store.hpp"
#include "test_support.hpp"
#include "transport/network_protocols.hpp"
#include "transport/tls_context.hpp"

using namespace onvif;

namespace {

class NullProcessor : public server::Processor {
 public:
  void process(server::Connection& c, bool) override {
    c.buffer.clear();
    c.close_after = true;
  }
};

bool canConnect(int family, int port) {
  platform::UniqueFd fd(socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_storage ss{};
  socklen_t len;
  if (family == AF_INET6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&ss);
    a->sin6_family = AF_INET6;
    a->sin6_addr = in6addr_loopback;
    a->sin6_port = htons(static_cast<uint16_t>(port));
    len = sizeof *a;
  } else {
    auto* a = reinterpret_cast<sockaddr_in*>(&ss);
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a->sin_port = htons(static_cast<uint16_t>(port));
    len = sizeof *a;
  }
  return connect(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) == 0;
}

bool ipv6Loopback() {
  platform::UniqueFd fd(socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in6 a{};
  a.sin6_family = AF_INET6;
  a.sin6_addr = in6addr_loopback;
  return fd && bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
}

core::ServerConfig serverConfig(const std::string& bind) {
  core::ServerConfig cfg;
  cfg.bind = bind;
  cfg.port = 0;
  cfg.workers = 1;
  cfg.max_workers = 1;
  cfg.shutdown_grace_ms = 100;
  return cfg;
}

}  // namespace

TEST_CASE("transport config: keys parse, defaults are safe, bad values are refused") {
  core::Config c;
  std::string error;
  REQUIRE(core::loadConfig("", &c, &error));
  CHECK(c.transport.http_enabled);
  CHECK_FALSE(c.transport.https_enabled);  // no certificate by default
  CHECK(c.transport.ipv6);
  CHECK(c.transport.gzip);
  REQUIRE(core::parseConfig(
      "[transport]\nhttps = true\nhttps_port = 0\ncertificate = /a.pem\nprivate_key = /k.pem\n"
      "gzip_min_bytes = 0\nmax_inflated_bytes = 2048\nipv6 = off\n",
      "t", &c, &error));
  CHECK(c.transport.https_enabled);
  CHECK(c.transport.certificate == "/a.pem");
  CHECK(c.transport.max_inflated_bytes == 2048);
  CHECK_FALSE(c.transport.ipv6);
  CHECK_FALSE(core::parseConfig("[transport]\nhttps_port = 70000\n", "t", &c, &error));
  CHECK(error.find("transport.https_port") != std::string::npos);
  CHECK_FALSE(core::parseConfig("[transport]\nmax_inflated_bytes = 10\n", "t", &c, &error));
  CHECK_FALSE(core::parseConfig("[transport]\ngzip = sometimes\n", "t", &c, &error));
}

TEST_CASE("transport: TLS context refuses missing or mismatched files and keeps the old one") {
  core::TransportConfig t;
  t.certificate = "/nonexistent/cert.pem";
  t.private_key = "/nonexistent/key.pem";
  transport::TlsContext ctx(t);
  std::string error;
  CHECK_FALSE(ctx.reload(&error));
  CHECK(error.find("/nonexistent/cert.pem") != std::string::npos);
  CHECK_FALSE(ctx.ready());
  CHECK(ctx.newSession(0) == nullptr);
}

TEST_CASE("transport: a bind list opens one listener per address on one port") {
  if (!ipv6Loopback()) return;  // nothing to check without ::1
  int base = test::openFdCount();
  {
    server::Server s(serverConfig("127.0.0.1, ::1"), [] { return std::make_unique<NullProcessor>(); });
    std::string error;
    REQUIRE(s.start(&error));
    auto urls = s.urls();
    REQUIRE(urls.size() == 2);
    CHECK(urls[0] == "http://127.0.0.1:" + std::to_string(s.port()) + "/");
    CHECK(urls[1] == "http://[::1]:" + std::to_string(s.port()) + "/");
    CHECK(canConnect(AF_INET, s.port()));
    CHECK(canConnect(AF_INET6, s.port()));
  }
  CHECK(test::openFdCount() == base);
}

TEST_CASE("transport: with ipv6 off, IPv6 addresses are skipped; nothing left is an error") {
  core::TransportConfig t;
  t.ipv6 = false;
  {
    server::Server s(serverConfig("127.0.0.1, ::1"), [] { return std::make_unique<NullProcessor>(); });
    s.setTransport(t);
    std::string error;
    REQUIRE(s.start(&error));
    CHECK(s.urls().size() == 1);
  }
  server::Server s(serverConfig("::1"), [] { return std::make_unique<NullProcessor>(); });
  s.setTransport(t);
  std::string error;
  CHECK_FALSE(s.start(&error));
  CHECK(error.find("no usable address") != std::string::npos);
}

TEST_CASE("transport: reconfigure moves the HTTP listener at run time; connections elsewhere stay") {
  int base = test::openFdCount();
  {
    server::Server s(serverConfig("127.0.0.1"), [] { return std::make_unique<NullProcessor>(); });
    std::string error;
    REQUIRE(s.start(&error));
    std::thread reactor([&] { s.run(); });
    const int first = s.httpPort();
    CHECK(canConnect(AF_INET, first));
    // A free port to move to.
    int next;
    {
      platform::UniqueFd probe(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      REQUIRE(bind(probe.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
      socklen_t len = sizeof a;
      getsockname(probe.get(), reinterpret_cast<sockaddr*>(&a), &len);
      next = ntohs(a.sin_port);
    }
    REQUIRE(s.reconfigure(false, true, next, &error));
    CHECK(s.httpPort() == next);
    CHECK(canConnect(AF_INET, next));
    CHECK_FALSE(canConnect(AF_INET, first));
    // HTTP cannot be switched off while it is the only protocol.
    CHECK_FALSE(s.reconfigure(false, false, 0, &error));
    CHECK(s.httpPort() == next);
    // HTTPS without a certificate: refused, nothing changes.
    CHECK_FALSE(s.reconfigure(true, true, 0, &error));
    CHECK(s.httpsPort() == -1);
    s.requestStop();
    reactor.join();
  }
  CHECK(test::openFdCount() == base);
}

TEST_CASE("transport: NetworkProtocols validates everything, rolls back, persists only success") {
  state::SettingsStore settings;  // in memory
  int http = 8080, https = -1;
  std::vector<std::string> calls;
  bool failHttps = false;
  transport::NetworkProtocols protocols(
      &settings,
      [&](bool tls, bool on, int port, std::string* error) {
        calls.push_back(std::string(tls ? "https" : "http") + (on ? " on " + std::to_string(port) : " off"));
        if (tls && on && failHttps) {
          *error = "no certificate";
          return false;
        }
        (tls ? https : http) = on ? port : -1;
        return true;
      },
      [&](bool tls) { return tls ? https : http; });

  auto got = protocols.get();
  REQUIRE(got.size() == 2);
  CHECK(got[0].name == "HTTP");
  CHECK(got[0].enabled);
  CHECK(got[0].ports == std::vector<int>{8080});
  CHECK(got[1].name == "HTTPS");
  CHECK_FALSE(got[1].enabled);

  std::string error;
  using R = transport::NetworkProtocols::Result;
  CHECK(protocols.set({{"RTSP", true, {554}}}, &error) == R::UnknownProtocol);
  CHECK(protocols.set({{"HTTP", true, {}}}, &error) == R::InvalidPort);
  CHECK(protocols.set({{"HTTP", true, {80, 81}}}, &error) == R::InvalidPort);
  CHECK(protocols.set({{"HTTP", true, {0}}}, &error) == R::InvalidPort);
  CHECK(protocols.set({{"HTTP", false, {}}}, &error) == R::CannotApply);  // nothing would listen
  CHECK(calls.empty());                                                   // validation failures touch nothing

  // HTTP moves, then HTTPS fails: HTTP is moved back, nothing is stored.
  failHttps = true;
  CHECK(protocols.set({{"HTTP", true, {8081}}, {"HTTPS", true, {8443}}}, &error) == R::CannotApply);
  CHECK(error == "no certificate");
  CHECK(http == 8080);
  CHECK(https == -1);
  CHECK_FALSE(settings.has(transport::NetworkProtocols::kArea));

  failHttps = false;
  CHECK(protocols.set({{"HTTPS", true, {8443}}, {"HTTP", false, {}}}, &error) == R::Ok);
  CHECK(calls.back() == "http off");  // switched off only after HTTPS is up
  CHECK(http == -1);
  CHECK(https == 8443);
  auto stored = settings.get(transport::NetworkProtocols::kArea);
  CHECK(stored["http"] == "false");
  CHECK(stored["https"] == "true");
  CHECK(stored["https_port"] == "8443");

  core::Config c;
  REQUIRE(core::loadConfig("", &c, &error));
  transport::NetworkProtocols::applyStored(settings, &c, false);
  CHECK_FALSE(c.transport.http_enabled);
  CHECK(c.transport.https_enabled);
  CHECK(c.transport.https_port == 8443);
}
