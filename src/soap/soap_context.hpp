#pragma once
// Owner of a gSOAP context. Its end is always the same three steps, once:
// soap_destroy (C++ objects), soap_end (temporary data), soap_free (the
// context itself; also runs the plugins' fdelete).
#include <memory>

#include "stdsoap2.h"

namespace onvif::soap {

struct SoapFree {
  void operator()(struct ::soap* soap) const {
    soap_destroy(soap);
    soap_end(soap);
    soap_free(soap);
  }
};

using SoapContext = std::unique_ptr<struct ::soap, SoapFree>;

// soap_new1(mode) under an owner; holds nullptr when out of memory.
inline SoapContext newSoapContext(soap_mode mode = 0) {
  return SoapContext(soap_new1(mode));
}

}  // namespace onvif::soap
