#pragma once
// Spares a request without HTTP credentials the HTTP Digest plugin's work.
//
// gSOAP's httpda plugin computes, before every request's headers are parsed,
// the MD5 of an empty entity body (for qop=auth-int on a GET): an OpenSSL
// digest context made and finished, ~8,000 instructions, on every request.
// Its result is only read when the request's Authorization header is
// verified. When the request has no Authorization or Proxy-Authorization
// header (which the HTTP framer knows before gSOAP reads anything), the
// context's parse callback for that request is the one below httpda's, and
// httpda's one per-request reset (qop) is made here, so nothing of an
// earlier request's Digest can apply.
//
// No plugin of its own: every gSOAP plugin lookup walks the context's plugin
// list, and the connection plugin looks itself up on each of its callbacks.
struct soap;
struct http_da_data;

namespace onvif::security {

class DigestParse {
 public:
  DigestParse() = default;
  // On a context where httpda was just registered (its parse is on top).
  explicit DigestParse(struct ::soap* soap);

  // For the request about to be parsed: `credentials` false when it carries
  // no Authorization/Proxy-Authorization header.
  void expect(struct ::soap* soap, bool credentials) const;

 private:
  int (*with_digest_)(struct ::soap*) = nullptr;  // httpda's parse
  http_da_data* httpda_ = nullptr;                // httpda's state on this context
};

}  // namespace onvif::security
