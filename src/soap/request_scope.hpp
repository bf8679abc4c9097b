#pragma once
// Frees everything gSOAP allocated for one request when the scope ends
// (soap_destroy for C++ objects, soap_end for the rest), on every path.
#include "stdsoap2.h"

namespace onvif::soap {

class RequestScope {
 public:
  explicit RequestScope(struct ::soap* soap) : soap_(soap) {}
  ~RequestScope() {
    soap_destroy(soap_);
    soap_end(soap_);
  }
  RequestScope(const RequestScope&) = delete;
  RequestScope& operator=(const RequestScope&) = delete;

 private:
  struct ::soap* soap_;
};

}  // namespace onvif::soap
