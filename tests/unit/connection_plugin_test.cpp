// The connection plugin and the worker-side processor on socketpairs: every
// response carries honest connection headers, gSOAP never closes or shuts
// down the connection's socket, and send failures are reported, not hidden.
#include "connection_plugin.hpp"

#include <doctest/doctest.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "daemon/soap_processor.hpp"
#include "platform/sys.hpp"
#include "platform/unique_fd.hpp"
#include "server/connection.hpp"
#include "test_support.hpp"

using namespace onvif;

namespace {

std::string soapRequest(const std::string& body, const std::string& extraHeaders = "") {
  std::string envelope = "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body>" + body +
                         "</s:Body></s:Envelope>";
  return "POST /onvif/device_service HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/soap+xml\r\n" +
         extraHeaders + "Content-Length: " + std::to_string(envelope.size()) + "\r\n\r\n" + envelope;
}

const std::string kGetTime = "<GetSystemDateAndTime xmlns=\"http://www.onvif.org/ver10/device/wsdl\"/>";

struct Fixture {
  core::Config config;
  daemon::DaemonState daemon;
  int peer = -1;
  std::unique_ptr<server::Connection> conn;
  std::unique_ptr<onvif::daemon::SoapProcessor> processor;

  Fixture() {
    std::string error;
    REQUIRE(core::loadConfig("", &config, &error));
    config.server.keepalive_timeout_s = 7;
    config.server.keepalive_max_requests = 3;
    daemon.config = &config;
    int sv[2];
    REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
    conn = std::make_unique<server::Connection>(platform::UniqueFd(sv[0]));
    peer = sv[1];
    processor = std::make_unique<onvif::daemon::SoapProcessor>(config.server, &daemon);
  }
  ~Fixture() {
    processor.reset();
    conn.reset();
    close(peer);
  }
  // Puts `bytes` in the connection's buffer as the reactor would, and answers it.
  std::string exchange(const std::string& bytes) {
    conn->buffer += bytes;
    conn->frame = server::frameRequest(conn->buffer, server::FramingLimits{});
    REQUIRE(conn->frame.state == server::Frame::State::Complete);
    processor->process(*conn, false);
    std::string response;
    pollfd pfd{peer, POLLIN, 0};
    char buf[8192];
    while (poll(&pfd, 1, 50) == 1) {
      ssize_t n = recv(peer, buf, sizeof buf, MSG_DONTWAIT);
      if (n <= 0) break;
      response.append(buf, static_cast<std::size_t>(n));
    }
    return response;
  }
};

}  // namespace

TEST_CASE("processor: keep-alive response advertises timeout and remaining requests, fd stays open") {
  Fixture f;
  std::string r = f.exchange(soapRequest(kGetTime));
  CHECK(r.find("HTTP/1.1 200 OK") == 0);
  CHECK(r.find("Connection: keep-alive\r\n") != std::string::npos);
  CHECK(r.find("Keep-Alive: timeout=7, max=2\r\n") != std::string::npos);
  CHECK(r.find("GetSystemDateAndTimeResponse") != std::string::npos);
  CHECK_FALSE(f.conn->close_after);
  CHECK(test::fdIsOpen(f.conn->fd.get()));  // gSOAP did not close it
  CHECK(f.conn->buffer.empty());
  CHECK(f.conn->requests_served == 1);
}

TEST_CASE("processor: the last request allowed on a connection says Connection: close") {
  Fixture f;
  f.exchange(soapRequest(kGetTime));
  f.exchange(soapRequest(kGetTime));
  std::string r = f.exchange(soapRequest(kGetTime));
  CHECK(r.find("Connection: close\r\n") != std::string::npos);
  CHECK(r.find("Keep-Alive:") == std::string::npos);
  CHECK(f.conn->close_after);
  CHECK(test::fdIsOpen(f.conn->fd.get()));  // closing is the server's job, once
}

