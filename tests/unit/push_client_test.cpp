// The event push client's connections (plugins::bindClient): plain and TLS
// consumers on loopback that answer, reset, stall or present a certificate
// nobody trusts. Every fd the client opens goes through sys::ops(), so the
// tests count sockets made and closed; the process's fd count must also come
// back to where it was.
#include "events/push_client.hpp"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "connection_plugin.hpp"
#include "core/config.hpp"
#include "platform/sys.hpp"
#include "platform/unique_fd.hpp"
#include "test_support.hpp"
#include "transport/tls_context.hpp"

using namespace onvif;

namespace {

// sys::ops() with the sockets made through it (by the push client: the
// test's listeners use ::socket) and their closes counted.
struct CountingOps {
  static std::mutex mutex;
  static std::set<int> open;
  static int sockets, closes;
  sys::Ops ops = sys::libcOps();
  CountingOps() {
    std::lock_guard<std::mutex> lock(mutex);
    open.clear();
    sockets = closes = 0;
    ops.socket = [](int d, int t, int p) {
      int fd = sys::libcOps().socket(d, t, p);
      std::lock_guard<std::mutex> lock(mutex);
      if (fd >= 0) sockets++, open.insert(fd);
      return fd;
    };
    ops.close = [](int fd) {
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (open.erase(fd)) closes++;
      }
      return sys::libcOps().close(fd);
    };
  }
  static bool allClosed() {
    std::lock_guard<std::mutex> lock(mutex);
    return open.empty() && sockets == closes;
  }
};
std::mutex CountingOps::mutex;
std::set<int> CountingOps::open;
int CountingOps::sockets = 0;
int CountingOps::closes = 0;

// The process's fd count once the listeners' threads have closed their ends (bounded wait).
int settledFdCount(int expected) {
  int n = test::openFdCount();
  for (int i = 0; i < 100 && n != expected; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    n = test::openFdCount();
  }
  return n;
}

// A loopback listener whose thread hands every accepted connection to
// `serve` (which owns it) until stopped. Bounded: the accept loop polls.
class Listener {
 public:
  explicit Listener(std::function<void(platform::UniqueFd)> serve, const char* address = "127.0.0.1")
      : serve_(std::move(serve)), address_(address) {
    fd_.reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    REQUIRE(inet_pton(AF_INET, address, &a.sin_addr) == 1);
    REQUIRE(::bind(fd_.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(fd_.get(), 8) == 0);
    socklen_t len = sizeof a;
    getsockname(fd_.get(), reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] {
      while (!stop_) {
        pollfd p{fd_.get(), POLLIN, 0};
        if (::poll(&p, 1, 50) != 1) continue;
        platform::UniqueFd c(::accept4(fd_.get(), nullptr, nullptr, SOCK_CLOEXEC));
        if (c) {
          accepted_++;
          serve_(std::move(c));
        }
      }
    });
  }
  ~Listener() {
    stop_ = true;
    thread_.join();
  }
  std::string url(const char* scheme) const {
    return std::string(scheme) + "://" + address_ + ":" + std::to_string(port_) + "/notify";
  }
  int accepted() const { return accepted_; }

