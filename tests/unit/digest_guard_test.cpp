#include "security/digest_guard.hpp"

#include <doctest/doctest.h>

#include "httpda.h"
#include "soap/soap_context.hpp"

using onvif::security::DigestParse;

namespace {
int otherParse(struct soap*) {
  return SOAP_OK;
}
}  // namespace

TEST_CASE("digest parse: requests without credentials skip httpda's parse, the others keep it") {
  onvif::soap::SoapContext soap = onvif::soap::newSoapContext();
  int (*const below)(struct soap*) = soap->fparse;  // what httpda wraps
  int option = 2;
  soap_register_plugin_arg(soap.get(), http_da, &option);
  int (*const httpdaParse)(struct soap*) = soap->fparse;
  REQUIRE((httpdaParse != below));
  auto* da = static_cast<http_da_data*>(soap_lookup_plugin(soap.get(), http_da_id));
  REQUIRE(da != nullptr);
  DigestParse parse(soap.get());

  static char stale[] = "auth-int";
  da->qop = stale;  // as an earlier request's Authorization header leaves it
  parse.expect(soap.get(), false);
  CHECK((soap->fparse == below));
  CHECK(da->qop == nullptr);

  parse.expect(soap.get(), true);
  CHECK((soap->fparse == httpdaParse));
  parse.expect(soap.get(), false);
  parse.expect(soap.get(), false);
  CHECK((soap->fparse == below));

  // Someone wrapped the parse after httpda: left alone.
  soap->fparse = otherParse;
  parse.expect(soap.get(), false);
  CHECK((soap->fparse == otherParse));
  parse.expect(soap.get(), true);
  CHECK((soap->fparse == otherParse));
}
