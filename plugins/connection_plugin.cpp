#include "connection_plugin.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>
#include <strings.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "platform/sys.hpp"
#include "platform/unique_fd.hpp"
#include "stdsoap2.h"
#include "transport/tls_context.hpp"

namespace onvif::plugins {

const char kConnectionPluginId[] = "onvifd-connection-1.0";

namespace {

struct PluginData {
  // gSOAP's own callbacks, used when no server exchange is bound.
  int (*fsend)(struct soap*, const char*, size_t);
  size_t (*frecv)(struct soap*, char*, size_t);
  int (*fposthdr)(struct soap*, const char*, const char*);
  int (*fresponse)(struct soap*, int, ULONG64);
  int (*fclosesocket)(struct soap*, SOAP_SOCKET);
  int (*fshutdownsocket)(struct soap*, SOAP_SOCKET, int);
  int (*fpreparefinalsend)(struct soap*);
  int (*fparse)(struct soap*);
  SOAP_SOCKET (*fopen)(struct soap*, const char*, const char*, int);
  int (*fclose)(struct soap*);
  ServerExchange* exchange = nullptr;
  ClientTarget* client = nullptr;
  int fault_status = 0;  // HTTP status chosen by our fault table for this response
  // What gSOAP wrote for the bound exchange and we have not sent yet: the
  // response goes out in one send (head and body together), or in pieces of
  // kSendChunk when it is larger. Its capacity stays with the context.
  std::string pending;
};

// A response larger than this is sent as it is written, in pieces this large.
constexpr std::size_t kSendChunk = 64 * 1024;

PluginData* pluginData(struct soap* soap) {
  return static_cast<PluginData*>(soap_lookup_plugin(soap, kConnectionPluginId));
}

// Sends what is pending for the exchange; false (and send_failed) on failure.
bool flushPending(PluginData* d) {
  ServerExchange* ex = d->exchange;
  if (d->pending.empty()) return !ex->send_failed;
  bool ok =
      !ex->send_failed && sendAll(ex->fd, ex->ssl, d->pending.data(), d->pending.size(), ex->send_timeout_ms);
  d->pending.clear();
  if (!ok && !ex->send_failed) {
    ex->send_failed = true;
    counters().send_errors++;
  }
  return ok;
}

int pluginSend(struct soap* soap, const char* s, size_t n) {
  PluginData* d = pluginData(soap);
  ServerExchange* ex = d->exchange;
  if (!ex) return d->fsend(soap, s, n);
  if (ex->send_failed) return SOAP_EOF;
  d->pending.append(s, n);
  ex->bytes_sent += n;
  if (d->pending.size() >= kSendChunk && !flushPending(d)) return SOAP_EOF;
  return SOAP_OK;
}

size_t pluginRecv(struct soap* soap, char* buf, size_t n) {
  PluginData* d = pluginData(soap);
  ServerExchange* ex = d->exchange;
  if (!ex) return d->frecv(soap, buf, n);
  size_t left = ex->request_len - ex->request_pos;
  size_t k = n < left ? n : left;
  memcpy(buf, ex->request + ex->request_pos, k);
  ex->request_pos += k;
  return k;  // 0 = end of this request: gSOAP sees EOF, never the next one
}

int pluginPostHeader(struct soap* soap, const char* key, const char* val) {
  PluginData* d = pluginData(soap);
  ServerExchange* ex = d->exchange;
  if (!ex) return d->fposthdr(soap, key, val);
  // gSOAP's own Connection header reflects its keep_alive guess; ours reflects
  // what the server will really do, so drop gSOAP's and add ours at the end.
  if (key && (strcasecmp(key, "Connection") == 0 || strcasecmp(key, "Keep-Alive") == 0)) return SOAP_OK;
  if (!key) {
    int err;
    if (ex->close_after) {
      err = d->fposthdr(soap, "Connection", "close");
    } else {
      char keepAlive[64];
      snprintf(keepAlive, sizeof keepAlive, "timeout=%d, max=%d", ex->keepalive_timeout_s,
               ex->keepalive_remaining);
      err = d->fposthdr(soap, "Connection", "keep-alive");
      if (!err) err = d->fposthdr(soap, "Keep-Alive", keepAlive);
    }
    if (err) return err;
  }
  return d->fposthdr(soap, key, val);
}

int pluginResponse(struct soap* soap, int status, ULONG64 count) {
  PluginData* d = pluginData(soap);
  if (d->exchange && status != SOAP_OK && status != SOAP_HTML && status != SOAP_FILE && !d->fault_status) {
    // gSOAP stops reading when an inflated (Content-Encoding: gzip) body
    // passes recv_maxlength; it reports that only as this fault string.
    const char* reason = soap_fault_string(soap);
    if (reason && strstr(reason, "max message length exceeded")) d->fault_status = 413;
  }
  if (d->fault_status && status != SOAP_OK && status != SOAP_HTML && status != SOAP_FILE) {
    status = d->fault_status;
    counters().soap_faults++;
  }
  d->fault_status = 0;
  return d->fresponse(soap, status, count);
}

// gSOAP counts a response (SOAP_IO_LENGTH) before it sends it, and calls
// fpreparefinalsend at the end of the count. With the size known, compression
// is switched on for the real send when it pays: gSOAP then deflates, writes
// Content-Encoding: gzip and chunks the body.
int pluginPrepareFinalSend(struct soap* soap) {
  PluginData* d = pluginData(soap);
  ServerExchange* ex = d->exchange;
  if (ex && ex->gzip_min_bytes >= 0 && (soap->mode & SOAP_IO_LENGTH) && soap->zlib_out == SOAP_ZLIB_GZIP &&
      soap->count >= static_cast<ULONG64>(ex->gzip_min_bytes)) {
    soap->omode |= SOAP_ENC_ZLIB;
    ex->gzipped = true;
  }
  return d->fpreparefinalsend ? d->fpreparefinalsend(soap) : SOAP_OK;
}

// Once the request's HTTP headers are parsed (Accept-Encoding among them),
// the response's output mode is chosen. A SOAP response is a tree, written
// once into memory (SOAP_IO_STORE) and sent with the Content-Length of what
// was written. Only when it may be gzipped does gSOAP first count it
// (SOAP_IO_LENGTH, a second serialisation), so that pluginPrepareFinalSend
// can compare its size with gzip_min_bytes before anything is written.
int pluginParse(struct soap* soap) {
  PluginData* d = pluginData(soap);
  int err = d->fparse(soap);
  ServerExchange* ex = d->exchange;
  if (ex && soap->status == SOAP_POST) {
    bool mayGzip = ex->gzip_min_bytes >= 0 && soap->zlib_out == SOAP_ZLIB_GZIP;
    soap->omode = (soap->omode & ~SOAP_IO) | (mayGzip ? SOAP_IO_FLUSH : SOAP_IO_STORE);
  }
  return err;
}

int pluginCloseSocket(struct soap* soap, SOAP_SOCKET fd) {
  PluginData* d = pluginData(soap);
  if (d->exchange) {
    // The server's Connection owns this fd and closes it after the response.
    d->exchange->gsoap_wanted_close = true;
    return SOAP_OK;
  }
  return d->fclosesocket(soap, fd);
}

int pluginShutdownSocket(struct soap* soap, SOAP_SOCKET fd, int how) {
  PluginData* d = pluginData(soap);
  // Never half-close a server socket: a shutdown() followed by nothing is the
  // leak this project was started over. The Connection closes it instead.
  if (d->exchange) return SOAP_OK;
  return d->fshutdownsocket(soap, fd, how);
}

// --- client contexts (bindClient) ---------------------------------------------------

using Clock = std::chrono::steady_clock;

// Waits until `fd` is ready for `events` (or has an error) or `deadline`
// passes: 1 ready, 0 timed out, -1 poll failed. For the client connect and
// handshake, and for sendAll.
int waitUntil(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return 0;
    pollfd pfd{fd, events, 0};
    int r = sys::ops().poll(&pfd, 1, static_cast<int>(left));
    if (r > 0) return 1;
    if (r == 0) return 0;
    if (errno != EINTR) return -1;
  }
}

std::string errnoText(const char* what, int err) {
  return std::string(what) + ": " + strerror(err);
}

// A non-blocking TCP connection to the target's address within its connect
// timeout; invalid (nothing left open) with `error` set on failure.
platform::UniqueFd clientConnect(const ClientTarget& t, std::string* error) {
  const sys::Ops& ops = sys::ops();
  platform::UniqueFd fd(ops.socket(t.address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) {
    *error = errnoText("socket", errno);
    return fd;
  }
  const auto deadline = Clock::now() + std::chrono::milliseconds(t.connect_timeout_ms);
  if (ops.connect(fd.get(), reinterpret_cast<const sockaddr*>(&t.address), t.address_len) == 0) return fd;
  if (errno != EINPROGRESS && errno != EINTR) {  // after EINTR the connect goes on in the background
    *error = errnoText("connect", errno);
    fd.reset();
    return fd;
  }
  int ready = waitUntil(fd.get(), POLLOUT, deadline);
  int soError = 0;
  socklen_t len = sizeof soError;
  if (ready == 0) {
    *error = "connect timed out";
  } else if (ready < 0) {
    *error = errnoText("poll", errno);
  } else if (getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &soError, &len) != 0) {
    *error = errnoText("getsockopt", errno);
  } else if (soError != 0) {
    *error = errnoText("connect", soError);
  } else {
    return fd;
  }
  fd.reset();
  return fd;
}

// The TLS handshake on connected `fd` within the connect timeout. nullptr
// with `error` set on failure: the session is freed without close_notify
// (there is no session to end), the caller closes the fd.
transport::UniqueSsl clientHandshake(const ClientTarget& t, int fd, std::string* error) {
  ERR_clear_error();
  transport::UniqueSsl ssl = transport::clientSession(t.tls, fd, t.tls_name);
  if (!ssl) {
    ERR_clear_error();
    *error = "cannot set up a TLS session for " + t.tls_name;
    return nullptr;
  }
  const auto deadline = Clock::now() + std::chrono::milliseconds(t.connect_timeout_ms);
  for (;;) {
    ERR_clear_error();
    int r = SSL_connect(ssl.get());
    if (r == 1) return ssl;
    int err = SSL_get_error(ssl.get(), r);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
      int ready = waitUntil(fd, err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline);
      if (ready > 0) continue;
      *error = ready == 0 ? "TLS handshake timed out" : errnoText("poll", errno);
      return nullptr;
    }
    if (err == SSL_ERROR_SYSCALL && errno == EINTR) continue;
    long verify = SSL_get_verify_result(ssl.get());
    unsigned long e = ERR_get_error();
    if (verify != X509_V_OK) {
      *error = std::string("consumer certificate not accepted: ") + X509_verify_cert_error_string(verify);
    } else if (e) {
      char buf[256];
      ERR_error_string_n(e, buf, sizeof buf);
      *error = std::string("TLS handshake failed: ") + buf;
    } else {
      *error = "TLS handshake failed: the consumer closed or reset the connection";
    }
    ERR_clear_error();
    return nullptr;
  }
}

