// The device service's platform layer: POSIX TZ, validators, the /proc and
// resolv.conf parsers, interface listing and the hook runner.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <string>

#include "core/posix_tz.hpp"
#include "core/validate.hpp"
#include "platform/hook.hpp"
#include "platform/net_info.hpp"
#include "platform/run_command.hpp"
#include "test_support.hpp"

using namespace onvif::platform;
using namespace onvif::core;

namespace {

// A temporary folder that can also hold hook scripts.
struct TempDir : onvif::test::TempDir {
  std::string script(const std::string& name, const std::string& body) const {
    std::string p = path + "/" + name;
    std::ofstream(p) << "#!/bin/sh\n" << body << "\n";
    chmod(p.c_str(), 0755);
    return p;
  }
};

// glibc's answer for the same TZ string, as the reference.
long glibcOffset(const char* tz, std::time_t t) {
  setenv("TZ", tz, 1);
  tzset();
  std::tm tm{};
  localtime_r(&t, &tm);
  long off = tm.tm_gmtoff;
  unsetenv("TZ");
  tzset();
  return off;
}

}  // namespace

TEST_CASE("posix tz: accepts the IEEE 1003.1 section 8.3 forms") {
  PosixTz tz;
  for (const char* ok :
       {"UTC0", "GMT+01:00", "CET-1CEST,M3.5.0,M10.5.0/3", "EST5EDT,M3.2.0/2,M11.1.0", "<+0330>-3:30",
        "AEST-10AEDT,M10.1.0,M4.1.0/3", "NZST-12NZDT,J270,J95/3", "ABC5DEF", "XYZ-2XYZD-3,100/1:30,300/-1",
        "IST-5:30", "PST8PDT,M3.2.0/2:00:00,M11.1.0/2:00:00"}) {
    INFO(std::string(ok));
    CHECK(parsePosixTz(ok, &tz));
  }
}

TEST_CASE("posix tz: rejects what is not a complete TZ string") {
  PosixTz tz;
  for (const char* bad :
       {"", "UTC", "Europe/Berlin", ":Europe/Berlin", "AB1", "CET-25", "CET-1CEST,M13.1.0,M10.5.0",
        "CET-1CEST,M3.6.0,M10.5.0", "CET-1CEST,M3.5.7,M10.5.0", "CET-1CEST,M3.5.0", "CET-1 ",
        "CET-1CEST,J0,J10", "CET-1CEST,M3.5.0,M10.5.0/200", "<+03", "CET-1:60", "GMT+1ju", "GMT+1junk,"}) {
    INFO(std::string(bad));
    CHECK_FALSE(parsePosixTz(bad, &tz));
  }
}

TEST_CASE("posix tz: offsets match glibc across a year, both hemispheres") {
  const char* zones[] = {
      "UTC0",         "CET-1CEST,M3.5.0,M10.5.0/3", "EST5EDT,M3.2.0,M11.1.0", "AEST-10AEDT,M10.1.0,M4.1.0/3",
      "<+0530>-5:30", "NZST-12NZDT,J270,J95/3",     "XYZ-2XYZD,100,300"};
  for (const char* zone : zones) {
    PosixTz tz;
    REQUIRE(parsePosixTz(zone, &tz));
    // Every 7 hours through 2025 and 2028 (a leap year), and around a known change.
    for (std::time_t start : {static_cast<std::time_t>(1735689600), static_cast<std::time_t>(1830297600)}) {
      for (std::time_t t = start; t < start + 366 * 86400; t += 7 * 3600 + 13) {
        INFO(zone << " at " << t);
        REQUIRE(utcOffsetAt(tz, t, true) == glibcOffset(zone, t));
      }
    }
  }
}

TEST_CASE("posix tz: DaylightSavings=false ignores the DST part") {
  PosixTz tz;
  REQUIRE(parsePosixTz("CET-1CEST,M3.5.0,M10.5.0/3", &tz));
  std::time_t july = 1751371200;  // 2025-07-01 12:00 UTC
  bool dst = false;
  CHECK(utcOffsetAt(tz, july, true, &dst) == 7200);
  CHECK(dst);
  CHECK(utcOffsetAt(tz, july, false, &dst) == 3600);
  CHECK_FALSE(dst);
}

TEST_CASE("validate: IPv4 and IPv6 addresses") {
  CHECK(isIPv4Address("192.168.1.10"));
  CHECK(isIPv4Address("0.0.0.0"));
  CHECK_FALSE(isIPv4Address("192.168.1"));
  CHECK_FALSE(isIPv4Address("256.1.1.1"));
  CHECK_FALSE(isIPv4Address("1.2.3.4 "));
  CHECK_FALSE(isIPv4Address("::1"));
  CHECK(isIPv6Address("::1"));
  CHECK(isIPv6Address("fe80::1:2"));
  CHECK(isIPv6Address("2001:db8::ffff:1.2.3.4"));
  CHECK_FALSE(isIPv6Address("2001:db8:::1"));
  CHECK_FALSE(isIPv6Address("fe80::1%eth0"));
  CHECK_FALSE(isIPv6Address("1.2.3.4"));
}

