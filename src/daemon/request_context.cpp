#include "daemon/request_context.hpp"

#include "stdsoap2.h"

namespace onvif::daemon {

RequestContext& requestContext(struct ::soap* soap) {
  return *static_cast<RequestContext*>(soap->user);
}

std::string serviceUrl(const RequestContext& ctx, const char* service) {
  return ctx.base_url + "/onvif/" + service + "_service";
}

}  // namespace onvif::daemon
