#include "security/security.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <set>
#include <string>

#include "security/access_policy.hpp"
#include "security/challenge_budget.hpp"
#include "security/failure_throttle.hpp"
#include "security/replay_cache.hpp"
#include "security/user_store.hpp"
#include "security/username_token.hpp"
#include "soap/operation_table.hpp"
#include "state/settings_store.hpp"
#include "test_support.hpp"

using namespace onvif::security;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

using onvif::test::TempDir;

std::chrono::system_clock::time_point at(const char* xsd) {
  std::chrono::system_clock::time_point t;
  REQUIRE(parseXsdDateTime(xsd, &t));
  return t;
}

// The constructed Unifi-style capture's token (client-captures README):
// admin/admin, valid at its Created.
UsernameTokenFields unifiToken() {
  UsernameTokenFields t;
  t.username = "admin";
  t.has_password = true;
  t.password = "k6rU8wIL5uJzJhmwS1lCQ7Zr6t8=";
  t.password_type = kPasswordDigestType;
  t.has_nonce = true;
  t.nonce = "XzyaDR57Qsim0J4fO3xaIQ==";
  t.has_created = true;
  t.created = "2026-11-26T16:41:00Z";
  return t;
}

std::vector<User> seed() {
  return {User{"admin", "admin", UserLevel::Administrator}};
}

}  // namespace

TEST_CASE("security: the access table names every bound operation exactly once, and nothing else") {
  std::set<std::string> bound, listed;
  for (std::size_t i = 0; i < onvif::soap::kBoundOperationCount; i++)
    bound.insert(onvif::soap::kBoundOperations[i].element);
  for (std::size_t i = 0; i < operationAccessTableSize(); i++) {
    CHECK_MESSAGE(listed.insert(operationAccessTable()[i].element).second, operationAccessTable()[i].element);
  }
  for (const auto& op : bound) CHECK_MESSAGE(listed.count(op) == 1, "no access class for ", op);
  for (const auto& op : listed) CHECK_MESSAGE(bound.count(op) == 1, "not a bound operation: ", op);
}

TEST_CASE("security: access classes the spec and the issue name") {
  struct {
    const char* op;
    AccessClass c;
  } cases[] = {
      {"tds:GetUsers", AccessClass::ReadSystemSecret},
      {"tds:CreateUsers", AccessClass::WriteSystem},
      {"tds:GetHostname", AccessClass::PreAuth},
      {"tds:GetSystemDateAndTime", AccessClass::PreAuth},
      {"tds:GetCapabilities", AccessClass::PreAuth},
      {"tds:GetServices", AccessClass::PreAuth},
      {"tds:GetWsdlUrl", AccessClass::PreAuth},
      {"tds:GetEndpointReference", AccessClass::PreAuth},
      {"tds:SetSystemFactoryDefault", AccessClass::Unrecoverable},
      {"tds:SystemReboot", AccessClass::Unrecoverable},
      {"tds:GetSystemLog", AccessClass::ReadSystemSecret},
      {"tds:GetNetworkInterfaces", AccessClass::ReadSystem},
      {"tev:PullMessages", AccessClass::ReadMedia},
      {"tev:CreatePullPointSubscription", AccessClass::ReadMedia},
      {"wsnt:Renew", AccessClass::ReadMedia},
      {"wsnt:Unsubscribe", AccessClass::ReadMedia},
      {"trt:GetProfiles", AccessClass::ReadMedia},
      {"trt:GetStreamUri", AccessClass::ReadMedia},
      {"tptz:ContinuousMove", AccessClass::Actuate},
  };
  for (const auto& k : cases) {
    AccessClass c;
    REQUIRE_MESSAGE(accessClassOf(k.op, &c), k.op);
    CHECK_MESSAGE(c == k.c, k.op, " is ", accessClassName(c));
  }
}

TEST_CASE("security: default access policy matrix (Core spec table)") {
  const AccessClass classes[] = {
      AccessClass::PreAuth,          AccessClass::ReadSystem,  AccessClass::ReadSystemSensitive,
      AccessClass::ReadSystemSecret, AccessClass::WriteSystem, AccessClass::Unrecoverable,
      AccessClass::ReadMedia,        AccessClass::Actuate};
  // Rows in the order above; columns Administrator, Operator, User, Anonymous.
  const char* expected[] = {"XXXX", "XXX-", "XX--", "X---", "X---", "X---", "XXX-", "XX--"};
  const UserLevel levels[] = {UserLevel::Administrator, UserLevel::Operator, UserLevel::User,
                              UserLevel::Anonymous};
  for (int r = 0; r < 8; r++) {
    for (int c = 0; c < 4; c++) {
      CHECK_MESSAGE(levelMayAccess(levels[c], classes[r]) == (expected[r][c] == 'X'),
                    accessClassName(classes[r]), " ", userLevelName(levels[c]));
    }
    CHECK(levelMayAccess(UserLevel::Extended, classes[r]) == levelMayAccess(UserLevel::User, classes[r]));
  }
}

