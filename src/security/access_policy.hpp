#pragma once
// ONVIF user-based access control (Core spec "User-based access control"):
// every bound operation belongs to one access class, and the default access
// policy says which user levels may use each class. The operation table in
// access_classes.cpp is the single source of truth; a unit test checks that
// it names every operation the binary binds (build/gen/operations.cpp).
#include <cstddef>
#include <string>

namespace onvif::security {

enum class AccessClass {
  PreAuth,              // no authentication (GetSystemDateAndTime, GetCapabilities, ...)
  ReadSystem,           // reads system configuration
  ReadSystemSensitive,  // reads sensitive (not confidential) configuration
  ReadSystemSecret,     // reads confidential configuration (GetUsers, GetSystemLog)
  WriteSystem,          // changes system configuration
  Unrecoverable,        // unrecoverable changes (factory default, reboot)
  ReadMedia,            // reads media data (profiles, stream URIs, events)
  Actuate,              // affects runtime behaviour (PTZ moves, encoder settings)
};

// Core spec "User Levels". Extended users are authenticated like the others;
// without user roles (not supported) they get the User level's rights.
enum class UserLevel { Administrator, Operator, User, Extended, Anonymous };

const char* accessClassName(AccessClass c);
const char* userLevelName(UserLevel level);  // as in tt:UserLevel ("Administrator", ...)
bool parseUserLevel(const std::string& text, UserLevel* level);

// Core spec table "Default Access Policy Definition".
bool levelMayAccess(UserLevel level, AccessClass c);

struct OperationAccess {
  const char* element;  // qualified request element, as in kBoundOperations ("tds:GetUsers")
  AccessClass access;
};

const OperationAccess* operationAccessTable();
std::size_t operationAccessTableSize();

// The access class of a bound operation by its qualified name; false when the
// table does not know it.
bool accessClassOf(const char* element, AccessClass* c);

}  // namespace onvif::security
