#include "services/service_context.hpp"

#include "stdsoap2.h"

namespace onvif::services {

RequestContext& requestContext(struct ::soap* soap) { return *static_cast<RequestContext*>(soap->user); }

std::chrono::system_clock::time_point deviceNow(const DaemonState& daemon) {
  return std::chrono::system_clock::now() + std::chrono::seconds(daemon.clock_offset_s.load());
}

std::string serviceUrl(const RequestContext& ctx, const char* service) {
  return ctx.base_url + "/onvif/" + service + "_service";
}

}  // namespace onvif::services