TEST_CASE("security: xsd:dateTime forms that clients send") {
  CHECK(at("2026-11-26T16:37:13Z") == at("2026-11-26T16:37:13+00:00"));
  CHECK(at("2026-11-26T16:37:46.062Z") == at("2026-11-26T16:37:46Z"));
  CHECK(at("2026-11-26T17:37:13+01:00") == at("2026-11-26T16:37:13Z"));
  CHECK(at("2026-11-26T16:37:13") == at("2026-11-26T16:37:13Z"));
  std::chrono::system_clock::time_point t;
  for (const char* bad : {"", "2026-11-26", "2026-13-01T00:00:00Z", "2026-11-26T16:37:13Zjunk",
                          "2026-11-26T16:37:13.Z", "x026-11-26T16:37:13Z", "2026-11-26T16:37:13+0100"}) {
    CHECK_MESSAGE(!parseXsdDateTime(bad, &t), bad);
  }
}

TEST_CASE("security: PasswordDigest known vector, freshness, wrong password, missing parts") {
  UsernameTokenFields t = unifiToken();
  auto created = at("2026-11-26T16:41:00Z");
  CHECK(passwordDigest(std::string("\x5f\x3c\x9a\x0d\x1e\x7b\x42\xc8\xa6\xd0\x9e\x1f\x3b\x7c\x5a\x21", 16),
                       t.created, "admin") == t.password);
  CHECK(checkUsernameToken(t, "admin", created, seconds(300)) == TokenCheck::Ok);
  CHECK(checkUsernameToken(t, "admin", created + seconds(300), seconds(300)) == TokenCheck::Ok);
  CHECK(checkUsernameToken(t, "admin", created + seconds(301), seconds(300)) == TokenCheck::Stale);
  CHECK(checkUsernameToken(t, "admin", created - seconds(301), seconds(300)) == TokenCheck::Stale);
  CHECK(checkUsernameToken(t, "Admin", created, seconds(300)) == TokenCheck::BadPassword);
  CHECK(checkUsernameToken(t, "", created, seconds(300)) == TokenCheck::BadPassword);
  UsernameTokenFields noNonce = t;
  noNonce.has_nonce = false;
  CHECK(checkUsernameToken(noNonce, "admin", created, seconds(300)) == TokenCheck::Malformed);
  UsernameTokenFields noCreated = t;
  noCreated.has_created = false;
  CHECK(checkUsernameToken(noCreated, "admin", created, seconds(300)) == TokenCheck::Malformed);
  UsernameTokenFields badNonce = t;
  badNonce.nonce = "***";
  CHECK(checkUsernameToken(badNonce, "admin", created, seconds(300)) == TokenCheck::Malformed);
  UsernameTokenFields otherType = t;
  otherType.password_type = "urn:example:other";
  CHECK(checkUsernameToken(otherType, "admin", created, seconds(300)) == TokenCheck::Malformed);
}

TEST_CASE("security: PasswordText also needs Nonce and Created") {
  UsernameTokenFields t = unifiToken();
  t.password = "admin";
  t.password_type = kPasswordTextType;
  auto created = at("2026-11-26T16:41:00Z");
  CHECK(checkUsernameToken(t, "admin", created, seconds(60)) == TokenCheck::Ok);
  CHECK(checkUsernameToken(t, "admin2", created, seconds(60)) == TokenCheck::BadPassword);
  t.has_nonce = false;
  CHECK(checkUsernameToken(t, "admin", created, seconds(60)) == TokenCheck::Malformed);
}

