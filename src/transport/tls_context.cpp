#include "transport/tls_context.hpp"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace onvif::transport {
namespace {

std::string sslError(const char* what) {
  unsigned long e = ERR_get_error();
  char buf[256] = "";
  if (e) ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  return std::string(what) + (e ? std::string(": ") + buf : std::string());
}

}  // namespace

void SslFree::operator()(SSL* ssl) const {
  SSL_free(ssl);
}

bool TlsContext::reload(std::string* error) {
  ERR_clear_error();
  std::shared_ptr<SSL_CTX> ctx(SSL_CTX_new(TLS_server_method()), SSL_CTX_free);
  if (!ctx) return *error = sslError("SSL_CTX_new"), false;
  SSL_CTX* c = ctx.get();
  SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION);
  // No renegotiation (a client-initiated renegotiation is a cheap CPU DoS),
  // no compression (CRIME); a peer that closes without close_notify is an
  // ordinary EOF, not a fatal error, so its buffered request is still answered.
  SSL_CTX_set_options(c, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE |
                             SSL_OP_IGNORE_UNEXPECTED_EOF);
  // Writes are retried with the same data from a (moving) std::string.
  SSL_CTX_set_mode(c, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (SSL_CTX_set_cipher_list(c, config_.tls_ciphers.c_str()) != 1)
    return *error = sslError("transport.tls_ciphers"), false;
  if (config_.certificate.empty() || config_.private_key.empty())
    return *error = "transport.https needs transport.certificate and transport.private_key", false;
  if (SSL_CTX_use_certificate_chain_file(c, config_.certificate.c_str()) != 1)
    return *error = sslError(("certificate " + config_.certificate).c_str()), false;
  if (SSL_CTX_use_PrivateKey_file(c, config_.private_key.c_str(), SSL_FILETYPE_PEM) != 1)
    return *error = sslError(("private key " + config_.private_key).c_str()), false;
  if (SSL_CTX_check_private_key(c) != 1)
    return *error = sslError("certificate and private key do not match"), false;
  ctx_ = std::move(ctx);
  return true;
}

UniqueSsl TlsContext::newSession(int fd) const {
  if (!ctx_) return nullptr;
  UniqueSsl ssl(SSL_new(ctx_.get()));
  if (!ssl || SSL_set_fd(ssl.get(), fd) != 1) return nullptr;
  SSL_set_accept_state(ssl.get());
  return ssl;
}

std::shared_ptr<SSL_CTX> newClientContext(bool verify, const std::string& ca_file, std::string* error) {
  ERR_clear_error();
  std::shared_ptr<SSL_CTX> ctx(SSL_CTX_new(TLS_client_method()), SSL_CTX_free);
  if (!ctx) return *error = sslError("SSL_CTX_new"), nullptr;
  SSL_CTX* c = ctx.get();
  SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION);
  // As on the server side; a consumer that closes without close_notify after
  // its answer is an ordinary EOF.
  SSL_CTX_set_options(c, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_IGNORE_UNEXPECTED_EOF);
  // gSOAP retries a partial SSL_write with the same bytes, possibly moved.
  SSL_CTX_set_mode(c, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (!verify) {
    SSL_CTX_set_verify(c, SSL_VERIFY_NONE, nullptr);
    return ctx;
  }
  SSL_CTX_set_verify(c, SSL_VERIFY_PEER, nullptr);
  if (ca_file.empty()) {
    if (SSL_CTX_set_default_verify_paths(c) != 1) return *error = sslError("the system CA store"), nullptr;
  } else if (SSL_CTX_load_verify_locations(c, ca_file.c_str(), nullptr) != 1) {
    return *error = sslError(("CA file " + ca_file).c_str()), nullptr;
  }
  return ctx;
}

UniqueSsl clientSession(SSL_CTX* ctx, int fd, const std::string& name) {
  UniqueSsl ssl(SSL_new(ctx));
  if (!ssl || SSL_set_fd(ssl.get(), fd) != 1) return nullptr;
  in6_addr ip{};
  const bool literal =
      inet_pton(AF_INET, name.c_str(), &ip) == 1 || inet_pton(AF_INET6, name.c_str(), &ip) == 1;
  // SNI carries host names only (RFC 6066: never an IP address).
  if (!literal && SSL_set_tlsext_host_name(ssl.get(), name.c_str()) != 1) return nullptr;
  if (SSL_CTX_get_verify_mode(ctx) & SSL_VERIFY_PEER) {
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl.get());
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    int ok = literal ? X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str())
                     : X509_VERIFY_PARAM_set1_host(param, name.c_str(), 0);
    if (ok != 1) return nullptr;
  }
  SSL_set_connect_state(ssl.get());
  return ssl;
}

}  // namespace onvif::transport
