// The XML namespace table of the binary: gSOAP's runtime reads the global
// `namespaces` for every context. It merges the tables soapcpp2 writes for
// the two modules (gsoap_onvif's *.nsmap and wsdd.nsmap) with two changes:
//   - WS-Addressing 2004/08 (wsa, WS-Discovery) and 2005/08 (wsa5, events)
//     are kept apart: soapcpp2 lets each match the other as a fallback, which
//     would make one module's header fields swallow the other's;
//   - prefixes that our faults and topics use (ter, tns1, wsntw, dn) are added.
// A unit test checks it against the generated tables, so a regeneration that
// adds a namespace cannot be missed.
#include "soap/namespaces.hpp"

#include <cstring>

SOAP_NMAC struct Namespace namespaces[] = {
    {"SOAP-ENV", "http://www.w3.org/2003/05/soap-envelope", "http://schemas.xmlsoap.org/soap/envelope/",
     nullptr},
    {"SOAP-ENC", "http://www.w3.org/2003/05/soap-encoding", "http://schemas.xmlsoap.org/soap/encoding/",
     nullptr},
    {"xsi", "http://www.w3.org/2001/XMLSchema-instance", "http://www.w3.org/*/XMLSchema-instance", nullptr},
    {"xsd", "http://www.w3.org/2001/XMLSchema", "http://www.w3.org/*/XMLSchema", nullptr},
    {"wsa5", "http://www.w3.org/2005/08/addressing", nullptr, nullptr},
    {"wsa", "http://schemas.xmlsoap.org/ws/2004/08/addressing", nullptr, nullptr},
    {"wsdd", "http://schemas.xmlsoap.org/ws/2005/04/discovery", nullptr, nullptr},
    {"wsse", "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd",
     "http://docs.oasis-open.org/wss/oasis-wss-wssecurity-secext-1.1.xsd", nullptr},
    {"wsu", "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd", nullptr,
     nullptr},
    {"tt", "http://www.onvif.org/ver10/schema", nullptr, nullptr},
    {"tds", "http://www.onvif.org/ver10/device/wsdl", nullptr, nullptr},
    {"trt", "http://www.onvif.org/ver10/media/wsdl", nullptr, nullptr},
    {"tr2", "http://www.onvif.org/ver20/media/wsdl", nullptr, nullptr},
    {"tev", "http://www.onvif.org/ver10/events/wsdl", nullptr, nullptr},
    {"tptz", "http://www.onvif.org/ver20/ptz/wsdl", nullptr, nullptr},
    {"timg", "http://www.onvif.org/ver20/imaging/wsdl", nullptr, nullptr},
    {"tmd", "http://www.onvif.org/ver10/deviceIO/wsdl", nullptr, nullptr},
    {"ter", "http://www.onvif.org/ver10/error", nullptr, nullptr},
    {"tns1", "http://www.onvif.org/ver10/topics", nullptr, nullptr},
    {"dn", "http://www.onvif.org/ver10/network/wsdl", nullptr, nullptr},
    {"wsnt", "http://docs.oasis-open.org/wsn/b-2", nullptr, nullptr},
    {"wsntw", "http://docs.oasis-open.org/wsn/bw-2", nullptr, nullptr},
    {"wstop", "http://docs.oasis-open.org/wsn/t-1", nullptr, nullptr},
    {"wsrfbf", "http://docs.oasis-open.org/wsrf/bf-2", nullptr, nullptr},
    {"wsrfr", "http://docs.oasis-open.org/wsrf/r-2", nullptr, nullptr},
    {"xop", "http://www.w3.org/2004/08/xop/include", nullptr, nullptr},
    {"xmime", "http://tempuri.org/xmime.xsd", nullptr, nullptr},
    {"chan", "http://schemas.microsoft.com/ws/2005/02/duplex", nullptr, nullptr},
    {"c14n", "http://www.w3.org/2001/10/xml-exc-c14n#", nullptr, nullptr},
    {"ds", "http://www.w3.org/2000/09/xmldsig#", nullptr, nullptr},
    {"xenc", "http://www.w3.org/2001/04/xmlenc#", nullptr, nullptr},
    {"wsc", "http://docs.oasis-open.org/ws-sx/ws-secureconversation/200512",
     "http://schemas.xmlsoap.org/ws/2005/02/sc", nullptr},
    {"saml1", "urn:oasis:names:tc:SAML:1.0:assertion", nullptr, nullptr},
    {"saml2", "urn:oasis:names:tc:SAML:2.0:assertion", nullptr, nullptr},
    {nullptr, nullptr, nullptr, nullptr},
};