TEST_CASE("security: replay cache: third party and late reuse refused, same client briefly allowed") {
  ReplayCache::Limits limits;
  limits.capacity = 4;
  limits.retention = seconds(600);
  limits.reuse_window = milliseconds(2000);
  limits.max_reuses = 3;
  ReplayCache cache(limits);
  auto t0 = ReplayCache::Clock::time_point() + seconds(1000);
  CHECK(cache.admit("tok", "10.0.0.1", t0));
  CHECK_FALSE(cache.admit("tok", "10.0.0.2", t0 + milliseconds(10)));  // another address
  CHECK(cache.admit("tok", "10.0.0.1", t0 + milliseconds(500)));       // libonvif, same second
  CHECK(cache.admit("tok", "10.0.0.1", t0 + milliseconds(900)));
  CHECK(cache.admit("tok", "10.0.0.1", t0 + milliseconds(1000)));
  CHECK_FALSE(cache.admit("tok", "10.0.0.1", t0 + milliseconds(1100)));  // max_reuses
  CHECK(cache.admit("tok2", "10.0.0.1", t0));
  CHECK_FALSE(cache.admit("tok2", "10.0.0.1", t0 + milliseconds(2001)));  // after the reuse window
  for (int i = 0; i < 20; i++) cache.admit("other" + std::to_string(i), "10.0.0.1", t0);
  CHECK(cache.size() <= 4);  // bounded
  ReplayCache expiring(limits);
  CHECK(expiring.admit("a", "p", t0));
  CHECK(expiring.admit("b", "p", t0 + seconds(601)));  // "a" expired with it
  CHECK(expiring.size() == 1);
}

TEST_CASE("security: failure throttle grows, is capped, resets on success, and is bounded") {
  FailureThrottle::Limits limits;
  limits.capacity = 3;
  limits.free_failures = 2;
  limits.step = milliseconds(100);
  limits.max_delay = milliseconds(250);
  FailureThrottle th(limits);
  auto t = FailureThrottle::Clock::now();
  CHECK(th.failure("a", t).count() == 0);
  CHECK(th.failure("a", t).count() == 0);
  CHECK(th.failure("a", t).count() == 100);
  CHECK(th.failure("a", t).count() == 200);
  CHECK(th.failure("a", t).count() == 250);
  th.success("a");
  CHECK(th.failure("a", t).count() == 0);
  CHECK(th.failure("a", t + seconds(61)).count() == 0);  // forgotten after quiet time
  for (int i = 0; i < 10; i++) th.failure("peer" + std::to_string(i), t);
  CHECK(th.size() <= 3);
}

TEST_CASE("users: seed on first start, persist, reload") {
  TempDir dir;
  std::string path = dir.path + "/state.ini";
  {
    onvif::state::SettingsStore settings(path);
    std::string error;
    REQUIRE(settings.load(&error));
    UserStore users(&settings, UserLimits{});
    REQUIRE(users.load(seed(), &error));
    REQUIRE(users.list().size() == 1);
    CHECK(users.create({User{"op", "secret1", UserLevel::Operator}}, &error) == UserError::None);
  }
  onvif::state::SettingsStore settings(path);
  std::string error;
  REQUIRE(settings.load(&error));
  UserStore users(&settings, UserLimits{});
  REQUIRE(users.load({User{"other", "x", UserLevel::Administrator}}, &error));  // seed ignored: users exist
  User u;
  REQUIRE(users.find("op", &u));
  CHECK(u.password == "secret1");
  CHECK(u.level == UserLevel::Operator);
  CHECK_FALSE(users.find("other", &u));
}

TEST_CASE("users: a request is all or nothing, with the spec's refusals") {
  onvif::state::SettingsStore settings;  // in memory
  std::string error;
  UserLimits limits;
  limits.max_users = 3;
  limits.max_username_length = 8;
  limits.max_password_length = 10;
  UserStore users(&settings, limits);
  REQUIRE(users.load(seed(), &error));
  CHECK(users.create({User{"a", "pw", UserLevel::User}, User{"admin", "pw", UserLevel::User}}, &error) ==
        UserError::UsernameClash);
  CHECK(users.list().size() == 1);  // "a" was not created either
  CHECK(users.create({User{"a", "pw", UserLevel::User}, User{"a", "pw", UserLevel::User}}, &error) ==
        UserError::UsernameClash);
  CHECK(users.create({User{"toolongname", "pw", UserLevel::User}}, &error) == UserError::UsernameTooLong);
  CHECK(users.create({User{"", "pw", UserLevel::User}}, &error) == UserError::UsernameTooShort);
  CHECK(users.create({User{"a:b", "pw", UserLevel::User}}, &error) == UserError::InvalidUsername);
  CHECK(users.create({User{"a", "01234567890", UserLevel::User}}, &error) == UserError::PasswordTooLong);
  CHECK(users.create({User{"a", "", UserLevel::User}}, &error) == UserError::PasswordTooWeak);
  CHECK(users.create({User{"a", "pw", UserLevel::Anonymous}}, &error) == UserError::AnonymousNotAllowed);
  CHECK(users.create({User{"a", "pw", UserLevel::User}, User{"b", "pw", UserLevel::User},
                      User{"c", "pw", UserLevel::User}},
                     &error) == UserError::TooManyUsers);
  CHECK(users.list().size() == 1);
  CHECK(users.create({User{"a", "pw", UserLevel::User}, User{"b", "pw", UserLevel::Operator}}, &error) ==
        UserError::None);
  CHECK(users.remove({"a", "nobody"}, &error) == UserError::UsernameMissing);
  CHECK(users.list().size() == 3);
  CHECK(users.remove({"admin"}, &error) == UserError::FixedUser);  // the last Administrator
  CHECK(users.update({UserUpdate{"admin", true, "pw", UserLevel::User}}, &error) == UserError::FixedUser);
  CHECK(users.update({UserUpdate{"a", false, "", UserLevel::User}}, &error) == UserError::PasswordTooWeak);
  CHECK(users.update({UserUpdate{"a", true, "new", UserLevel::Administrator},
                      UserUpdate{"zz", true, "x", UserLevel::User}},
                     &error) == UserError::UsernameMissing);
  User u;
  REQUIRE(users.find("a", &u));
  CHECK(u.password == "pw");  // unchanged: the request failed as a whole
  CHECK(users.update({UserUpdate{"a", true, "new", UserLevel::Administrator}}, &error) == UserError::None);
  CHECK(users.remove({"admin"}, &error) == UserError::None);  // "a" is an Administrator now
}

