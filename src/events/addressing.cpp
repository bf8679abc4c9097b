#include "events/addressing.hpp"

#include "wsddH.h"  // the global module owns SOAP_ENV__Header (see wsdl/wsdd_module.h)

namespace onvif::events {

const char kFaultAction[] = "http://www.w3.org/2005/08/addressing/soap/fault";

void setAddressing(struct ::soap* soap, const char* action, const char* to) {
  const char* messageId = soap->header ? soap->header->wsa5__MessageID : nullptr;
  auto* h = soap_new_SOAP_ENV__Header(soap);
  if (!h) return;
  soap_default_SOAP_ENV__Header(soap, h);
  h->wsa5__Action = soap_strdup(soap, action);
  if (to) h->wsa5__To = soap_strdup(soap, to);
  if (messageId) {
    auto* relates = soap_new_wsa5__RelatesToType(soap);
    if (relates) {
      soap_default_wsa5__RelatesToType(soap, relates);
      relates->__item = soap_strdup(soap, messageId);
      h->wsa5__RelatesTo = relates;
    }
  }
  soap->header = h;
}

const char* requestTo(struct ::soap* soap) {
  return soap->header ? soap->header->wsa5__To : nullptr;
}

}  // namespace onvif::events
