#include "events/broker.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <optional>
#include <random>

#include "core/log.hpp"
#include "events/message_xml.hpp"
#include "events/push_client.hpp"
#include "platform/blocking_region.hpp"
#include "platform/sys.hpp"

namespace onvif::events {
namespace {

constexpr auto kReaperPeriod = std::chrono::milliseconds(500);
// A waiting PullMessages checks this often whether its client hung up.
constexpr auto kHangupCheck = std::chrono::milliseconds(250);
constexpr std::size_t kPushBatch = 16;

std::string propertyKey(const EventMessage& m) {
  std::string k = m.topic;
  for (const auto* group : {&m.source, &m.key}) {
    k += '\x1e';
    for (const auto& item : *group) k += item.name + '\x1f' + item.value + '\x1f';
  }
  return k;
}

bool clientHungUp(int fd) {
  if (fd < 0) return false;
  pollfd p{fd, POLLRDHUP, 0};
  return poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR));
}

}  // namespace

Broker::Broker(BrokerOptions options) : options_(std::move(options)) {
  reaper_ = std::thread([this] { reaperLoop(); });
}

Broker::~Broker() {
  beginStop();
  if (reaper_.joinable()) reaper_.join();
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& kv : subs_)
      if (kv.second->sender.joinable()) threads.push_back(std::move(kv.second->sender));
    for (auto& t : retired_) threads.push_back(std::move(t));
    retired_.clear();
  }
  for (auto& t : threads) t.join();
}

void Broker::beginStop() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (stopping_) return;
  stopping_ = true;
  for (auto& kv : subs_) kv.second->cv.notify_all();
  reaper_cv_.notify_all();
}

std::string Broker::newId() {
  // Unguessable, so one client cannot address another's subscription by luck.
  static thread_local std::mt19937_64 rng{std::random_device{}() ^
                                          (static_cast<std::uint64_t>(std::random_device{}()) << 32)};
  char buf[17];
  for (;;) {
    snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
    if (!subs_.count(buf)) return buf;
  }
}

std::chrono::milliseconds Broker::clampLifetime(std::chrono::milliseconds lifetime) const {
  auto max = std::chrono::milliseconds(options_.config.max_termination_s * 1000LL);
  return lifetime > max ? max : lifetime;
}

SystemTime Broker::terminationOf(const Subscription& sub) const {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(sub.expires - Steady::now());
  return options_.now() + left;
}

Broker::SubPtr Broker::findLocked(const std::string& id) {
  auto it = subs_.find(id);
  // A stream is no WS-BaseNotification subscription: Renew, Unsubscribe and
  // PullMessages never reach it.
  if (it == subs_.end() || it->second->closed || it->second->kind == Subscription::Kind::Stream)
    return nullptr;
  // Expired but not reaped yet: already gone for the client (Core spec
  // "Pull Point Lifecycle").
  if (it->second->expires <= Steady::now() && !it->second->pulling) return nullptr;
  return it->second;
}

void Broker::enqueueLocked(Subscription& sub, const Delivery& d) {
  if (sub.queue.size() >= static_cast<std::size_t>(options_.config.queue_limit)) {
    sub.queue.pop_front();
    ++sub.dropped;
    ++dropped_;
  }
  sub.queue.push_back(d);
  sub.cv.notify_all();
}

void Broker::queuePropertiesLocked(Subscription& sub) {
  const SystemTime now = options_.now();
  for (const auto& kv : properties_) {
    if (!sub.filter.matches(*kv.second.message)) continue;
    enqueueLocked(sub, Delivery{kv.second.message, now, PropertyOperation::Initialized});
  }
}

void Broker::publish(const EventMessage& message) {
  const SystemTime utc = options_.now();
  std::lock_guard<std::mutex> lock(mutex_);
  publishLocked(message, utc);
}

void Broker::publishAll(const std::vector<EventMessage>& messages) {
  const SystemTime utc = options_.now();
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& m : messages) publishLocked(m, utc);
}

void Broker::publishLocked(const EventMessage& message, SystemTime utc) {
  auto shared = std::make_shared<const EventMessage>(message);
  Delivery d{shared, utc, message.operation};
  ++published_;
  if (message.operation == PropertyOperation::Deleted) {
    properties_.erase(propertyKey(message));
  } else if (message.operation != PropertyOperation::None) {
    // Core spec "Property Events": "Initialized" shall inform about the
    // creation of a property, so a change to one that is not alive (never
    // announced, or deleted) creates it.
    auto key = propertyKey(message);
    if (message.operation == PropertyOperation::Changed && properties_.find(key) == properties_.end())
      d.operation = PropertyOperation::Initialized;
    properties_[std::move(key)] = d;
  }
  for (auto& kv : subs_) {
    Subscription& sub = *kv.second;
    if (sub.closed) continue;
    // tev:ChangedOnly: a pull point gets no Initialized/Deleted notifications.
    if (sub.changed_only &&
        (d.operation == PropertyOperation::Initialized || d.operation == PropertyOperation::Deleted))
      continue;
    if (sub.filter.matches(message)) enqueueLocked(sub, d);
  }
}

