#include "soap/unsupported_operation.hpp"

#include <string>

#include "soap/faults.hpp"
#include "stdsoap2.h"

namespace onvif::soap {

// Core spec, "Services requirements": a command the device does not support
// shall be answered with env:Receiver / ter:ActionNotSupported.
int unsupportedOperation(struct ::soap* soap, const char* element) {
  std::string reason = std::string(element) + " is not implemented by this device";
  return fault(soap, ErrorKind::ActionNotSupported, soap_strdup(soap, reason.c_str()));
}

}  // namespace onvif::soap