 private:
  std::function<void(platform::UniqueFd)> serve_;
  std::string address_;
  platform::UniqueFd fd_;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

void resetConnection(platform::UniqueFd fd) {
  linger l{1, 0};
  setsockopt(fd.get(), SOL_SOCKET, SO_LINGER, &l, sizeof l);
}

std::vector<events::Delivery> oneDelivery() {
  auto m = std::make_shared<events::EventMessage>();
  m->topic = "tns1:VideoSource/MotionAlarm";
  m->operation = events::PropertyOperation::Changed;
  m->source = {{"Source", "VideoSource_1"}};
  m->data = {{"State", "true"}};
  return {events::Delivery{m, std::chrono::system_clock::now(), events::PropertyOperation::Changed}};
}

core::EventsConfig fastConfig() {
  core::EventsConfig c;
  c.push_connect_timeout_ms = 300;
  c.push_io_timeout_ms = 500;
  return c;
}

// Serves one TLS connection with `ctx`: handshake, read one request, answer 202.
void serveTls(SSL_CTX* ctx, platform::UniqueFd fd, std::atomic<int>* handshakes, std::atomic<int>* requests) {
  timeval tv{2, 0};
  setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  std::unique_ptr<SSL, transport::SslFree> ssl(SSL_new(ctx));
  SSL_set_fd(ssl.get(), fd.get());
  if (SSL_accept(ssl.get()) != 1) {
    ERR_clear_error();
    return;
  }
  (*handshakes)++;
  for (;;) {  // requests on this connection until the client closes
    std::string request;
    char buf[4096];
    std::size_t end = std::string::npos;
    while ((end = request.find("\r\n\r\n")) == std::string::npos) {
      int n = SSL_read(ssl.get(), buf, sizeof buf);
      if (n <= 0) return;
      request.append(buf, static_cast<std::size_t>(n));
    }
    std::size_t lengthAt = request.find("Content-Length: ");
    std::size_t length = lengthAt == std::string::npos ? 0 : std::stoul(request.substr(lengthAt + 16));
    while (request.size() < end + 4 + length) {
      int n = SSL_read(ssl.get(), buf, sizeof buf);
      if (n <= 0) return;
      request.append(buf, static_cast<std::size_t>(n));
    }
    if (request.find("NotificationMessage") != std::string::npos) (*requests)++;
    const char answer[] = "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n";
    if (SSL_write(ssl.get(), answer, sizeof answer - 1) <= 0) return;
  }
}

// A self-signed pair from scripts/make-dev-cert (SAN 127.0.0.1) as a server context.
std::shared_ptr<SSL_CTX> serverContext(const std::string& dir) {
  std::string cmd = std::string(ONVIFD_SOURCE_DIR) + "/scripts/make-dev-cert " + dir + " >/dev/null";
  REQUIRE(system(cmd.c_str()) == 0);
  std::shared_ptr<SSL_CTX> ctx(SSL_CTX_new(TLS_server_method()), SSL_CTX_free);
  REQUIRE(SSL_CTX_use_certificate_chain_file(ctx.get(), (dir + "/dev-cert.pem").c_str()) == 1);
  REQUIRE(SSL_CTX_use_PrivateKey_file(ctx.get(), (dir + "/dev-key.pem").c_str(), SSL_FILETYPE_PEM) == 1);
  return ctx;
}

}  // namespace

TEST_CASE("push client: consumers that reset or stall the TLS handshake leave no fd or SSL behind") {
  const int fdsBefore = test::openFdCount();
  CountingOps counting;
  {
    Listener reset([](platform::UniqueFd c) { resetConnection(std::move(c)); });
    Listener helloThenReset([](platform::UniqueFd c) {
      char buf[4096];
      pollfd p{c.get(), POLLIN, 0};
      if (::poll(&p, 1, 1000) == 1) (void)::recv(c.get(), buf, sizeof buf, 0);  // the ClientHello
      resetConnection(std::move(c));
    });
    std::vector<platform::UniqueFd> held;
    std::mutex heldMutex;
    Listener silent([&](platform::UniqueFd c) {
      std::lock_guard<std::mutex> lock(heldMutex);
      held.push_back(std::move(c));  // never answers: the handshake deadline ends it
    });
    sys::ScopedOps scoped(counting.ops);
    const auto failuresBefore = plugins::counters().client_connect_failures.load();
    {
      events::PushClient client(fastConfig(), true);
      std::string error;
      for (int i = 0; i < 2; ++i) {
        CHECK_FALSE(client.send(reset.url("https"), "http://cam/sub/1", oneDelivery(), &error));
        // The RST may arrive before the connect is seen complete (SO_ERROR) or during the handshake.
        CHECK_MESSAGE((error.find("TLS handshake failed") != std::string::npos ||
                       error.find("Connection reset") != std::string::npos),
                      error);
        CHECK_FALSE(client.send(helloThenReset.url("https"), "http://cam/sub/1", oneDelivery(), &error));
        CHECK_MESSAGE(error.find("TLS handshake failed") != std::string::npos, error);
        auto start = std::chrono::steady_clock::now();
        CHECK_FALSE(client.send(silent.url("https"), "http://cam/sub/1", oneDelivery(), &error));
        CHECK(error == "TLS handshake timed out");
        CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(2000));
      }
      CHECK(plugins::counters().client_connect_failures.load() - failuresBefore == 6);
    }
    CHECK(CountingOps::sockets == 6);
    CHECK(CountingOps::allClosed());
  }
  CHECK(settledFdCount(fdsBefore) == fdsBefore);
}

