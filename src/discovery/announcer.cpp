#include "discovery/announcer.hpp"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <strings.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>

#include "core/log.hpp"
#include "platform/sys.hpp"
#include "state/identity.hpp"

namespace onvif::discovery {

namespace {

using std::chrono::milliseconds;

// SOAP-over-UDP (2004/09) retransmission: each multicast message is repeated
// twice, each unicast one once, after a random UDP_MIN_DELAY..UDP_MAX_DELAY
// gap that doubles up to UDP_UPPER_DELAY. Receivers drop the copies by MessageID.
constexpr int kMulticastRepeat = 2;
constexpr int kUnicastRepeat = 1;
constexpr int kUdpMinDelayMs = 50;
constexpr int kUdpMaxDelayMs = 250;
constexpr milliseconds kUdpUpperDelay{500};

constexpr std::size_t kMaxPending = 256;    // queued sends; more are dropped (floods)
constexpr std::size_t kMaxRecentIds = 256;  // MessageIDs remembered for duplicate suppression
constexpr auto kDuplicateWindow = std::chrono::seconds(10);
constexpr int kMaxDatagramsPerWakeup = 64;                  // then service timers before reading on
constexpr auto kRescanInterval = std::chrono::seconds(30);  // besides netlink notifications
constexpr auto kRescanDebounce = milliseconds(200);

constexpr const char* kTypes = "tds:Device dn:NetworkVideoTransmitter";

bool isWildcard(const std::string& bind) {
  return bind.empty() || bind == "*" || bind == "0.0.0.0" || bind == "::";
}

std::string deviceUrl(const std::string& addr, int port) {
  bool v6 = addr.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + addr + "]" : addr) + ":" + std::to_string(port) + "/onvif/device_service";
}

void drain(int fd) {
  char buf[8192];
  for (int i = 0; i < 64; ++i)
    if (sys::ops().recv(fd, buf, sizeof buf, MSG_DONTWAIT) < 0) break;
}

}  // namespace

Announcer::Announcer(const core::DiscoveryConfig& config, const DiscoveryView* view,
                     std::string endpoint_reference, std::string http_bind, int http_port)
    : config_(config),
      view_(view),
      endpoint_reference_(std::move(endpoint_reference)),
      http_bind_(std::move(http_bind)),
      http_port_(http_port),
      // WS-Discovery AppSequence: InstanceId must grow with every restart.
      instance_id_(static_cast<unsigned>(time(nullptr))),
      rng_(std::random_device{}()) {}

Announcer::~Announcer() {
  stop();
}

bool Announcer::start(std::string* error) {
  auto v4 = std::make_unique<Family>();
  v4->family = AF_INET;
  v4->fd = openDiscoverySocket(AF_INET, config_.port, error);
  if (!v4->fd) return false;
  port_ = boundPort(v4->fd.get());
  families_.push_back(std::move(v4));
  if (config_.ipv6) {
    auto v6 = std::make_unique<Family>();
    v6->family = AF_INET6;
    v6->fd = openDiscoverySocket(AF_INET6, port_, error);
    if (!v6->fd) {
      families_.clear();
      return false;
    }
    families_.push_back(std::move(v6));
  }
  wake_.reset(sys::ops().eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  if (!wake_) {
    *error = std::string("eventfd: ") + strerror(errno);
    families_.clear();
    return false;
  }
  // Interface changes arrive as rtnetlink notifications; without them the
  // periodic rescan still notices, only later.
  netlink_.reset(sys::ops().socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE));
  if (netlink_) {
    sockaddr_nl nl{};
    nl.nl_family = AF_NETLINK;
    nl.nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR;
    if (sys::ops().bind(netlink_.get(), reinterpret_cast<sockaddr*>(&nl), sizeof nl) != 0) netlink_.reset();
  }
  buffer_.resize(static_cast<std::size_t>(config_.max_datagram_bytes));
  // The first scan and the groups are joined here, before the start-up log
  // line (which tests wait for) and before the thread: whoever reads that
  // line can probe at once. The thread does everything after.
  refreshInterfaces();
  applyState();
  std::string names;
  for (const auto& [index, a] : active_) names += (names.empty() ? "" : ",") + a.nif.name;
  LOG_INFO("discovery: listening on udp port %d%s (interfaces up: %s)", port_,
           config_.ipv6 ? " (IPv4+IPv6)" : "", names.empty() ? "none yet" : names.c_str());
  thread_ = std::thread(&Announcer::run, this);
  return true;
}

void Announcer::stop() {
  if (thread_.joinable()) {
    stop_ = true;
    uint64_t one = 1;
    if (sys::ops().write(wake_.get(), &one, sizeof one) < 0) {
      // The eventfd cannot be full at 1; poll's timeout bounds the wait anyway.
    }
    thread_.join();
  }
  families_.clear();
  netlink_.reset();
  // wake_ stays open until destruction: a late changed() then writes to our
  // own idle eventfd, never to a closed (or reused) descriptor.
}