TEST_CASE("validate: host names per RFC 1123") {
  CHECK(isHostname("camera"));
  CHECK(isHostname("cam-01.example.com"));
  CHECK(isHostname("1cam"));
  CHECK(isHostname(std::string(63, 'a')));
  CHECK_FALSE(isHostname(std::string(64, 'a')));
  CHECK_FALSE(isHostname(""));
  CHECK_FALSE(isHostname("-cam"));
  CHECK_FALSE(isHostname("cam-"));
  CHECK_FALSE(isHostname("cam..x"));
  CHECK_FALSE(isHostname("cam.x."));
  CHECK_FALSE(isHostname("cam_1"));
  CHECK_FALSE(isHostname("cam 1"));
  CHECK_FALSE(isHostname("cam;reboot"));
  std::string long_name;
  for (int i = 0; i < 64; ++i) long_name += "abc.";
  long_name += "x";
  CHECK_FALSE(isHostname(long_name));
}

TEST_CASE("validate: scope URIs") {
  CHECK(isScopeUri("onvif://www.onvif.org/location/city/Berlin"));
  CHECK(isScopeUri("urn:example:scope"));
  CHECK(isScopeUri("http://x/y%20z"));
  CHECK_FALSE(isScopeUri(""));
  CHECK_FALSE(isScopeUri("no-scheme"));
  CHECK_FALSE(isScopeUri("://x"));
  CHECK_FALSE(isScopeUri("1abc://x"));
  CHECK_FALSE(isScopeUri("onvif://www.onvif.org/name/with space"));
  CHECK_FALSE(isScopeUri("onvif:"));
  CHECK_FALSE(isScopeUri("onvif://" + std::string(600, 'a')));
}

TEST_CASE("validate: relay delay durations") {
  long long ms = -1;
  CHECK(parseDuration("PT0S", &ms));
  CHECK(ms == 0);
  CHECK(parseDuration("PT1.5S", &ms));
  CHECK(ms == 1500);
  CHECK(parseDuration("PT2M3S", &ms));
  CHECK(ms == 123000);
  CHECK(parseDuration("P1D", &ms));
  CHECK(ms == 86400000);
  CHECK_FALSE(parseDuration("P2D", &ms));
  CHECK_FALSE(parseDuration("PT", &ms));
  CHECK_FALSE(parseDuration("P", &ms));
  CHECK_FALSE(parseDuration("5S", &ms));
  CHECK_FALSE(parseDuration("PT5", &ms));
  CHECK(parseDuration("PT1H", &ms));
  CHECK(ms == 3600000);
}

TEST_CASE("net info: resolv.conf") {
  ResolverConfig rc = parseResolvConf(
      "# comment\nnameserver 10.0.0.1\nnameserver ::1 # trailing\nsearch a.example b.example\n"
      "options ndots:2\n;nameserver 9.9.9.9\nnameserver\n");
  CHECK(rc.nameservers == std::vector<std::string>{"10.0.0.1", "::1"});
  CHECK(rc.search == std::vector<std::string>{"a.example", "b.example"});
}

TEST_CASE("net info: default gateways from /proc/net/route and ipv6_route") {
  std::string v4 =
      "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
      "eth0\t00000000\t0102A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
      "eth0\t0002A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";
  CHECK(parseIPv4DefaultGateways(v4) == std::vector<std::string>{"192.168.2.1"});
  std::string v6 =
      "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
      "fe800000000000000000000000000001 "
      "00000400 00000001 00000000 00450003 eth0\n"
      "20010db8000000000000000000000000 40 00000000000000000000000000000000 00 "
      "00000000000000000000000000000000 "
      "00000100 00000001 00000000 00000001 eth0\n";
  CHECK(parseIPv6DefaultGateways(v6) == std::vector<std::string>{"fe80::1"});
  CHECK(parseIPv4DefaultGateways("").empty());
}

TEST_CASE("net info: interfaces from the OS, no fd left open") {
  int before = onvif::test::openFdCount();
  std::vector<InterfaceInfo> list;
  for (int i = 0; i < 50; ++i) list = listInterfaces();
  CHECK(onvif::test::openFdCount() == before);
  bool loopback = false;
  for (const auto& i : list) {
    if (i.loopback) {
      loopback = true;
      CHECK(i.mtu > 0);
      REQUIRE_FALSE(i.ipv4.empty());
      CHECK(i.ipv4[0].address == "127.0.0.1");
      CHECK(i.ipv4[0].prefix == 8);
    }
    CHECK(i.mac.size() == 17);
  }
  CHECK(loopback);
  CHECK_FALSE(hostName().empty());
}

