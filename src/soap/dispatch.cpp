#include "soap/dispatch.hpp"

#include <algorithm>
#include <cstring>

#include "gsoap_onvifH.h"

namespace onvif::soap {
namespace {

// Sorted by local name (strcmp order), then by position: see scripts/gen-dispatch.
const DispatchEntry kEntries[] = {
#include "dispatch_table.inc"
};

// The local part as soap_match_tag takes it: after the first colon.
const char* localName(const char* tag) {
  const char* colon = std::strchr(tag, ':');
  return colon ? colon + 1 : tag;
}

struct ByLocalName {
  bool operator()(const DispatchEntry& e, const char* name) const { return std::strcmp(e.local, name) < 0; }
  bool operator()(const char* name, const DispatchEntry& e) const { return std::strcmp(name, e.local) < 0; }
};

}  // namespace

const DispatchEntry* findOperation(struct ::soap* soap, const char* tag) {
  // soap_match_tag(soap, tag, "p:Name") fails unless tag's local part is
  // "Name" (compared with strcmp before any namespace is looked at), so an
  // entry with another local name can never match.
  const char* local = localName(tag);
  auto range = std::equal_range(std::begin(kEntries), std::end(kEntries), local, ByLocalName());
  for (auto* e = range.first; e != range.second; ++e) {
    if (soap_match_tag(soap, tag, e->element) == SOAP_OK) return e;
  }
  return nullptr;
}

int serveRequest(struct ::soap* soap) {
  (void)soap_peek_element(soap);  // as soap_serve_request: a no-op once peeked
  if (const DispatchEntry* e = findOperation(soap, soap->tag)) return e->serve(soap);
  return soap->error = SOAP_NO_METHOD;
}

const DispatchEntry* dispatchEntries() {
  return kEntries;
}
std::size_t dispatchEntryCount() {
  return sizeof(kEntries) / sizeof(kEntries[0]);
}

}  // namespace onvif::soap