SOAP_SOCKET pluginOpen(struct soap* soap, const char* endpoint, const char* host, int port) {
  PluginData* d = pluginData(soap);
  ClientTarget* t = d->client;
  if (!t) return d->fopen(soap, endpoint, host, port);
  t->error.clear();
  closeClient(soap);  // never two connections (gSOAP closed any old one; be sure)
  platform::UniqueFd fd = clientConnect(*t, &t->error);
  const bool tcpConnected = fd.valid();
  if (fd && t->tls) {
    transport::UniqueSsl ssl = clientHandshake(*t, fd.get(), &t->error);
    if (ssl) {
      soap->ssl = ssl.release();  // gSOAP reads and writes through it; closeClient frees it
    } else {
      fd.reset();
    }
  }
  if (!fd) {
    counters().client_connect_failures++;
    soap->error = tcpConnected ? SOAP_SSL_ERROR : SOAP_TCP_ERROR;
    return SOAP_INVALID_SOCKET;
  }
  counters().client_connects++;
  soap->error = SOAP_OK;
  return fd.release();
}

int pluginClose(struct soap* soap) {
  PluginData* d = pluginData(soap);
  if (d && !d->client) return d->fclose(soap);
  closeClient(soap);
  return SOAP_OK;
}

int pluginCopy(struct soap*, struct soap_plugin* dst, struct soap_plugin* src) {
  auto* copy = new PluginData(*static_cast<PluginData*>(src->data));
  copy->exchange = nullptr;
  copy->client = nullptr;
  copy->fault_status = 0;
  copy->pending.clear();
  dst->data = copy;
  return SOAP_OK;
}

