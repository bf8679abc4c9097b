#pragma once
struct soap;

namespace onvif::soap {

// Answer for an operation that is bound but not implemented: the spec's
// env:Receiver / ter:ActionNotSupported fault (Core spec, "Generic faults").
int unsupportedOperation(struct ::soap* soap, const char* element);

}  // namespace onvif::soap
