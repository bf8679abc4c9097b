#include "core/config.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/config_fields.hpp"

namespace onvif::core {
namespace {

// The single list of keys, "section.key" -> how to set it, built from every area.
const FieldTable& fields() {
  static const FieldTable table = [] {
    FieldTable t;
    addServerFields(t);
    addDeviceFields(t);
    addSecurityFields(t);
    addStateFields(t);
    addMediaFields(t);
    addEventsFields(t);
    addDiscoveryFields(t);
    addTransportFields(t);
    addImagingFields(t);
    addPtzFields(t);
    return t;
  }();
  return table;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// "#" starts a comment at the start of a line or after white space, so a
// value may still contain "#" (e.g. "a#b") but "port = 80  # web" is 80.
std::string stripComment(const std::string& line) {
  for (std::size_t i = 0; i < line.size(); ++i)
    if (line[i] == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) return line.substr(0, i);
  return line;
}

}  // namespace

bool parseConfig(const std::string& text, const std::string& source, Config* config, std::string* error) {
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
    std::string line = trim(stripComment(raw));
    if (line.empty() || line[0] == ';') continue;
    if (line.front() == '[') {
      if (line.back() != ']') return fail(line, "section header without ']'");
      section = trim(line.substr(1, line.size() - 2));
      bool known = false;
      for (const auto& [key, setter] : fields())
        known |= key.compare(0, section.size() + 1, section + ".") == 0;
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