void pluginDelete(struct soap*, struct soap_plugin* p) {
  delete static_cast<PluginData*>(p->data);
}

const char* reasonPhrase(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 408: return "Request Timeout";
    case 411: return "Length Required";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 431: return "Request Header Fields Too Large";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Error";
  }
}

}  // namespace

std::string Counters::line() const {
  char buf[512];
  snprintf(buf, sizeof buf,
           "open=%llu accepted=%llu closed=%llu keepalive_reuses=%llu timeouts=%llu errors=%llu "
           "requests=%llu rejected=%llu idle_closed=%llu send_errors=%llu recv_errors=%llu http_errors=%llu "
           "soap_faults=%llu",
           static_cast<unsigned long long>(open()), static_cast<unsigned long long>(accepted.load()),
           static_cast<unsigned long long>(closed.load()),
           static_cast<unsigned long long>(keepalive_reuses.load()),
           static_cast<unsigned long long>(timeouts.load()),
           static_cast<unsigned long long>(send_errors.load() + recv_errors.load() + http_errors.load()),
           static_cast<unsigned long long>(requests.load()), static_cast<unsigned long long>(rejected.load()),
           static_cast<unsigned long long>(idle_closed.load()),
           static_cast<unsigned long long>(send_errors.load()),
           static_cast<unsigned long long>(recv_errors.load()),
           static_cast<unsigned long long>(http_errors.load()),
           static_cast<unsigned long long>(soap_faults.load()));
  return buf;
}

