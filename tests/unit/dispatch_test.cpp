#include "soap/dispatch.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "soap/namespaces.hpp"
#include "soap/operation_table.hpp"
#include "soap/soap_context.hpp"
#include "stdsoap2.h"

using namespace onvif::soap;

namespace {

// A context whose namespace stack declares every prefix of the full table,
// as a request Envelope that declares them all would.
SoapContext contextWithEveryPrefix() {
  SoapContext soap = newSoapContext();
  soap_set_namespaces(soap.get(), namespaces);
  for (const Namespace* n = namespaces; n->id; ++n) soap_push_namespace(soap.get(), n->id, n->ns);
  return soap;
}

// What soap_serve_request's chain would pick: the first entry, in the
// chain's order, whose element matches.
const DispatchEntry* chainPick(struct ::soap* soap, const char* tag) {
  std::vector<const DispatchEntry*> chain;
  for (std::size_t i = 0; i < dispatchEntryCount(); i++) chain.push_back(&dispatchEntries()[i]);
  std::sort(chain.begin(), chain.end(), [](auto* a, auto* b) { return a->position < b->position; });
  for (const DispatchEntry* e : chain)
    if (soap_match_tag(soap, tag, e->element) == SOAP_OK) return e;
  return nullptr;
}

}  // namespace

TEST_CASE("dispatch index: sorted by local name, then by chain position, each chain comparison once") {
  const DispatchEntry* e = dispatchEntries();
  const std::size_t n = dispatchEntryCount();
  REQUIRE(n > 0);
  std::set<int> positions;
  for (std::size_t i = 0; i < n; i++) {
    CAPTURE(std::string(e[i].element));
    const char* colon = std::strchr(e[i].element, ':');
    CHECK(std::string(colon ? colon + 1 : e[i].element) == e[i].local);
    CHECK(static_cast<bool>(e[i].serve));
    positions.insert(e[i].position);
    if (i > 0) {
      int c = std::strcmp(e[i - 1].local, e[i].local);
      CHECK((c < 0 || (c == 0 && e[i - 1].position < e[i].position)));
    }
  }
  CHECK(positions.size() == n);
  CHECK(*positions.begin() == 0);
  CHECK(*positions.rbegin() == static_cast<int>(n) - 1);
}

TEST_CASE("dispatch index: every element of the generated chain is reached, as the chain reaches it") {
  SoapContext soap = contextWithEveryPrefix();
  std::size_t reached = 0;
  for (std::size_t i = 0; i < dispatchEntryCount(); i++) {
    const char* element = dispatchEntries()[i].element;
    CAPTURE(std::string(element));
    const DispatchEntry* found = findOperation(soap.get(), element);
    REQUIRE(found != nullptr);
    CHECK(std::string(found->element) == element);
    CHECK(found == chainPick(soap.get(), element));
    reached++;
  }
  CHECK(reached > 300);
  // The operation table's elements too (a few of them, such as DeviceIO's
  // shared "tmd:Get", are not in the chain: neither way reaches them).
  for (std::size_t i = 0; i < kBoundOperationCount; i++) {
    CAPTURE(std::string(kBoundOperations[i].element));
    CHECK(findOperation(soap.get(), kBoundOperations[i].element) ==
          chainPick(soap.get(), kBoundOperations[i].element));
  }
}

TEST_CASE("dispatch index: other prefixes, case and unknown elements give the chain's answer") {
  SoapContext soap = contextWithEveryPrefix();
  // Another prefix bound to the Media namespace; a default namespace.
  soap_push_namespace(soap.get(), "m", "http://www.onvif.org/ver10/media/wsdl");
  const DispatchEntry* viaOther = findOperation(soap.get(), "m:GetProfiles");
  REQUIRE(viaOther != nullptr);
  CHECK(std::string(viaOther->element) == "trt:GetProfiles");
  CHECK(viaOther == chainPick(soap.get(), "m:GetProfiles"));
  // The same local name in Media2 is another operation.
  const DispatchEntry* media2 = findOperation(soap.get(), "tr2:GetProfiles");
  REQUIRE(media2 != nullptr);
  CHECK(std::string(media2->element) == "tr2:GetProfiles");
  // Local names are compared case-sensitively by soap_match_tag (the index
  // relies on it), and a name no operation has matches nothing.
  for (const char* tag : {"trt:getprofiles", "trt:GETPROFILES", "trt:NoSuchOperation", "tds:", "",
                          "GetProfiles", "tt:GetProfiles", "undeclared:GetProfiles"}) {
    CAPTURE(std::string(tag));
    CHECK(findOperation(soap.get(), tag) == chainPick(soap.get(), tag));
  }
  CHECK(findOperation(soap.get(), "trt:getprofiles") == nullptr);
  CHECK(findOperation(soap.get(), "tt:GetProfiles") == nullptr);
}
