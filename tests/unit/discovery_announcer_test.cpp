// The announcer in-process: what it sends when the device changes scopes or
// mode (the device service drives DiscoveryView and calls changed()), and
// that it closes every fd it opened. A listener joined to the group on lo
// shares the announcer's port (both use SO_REUSEADDR).
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "discovery/announcer.hpp"
#include "discovery/discovery_view.hpp"
#include "platform/unique_fd.hpp"
#include "test_support.hpp"

using namespace onvif;

namespace {

platform::UniqueFd groupListener(int* port) {
  platform::UniqueFd fd(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  int one = 1;
  setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(INADDR_ANY);
  REQUIRE(bind(fd.get(), reinterpret_cast<sockaddr*>(&sin), sizeof sin) == 0);
  socklen_t len = sizeof sin;
  getsockname(fd.get(), reinterpret_cast<sockaddr*>(&sin), &len);
  *port = ntohs(sin.sin_port);
  ip_mreqn m{};
  inet_pton(AF_INET, "239.255.255.250", &m.imr_multiaddr);
  m.imr_ifindex = 1;  // lo
  REQUIRE(setsockopt(fd.get(), IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof m) == 0);
  return fd;
}

// The next datagram containing `needle` within a bounded wait ("" if none).
std::string receiveContaining(int fd, const std::string& needle) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  char buf[65536];
  for (int i = 0; i < 200; ++i) {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) continue;
    std::string msg(buf, static_cast<std::size_t>(n));
    if (msg.find(needle) != std::string::npos) return msg;
  }
  return "";
}

unsigned metadataVersion(const std::string& msg) {
  const std::string tag = "<wsdd:MetadataVersion>";
  std::size_t at = msg.find(tag);
  return at == std::string::npos ? 0 : static_cast<unsigned>(std::stoul(msg.substr(at + tag.size())));
}

}  // namespace

TEST_CASE("discovery announcer: Hello on start and on change, Bye when NonDiscoverable and at stop") {
  int baseline = test::openFdCount();
  int port = 0;
  platform::UniqueFd listener = groupListener(&port);

  const std::string epr = "urn:uuid:6f1a3b52-1111-4222-8333-444455556666";
  discovery::DiscoveryView view;
  view.set({"onvif://www.onvif.org/name/first"}, true);
  core::DiscoveryConfig config;
  config.interfaces = {"lo"};
  config.port = port;
  config.max_delay_ms = 0;
  {
    discovery::Announcer announcer(config, &view, epr, "127.0.0.1", 8080);
    std::string error;
    REQUIRE_MESSAGE(announcer.start(&error), error);
    CHECK(announcer.port() == port);

    std::string hello = receiveContaining(listener.get(), "name/first");
    REQUIRE(hello.find("<wsdd:Hello>") != std::string::npos);
    CHECK(hello.find("http://127.0.0.1:8080/onvif/device_service</wsdd:XAddrs>") != std::string::npos);
    CHECK(hello.find(epr) != std::string::npos);
    unsigned v1 = metadataVersion(hello);

    view.set({"onvif://www.onvif.org/name/second"}, true);
    announcer.changed();
    std::string again = receiveContaining(listener.get(), "name/second");
    REQUIRE(again.find("<wsdd:Hello>") != std::string::npos);
    CHECK(metadataVersion(again) > v1);

    view.set({"onvif://www.onvif.org/name/second"}, false);
    announcer.changed();
    std::string bye = receiveContaining(listener.get(), "<wsdd:Bye>");
    REQUIRE_FALSE(bye.empty());
    CHECK(bye.find(epr) != std::string::npos);

    view.set({"onvif://www.onvif.org/name/third"}, true);
    announcer.changed();
    CHECK_FALSE(receiveContaining(listener.get(), "name/third").empty());
    announcer.stop();
    CHECK_FALSE(receiveContaining(listener.get(), "<wsdd:Bye>").empty());
  }
  listener.reset();
  CHECK(test::openFdCount() == baseline);
}

