#include "core/validate.hpp"

#include <arpa/inet.h>

#include <cctype>

namespace onvif::core {

bool isIPv4Address(const std::string& text) {
  in_addr a{};
  return text.size() <= 15 && inet_pton(AF_INET, text.c_str(), &a) == 1;
}

bool isIPv6Address(const std::string& text) {
  in6_addr a{};
  return text.size() <= 45 && inet_pton(AF_INET6, text.c_str(), &a) == 1;
}

bool isHostname(const std::string& text) {
  if (text.empty() || text.size() > 253) return false;
  std::size_t label = 0;
  char prev = '.';
  for (char c : text) {
    if (c == '.') {
      if (label == 0 || prev == '-') return false;
      label = 0;
    } else if (isalnum(static_cast<unsigned char>(c)) || c == '-') {
      if (label == 0 && c == '-') return false;
      if (++label > 63) return false;
    } else {
      return false;
    }
    prev = c;
  }
  return label > 0 && prev != '-';
}

bool isScopeUri(const std::string& text) {
  if (text.empty() || text.size() > 512) return false;
  std::size_t colon = text.find(':');
  if (colon == 0 || colon == std::string::npos || colon + 1 == text.size()) return false;
  if (!isalpha(static_cast<unsigned char>(text[0]))) return false;
  for (std::size_t i = 1; i < colon; ++i) {
    char c = text[i];
    if (!isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
  }
  for (unsigned char c : text)
    if (c <= 0x20 || c >= 0x7f) return false;
  return true;
}

bool parseDuration(const std::string& text, long long* ms) {
  // P [nD] [T [nH] [nM] [n[.n]S]]
  std::size_t i = 0;
  if (text.size() < 2 || text[i++] != 'P') return false;
  long long total_ms = 0;
  bool in_time = false, any = false;
  while (i < text.size()) {
    if (text[i] == 'T') {
      if (in_time || i + 1 == text.size()) return false;
      in_time = true;
      ++i;
      continue;
    }
    long long whole = 0, frac_ms = 0;
    int digits = 0;
    while (i < text.size() && isdigit(static_cast<unsigned char>(text[i])) && digits < 9) {
      whole = whole * 10 + (text[i++] - '0');
      ++digits;
    }
    if (digits == 0) return false;
    if (i < text.size() && text[i] == '.') {
      ++i;
      int frac_digits = 0;
      long long scale = 100;
      while (i < text.size() && isdigit(static_cast<unsigned char>(text[i]))) {
        if (frac_digits++ < 3) frac_ms += (text[i] - '0') * scale, scale /= 10;
        ++i;
      }
      if (frac_digits == 0 || i >= text.size() || text[i] != 'S') return false;
    }
    if (i >= text.size()) return false;
    char unit = text[i++];
    long long factor;
    if (!in_time && unit == 'D')
      factor = 86400000;
    else if (in_time && unit == 'H')
      factor = 3600000;
    else if (in_time && unit == 'M')
      factor = 60000;
    else if (in_time && unit == 'S')
      factor = 1000;
    else
      return false;
    total_ms += whole * factor + frac_ms;
    if (total_ms > 86400000LL) return false;
    any = true;
  }
  if (!any) return false;
  *ms = total_ms;
  return true;
}

}  // namespace onvif::core
