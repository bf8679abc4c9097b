#include "state/settings_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "platform/sys.hpp"
#include "platform/unique_fd.hpp"

namespace onvif::state {
namespace {

bool validKey(const std::string& key) {
  if (key.empty()) return false;
  for (char c : key) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// Values are escaped so that any text fits on one line.
std::string escape(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
  return out;
}

bool unescape(const std::string& text, std::string* out) {
  out->clear();
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      *out += text[i];
      continue;
    }
    if (++i == text.size()) return false;
    switch (text[i]) {
      case '\\': *out += '\\'; break;
      case 'n': *out += '\n'; break;
      case 'r': *out += '\r'; break;
      default: return false;
    }
  }
  return true;
}

std::string errnoText(const char* what, const std::string& path) {
  return std::string(what) + " " + path + ": " + strerror(errno);
}

bool writeAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = sys::ops().write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

std::string folderOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

SettingsStore::SettingsStore(std::string path) : path_(std::move(path)) {}

bool SettingsStore::load(std::string* error, std::string* warning) {
  std::lock_guard<std::mutex> lock(mutex_);
  areas_.clear();
  if (path_.empty()) return true;
  platform::UniqueFd fd(sys::ops().open(path_.c_str(), O_RDONLY | O_CLOEXEC, 0));
  if (!fd) {
    if (errno == ENOENT) return true;
    *error = errnoText("cannot open", path_);
    return false;
  }
  std::string text;
  char buf[4096];
  for (;;) {
    ssize_t n = sys::ops().read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *error = errnoText("cannot read", path_);
      return false;
    }
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
  }
  std::string parseError;
  if (!parse(text, &areas_, &parseError)) {
    areas_.clear();
    // Keep the evidence and start from defaults: a damaged state file must
    // never stop the camera or be overwritten.
    const std::string aside = path_ + ".damaged-" + std::to_string(static_cast<long long>(time(nullptr)));
    if (sys::ops().rename(path_.c_str(), aside.c_str()) != 0) {
      *error = path_ + ":" + parseError + "; and it cannot be set aside: " + strerror(errno);
      return false;
    }
    if (warning) *warning = path_ + ":" + parseError + "; kept as " + aside + ", starting from defaults";
  }
  return true;
}

Section SettingsStore::get(const std::string& area) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = areas_.find(area);
  return it == areas_.end() ? Section() : it->second;
}

bool SettingsStore::has(const std::string& area) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return areas_.count(area) != 0;
}

bool SettingsStore::put(const std::string& area, const Section& values, std::string* error) {
  return putMany({{area, values}}, error);
}

bool SettingsStore::putMany(const std::map<std::string, Section>& areas, std::string* error) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::map<std::string, Section> next = areas_;
  for (const auto& [area, values] : areas) {
    if (!validKey(area)) {
      *error = "invalid settings area name '" + area + "'";
      return false;
    }
    for (const auto& kv : values) {
      if (!validKey(kv.first) || kv.second.find('\0') != std::string::npos) {
        *error = "invalid settings key '" + kv.first + "' in [" + area + "]";
        return false;
      }
    }
    if (values.empty())
      next.erase(area);
    else
      next[area] = values;
  }
  if (!persistLocked(next, error)) return false;
  areas_.swap(next);
  return true;
}

bool SettingsStore::clearAllExcept(const std::vector<std::string>& keep, std::string* error) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::map<std::string, Section> next;
  for (const auto& area : keep) {
    auto it = areas_.find(area);
    if (it != areas_.end()) next.insert(*it);
  }
  if (!persistLocked(next, error)) return false;
  areas_.swap(next);
  return true;
}

std::map<std::string, Section> SettingsStore::all() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return areas_;
}

bool SettingsStore::replaceAll(const std::map<std::string, Section>& areas, std::string* error) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!persistLocked(areas, error)) return false;
  areas_ = areas;
  return true;
}

