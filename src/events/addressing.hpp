#pragma once
// WS-Addressing headers on event messages (Core spec "Event handling": both
// device and client shall support WS-Addressing; "SOAP Fault Messages": the
// fault action). Replaces soap->header with one that holds only wsa:Action,
// wsa:RelatesTo (the request's MessageID) and, for requests we send, wsa:To.
struct soap;

namespace onvif::events {

extern const char kFaultAction[];  // http://www.w3.org/2005/08/addressing/soap/fault

void setAddressing(struct ::soap* soap, const char* action, const char* to = nullptr);
// The request's wsa:To, or nullptr.
const char* requestTo(struct ::soap* soap);

}  // namespace onvif::events