namespace onvif::soap {

// What a Device or Media response can contain: the SOAP envelope and the
// schema namespaces (the first four, by position: gSOAP reads them so),
// every prefix of a SOAP Header field (gSOAP echoes the request's Header:
// WS-Addressing 2005/08 and 2004/08, WS-Discovery's AppSequence; the
// WS-Security header is taken out before dispatch), the ONVIF schema, the
// service's own namespace and ter (fault subcodes are QNames in text).
// Capabilities carried as xsd:any (GetServices) declare their own
// namespaces. Each table comes in a SOAP 1.2 and a SOAP 1.1 variant: a new
// table's first entry sets the version gSOAP answers in, and a SOAP 1.1
// request gets a SOAP 1.1 response. tests/unit/namespaces_test.cpp checks
// every entry against the full table; the integration suites parse every
// response with a namespace-aware parser.
#define ONVIFD_SOAP12_ENVELOPE                                                                          \
  {"SOAP-ENV", "http://www.w3.org/2003/05/soap-envelope", "http://schemas.xmlsoap.org/soap/envelope/",  \
   nullptr},                                                                                            \
  {                                                                                                     \
    "SOAP-ENC", "http://www.w3.org/2003/05/soap-encoding", "http://schemas.xmlsoap.org/soap/encoding/", \
        nullptr                                                                                         \
  }
#define ONVIFD_SOAP11_ENVELOPE                                                                          \
  {"SOAP-ENV", "http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope",  \
   nullptr},                                                                                            \
  {                                                                                                     \
    "SOAP-ENC", "http://schemas.xmlsoap.org/soap/encoding/", "http://www.w3.org/2003/05/soap-encoding", \
        nullptr                                                                                         \
  }
#define ONVIFD_RESPONSE_COMMON                                                                             \
  {"xsi", "http://www.w3.org/2001/XMLSchema-instance", "http://www.w3.org/*/XMLSchema-instance", nullptr}, \
      {"xsd", "http://www.w3.org/2001/XMLSchema", "http://www.w3.org/*/XMLSchema", nullptr},               \
      {"wsa5", "http://www.w3.org/2005/08/addressing", nullptr, nullptr},                                  \
      {"wsa", "http://schemas.xmlsoap.org/ws/2004/08/addressing", nullptr, nullptr},                       \
      {"wsdd", "http://schemas.xmlsoap.org/ws/2005/04/discovery", nullptr, nullptr},                       \
      {"tt", "http://www.onvif.org/ver10/schema", nullptr, nullptr}, {                                     \
    "ter", "http://www.onvif.org/ver10/error", nullptr, nullptr                                            \
  }
#define ONVIFD_DEVICE \
  { "tds", "http://www.onvif.org/ver10/device/wsdl", nullptr, nullptr }
#define ONVIFD_MEDIA \
  { "trt", "http://www.onvif.org/ver10/media/wsdl", nullptr, nullptr }
#define ONVIFD_END \
  { nullptr, nullptr, nullptr, nullptr }

const struct Namespace kDeviceResponseNamespaces[] = {ONVIFD_SOAP12_ENVELOPE, ONVIFD_RESPONSE_COMMON,
                                                      ONVIFD_DEVICE, ONVIFD_END};
const struct Namespace kDeviceResponseNamespaces11[] = {ONVIFD_SOAP11_ENVELOPE, ONVIFD_RESPONSE_COMMON,
                                                        ONVIFD_DEVICE, ONVIFD_END};
const struct Namespace kMediaResponseNamespaces[] = {ONVIFD_SOAP12_ENVELOPE, ONVIFD_RESPONSE_COMMON,
                                                     ONVIFD_MEDIA, ONVIFD_END};
const struct Namespace kMediaResponseNamespaces11[] = {ONVIFD_SOAP11_ENVELOPE, ONVIFD_RESPONSE_COMMON,
                                                       ONVIFD_MEDIA, ONVIFD_END};

#undef ONVIFD_SOAP12_ENVELOPE
#undef ONVIFD_SOAP11_ENVELOPE
#undef ONVIFD_RESPONSE_COMMON
#undef ONVIFD_DEVICE
#undef ONVIFD_MEDIA
#undef ONVIFD_END

// Events (its topics and messages carry tns1, wsnt, wstop, ... in element
// names and text) and the services answered only with ActionNotSupported
// keep the full table.
const ResponseNamespaces* responseNamespacesFor(const char* uri) {
  static const ResponseNamespaces device{kDeviceResponseNamespaces, kDeviceResponseNamespaces11};
  static const ResponseNamespaces media{kMediaResponseNamespaces, kMediaResponseNamespaces11};
  if (!uri) return nullptr;
  if (std::strcmp(uri, "http://www.onvif.org/ver10/device/wsdl") == 0) return &device;
  if (std::strcmp(uri, "http://www.onvif.org/ver10/media/wsdl") == 0) return &media;
  return nullptr;
}

}  // namespace onvif::soap
