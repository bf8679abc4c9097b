#pragma once
// Serializes one generated object as a standalone XML element, for content
// the schema declares as xsd:any (e.g. the per-service Capabilities in
// GetServices). The namespaced module's types cannot ride in a typed DOM node
// (the runtime would look them up in the global module), so they travel as
// XML text, declared with only the namespaces they use (exclusive c14n mode).
#include <sstream>
#include <string>

#include "soap/soap_context.hpp"
#include "stdsoap2.h"

namespace onvif::soap {

template <typename T>
std::string elementXml(const T& object, const char* tag) {
  SoapContext owner = newSoapContext(SOAP_XML_CANONICAL | SOAP_C_UTFSTRING);
  struct ::soap* ctx = owner.get();
  if (!ctx) return {};
  std::ostringstream out;
  ctx->os = &out;
  std::string xml;
  if (soap_begin_send(ctx) == SOAP_OK && object.soap_out(ctx, tag, -1, nullptr) == SOAP_OK &&
      soap_end_send(ctx) == SOAP_OK)
    xml = out.str();
  ctx->os = nullptr;
  return xml;
}

}  // namespace onvif::soap
