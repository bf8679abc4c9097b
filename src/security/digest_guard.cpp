#include "security/digest_guard.hpp"

#include "httpda.h"

namespace onvif::security {

DigestParse::DigestParse(struct ::soap* soap)
    : with_digest_(soap->fparse), httpda_(static_cast<http_da_data*>(soap_lookup_plugin(soap, http_da_id))) {}

void DigestParse::expect(struct ::soap* soap, bool credentials) const {
  if (!httpda_ || !httpda_->fparse) return;
  // Only when no one wrapped the parse after httpda: then it is one of the two.
  if (soap->fparse != with_digest_ && soap->fparse != httpda_->fparse) return;
  if (credentials) {
    soap->fparse = with_digest_;
  } else {
    httpda_->qop = nullptr;  // what http_da_parse resets before parsing
    soap->fparse = httpda_->fparse;
  }
}

}  // namespace onvif::security