Counters& counters() {
  static Counters instance;
  return instance;
}

int connectionPlugin(struct soap* soap, struct soap_plugin* p, void*) {
  auto* d = new PluginData();
  d->fsend = soap->fsend;
  d->frecv = soap->frecv;
  d->fposthdr = soap->fposthdr;
  d->fresponse = soap->fresponse;
  d->fclosesocket = soap->fclosesocket;
  d->fshutdownsocket = soap->fshutdownsocket;
  d->fpreparefinalsend = soap->fpreparefinalsend;
  d->fparse = soap->fparse;
  d->fopen = soap->fopen;
  d->fclose = soap->fclose;
  p->id = kConnectionPluginId;
  p->data = d;
  p->fcopy = pluginCopy;
  p->fdelete = pluginDelete;
  soap->fsend = pluginSend;
  soap->frecv = pluginRecv;
  soap->fposthdr = pluginPostHeader;
  soap->fresponse = pluginResponse;
  soap->fclosesocket = pluginCloseSocket;
  soap->fshutdownsocket = pluginShutdownSocket;
  soap->fpreparefinalsend = pluginPrepareFinalSend;
  soap->fparse = pluginParse;
  soap->fopen = pluginOpen;
  soap->fclose = pluginClose;
  return SOAP_OK;
}

void bindClient(struct soap* soap, ClientTarget* target) {
  pluginData(soap)->client = target;
}