TEST_CASE("users: a change that cannot be stored changes nothing") {
  TempDir dir;
  onvif::state::SettingsStore settings(dir.path + "/missing-folder/state.ini");
  std::string error;
  REQUIRE(settings.load(&error));
  UserStore users(&settings, UserLimits{});
  CHECK_FALSE(users.load(seed(), &error));  // the seed itself cannot be stored
  CHECK(users.create({User{"a", "pw", UserLevel::User}}, &error) == UserError::NotDurable);
  User u;
  CHECK_FALSE(users.find("a", &u));
}

TEST_CASE("security: digest challenge budget is bounded and refills as challenges age out") {
  ChallengeBudget budget(3);
  auto t = ChallengeBudget::Clock::time_point() + seconds(100000);
  CHECK(budget.take(t));
  CHECK(budget.take(t + seconds(5)));
  CHECK(budget.take(t + seconds(300)));
  CHECK_FALSE(budget.take(t + seconds(301)));
  CHECK_FALSE(budget.take(t + seconds(600)));
  CHECK(budget.take(t + seconds(620)));  // the first two are older than 610 s now
  CHECK(budget.take(t + seconds(621)));
  CHECK_FALSE(budget.take(t + seconds(622)));
}

TEST_CASE("security: after a factory reset clears the users, the configured administrator is seeded again") {
  onvif::core::Config config;
  config.security.admin_user = "root";
  config.security.admin_password = "first-pw";
  onvif::state::SettingsStore settings;
  std::string error;
  auto sec = setupSecurity(config, &settings, &error);
  REQUIRE(sec);
  REQUIRE(sec->users.create({User{"a", "pw", UserLevel::User}}, &error) == UserError::None);
  REQUIRE(settings.clearAllExcept({}, &error));
  REQUIRE(sec->reloadUsers(&error));
  auto users = sec->users.list();
  REQUIRE(users.size() == 1);
  CHECK(users[0].name == "root");
  CHECK(users[0].level == UserLevel::Administrator);
}

TEST_CASE("security: the default password on a non-loopback address stops the start unless allowed") {
  onvif::core::Config config;
  std::string error;
  onvif::state::SettingsStore s1;
  config.server.bind = "127.0.0.1";
  CHECK(setupSecurity(config, &s1, &error) != nullptr);
  onvif::state::SettingsStore s2;
  config.server.bind = "0.0.0.0";
  CHECK(setupSecurity(config, &s2, &error) == nullptr);
  CHECK(error.find("default password") != std::string::npos);
  onvif::state::SettingsStore s3;
  config.security.allow_default_password = true;
  CHECK(setupSecurity(config, &s3, &error) != nullptr);
  onvif::state::SettingsStore s4;
  config.security.allow_default_password = false;
  config.security.admin_password = "a-real-one";
  CHECK(setupSecurity(config, &s4, &error) != nullptr);
}

TEST_CASE("security: a bind list is loopback only when every address is") {
  onvif::core::Config config;
  std::string error;
  onvif::state::SettingsStore s1;
  config.server.bind = "127.0.0.1, ::1";
  CHECK(setupSecurity(config, &s1, &error) != nullptr);
  onvif::state::SettingsStore s2;
  config.server.bind = "127.0.0.1, 192.0.2.7";
  CHECK(setupSecurity(config, &s2, &error) == nullptr);
}
