#pragma once
// What a handler can see besides its request: the daemon's shared state and
// facts about the request (which address it came in on, for XAddrs). Reached
// from the gSOAP context with requestContext(soap); gSOAP types stay in the
// handler files.
#include <chrono>
#include <string>

#include "core/config.hpp"

// Subsystems reachable from handlers are forward-declared here and owned by main.

struct soap;

namespace onvif::services {

// Shared by all workers; read-only after start-up in this phase.
struct DaemonState {
  const core::Config* config = nullptr;
  std::chrono::system_clock::time_point started_at;
  // (security & persistence: user store, settings store, auth)
  // (media: camera model)
  // (events: event broker)
  // (discovery: discovery announcer)
};

// Per worker, refreshed for every request.
struct RequestContext {
  const DaemonState* daemon = nullptr;
  std::string base_url;  // scheme://address:port the request came in on, no trailing slash
  std::string path;      // request path without the query
};

RequestContext& requestContext(struct ::soap* soap);

// "http://<base>/onvif/<service>_service"
std::string serviceUrl(const RequestContext& ctx, const char* service);

}  // namespace onvif::services
