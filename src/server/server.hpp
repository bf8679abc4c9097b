#pragma once
// The HTTP side of the daemon: one reactor thread (epoll) that accepts,
// buffers each request until it is complete, enforces the size and time
// limits, and keeps idle keep-alive connections; a WorkerPool that answers
// complete requests; and the close policy: every connection ends through
// closeConnection() or a lingering close, exactly once.
//
//   client --> [listener] --accept--> Connection(Reading) --complete--> WorkerPool
//                                         ^   |  timeout/limit: error reply,     |
//                                         |   v  lingering close                 |
//                                   keep-alive <----------- response sent <------+
#include <sys/epoll.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/config.hpp"
#include "platform/unique_fd.hpp"
#include "server/connection.hpp"
#include "server/worker_pool.hpp"
#include "transport/tls_context.hpp"

namespace onvif::server {

class Server {
 public:
  Server(const core::ServerConfig& config, WorkerPool::ProcessorFactory factory);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // HTTPS, IPv6 and the HTTP switch ([transport]); call before start().
  void setTransport(const core::TransportConfig& transport) { transport_ = transport; }

  // Binds the listeners (every [server] bind address for HTTP on the port,
  // and for HTTPS on transport.https_port). False with `error` set on failure.
  bool start(std::string* error);
  int port() const { return port_; }             // HTTP (or HTTPS if HTTP is off)
  int httpPort() const { return http_port_; }    // -1: no HTTP listener
  int httpsPort() const { return https_port_; }  // -1: no HTTPS listener

  // Thread-safe (a handler's SetNetworkProtocols): replaces the HTTP or the
  // HTTPS listeners with ones on `port` (0: any free port), or closes them
  // (enabled false). Established connections are not touched. New sockets
  // are bound first, so on failure (port taken, no certificate) nothing
  // changes and `error` says why. Waits until the reactor has switched.
  bool reconfigure(bool tls, bool enabled, int port, std::string* error);
  // "http://127.0.0.1:8080/", "https://[::1]:8443/", ... in bind order.
  std::vector<std::string> urls() const;

  // Runs the reactor until a stop is requested and the shutdown completes.
  void run();
  // Thread-safe; also called for SIGTERM/SIGINT by the signal handling in run().
  void requestStop();
  // Called on SIGUSR1 (from run()).
  std::function<void()> on_stats;
  // Called once when shutdown begins (wake long polls, say Bye, ...).
  std::function<void()> on_shutdown;

 private:
  struct Listener {
    platform::UniqueFd fd;
    bool tls = false;
    std::string url;
  };
  bool openListenerSet(bool tls, int port, std::vector<Listener>* out, int* bound, std::string* error) const;
  void applyPendingListeners();  // reactor thread
  struct PendingListeners {
    bool tls = false;
    std::vector<Listener> listeners;
    int port = -1;
    std::unique_ptr<transport::TlsContext> tls_context;  // when HTTPS is switched on
  };
  std::mutex reconfigure_mutex_;  // one reconfigure at a time
  std::mutex pending_mutex_;
  std::condition_variable pending_done_;
  std::vector<PendingListeners> pending_;
  void acceptAll(Listener& l);
  void continueHandshake(Connection* c);
  void readRequest(Connection* c);
  void sendTlsClose(Connection* c);
  void onReadable(Connection* c);
  void tryDispatch(Connection* c);
  void onWorkerDone(Connection* c);  // worker thread
  void drainReturned();              // reactor thread
  void replyErrorAndClose(Connection* c, int status);
  void startLingeringClose(Connection* c);
  void closeConnection(Connection* c);
  void checkDeadlines();
  void beginShutdown();
  void watch(Connection* c, unsigned events = EPOLLIN | EPOLLRDHUP);
  void unwatch(Connection* c);
  // epoll_ctl through the sys layer; a failure is logged (naming `what`)
  // and returned as false so the caller can act on it.
  bool control(int op, int fd, unsigned events, const char* what);
  // Registers every listener for EPOLLIN (start, resume after a pause).
  bool watchListeners();
  int epollTimeoutMs() const;

  core::ServerConfig config_;
  core::TransportConfig transport_;
  WorkerPool::ProcessorFactory factory_;
  std::unique_ptr<WorkerPool> pool_;
  std::vector<Listener> listeners_;
  std::unique_ptr<transport::TlsContext> tls_;
  platform::UniqueFd epoll_;
  platform::UniqueFd wakeup_;   // eventfd: workers hand connections back
  platform::UniqueFd signals_;  // signalfd: TERM, INT, USR1, HUP
  std::atomic<int> port_{-1};
  std::atomic<int> http_port_{-1};
  std::atomic<int> https_port_{-1};
  std::unordered_map<int, std::unique_ptr<Connection>> connections_;
  std::mutex returned_mutex_;
  std::vector<Connection*> returned_;
  std::atomic<bool> stop_requested_{false};
  Clock::time_point accept_paused_until_{};
  bool stopping_ = false;
  Clock::time_point stop_deadline_;
  FramingLimits limits_;
};

}  // namespace onvif::server
