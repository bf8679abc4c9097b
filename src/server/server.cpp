#include "server/server.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "connection_plugin.hpp"
#include "core/log.hpp"
#include "platform/signals.hpp"
#include "platform/sys.hpp"
#include "server/listener.hpp"

namespace onvif::server {
namespace {

constexpr int kLingerMs = 2000;  // how long a closing connection may drain
constexpr std::size_t kLingerMaxBytes = 1 << 20;
constexpr std::size_t kReadChunk = 16 * 1024;
constexpr int kErrorReplyTimeoutMs = 1000;

std::string urlOf(bool tls, const std::string& address, int port) {
  std::string host = address == "*"                           ? "[::]"
                     : address.find(':') != std::string::npos ? "[" + address + "]"
                                                              : address;
  return std::string(tls ? "https://" : "http://") + host + ":" + std::to_string(port) + "/";
}

int msUntil(Clock::time_point t, Clock::time_point now) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t - now).count();
  return ms < 0 ? 0 : static_cast<int>(std::min<long long>(ms + 1, 1000));
}

}  // namespace

Server::Server(const core::ServerConfig& config, WorkerPool::ProcessorFactory factory)
    : config_(config), factory_(std::move(factory)) {
  limits_.max_body_bytes = config_.max_request_bytes;
}

Server::~Server() {
  if (pool_) pool_->stop();
  drainReturned();
  while (!connections_.empty()) closeConnection(connections_.begin()->second.get());
}

bool Server::start(std::string* error) {
  if (transport_.http_enabled) {
    int bound = -1;
    if (!openListenerSet(false, config_.port, &listeners_, &bound, error)) return false;
    http_port_ = bound;
  }
  if (transport_.https_enabled) {
    tls_ = std::make_unique<transport::TlsContext>(transport_);
    int bound = -1;
    if (!tls_->reload(error) || !openListenerSet(true, transport_.https_port, &listeners_, &bound, error))
      return false;
    https_port_ = bound;
  }
  port_ = http_port_ >= 0 ? http_port_.load() : https_port_.load();
  if (listeners_.empty()) {
    *error = "nothing to listen on (transport.http and transport.https are off, or no usable bind address)";
    return false;
  }
  epoll_.reset(sys::ops().epoll_create1(EPOLL_CLOEXEC));
  wakeup_.reset(sys::ops().eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  // Signals arrive here, never in a handler: main blocked them before any
  // thread started (platform/signals.hpp).
  sigset_t set = platform::daemonSignals();
  signals_.reset(sys::ops().signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC));
  if (!epoll_ || !wakeup_ || !signals_) {
    *error = std::string("epoll/eventfd/signalfd: ") + strerror(errno);
    return false;
  }
  if (!control(EPOLL_CTL_ADD, wakeup_.get(), EPOLLIN, "wake-up eventfd") ||
      !control(EPOLL_CTL_ADD, signals_.get(), EPOLLIN, "signalfd") || !watchListeners()) {
    *error = std::string("epoll_ctl: ") + strerror(errno);
    return false;
  }
  pool_ = std::make_unique<WorkerPool>(config_.workers, config_.max_workers, factory_,
                                       [this](Connection* c) { onWorkerDone(c); });
  return true;
}

bool Server::openListenerSet(bool tls, int port, std::vector<Listener>* out, int* bound,
                             std::string* error) const {
  std::vector<Listener> opened;
  for (const std::string& address : bindAddresses(config_.bind, transport_.ipv6)) {
    Listener l;
    l.fd = openListener(address, port, 512, error);
    if (!l.fd) return false;       // the ones opened so far close here
    port = boundPort(l.fd.get());  // port 0: every address gets the first one's port
    l.tls = tls;
    l.url = urlOf(tls, address, port);
    opened.push_back(std::move(l));
  }
  if (opened.empty()) {
    *error = "no usable address in server.bind '" + config_.bind + "'";
    return false;
  }
  *bound = port;
  for (Listener& l : opened) out->push_back(std::move(l));
  return true;
}

