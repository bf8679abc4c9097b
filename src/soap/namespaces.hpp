#pragma once
// The binary's XML namespace tables (namespaces.cpp).
//
// Requests are parsed with the global `namespaces` table (every namespace of
// every bound WSDL, so that any request resolves). gSOAP declares *every*
// entry of the context's table on each response Envelope, ~34 xmlns
// attributes; a response of the Device or Media service uses about ten of
// them. responseNamespacesFor() picks, by the namespace of the request's
// Body element, a smaller table holding every prefix that service's
// responses and faults can write; the response namespaces plugin switches to
// it once the request has been read, and the processor switches back before
// the next request is parsed.
#include "stdsoap2.h"

extern SOAP_NMAC struct Namespace namespaces[];

namespace onvif::soap {

// A response table in its SOAP 1.2 and SOAP 1.1 variants (they differ in
// the SOAP-ENV and SOAP-ENC URIs, which gSOAP takes from the table).
struct ResponseNamespaces {
  const struct Namespace* soap12;
  const struct Namespace* soap11;
};

// The tables for responses to a request whose Body element is in namespace
// `uri` (a WSDL namespace URI), or nullptr to keep the full table.
const ResponseNamespaces* responseNamespacesFor(const char* uri);

// The response tables, for tests.
extern const struct Namespace kDeviceResponseNamespaces[];
extern const struct Namespace kDeviceResponseNamespaces11[];
extern const struct Namespace kMediaResponseNamespaces[];
extern const struct Namespace kMediaResponseNamespaces11[];

}  // namespace onvif::soap