void closeClient(struct soap* soap) {
  if (soap->ssl) {
    // close_notify once, without waiting for the peer's (the fd is closed
    // right after, so nothing more could be read on it). Never mid-handshake
    // or after a fatal TLS error: OpenSSL leaves the init state only after a
    // completed handshake and returns to it on a fatal error.
    // A peer that has already hung up (POLLHUP/POLLERR) gets no
    // close_notify: writing it would only fail.
    pollfd pfd{soap->socket, POLLOUT, 0};
    bool writable = soap_valid_socket(soap->socket) && sys::ops().poll(&pfd, 1, 0) == 1 &&
                    (pfd.revents & (POLLERR | POLLHUP)) == 0;
    ERR_clear_error();
    if (writable && SSL_is_init_finished(soap->ssl)) SSL_shutdown(soap->ssl);
    ERR_clear_error();
    SSL_free(soap->ssl);
    soap->ssl = nullptr;
  }
  if (soap_valid_socket(soap->socket)) {
    platform::UniqueFd(soap->socket).reset();  // through sys::ops().close
    soap->socket = SOAP_INVALID_SOCKET;
    counters().client_closes++;
  }
}

void bindServer(struct soap* soap, ServerExchange* exchange) {
  PluginData* d = pluginData(soap);
  if (d->exchange) flushPending(d);  // the end of the exchange: what is left goes out now
  d->exchange = exchange;
  d->fault_status = 0;
  soap->omode &= ~SOAP_ENC_ZLIB;  // compression is decided per response
  // Until pluginParse has seen the request's headers, gSOAP's default.
  soap->omode = (soap->omode & ~SOAP_IO) | SOAP_IO_FLUSH;
  soap->socket = exchange ? exchange->fd : SOAP_INVALID_SOCKET;
}

void setFaultStatus(struct soap* soap, int http_status) {
  if (PluginData* d = pluginData(soap)) d->fault_status = http_status;
}

bool sendAll(int fd, const char* data, std::size_t len, int timeout_ms) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  const sys::Ops& ops = sys::ops();
  while (len > 0) {
    ssize_t n = ops.send(fd, data, len, MSG_NOSIGNAL);
    if (n > 0) {
      data += n;
      len -= static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      int ready = waitUntil(fd, POLLOUT, deadline);
      if (ready > 0) continue;
      if (ready == 0) counters().timeouts++;
      return false;
    }
    return false;  // EPIPE, ECONNRESET, ...
  }
  return true;
}

bool sendAll(int fd, SSL* ssl, const char* data, std::size_t len, int timeout_ms) {
  if (!ssl) return sendAll(fd, data, len, timeout_ms);
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (len > 0) {
    ERR_clear_error();  // SSL_get_error reads this thread's queue
    int chunk = len > (1u << 30) ? (1 << 30) : static_cast<int>(len);
    int n = SSL_write(ssl, data, chunk);
    if (n > 0) {
      data += n;
      len -= static_cast<std::size_t>(n);
      continue;
    }
    int err = SSL_get_error(ssl, n);
    if (err != SSL_ERROR_WANT_WRITE && err != SSL_ERROR_WANT_READ) {
      if (err == SSL_ERROR_SYSCALL && errno == EINTR) continue;
      return false;
    }
    int ready = waitUntil(fd, err == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN, deadline);
    if (ready > 0) continue;
    if (ready == 0) counters().timeouts++;
    return false;
  }
  return true;
}

std::string httpErrorResponse(int status) {
  char body[96];
  int bodyLen = snprintf(body, sizeof body, "%d %s\n", status, reasonPhrase(status));
  char head[256];
  int headLen = snprintf(head, sizeof head,
                         "HTTP/1.1 %d %s\r\nContent-Type: text/plain; charset=utf-8\r\n"
                         "Content-Length: %d\r\nConnection: close\r\n\r\n",
                         status, reasonPhrase(status), bodyLen);
  return std::string(head, static_cast<std::size_t>(headLen)) +
         std::string(body, static_cast<std::size_t>(bodyLen));
}

}  // namespace onvif::plugins
