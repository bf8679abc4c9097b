#include "core/config.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace onvif::core;

TEST_CASE("config: the embedded default parses and describes a loopback virtual camera") {
  Config c;
  std::string error;
  REQUIRE(loadConfig("", &c, &error));
  CHECK(c.server.bind == "127.0.0.1");
  CHECK(c.server.port == 8080);
  CHECK_FALSE(c.device.manufacturer.empty());
}

TEST_CASE("config: a file overrides keys and leaves the others") {
  Config c;
  std::string error;
  REQUIRE(loadConfig("", &c, &error));
  REQUIRE(parseConfig("# comment\n[server]\nport = 9000\n[device]\nmodel = X1\n", "t.conf", &c, &error));
  CHECK(c.server.port == 9000);
  CHECK(c.device.model == "X1");
  CHECK(c.server.bind == "127.0.0.1");
}

TEST_CASE("config: errors name file, line and field, and change nothing") {
  Config c;
  std::string error;
  REQUIRE(loadConfig("", &c, &error));
  CHECK_FALSE(parseConfig("[server]\nport = 80\nport = 99999\n", "bad.conf", &c, &error));
  CHECK(error.find("bad.conf:3: server.port") == 0);
  CHECK(c.server.port == 8080);  // all or nothing: line 2 was not applied either
  CHECK_FALSE(parseConfig("[server]\nprot = 1\n", "bad.conf", &c, &error));
  CHECK(error.find("bad.conf:2: server.prot: unknown key") == 0);
  CHECK_FALSE(parseConfig("[nosuch]\n", "bad.conf", &c, &error));
  CHECK(error.find("bad.conf:1:") == 0);
  CHECK_FALSE(parseConfig("port = 1\n", "bad.conf", &c, &error));
  CHECK_FALSE(parseConfig("[server]\njust text\n", "bad.conf", &c, &error));
  CHECK_FALSE(parseConfig("[server]\nworkers = 8\nmax_workers = 4\n", "bad.conf", &c, &error));
  CHECK_FALSE(loadConfig("/nonexistent/onvifd.conf", &c, &error));
  CHECK(error.find("/nonexistent/onvifd.conf") == 0);
}

TEST_CASE("config: comments after a value, '#' inside a value") {
  Config c;
  std::string error;
  REQUIRE(loadConfig("", &c, &error));
  REQUIRE(parseConfig("[server]  # the listener\nport = 9001   # web\n[device]\nmodel = A#1\n", "t.conf", &c,
                      &error));
  CHECK(c.server.port == 9001);
  CHECK(c.device.model == "A#1");
}