TEST_CASE("processor: client Connection: close is honoured") {
  Fixture f;
  std::string r = f.exchange(soapRequest(kGetTime, "Connection: close\r\n"));
  CHECK(r.find("Connection: close\r\n") != std::string::npos);
  CHECK(f.conn->close_after);
}

TEST_CASE("processor: faults keep the connection and carry the fault table's HTTP status") {
  Fixture f;
  std::string r =
      f.exchange(soapRequest("<NoSuchOperation xmlns=\"http://www.onvif.org/ver10/device/wsdl\"/>"));
  // No security subsystem in this fixture: anything but PRE_AUTH is refused.
  CHECK(r.find("HTTP/1.1 400") == 0);
  CHECK(r.find("ter:NotAuthorized") != std::string::npos);
  CHECK(r.find("Connection: keep-alive") != std::string::npos);
  CHECK_FALSE(f.conn->close_after);
  r = f.exchange(soapRequest("<not-xml"));
  CHECK(r.find("HTTP/1.1 ") == 0);
  CHECK(r.find("Fault") != std::string::npos);
  CHECK_FALSE(f.conn->close_after);  // the whole request was consumed: the stream is still in sync
}

TEST_CASE("processor: pipelined requests are answered one at a time, in order") {
  Fixture f;
  std::string two =
      soapRequest(kGetTime) + soapRequest("<GetWsdlUrl xmlns=\"http://www.onvif.org/ver10/device/wsdl\"/>");
  f.conn->buffer = two;
  f.conn->frame = server::frameRequest(f.conn->buffer, server::FramingLimits{});
  f.processor->process(*f.conn, false);
  CHECK_FALSE(f.conn->buffer.empty());  // the second request waits for its turn
  std::string r = f.exchange("");
  CHECK(r.find("GetSystemDateAndTimeResponse") != std::string::npos);
  CHECK(r.find("GetWsdlUrlResponse") != std::string::npos);
  CHECK(r.find("GetSystemDateAndTimeResponse") < r.find("GetWsdlUrlResponse"));
}

namespace {
int sendCalls = 0;
ssize_t sendEagainOnce(int fd, const void* buf, size_t len, int flags) {
  if (sendCalls++ == 0) {
    errno = EAGAIN;
    return -1;
  }
  return sys::libcOps().send(fd, buf, len, flags);
}
int pollCalls = 0;
int countingPoll(pollfd* fds, nfds_t n, int timeout) {
  ++pollCalls;
  return sys::libcOps().poll(fds, n, timeout);
}
ssize_t sendEpipe(int, const void*, size_t, int) {
  errno = EPIPE;
  return -1;
}
ssize_t sendEintrThenOk(int fd, const void* buf, size_t len, int flags) {
  if (sendCalls++ % 2 == 0) {
    errno = EINTR;
    return -1;
  }
  return sys::libcOps().send(fd, buf, len, flags);
}
}  // namespace

TEST_CASE("sendAll: EAGAIN waits for POLLOUT, EINTR retries, EPIPE fails") {
  int sv[2];
  REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
  platform::UniqueFd a(sv[0]), b(sv[1]);
  const std::string msg = "hello";

  sys::Ops ops = sys::libcOps();
  ops.send = sendEagainOnce;
  ops.poll = countingPoll;
  sendCalls = pollCalls = 0;
  {
    sys::ScopedOps scoped(ops);
    CHECK(plugins::sendAll(a.get(), msg.data(), msg.size(), 1000));
  }
  CHECK(pollCalls == 1);
  char buf[16];
  CHECK(recv(b.get(), buf, sizeof buf, 0) == 5);

  ops.send = sendEintrThenOk;
  sendCalls = 0;
  {
    sys::ScopedOps scoped(ops);
    CHECK(plugins::sendAll(a.get(), msg.data(), msg.size(), 1000));
  }
  CHECK(recv(b.get(), buf, sizeof buf, 0) == 5);

  ops.send = sendEpipe;
  {
    sys::ScopedOps scoped(ops);
    CHECK_FALSE(plugins::sendAll(a.get(), msg.data(), msg.size(), 1000));
  }
}

