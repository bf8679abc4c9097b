// Media2 service: OSDs (Media2 spec "OSD (On-Screen Display)") on the same
// OSD objects as Media ver10 (services/media_osd.hpp, src/media/osd.*), so
// an OSD made through either service is the one the other lists; and
// privacy masks, answered as a device without masks (the Mask capability
// is false). Get* READ_MEDIA, the rest ACTUATE.
#include "services/media_osd.hpp"
#include "services/media_wire.hpp"
#include "soap/faults.hpp"
#include "soap/unsupported_operation.hpp"

namespace gsoap_onvif {

namespace osd = onvif::services::osd;
using onvif::services::media_wire::fail;
using onvif::services::media_wire::model;
using onvif::soap::ErrorKind;

// Media2 spec "GetOSDs": by OSDToken, by ConfigurationToken, or all.
int __tr2__GetOSDs(struct soap* soap, _tr2__GetOSDs* request, _tr2__GetOSDsResponse& response) {
  return osd::list(soap, request ? request->OSDToken : nullptr,
                   request ? request->ConfigurationToken : nullptr, &response.OSDs);
}

int __tr2__GetOSDOptions(struct soap* soap, _tr2__GetOSDOptions* request,
                         _tr2__GetOSDOptionsResponse& response) {
  if (!request) return fail(soap, ErrorKind::NoConfig);
  return osd::options(soap, request->ConfigurationToken, &response.OSDOptions);
}

int __tr2__CreateOSD(struct soap* soap, _tr2__CreateOSD* request, _tr2__CreateOSDResponse& response) {
  return osd::create(soap, "tr2:CreateOSD", request ? request->OSD : nullptr, &response.OSDToken);
}

int __tr2__SetOSD(struct soap* soap, _tr2__SetOSD* request, tr2__SetConfigurationResponse&) {
  return osd::set(soap, request ? request->OSD : nullptr);
}

int __tr2__DeleteOSD(struct soap* soap, _tr2__DeleteOSD* request, tr2__SetConfigurationResponse&) {
  if (!request) return fail(soap, ErrorKind::NoConfig);
  return osd::remove(soap, request->OSDToken);
}

// Media2 spec "GetMasks": no masks exist; a named mask or an unknown video
// source configuration is NoConfig.
int __tr2__GetMasks(struct soap* soap, _tr2__GetMasks* request, _tr2__GetMasksResponse&) {
  const onvif::media::MediaState st = model(soap).snapshot();
  if (request && request->ConfigurationToken && !st.findVideoSource(*request->ConfigurationToken))
    return fail(soap, ErrorKind::NoConfig);
  if (request && request->Token) return fail(soap, ErrorKind::NoConfig);
  return SOAP_OK;
}

// Without the Mask capability there are no mask options to give.
int __tr2__GetMaskOptions(struct soap* soap, _tr2__GetMaskOptions* request, _tr2__GetMaskOptionsResponse&) {
  const onvif::media::MediaState st = model(soap).snapshot();
  if (!request || !st.findVideoSource(request->ConfigurationToken)) return fail(soap, ErrorKind::NoConfig);
  return onvif::soap::unsupportedOperation(soap, "tr2:GetMaskOptions");
}

int __tr2__CreateMask(struct soap* soap, _tr2__CreateMask*, _tr2__CreateMaskResponse&) {
  return onvif::soap::unsupportedOperation(soap, "tr2:CreateMask");
}

int __tr2__SetMask(struct soap* soap, _tr2__SetMask*, tr2__SetConfigurationResponse&) {
  return onvif::soap::unsupportedOperation(soap, "tr2:SetMask");
}

// Media2 spec "DeleteMask": no mask exists, so every token is NoConfig.
int __tr2__DeleteMask(struct soap* soap, _tr2__DeleteMask*, tr2__SetConfigurationResponse&) {
  return fail(soap, ErrorKind::NoConfig);
}

}  // namespace gsoap_onvif
