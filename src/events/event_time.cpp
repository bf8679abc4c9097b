#include "events/event_time.hpp"

#include <cctype>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace onvif::events {
namespace {

std::string trim(const std::string& s) {
  std::size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

// Reads digits with an optional fraction: "12", "1.5". Returns false if none.
bool number(const std::string& s, std::size_t* pos, double* out) {
  std::size_t start = *pos;
  double v = 0;
  while (*pos < s.size() && isdigit(static_cast<unsigned char>(s[*pos]))) {
    v = v * 10 + (s[*pos] - '0');
    if (v > 1e12) return false;
    ++*pos;
  }
  if (*pos == start) return false;
  if (*pos < s.size() && (s[*pos] == '.' || s[*pos] == ',')) {
    ++*pos;
    double scale = 0.1;
    std::size_t fracStart = *pos;
    while (*pos < s.size() && isdigit(static_cast<unsigned char>(s[*pos]))) {
      v += (s[*pos] - '0') * scale;
      scale /= 10;
      ++*pos;
    }
    if (*pos == fracStart) return false;
  }
  *out = v;
  return true;
}

}  // namespace

std::optional<long long> parseDurationMs(const std::string& raw) {
  const std::string s = trim(raw);
  if (s.size() < 3 || s[0] != 'P') return std::nullopt;
  std::size_t pos = 1;
  bool inTime = false, any = false;
  double ms = 0;
  const char* dateUnits = "YMWD";
  const char* timeUnits = "HMS";
  int lastDate = -1, lastTime = -1;  // units must appear in order, once each
  while (pos < s.size()) {
    if (s[pos] == 'T') {
      if (inTime) return std::nullopt;
      inTime = true;
      ++pos;
      if (pos == s.size()) return std::nullopt;  // "P1DT" is malformed
      continue;
    }
    double v;
    std::size_t numStart = pos;
    if (!number(s, &pos, &v) || pos >= s.size()) return std::nullopt;
    bool fraction = s.find('.', numStart) < pos || s.find(',', numStart) < pos;
    char unit = s[pos++];
    const char* units = inTime ? timeUnits : dateUnits;
    const char* found = strchr(units, unit);
    if (!found) return std::nullopt;
    int index = static_cast<int>(found - units);
    int& last = inTime ? lastTime : lastDate;
    if (index <= last) return std::nullopt;
    last = index;
    if (fraction && !(inTime && unit == 'S')) return std::nullopt;  // only seconds may have a fraction
    static const double kDateMs[] = {365.0 * 86400000, 30.0 * 86400000, 7.0 * 86400000, 86400000.0};
    static const double kTimeMs[] = {3600000.0, 60000.0, 1000.0};
    ms += v * (inTime ? kTimeMs[index] : kDateMs[index]);
    any = true;
  }
  if (!any || ms > 10.0 * 365 * 86400000) return std::nullopt;
  return static_cast<long long>(ms + 0.5);
}

std::optional<SystemTime> parseDateTime(const std::string& raw) {
  const std::string s = trim(raw);
  int Y, M, D, h, m, n = 0;
  double sec;
  if (sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%lf%n", &Y, &M, &D, &h, &m, &sec, &n) != 6) return std::nullopt;
  if (Y < 1970 || Y > 9999 || M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 || sec < 0 || sec >= 61)
    return std::nullopt;
  std::string zone = s.substr(static_cast<std::size_t>(n));
  long offset = 0;
  if (zone == "Z" || zone.empty()) {
    offset = 0;
  } else {
    int zh, zm, k = 0;
    if ((zone[0] != '+' && zone[0] != '-') || sscanf(zone.c_str() + 1, "%2d:%2d%n", &zh, &zm, &k) != 2 ||
        static_cast<std::size_t>(k) + 1 != zone.size() || zh > 14 || zm > 59)
      return std::nullopt;
    offset = (zh * 3600L + zm * 60L) * (zone[0] == '-' ? -1 : 1);
  }
  std::tm tm{};
  tm.tm_year = Y - 1900;
  tm.tm_mon = M - 1;
  tm.tm_mday = D;
  tm.tm_hour = h;
  tm.tm_min = m;
  tm.tm_sec = static_cast<int>(sec);
  time_t t = timegm(&tm);
  if (t == static_cast<time_t>(-1)) return std::nullopt;
  auto frac = std::chrono::milliseconds(static_cast<long long>((sec - static_cast<int>(sec)) * 1000));
  return std::chrono::system_clock::from_time_t(t - offset) + frac;
}

std::optional<SystemTime> parseAbsoluteOrRelative(const std::string& raw, SystemTime now) {
  const std::string s = trim(raw);
  if (!s.empty() && s[0] == 'P') {
    auto ms = parseDurationMs(s);
    if (!ms) return std::nullopt;
    return now + std::chrono::milliseconds(*ms);
  }
  return parseDateTime(s);
}

std::string formatUtc(SystemTime t, bool millis) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  time_t secs = static_cast<time_t>(ms / 1000);
  int rem = static_cast<int>(ms % 1000);
  if (rem < 0) {
    rem += 1000;
    --secs;
  }
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  size_t n = strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  if (millis)
    snprintf(buf + n, sizeof buf - n, ".%03dZ", rem);
  else
    snprintf(buf + n, sizeof buf - n, "Z");
  return buf;
}

}  // namespace onvif::events