TEST_CASE("sendAll: a client that never reads makes the send time out instead of blocking") {
  int sv[2];
  REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) == 0);
  platform::UniqueFd a(sv[0]), b(sv[1]);
  std::string big(8 << 20, 'x');
  auto before = plugins::counters().timeouts.load();
  CHECK_FALSE(plugins::sendAll(a.get(), big.data(), big.size(), 100));
  CHECK(plugins::counters().timeouts.load() == before + 1);
}

TEST_CASE("processor: a failed send marks the connection to close without lingering") {
  Fixture f;
  sys::Ops ops = sys::libcOps();
  ops.send = sendEpipe;
  f.conn->buffer = soapRequest(kGetTime);
  f.conn->frame = server::frameRequest(f.conn->buffer, server::FramingLimits{});
  auto before = plugins::counters().send_errors.load();
  {
    sys::ScopedOps scoped(ops);
    f.processor->process(*f.conn, false);
  }
  CHECK(f.conn->close_after);
  CHECK(f.conn->peer_closed);
  CHECK(plugins::counters().send_errors.load() == before + 1);
  CHECK(test::fdIsOpen(f.conn->fd.get()));
}

TEST_CASE("httpErrorResponse: complete, closes, right length") {
  std::string r = plugins::httpErrorResponse(413);
  CHECK(r.find("HTTP/1.1 413 Payload Too Large\r\n") == 0);
  CHECK(r.find("Connection: close\r\n") != std::string::npos);
  std::size_t body = r.find("\r\n\r\n") + 4;
  CHECK(r.find("Content-Length: " + std::to_string(r.size() - body) + "\r\n") != std::string::npos);
}

namespace {
std::vector<std::string> sentPieces;
ssize_t recordingSend(int fd, const void* buf, size_t len, int flags) {
  ssize_t n = sys::libcOps().send(fd, buf, len, flags);
  if (n > 0) sentPieces.emplace_back(static_cast<const char*>(buf), static_cast<std::size_t>(n));
  return n;
}

std::size_t contentLength(const std::string& response) {
  std::size_t at = response.find("Content-Length: ");
  REQUIRE(at != std::string::npos);
  return std::stoul(response.substr(at + 16));
}
}  // namespace

TEST_CASE("processor: a response is serialised once and sent in one piece, with its Content-Length") {
  Fixture f;
  sys::Ops ops = sys::libcOps();
  ops.send = recordingSend;
  sentPieces.clear();
  std::string r;
  {
    sys::ScopedOps scoped(ops);
    r = f.exchange(soapRequest(kGetTime));
  }
  REQUIRE(sentPieces.size() == 1);  // head and body together
  CHECK(sentPieces[0] == r);
  std::size_t body = r.find("\r\n\r\n");
  REQUIRE(body != std::string::npos);
  CHECK(contentLength(r) == r.size() - body - 4);
  CHECK(r.substr(r.size() - 22) == "</SOAP-ENV:Envelope>\r\n");  // the body ends where the length says
  CHECK(r.find("Transfer-Encoding") == std::string::npos);
}

TEST_CASE("processor: a client that accepts gzip still gets a large response compressed, small ones plain") {
  Fixture f;
  f.config.transport.gzip_min_bytes = 200;
  std::string r = f.exchange(soapRequest(kGetTime, "Accept-Encoding: gzip\r\n"));
  CHECK(r.find("HTTP/1.1 200 OK") == 0);
  CHECK(r.find("Content-Encoding: gzip") != std::string::npos);
  f.config.transport.gzip_min_bytes = 1 << 20;
  r = f.exchange(soapRequest(kGetTime, "Accept-Encoding: gzip\r\n"));
  CHECK(r.find("Content-Encoding: gzip") == std::string::npos);
  std::size_t body = r.find("\r\n\r\n");
  REQUIRE(body != std::string::npos);
  CHECK(contentLength(r) == r.size() - body - 4);
  CHECK(r.find("GetSystemDateAndTimeResponse") != std::string::npos);
}
