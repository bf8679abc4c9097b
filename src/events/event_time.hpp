#pragma once
// Times in event requests (WS-BaseNotification AbsoluteOrRelativeTimeType,
// xs:duration, xs:dateTime) and in our answers (UTC with "Z", Core spec
// "Create pull point subscription"). No gSOAP types: unit-testable.
#include <chrono>
#include <optional>
#include <string>

namespace onvif::events {

using SystemTime = std::chrono::system_clock::time_point;

// xs:duration ("PT60S", "PT1M30.5S", "P1DT2H", "-PT1S" is rejected) in
// milliseconds; nullopt if malformed, negative or absurdly long (> 10 years).
// Years and months count as 365 and 30 days.
std::optional<long long> parseDurationMs(const std::string& text);

// xs:dateTime with "Z" or a +hh:mm offset, or without zone (read as UTC).
std::optional<SystemTime> parseDateTime(const std::string& text);

// AbsoluteOrRelativeTimeType: a duration from `now` or an absolute time.
std::optional<SystemTime> parseAbsoluteOrRelative(const std::string& text, SystemTime now);

// "2026-11-27T02:31:15.123Z" (milliseconds) / "2026-11-27T02:31:15Z".
std::string formatUtc(SystemTime t, bool millis);

}  // namespace onvif::events
