#pragma once
// The server's TLS configuration as an OpenSSL SSL_CTX: TLS 1.2 and 1.3
// only, the configured cipher list, certificate chain and key from PEM files.
// reload() builds a new SSL_CTX and swaps it in only if it loads completely;
// sessions already created keep the context they were made from (OpenSSL
// counts references), so a certificate reload never drops a connection.
// Used only from the reactor thread.
#include <memory>
#include <string>

#include "core/config.hpp"

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;

namespace onvif::transport {

struct SslFree {
  void operator()(SSL* ssl) const;
};
using UniqueSsl = std::unique_ptr<SSL, SslFree>;

class TlsContext {
 public:
  explicit TlsContext(const core::TransportConfig& config) : config_(config) {}
  // Loads certificate and key. False with `error` set: the old context (if
  // any) stays in use.
  bool reload(std::string* error);
  bool ready() const { return ctx_ != nullptr; }
  // A server-side session for `fd` (the fd stays owned by the caller: OpenSSL
  // does not close it). nullptr on failure.
  UniqueSsl newSession(int fd) const;

 private:
  core::TransportConfig config_;
  std::shared_ptr<SSL_CTX> ctx_;
};

// A client-side context (the event push client's https:// consumers): TLS
// 1.2 minimum, no renegotiation or compression. With `verify`, the peer must
// present a chain to a CA in `ca_file` (PEM; empty = OpenSSL's default
// paths, the system store); the name is checked per session (see
// transport::clientSession). nullptr with `error` set when the CA file does
// not load. Shared: SSL_CTX is reference-counted and read-only once built.
std::shared_ptr<SSL_CTX> newClientContext(bool verify, const std::string& ca_file, std::string* error);

// A client session on connected socket `fd` (not owned: OpenSSL never
// closes it) that sends `name` as SNI when it is a host name and, when the
// context verifies, requires the certificate to match `name` (DNS name or IP
// literal). nullptr on failure.
UniqueSsl clientSession(SSL_CTX* ctx, int fd, const std::string& name);

}  // namespace onvif::transport
