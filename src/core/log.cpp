#include "core/log.hpp"

#include <syslog.h>

#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <mutex>

namespace onvif::log {
namespace {

std::atomic<int> currentLevel{static_cast<int>(Level::Info)};
std::atomic<bool> toSyslog{false};
std::mutex stderrMutex;  // one line at a time from many threads

const char* name(Level level) {
  switch (level) {
    case Level::Error: return "error";
    case Level::Warn: return "warn";
    case Level::Info: return "info";
    case Level::Debug: return "debug";
  }
  return "?";
}

}  // namespace

void setLevel(Level level) {
  currentLevel.store(static_cast<int>(level));
}
Level level() {
  return static_cast<Level>(currentLevel.load(std::memory_order_relaxed));
}

bool parseLevel(std::string_view text, Level* out) {
  for (Level l : {Level::Error, Level::Warn, Level::Info, Level::Debug}) {
    if (text == name(l)) {
      *out = l;
      return true;
    }
  }
  return false;
}

void useSyslog(bool enabled) {
  if (enabled) openlog("onvifd", LOG_PID, LOG_DAEMON);
  toSyslog.store(enabled);
}

void write(Level level, const char* fmt, ...) {
  char line[1024];
  va_list args;
  va_start(args, fmt);
  vsnprintf(line, sizeof line, fmt, args);
  va_end(args);
  if (toSyslog.load()) {
    static const int kPriority[] = {LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG};
    syslog(kPriority[static_cast<int>(level)], "%s", line);
    return;
  }
  std::lock_guard<std::mutex> lock(stderrMutex);
  fprintf(stderr, "onvifd: %s: %s\n", name(level), line);
  fflush(stderr);
}

}  // namespace onvif::log
