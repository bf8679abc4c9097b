#pragma once
// The WS-Discovery Target Service (ONVIF Core §7 "Device discovery"): one
// thread that sends Hello at start and whenever scopes, mode or XAddrs
// change, answers Probe and Resolve (multicast after the random
// APP_MAX_DELAY wait, unicast at once), suppresses duplicates by MessageID,
// follows interfaces going down and coming back, and sends Bye at shutdown.
// See docs/discovery.md.
#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/config.hpp"
#include "discovery/codec.hpp"
#include "discovery/discovery_view.hpp"
#include "discovery/interfaces.hpp"
#include "discovery/udp_socket.hpp"
#include "platform/unique_fd.hpp"

namespace onvif::discovery {

class Announcer final : public DiscoveryNotifier {
 public:
  using Clock = std::chrono::steady_clock;

  // view: scopes and mode (the device service writes them and calls
  // changed()); endpoint_reference: the device's urn:uuid; http_bind /
  // http_port: where the device service listens (for XAddrs).
  Announcer(const core::DiscoveryConfig& config, const DiscoveryView* view, std::string endpoint_reference,
            std::string http_bind, int http_port);
  ~Announcer() override;  // stop()
  Announcer(const Announcer&) = delete;
  Announcer& operator=(const Announcer&) = delete;

  // Opens the sockets and starts the thread. False with `error` set (and
  // nothing left open) when a socket cannot be bound.
  bool start(std::string* error);
  // Bye (when discoverable), then leaves the groups and closes everything.
  void stop();
  int port() const { return port_; }

  // DiscoveryNotifier: scopes, mode or addresses changed (any thread). The
  // thread re-reads the view and rescans the interfaces.
  void changed() override;

  // Replaces how interfaces are listed (tests: interfaces that go down and
  // come back without touching the host's network). Call before start().
  using InterfaceScanner = std::function<std::vector<NetInterface>(const std::vector<std::string>&)>;
  void setInterfaceScanner(InterfaceScanner scanner) { scan_ = std::move(scanner); }
  // Interfaces whose group is joined now (any thread; for tests and stats).
  std::size_t joinedInterfaces() const { return joined_count_; }

 private:
  struct Family {
    int family = 0;
    platform::UniqueFd fd;
  };
  struct Pending {
    Clock::time_point due;
    Family* family = nullptr;
    unsigned ifindex = 0;  // multicast on this interface, unless `to` is set
    bool unicast = false;
    Peer to;
    std::shared_ptr<const std::string> bytes;
    int repeats_left = 0;
    std::chrono::milliseconds next_gap{0};
  };

  void run();
  void refreshInterfaces();
  void applyState();
  void handleDatagram(Family& fam, const char* data, const Received& rx);
  bool seenBefore(const std::string& message_id);
  Announcement announcement() const;
  std::vector<std::string> computeXAddrs() const;
  Outbound outbound(Outbound::Kind kind, const std::string& relates_to);
  void announce(Outbound::Kind kind, bool delayed);
  void queue(Pending p);
  void sendDue();
  void sendNow(Pending& p);
  std::chrono::milliseconds randomDelay(int max_ms);
  int pollTimeoutMs() const;

  core::DiscoveryConfig config_;
  const DiscoveryView* view_;
  std::string endpoint_reference_;
  std::string http_bind_;
  int http_port_;
  int port_ = -1;
  InterfaceScanner scan_ = scanInterfaces;

  std::vector<std::unique_ptr<Family>> families_;
  platform::UniqueFd wake_;     // eventfd: changed() and stop()
  platform::UniqueFd netlink_;  // link/address changes (optional)
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> changed_{false};
  std::atomic<std::size_t> joined_count_{0};

  // Thread state.
  Codec codec_;
  std::vector<char> buffer_;
  struct Active {
    NetInterface nif;
    bool member = false;  // joined the group(s) on it
  };
  std::map<unsigned, Active> active_;  // interfaces up now, by ifindex
  void syncMembership();
  std::vector<std::string> xaddrs_;
  unsigned address_changes_ = 0;  // added to the view's version: MetadataVersion
  bool discoverable_ = false;     // as last acted on
  uint64_t view_version_ = 0;
  bool announced_ = false;  // a Hello went out since the last Bye
  std::deque<std::pair<std::string, Clock::time_point>> recent_ids_;
  std::vector<Pending> pending_;
  Clock::time_point next_scan_;
  unsigned instance_id_;
  unsigned message_number_ = 0;
  std::mt19937 rng_;
};

// Starts discovery if [discovery] enabled = true; the caller makes it the
// daemon's DiscoveryNotifier. A socket that cannot be bound is logged and
// leaves discovery off: the device service must still come up. nullptr
// when off.
std::unique_ptr<Announcer> startDiscovery(const core::Config& config, const DiscoveryView* view,
                                          const std::string& endpoint_reference, int http_port);

}  // namespace onvif::discovery
