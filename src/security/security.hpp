#pragma once
// The security subsystem as the daemon holds it: users, the replay cache for
// UsernameTokens, and the throttle for failed logins. Built once by main
// (setupSecurity) and reached by workers through DaemonState::security.
#include <sys/socket.h>

#include <chrono>
#include <memory>
#include <string>

#include "core/config.hpp"
#include "security/challenge_budget.hpp"
#include "security/digest_guard.hpp"
#include "security/failure_throttle.hpp"
#include "security/replay_cache.hpp"
#include "security/user_store.hpp"

struct soap;

namespace onvif::security {

// The embedded default configuration's password; a device that still uses it
// on a non-loopback address refuses to start unless allowed explicitly.
extern const char kDefaultPassword[];

struct Security {
  Security(const core::SecurityConfig& cfg, state::SettingsStore* settings);

  // Re-reads the users after the settings' "users" area was replaced or
  // cleared (a factory reset): with none stored, the configured
  // administrator is seeded again.
  bool reloadUsers(std::string* error);

  core::SecurityConfig config;
  UserStore users;
  ReplayCache replay;
  FailureThrottle throttle;
  ChallengeBudget challenges;
};

// Loads (or seeds) the users and checks the default-password rule for
// `bind`. Returns nullptr and sets `error` when the daemon must not start.
std::unique_ptr<Security> setupSecurity(const core::Config& config, state::SettingsStore* settings,
                                        std::string* error);

// Registers gSOAP's HTTP Digest plugin on a worker's context. The result
// spares requests without HTTP credentials its digest work (digest_guard.hpp).
DigestParse registerAuthPlugins(struct ::soap* soap);

// Core spec "Authentication over HTTP and HTTPS" and "User-based access
// control", for the request whose Header has been parsed and whose Body's
// first element has been peeked. Returns true when the operation may be
// dispatched; otherwise the 401 challenge or the ter:NotAuthorized fault has
// been sent. `sec` nullptr refuses all but PRE_AUTH operations; `now` is the
// device's clock (UsernameToken freshness); `peer` is the client's address,
// as accept returned it.
bool authorizeRequest(struct ::soap* soap, Security* sec, std::chrono::system_clock::time_point now,
                      const sockaddr_storage& peer);

// The same for an HTTP GET outside SOAP (the snapshot JPEG): HTTP Digest
// only, then the access class. Returns true when it may be answered;
// otherwise the 401 challenge or the refusal has been sent. `sec` nullptr
// refuses.
bool authorizeGet(struct ::soap* soap, Security* sec, int fd, AccessClass access);

}  // namespace onvif::security
