#include "media/uri_template.hpp"

namespace onvif::media {

UriContext uriContextFromBaseUrl(const std::string& base_url) {
  UriContext ctx;
  std::size_t start = base_url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  std::string authority = base_url.substr(start);
  std::size_t slash = authority.find('/');
  if (slash != std::string::npos) authority.resize(slash);
  std::size_t colon = authority.rfind(':');
  std::size_t bracket = authority.rfind(']');
  if (colon != std::string::npos && (bracket == std::string::npos || colon > bracket)) {
    ctx.host = authority.substr(0, colon);
    ctx.port = authority.substr(colon + 1);
  } else {
    ctx.host = authority;
    ctx.port = base_url.compare(0, 6, "https:") == 0 ? "443" : "80";
  }
  return ctx;
}

std::string expandUri(const std::string& tmpl, const UriContext& ctx) {
  std::string out;
  for (std::size_t i = 0; i < tmpl.size();) {
    if (tmpl[i] == '{') {
      std::size_t close = tmpl.find('}', i);
      if (close != std::string::npos) {
        std::string name = tmpl.substr(i + 1, close - i - 1);
        const std::string* value = name == "host"      ? &ctx.host
                                   : name == "port"    ? &ctx.port
                                   : name == "profile" ? &ctx.profile
                                   : name == "encoder" ? &ctx.encoder
                                                       : nullptr;
        if (value) {
          out += *value;
          i = close + 1;
          continue;
        }
      }
    }
    out += tmpl[i++];
  }
  return out;
}

}  // namespace onvif::media