TEST_CASE("discovery announcer: a port in use leaves nothing open") {
  int baseline = test::openFdCount();
  platform::UniqueFd blocker(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));  // no SO_REUSEADDR
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  REQUIRE(bind(blocker.get(), reinterpret_cast<sockaddr*>(&sin), sizeof sin) == 0);
  socklen_t len = sizeof sin;
  getsockname(blocker.get(), reinterpret_cast<sockaddr*>(&sin), &len);

  const std::string epr = "urn:uuid:6f1a3b52-1111-4222-8333-444455556666";
  discovery::DiscoveryView view;
  core::DiscoveryConfig config;
  config.port = ntohs(sin.sin_port);
  {
    discovery::Announcer announcer(config, &view, epr, "127.0.0.1", 8080);
    std::string error;
    CHECK_FALSE(announcer.start(&error));
    CHECK(error.find("bind") != std::string::npos);
  }
  blocker.reset();
  CHECK(test::openFdCount() == baseline);
}

TEST_CASE("discovery announcer: an interface going down and coming back is rejoined and announced") {
  int baseline = test::openFdCount();
  int port = 0;
  platform::UniqueFd listener = groupListener(&port);

  const std::string epr = "urn:uuid:6f1a3b52-1111-4222-8333-444455556666";
  discovery::DiscoveryView view;
  view.set({"onvif://www.onvif.org/name/cam"}, true);
  core::DiscoveryConfig config;
  config.interfaces = {"lo"};
  config.port = port;
  config.max_delay_ms = 0;

  // The real lo (index 1), with the addresses this test chooses.
  std::mutex mutex;
  std::vector<discovery::NetInterface> up = {{"lo", 1, {"127.0.0.1"}, {}}};
  {
    // Wildcard HTTP bind: XAddrs follow the interfaces' addresses.
    discovery::Announcer announcer(config, &view, epr, "0.0.0.0", 8080);
    announcer.setInterfaceScanner([&](const std::vector<std::string>&) {
      std::lock_guard<std::mutex> lock(mutex);
      return up;
    });
    std::string error;
    REQUIRE_MESSAGE(announcer.start(&error), error);
    CHECK(announcer.joinedInterfaces() == 1);
    std::string hello = receiveContaining(listener.get(), "<wsdd:Hello>");
    REQUIRE_FALSE(hello.empty());
    CHECK(hello.find("<wsdd:XAddrs>http://127.0.0.1:8080/onvif/device_service</wsdd:XAddrs>") !=
          std::string::npos);
    unsigned v1 = metadataVersion(hello);

    // A second address: Hello with both XAddrs and a new MetadataVersion.
    {
      std::lock_guard<std::mutex> lock(mutex);
      up[0].ipv4.push_back("127.0.0.2");
    }
    announcer.changed();
    std::string two = receiveContaining(listener.get(), "127.0.0.2:8080");
    REQUIRE(two.find("<wsdd:Hello>") != std::string::npos);
    CHECK(two.find("http://127.0.0.1:8080/onvif/device_service http://127.0.0.2:8080/onvif/device_service") !=
          std::string::npos);
    unsigned v2 = metadataVersion(two);
    CHECK(v2 > v1);

    // Down: the group is left, nothing is announced. Back: joined again and
    // a Hello goes out with the addresses it has now.
    {
      std::lock_guard<std::mutex> lock(mutex);
      up.clear();
    }
    announcer.changed();
    for (int i = 0; i < 500 && announcer.joinedInterfaces() != 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    REQUIRE(announcer.joinedInterfaces() == 0);
    {
      std::lock_guard<std::mutex> lock(mutex);
      up = {{"lo", 1, {"127.0.0.3"}, {}}};
    }
    announcer.changed();
    std::string back = receiveContaining(listener.get(), "127.0.0.3:8080");
    REQUIRE(back.find("<wsdd:Hello>") != std::string::npos);
    CHECK(announcer.joinedInterfaces() == 1);
    CHECK(metadataVersion(back) == v2 + 2);  // down, then back: two XAddrs changes
  }
  listener.reset();
  CHECK(test::openFdCount() == baseline);
}
