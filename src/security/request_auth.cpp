// Authentication and authorization of one request, between parsing its SOAP
// Header and dispatching its Body (called from SoapProcessor::serveOne).
// Design: docs/security.md.
#include <arpa/inet.h>
#include <sys/socket.h>

#include <cstring>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "connection_plugin.hpp"
#include "core/log.hpp"
#include "httpda.h"
#include "platform/blocking_region.hpp"
#include "security/access_policy.hpp"
#include "security/security.hpp"
#include "security/username_token.hpp"
#include "soap/faults.hpp"
#include "wsddH.h"  // the global module owns SOAP_ENV__Header and the wsse types

namespace onvif::security {
namespace {

// The access table's entries by the local part of their element name, in
// table order (the table is static; built once, on first use).
const std::unordered_map<std::string_view, std::vector<std::size_t>>& entriesByLocalName() {
  static const auto* index = [] {
    auto* m = new std::unordered_map<std::string_view, std::vector<std::size_t>>();
    const OperationAccess* table = operationAccessTable();
    for (std::size_t i = 0, n = operationAccessTableSize(); i < n; i++) {
      if (const char* c = std::strchr(table[i].element, ':')) (*m)[std::string_view(c + 1)].push_back(i);
    }
    return m;
  }();
  return *index;
}

// The bound operation named by the peeked Body element (any prefix, or a
// default namespace: soap_match_tag compares namespace URIs). Only the
// entries with the same local name are matched, not the whole table.
bool requestedOperation(struct ::soap* soap, AccessClass* access, const char** element) {
  const char* tag = soap->tag;
  const char* colon = std::strrchr(tag, ':');
  const char* local = colon ? colon + 1 : tag;
  const auto& index = entriesByLocalName();
  auto it = index.find(std::string_view(local));
  if (it == index.end()) return false;
  const OperationAccess* table = operationAccessTable();
  for (std::size_t i : it->second) {
    if (soap_match_tag(soap, tag, table[i].element) == SOAP_OK) {
      *access = table[i].access;
      *element = table[i].element;
      return true;
    }
  }
  return false;
}

std::string peerAddress(const sockaddr_storage& ss) {
  char host[INET6_ADDRSTRLEN] = "?";
  if (ss.ss_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&ss)->sin_addr, host, sizeof host);
  } else if (ss.ss_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&ss)->sin6_addr, host, sizeof host);
  }
  return host;
}

std::string peerAddress(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) ss.ss_family = AF_UNSPEC;
  return peerAddress(ss);
}

bool readToken(struct ::soap* soap, UsernameTokenFields* t) {
  const SOAP_ENV__Header* h = soap->header;
  if (!h || !h->wsse__Security || !h->wsse__Security->UsernameToken) return false;
  const _wsse__UsernameToken* u = h->wsse__Security->UsernameToken;
  t->username = u->Username ? u->Username : "";
  if (u->Password && u->Password->__item) {
    t->has_password = true;
    t->password = u->Password->__item;
    t->password_type = u->Password->Type ? u->Password->Type : "";
  }
  if (u->Nonce && u->Nonce->__item) {
    t->has_nonce = true;
    t->nonce = u->Nonce->__item;
    t->nonce_encoding = u->Nonce->EncodingType ? u->Nonce->EncodingType : "";
  }
  if (u->wsu__Created) {
    t->has_created = true;
    t->created = u->wsu__Created;
  }
  return true;
}

// A client-supplied name, safe to log: printable ASCII only, bounded.
std::string printable(const char* s) {
  std::string out;
  for (; s && *s && out.size() < 64; s++) out += (*s >= 0x20 && *s < 0x7f) ? *s : '?';
  return out;
}

const char* checkName(TokenCheck c) {
  switch (c) {
    case TokenCheck::Ok: return "ok";
    case TokenCheck::Malformed: return "incomplete or malformed token";
    case TokenCheck::Stale: return "Created outside the allowed window";
    case TokenCheck::BadPassword: return "wrong password";
  }
  return "?";
}

// Lower of two levels in the default policy's order (for a request that
// carries both HTTP and WS credentials).
UserLevel weaker(UserLevel a, UserLevel b) {
  return static_cast<int>(a) > static_cast<int>(b) ? a : b;
}

// HTTP 400 env:Sender ter:NotAuthorized (Core spec, UsernameToken case).
bool refuse(struct ::soap* soap, const char* why) {
  soap::fault(soap, soap::ErrorKind::NotAuthorized);
  LOG_DEBUG("security: refused: %s", why);
  soap_send_fault(soap);
  return false;
}

// HTTP 401 with Digest challenges (RFC 7616 SHA-256, then RFC 2617 MD5);
// gSOAP writes WWW-Authenticate for a 401, and the httpda plugin turns it
// into the challenges and remembers their nonces. The body is the same
// ter:NotAuthorized fault, which SOAP clients without Digest show as such.
bool challenge(struct ::soap* soap, Security& sec) {
  if (!sec.challenges.take(ChallengeBudget::Clock::now()))
    return refuse(soap, "digest challenge budget spent");
  soap->authrealm = soap_strdup(soap, sec.config.realm.c_str());
  soap::fault(soap, soap::ErrorKind::NotAuthorized);
  plugins::setFaultStatus(soap, 401);
  soap_send_fault(soap);
  return false;
}

void slowDown(Security& sec, const std::string& peer) {
  auto delay = sec.throttle.failure(peer, FailureThrottle::Clock::now());
  if (delay.count() <= 0) return;
  // The worker sleeps, it does not compute: let the pool serve others, so a
  // client hammering wrong passwords cannot take every worker.
  platform::BlockingRegion waiting;
  std::this_thread::sleep_for(delay);
}

}  // namespace

