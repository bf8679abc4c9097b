#include "security/users_file.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "platform/unique_fd.hpp"

namespace onvif::security {
namespace {

std::string md5Hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(text.data(), text.size(), digest, &len, EVP_md5(), nullptr);
  static const char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; i++) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

std::string folderOf(const std::string& path) {
  std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

bool writeAll(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

std::string failure(const char* what, const std::string& path) {
  return std::string(what) + " " + path + ": " + std::strerror(errno);
}

}  // namespace

std::string usersFileText(const std::string& realm, const std::vector<User>& users) {
  std::string out;
  // User names never hold ':' (UserStore::checkName), so every line splits
  // into exactly three fields.
  for (const User& u : users)
    out += u.name + ":" + realm + ":" + md5Hex(u.name + ":" + realm + ":" + u.password) + "\n";
  return out;
}

bool writeUsersFile(const std::string& path, const std::string& realm, const std::vector<User>& users,
                    std::string* error) {
  const std::string tmp = path + ".tmp";
  {
    platform::UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (!fd) {
      *error = failure("cannot create", tmp);
      return false;
    }
    if (!writeAll(fd.get(), usersFileText(realm, users)) || ::fsync(fd.get()) != 0) {
      *error = failure("cannot write", tmp);
      ::unlink(tmp.c_str());
      return false;
    }
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    *error = failure("cannot replace", path);
    ::unlink(tmp.c_str());
    return false;
  }
  platform::UniqueFd dir(::open(folderOf(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir) ::fsync(dir.get());
  return true;
}

}  // namespace onvif::security
