#pragma once
// The device's users (Core spec "Security": GetUsers, CreateUsers,
// DeleteUsers, SetUser) and their passwords, persisted in the settings store
// area "users". Passwords are kept as given, because both UsernameToken
// PasswordDigest (SHA-1 over nonce, created and the password) and HTTP Digest
// (over user:realm:password) need the password itself at verification time;
// the state file is created 0600 (see docs/security.md).
//
// Every change is validated in full first and then written in one store put,
// so a request either changes everything it asks for or nothing.
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "security/access_policy.hpp"

namespace onvif::state {
class SettingsStore;
}

namespace onvif::security {

struct User {
  std::string name;
  std::string password;
  UserLevel level = UserLevel::User;
};

struct UserLimits {
  std::size_t max_users = 32;
  std::size_t max_username_length = 32;
  std::size_t max_password_length = 64;
  std::size_t min_password_length = 1;
};

// Why a change was refused; the handler maps each to the spec's fault.
enum class UserError {
  None,
  UsernameClash,  // exists already, or twice in one request
  UsernameTooLong,
  UsernameTooShort,  // empty name
  InvalidUsername,   // control characters, ':' or '"' (unusable in HTTP Digest)
  PasswordTooLong,
  PasswordTooWeak,  // shorter than min_password_length (also: omitted in SetUser)
  TooManyUsers,
  AnonymousNotAllowed,
  UsernameMissing,  // no such user
  FixedUser,        // would leave the device without an Administrator
  NotDurable,       // the settings store could not persist the change
};

// A SetUser entry: the password is optional in tt:User.
struct UserUpdate {
  std::string name;
  bool has_password = false;
  std::string password;
  UserLevel level = UserLevel::User;
};

class UserStore {
 public:
  static constexpr const char* kArea = "users";

  UserStore(state::SettingsStore* settings, UserLimits limits);

  // Told the whole user list before every change is stored (false refuses
  // the change: NotDurable) and after load; the device's other servers get
  // the users this way (security/users_file.hpp). Set before load.
  using Export = std::function<bool(const std::vector<User>& users, std::string* error)>;
  void setExport(Export e) { export_ = std::move(e); }

  // Reads the stored users. When there are none (first start, or after a
  // factory reset) the seed users are stored. A stored list that does not
  // validate is ignored in favour of the seed (logged), and not overwritten
  // until a client changes users.
  bool load(const std::vector<User>& seed, std::string* error);

  std::vector<User> list() const;
  bool find(const std::string& name, User* user) const;
  const UserLimits& limits() const { return limits_; }

  UserError create(const std::vector<User>& users, std::string* error);
  UserError remove(const std::vector<std::string>& names, std::string* error);
  UserError update(const std::vector<UserUpdate>& changes, std::string* error);

  // Validation shared with the seed check; exposed for tests.
  UserError checkName(const std::string& name) const;
  UserError checkPassword(const std::string& password) const;

 private:
  UserError commitLocked(std::vector<User> next, std::string* error);
  bool exportLocked(std::string* error);

  state::SettingsStore* settings_;
  UserLimits limits_;
  mutable std::mutex mutex_;
  std::vector<User> users_;
  Export export_;
};

}  // namespace onvif::security
