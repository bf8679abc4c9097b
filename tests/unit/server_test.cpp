// The reactor on loopback with a stand-in processor: limits, timeouts, close
// paths and shutdown, each checked by what a client sees and by fd counts.
#include "server/server.hpp"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "connection_plugin.hpp"
#include "platform/sys.hpp"
#include "platform/unique_fd.hpp"
#include "server/connection.hpp"
#include "server/worker_pool.hpp"
#include "test_support.hpp"

using namespace onvif;

namespace {

// Answers every request with a small 200, honouring the framed close wish.
class EchoProcessor : public server::Processor {
 public:
  void process(server::Connection& c, bool shutting_down) override {
    bool close = shutting_down || c.frame.client_wants_close;
    std::string r = std::string("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: ") +
                    (close ? "close" : "keep-alive") + "\r\n\r\nok";
    plugins::sendAll(c.fd.get(), r.data(), r.size(), 1000);
    c.buffer.erase(0, c.frame.length);
    c.requests_served++;
    c.close_after = close;
  }
};

core::ServerConfig testConfig() {
  core::ServerConfig cfg;
  cfg.bind = "127.0.0.1";
  cfg.port = 0;
  cfg.workers = 2;
  cfg.max_workers = 4;
  cfg.max_connections = 3;
  cfg.max_request_bytes = 2048;
  cfg.header_timeout_ms = 300;
  cfg.body_timeout_ms = 300;
  cfg.keepalive_timeout_s = 1;
  cfg.shutdown_grace_ms = 300;
  return cfg;
}

struct RunningServer {
  server::Server server;
  std::thread thread;
  explicit RunningServer(const core::ServerConfig& cfg = testConfig())
      : server(cfg, [] { return std::make_unique<EchoProcessor>(); }) {
    std::string error;
    REQUIRE(server.start(&error));
    thread = std::thread([this] { server.run(); });
  }
  ~RunningServer() {
    server.requestStop();
    thread.join();
  }
};

platform::UniqueFd connectTo(int port) {
  platform::UniqueFd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  return fd;
}

void sendText(int fd, const std::string& s) {
  REQUIRE(send(fd, s.data(), s.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(s.size()));
}

// Reads until the peer closes (returns everything) or `ms` pass (returns what came, timedOut set).
std::string readUntilClose(int fd, int ms, bool* timedOut = nullptr) {
  std::string out;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  for (;;) {
    int left = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now())
            .count());
    pollfd p{fd, POLLIN, 0};
    if (left <= 0 || poll(&p, 1, left) != 1) {
      if (timedOut) *timedOut = true;
      return out;
    }
    char buf[4096];
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      if (timedOut) *timedOut = false;
      if (n < 0) out += "<RESET>";
      return out;
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
}

const std::string kRequest = "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc";

}  // namespace

TEST_CASE("server: answers, keeps alive, and closes idle connections after the timeout with a FIN") {
  int base = test::openFdCount();
  {
    RunningServer s;
    auto c = connectTo(s.server.port());
    sendText(c.get(), kRequest + kRequest);  // pipelined
    bool timedOut = false;
    std::string r = readUntilClose(c.get(), 300, &timedOut);
    CHECK(timedOut);  // still open: keep-alive
    CHECK(r.find("ok") != std::string::npos);
    CHECK(r.rfind("HTTP/1.1 200") > 0);  // two responses
    auto before = plugins::counters().idle_closed.load();
    r = readUntilClose(c.get(), 2500, &timedOut);
    CHECK_FALSE(timedOut);                          // the server closed the idle connection...
    CHECK(r.find("<RESET>") == std::string::npos);  // ...with a FIN, not a reset
    CHECK(plugins::counters().idle_closed.load() == before + 1);
  }
  CHECK(test::openFdCount() == base);
}

TEST_CASE("server: a request in pieces and requests after pauses are answered (one-shot re-arming)") {
  // Each part below arrives after the reactor has read what was there (a
  // short read) and re-armed the fd: a missing re-arm would leave the
  // connection silent.
  int base = test::openFdCount();
  {
    RunningServer s;
    auto c = connectTo(s.server.port());
    auto countResponses = [](const std::string& r) {
      int n = 0;
      for (std::size_t at = r.find("HTTP/1.1 200"); at != std::string::npos;
           at = r.find("HTTP/1.1 200", at + 1))
        ++n;
      return n;
    };
    sendText(c.get(), kRequest.substr(0, 10));  // inside the request line
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    sendText(c.get(), kRequest.substr(10, kRequest.size() - 12));  // all but the last two body bytes
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    sendText(c.get(), kRequest.substr(kRequest.size() - 2));
    bool timedOut = false;
    std::string r = readUntilClose(c.get(), 300, &timedOut);
    CHECK(timedOut);
    CHECK(countResponses(r) == 1);
    for (int i = 0; i < 3; ++i) {  // idle, then the next request: re-armed after each answer
      std::this_thread::sleep_for(std::chrono::milliseconds(30));
      sendText(c.get(), kRequest);
      r = readUntilClose(c.get(), 200, &timedOut);
      CHECK(timedOut);
      CHECK(countResponses(r) == 1);
    }
  }
  CHECK(test::openFdCount() == base);
}