void Announcer::changed() {
  changed_ = true;
  uint64_t one = 1;
  if (wake_ && sys::ops().write(wake_.get(), &one, sizeof one) < 0) {
    // Already signalled (counter saturated): the thread will see changed_.
  }
}

void Announcer::run() {
  next_scan_ = Clock::now() + kRescanInterval;
  while (!stop_) {
    pollfd fds[4];
    nfds_t n = 0;
    fds[n++] = {wake_.get(), POLLIN, 0};
    int netlink_slot = -1;
    if (netlink_) {
      netlink_slot = static_cast<int>(n);
      fds[n++] = {netlink_.get(), POLLIN, 0};
    }
    int first_family = static_cast<int>(n);
    for (auto& fam : families_) fds[n++] = {fam->fd.get(), POLLIN, 0};
    int rc = sys::ops().poll(fds, n, pollTimeoutMs());
    if (rc < 0 && errno != EINTR) {
      LOG_ERROR("discovery: poll: %s", strerror(errno));
      break;
    }
    if (stop_) break;
    if (rc > 0 && (fds[0].revents & POLLIN)) {
      uint64_t count;
      if (sys::ops().read(wake_.get(), &count, sizeof count) < 0) {
        // Spurious wake-up: nothing to consume.
      }
    }
    if (changed_.exchange(false)) {
      refreshInterfaces();
      applyState();
    }
    if (rc > 0 && netlink_slot >= 0 && (fds[netlink_slot].revents & (POLLIN | POLLERR))) {
      drain(netlink_.get());
      next_scan_ = std::min(next_scan_, Clock::now() + kRescanDebounce);
    }
    if (Clock::now() >= next_scan_) {
      refreshInterfaces();
      next_scan_ = Clock::now() + kRescanInterval;
    }
    for (std::size_t f = 0; rc > 0 && f < families_.size(); ++f) {
      if (!(fds[first_family + static_cast<int>(f)].revents & (POLLIN | POLLERR))) continue;
      for (int i = 0; i < kMaxDatagramsPerWakeup; ++i) {
        Received rx;
        int got = receiveDatagram(families_[f]->fd.get(), buffer_.data(), buffer_.size(), &rx);
        if (got <= 0) break;  // none left, or an error the next poll reports again
        handleDatagram(*families_[f], buffer_.data(), rx);
      }
    }
    sendDue();
  }
  // Shutdown: WS-Discovery Bye, sent now with its repeats, then leave.
  pending_.clear();
  if (announced_ && discoverable_) {
    announce(Outbound::Kind::Bye, false);
    for (int round = 0; round <= kMulticastRepeat && !pending_.empty(); ++round) {
      for (Pending& p : pending_) sendNow(p);
      std::this_thread::sleep_for(milliseconds(kUdpMinDelayMs));
    }
    pending_.clear();
  }
  for (auto& [index, a] : active_) {
    if (!a.member) continue;
    for (auto& fam : families_) leaveGroup(fam->fd.get(), fam->family, index);
    a.member = false;
  }
}

void Announcer::syncMembership() {
  for (auto& [index, a] : active_) {
    if (discoverable_ && !a.member) {
      bool ok = true;
      for (auto& fam : families_) {
        std::string error;
        if (!joinGroup(fam->fd.get(), fam->family, index, &error)) {
          LOG_WARN("discovery: cannot join the group on %s: %s (retried on the next scan)",
                   a.nif.name.c_str(), error.c_str());
          ok = false;
        }
      }
      a.member = ok;
    } else if (!discoverable_ && a.member) {
      for (auto& fam : families_) leaveGroup(fam->fd.get(), fam->family, index);
      a.member = false;
    }
  }
  std::size_t joined = 0;
  for (const auto& [index, a] : active_) joined += a.member ? 1 : 0;
  joined_count_ = joined;
}