bool Server::reconfigure(bool tls, bool enabled, int port, std::string* error) {
  std::lock_guard<std::mutex> one(reconfigure_mutex_);
  PendingListeners next;
  next.tls = tls;
  if (enabled) {
    int current = tls ? https_port_.load() : http_port_.load();
    if (current >= 0 && (port == current || port == 0)) return true;  // already so
    if (tls && !tls_) {
      next.tls_context = std::make_unique<transport::TlsContext>(transport_);
      if (!next.tls_context->reload(error)) return false;
    }
    if (!openListenerSet(tls, port, &next.listeners, &next.port, error)) return false;
  } else if ((tls ? https_port_.load() : http_port_.load()) < 0) {
    return true;
  }
  if (!enabled && (tls ? http_port_.load() : https_port_.load()) < 0) {
    *error = "at least one of HTTP and HTTPS must stay enabled";
    return false;
  }
  std::unique_lock<std::mutex> lock(pending_mutex_);
  pending_.push_back(std::move(next));
  uint64_t one_event = 1;
  if (sys::ops().write(wakeup_.get(), &one_event, sizeof one_event) < 0) {
    // an eventfd below its maximum count does not fail
  }
  // The reactor applies it on its next turn; bounded in case it is stopping.
  pending_done_.wait_for(lock, std::chrono::seconds(2), [this] { return pending_.empty(); });
  return true;
}

void Server::applyPendingListeners() {
  std::vector<PendingListeners> batch;
  {
    std::lock_guard<std::mutex> lock(pending_mutex_);
    batch.swap(pending_);
  }
  for (PendingListeners& p : batch) {
    if (stopping_) break;  // shutting down: the new sockets just close
    for (auto it = listeners_.begin(); it != listeners_.end();) {
      if (it->tls == p.tls) {
        control(EPOLL_CTL_DEL, it->fd.get(), 0, "old listener");  // closed next either way
        it = listeners_.erase(it);
      } else {
        ++it;
      }
    }
    for (Listener& l : p.listeners) {
      // A listener the reactor cannot watch would accept nothing: leave it out.
      if (!control(EPOLL_CTL_ADD, l.fd.get(), EPOLLIN, "new listener")) continue;
      LOG_INFO("listening on %s", l.url.c_str());
      listeners_.push_back(std::move(l));
    }
    if (p.tls_context) tls_ = std::move(p.tls_context);
    (p.tls ? https_port_ : http_port_) = p.listeners.empty() ? -1 : p.port;
    port_ = http_port_ >= 0 ? http_port_.load() : https_port_.load();
  }
  std::lock_guard<std::mutex> lock(pending_mutex_);
  pending_done_.notify_all();
}

std::vector<std::string> Server::urls() const {
  std::vector<std::string> out;
  for (const Listener& l : listeners_) out.push_back(l.url);
  return out;
}

void Server::requestStop() {
  uint64_t one = 1;
  stop_requested_.store(true);
  if (sys::ops().write(wakeup_.get(), &one, sizeof one) < 0) {
    // the eventfd counter cannot overflow here; nothing else to do
  }
}

void Server::run() {
  epoll_event events[64];
  for (;;) {
    int n = sys::ops().epoll_wait(epoll_.get(), events, 64, epollTimeoutMs());
    if (n < 0 && errno != EINTR) {
      LOG_ERROR("epoll_wait: %s", strerror(errno));
      break;
    }
    for (int i = 0; i < n; ++i) {
      int fd = events[i].data.fd;
      auto listener = std::find_if(listeners_.begin(), listeners_.end(),
                                   [fd](const Listener& l) { return l.fd && l.fd.get() == fd; });
      if (listener != listeners_.end()) {
        acceptAll(*listener);
      } else if (fd == wakeup_.get()) {
        uint64_t count;
        while (sys::ops().read(wakeup_.get(), &count, sizeof count) > 0) {
        }
        drainReturned();
        applyPendingListeners();
        if (stop_requested_.load() && !stopping_) beginShutdown();
      } else if (fd == signals_.get()) {
        signalfd_siginfo info;
        while (sys::ops().read(signals_.get(), &info, sizeof info) == sizeof info) {
          if (info.ssi_signo == SIGUSR1) {
            if (on_stats) on_stats();
          } else if (info.ssi_signo == SIGHUP) {
            std::string error;
            if (!tls_) {
              LOG_INFO("SIGHUP: nothing to reload");
            } else if (tls_->reload(&error)) {
              LOG_INFO("SIGHUP: TLS certificate reloaded");
            } else {
              LOG_ERROR("SIGHUP: TLS reload failed, keeping the previous certificate: %s", error.c_str());
            }
          } else if (!stopping_) {
            LOG_INFO("signal %u: shutting down", info.ssi_signo);
            beginShutdown();
          }
        }
      } else {
        auto it = connections_.find(fd);
        if (it != connections_.end()) {
          it->second->epoll_events = 0;  // EPOLLONESHOT: delivered, so disarmed (see watch)
          onReadable(it->second.get());
        }
      }
    }
    checkDeadlines();
    if (stopping_) {
      bool busy = std::any_of(connections_.begin(), connections_.end(),
                              [](const auto& kv) { return kv.second->state == Connection::State::Busy; });
      if (connections_.empty() || (!busy && Clock::now() >= stop_deadline_) ||
          Clock::now() >= stop_deadline_ + std::chrono::milliseconds(kLingerMs)) {
        break;
      }
    }
  }
  // Workers finish what they hold (answered with Connection: close); then every
  // connection left is closed here, once.
  pool_->stop();
  drainReturned();
  while (!connections_.empty()) closeConnection(connections_.begin()->second.get());
}

