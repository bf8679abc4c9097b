#pragma once
// Sends Notify messages to one push consumer (WS-BaseNotification). One
// client per push subscription, used only by that subscription's sender
// thread. Its gSOAP context carries our connection plugin, bound as a client
// (plugins::bindClient); the connection
//   - is resolved and checked against the consumer policy before every
//     connect, and the plugin connects to exactly the checked address (a DNS
//     answer cannot change between check and connect),
//   - has connect, TLS handshake and send/receive timeouts,
//   - for https:// consumers is TLS with the consumer's certificate verified
//     against push_tls_ca_file or the system store and the URL's host
//     (unless push_tls_verify is off),
//   - is reused while the consumer keeps it alive (HTTP keep-alive),
//   - is closed (close_notify first on TLS) after any error (never reused
//     half-broken) and when the client is destroyed.
#include <memory>
#include <string>
#include <vector>

#include "connection_plugin.hpp"
#include "core/config.hpp"
#include "events/consumer_policy.hpp"
#include "events/subscription.hpp"
#include "soap/soap_context.hpp"

struct soap;
typedef struct ssl_ctx_st SSL_CTX;

namespace onvif::events {

class PushClient {
 public:
  PushClient(const core::EventsConfig& config, bool allow_loopback);
  ~PushClient();
  PushClient(const PushClient&) = delete;
  PushClient& operator=(const PushClient&) = delete;

  // True when the consumer answered with HTTP 2xx.
  bool send(const std::string& consumer, const std::string& subscription_address,
            const std::vector<Delivery>& batch, std::string* error);

 private:
  bool resolve(const ConsumerUrl& url, plugins::ClientTarget* target, std::string* error);
  void closeConnection();

  ConsumerPolicy policy_;
  bool tls_verify_;
  std::string tls_ca_file_;
  int connect_timeout_ms_;
  std::shared_ptr<SSL_CTX> tls_;  // made on the first https:// send
  plugins::ClientTarget target_;  // where the plugin connects (bound to soap_); also
                                  // what a kept-alive connection is connected to
  onvif::soap::SoapContext soap_;
};

}  // namespace onvif::events
