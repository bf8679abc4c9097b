#include <doctest/doctest.h>

#include <cstring>
#include <string>

#include "stdsoap2.h"

extern SOAP_NMAC struct Namespace namespaces[];

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
