#pragma once
// The event broker: receives every event (EventSink), keeps the
// current state of property events, and fans messages out to subscriptions
// with their filters. Pull points are drained by PullMessages (a long poll
// that waits on the subscription's condition variable); push subscriptions
// each own a sender thread (push_client.hpp), so a slow or dead consumer
// only ever delays its own subscription.
//
//   publish() --filter--> Subscription.queue (bounded, oldest dropped)
//                               |                         |
//                     PullMessages (worker)      sender thread --Notify--> consumer
//
// A reaper thread removes expired subscriptions and joins finished senders.
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/config.hpp"
#include "events/event_sink.hpp"
#include "events/subscription.hpp"

namespace onvif::events {

struct BrokerOptions {
  core::EventsConfig config;
  int max_pull_points = 16;         // effective (capped by free workers)
  bool allow_loopback = false;      // push policy, resolved from "auto"
  std::function<SystemTime()> now;  // device clock
};

class Broker : public EventSink {
 public:
  enum class Status { Ok, Unknown, Busy, Full, Stopped };

  explicit Broker(BrokerOptions options);
  ~Broker() override;  // stop() and join every thread
  Broker(const Broker&) = delete;
  Broker& operator=(const Broker&) = delete;

  void publish(const EventMessage& message) override;
  // Messages that happen together (e.g. both motion topics): a waiting
  // PullMessages sees all of them in one response.
  void publishAll(const std::vector<EventMessage>& messages);

  // Wakes long polls and senders; no new subscriptions. Does not block
  // (safe from the reactor thread); the destructor joins.
  void beginStop();

  // A new subscription; `address_prefix` + id is its manager address.
  struct Created {
    std::string id;
    std::string address;
    SystemTime termination;
  };
  Status createPull(SubscriptionFilter filter, bool changed_only, std::chrono::milliseconds lifetime,
                    const std::string& address_prefix, Created* out);
  Status createPush(SubscriptionFilter filter, const std::string& consumer,
                    std::chrono::milliseconds lifetime, const std::string& address_prefix, Created* out);

  // A local event stream (the control socket's `watch`): `greeting`, then
  // every message matching `filter` as one notificationLine() + LF, the
  // live properties first as Initialized. It ends when the reader hangs up
  // or leaves a line unread for push_io_timeout_ms. Full: kMaxStreams run.
  static constexpr int kMaxStreams = 8;
  // `fd` is taken only when the stream starts (Ok).
  Status createStream(SubscriptionFilter filter, platform::UniqueFd&& fd, std::string greeting);

  struct Pulled {
    std::vector<Delivery> messages;
    SystemTime termination;
  };
  // Waits up to `timeout` for messages (returns as soon as any exist), at
  // most `limit`. client_fd: the requesting connection; a poll whose client
  // hung up ends early. Busy: another PullMessages is already waiting.
  Status pull(const std::string& id, std::chrono::milliseconds timeout, int limit, int client_fd,
              Pulled* out);
  Status renew(const std::string& id, std::chrono::milliseconds lifetime, SystemTime* termination);
  Status unsubscribe(const std::string& id);
  // Re-queues the current state of every matching property as Initialized.
  Status synchronize(const std::string& id);
  bool exists(const std::string& id);

  int maxPullPoints() const { return options_.max_pull_points; }
  int maxPushSubscriptions() const { return options_.config.max_push_subscriptions; }
  const BrokerOptions& options() const { return options_; }
  SystemTime now() const { return options_.now(); }

  // For tests and the log.
  struct Stats {
    std::uint64_t published = 0, dropped = 0, push_sent = 0, push_failed = 0;
    int pull_points = 0, push_subscriptions = 0, streams = 0;
  };
  Stats stats();

 private:
  using SubPtr = std::shared_ptr<Subscription>;
  Status create(Subscription::Kind kind, SubscriptionFilter filter, bool changed_only,
                const std::string& consumer, std::chrono::milliseconds lifetime,
                const std::string& address_prefix, Created* out);
  SubPtr findLocked(const std::string& id);
  void enqueueLocked(Subscription& sub, const Delivery& d);
  void publishLocked(const EventMessage& message, SystemTime utc);
  void queuePropertiesLocked(Subscription& sub);
  void closeLocked(const SubPtr& sub);
  SystemTime terminationOf(const Subscription& sub) const;
  std::chrono::milliseconds clampLifetime(std::chrono::milliseconds lifetime) const;
  void reaperLoop();
  void pushLoop(SubPtr sub);
  void streamLoop(SubPtr sub, std::string greeting);
  std::string newId();

  BrokerOptions options_;
  std::mutex mutex_;
  std::condition_variable reaper_cv_;
  std::map<std::string, SubPtr> subs_;
  std::map<std::string, Delivery> properties_;  // topic + source + key -> current state
  std::vector<std::thread> retired_;            // senders of closed push subscriptions
  bool stopping_ = false;
  std::uint64_t published_ = 0, dropped_ = 0;
  std::atomic<std::uint64_t> push_sent_{0}, push_failed_{0};
  std::thread reaper_;
};

}  // namespace onvif::events
