#include "events/push_client.hpp"

#include <netdb.h>

#include <cstring>

#include "events/addressing.hpp"
#include "events/notification_soap.hpp"
#include "gsoap_onvifH.h"
#include "transport/tls_context.hpp"

namespace onvif::events {
namespace {

const char kNotifyAction[] = "http://docs.oasis-open.org/wsn/bw-2/NotificationConsumer/Notify";

// gSOAP timeouts: positive values are seconds, negative are microseconds.
int gsoapTimeout(int ms) {
  return -ms * 1000;
}

// A kept-alive connection serves only the same address (and port), scheme
// and certificate name.
bool sameConnection(const plugins::ClientTarget& a, const plugins::ClientTarget& b) {
  return a.address_len == b.address_len && memcmp(&a.address, &b.address, a.address_len) == 0 &&
         (a.tls != nullptr) == (b.tls != nullptr) && a.tls_name == b.tls_name;
}

}  // namespace

PushClient::PushClient(const core::EventsConfig& config, bool allow_loopback)
    : tls_verify_(config.push_tls_verify),
      tls_ca_file_(config.push_tls_ca_file),
      connect_timeout_ms_(config.push_connect_timeout_ms),
      soap_(onvif::soap::newSoapContext(SOAP_IO_KEEPALIVE | SOAP_C_UTFSTRING)) {
  policy_.allow_loopback = allow_loopback;
  policy_.allow_link_local = config.push_allow_link_local;
  soap_register_plugin(soap_.get(), plugins::connectionPlugin);
  plugins::bindClient(soap_.get(), &target_);
  soap_->send_timeout = gsoapTimeout(config.push_io_timeout_ms);
  soap_->recv_timeout = gsoapTimeout(config.push_io_timeout_ms);
  soap_->transfer_timeout = gsoapTimeout(config.push_io_timeout_ms * 2);
  soap_->socket_flags = MSG_NOSIGNAL;
}

PushClient::~PushClient() {
  closeConnection();
}

void PushClient::closeConnection() {
  soap_->keep_alive = 0;
  plugins::closeClient(soap_.get());
}

bool PushClient::resolve(const ConsumerUrl& url, plugins::ClientTarget* target, std::string* error) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_ADDRCONFIG;
  addrinfo* list = nullptr;
  int rc = getaddrinfo(url.host.c_str(), std::to_string(url.port).c_str(), &hints, &list);
  if (rc != 0 || !list) {
    *error = std::string("cannot resolve ") + url.host + ": " + gai_strerror(rc);
    return false;
  }
  // Every address must pass: a name that also points inside is refused.
  bool ok = true, chosen = false;
  for (addrinfo* a = list; a; a = a->ai_next) {
    std::string why;
    if (!addressAllowed(a->ai_addr, policy_, &why)) {
      *error = "consumer address refused by policy (" + why + ")";
      ok = false;
      break;
    }
    if (!chosen && (a->ai_family == AF_INET || a->ai_family == AF_INET6) &&
        a->ai_addrlen <= sizeof target->address) {
      memcpy(&target->address, a->ai_addr, a->ai_addrlen);
      target->address_len = a->ai_addrlen;
      chosen = true;
    }
  }
  freeaddrinfo(list);
  if (!ok) return false;
  if (!chosen) {
    *error = "no usable address for " + url.host;
    return false;
  }
  return true;
}

bool PushClient::send(const std::string& consumer, const std::string& subscription_address,
                      const std::vector<Delivery>& batch, std::string* error) {
  ConsumerUrl url;
  plugins::ClientTarget next;
  if (!parseConsumerUrl(consumer, &url, error) || !resolve(url, &next, error)) return false;
  if (url.tls && !tls_) {
    tls_ = transport::newClientContext(tls_verify_, tls_ca_file_, error);
    if (!tls_) return false;
  }
  next.tls = url.tls ? tls_.get() : nullptr;
  next.tls_name = url.host;
  next.connect_timeout_ms = connect_timeout_ms_;
  if (!sameConnection(next, target_)) closeConnection();
  target_ = std::move(next);
  // gSOAP takes host and port from the URL (Host header); the plugin
  // connects to target_.address.
  const bool literal6 = url.host.find(':') != std::string::npos;
  const std::string endpoint = std::string(url.tls ? "https://" : "http://") + (literal6 ? "[" : "") +
                               url.host + (literal6 ? "]" : "") + ":" + std::to_string(url.port) + url.path;
  gsoap_onvif::_wsnt__Notify notify;
  notify.NotificationMessage = notificationHolders(soap_.get(), batch, subscription_address);
  setAddressing(soap_.get(), kNotifyAction, consumer.c_str());
  int rc = gsoap_onvif::soap_send___tev__Notify(soap_.get(), endpoint.c_str(), kNotifyAction, &notify);
  // Notify is one-way: the consumer answers with an HTTP status and (usually) no body.
  if (rc == SOAP_OK) rc = soap_recv_empty_response(soap_.get());
  bool ok = rc == SOAP_OK;
  if (!ok) {
    *error = !target_.error.empty() ? target_.error
                                    : "soap error " + std::to_string(soap_->error) + " (HTTP/errno " +
                                          std::to_string(soap_->errnum) + ")";
    closeConnection();  // never reuse a connection after an error
  }
  soap_->header = nullptr;
  soap_destroy(soap_.get());
  soap_end(soap_.get());
  return ok;
}

}  // namespace onvif::events
