#pragma once
// GET /onvif/snapshot/<profile>: the JPEG behind GetSnapshotUri.
struct soap;

namespace onvif::services {

// Installed as every worker context's soap->fget (main hands it to the
// daemon's SoapProcessor):
// answers the snapshot path, returns gSOAP's SOAP_GET_METHOD (405) for others.
int serveSnapshotGet(struct ::soap* soap);

}  // namespace onvif::services