Broker::Status Broker::create(Subscription::Kind kind, SubscriptionFilter filter, bool changed_only,
                              const std::string& consumer, std::chrono::milliseconds lifetime,
                              const std::string& address_prefix, Created* out) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (stopping_) return Status::Stopped;
  int count = 0;
  for (auto& kv : subs_)
    if (!kv.second->closed && kv.second->kind == kind) ++count;
  int max =
      kind == Subscription::Kind::Pull ? options_.max_pull_points : options_.config.max_push_subscriptions;
  if (count >= max) return Status::Full;
  auto sub = std::make_shared<Subscription>();
  sub->id = newId();
  sub->kind = kind;
  sub->filter = std::move(filter);
  sub->changed_only = changed_only;
  sub->address = address_prefix + sub->id;
  sub->consumer = consumer;
  sub->expires = Steady::now() + clampLifetime(lifetime);
  // Core spec "Property Events": a new subscriber first learns every live
  // property it subscribed to, as Initialized.
  if (!changed_only) queuePropertiesLocked(*sub);
  subs_[sub->id] = sub;
  if (kind == Subscription::Kind::Push) sub->sender = std::thread([this, sub] { pushLoop(sub); });
  out->id = sub->id;
  out->address = sub->address;
  out->termination = terminationOf(*sub);
  return Status::Ok;
}

Broker::Status Broker::createPull(SubscriptionFilter filter, bool changed_only,
                                  std::chrono::milliseconds lifetime, const std::string& address_prefix,
                                  Created* out) {
  return create(Subscription::Kind::Pull, std::move(filter), changed_only, std::string(), lifetime,
                address_prefix, out);
}

Broker::Status Broker::createPush(SubscriptionFilter filter, const std::string& consumer,
                                  std::chrono::milliseconds lifetime, const std::string& address_prefix,
                                  Created* out) {
  return create(Subscription::Kind::Push, std::move(filter), false, consumer, lifetime, address_prefix, out);
}

Broker::Status Broker::createStream(SubscriptionFilter filter, platform::UniqueFd&& fd,
                                    std::string greeting) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (stopping_) return Status::Stopped;
  int count = 0;
  for (auto& kv : subs_)
    if (!kv.second->closed && kv.second->kind == Subscription::Kind::Stream) ++count;
  if (count >= kMaxStreams) return Status::Full;
  auto sub = std::make_shared<Subscription>();
  sub->id = newId();
  sub->kind = Subscription::Kind::Stream;
  sub->filter = std::move(filter);
  sub->stream = std::move(fd);
  sub->expires = Steady::time_point::max();  // never expires: ends with its reader
  queuePropertiesLocked(*sub);
  subs_[sub->id] = sub;
  sub->sender = std::thread([this, sub, greeting = std::move(greeting)] { streamLoop(sub, greeting); });
  return Status::Ok;
}

Broker::Status Broker::pull(const std::string& id, std::chrono::milliseconds timeout, int limit,
                            int client_fd, Pulled* out) {
  std::unique_lock<std::mutex> lock(mutex_);
  SubPtr sub = findLocked(id);
  if (!sub || sub->kind != Subscription::Kind::Pull) return Status::Unknown;
  // Core spec "Pull messages": a device should fault a PullMessages while
  // another one is blocking on the same subscription.
  if (sub->pulling) return Status::Busy;
  sub->pulling = true;
  const auto deadline = Steady::now() + timeout;
  // A long poll holds its worker thread: the pool may start another one.
  std::optional<platform::BlockingRegion> waiting;
  while (sub->queue.empty() && !sub->closed && !stopping_) {
    if (!waiting) waiting.emplace();
    auto now = Steady::now();
    if (now >= deadline) break;
    auto slice = std::min<Steady::duration>(deadline - now, kHangupCheck);
    sub->cv.wait_for(lock, slice);
    if (sub->queue.empty() && clientHungUp(client_fd)) break;  // nobody is waiting for the answer
  }
  sub->pulling = false;
  if (sub->closed) return Status::Unknown;  // unsubscribed while we waited
  while (!sub->queue.empty() && static_cast<int>(out->messages.size()) < limit) {
    out->messages.push_back(std::move(sub->queue.front()));
    sub->queue.pop_front();
  }
  // "after a PullMessages response is returned, the subscription should be
  // active for at least the timeout specified in the PullMessages request".
  sub->expires = std::max(sub->expires, Steady::now() + timeout);
  out->termination = terminationOf(*sub);
  return Status::Ok;
}

Broker::Status Broker::renew(const std::string& id, std::chrono::milliseconds lifetime,
                             SystemTime* termination) {
  std::lock_guard<std::mutex> lock(mutex_);
  SubPtr sub = findLocked(id);
  if (!sub) return Status::Unknown;
  sub->expires = Steady::now() + clampLifetime(lifetime);
  *termination = terminationOf(*sub);
  return Status::Ok;
}

