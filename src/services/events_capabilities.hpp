#pragma once
// The Events part of the device service's legacy GetCapabilities
// (tt:EventCapabilities): Home Assistant's ONVIF library and many NVRs find
// the event service's XAddr there, not in GetServices. Defined in
// events_service.cpp; GetCapabilities (Category All or Events) sets
//   caps->Events = onvif::services::legacyEventCapabilities(soap, ctx);
struct soap;
namespace gsoap_onvif {
class tt__EventCapabilities;
}

namespace onvif::daemon {
struct RequestContext;
}

namespace onvif::services {

gsoap_onvif::tt__EventCapabilities* legacyEventCapabilities(struct ::soap* soap,
                                                            const daemon::RequestContext& ctx);

}  // namespace onvif::services
