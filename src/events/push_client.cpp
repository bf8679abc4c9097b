#include "events/push_client.hpp"

#include <arpa/inet.h>
#include <netdb.h>

#include "connection_plugin.hpp"
#include "events/addressing.hpp"
#include "events/notification_soap.hpp"
#include "gsoap_onvifH.h"

namespace onvif::events {
namespace {

const char kNotifyAction[] = "http://docs.oasis-open.org/wsn/bw-2/NotificationConsumer/Notify";

// gSOAP timeouts: positive values are seconds, negative are microseconds.
int gsoapTimeout(int ms) { return -ms * 1000; }

}  // namespace

PushClient::PushClient(const core::EventsConfig& config, bool allow_loopback)
    : soap_(soap_new1(SOAP_IO_KEEPALIVE | SOAP_C_UTFSTRING)) {
  policy_.allow_loopback = allow_loopback;
  policy_.allow_link_local = config.push_allow_link_local;
  soap_register_plugin(soap_, plugins::connectionPlugin);
  soap_->connect_timeout = gsoapTimeout(config.push_connect_timeout_ms);
  soap_->send_timeout = gsoapTimeout(config.push_io_timeout_ms);
  soap_->recv_timeout = gsoapTimeout(config.push_io_timeout_ms);
  soap_->transfer_timeout = gsoapTimeout(config.push_io_timeout_ms * 2);
  soap_->socket_flags = MSG_NOSIGNAL;
}

PushClient::~PushClient() {
  soap_destroy(soap_);
  soap_end(soap_);
  soap_free(soap_);  // closes a kept-alive socket (soap_done)
}

bool PushClient::resolve(const ConsumerUrl& url, std::string* endpoint, std::string* error) {
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
  bool ok = true;
  std::string chosen;
  for (addrinfo* a = list; a && ok; a = a->ai_next) {
    std::string why;
    if (!addressAllowed(a->ai_addr, policy_, &why)) {
      *error = "consumer address refused by policy (" + why + ")";
      ok = false;
      break;
    }
    if (chosen.empty()) {
      char host[INET6_ADDRSTRLEN];
      if (a->ai_family == AF_INET) {
        inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(a->ai_addr)->sin_addr, host, sizeof host);
        chosen = host;
      } else if (a->ai_family == AF_INET6) {
        inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(a->ai_addr)->sin6_addr, host, sizeof host);
        chosen = std::string("[") + host + "]";
      }
    }
  }
  freeaddrinfo(list);
  if (!ok) return false;
  if (chosen.empty()) {
    *error = "no usable address for " + url.host;
    return false;
  }
  *endpoint = "http://" + chosen + ":" + std::to_string(url.port) + url.path;
  return true;
}

bool PushClient::send(const std::string& consumer, const std::string& subscription_address,
                      const std::vector<Delivery>& batch, std::string* error) {
  ConsumerUrl url;
  std::string endpoint;
  if (!parseConsumerUrl(consumer, &url, error) || !resolve(url, &endpoint, error)) return false;
  if (endpoint != connected_endpoint_) {
    soap_closesock(soap_);  // a kept-alive connection to another address is of no use
    connected_endpoint_ = endpoint;
  }
  gsoap_onvif::_wsnt__Notify notify;
  notify.NotificationMessage = notificationHolders(soap_, batch, subscription_address);
  setAddressing(soap_, kNotifyAction, consumer.c_str());
  int rc = gsoap_onvif::soap_send___tev__Notify(soap_, endpoint.c_str(), kNotifyAction, &notify);
  // Notify is one-way: the consumer answers with an HTTP status and (usually) no body.
  if (rc == SOAP_OK) rc = soap_recv_empty_response(soap_);
  bool ok = rc == SOAP_OK;
  if (!ok) {
    *error = "soap error " + std::to_string(soap_->error) + " (HTTP/errno " + std::to_string(soap_->errnum) + ")";
    soap_closesock(soap_);  // never reuse a connection after an error
    soap_->keep_alive = 0;
  }
  soap_->header = nullptr;
  soap_destroy(soap_);
  soap_end(soap_);
  return ok;
}

}  // namespace onvif::events
