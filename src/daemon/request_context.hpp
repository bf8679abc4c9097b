#pragma once
// What a handler can see besides its request: the daemon's shared state and
// facts about the request (which address it came in on, for XAddrs). Reached
// from the gSOAP context with requestContext(soap); gSOAP types stay in the
// handler files.
#include <string>

#include "daemon/daemon_state.hpp"

struct soap;

namespace onvif::daemon {

// Per worker, refreshed for every request.
struct RequestContext {
  const DaemonState* daemon = nullptr;
  std::string base_url;  // scheme://address:port the request came in on, no trailing slash
  std::string path;      // request path without the query
};

RequestContext& requestContext(struct ::soap* soap);

// "http://<base>/onvif/<service>_service"
std::string serviceUrl(const RequestContext& ctx, const char* service);

}  // namespace onvif::daemon
