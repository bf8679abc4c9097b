#include "core/posix_tz.hpp"

#include <cctype>

namespace onvif::core {
namespace {

// Cursor over the TZ text; every reader leaves pos_ unchanged on failure
// only where the grammar needs backtracking (it never does here).
struct Reader {
  const std::string& s;
  std::size_t pos = 0;
  bool done() const { return pos >= s.size(); }
  char peek() const { return done() ? '\0' : s[pos]; }
};

// std/dst name: 3+ alphabetic characters, or <...> quoted with alnum, + and -.
bool readName(Reader& r, std::string* name) {
  std::string out;
  if (r.peek() == '<') {
    ++r.pos;
    while (!r.done() && r.peek() != '>') {
      char c = r.peek();
      if (!isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-') return false;
      out += c;
      ++r.pos;
    }
    if (r.peek() != '>') return false;
    ++r.pos;
  } else {
    while (isalpha(static_cast<unsigned char>(r.peek()))) out += r.s[r.pos++];
  }
  if (out.size() < 3) return false;
  *name = out;
  return true;
}

bool readNumber(Reader& r, int max_digits, long* value) {
  long v = 0;
  int digits = 0;
  while (isdigit(static_cast<unsigned char>(r.peek())) && digits < max_digits) {
    v = v * 10 + (r.s[r.pos++] - '0');
    ++digits;
  }
  if (digits == 0) return false;
  *value = v;
  return true;
}

// [+|-]hh[:mm[:ss]] with hh up to max_hours.
bool readTime(Reader& r, long max_hours, long* seconds) {
  long sign = 1;
  if (r.peek() == '+' || r.peek() == '-') sign = r.s[r.pos++] == '-' ? -1 : 1;
  long h = 0, m = 0, s = 0;
  if (!readNumber(r, 3, &h) || h > max_hours) return false;
  if (r.peek() == ':') {
    ++r.pos;
    if (!readNumber(r, 2, &m) || m > 59) return false;
    if (r.peek() == ':') {
      ++r.pos;
      if (!readNumber(r, 2, &s) || s > 59) return false;
    }
  }
  *seconds = sign * (h * 3600 + m * 60 + s);
  return true;
}

bool readRule(Reader& r, TzRule* rule) {
  long a = 0, b = 0, c = 0;
  if (r.peek() == 'J') {
    ++r.pos;
    if (!readNumber(r, 3, &a) || a < 1 || a > 365) return false;
    rule->kind = TzRule::JulianNoLeap;
    rule->day = static_cast<int>(a);
  } else if (r.peek() == 'M') {
    ++r.pos;
    if (!readNumber(r, 2, &a) || a < 1 || a > 12 || r.peek() != '.') return false;
    ++r.pos;
    if (!readNumber(r, 1, &b) || b < 1 || b > 5 || r.peek() != '.') return false;
    ++r.pos;
    if (!readNumber(r, 1, &c) || c > 6) return false;
    rule->kind = TzRule::MonthWeekDay;
    rule->month = static_cast<int>(a);
    rule->week = static_cast<int>(b);
    rule->day = static_cast<int>(c);
  } else {
    if (!readNumber(r, 3, &a) || a > 365) return false;
    rule->kind = TzRule::JulianZero;
    rule->day = static_cast<int>(a);
  }
  rule->time_s = 7200;
  if (r.peek() == '/') {
    ++r.pos;
    // POSIX allows 0..24 hours; the widely used extension (RFC 8536) -167..167.
    if (!readTime(r, 167, &rule->time_s)) return false;
  }
  return true;
}

bool isLeap(long y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

// Days since 1970-01-01 of a civil date (proleptic Gregorian).
long daysFromCivil(long y, long m, long d) {
  y -= m <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int daysInMonth(long y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && isLeap(y) ? 29 : kDays[m - 1];
}

// Seconds since the epoch, in *local* reckoning, of the rule's moment in year y.
long long ruleLocalSeconds(const TzRule& rule, long year) {
  long day = 0;
  switch (rule.kind) {
    case TzRule::JulianNoLeap:
      day = daysFromCivil(year, 1, 1) + rule.day - 1 + (isLeap(year) && rule.day >= 60 ? 1 : 0);
      break;
    case TzRule::JulianZero: day = daysFromCivil(year, 1, 1) + rule.day; break;
    case TzRule::MonthWeekDay: {
      long first = daysFromCivil(year, rule.month, 1);
      int wday_first = static_cast<int>(((first % 7) + 7 + 4) % 7);  // 1970-01-01 was a Thursday
      int dom = 1 + (rule.day - wday_first + 7) % 7 + 7 * (rule.week - 1);
      while (dom > daysInMonth(year, rule.month)) dom -= 7;
      day = first + dom - 1;
      break;
    }
  }
  return static_cast<long long>(day) * 86400 + rule.time_s;
}

long yearOf(long long local_seconds) {
  std::time_t t = static_cast<std::time_t>(local_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm.tm_year + 1900L;
}

}  // namespace

bool parsePosixTz(const std::string& text, PosixTz* out) {
  if (text.empty() || text.size() > 128 || text[0] == ':') return false;
  Reader r{text};
  PosixTz tz;
  if (!readName(r, &tz.std_name) || !readTime(r, 24, &tz.std_offset_s)) return false;
  if (r.done()) {
    *out = tz;
    return true;
  }
  if (!readName(r, &tz.dst_name)) return false;
  tz.dst_offset_s = tz.std_offset_s - 3600;
  if (!r.done() && r.peek() != ',') {
    if (!readTime(r, 24, &tz.dst_offset_s)) return false;
  }
  if (r.done()) {
    // No rule: the US rules glibc also assumes.
    tz.start = TzRule{TzRule::MonthWeekDay, 3, 2, 0, 7200};
    tz.end = TzRule{TzRule::MonthWeekDay, 11, 1, 0, 7200};
    *out = tz;
    return true;
  }
  if (r.peek() != ',') return false;
  ++r.pos;
  if (!readRule(r, &tz.start) || r.peek() != ',') return false;
  ++r.pos;
  if (!readRule(r, &tz.end) || !r.done()) return false;
  *out = tz;
  return true;
}

long utcOffsetAt(const PosixTz& tz, std::time_t utc, bool use_dst, bool* in_dst) {
  if (in_dst) *in_dst = false;
  long std_east = -tz.std_offset_s;
  if (!use_dst || !tz.hasDst()) return std_east;
  long long t = utc;
  long year = yearOf(t + std_east);
  // The start happens in standard time, the end in daylight time.
  long long start = ruleLocalSeconds(tz.start, year) + tz.std_offset_s;
  long long end = ruleLocalSeconds(tz.end, year) + tz.dst_offset_s;
  bool dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
  if (in_dst) *in_dst = dst;
  return dst ? -tz.dst_offset_s : std_east;
}

}  // namespace onvif::core
