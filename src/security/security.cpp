#include "security/security.hpp"

#include <arpa/inet.h>

#include "core/log.hpp"
#include "security/users_file.hpp"

namespace onvif::security {

const char kDefaultPassword[] = "admin";

namespace {

UserLimits limitsOf(const core::SecurityConfig& c) {
  UserLimits l;
  l.max_users = static_cast<std::size_t>(c.max_users);
  l.max_username_length = static_cast<std::size_t>(c.max_username_length);
  l.max_password_length = static_cast<std::size_t>(c.max_password_length);
  l.min_password_length = static_cast<std::size_t>(c.min_password_length);
  return l;
}

ReplayCache::Limits replayLimitsOf(const core::SecurityConfig& c) {
  ReplayCache::Limits l;
  l.capacity = static_cast<std::size_t>(c.replay_cache_size);
  // Past twice the window a token is stale by the device clock anyway.
  l.retention = std::chrono::seconds(2 * c.token_window_s + 1);
  l.reuse_window = std::chrono::milliseconds(c.token_reuse_window_ms);
  return l;
}

FailureThrottle::Limits throttleLimitsOf(const core::SecurityConfig& c) {
  FailureThrottle::Limits l;
  l.free_failures = c.free_failures;
  l.max_delay = std::chrono::milliseconds(c.max_failure_delay_ms);
  return l;
}

bool isLoopbackAddress(const std::string& address) {
  in_addr a4{};
  in6_addr a6{};
  if (inet_pton(AF_INET, address.c_str(), &a4) == 1) return (ntohl(a4.s_addr) >> 24) == 127;
  if (inet_pton(AF_INET6, address.c_str(), &a6) == 1) return IN6_IS_ADDR_LOOPBACK(&a6);
  return address == "localhost";
}

// [server] bind is a comma list: loopback only if every entry is.
bool isLoopback(const std::string& bind) {
  std::size_t pos = 0;
  bool any = false;
  while (pos <= bind.size()) {
    std::size_t comma = bind.find(',', pos);
    if (comma == std::string::npos) comma = bind.size();
    std::string item = bind.substr(pos, comma - pos);
    std::size_t b = item.find_first_not_of(" \t"), e = item.find_last_not_of(" \t");
    if (b != std::string::npos) {
      if (!isLoopbackAddress(item.substr(b, e - b + 1))) return false;
      any = true;
    }
    pos = comma + 1;
  }
  return any;
}

std::vector<User> seedOf(const core::SecurityConfig& c) {
  if (c.admin_user.empty()) return {};
  return {User{c.admin_user, c.admin_password, UserLevel::Administrator}};
}

}  // namespace

bool Security::reloadUsers(std::string* error) {
  return users.load(seedOf(config), error);
}

Security::Security(const core::SecurityConfig& cfg, state::SettingsStore* settings)
    : config(cfg),
      users(settings, limitsOf(cfg)),
      replay(replayLimitsOf(cfg)),
      throttle(throttleLimitsOf(cfg)),
      challenges(static_cast<std::uint64_t>(cfg.max_digest_challenges)) {
  if (!cfg.users_file.empty()) {
    users.setExport(
        [path = cfg.users_file, realm = cfg.realm](const std::vector<User>& list, std::string* error) {
          if (writeUsersFile(path, realm, list, error)) return true;
          LOG_ERROR("security: users_file: %s", error->c_str());
          return false;
        });
  }
}

std::unique_ptr<Security> setupSecurity(const core::Config& config, state::SettingsStore* settings,
                                        std::string* error) {
  auto sec = std::make_unique<Security>(config.security, settings);
  const core::SecurityConfig& c = config.security;
  if (!c.admin_user.empty() && (sec->users.checkName(c.admin_user) != UserError::None ||
                                sec->users.checkPassword(c.admin_password) != UserError::None)) {
    *error = "[security] admin_user / admin_password do not meet the user limits";
    return nullptr;
  }
  if (!sec->reloadUsers(error)) return nullptr;
  bool defaultInUse = false;
  for (const User& u : sec->users.list()) {
    if (u.password == kDefaultPassword) defaultInUse = true;
  }
  if (defaultInUse) {
    if (!isLoopback(config.server.bind) && !c.allow_default_password) {
      *error = "a user still has the default password '" + std::string(kDefaultPassword) +
               "' and the server is bound to " + config.server.bind +
               "; set [security] admin_password (before the first start) or change the "
               "password on a loopback start, or set [security] allow_default_password = true";
      return nullptr;
    }
    LOG_WARN("security: a user has the default password '%s'; change it (SetUser) before exposing the device",
             kDefaultPassword);
  }
  if (c.token_time_offset_s != 0) {
    LOG_WARN(
        "security: UsernameToken Created times are judged %d s off the device clock (token_time_offset_s)",
        c.token_time_offset_s);
  }
  return sec;
}

}  // namespace onvif::security