TEST_CASE("server: limits answer with an HTTP error and close") {
  int base = test::openFdCount();
  {
    RunningServer s;
    auto big = connectTo(s.server.port());
    sendText(big.get(), "POST /x HTTP/1.1\r\nContent-Length: 100000\r\n\r\n");
    CHECK(readUntilClose(big.get(), 1000).find("HTTP/1.1 413") == 0);
    big.reset();  // lingering connections hold a slot until the client closes

    auto nolen = connectTo(s.server.port());
    sendText(nolen.get(), "POST /x HTTP/1.1\r\nHost: a\r\n\r\n");
    CHECK(readUntilClose(nolen.get(), 1000).find("HTTP/1.1 411") == 0);
    nolen.reset();

    auto slow = connectTo(s.server.port());  // slowloris: headers never finish
    sendText(slow.get(), "POST /x HTTP/1.1\r\nHost: a\r\n");
    auto before = plugins::counters().timeouts.load();
    CHECK(readUntilClose(slow.get(), 1500).find("HTTP/1.1 408") == 0);
    CHECK(plugins::counters().timeouts.load() == before + 1);
    slow.reset();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));

    auto halfBody = connectTo(s.server.port());  // client half-closes mid-body
    sendText(halfBody.get(), "POST /x HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");
    shutdown(halfBody.get(), SHUT_WR);
    CHECK(readUntilClose(halfBody.get(), 1000).find("HTTP/1.1 400") == 0);
    halfBody.reset();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));

    auto halfAfter = connectTo(s.server.port());  // half-close after a whole request: still answered
    sendText(halfAfter.get(), kRequest);
    shutdown(halfAfter.get(), SHUT_WR);
    std::string r = readUntilClose(halfAfter.get(), 1000);
    CHECK(r.find("HTTP/1.1 200") == 0);
    CHECK(r.find("ok") != std::string::npos);
  }
  CHECK(test::openFdCount() == base);
}

TEST_CASE("server: past max_connections a client gets 503 and a close; others keep working") {
  int base = test::openFdCount();
  {
    RunningServer s;
    auto a = connectTo(s.server.port());
    auto b = connectTo(s.server.port());
    auto c = connectTo(s.server.port());
    sendText(a.get(), kRequest);  // make sure the first three are accepted before the fourth
    bool timedOut;
    readUntilClose(a.get(), 200, &timedOut);
    auto before = plugins::counters().rejected.load();
    auto d = connectTo(s.server.port());
    CHECK(readUntilClose(d.get(), 1000).find("HTTP/1.1 503") == 0);
    CHECK(plugins::counters().rejected.load() == before + 1);
    sendText(b.get(), kRequest);
    CHECK(readUntilClose(b.get(), 300, &timedOut).find("HTTP/1.1 200") == 0);
  }
  CHECK(test::openFdCount() == base);
}

TEST_CASE("server: a client reset mid-request is counted and cleaned up") {
  int base = test::openFdCount();
  {
    RunningServer s;
    auto c = connectTo(s.server.port());
    sendText(c.get(), "POST /x HTTP/1.1\r\nContent-Length: 10\r\n\r\nab");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    linger l{1, 0};
    setsockopt(c.get(), SOL_SOCKET, SO_LINGER, &l, sizeof l);
    c.reset();  // RST
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto again = connectTo(s.server.port());
    sendText(again.get(), kRequest);
    bool timedOut;
    CHECK(readUntilClose(again.get(), 300, &timedOut).find("HTTP/1.1 200") == 0);
  }
  CHECK(test::openFdCount() == base);
}

TEST_CASE("server: stop with open connections closes every socket and returns") {
  int base = test::openFdCount();
  platform::UniqueFd a, b;
  {
    RunningServer s;
    a = connectTo(s.server.port());
    b = connectTo(s.server.port());
    sendText(a.get(), kRequest);
    bool timedOut;
    readUntilClose(a.get(), 200, &timedOut);
    auto t0 = std::chrono::steady_clock::now();
    s.server.requestStop();
    s.thread.join();
    s.thread = std::thread([] {});  // the destructor joins something harmless
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2));
    CHECK(readUntilClose(a.get(), 500).find("<RESET>") == std::string::npos);  // EOF, not reset
  }
  a.reset();
  b.reset();
  CHECK(test::openFdCount() == base);
}

namespace {
int acceptFailures = 0;
int failingAccept(int fd, sockaddr* addr, socklen_t* len, int flags) {
  if (acceptFailures > 0) {
    --acceptFailures;
    errno = EMFILE;
    return -1;
  }
  return sys::libcOps().accept4(fd, addr, len, flags);
}
}  // namespace