void Server::acceptAll(Listener& listener) {
  const sys::Ops& ops = sys::ops();
  for (;;) {
    sockaddr_storage peer{};
    socklen_t peer_len = sizeof peer;
    platform::UniqueFd fd(ops.accept4(listener.fd.get(), reinterpret_cast<sockaddr*>(&peer), &peer_len,
                                      SOCK_NONBLOCK | SOCK_CLOEXEC));
    if (!fd) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        // Out of descriptors: stop accepting for a moment instead of spinning;
        // queued clients wait in the backlog.
        LOG_WARN("accept: %s; pausing accept for 100 ms", strerror(errno));
        for (const Listener& l : listeners_) control(EPOLL_CTL_DEL, l.fd.get(), 0, "listener (pause)");
        accept_paused_until_ = Clock::now() + std::chrono::milliseconds(100);
      }
      return;  // EAGAIN: backlog empty
    }
    if (static_cast<int>(connections_.size()) >= config_.max_connections) {
      plugins::counters().rejected++;
      if (listener.tls) continue;  // no handshake yet: nobody to say 503 to
      std::string reply = plugins::httpErrorResponse(503);
      plugins::sendAll(fd.get(), reply.data(), reply.size(), 0);
      continue;  // fd closes here, once
    }
    int one = 1;
    sys::ops().setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    auto c = std::make_unique<Connection>(std::move(fd));
    c->peer = peer;  // the access check's client address, without a getpeername per request
    c->local_len = sizeof c->local;
    sys::ops().getsockname(c->fd.get(), reinterpret_cast<sockaddr*>(&c->local), &c->local_len);
    c->deadline = Clock::now() + std::chrono::milliseconds(config_.header_timeout_ms);
    if (listener.tls) {
      c->ssl = tls_->newSession(c->fd.get());
      if (!c->ssl) {
        LOG_WARN("TLS session: out of memory");
        ERR_clear_error();
        continue;  // fd closes here, once
      }
      c->state = Connection::State::Handshake;
      c->deadline = Clock::now() + std::chrono::milliseconds(transport_.tls_handshake_timeout_ms);
    }
    Connection* raw = c.get();
    connections_.emplace(raw->fd.get(), std::move(c));
    plugins::counters().accepted++;
    watch(raw);
  }
}

// Connections are registered EPOLLONESHOT: an event disarms the fd, and it
// is re-armed (one EPOLL_CTL_MOD) only when the reactor wants to hear from it
// again. A request then costs one epoll_ctl instead of two (DEL when it goes
// to a worker, ADD when it comes back), and a connection handed to a worker
// stays registered but silent (fewer system calls per request).
void Server::watch(Connection* c, unsigned events) {
  if (c->watched && c->epoll_events == events) return;
  if (control(c->watched ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, c->fd.get(), events | EPOLLONESHOT, "connection")) {
    c->watched = true;
    c->epoll_events = events;
  } else {
    // Never woken again: let the deadline check close it now.
    c->deadline = Clock::now();
  }
}

bool Server::control(int op, int fd, unsigned events, const char* what) {
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  if (sys::ops().epoll_ctl(epoll_.get(), op, fd, op == EPOLL_CTL_DEL ? nullptr : &ev) == 0) return true;
  LOG_ERROR("epoll_ctl(%s) on the %s: %s",
            op == EPOLL_CTL_ADD   ? "ADD"
            : op == EPOLL_CTL_MOD ? "MOD"
                                  : "DEL",
            what, strerror(errno));
  return false;
}

