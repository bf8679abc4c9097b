#pragma once
// How configuration keys are declared: each area adds its "section.key"
// entries to the one table (config.cpp asks every area, in order). A setter
// validates the text and stores it, or explains what is wrong.
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/config.hpp"

namespace onvif::core {

using Setter = std::function<bool(Config&, const std::string& value, std::string* problem)>;
using FieldTable = std::map<std::string, Setter>;

template <typename S, typename N>
Setter numberField(S Config::*section, N S::*member, long long min, long long max) {
  return [=](Config& c, const std::string& v, std::string* problem) {
    errno = 0;
    char* end = nullptr;
    long long n = strtoll(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || errno == ERANGE || n < min || n > max) {
      *problem = "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max);
      return false;
    }
    (c.*section).*member = static_cast<N>(n);
    return true;
  };
}

template <typename S>
Setter textField(S Config::*section, std::string S::*member, std::size_t max_len) {
  return [=](Config& c, const std::string& v, std::string* problem) {
    if (v.size() > max_len) {
      *problem = "longer than " + std::to_string(max_len) + " characters";
      return false;
    }
    (c.*section).*member = v;
    return true;
  };
}

template <typename S>
Setter boolField(S Config::*section, bool S::*member) {
  return [=](Config& c, const std::string& v, std::string* problem) {
    if (v == "true" || v == "yes" || v == "1" || v == "on") {
      (c.*section).*member = true;
    } else if (v == "false" || v == "no" || v == "0" || v == "off") {
      (c.*section).*member = false;
    } else {
      *problem = "expected true or false";
      return false;
    }
    return true;
  };
}

// Comma-separated list; items are trimmed, empty items rejected.
template <typename S>
Setter listField(S Config::*section, std::vector<std::string> S::*member, std::size_t max_items) {
  return [=](Config& c, const std::string& v, std::string* problem) {
    std::vector<std::string> items;
    std::size_t pos = 0;
    while (!v.empty() && pos <= v.size()) {
      std::size_t comma = v.find(',', pos);
      if (comma == std::string::npos) comma = v.size();
      std::string item = v.substr(pos, comma - pos);
      std::size_t b = item.find_first_not_of(" \t"), e = item.find_last_not_of(" \t");
      if (b == std::string::npos) {
        *problem = "empty item in list";
        return false;
      }
      items.push_back(item.substr(b, e - b + 1));
      pos = comma + 1;
    }
    if (items.size() > max_items) {
      *problem = "more than " + std::to_string(max_items) + " items";
      return false;
    }
    (c.*section).*member = std::move(items);
    return true;
  };
}

// One per area; each lives in that area's config_<area>.cpp.
void addServerFields(FieldTable& table);
void addDeviceFields(FieldTable& table);
void addSecurityFields(FieldTable& table);   // issue: device & security
void addStateFields(FieldTable& table);      // issue: device & security (persistence)
void addMediaFields(FieldTable& table);      // issue: media
void addEventsFields(FieldTable& table);     // issue: events
void addDiscoveryFields(FieldTable& table);  // issue: discovery
void addTransportFields(FieldTable& table);  // issue: transport (TLS, gzip, IPv6)
void addImagingFields(FieldTable& table);    // imaging service
void addPtzFields(FieldTable& table);        // PTZ node (config_ptz.cpp)

}  // namespace onvif::core