TEST_CASE("server: running out of descriptors pauses accepting instead of spinning, then recovers") {
  sys::Ops ops = sys::libcOps();
  ops.accept4 = failingAccept;
  sys::ScopedOps scoped(ops);
  acceptFailures = 1;
  RunningServer s;
  auto c = connectTo(s.server.port());  // queued in the backlog while accept is paused
  sendText(c.get(), kRequest);
  bool timedOut;
  CHECK(readUntilClose(c.get(), 1000, &timedOut).find("HTTP/1.1 200") == 0);
  CHECK(acceptFailures == 0);
}

namespace {

// Jobs of the worker pool test: a connection whose first byte says what to do.
// 'w' waits inside a BlockingRegion until released; 'c' computes (returns).
class RegionProcessor : public server::Processor {
 public:
  RegionProcessor(std::mutex* m, std::condition_variable* cv, bool* release)
      : m_(m), cv_(cv), release_(release) {}
  void process(server::Connection& c, bool) override {
    if (c.buffer == "w") {
      platform::BlockingRegion waiting;
      std::unique_lock<std::mutex> lock(*m_);
      cv_->wait(lock, [this] { return *release_; });
    }
  }

 private:
  std::mutex* m_;
  std::condition_variable* cv_;
  bool* release_;
};

}  // namespace

TEST_CASE("worker pool: grows for handlers in a BlockingRegion, not for computing ones") {
  std::mutex m;
  std::condition_variable cv;
  bool release = false;
  std::atomic<int> done{0};
  server::WorkerPool pool(
      1, 3, [&] { return std::make_unique<RegionProcessor>(&m, &cv, &release); },
      [&](server::Connection*) { done++; });
  auto job = [](const char* what) {
    auto c = std::make_unique<server::Connection>(platform::UniqueFd());
    c->buffer = what;
    return c;
  };
  // Computing jobs on a one-thread pool: they queue, the pool stays at one.
  std::vector<std::unique_ptr<server::Connection>> jobs;
  for (int i = 0; i < 20; ++i) {
    jobs.push_back(job("c"));
    pool.submit(jobs.back().get());
  }
  for (int i = 0; i < 200 && done < 20; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  CHECK(done == 20);
  CHECK(pool.threadCount() == 1);
  // Two waiting jobs: each one that waits lets the pool start another thread,
  // so a computing job submitted after them is still answered.
  jobs.push_back(job("w"));
  pool.submit(jobs.back().get());
  jobs.push_back(job("w"));
  pool.submit(jobs.back().get());
  jobs.push_back(job("c"));
  pool.submit(jobs.back().get());
  for (int i = 0; i < 200 && done < 21; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  CHECK(done == 21);
  CHECK(pool.threadCount() == 3);
  {
    std::lock_guard<std::mutex> lock(m);
    release = true;
  }
  cv.notify_all();
  for (int i = 0; i < 200 && done < 23; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  CHECK(done == 23);
  pool.stop();
}

TEST_CASE("worker pool: a worker makes its processor at its first request, not at start") {
  // An idle camera pays for its threads only (a processor holds a gSOAP
  // context); each worker that answers something has made exactly one.
  std::mutex m;
  std::condition_variable cv;
  bool release = true;
  std::atomic<int> made{0};
  std::atomic<int> done{0};
  server::WorkerPool pool(
      3, 3,
      [&] {
        made++;
        return std::make_unique<RegionProcessor>(&m, &cv, &release);
      },
      [&](server::Connection*) { done++; });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(pool.threadCount() == 3);
  CHECK(made == 0);
  std::vector<std::unique_ptr<server::Connection>> jobs;
  for (int i = 0; i < 10; ++i) {
    jobs.push_back(std::make_unique<server::Connection>(platform::UniqueFd()));
    jobs.back()->buffer = "c";
    pool.submit(jobs.back().get());
  }
  for (int i = 0; i < 200 && done < 10; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  CHECK(done == 10);
  CHECK(made >= 1);
  CHECK(made <= 3);
  pool.stop();
}

namespace {
std::atomic<int> epoll_ctl_calls{0};
int failingEpollCtl(int, int, int, epoll_event*) {
  epoll_ctl_calls++;
  errno = ENOMEM;
  return -1;
}
}  // namespace

TEST_CASE("server: an epoll_ctl that fails at start is a start error, and nothing leaks") {
  int before = test::openFdCount();
  {
    sys::Ops ops = sys::libcOps();
    ops.epoll_ctl = failingEpollCtl;
    sys::ScopedOps scoped(ops);
    server::Server server(testConfig(), [] { return std::make_unique<EchoProcessor>(); });
    std::string error;
    CHECK_FALSE(server.start(&error));
    CHECK(error.find("epoll_ctl") != std::string::npos);
    CHECK(epoll_ctl_calls.load() == 1);
  }
  CHECK(test::openFdCount() == before);
}
