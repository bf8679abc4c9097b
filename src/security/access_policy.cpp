#include "security/access_policy.hpp"

#include <cstring>

namespace onvif::security {

const char* accessClassName(AccessClass c) {
  switch (c) {
    case AccessClass::PreAuth: return "PRE_AUTH";
    case AccessClass::ReadSystem: return "READ_SYSTEM";
    case AccessClass::ReadSystemSensitive: return "READ_SYSTEM_SENSITIVE";
    case AccessClass::ReadSystemSecret: return "READ_SYSTEM_SECRET";
    case AccessClass::WriteSystem: return "WRITE_SYSTEM";
    case AccessClass::Unrecoverable: return "UNRECOVERABLE";
    case AccessClass::ReadMedia: return "READ_MEDIA";
    case AccessClass::Actuate: return "ACTUATE";
  }
  return "?";
}

const char* userLevelName(UserLevel level) {
  switch (level) {
    case UserLevel::Administrator: return "Administrator";
    case UserLevel::Operator: return "Operator";
    case UserLevel::User: return "User";
    case UserLevel::Extended: return "Extended";
    case UserLevel::Anonymous: return "Anonymous";
  }
  return "?";
}

bool parseUserLevel(const std::string& text, UserLevel* level) {
  for (UserLevel l : {UserLevel::Administrator, UserLevel::Operator, UserLevel::User, UserLevel::Extended,
                      UserLevel::Anonymous}) {
    if (text == userLevelName(l)) {
      *level = l;
      return true;
    }
  }
  return false;
}

bool levelMayAccess(UserLevel level, AccessClass c) {
  if (level == UserLevel::Extended) level = UserLevel::User;  // no roles: the User column
  switch (c) {
    case AccessClass::PreAuth: return true;
    case AccessClass::ReadSystem:
    case AccessClass::ReadMedia:
      return level == UserLevel::Administrator || level == UserLevel::Operator || level == UserLevel::User;
    case AccessClass::ReadSystemSensitive:
    case AccessClass::Actuate: return level == UserLevel::Administrator || level == UserLevel::Operator;
    case AccessClass::ReadSystemSecret:
    case AccessClass::WriteSystem:
    case AccessClass::Unrecoverable: return level == UserLevel::Administrator;
  }
  return false;
}

bool accessClassOf(const char* element, AccessClass* c) {
  const OperationAccess* table = operationAccessTable();
  for (std::size_t i = 0, n = operationAccessTableSize(); i < n; i++) {
    if (std::strcmp(table[i].element, element) == 0) {
      *c = table[i].access;
      return true;
    }
  }
  return false;
}

}  // namespace onvif::security
