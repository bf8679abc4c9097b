#pragma once
// A gSOAP plugin that switches a context to a smaller namespace table for
// the response, once the request has been read (docs/deployment.md, "What
// the profile shows"). gSOAP writes an xmlns declaration for every entry of
// the table on each response Envelope; switching after soap_end_recv (its
// fpreparefinalrecv callback) leaves request parsing on the full table.
#include "soap/namespaces.hpp"
#include "stdsoap2.h"

namespace onvif::soap {

extern const char kResponseNamespacesPluginId[];

// soap_register_plugin(soap, responseNamespacesPlugin), after every plugin
// that sets fpreparefinalrecv (it chains to theirs).
int responseNamespacesPlugin(struct ::soap* soap, struct soap_plugin* p, void* arg);

// Use `tables` for this request's response (nullptr: keep the full table),
// the variant of the request's SOAP version. Takes effect when the request
// has been read completely; a request that fails before that is answered
// with the full table.
void useResponseNamespaces(struct ::soap* soap, const ResponseNamespaces* tables);

// Back to the full table for the next request; call after each request.
void restoreRequestNamespaces(struct ::soap* soap);

}  // namespace onvif::soap