DigestParse registerAuthPlugins(struct ::soap* soap) {
  int option = 2;  // challenge with SHA-256 first, then MD5
  soap_register_plugin_arg(soap, http_da, &option);
  return DigestParse(soap);
}

bool authorizeRequest(struct ::soap* soap, Security* sec, std::chrono::system_clock::time_point now,
                      const sockaddr_storage& client) {
  // gSOAP echoes the request's Header in the response; the client's token
  // (a PasswordText even) must not travel back, so it is taken out here.
  UsernameTokenFields token;
  bool tokenPresent = readToken(soap, &token);
  if (soap->header) soap->header->wsse__Security = nullptr;
  AccessClass access;
  const char* element = nullptr;
  // An element the table does not know is treated as the strictest class
  // (fail closed): an authenticated Administrator then gets dispatch's
  // ter:ActionNotSupported, anyone else learns nothing.
  if (!requestedOperation(soap, &access, &element)) {
    access = AccessClass::Unrecoverable;
    element = "(unknown operation)";
  }
  // PRE_AUTH answers whatever credentials come with it, valid or not (Home
  // Assistant signs GetSystemDateAndTime with its own clock; libonvif sends
  // an empty user with GetHostname).
  if (access == AccessClass::PreAuth) return true;

  if (!sec) return refuse(soap, "no security subsystem");  // fail closed
  const std::string peer = peerAddress(client);

  // HTTP first (Core spec: "it shall first validate the credentials provided
  // on the HTTP layer").
  bool httpOk = false;
  UserLevel level = UserLevel::Anonymous;
  bool httpPresent = soap->userid != nullptr;
  if (httpPresent) {
    User u;
    // soap->passwd set means Basic: not accepted (ONVIF requires Digest).
    bool known = sec->users.find(soap->userid, &u);
    // An unknown user is verified against an empty password, so that the
    // answer does not tell which user names exist.
    if (soap->passwd || !soap->authrealm || sec->config.realm != soap->authrealm ||
        http_da_verify_post(soap, known ? u.password.c_str() : "") != SOAP_OK || !known) {
      LOG_INFO("security: HTTP authentication failed for '%s' from %s (%s)", printable(soap->userid).c_str(),
               peer.c_str(), element);
      slowDown(*sec, peer);
      return challenge(soap, *sec);
    }
    httpOk = true;
    level = u.level;
  }

  if (!httpPresent && !tokenPresent) {
    // Core spec: without credentials the client is assumed to want Digest.
    return challenge(soap, *sec);
  }
  if (tokenPresent) {
    User u;
    bool known = sec->users.find(token.username, &u);
    now += std::chrono::seconds(sec->config.token_time_offset_s);
    // An unknown user is checked against an empty password, so the answer
    // takes as long as for a known one.
    TokenCheck check = checkUsernameToken(token, known ? u.password : std::string(), now,
                                          std::chrono::seconds(sec->config.token_window_s));
    if (check != TokenCheck::Ok || !known) {
      LOG_INFO("security: UsernameToken of '%s' from %s refused: %s",
               printable(token.username.c_str()).c_str(), peer.c_str(),
               known ? checkName(check) : "unknown user");
      slowDown(*sec, peer);
      return refuse(soap, "bad token");
    }
    level = httpOk ? weaker(level, u.level) : u.level;
  }

  if (!levelMayAccess(level, access)) {
    LOG_INFO("security: %s (%s) refused to a user of level %s from %s", element, accessClassName(access),
             userLevelName(level), peer.c_str());
    return refuse(soap, "access policy");
  }
  // Last, so that only a request that is otherwise accepted uses up its token.
  if (tokenPresent) {
    // Keyed by the nonce's bytes, not its text: the same nonce re-encoded
    // (whitespace, hex instead of Base64) is the same token.
    std::string nonce;
    decodeNonce(token, &nonce);  // succeeded in checkUsernameToken
    std::string key = token.username + '\0' + nonce + '\0' + token.created;
    if (!sec->replay.admit(key, peer, ReplayCache::Clock::now())) {
      LOG_INFO("security: replayed UsernameToken of '%s' from %s", printable(token.username.c_str()).c_str(),
               peer.c_str());
      slowDown(*sec, peer);
      return refuse(soap, "replay");
    }
  }
  sec->throttle.success(peer);
  return true;
}

bool authorizeGet(struct ::soap* soap, Security* sec, int fd, AccessClass access) {
  if (soap->version == 0) soap->version = 2;  // a 401 or fault goes out as SOAP 1.2, like the others
  if (!sec) return refuse(soap, "no security subsystem");  // fail closed
  const std::string peer = peerAddress(fd);
  if (!soap->userid) return challenge(soap, *sec);
  User u;
  bool known = sec->users.find(soap->userid, &u);
  // As for POST: Basic is refused, and an unknown user is checked against an
  // empty password so the answer does not tell which names exist.
  if (soap->passwd || !soap->authrealm || sec->config.realm != soap->authrealm ||
      http_da_verify_get(soap, known ? u.password.c_str() : "") != SOAP_OK || !known) {
    LOG_INFO("security: HTTP authentication failed for '%s' from %s (GET %s)",
             printable(soap->userid).c_str(), peer.c_str(), printable(soap->path).c_str());
    slowDown(*sec, peer);
    return challenge(soap, *sec);
  }
  if (!levelMayAccess(u.level, access)) {
    LOG_INFO("security: GET %s (%s) refused to a user of level %s from %s", printable(soap->path).c_str(),
             accessClassName(access), userLevelName(u.level), peer.c_str());
    return refuse(soap, "access policy");
  }
  sec->throttle.success(peer);
  return true;
}

}  // namespace onvif::security
