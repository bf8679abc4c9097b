#include "core/config_fields.hpp"

namespace onvif::core {

// [security]: users, authentication and access policy (docs/security.md).
void addSecurityFields(FieldTable& t) {
  auto S = &Config::security;
  t["security.admin_user"] = textField(S, &SecurityConfig::admin_user, 64);
  t["security.admin_password"] = textField(S, &SecurityConfig::admin_password, 256);
  t["security.allow_default_password"] = boolField(S, &SecurityConfig::allow_default_password);
  t["security.realm"] = textField(S, &SecurityConfig::realm, 64);
  t["security.users_file"] = textField(S, &SecurityConfig::users_file, 4096);
  t["security.token_window_s"] = numberField(S, &SecurityConfig::token_window_s, 1, 86400);
  t["security.token_reuse_window_ms"] = numberField(S, &SecurityConfig::token_reuse_window_ms, 0, 10000);
  t["security.token_time_offset_s"] =
      numberField(S, &SecurityConfig::token_time_offset_s, -(1LL << 31) + 1, (1LL << 31) - 1);
  t["security.replay_cache_size"] = numberField(S, &SecurityConfig::replay_cache_size, 16, 1 << 20);
  t["security.max_digest_challenges"] = numberField(S, &SecurityConfig::max_digest_challenges, 1, 1 << 24);
  t["security.free_failures"] = numberField(S, &SecurityConfig::free_failures, 0, 1000);
  t["security.max_failure_delay_ms"] = numberField(S, &SecurityConfig::max_failure_delay_ms, 0, 10000);
  t["security.max_users"] = numberField(S, &SecurityConfig::max_users, 1, 1000);
  t["security.max_username_length"] = numberField(S, &SecurityConfig::max_username_length, 1, 256);
  t["security.max_password_length"] = numberField(S, &SecurityConfig::max_password_length, 1, 256);
  t["security.min_password_length"] = numberField(S, &SecurityConfig::min_password_length, 1, 256);
}

}  // namespace onvif::core