bool SettingsStore::persistLocked(const std::map<std::string, Section>& next, std::string* error) {
  if (path_.empty()) return true;
  const std::string tmp = path_ + ".tmp";
  {
    platform::UniqueFd fd(sys::ops().open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (!fd) {
      *error = errnoText("cannot create", tmp);
      return false;
    }
    if (!writeAll(fd.get(), serialize(next)) || sys::ops().fsync(fd.get()) != 0) {
      *error = errnoText("cannot write", tmp);
      sys::ops().unlink(tmp.c_str());
      return false;
    }
  }
  if (sys::ops().rename(tmp.c_str(), path_.c_str()) != 0) {
    *error = errnoText("cannot replace", path_);
    sys::ops().unlink(tmp.c_str());
    return false;
  }
  // The rename is durable only once the folder's entry is on disk.
  platform::UniqueFd dir(sys::ops().open(folderOf(path_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0));
  if (dir) sys::ops().fsync(dir.get());
  return true;
}

std::string SettingsStore::serialize(const std::map<std::string, Section>& areas) {
  std::string out = "# onvifd settings: written by the daemon, replaced whole on every change\n";
  for (const auto& [area, values] : areas) {
    out += "\n[" + area + "]\n";
    for (const auto& kv : values) out += kv.first + " = " + escape(kv.second) + "\n";
  }
  return out;
}

bool SettingsStore::parse(const std::string& text, std::map<std::string, Section>* areas,
                          std::string* error) {
  areas->clear();
  Section* current = nullptr;
  size_t pos = 0;
  int line_no = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    if (line[0] == '[') {
      if (line.back() != ']' || !validKey(line.substr(1, line.size() - 2))) {
        *error = std::to_string(line_no) + ": malformed section header";
        return false;
      }
      current = &(*areas)[line.substr(1, line.size() - 2)];
      continue;
    }
    size_t eq = line.find(" = ");
    if (eq == std::string::npos || current == nullptr || !validKey(line.substr(0, eq))) {
      *error = std::to_string(line_no) + ": expected 'key = value' inside a section";
      return false;
    }
    std::string value;
    if (!unescape(line.substr(eq + 3), &value)) {
      *error = std::to_string(line_no) + ": bad escape in value";
      return false;
    }
    (*current)[line.substr(0, eq)] = value;
  }
  return true;
}

void setList(Section* section, const std::string& prefix, const std::vector<std::string>& items) {
  for (auto it = section->begin(); it != section->end();) {
    if (it->first.compare(0, prefix.size() + 1, prefix + ".") == 0)
      it = section->erase(it);
    else
      ++it;
  }
  (*section)[prefix + ".count"] = std::to_string(items.size());
  for (size_t i = 0; i < items.size(); ++i) (*section)[prefix + "." + std::to_string(i)] = items[i];
}

std::vector<std::string> getList(const Section& section, const std::string& prefix) {
  std::vector<std::string> items;
  long long count = getInt(section, prefix + ".count", 0);
  for (long long i = 0; i < count && i < 100000; ++i) {
    auto it = section.find(prefix + "." + std::to_string(i));
    if (it == section.end()) break;
    items.push_back(it->second);
  }
  return items;
}

std::string getString(const Section& section, const std::string& key, const std::string& fallback) {
  auto it = section.find(key);
  return it == section.end() ? fallback : it->second;
}

long long getInt(const Section& section, const std::string& key, long long fallback) {
  auto it = section.find(key);
  if (it == section.end() || it->second.empty()) return fallback;
  char* end = nullptr;
  errno = 0;
  long long v = strtoll(it->second.c_str(), &end, 10);
  return (errno != 0 || *end != '\0') ? fallback : v;
}

bool getBool(const Section& section, const std::string& key, bool fallback) {
  auto it = section.find(key);
  if (it == section.end()) return fallback;
  if (it->second == "true") return true;
  if (it->second == "false") return false;
  return fallback;
}

}  // namespace onvif::state
