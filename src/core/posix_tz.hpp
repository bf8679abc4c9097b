#pragma once
// POSIX TZ strings (IEEE 1003.1 section 8.3), as ONVIF SetSystemDateAndTime
// carries them: "std offset [dst [offset] [,start[/time],end[/time]]]".
// Parsed and evaluated here rather than through setenv("TZ")/localtime_r,
// which change process-wide state under other worker threads.
#include <ctime>
#include <string>

namespace onvif::core {

struct TzRule {
  enum Kind { JulianNoLeap, JulianZero, MonthWeekDay } kind = MonthWeekDay;
  int month = 0, week = 0, day = 0;  // Mm.w.d, or day for Jn / n
  long time_s = 7200;                // local time of the change (default 02:00)
};

struct PosixTz {
  std::string std_name, dst_name;  // empty dst_name: no daylight saving time
  long std_offset_s = 0;           // POSIX sign: seconds *west* of UTC (CET-1 -> -3600)
  long dst_offset_s = 0;
  TzRule start, end;
  bool hasDst() const { return !dst_name.empty(); }
};

// Strict parse; false for anything that is not a complete POSIX TZ string.
bool parsePosixTz(const std::string& text, PosixTz* out);

// Seconds to add to UTC to get local time at `utc`; with use_dst false the
// DST part is ignored (ONVIF DaylightSavings=false). *in_dst says which applied.
long utcOffsetAt(const PosixTz& tz, std::time_t utc, bool use_dst, bool* in_dst = nullptr);

}  // namespace onvif::core