bool Server::watchListeners() {
  for (const Listener& l : listeners_)
    if (!control(EPOLL_CTL_ADD, l.fd.get(), EPOLLIN, "listener")) return false;
  return true;
}

// Removes the registration, armed or not, before the fd closes: a forked
// hook child that has not exec'd yet still holds the socket, and a
// registration left on the file would report events under a reused fd number.
void Server::unwatch(Connection* c) {
  if (!c->watched) return;
  control(EPOLL_CTL_DEL, c->fd.get(), 0, "connection");  // the fd closes next either way
  c->watched = false;
  c->epoll_events = 0;
}

void Server::onReadable(Connection* c) {
  const sys::Ops& ops = sys::ops();
  if (c->state == Connection::State::Lingering) {
    char scratch[4096];
    for (;;) {
      ssize_t n = ops.recv(c->fd.get(), scratch, sizeof scratch, 0);
      if (n > 0) {
        c->lingered += static_cast<std::size_t>(n);
        if (c->lingered > kLingerMaxBytes) return closeConnection(c);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return watch(c);
      return closeConnection(c);  // EOF or error: the client is done
    }
  }
  if (c->state == Connection::State::Handshake) return continueHandshake(c);
  if (c->state != Connection::State::Reading) return;
  readRequest(c);
}

void Server::continueHandshake(Connection* c) {
  ERR_clear_error();
  int r = SSL_do_handshake(c->ssl.get());
  if (r == 1) {
    c->state = Connection::State::Reading;
    c->deadline = Clock::now() + std::chrono::milliseconds(config_.header_timeout_ms);
    watch(c);
    return readRequest(c);
  }
  int err = SSL_get_error(c->ssl.get(), r);
  if (err == SSL_ERROR_WANT_READ) return watch(c);
  if (err == SSL_ERROR_WANT_WRITE) return watch(c, EPOLLOUT | EPOLLRDHUP);
  // Aborted or bad handshake: nothing was said at the HTTP level, and after a
  // fatal TLS error no close_notify may follow. The fd and session go now.
  LOG_DEBUG("TLS handshake failed (%s)", ERR_reason_error_string(ERR_peek_error())
                                             ? ERR_reason_error_string(ERR_peek_error())
                                             : "peer closed");
  ERR_clear_error();
  c->tls_failed = true;
  plugins::counters().recv_errors++;
  closeConnection(c);
}

void Server::readRequest(Connection* c) {
  const sys::Ops& ops = sys::ops();
  // Read what is there, but never more than one request's limit ahead.
  const std::size_t cap =
      static_cast<std::size_t>(config_.max_request_bytes) + limits_.max_header_bytes + kReadChunk;
  // recv() goes into one reactor-wide scratch buffer and only the bytes that
  // came are appended: a connection's buffer then holds about one request,
  // not kReadChunk of capacity per (idle) connection (footprint).
  static thread_local std::string scratch;
  if (scratch.size() < kReadChunk) scratch.resize(kReadChunk);
  for (;;) {
    if (c->buffer.size() >= cap) break;
    std::size_t old = c->buffer.size();
    ssize_t n;
    int tlsErr = SSL_ERROR_NONE;
    if (c->ssl) {
      ERR_clear_error();
      n = SSL_read(c->ssl.get(), &scratch[0], static_cast<int>(kReadChunk));
      if (n <= 0) tlsErr = SSL_get_error(c->ssl.get(), static_cast<int>(n));
    } else {
      n = ops.recv(c->fd.get(), &scratch[0], kReadChunk, 0);
    }
    if (n > 0) c->buffer.append(scratch.data(), static_cast<std::size_t>(n));
    if (n > 0) {
      if (old == 0) {
        // A new request starts: its headers get header_timeout_ms from now.
        c->deadline = Clock::now() + std::chrono::milliseconds(config_.header_timeout_ms);
        c->body_deadline_set = false;
        c->sent_continue = false;
      }
      // A short read on a stream socket took all it had: the recv that would
      // only say EAGAIN is saved (one system call per request). Bytes that
      // come later make the fd readable again once it is re-armed.
      if (!c->ssl && static_cast<std::size_t>(n) < kReadChunk) break;
      continue;
    }
    if (c->ssl && n <= 0) {
      if (tlsErr == SSL_ERROR_WANT_READ || tlsErr == SSL_ERROR_WANT_WRITE) break;
      if (tlsErr == SSL_ERROR_ZERO_RETURN) {  // close_notify (or plain EOF, see TlsContext)
        c->peer_closed = true;
        unwatch(c);
        break;
      }
      if (tlsErr == SSL_ERROR_SYSCALL && errno == EINTR) continue;
      ERR_clear_error();
      c->tls_failed = true;
      plugins::counters().recv_errors++;
      return closeConnection(c);
    }
    if (n == 0) {
      c->peer_closed = true;
      unwatch(c);  // EOF stays readable forever; stop listening
      break;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) break;
    plugins::counters().recv_errors++;  // ECONNRESET and friends: nobody to answer
    return closeConnection(c);
  }
  tryDispatch(c);
}

void Server::tryDispatch(Connection* c) {
  // Stray CRLFs between requests are allowed (RFC 9112 2.2).
  std::size_t skip = 0;
  while (skip + 1 < c->buffer.size() && c->buffer[skip] == '\r' && c->buffer[skip + 1] == '\n') skip += 2;
  if (skip) c->buffer.erase(0, skip);
  if (c->buffer.empty()) {
    if (c->peer_closed) return closeConnection(c);
    return watch(c);  // idle keep-alive: wait for the next request
  }
  Frame f = frameRequest(c->buffer, limits_);
  if (f.state == Frame::State::Error) {
    plugins::counters().http_errors++;
    return replyErrorAndClose(c, f.http_status);
  }
  if (f.state == Frame::State::Incomplete) {
    if (c->peer_closed) {
      // The client stopped sending mid-request: nothing complete to answer.
      plugins::counters().http_errors++;
      return replyErrorAndClose(c, 400);
    }
    if (f.headers_complete && !c->body_deadline_set) {
      c->deadline = Clock::now() + std::chrono::milliseconds(config_.body_timeout_ms);
      c->body_deadline_set = true;
    }
    if (f.headers_complete && f.expect_continue && !c->sent_continue) {
      static const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
      if (!plugins::sendAll(c->fd.get(), c->ssl.get(), kContinue, sizeof kContinue - 1,
                            kErrorReplyTimeoutMs) &&
          c->ssl)
        c->tls_failed = true;
      c->sent_continue = true;
    }
    return watch(c);  // the rest of the request
  }
  c->frame = f;
  // Usually disarmed already (this runs on its readable event). Armed only
  // for a pipelined request found when the connection came back: an event
  // while it is Busy is then ignored by onReadable and disarms it.
  c->state = Connection::State::Busy;
  pool_->submit(c);
}

void Server::onWorkerDone(Connection* c) {
  bool wake;
  {
    std::lock_guard<std::mutex> lock(returned_mutex_);
    // A non-empty queue already has a wake-up on its way: the reactor reads
    // the eventfd before it takes the queue, so it takes this one too.
    wake = returned_.empty();
    returned_.push_back(c);
  }
  if (!wake) return;
  uint64_t one = 1;
  if (sys::ops().write(wakeup_.get(), &one, sizeof one) < 0) {
    // cannot fail for an eventfd below its maximum count
  }
}

void Server::drainReturned() {
  std::vector<Connection*> batch;
  {
    std::lock_guard<std::mutex> lock(returned_mutex_);
    batch.swap(returned_);
  }
  for (Connection* c : batch) {
    if (c->close_after || stopping_) {
      if (c->peer_closed) {
        closeConnection(c);
      } else {
        startLingeringClose(c);
      }
      continue;
    }
    c->state = Connection::State::Reading;
    c->body_deadline_set = false;
    c->sent_continue = false;
    if (c->buffer.empty()) {
      c->buffer.shrink_to_fit();  // idle keep-alive: hold no request buffer (idle RSS)
      c->deadline = Clock::now() + std::chrono::seconds(config_.keepalive_timeout_s);
    } else {
      c->deadline = Clock::now() + std::chrono::milliseconds(config_.header_timeout_ms);
    }
    if (!c->peer_closed) watch(c);
    // Decrypted bytes OpenSSL already holds never wake epoll: read them now.
    if (c->ssl && !c->peer_closed && SSL_pending(c->ssl.get()) > 0) {
      readRequest(c);
      continue;
    }
    tryDispatch(c);  // a pipelined request may already be complete
  }
}

void Server::replyErrorAndClose(Connection* c, int status) {
  std::string reply = plugins::httpErrorResponse(status);
  if (!plugins::sendAll(c->fd.get(), c->ssl.get(), reply.data(), reply.size(), kErrorReplyTimeoutMs) &&
      c->ssl)
    c->tls_failed = true;
  if (c->peer_closed) return closeConnection(c);
  startLingeringClose(c);
}

void Server::startLingeringClose(Connection* c) {
  // Graceful close: send FIN after the response, then read and discard until
  // the client closes too (or a short deadline). Closing with unread data
  // would send an RST, which can destroy the response still in flight.
  // TLS first says close_notify, then the TCP FIN follows.
  sendTlsClose(c);
  if (sys::ops().shutdown(c->fd.get(), SHUT_WR) != 0) return closeConnection(c);
  c->state = Connection::State::Lingering;
  c->buffer.clear();
  c->buffer.shrink_to_fit();
  c->deadline = Clock::now() + std::chrono::milliseconds(kLingerMs);
  watch(c);
}

void Server::sendTlsClose(Connection* c) {
  // One non-blocking SSL_shutdown: close_notify goes out if the socket takes
  // it; the peer's answer is not waited for (the fd closes right after or
  // lingers). Never after a fatal error, never mid-handshake.
  if (!c->ssl || c->tls_failed || c->tls_closed || c->state == Connection::State::Handshake) return;
  c->tls_closed = true;
  ERR_clear_error();
  SSL_shutdown(c->ssl.get());
  ERR_clear_error();
}

void Server::closeConnection(Connection* c) {
  sendTlsClose(c);
  unwatch(c);
  plugins::counters().closed++;
  connections_.erase(c->fd.get());  // ~Connection closes the fd, exactly once
}

void Server::checkDeadlines() {
  Clock::time_point now = Clock::now();
  if (!stopping_ && accept_paused_until_ != Clock::time_point() && now >= accept_paused_until_) {
    accept_paused_until_ = Clock::time_point();
    // Still failing (out of memory): try again after the next pause.
    if (!watchListeners()) accept_paused_until_ = now + std::chrono::milliseconds(100);
  }
  std::vector<Connection*> expired;
  for (auto& kv : connections_) {
    Connection* c = kv.second.get();
    if (c->state != Connection::State::Busy && c->deadline <= now) expired.push_back(c);
  }
  for (Connection* c : expired) {
    if (c->state == Connection::State::Lingering) {
      closeConnection(c);
    } else if (c->state == Connection::State::Handshake) {
      plugins::counters().timeouts++;  // a client that never finishes its handshake
      closeConnection(c);
    } else if (!c->buffer.empty()) {
      plugins::counters().timeouts++;  // slowloris or stalled body
      replyErrorAndClose(c, 408);
    } else {
      // Idle past the advertised keep-alive timeout (or a connection that
      // never sent a byte). If a request has just arrived, serve it instead.
      char probe;
      if ((c->ssl && SSL_pending(c->ssl.get()) > 0) ||
          sys::ops().recv(c->fd.get(), &probe, 1, MSG_PEEK | MSG_DONTWAIT) == 1) {
        c->deadline = now + std::chrono::milliseconds(config_.header_timeout_ms);
        continue;
      }
      plugins::counters().idle_closed++;
      closeConnection(c);
    }
  }
}

void Server::beginShutdown() {
  stopping_ = true;
  stop_deadline_ = Clock::now() + std::chrono::milliseconds(config_.shutdown_grace_ms);
  for (Listener& l : listeners_) control(EPOLL_CTL_DEL, l.fd.get(), 0, "listener (shutdown)");  // closed next
  listeners_.clear();  // stop accepting: new clients are refused by the kernel
  pool_->setShuttingDown();
  if (on_shutdown) on_shutdown();
  std::vector<Connection*> idle;
  for (auto& kv : connections_) {
    Connection* c = kv.second.get();
    if (c->state == Connection::State::Reading || c->state == Connection::State::Handshake) idle.push_back(c);
    if (c->state == Connection::State::Lingering) c->deadline = std::min(c->deadline, stop_deadline_);
  }
  for (Connection* c : idle) closeConnection(c);
}

int Server::epollTimeoutMs() const {
  Clock::time_point now = Clock::now();
  Clock::time_point next = now + std::chrono::seconds(1);
  for (const auto& kv : connections_)
    if (kv.second->state != Connection::State::Busy) next = std::min(next, kv.second->deadline);
  if (accept_paused_until_ != Clock::time_point()) next = std::min(next, accept_paused_until_);
  if (stopping_) next = std::min(next, stop_deadline_);
  return msUntil(next, now);
}

}  // namespace onvif::server
