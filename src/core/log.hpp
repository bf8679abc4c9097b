#pragma once
// Levelled logging to stderr (default) or syslog. At the default level (info)
// nothing is logged per request: only start-up, shutdown, errors and stats.
#include <string_view>

namespace onvif::log {

enum class Level { Error = 0, Warn = 1, Info = 2, Debug = 3 };

void setLevel(Level level);
Level level();
bool parseLevel(std::string_view text, Level* out);
void useSyslog(bool enabled);

void write(Level level, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

}  // namespace onvif::log

#define ONVIF_LOG(lvl, ...)                                               \
  do {                                                                    \
    if (static_cast<int>(lvl) <= static_cast<int>(::onvif::log::level())) \
      ::onvif::log::write(lvl, __VA_ARGS__);                              \
  } while (0)
#define LOG_ERROR(...) ONVIF_LOG(::onvif::log::Level::Error, __VA_ARGS__)
#define LOG_WARN(...) ONVIF_LOG(::onvif::log::Level::Warn, __VA_ARGS__)
#define LOG_INFO(...) ONVIF_LOG(::onvif::log::Level::Info, __VA_ARGS__)
#define LOG_DEBUG(...) ONVIF_LOG(::onvif::log::Level::Debug, __VA_ARGS__)
