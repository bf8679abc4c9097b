#include "discovery/matching.hpp"

#include <cctype>

namespace onvif::discovery {

namespace {

bool equalsIgnoreCase(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (tolower(static_cast<unsigned char>(a[i])) != tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 3986 §6.2.2: percent-encoded unreserved characters are decoded, other
// escapes get upper-case hex, so "%7e" == "~" and "%2f" == "%2F".
std::string normaliseSegment(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    int hi, lo;
    if (s[i] == '%' && i + 2 < s.size() && (hi = hexValue(s[i + 1])) >= 0 && (lo = hexValue(s[i + 2])) >= 0) {
      char c = static_cast<char>(hi * 16 + lo);
      if (isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' || c == '~') {
        out += c;
      } else {
        static const char* hex = "0123456789ABCDEF";
        out += '%';
        out += hex[hi];
        out += hex[lo];
      }
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

struct Uri {
  std::string scheme, authority, rest;  // rest: query and fragment, with '?'/'#'
  std::vector<std::string> segments;
  bool ok = false;
};

// Generic RFC 3986 syntax: scheme ":" ["//" authority] path ["?" query] ["#" fragment].
Uri parseUri(const std::string& text) {
  Uri u;
  std::size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0) return u;
  for (std::size_t i = 0; i < colon; ++i) {
    char c = text[i];
    if (!(isalpha(static_cast<unsigned char>(c)) ||
          (i > 0 && (isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.'))))
      return u;
  }
  u.scheme = text.substr(0, colon);
  std::size_t pos = colon + 1;
  std::size_t end = text.find_first_of("?#", pos);
  if (end == std::string::npos) end = text.size();
  u.rest = text.substr(end);
  if (text.compare(pos, 2, "//") == 0) {
    pos += 2;
    std::size_t slash = text.find('/', pos);
    if (slash == std::string::npos || slash > end) slash = end;
    u.authority = text.substr(pos, slash - pos);
    pos = slash;
  }
  std::string path = text.substr(pos, end - pos);
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    std::string seg = path.substr(start, slash - start);
    if (!seg.empty()) {
      seg = normaliseSegment(seg);
      if (seg == "." || seg == "..") return u;  // WS-Discovery: such a URI never matches
      u.segments.push_back(seg);
    }
    start = slash + 1;
  }
  u.ok = true;
  return u;
}

}  // namespace

MatchRule parseMatchBy(const std::string& match_by) {
  if (match_by.empty() || match_by == kMatchByRfc3986) return MatchRule::Rfc3986;
  if (match_by == kMatchByStrcmp) return MatchRule::Strcmp;
  return MatchRule::Unsupported;
}

bool scopeMatches(const std::string& probe, const std::string& device, MatchRule rule) {
  switch (rule) {
    case MatchRule::Strcmp: return probe == device;
    case MatchRule::Unsupported: return false;
    case MatchRule::Rfc3986: break;
  }
  Uri s1 = parseUri(probe), s2 = parseUri(device);
  if (!s1.ok || !s2.ok) return false;
  if (!equalsIgnoreCase(s1.scheme, s2.scheme) || !equalsIgnoreCase(s1.authority, s2.authority)) return false;
  if (s1.segments.size() > s2.segments.size()) return false;
  for (std::size_t i = 0; i < s1.segments.size(); ++i)
    if (s1.segments[i] != s2.segments[i]) return false;
  return s1.rest.empty() || s1.rest == s2.rest;
}

bool scopesMatch(const std::vector<std::string>& probe, const std::vector<std::string>& device,
                 MatchRule rule) {
  for (const std::string& s1 : probe) {
    bool found = false;
    for (const std::string& s2 : device) {
      if (scopeMatches(s1, s2, rule)) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

const std::vector<QName>& deviceTypes() {
  static const std::vector<QName> types = {
      {"http://www.onvif.org/ver10/device/wsdl", "Device"},
      {"http://www.onvif.org/ver10/network/wsdl", "NetworkVideoTransmitter"},
  };
  return types;
}

bool typesMatch(const std::vector<QName>& probe) {
  for (const QName& want : probe) {
    bool found = false;
    for (const QName& have : deviceTypes()) found = found || want == have;
    if (!found) return false;
  }
  return true;
}

std::vector<std::string> splitList(const std::string& text, std::size_t max_items) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < text.size() && out.size() < max_items) {
    while (pos < text.size() && isspace(static_cast<unsigned char>(text[pos]))) ++pos;
    std::size_t end = pos;
    while (end < text.size() && !isspace(static_cast<unsigned char>(text[end]))) ++end;
    if (end > pos) out.push_back(text.substr(pos, end - pos));
    pos = end;
  }
  return out;
}

}  // namespace onvif::discovery
