#pragma once
// Small builders shared by the device service's handler files: gSOAP-owned
// copies of scalars for optional fields, and the error kind to answer with
// when a hook or the store fails.
#include <string>

#include "gsoap_onvifH.h"
#include "services/device_state.hpp"
#include "soap/faults.hpp"

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

// The answer to a failed commit(): ter:Action either way; `hook_failed`
// names the hook for the client.
inline int commitFault(struct ::soap* soap, Commit result, const char* hook_failed) {
  return onvif::soap::fault(soap, onvif::soap::ErrorKind::ActionFailed,
                            result == Commit::HookFailed ? hook_failed : nullptr);
}

// A host change this device refuses (no hook, [device] host = real).
inline int refusedFault(struct ::soap* soap) {
  return onvif::soap::fault(soap, onvif::soap::ErrorKind::ActionNotSupported,
                            "This device has no hook for this setting ([device] host = real)");
}

}  // namespace onvif::services::device
