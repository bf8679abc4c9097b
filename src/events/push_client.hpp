#pragma once
// Sends Notify messages to one push consumer (WS-BaseNotification). One
// client per push subscription, used only by that subscription's sender
// thread. Its gSOAP context carries our connection plugin; the connection
//   - is resolved and checked against the consumer policy before every
//     connect (the check and the connect use the same address, so a DNS
//     answer cannot change between them),
//   - has connect and send/receive timeouts,
//   - is reused while the consumer keeps it alive (HTTP keep-alive),
//   - is closed after any error (never reused half-broken) and when the
//     client is destroyed.
#include <string>
#include <vector>

#include "core/config.hpp"
#include "events/consumer_policy.hpp"
#include "events/subscription.hpp"

struct soap;

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
  bool resolve(const ConsumerUrl& url, std::string* endpoint, std::string* error);

  ConsumerPolicy policy_;
  struct ::soap* soap_;
  std::string connected_endpoint_;  // what the kept-alive socket is connected to
};

}  // namespace onvif::events
