// Device service, system operations (Core spec "System"): date and time,
// factory default, reboot, system log, support information, system URIs.
// Every change is validated first, then the hook runs, then it is stored:
// a failure leaves the stored settings as they were.
#include <chrono>
#include <ctime>
#include <string>

#include "core/log.hpp"
#include "core/posix_tz.hpp"
#include "daemon/request_context.hpp"
#include "gsoap_onvifH.h"
#include "platform/hook.hpp"
#include "platform/net_info.hpp"
#include "security/security.hpp"
#include "services/device_soap.hpp"
#include "services/device_state.hpp"
#include "soap/faults.hpp"
#include "state/identity.hpp"

namespace onvif::services::device {
namespace {

using namespace gsoap_onvif;

tt__DateTime* soapDateTime(struct ::soap* soap, std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  auto* dt = soap_new_tt__DateTime(soap);
  dt->Date = soap_new_tt__Date(soap);
  dt->Time = soap_new_tt__Time(soap);
  dt->Date->Year = tm.tm_year + 1900;
  dt->Date->Month = tm.tm_mon + 1;
  dt->Date->Day = tm.tm_mday;
  dt->Time->Hour = tm.tm_hour;
  dt->Time->Minute = tm.tm_min;
  dt->Time->Second = tm.tm_sec;
  return dt;
}

// A calendar date and time that exists (no 31 February), 1970..2100.
bool toTimeT(const tt__DateTime& dt, std::time_t* out) {
  if (!dt.Date || !dt.Time) return false;
  const tt__Date& d = *dt.Date;
  const tt__Time& t = *dt.Time;
  if (d.Year < 1970 || d.Year > 2100 || d.Month < 1 || d.Month > 12 || d.Day < 1 || d.Day > 31) return false;
  if (t.Hour < 0 || t.Hour > 23 || t.Minute < 0 || t.Minute > 59 || t.Second < 0 || t.Second > 59)
    return false;
  std::tm tm{};
  tm.tm_year = d.Year - 1900;
  tm.tm_mon = d.Month - 1;
  tm.tm_mday = d.Day;
  tm.tm_hour = t.Hour;
  tm.tm_min = t.Minute;
  tm.tm_sec = t.Second;
  std::time_t v = timegm(&tm);
  std::tm back{};
  gmtime_r(&v, &back);
  if (back.tm_mday != d.Day || back.tm_mon != d.Month - 1) return false;  // normalised: did not exist
  *out = v;
  return true;
}

std::string isoUtc(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace
}  // namespace onvif::services::device

namespace gsoap_onvif {

using onvif::daemon::requestContext;
using onvif::soap::ErrorKind;
using onvif::soap::fault;
namespace dev = onvif::services::device;
namespace state = onvif::state;

// Core spec "GetSystemDateAndTime": the device clock (host clock plus the
// manual offset), its mode, the POSIX time zone and the local time it gives.
// Access class PRE_AUTH: clients read the clock before they can compute a
// UsernameToken.
int __tds__GetSystemDateAndTime(struct soap* soap, _tds__GetSystemDateAndTime*,
                                _tds__GetSystemDateAndTimeResponse& response) {
  const auto& daemon = *onvif::daemon::requestContext(soap).daemon;
  dev::TimeSettings t = dev::timeSettings(daemon);
  std::time_t now = std::chrono::system_clock::to_time_t(onvif::daemon::deviceNow(daemon));
  onvif::core::PosixTz tz;
  long offset = 0;
  if (onvif::core::parsePosixTz(t.tz, &tz)) offset = onvif::core::utcOffsetAt(tz, now, t.daylight_savings);
  auto* sdt = soap_new_tt__SystemDateTime(soap);
  sdt->DateTimeType = t.ntp ? tt__SetDateTimeType__NTP : tt__SetDateTimeType__Manual;
  sdt->DaylightSavings = t.daylight_savings;
  sdt->TimeZone = soap_new_tt__TimeZone(soap);
  sdt->TimeZone->TZ = t.tz;
  sdt->UTCDateTime = dev::soapDateTime(soap, now);
  sdt->LocalDateTime = dev::soapDateTime(soap, now + offset);
  response.SystemDateAndTime = sdt;
  return SOAP_OK;
}

// Core spec "SetSystemDateAndTime". Manual: UTCDateTime is required; with a
// clock hook the host clock is set, else (a simulated device) the device
// keeps an offset from the host clock; a real device without the hook refuses. NTP: needs an NTP server
// (SetNTP or [device] ntp_servers). A TZ not formed per IEEE 1003.1 section 8.3 -> ter:InvalidTimeZone.
// Access class WRITE_SYSTEM.
int __tds__SetSystemDateAndTime(struct soap* soap, _tds__SetSystemDateAndTime* request,
                                _tds__SetSystemDateAndTimeResponse&) {
  const auto& daemon = *requestContext(soap).daemon;
  if (dev::refused(daemon, &onvif::core::DeviceConfig::hook_clock)) return dev::refusedFault(soap);
  if (!request) return fault(soap, ErrorKind::InvalidArgs);
  std::lock_guard<std::mutex> lock(dev::settingsMutex());
  dev::TimeSettings current = dev::timeSettings(daemon);
  std::string tz_text = request->TimeZone ? request->TimeZone->TZ : current.tz;
  onvif::core::PosixTz tz;
  if (!onvif::core::parsePosixTz(tz_text, &tz)) return fault(soap, ErrorKind::InvalidTimeZone);
  bool ntp = request->DateTimeType == tt__SetDateTimeType__NTP;
  std::time_t utc = 0;
  if (ntp) {
    bool from_dhcp = false;
    if (dev::ntpServers(daemon, &from_dhcp).empty()) return fault(soap, ErrorKind::NtpServerUndefined);
  } else {
    if (!request->UTCDateTime)
      return fault(soap, ErrorKind::InvalidDateTime, "Manual time needs UTCDateTime");
    if (!dev::toTimeT(*request->UTCDateTime, &utc)) return fault(soap, ErrorKind::InvalidDateTime);
  }
  const std::string& hook = daemon.config->device.hook_clock;
  std::vector<std::string> args{ntp ? "ntp" : "manual", ntp ? "-" : dev::isoUtc(utc), tz_text,
                                request->DaylightSavings ? "1" : "0"};
  // With a hook the host clock itself is set; otherwise keep an offset.
  long long offset = 0;
  if (!ntp && hook.empty()) offset = static_cast<long long>(utc) - static_cast<long long>(std::time(nullptr));
  const onvif::state::Section before = dev::area(daemon, dev::kSystemArea);
  onvif::state::Section area = before;
  area["time.mode"] = ntp ? "NTP" : "Manual";
  area["time.dst"] = request->DaylightSavings ? "true" : "false";
  area["time.tz"] = tz_text;
  area["time.offset_s"] = std::to_string(offset);
  dev::Commit done = dev::commit(daemon, dev::kSystemArea, before, area,
                                 &onvif::core::DeviceConfig::hook_clock, "clock", args);
  if (done != dev::Commit::Ok) return dev::commitFault(soap, done, "The clock hook failed");
  if (daemon.clock) daemon.clock->setOffsetSeconds(offset);
  return SOAP_OK;
}

// Core spec "SetSystemFactoryDefault". Hard: every setting back to its
// default; Soft: the network settings (address, gateway, DNS, host name)
// stay, so the device is reachable where it was. The identity area (the
// endpoint reference, which the Core spec wants stable) always stays.
// Settings of other subsystems are cleared in the store; they take effect
// in memory at the next start (the factory-default hook normally reboots).
// All or nothing: the settings are cleared first and put back when the hook
// then fails; a real device without the hook refuses.
// Access class UNRECOVERABLE.
int __tds__SetSystemFactoryDefault(struct soap* soap, _tds__SetSystemFactoryDefault* request,
                                   _tds__SetSystemFactoryDefaultResponse&) {
  const auto& daemon = *requestContext(soap).daemon;
  if (dev::refused(daemon, &onvif::core::DeviceConfig::hook_factory_default)) return dev::refusedFault(soap);
  if (!request) return fault(soap, ErrorKind::InvalidArgs);
  bool hard = request->FactoryDefault == tt__FactoryDefaultType__Hard;
  std::lock_guard<std::mutex> lock(dev::settingsMutex());
  std::vector<std::string> keep{onvif::state::kIdentityArea};
  if (!hard) keep.push_back(dev::kNetworkArea);
  std::string error;
  if (!daemon.settings) return fault(soap, ErrorKind::ActionFailed);
  const auto snapshot = daemon.settings->all();
  if (!daemon.settings->clearAllExcept(keep, &error)) {
    LOG_ERROR("device: factory default: %s", error.c_str());
    return fault(soap, ErrorKind::ActionFailed);
  }
  if (!dev::runHook(daemon, daemon.config->device.hook_factory_default, "factory default",
                    {hard ? "hard" : "soft"})) {
    if (!daemon.settings->replaceAll(snapshot, &error))
      LOG_ERROR("device: factory default hook failed and the settings could not be put back: %s",
                error.c_str());
    return fault(soap, ErrorKind::ActionFailed, "The factory-default hook failed");
  }
  // Users take effect at once: the configured administrator is seeded
  // again, so the device stays manageable with its documented credentials.
  if (daemon.security && !daemon.security->reloadUsers(&error))
    LOG_ERROR("device: factory default: users: %s", error.c_str());
  LOG_INFO("device: %s factory default", hard ? "hard" : "soft");
  if (daemon.clock) daemon.clock->setOffsetSeconds(0);
  dev::publishDiscovery(daemon);
  return SOAP_OK;
}

// Core spec "SystemReboot": the response goes out first, then the reboot
// hook runs (detached, after a second). Without a hook a simulated device
// does not reboot and the message says so; a real one refuses.
// Access class UNRECOVERABLE.
int __tds__SystemReboot(struct soap* soap, _tds__SystemReboot*, _tds__SystemRebootResponse& response) {
  const auto& daemon = *requestContext(soap).daemon;
  if (dev::refused(daemon, &onvif::core::DeviceConfig::hook_reboot)) return dev::refusedFault(soap);
  const std::string& hook = daemon.config->device.hook_reboot;
  if (hook.empty()) {
    LOG_INFO("device: reboot requested (no hook configured: not rebooting)");
    response.Message = "Reboot recorded; this device has no reboot hook and keeps running";
    return SOAP_OK;
  }
  std::string error;
  if (!onvif::platform::spawnHookDetached({hook}, 1000, &error)) {
    LOG_WARN("device: reboot hook %s: %s", hook.c_str(), error.c_str());
    return fault(soap, ErrorKind::ActionFailed, "The reboot hook could not be started");
  }
  LOG_INFO("device: rebooting through %s", hook.c_str());
  response.Message = "Rebooting in 1 second";
  return SOAP_OK;
}

// Core spec "GetSystemLog": the tail of [device] system_log as a string.
// No access log is kept. Access class READ_SYSTEM_SECRET.
int __tds__GetSystemLog(struct soap* soap, _tds__GetSystemLog* request,
                        _tds__GetSystemLogResponse& response) {
  const auto& daemon = *onvif::daemon::requestContext(soap).daemon;
  if (request && request->LogType == tt__SystemLogType__Access)
    return fault(soap, ErrorKind::AccesslogUnavailable);
  std::string text;
  const std::string& path = daemon.config->device.system_log;
  if (path.empty() || !onvif::platform::readTextFile(path, 64 * 1024, true, &text))
    return fault(soap, ErrorKind::SystemlogUnavailable);
  response.SystemLog = soap_new_tt__SystemLog(soap);
  response.SystemLog->String = dev::soapString(soap, text);
  return SOAP_OK;
}

// Core spec "GetSystemSupportInformation": identity, uptime and settings
// summary as text (no secrets). Access class READ_SYSTEM_SECRET.
int __tds__GetSystemSupportInformation(struct soap* soap, _tds__GetSystemSupportInformation*,
                                       _tds__GetSystemSupportInformationResponse& response) {
  const auto& daemon = *onvif::daemon::requestContext(soap).daemon;
  const auto& d = daemon.config->device;
  auto uptime =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now() - daemon.started_at);
  dev::TimeSettings t = dev::timeSettings(daemon);
  std::string text =
      "manufacturer: " + d.manufacturer + "\nmodel: " + d.model + "\nfirmware: " + d.firmware_version +
      "\nserial: " + d.serial_number + "\nhardware: " + d.hardware_id +
      "\nendpoint: " + daemon.endpoint_reference + "\nuptime_s: " + std::to_string(uptime.count()) +
      "\nhostname: " + onvif::platform::hostName() + "\ntime_mode: " + (t.ntp ? "NTP" : "Manual") +
      "\ntimezone: " + t.tz +
      "\nclock_offset_s: " + std::to_string(daemon.clock ? daemon.clock->offsetSeconds() : 0) + "\n";
  response.SupportInformation = soap_new_tt__SupportInformation(soap);
  response.SupportInformation->String = dev::soapString(soap, text);
  return SOAP_OK;
}

// Core spec "GetSystemUris": nothing is offered for HTTP download (logs and
// support information come through GetSystemLog / GetSystemSupportInformation),
// so every optional URI is absent. Access class READ_SYSTEM.
int __tds__GetSystemUris(struct soap*, _tds__GetSystemUris*, _tds__GetSystemUrisResponse&) {
  return SOAP_OK;
}

}  // namespace gsoap_onvif
