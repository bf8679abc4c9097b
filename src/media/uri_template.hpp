#pragma once
// Stream and snapshot URIs from the [media] templates: {host} is the address
// the request came in on (so a camera behind several interfaces or NAT-free
// port forwards answers with the address the client used), {port} the web
// service's port, {profile} and {encoder} the tokens.
#include <string>

namespace onvif::media {

struct UriContext {
  std::string host;  // as in a URL: IPv6 literals in brackets
  std::string port;  // web service port, digits
  std::string profile;
  std::string encoder;
};

// Splits "scheme://host:port" (RequestContext::base_url) into host and port.
UriContext uriContextFromBaseUrl(const std::string& base_url);

// Replaces the placeholders; unknown {names} are left as they are.
std::string expandUri(const std::string& tmpl, const UriContext& ctx);

}  // namespace onvif::media
