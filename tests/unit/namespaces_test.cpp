#include "soap/namespaces.hpp"

#include <doctest/doctest.h>

#include <cstring>
#include <string>

#include "stdsoap2.h"

// The tables soapcpp2 wrote for the two modules, renamed by a wrapper namespace.
namespace generated_onvif {
#include "DeviceBinding.nsmap"
}
namespace generated_wsdd {
#include "wsdd.nsmap"
}

namespace {

const Namespace* find(const char* prefix) {
  for (const Namespace* n = namespaces; n->id; ++n)
    if (std::strcmp(n->id, prefix) == 0) return n;
  return nullptr;
}

void checkCovers(const Namespace* generated) {
  for (const Namespace* g = generated; g->id; ++g) {
    CAPTURE(g->id);
    const Namespace* ours = find(g->id);
    REQUIRE(ours != nullptr);
    CHECK(std::string(ours->ns) == g->ns);
  }
}

}  // namespace

TEST_CASE("namespace table covers both generated modules with the same URIs") {
  checkCovers(generated_onvif::namespaces);
  checkCovers(generated_wsdd::namespaces);
}

TEST_CASE("namespace table keeps WS-Addressing 2004/08 and 2005/08 apart") {
  // soapcpp2 lets wsa and wsa5 match each other as a fallback; ours must not,
  // or one module's header fields would take the other's elements.
  CHECK(find("wsa")->in == nullptr);
  CHECK(find("wsa5")->in == nullptr);
  CHECK(std::string(find("ter")->ns) == "http://www.onvif.org/ver10/error");
}

TEST_CASE("response namespace tables are subsets of the full table, envelope entries first") {
  using namespace onvif::soap;
  for (const Namespace* table : {kDeviceResponseNamespaces, kDeviceResponseNamespaces11,
                                 kMediaResponseNamespaces, kMediaResponseNamespaces11}) {
    const bool soap11 = table == kDeviceResponseNamespaces11 || table == kMediaResponseNamespaces11;
    // gSOAP reads SOAP-ENV, SOAP-ENC, xsi and xsd by position.
    for (int i = 0; i < 4; ++i) {
      CAPTURE(i);
      CHECK(std::string(table[i].id) == namespaces[i].id);
      if (soap11 && i < 2) {
        CHECK(std::string(table[i].ns) == namespaces[i].in);  // the 1.1 URI is the full table's alternative
        CHECK(std::string(table[i].in) == namespaces[i].ns);
      } else {
        CHECK(std::string(table[i].ns) == namespaces[i].ns);
      }
    }
    for (const Namespace* n = table + 2; n->id; ++n) {
      CAPTURE(n->id);
      const Namespace* full = find(n->id);
      REQUIRE(full != nullptr);
      CHECK(std::string(full->ns) == n->ns);
      CHECK((full->in == nullptr) == (n->in == nullptr));
    }
    // Every prefix a response Header can carry (gSOAP echoes the request's)
    // and the fault subcode prefix.
    for (const char* prefix : {"wsa5", "wsa", "wsdd", "tt", "ter"}) {
      CAPTURE(prefix);
      bool present = false;
      for (const Namespace* n = table; n->id; ++n) present = present || std::string(n->id) == prefix;
      CHECK(present);
    }
  }
}

TEST_CASE("response namespace table chosen by the request's service") {
  using onvif::soap::responseNamespacesFor;
  CHECK(responseNamespacesFor("http://www.onvif.org/ver10/device/wsdl")->soap12 ==
        onvif::soap::kDeviceResponseNamespaces);
  CHECK(responseNamespacesFor("http://www.onvif.org/ver10/device/wsdl")->soap11 ==
        onvif::soap::kDeviceResponseNamespaces11);
  CHECK(responseNamespacesFor("http://www.onvif.org/ver10/media/wsdl")->soap12 ==
        onvif::soap::kMediaResponseNamespaces);
  CHECK(responseNamespacesFor("http://www.onvif.org/ver10/media/wsdl")->soap11 ==
        onvif::soap::kMediaResponseNamespaces11);
  CHECK(responseNamespacesFor("http://www.onvif.org/ver10/events/wsdl") == nullptr);
  CHECK(responseNamespacesFor(nullptr) == nullptr);
}
