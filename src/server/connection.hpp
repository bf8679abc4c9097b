#pragma once
// One client connection, owned by the reactor. Exactly one of the reactor
// (state Handshake/Reading/Lingering) or one worker (Busy) touches it at a time;
// the hand-over goes through the worker queue and the reactor's return queue.
#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <string>

#include "platform/unique_fd.hpp"
#include "server/http_framer.hpp"
#include "transport/tls_context.hpp"

namespace onvif::server {

using Clock = std::chrono::steady_clock;

struct Connection {
  enum class State {
    Handshake,  // TLS: in epoll until the handshake completes (or its deadline)
    Reading,    // in epoll, collecting the next request (or idle between requests)
    Busy,       // handed to a worker
    Lingering,  // response sent with Connection: close, write side shut, draining
  };

  explicit Connection(platform::UniqueFd socket) : fd(std::move(socket)) {}
  ~Connection() { ssl.reset(); }  // the session goes before the fd it uses

  platform::UniqueFd fd;
  // TLS connections only. Freed with the Connection; OpenSSL never closes fd.
  transport::UniqueSsl ssl;
  bool tls_failed = false;  // fatal TLS error: no close_notify may be sent
  bool tls_closed = false;  // close_notify sent
  State state = State::Reading;
  std::string buffer;          // received bytes not yet consumed
  Frame frame;                 // framing of buffer's first request, when Complete
  Clock::time_point deadline;  // header/body/idle/linger deadline, by state
  bool body_deadline_set = false;
  int requests_served = 0;
  bool peer_closed = false;    // read EOF: answer what is buffered, then close
  bool sent_continue = false;  // "100 Continue" sent for the current request
  bool close_after = false;    // set by the worker: close once the response is out
  bool watched = false;        // registered in the reactor's epoll set
  std::size_t lingered = 0;    // bytes discarded while lingering
  unsigned epoll_events = 0;   // armed for these (EPOLLONESHOT); 0: disarmed, an event came
  sockaddr_storage local{};    // the address the client connected to (for XAddrs)
  socklen_t local_len = 0;
  sockaddr_storage peer{};  // the client's address, from accept (AF_UNSPEC if unknown)
};

}  // namespace onvif::server