void Broker::closeLocked(const SubPtr& sub) {
  sub->closed = true;
  sub->queue.clear();
  sub->cv.notify_all();
  // The sender may be inside a Notify for up to the push timeouts: never
  // join it here (a worker or the reactor is calling); the reaper does.
  if (sub->sender.joinable()) retired_.push_back(std::move(sub->sender));
  subs_.erase(sub->id);
  reaper_cv_.notify_all();
}

Broker::Status Broker::unsubscribe(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  SubPtr sub = findLocked(id);
  if (!sub) return Status::Unknown;
  closeLocked(sub);
  return Status::Ok;
}

Broker::Status Broker::synchronize(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  SubPtr sub = findLocked(id);
  if (!sub) return Status::Unknown;
  queuePropertiesLocked(*sub);
  return Status::Ok;
}

bool Broker::exists(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return findLocked(id) != nullptr;
}

Broker::Stats Broker::stats() {
  std::lock_guard<std::mutex> lock(mutex_);
  Stats s;
  s.published = published_;
  s.dropped = dropped_;
  s.push_sent = push_sent_.load();
  s.push_failed = push_failed_.load();
  for (auto& kv : subs_) {
    switch (kv.second->kind) {
      case Subscription::Kind::Pull: ++s.pull_points; break;
      case Subscription::Kind::Push: ++s.push_subscriptions; break;
      case Subscription::Kind::Stream: ++s.streams; break;
    }
  }
  return s;
}

void Broker::reaperLoop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    reaper_cv_.wait_for(lock, kReaperPeriod);
    const auto now = Steady::now();
    std::vector<SubPtr> expired;
    for (auto& kv : subs_)
      if (kv.second->expires <= now && !kv.second->pulling) expired.push_back(kv.second);
    for (auto& sub : expired) closeLocked(sub);
    std::vector<std::thread> done;
    done.swap(retired_);
    lock.unlock();
    for (auto& t : done) t.join();  // each ends within the push timeouts
    lock.lock();
  }
}

void Broker::pushLoop(SubPtr sub) {
  PushClient client(options_.config, options_.allow_loopback);
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    sub->cv.wait(lock, [&] { return sub->closed || stopping_ || !sub->queue.empty(); });
    if (sub->closed || stopping_) return;
    std::vector<Delivery> batch;
    while (!sub->queue.empty() && batch.size() < kPushBatch) {
      batch.push_back(std::move(sub->queue.front()));
      sub->queue.pop_front();
    }
    lock.unlock();
    bool sent = false;
    int backoff = options_.config.push_retry_backoff_ms;
    std::string error;
    for (int attempt = 0;; ++attempt) {
      if (client.send(sub->consumer, sub->address, batch, &error)) {
        sent = true;
        break;
      }
      if (attempt >= options_.config.push_retries) break;
      lock.lock();
      bool stop = sub->cv.wait_for(lock, std::chrono::milliseconds(backoff),
                                   [&] { return sub->closed || stopping_; });
      lock.unlock();
      if (stop) break;
      backoff *= 2;
    }
    if (sent) {
      push_sent_ += batch.size();
    } else {
      push_failed_ += batch.size();
      LOG_DEBUG("events: push to %s failed (%s); %zu message(s) dropped", sub->consumer.c_str(),
                error.c_str(), batch.size());
    }
    lock.lock();
  }
}

namespace {

// Writes all of `text` within `timeout_ms` in total; false when the reader
// is gone or does not read.
bool writeAll(int fd, const std::string& text, int timeout_ms) {
  const auto deadline = Steady::now() + std::chrono::milliseconds(timeout_ms);
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = sys::ops().send(fd, text.data() + done, text.size() - done, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return false;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Steady::now()).count();
    if (left <= 0) return false;
    pollfd p{fd, POLLOUT, 0};
    int r = sys::ops().poll(&p, 1, static_cast<int>(left));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0 || (p.revents & (POLLERR | POLLHUP))) return false;
  }
  return true;
}

}  // namespace

void Broker::streamLoop(SubPtr sub, std::string greeting) {
  const int fd = sub->stream.get();
  const int timeout_ms = options_.config.push_io_timeout_ms;
  bool alive = writeAll(fd, greeting, timeout_ms);
  std::unique_lock<std::mutex> lock(mutex_);
  while (alive) {
    sub->cv.wait_for(lock, kHangupCheck, [&] { return sub->closed || stopping_ || !sub->queue.empty(); });
    if (sub->closed || stopping_) return;
    if (sub->queue.empty()) {
      alive = !clientHungUp(fd);
      continue;
    }
    std::string text;
    while (!sub->queue.empty()) {
      text += notificationLine(sub->queue.front());
      text += '\n';
      sub->queue.pop_front();
    }
    lock.unlock();
    alive = writeAll(fd, text, timeout_ms);
    lock.lock();
  }
  if (!sub->closed && !stopping_) {
    LOG_DEBUG("events: event stream reader gone");
    closeLocked(sub);  // this thread is retired and joined by the reaper
  }
}

}  // namespace onvif::events