TEST_CASE("push client: a consumer certificate is verified against the CA file and the URL's host") {
  test::TempDir dir;
  auto trusted = serverContext(dir.path + "/trusted");
  auto stranger = serverContext(dir.path + "/stranger");
  std::atomic<int> handshakes{0}, requests{0};
  Listener good([&](platform::UniqueFd c) { serveTls(trusted.get(), std::move(c), &handshakes, &requests); });
  Listener bad([&](platform::UniqueFd c) { serveTls(stranger.get(), std::move(c), &handshakes, &requests); });
  const int fdsBefore = test::openFdCount();
  core::EventsConfig config = fastConfig();
  config.push_tls_ca_file = dir.path + "/trusted/dev-cert.pem";
  CountingOps counting;
  {
    sys::ScopedOps scoped(counting.ops);
    events::PushClient client(config, true);
    std::string error;
    // Trusted: delivered, and the kept-alive TLS connection carries the next Notify too.
    REQUIRE_MESSAGE(client.send(good.url("https"), "http://cam/sub/1", oneDelivery(), &error), error);
    REQUIRE_MESSAGE(client.send(good.url("https"), "http://cam/sub/1", oneDelivery(), &error), error);
    CHECK(requests == 2);
    CHECK(handshakes == 1);
    // Untrusted: refused by the client, with the reason.
    CHECK_FALSE(client.send(bad.url("https"), "http://cam/sub/1", oneDelivery(), &error));
    CHECK(error.find("consumer certificate not accepted") != std::string::npos);
    CHECK(requests == 2);
  }
  CHECK(CountingOps::sockets == 2);  // one kept-alive connection, one refused
  CHECK(CountingOps::allClosed());
  CHECK(settledFdCount(fdsBefore) == fdsBefore);

  // The trusted certificate names 127.0.0.1, ::1 and localhost: served on 127.0.0.2 it does not match.
  {
    Listener elsewhere(
        [&](platform::UniqueFd c) { serveTls(trusted.get(), std::move(c), &handshakes, &requests); },
        "127.0.0.2");
    events::PushClient client(config, true);
    std::string error;
    CHECK_FALSE(client.send(elsewhere.url("https"), "http://cam/sub/1", oneDelivery(), &error));
    CHECK(error.find("consumer certificate not accepted") != std::string::npos);
    CHECK(elsewhere.accepted() == 1);
  }
  // Verification off (development): the stranger is accepted.
  {
    config.push_tls_verify = false;
    config.push_tls_ca_file.clear();
    events::PushClient client(config, true);
    std::string error;
    CHECK_MESSAGE(client.send(bad.url("https"), "http://cam/sub/1", oneDelivery(), &error), error);
    CHECK(requests == 3);
  }
  // A CA file that does not load fails every send, saying why.
  {
    config.push_tls_verify = true;
    config.push_tls_ca_file = dir.path + "/missing.pem";
    events::PushClient client(config, true);
    std::string error;
    CHECK_FALSE(client.send(good.url("https"), "http://cam/sub/1", oneDelivery(), &error));
    CHECK(error.find("missing.pem") != std::string::npos);
  }
}
