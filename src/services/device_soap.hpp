#pragma once
// Small builders shared by the device service's handler files: gSOAP-owned
// copies of scalars for optional fields, and the error kind to answer with
// when a hook or the store fails.
#include <string>

#include "gsoap_onvifH.h"

namespace onvif::services::device {

template <typename T>
T* soapValue(struct ::soap* soap, const T& value) {
  T* p = static_cast<T*>(soap_malloc(soap, sizeof(T)));
  *p = value;
  return p;
}

inline std::string* soapString(struct ::soap* soap, const std::string& value) {
  std::string* p = gsoap_onvif::soap_new_std__string(soap);
  *p = value;
  return p;
}

}  // namespace onvif::services::device
