#include "core/config.hpp"

#include <cerrno>
#include <cstring>
#include <climits>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

namespace onvif::core {
namespace {

using Setter = std::function<bool(Config&, const std::string& value, std::string* problem)>;

Setter intField(int ServerConfig::*field, long min, long max) {
  return [=](Config& c, const std::string& v, std::string* problem) {
    errno = 0;
    char* end = nullptr;
    long n = strtol(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || errno == ERANGE || n < min || n > max) {
      *problem = "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max);
      return false;
    }
    c.server.*field = static_cast<int>(n);
    return true;
  };
}

Setter int64Field(int64_t ServerConfig::*field, long long min, long long max) {
  return [=](Config& c, const std::string& v, std::string* problem) {
    errno = 0;
    char* end = nullptr;
    long long n = strtoll(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || errno == ERANGE || n < min || n > max) {
      *problem = "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max);
      return false;
    }
    c.server.*field = n;
    return true;
  };
}

template <typename Section>
Setter textField(Section Config::*section, std::string Section::*field, size_t maxLen) {
  return [=](Config& c, const std::string& v, std::string* problem) {
    if (v.size() > maxLen) {
      *problem = "longer than " + std::to_string(maxLen) + " characters";
      return false;
    }
    c.*section.*field = v;
    return true;
  };
}

// The single list of keys: "section.key" -> how to set it.
const std::map<std::string, Setter>& fields() {
  static const std::map<std::string, Setter> table = {
      {"server.bind", textField(&Config::server, &ServerConfig::bind, 255)},
      {"server.port", intField(&ServerConfig::port, 0, 65535)},
      {"server.max_connections", intField(&ServerConfig::max_connections, 1, 65536)},
      {"server.max_request_bytes", int64Field(&ServerConfig::max_request_bytes, 1024, 64LL << 20)},
      {"server.header_timeout_ms", intField(&ServerConfig::header_timeout_ms, 100, 600000)},
      {"server.body_timeout_ms", intField(&ServerConfig::body_timeout_ms, 100, 600000)},
      {"server.send_timeout_ms", intField(&ServerConfig::send_timeout_ms, 100, 600000)},
      {"server.keepalive_timeout_s", intField(&ServerConfig::keepalive_timeout_s, 1, 3600)},
      {"server.keepalive_max_requests", intField(&ServerConfig::keepalive_max_requests, 1, 1000000)},
      {"server.workers", intField(&ServerConfig::workers, 1, 256)},
      {"server.max_workers", intField(&ServerConfig::max_workers, 1, 1024)},
      {"server.shutdown_grace_ms", intField(&ServerConfig::shutdown_grace_ms, 0, 60000)},
      {"device.manufacturer", textField(&Config::device, &DeviceConfig::manufacturer, 64)},
      {"device.model", textField(&Config::device, &DeviceConfig::model, 64)},
      {"device.firmware_version", textField(&Config::device, &DeviceConfig::firmware_version, 64)},
      {"device.serial_number", textField(&Config::device, &DeviceConfig::serial_number, 64)},
      {"device.hardware_id", textField(&Config::device, &DeviceConfig::hardware_id, 64)},
  };
  return table;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

}  // namespace

bool parseConfig(const std::string& text, const std::string& source, Config* config,
                 std::string* error) {
  Config next = *config;  // all or nothing: a bad line leaves *config untouched
  std::istringstream in(text);
  std::string raw, section;
  int lineNo = 0;
  auto fail = [&](const std::string& field, const std::string& problem) {
    *error = source + ":" + std::to_string(lineNo) + ": " + field + ": " + problem;
    return false;
  };
  while (std::getline(in, raw)) {
    ++lineNo;
    std::string line = trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[') {
      if (line.back() != ']') return fail(line, "section header without ']'");
      section = trim(line.substr(1, line.size() - 2));
      bool known = false;
      for (const auto& [key, setter] : fields()) known |= key.compare(0, section.size() + 1, section + ".") == 0;
      if (!known) return fail("[" + section + "]", "unknown section");
      continue;
    }
    size_t eq = line.find('=');
    if (eq == std::string::npos) return fail(line, "expected 'key = value'");
    std::string key = trim(line.substr(0, eq));
    std::string value = trim(line.substr(eq + 1));
    if (section.empty()) return fail(key, "key outside of a [section]");
    std::string field = section + "." + key;
    auto it = fields().find(field);
    if (it == fields().end()) return fail(field, "unknown key");
    std::string problem;
    if (!it->second(next, value, &problem)) return fail(field, problem + " (got '" + value + "')");
  }
  if (next.server.max_workers < next.server.workers) {
    lineNo = 0;
    return fail("server.max_workers", "must be at least server.workers");
  }
  *config = std::move(next);
  return true;
}

bool loadConfig(const std::string& path, Config* config, std::string* error) {
  Config result;
  if (!parseConfig(defaultConfigText(), "<embedded default>", &result, error)) return false;
  if (!path.empty()) {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
      *error = path + ": cannot open: " + std::string(strerror(errno));
      return false;
    }
    std::ostringstream text;
    text << file.rdbuf();
    if (!parseConfig(text.str(), path, &result, error)) return false;
  }
  *config = std::move(result);
  return true;
}

}  // namespace onvif::core
