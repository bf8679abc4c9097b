#pragma once
// One subscription (pull point or push) as the broker keeps it. All fields
// that change are guarded by the broker's mutex; id, kind, filter, address
// and consumer never change after creation.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <thread>

#include "events/event_sink.hpp"
#include "events/event_time.hpp"
#include "events/filter.hpp"
#include "platform/unique_fd.hpp"

namespace onvif::events {

using Steady = std::chrono::steady_clock;

// One notification waiting in a subscription's queue.
struct Delivery {
  std::shared_ptr<const EventMessage> message;
  SystemTime utc;               // when it happened (device clock)
  PropertyOperation operation;  // may differ from message->operation (sync points)
};

struct Subscription {
  // Stream: a local reader on the control socket (`watch`), not a WS-BaseNotification
  // subscription: no id a SOAP client can use, no lifetime, ends when the reader goes.
  enum class Kind { Pull, Push, Stream };
  std::string id;
  Kind kind = Kind::Pull;
  SubscriptionFilter filter;
  bool changed_only = false;  // tev:ChangedOnly: no Initialized/Deleted
  std::string address;        // our subscription manager URL (for SubscriptionReference)
  std::string consumer;       // push: the consumer's URL

  Steady::time_point expires;
  std::deque<Delivery> queue;
  std::uint64_t dropped = 0;   // oldest messages dropped because the queue was full
  bool pulling = false;        // a PullMessages is waiting on this subscription
  bool closed = false;         // unsubscribed, expired or shutting down
  std::condition_variable cv;  // queue, closed or pulling changed
  std::thread sender;          // push and stream
  platform::UniqueFd stream;   // stream: the reader's connection
};

}  // namespace onvif::events