void Announcer::refreshInterfaces() {
  std::map<unsigned, NetInterface> now;
  for (NetInterface& nif : scan_(config_.interfaces)) now[nif.index] = std::move(nif);
  bool started = thread_.joinable();
  for (auto it = active_.begin(); it != active_.end();) {
    if (now.count(it->first)) {
      it->second.nif = now[it->first];
      ++it;
      continue;
    }
    // Gone or down: its membership goes with it (the kernel drops it when the
    // interface is deleted; we drop it explicitly so a returning interface
    // is joined afresh).
    if (it->second.member)
      for (auto& fam : families_) leaveGroup(fam->fd.get(), fam->family, it->first);
    if (started) LOG_INFO("discovery: interface %s is down", it->second.nif.name.c_str());
    it = active_.erase(it);
  }
  bool joined_new = false;
  for (auto& [index, nif] : now) {
    if (active_.count(index)) continue;
    if (started) LOG_INFO("discovery: interface %s is up", nif.name.c_str());
    active_[index].nif = nif;
    joined_new = true;
  }
  syncMembership();
  std::vector<std::string> xaddrs = computeXAddrs();
  bool xaddrs_changed = xaddrs != xaddrs_;
  if (xaddrs_changed) {
    xaddrs_ = std::move(xaddrs);
    if (started) ++address_changes_;  // MetadataVersion follows
  }
  // A changed address, or an interface (back) on the link: say Hello there.
  if (started && discoverable_ && (xaddrs_changed || joined_new)) announce(Outbound::Kind::Hello, true);
}

void Announcer::applyState() {
  bool discoverable = view_->discoverable();
  uint64_t version = view_->version();
  if (discoverable != discoverable_) {
    if (!discoverable && announced_) {
      pending_.clear();  // no Hello or ProbeMatch may follow the Bye
      announce(Outbound::Kind::Bye, false);
      sendDue();
    }
    discoverable_ = discoverable;
    syncMembership();
    if (discoverable) announce(Outbound::Kind::Hello, true);
    LOG_INFO("discovery: %s", discoverable ? "Discoverable" : "NonDiscoverable");
  } else if (discoverable && version != view_version_) {
    announce(Outbound::Kind::Hello, true);  // scopes changed: new MetadataVersion
  }
  view_version_ = version;
}

std::vector<std::string> Announcer::computeXAddrs() const {
  std::vector<std::string> out;
  if (!isWildcard(http_bind_)) {
    out.push_back(deviceUrl(http_bind_, http_port_));
    return out;
  }
  for (const auto& [index, a] : active_) {
    for (const std::string& addr : a.nif.ipv4) out.push_back(deviceUrl(addr, http_port_));
    if (config_.ipv6 || http_bind_ == "::")
      for (const std::string& addr : a.nif.ipv6) out.push_back(deviceUrl(addr, http_port_));
  }
  return out;
}

Announcement Announcer::announcement() const {
  Announcement a;
  a.endpoint_reference = endpoint_reference_;
  a.types = kTypes;
  a.scopes = view_->scopes();
  a.xaddrs = xaddrs_;
  a.metadata_version = static_cast<unsigned>(view_->version() + address_changes_);
  return a;
}

Outbound Announcer::outbound(Outbound::Kind kind, const std::string& relates_to) {
  Outbound o;
  o.kind = kind;
  o.message_id = "urn:uuid:" + state::randomUuid();
  o.relates_to = relates_to;
  o.to = relates_to.empty() ? kMulticastTo : kAnonymous;
  o.instance_id = instance_id_;
  o.message_number = ++message_number_;
  o.about = announcement();
  return o;
}

milliseconds Announcer::randomDelay(int max_ms) {
  if (max_ms <= 0) return milliseconds(0);
  return milliseconds(std::uniform_int_distribution<int>(0, max_ms)(rng_));
}

void Announcer::announce(Outbound::Kind kind, bool delayed) {
  auto bytes = std::make_shared<const std::string>(codec_.write(outbound(kind, "")));
  if (bytes->empty()) {
    LOG_ERROR("discovery: cannot serialize an announcement");
    return;
  }
  // WS-Discovery: wait a random 0..APP_MAX_DELAY before a Hello, so that a
  // site's cameras powering up together do not answer in one burst.
  auto due = Clock::now() + (delayed ? randomDelay(config_.max_delay_ms) : milliseconds(0));
  for (auto& [index, a] : active_) {
    if (!a.member) continue;
    for (auto& fam : families_) {
      Pending p;
      p.due = due;
      p.family = fam.get();
      p.ifindex = index;
      p.bytes = bytes;
      p.repeats_left = kMulticastRepeat;
      p.next_gap = randomDelay(kUdpMaxDelayMs - kUdpMinDelayMs) + milliseconds(kUdpMinDelayMs);
      queue(std::move(p));
    }
  }
  if (kind == Outbound::Kind::Hello) announced_ = true;
  if (kind == Outbound::Kind::Bye) announced_ = false;
}

bool Announcer::seenBefore(const std::string& message_id) {
  auto now = Clock::now();
  while (!recent_ids_.empty() && now - recent_ids_.front().second > kDuplicateWindow) recent_ids_.pop_front();
  for (const auto& [id, when] : recent_ids_)
    if (id == message_id) return true;
  recent_ids_.emplace_back(message_id, now);
  if (recent_ids_.size() > kMaxRecentIds) recent_ids_.pop_front();
  return false;
}

