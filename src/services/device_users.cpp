// Device service, user handling (Core spec "Security": GetUsers, CreateUsers,
// DeleteUsers, SetUser). The user store validates and persists; these
// handlers translate between tt:User and the store, and the store's refusals
// into the spec's faults. Each request is all-or-nothing.
#include "daemon/request_context.hpp"
#include "gsoap_onvifH.h"
#include "security/security.hpp"
#include "soap/faults.hpp"

namespace {

using namespace gsoap_onvif;
using onvif::security::UserError;
using onvif::security::UserLevel;
using onvif::soap::ErrorKind;

onvif::security::Security* securityOf(struct soap* soap) {
  return onvif::daemon::requestContext(soap).daemon->security;
}

UserLevel fromWire(tt__UserLevel level) {
  switch (level) {
    case tt__UserLevel__Administrator: return UserLevel::Administrator;
    case tt__UserLevel__Operator: return UserLevel::Operator;
    case tt__UserLevel__User: return UserLevel::User;
    case tt__UserLevel__Extended: return UserLevel::Extended;
    case tt__UserLevel__Anonymous: break;
  }
  return UserLevel::Anonymous;
}

tt__UserLevel toWire(UserLevel level) {
  switch (level) {
    case UserLevel::Administrator: return tt__UserLevel__Administrator;
    case UserLevel::Operator: return tt__UserLevel__Operator;
    case UserLevel::User: return tt__UserLevel__User;
    case UserLevel::Extended: return tt__UserLevel__Extended;
    case UserLevel::Anonymous: break;
  }
  return tt__UserLevel__Anonymous;
}

int answer(struct soap* soap, UserError e, const std::string& detail) {
  switch (e) {
    case UserError::None: return SOAP_OK;
    case UserError::UsernameClash: return onvif::soap::fault(soap, ErrorKind::UsernameClash);
    case UserError::UsernameTooLong: return onvif::soap::fault(soap, ErrorKind::UsernameTooLong);
    case UserError::UsernameTooShort: return onvif::soap::fault(soap, ErrorKind::UsernameTooShort);
    case UserError::InvalidUsername:
      return onvif::soap::fault(soap, ErrorKind::InvalidArgVal,
                                "The username contains a control character, ':', '\"' or '\\'");
    case UserError::PasswordTooLong: return onvif::soap::fault(soap, ErrorKind::PasswordTooLong);
    case UserError::PasswordTooWeak: return onvif::soap::fault(soap, ErrorKind::PasswordTooWeak);
    case UserError::TooManyUsers: return onvif::soap::fault(soap, ErrorKind::TooManyUsers);
    case UserError::AnonymousNotAllowed: return onvif::soap::fault(soap, ErrorKind::AnonymousNotAllowed);
    case UserError::UsernameMissing: return onvif::soap::fault(soap, ErrorKind::UsernameMissing);
    case UserError::FixedUser:
      return onvif::soap::fault(soap, ErrorKind::FixedUser,
                                "The device must keep at least one Administrator");
    case UserError::NotDurable:
      return onvif::soap::fault(soap, ErrorKind::ActionFailed, ("Cannot store the users: " + detail).c_str());
  }
  return onvif::soap::fault(soap, ErrorKind::ActionFailed);
}

}  // namespace

namespace gsoap_onvif {

// Core spec "Get users". Access class READ_SYSTEM_SECRET. Never returns passwords.
int __tds__GetUsers(struct soap* soap, _tds__GetUsers*, _tds__GetUsersResponse& response) {
  auto* sec = securityOf(soap);
  if (!sec) return onvif::soap::fault(soap, ErrorKind::ActionNotSupported);
  for (const auto& u : sec->users.list()) {
    auto* user = soap_new_tt__User(soap);
    user->Username = u.name;
    user->UserLevel = toWire(u.level);
    response.User.push_back(user);
  }
  return SOAP_OK;
}

// Core spec "Create users". Access class WRITE_SYSTEM. All or none.
int __tds__CreateUsers(struct soap* soap, _tds__CreateUsers* request, _tds__CreateUsersResponse&) {
  auto* sec = securityOf(soap);
  if (!sec) return onvif::soap::fault(soap, ErrorKind::ActionNotSupported);
  std::vector<onvif::security::User> users;
  for (const tt__User* u : request->User) {
    if (!u) continue;
    // A password is required to create a user; none means an empty one.
    users.push_back({u->Username, u->Password ? *u->Password : std::string(), fromWire(u->UserLevel)});
  }
  std::string error;
  return answer(soap, sec->users.create(users, &error), error);
}

// Core spec "Delete users". Access class WRITE_SYSTEM. All or none.
int __tds__DeleteUsers(struct soap* soap, _tds__DeleteUsers* request, _tds__DeleteUsersResponse&) {
  auto* sec = securityOf(soap);
  if (!sec) return onvif::soap::fault(soap, ErrorKind::ActionNotSupported);
  std::string error;
  return answer(soap, sec->users.remove(request->Username, &error), error);
}

// Core spec "SetUser". Access class WRITE_SYSTEM. All or none.
int __tds__SetUser(struct soap* soap, _tds__SetUser* request, _tds__SetUserResponse&) {
  auto* sec = securityOf(soap);
  if (!sec) return onvif::soap::fault(soap, ErrorKind::ActionNotSupported);
  std::vector<onvif::security::UserUpdate> changes;
  for (const tt__User* u : request->User) {
    if (!u) continue;
    onvif::security::UserUpdate c;
    c.name = u->Username;
    c.has_password = u->Password != nullptr;
    if (u->Password) c.password = *u->Password;
    c.level = fromWire(u->UserLevel);
    changes.push_back(c);
  }
  std::string error;
  return answer(soap, sec->users.update(changes, &error), error);
}

}  // namespace gsoap_onvif
