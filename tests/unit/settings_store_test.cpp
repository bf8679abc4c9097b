#include "state/settings_store.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "platform/sys.hpp"
#include "state/identity.hpp"
#include "test_support.hpp"

using namespace onvif::state;

namespace {
using onvif::test::TempDir;

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

TEST_CASE("settings: put persists, a new store loads the same values") {
  TempDir dir;
  const std::string file = dir.path + "/state.ini";
  std::string error;
  {
    SettingsStore store(file);
    REQUIRE(store.load(&error));
    Section s{{"name", "line one\nline two \\ back"}, {"level", "3"}};
    REQUIRE(store.put("device", s, &error));
  }
  SettingsStore again(file);
  REQUIRE(again.load(&error));
  Section s = again.get("device");
  CHECK(s["name"] == "line one\nline two \\ back");
  CHECK(getInt(s, "level", 0) == 3);
  CHECK(access((file + ".tmp").c_str(), F_OK) != 0);  // no temporary left behind
}

TEST_CASE("settings: a failed write changes nothing in memory or on disk") {
  TempDir dir;
  const std::string file = dir.path + "/sub/state.ini";  // folder does not exist
  SettingsStore store(file);
  std::string error;
  REQUIRE(store.load(&error));
  CHECK_FALSE(store.put("media", {{"a", "1"}}, &error));
  CHECK_FALSE(error.empty());
  CHECK_FALSE(store.has("media"));
}

TEST_CASE("settings: invalid keys and area names are refused") {
  SettingsStore store;
  std::string error;
  CHECK_FALSE(store.put("bad area", {{"a", "1"}}, &error));
  CHECK_FALSE(store.put("ok", {{"a b", "1"}}, &error));
  CHECK_FALSE(store.has("ok"));
}

TEST_CASE("settings: a damaged file is kept aside and the store starts from defaults") {
  TempDir dir;
  const std::string file = dir.path + "/state.ini";
  const std::string damaged = "[device]\nname without equals\n";
  std::ofstream(file) << damaged;
  SettingsStore store(file);
  std::string error, warning;
  REQUIRE(store.load(&error, &warning));
  CHECK(warning.find(":2:") != std::string::npos);
  CHECK_FALSE(store.has("device"));
  CHECK(access(file.c_str(), F_OK) != 0);  // moved, not overwritten
  size_t at = warning.find("kept as ");
  REQUIRE(at != std::string::npos);
  std::string aside = warning.substr(at + 8, warning.find(',', at) - at - 8);
  CHECK(slurp(aside) == damaged);
  REQUIRE(store.put("device", {{"name", "new"}}, &error));  // a fresh file next to it
  CHECK(slurp(aside) == damaged);
}

TEST_CASE("settings: lists round-trip and shrink") {
  Section s;
  setList(&s, "scope", {"a", "b", "c"});
  CHECK(getList(s, "scope") == std::vector<std::string>{"a", "b", "c"});
  setList(&s, "scope", {"x"});
  CHECK(getList(s, "scope") == std::vector<std::string>{"x"});
  CHECK(s.count("scope.2") == 0);
}

TEST_CASE("settings: clearAllExcept keeps the named areas only") {
  SettingsStore store;
  std::string error;
  REQUIRE(store.putMany({{"identity", {{"id", "1"}}}, {"users", {{"u", "x"}}}}, &error));
  REQUIRE(store.clearAllExcept({"identity"}, &error));
  CHECK(store.has("identity"));
  CHECK_FALSE(store.has("users"));
}

TEST_CASE("identity: the endpoint reference is made once and then kept") {
  TempDir dir;
  const std::string file = dir.path + "/state.ini";
  std::string error, first;
  {
    SettingsStore store(file);
    REQUIRE(store.load(&error));
    first = ensureEndpointReference(&store, &error);
    REQUIRE(first.rfind("urn:uuid:", 0) == 0);
    CHECK(first.size() == 9 + 36);
    CHECK(first[9 + 14] == '4');
  }
  SettingsStore again(file);
  REQUIRE(again.load(&error));
  CHECK(ensureEndpointReference(&again, &error) == first);
  CHECK(slurp(file).find(first) != std::string::npos);
}

namespace {
int failingRename(const char*, const char*) {
  errno = EIO;
  return -1;
}
int failingFsync(int) {
  errno = EIO;
  return -1;
}
}  // namespace

TEST_CASE("settings: a rename or fsync that fails (sys layer) changes nothing and leaves no temporary") {
  TempDir dir;
  const std::string file = dir.path + "/state.ini";
  SettingsStore store(file);
  std::string error;
  REQUIRE(store.load(&error));
  REQUIRE(store.put("device", {{"a", "1"}}, &error));
  for (auto inject : {0, 1}) {
    CAPTURE(inject);
    onvif::sys::Ops ops = onvif::sys::libcOps();
    if (inject == 0) ops.rename = failingRename;
    if (inject == 1) ops.fsync = failingFsync;
    {
      onvif::sys::ScopedOps scoped(ops);
      CHECK_FALSE(store.put("device", {{"a", "2"}}, &error));
    }
    CHECK(error.find("state.ini") != std::string::npos);
    CHECK(store.get("device") == Section{{"a", "1"}});
    CHECK(access((file + ".tmp").c_str(), F_OK) != 0);
    SettingsStore again(file);
    REQUIRE(again.load(&error));
    CHECK(again.get("device") == Section{{"a", "1"}});
  }
}
