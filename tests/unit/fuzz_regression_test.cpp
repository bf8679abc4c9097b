// Replays every input under tests/fuzz/regressions/<target>/ through the same
// target function libFuzzer runs (tests/fuzz/fuzz_targets.hpp), so a crash or
// leak found once is checked by every unit-test run (under SANITIZE=... too).
#include <dirent.h>
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "../fuzz/fuzz_targets.hpp"

namespace {

std::vector<std::string> inputs(const std::string& target) {
  std::vector<std::string> out;
  const std::string dir = std::string(ONVIFD_SOURCE_DIR) + "/tests/fuzz/regressions/" + target;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d))
      if (e->d_name[0] != '.') out.push_back(dir + "/" + e->d_name);
    closedir(d);
  }
  return out;
}

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

template <typename F>
int replay(const std::string& target, F fn) {
  int n = 0;
  for (const std::string& path : inputs(target)) {
    INFO(path);
    std::string data = slurp(path);
    fn(reinterpret_cast<const uint8_t*>(data.data()), data.size());
    ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("fuzz regressions: request path") {
  CHECK(replay("request", onvif::fuzz::requestPath) > 0);
}

TEST_CASE("fuzz regressions: WS-Discovery datagram") {
  CHECK(replay("wsdd", onvif::fuzz::wsddDatagram) > 0);
}

TEST_CASE("fuzz regressions: configuration text") {
  CHECK(replay("config", onvif::fuzz::configText) > 0);
}

TEST_CASE("fuzz regressions: settings text") {
  CHECK(replay("settings", onvif::fuzz::settingsText) > 0);
}

TEST_CASE("fuzz regressions: event filter expressions") {
  CHECK(replay("filter", onvif::fuzz::filterExpression) > 0);
}
