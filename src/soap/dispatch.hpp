#pragma once
// Dispatch of a request to the generated skeleton of its operation.
//
// soapcpp2's soap_serve_request compares the Body's first element with every
// bound operation in turn: ~330 soap_match_tag calls before a Media operation
// is reached (~30,000 instructions for GetProfiles). The same chain, read by
// scripts/gen-dispatch from the generated code, is kept here sorted by local
// name; only the entries whose local name equals the element's are matched,
// in the chain's order, so the result is the chain's.
#include <cstddef>

struct soap;

namespace onvif::soap {

struct DispatchEntry {
  const char* local;             // local name of the request element, "GetProfiles"
  const char* element;           // as soap_serve_request matches it, "trt:GetProfiles"
  int position;                  // index of its comparison in soap_serve_request
  int (*serve)(struct ::soap*);  // the generated soap_serve_* skeleton
};

// soap_serve_request's result, reached by the index: the skeleton's return
// value, or SOAP_NO_METHOD (also in soap->error) when no operation matches.
int serveRequest(struct ::soap* soap);

// The entry serveRequest would call for the peeked element soap->tag, or
// nullptr.
const DispatchEntry* findOperation(struct ::soap* soap, const char* tag);

// The index, for tests.
const DispatchEntry* dispatchEntries();
std::size_t dispatchEntryCount();

}  // namespace onvif::soap