TEST_CASE("hook: exit status, output, arguments passed verbatim (no shell)") {
  TempDir dir;
  std::string ok = dir.script("ok.sh", "printf '%s|' \"$@\"; echo; echo err >&2");
  HookResult r = runHook({ok, "a b", "$(touch " + dir.path + "/pwned)", ";", ""}, 5000);
  CHECK(r.ok);
  CHECK(r.exit_status == 0);
  CHECK(r.output.find("a b|$(touch " + dir.path + "/pwned)|;||") == 0);
  CHECK(r.output.find("err") != std::string::npos);
  CHECK(access((dir.path + "/pwned").c_str(), F_OK) != 0);

  HookResult fail = runHook({dir.script("fail.sh", "exit 3")}, 5000);
  CHECK_FALSE(fail.ok);
  CHECK(fail.exit_status == 3);
  CHECK_FALSE(fail.error.empty());
}

TEST_CASE("hook: refuses relative or missing paths") {
  CHECK_FALSE(runHook({"true"}, 1000).ok);
  CHECK_FALSE(runHook({"/nonexistent/hook"}, 1000).ok);
  CHECK_FALSE(runHook({}, 1000).ok);
}

TEST_CASE("hook: a hook past its deadline is killed, with its children") {
  TempDir dir;
  std::string slow = dir.script("slow.sh", "sleep 30 & sleep 30");
  HookResult r = runHook({slow}, 300);
  CHECK_FALSE(r.ok);
  CHECK(r.timed_out);
}

TEST_CASE("hook: the child sees only stdin/stdout/stderr, and the parent keeps no fd") {
  TempDir dir;
  int before = onvif::test::openFdCount();
  int pipe_fds[2];
  REQUIRE(pipe(pipe_fds) == 0);  // not close-on-exec: the runner must still close it in the child
  std::string count = dir.script("fds.sh", "ls /proc/self/fd | wc -l");
  HookResult r = runHook({count}, 5000);
  close(pipe_fds[0]);
  close(pipe_fds[1]);
  REQUIRE(r.ok);
  // 0, 1, 2 and the fd ls itself opens on /proc/self/fd.
  CHECK(std::stoi(r.output) == 4);
  for (int i = 0; i < 20; ++i) runHook({count}, 5000);
  CHECK(onvif::test::openFdCount() == before);
}

TEST_CASE("hook: detached start returns at once and runs the hook later") {
  TempDir dir;
  std::string mark = dir.path + "/ran";
  std::string hook = dir.script("mark.sh", "touch '" + mark + "'");
  std::string error;
  REQUIRE(spawnHookDetached({hook}, 200, &error));
  CHECK(access(mark.c_str(), F_OK) != 0);  // not yet: it waits 200 ms first
  for (int i = 0; i < 200 && access(mark.c_str(), F_OK) != 0; ++i) usleep(25000);
  CHECK(access(mark.c_str(), F_OK) == 0);
  CHECK_FALSE(spawnHookDetached({"relative"}, 0, &error));
}

namespace {

// The value of a "Name:\tvalue" line of /proc/<pid>/status text.
std::string statusField(const std::string& status, const std::string& name) {
  std::size_t at = status.find("\n" + name + ":");
  if (at == std::string::npos) return "";
  std::size_t begin = status.find_first_not_of(" \t", at + name.size() + 2);
  return status.substr(begin, status.find('\n', begin) - begin);
}

// A SigBlk/SigIgn hex mask without signals 32 and 33: glibc keeps those for
// itself (thread cancellation, setxid) and its sigaction refuses to touch
// them, so when whoever started the daemon ignored them, exec passes that
// on and no runner can undo it. No program uses them; every other signal
// must be clear.
unsigned long long withoutGlibcSignals(const std::string& hex) {
  unsigned long long bits = std::stoull(hex, nullptr, 16);
  return bits & ~((1ULL << 31) | (1ULL << 32));
}

}  // namespace

TEST_CASE("hook: the child starts with no signal blocked or ignored, whatever the daemon's state") {
  // The test process is in the daemon's state (tests/unit/main.cpp):
  // SIGTERM and friends blocked, SIGPIPE ignored.
  sigset_t mask;
  REQUIRE(pthread_sigmask(SIG_BLOCK, nullptr, &mask) == 0);
  REQUIRE(sigismember(&mask, SIGTERM) == 1);
  struct sigaction pipe_action {};
  REQUIRE(sigaction(SIGPIPE, nullptr, &pipe_action) == 0);
  REQUIRE((pipe_action.sa_handler == SIG_IGN));

  // No shell in between: cat reports its own state.
  HookResult r = runHook({"/bin/cat", "/proc/self/status"}, 5000);
  REQUIRE(r.ok);
  CHECK(statusField(r.output, "SigBlk") == "0000000000000000");
  CHECK(withoutGlibcSignals(statusField(r.output, "SigIgn")) == 0);

  // The media apply hook's entry point is the same runner.
  std::string script =
      "b=$(sed -n 's/^SigBlk:[[:space:]]*//p' /proc/self/status); "
      "i=$(sed -n 's/^SigIgn:[[:space:]]*//p' /proc/self/status); "
      "[ $((0x$b)) -eq 0 ] && [ $((0x$i & ~0x180000000)) -eq 0 ]";
  CHECK(runCommand({"/bin/sh", "-c", script}, 5000).ok);
}
