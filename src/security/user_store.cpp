#include "security/user_store.hpp"

#include <algorithm>

#include "core/log.hpp"
#include "state/settings_store.hpp"

namespace onvif::security {
namespace {

bool hasAdministrator(const std::vector<User>& users) {
  return std::any_of(users.begin(), users.end(),
                     [](const User& u) { return u.level == UserLevel::Administrator; });
}

std::vector<User>::iterator findUser(std::vector<User>& users, const std::string& name) {
  return std::find_if(users.begin(), users.end(), [&](const User& u) { return u.name == name; });
}

state::Section toSection(const std::vector<User>& users) {
  std::vector<std::string> names, levels, passwords;
  for (const User& u : users) {
    names.push_back(u.name);
    levels.push_back(userLevelName(u.level));
    passwords.push_back(u.password);
  }
  state::Section s;
  state::setList(&s, "name", names);
  state::setList(&s, "level", levels);
  state::setList(&s, "password", passwords);
  return s;
}

}  // namespace

UserStore::UserStore(state::SettingsStore* settings, UserLimits limits)
    : settings_(settings), limits_(limits) {}

UserError UserStore::checkName(const std::string& name) const {
  if (name.empty()) return UserError::UsernameTooShort;
  if (name.size() > limits_.max_username_length) return UserError::UsernameTooLong;
  for (unsigned char ch : name) {
    if (ch < 0x20 || ch == 0x7f || ch == ':' || ch == '"' || ch == '\\') return UserError::InvalidUsername;
  }
  return UserError::None;
}

UserError UserStore::checkPassword(const std::string& password) const {
  if (password.size() > limits_.max_password_length) return UserError::PasswordTooLong;
  if (password.size() < limits_.min_password_length) return UserError::PasswordTooWeak;
  // The store keeps any byte but NUL; a NUL would cut the password short.
  if (password.find('\0') != std::string::npos) return UserError::PasswordTooWeak;
  return UserError::None;
}

bool UserStore::load(const std::vector<User>& seed, std::string* error) {
  std::lock_guard<std::mutex> lock(mutex_);
  state::Section s = settings_->get(kArea);
  std::vector<std::string> names = state::getList(s, "name");
  std::vector<std::string> levels = state::getList(s, "level");
  std::vector<std::string> passwords = state::getList(s, "password");
  std::vector<User> stored;
  bool valid = !names.empty() && names.size() == levels.size() && names.size() == passwords.size();
  for (std::size_t i = 0; valid && i < names.size(); i++) {
    User u{names[i], passwords[i], UserLevel::User};
    valid = parseUserLevel(levels[i], &u.level) && u.level != UserLevel::Anonymous &&
            checkName(u.name) == UserError::None && findUser(stored, u.name) == stored.end();
    stored.push_back(u);
  }
  if (valid && hasAdministrator(stored)) {
    users_ = std::move(stored);
    return exportLocked(error);
  }
  if (!names.empty()) {
    LOG_ERROR(
        "security: the stored users in %s are not valid; using the configured administrator until users are "
        "set again",
        settings_->path().c_str());
    users_ = seed;
    return exportLocked(error);
  }
  users_ = seed;
  if (!seed.empty() && !settings_->put(kArea, toSection(users_), error)) return false;
  return exportLocked(error);
}

bool UserStore::exportLocked(std::string* error) {
  return !export_ || export_(users_, error);
}

std::vector<User> UserStore::list() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return users_;
}

bool UserStore::find(const std::string& name, User* user) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const User& u : users_) {
    if (u.name == name) {
      *user = u;
      return true;
    }
  }
  return false;
}

UserError UserStore::create(const std::vector<User>& users, std::string* error) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<User> next = users_;
  for (const User& u : users) {
    if (UserError e = checkName(u.name); e != UserError::None) return e;
    if (findUser(next, u.name) != next.end()) return UserError::UsernameClash;
    if (u.level == UserLevel::Anonymous) return UserError::AnonymousNotAllowed;
    if (UserError e = checkPassword(u.password); e != UserError::None) return e;
    next.push_back(u);
  }
  if (next.size() > limits_.max_users) return UserError::TooManyUsers;
  return commitLocked(std::move(next), error);
}

UserError UserStore::remove(const std::vector<std::string>& names, std::string* error) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<User> next = users_;
  for (const std::string& name : names) {
    auto it = findUser(next, name);
    if (it == next.end()) return UserError::UsernameMissing;  // also a name given twice
    next.erase(it);
  }
  // A device keeps at least one Administrator, so that it can still be managed.
  if (!hasAdministrator(next)) return UserError::FixedUser;
  return commitLocked(std::move(next), error);
}

UserError UserStore::update(const std::vector<UserUpdate>& changes, std::string* error) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<User> next = users_;
  for (const UserUpdate& c : changes) {
    auto it = findUser(next, c.name);
    if (it == next.end()) return UserError::UsernameMissing;
    if (c.level == UserLevel::Anonymous) return UserError::AnonymousNotAllowed;
    // Core spec "SetUser": an omitted password means clearing it, which we
    // cannot accept: ter:PasswordTooWeak.
    if (!c.has_password) return UserError::PasswordTooWeak;
    if (UserError e = checkPassword(c.password); e != UserError::None) return e;
    it->password = c.password;
    it->level = c.level;
  }
  if (!hasAdministrator(next)) return UserError::FixedUser;
  return commitLocked(std::move(next), error);
}

UserError UserStore::commitLocked(std::vector<User> next, std::string* error) {
  // Exported first: a user deleted here must not go on streaming because
  // the export failed; if storing fails after it, the old list goes back.
  if (export_ && !export_(next, error)) return UserError::NotDurable;
  if (!settings_->put(kArea, toSection(next), error)) {
    std::string ignored;
    if (export_) export_(users_, &ignored);
    return UserError::NotDurable;
  }
  users_ = std::move(next);
  return UserError::None;
}

}  // namespace onvif::security
