#pragma once
// Our gSOAP plugin that owns how a connection is read, written, kept alive and
// ended. gSOAP never closes or shuts down a server socket while this plugin is
// registered: the server's Connection (an fd owner) does, exactly once, after
// the response is fully written. The plugin
//   - feeds gSOAP the request that the reactor framed and buffered (frecv),
//   - writes responses with a send timeout through the replaceable sys layer,
//     handling EINTR/EAGAIN and never raising SIGPIPE (fsend): collected
//     while gSOAP writes them and sent at the end of the exchange (when it
//     is unbound) in one send, or in 64 kB pieces when larger,
//   - has gSOAP serialise a response once into memory (SOAP_IO_STORE) and
//     set Content-Length from it, except when it may be gzipped (fparse),
//   - writes the connection headers from the server's decision:
//     "Connection: keep-alive" + "Keep-Alive: timeout=N, max=M" while the
//     connection stays open, "Connection: close" on the response after which it
//     closes (fposthdr),
//   - turns gSOAP's close/shutdown requests into a flag (fclosesocket,
//     fshutdownsocket), so no path half-closes or double-closes a socket,
//   - counts what happens, for tests and the SIGUSR1 stats line,
//   - on a TLS connection writes through the connection's SSL (sendAll with
//     ssl); the reactor owns the handshake, reads and close_notify,
//   - switches gzip on for a response once gSOAP has counted it and it is
//     large enough (fpreparefinalsend), and answers an over-limit inflated
//     request with 413 (fresponse).
// For client contexts (event push) see bindClient(): there the plugin opens
// the connection (to the address the caller checked, with connect and TLS
// handshake deadlines) and closes it (close_notify, then close), through the
// same sys layer; gSOAP only reads and writes it.
#include <sys/socket.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>

struct soap;
struct soap_plugin;
typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;

namespace onvif::plugins {

extern const char kConnectionPluginId[];

// What one request/response exchange on a server connection needs.
struct ServerExchange {
  int fd = -1;                    // the connection's socket (owned by the server)
  SSL* ssl = nullptr;             // TLS session on fd (owned by the server), or plain
  const char* request = nullptr;  // exactly one framed request
  std::size_t request_len = 0;
  std::size_t request_pos = 0;
  int send_timeout_ms = 10000;
  bool close_after = false;  // the server's decision, set before the response
  int keepalive_timeout_s = 10;
  int keepalive_remaining = 100;  // advertised as max=
  // gzip the response when the client accepts it and its uncompressed size
  // is at least this many bytes; -1: never.
  long gzip_min_bytes = -1;
  // Results
  bool send_failed = false;
  bool gsoap_wanted_close = false;
  std::size_t bytes_sent = 0;  // written by gSOAP (sent by the time the exchange is unbound)
  bool gzipped = false;
};

struct Counters {
  std::atomic<std::uint64_t> accepted{0};
  std::atomic<std::uint64_t> closed{0};
  std::atomic<std::uint64_t> rejected{0};  // over max_connections
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> keepalive_reuses{0};  // requests after the first on a connection
  std::atomic<std::uint64_t> timeouts{0};          // header/body/send deadlines
  std::atomic<std::uint64_t> idle_closed{0};  // keep-alive connections closed after the advertised timeout
  std::atomic<std::uint64_t> send_errors{0};
  std::atomic<std::uint64_t> recv_errors{0};
  std::atomic<std::uint64_t> http_errors{0};  // framing errors answered by the server
  std::atomic<std::uint64_t> soap_faults{0};
  // Client contexts (event push; not in open/accepted/closed): connections
  // made, failed connects/handshakes (their fd already closed) and closes.
  std::atomic<std::uint64_t> client_connects{0};
  std::atomic<std::uint64_t> client_connect_failures{0};
  std::atomic<std::uint64_t> client_closes{0};
  std::uint64_t open() const { return accepted.load() - closed.load(); }
  std::string line() const;  // "open=.. accepted=.. closed=.. ..."
};

Counters& counters();

// soap_register_plugin(soap, connectionPlugin)
int connectionPlugin(struct soap* soap, struct soap_plugin* plugin, void* arg);

// Routes the next exchange of a server context through `exchange` (which
// must outlive it); nullptr unbinds. Unbinding (or binding the next one)
// sends what gSOAP wrote for the previous exchange and is still pending; its
// send_failed is final after that.
void bindServer(struct soap* soap, ServerExchange* exchange);

// Where a client context's next connection goes (event push). The caller
// has checked `address` against its policy; the plugin connects there and
// nowhere else, whatever host the endpoint URL names (so a DNS answer cannot
// change between check and connect), and the URL's host stays in the Host
// header, SNI and the certificate check.
struct ClientTarget {
  sockaddr_storage address{};
  socklen_t address_len = 0;
  SSL_CTX* tls = nullptr;         // https: a client context (transport::newClientContext); nullptr: plain TCP
  std::string tls_name;           // host name or IP literal the certificate must match (when verifying)
  int connect_timeout_ms = 2000;  // the TCP connect; the TLS handshake gets as long again
  std::string error;              // why the last connect or handshake failed; empty after success
};

// Routes the connects and closes of client context `soap` through `target`
// (which must outlive the binding); nullptr unbinds (gSOAP's own again). A
// bound context's connection is
//   - made non-blocking with a deadline, through sys::ops(); with `tls`,
//     the handshake runs to its own deadline and a failed, aborted or
//     unverified handshake frees the SSL object and closes the fd at once;
//   - closed by gSOAP's fclose (soap_closesock with keep_alive off, soap_done):
//     close_notify once if the handshake completed and no fatal TLS error
//     occurred (not waiting for the peer's), SSL_free, then close().
void bindClient(struct soap* soap, ClientTarget* target);

// Closes a client context's connection now (as its fclose does). Harmless
// when nothing is open.
void closeClient(struct soap* soap);

// Overrides the HTTP status of the fault response being built (our fault
// table's choice; gSOAP would answer every fault with one status).
void setFaultStatus(struct soap* soap, int http_status);

// Writes `len` bytes to `fd` within `timeout_ms` (EINTR/EAGAIN handled, no
// SIGPIPE). Returns false on error or timeout. Used by the plugin and by the
// server for its own small error responses.
bool sendAll(int fd, const char* data, std::size_t len, int timeout_ms);
// The same through the TLS session `ssl` on `fd` (plain sendAll when null).
// A false return means the session is unusable: close without close_notify.
bool sendAll(int fd, SSL* ssl, const char* data, std::size_t len, int timeout_ms);

// The complete HTTP response the server sends itself for a request it could
// not frame (400, 408, 411, 413, 431, 501, 505): always "Connection: close".
std::string httpErrorResponse(int status);

}  // namespace onvif::plugins