void Announcer::handleDatagram(Family& fam, const char* data, const Received& rx) {
  // ONVIF Core §7.2: a non-discoverable device does not listen at all.
  if (!discoverable_) return;
  if (rx.truncated) {
    LOG_DEBUG("discovery: dropped a datagram over %d bytes from %s", config_.max_datagram_bytes,
              peerText(rx.from).c_str());
    return;
  }
  auto it = active_.find(rx.ifindex);
  if (it == active_.end() || !it->second.member) return;  // not an interface we serve
  Inbound in;
  if (!codec_.parse(data, rx.len, &in) || in.kind == Inbound::Kind::Other) return;
  // SOAP-over-UDP repeats every message; answer the first copy only.
  if (!in.message_id.empty() && seenBefore(in.message_id)) return;

  Outbound::Kind reply;
  if (in.kind == Inbound::Kind::Probe) {
    MatchRule rule = parseMatchBy(in.match_by);
    if (rule == MatchRule::Unsupported) {
      // ONVIF Core "SOAP Fault Messages": never fault a multicast probe
      // (packet storms); a unicast one may learn which rules we support.
      if (rx.multicast) return;
      reply = Outbound::Kind::MatchingRuleFault;
    } else {
      if (!typesMatch(in.types) || !scopesMatch(in.scopes, view_->scopes(), rule)) return;
      reply = Outbound::Kind::ProbeMatches;
    }
  } else {
    if (strcasecmp(in.endpoint_reference.c_str(), endpoint_reference_.c_str()) != 0) return;
    reply = Outbound::Kind::ResolveMatches;
  }
  // The reply goes to where the request came from, never to a ReplyTo
  // address named in it: a spoofed probe cannot aim us at a third party
  // beyond what its own source address already does.
  auto bytes = std::make_shared<const std::string>(codec_.write(outbound(reply, in.message_id)));
  if (bytes->empty()) return;
  Pending p;
  // WS-Discovery: a reply to a multicast Probe/Resolve waits a random
  // 0..APP_MAX_DELAY; a unicast one is answered at once.
  p.due = Clock::now() + (rx.multicast ? randomDelay(config_.max_delay_ms) : milliseconds(0));
  p.family = &fam;
  p.ifindex = rx.ifindex;
  p.unicast = true;
  p.to = rx.from;
  p.bytes = bytes;
  p.repeats_left = kUnicastRepeat;
  p.next_gap = randomDelay(kUdpMaxDelayMs - kUdpMinDelayMs) + milliseconds(kUdpMinDelayMs);
  queue(std::move(p));
}

void Announcer::queue(Pending p) {
  if (pending_.size() >= kMaxPending) {
    LOG_DEBUG("discovery: send queue full, dropping a message");
    return;
  }
  pending_.push_back(std::move(p));
}

void Announcer::sendNow(Pending& p) {
  if (!sendDatagram(p.family->fd.get(), p.family->family, p.ifindex, port_, p.unicast ? &p.to : nullptr,
                    *p.bytes))
    LOG_DEBUG("discovery: send to %s failed: %s",
              p.unicast ? peerText(p.to).c_str() : (p.family->family == AF_INET ? kGroup4 : kGroup6),
              strerror(errno));
}

void Announcer::sendDue() {
  // In queue order, so that replies leave in the order their requests came.
  auto now = Clock::now();
  std::size_t kept = 0;
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    Pending& p = pending_[i];
    bool keep = true;
    if (p.due <= now) {
      sendNow(p);
      if (p.repeats_left-- > 0) {
        p.due = now + p.next_gap;
        p.next_gap = std::min(p.next_gap * 2, std::chrono::duration_cast<milliseconds>(kUdpUpperDelay));
      } else {
        keep = false;
      }
    }
    if (keep) {
      if (kept != i) pending_[kept] = std::move(p);
      ++kept;
    }
  }
  pending_.resize(kept);
}

int Announcer::pollTimeoutMs() const {
  auto now = Clock::now();
  auto next = next_scan_;
  for (const Pending& p : pending_) next = std::min(next, p.due);
  if (next <= now) return 0;
  auto ms = std::chrono::duration_cast<milliseconds>(next - now).count() + 1;
  return static_cast<int>(std::min<long long>(ms, 30000));
}

std::unique_ptr<Announcer> startDiscovery(const core::Config& config, const DiscoveryView* view,
                                          const std::string& endpoint_reference, int http_port) {
  if (!config.discovery.enabled) {
    LOG_INFO("discovery: disabled");
    return nullptr;
  }
  auto announcer =
      std::make_unique<Announcer>(config.discovery, view, endpoint_reference, config.server.bind, http_port);
  std::string error;
  if (!announcer->start(&error)) {
    LOG_WARN("discovery: off: %s", error.c_str());
    return nullptr;
  }
  return announcer;
}

}  // namespace onvif::discovery
