#include "daemon/soap_processor.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include "connection_plugin.hpp"
#include "gsoap_onvifH.h"
#include "security/security.hpp"
#include "server/connection.hpp"
#include "soap/dispatch.hpp"
#include "soap/faults.hpp"
#include "soap/namespaces.hpp"
#include "soap/response_namespaces.hpp"

namespace onvif::daemon {
namespace {

using onvif::soap::ErrorKind;
using onvif::soap::fault;
using onvif::soap::responseNamespacesFor;
using onvif::soap::restoreRequestNamespaces;
using onvif::soap::useResponseNamespaces;

// scheme://address:port of the local end, as a client would write it.
std::string baseUrl(const sockaddr_storage& local, bool tls) {
  const std::string scheme = tls ? "https://" : "http://";
  char host[INET6_ADDRSTRLEN] = "127.0.0.1";
  int port = 0;
  if (local.ss_family == AF_INET6) {
    const auto* a6 = reinterpret_cast<const sockaddr_in6*>(&local);
    port = ntohs(a6->sin6_port);
    if (IN6_IS_ADDR_V4MAPPED(&a6->sin6_addr)) {
      inet_ntop(AF_INET, &a6->sin6_addr.s6_addr[12], host, sizeof host);
    } else {
      inet_ntop(AF_INET6, &a6->sin6_addr, host, sizeof host);
      return scheme + "[" + std::string(host) + "]:" + std::to_string(port);
    }
  } else if (local.ss_family == AF_INET) {
    const auto* a4 = reinterpret_cast<const sockaddr_in*>(&local);
    port = ntohs(a4->sin_port);
    inet_ntop(AF_INET, &a4->sin_addr, host, sizeof host);
  }
  return scheme + std::string(host) + ":" + std::to_string(port);
}

// The per-request scope of a worker's context. Like RequestScope, but
// without soap_end's soap_free_temp: that clears gSOAP's pointer and id hash
// tables (~48 kB of memset and a 1,999-bucket walk, ~2 us), and the next
// request's soap_begin_serve clears them again twice (soap_begin,
// soap_begin_recv). Everything the request allocated on gSOAP's heap and
// every C++ object still goes here; what stays until the next request (or
// ~SoapProcessor's soap_end) is only gSOAP's own bookkeeping (hash chains,
// namespace stack, attribute list), whose entries are malloc'ed by gSOAP
// itself and never point into the freed heap.
class ServedRequestScope {
 public:
  explicit ServedRequestScope(struct ::soap* soap) : soap_(soap) {}
  ~ServedRequestScope() {
    soap_destroy(soap_);
    soap_dealloc(soap_, nullptr);
    soap_closesock(soap_);  // as soap_end: gSOAP's close hook (our plugin) sees the end of every exchange
  }
  ServedRequestScope(const ServedRequestScope&) = delete;
  ServedRequestScope& operator=(const ServedRequestScope&) = delete;

 private:
  struct ::soap* soap_;
};

// soap_begin_serve without its first soap_free_temp. In gSOAP 2.8.124 it is
// soap_begin (a few field resets, then soap_free_temp) followed by
// soap_begin_recv, which sets error and one field and calls soap_free_temp
// again before it reads anything: the first clear of the pointer and id hash
// tables is wasted, and it was ~15 % of a GetSystemDateAndTime
// (callgrind: 45,000 of ~290,000 instructions). The resets below
// are soap_begin's, read from the 2.8.124 library's code; another gSOAP
// version must be checked against its soap_begin/soap_begin_serve before
// this assertion is moved.
static_assert(GSOAP_VERSION == 208124, "beginServe mirrors soap_begin_serve of gSOAP 2.8.124");
// empty_style: the library's own empty encodingStyle string (SOAP_STR_EOS is
// not exported), as soap_begin leaves it.
int beginServe(struct ::soap* soap, const char* empty_style) {
  soap->error = SOAP_OK;
  if (!soap->keep_alive) {
    soap->buflen = 0;
    soap->bufidx = 0;
  }
  soap->mode = 0;
  soap->encoding = 0;
  soap->part = SOAP_END;
  soap->peeked = 0;
  soap->ahead = 0;
  soap->level = 0;
  soap->encodingStyle = empty_style;
  if (soap_begin_recv(soap) || soap_envelope_begin_in(soap) || soap_recv_header(soap) ||
      soap_body_begin_in(soap)) {
    if (soap->error < SOAP_STOP) return soap_send_fault(soap);
    return soap_closesock(soap);
  }
  return SOAP_OK;
}

// gSOAP keeps one list of attribute names and values per context, used both
// to read a start tag's attributes and to write the response's: every
// attribute written (soap_set_attr) and every start tag written
// (soap_element_start_end_out) walks the whole list, and the list is only
// emptied by soap_free_temp at the start of the next request. Without this,
// the response's walks go over every attribute the request's Envelope and
// Header carried (a client's ten xmlns declarations, the WS-Security
// attributes). Once the Header is read and before the Body's first element
// is peeked, no attribute is pending: the Envelope's and Header's values
// have been copied where they are kept (soap_s2char and the like copy,
// namespaces are pushed as copies), so the list is emptied here exactly as
// soap_free_temp of gSOAP 2.8.124 does (its entries and values are
// SOAP_MALLOC'ed by the library, i.e. malloc). GetProfiles with a
// UsernameToken: ~20,000 fewer instructions per request (callgrind).
// Another gSOAP version may keep the list differently: there the list is
// left to soap_free_temp, which only costs the walks.
void releaseParsedAttributes(struct ::soap* soap) {
#if GSOAP_VERSION == 208124
  if (soap->peeked) return;  // a peeked start tag's attributes are still to be read
  struct soap_attribute* next = nullptr;
  for (struct soap_attribute* tp = soap->attributes; tp; tp = next) {
    next = tp->next;
    if (tp->value) SOAP_FREE(soap, tp->value);
    SOAP_FREE(soap, tp);
  }
  soap->attributes = nullptr;
#else
  (void)soap;
#endif
}

const core::TransportConfig& defaultTransport() {
  static const core::TransportConfig instance;
  return instance;
}

}  // namespace

// SOAP_XML_TREE: ONVIF messages are document/literal trees, never SOAP
// encoding's id/href multi-reference graphs. gSOAP then takes an "id",
// "ref" or "href" attribute for what it is, and skips its walks over the
// 1,999 buckets of the id hash table that only multi-reference decoding
// needs (soap_end_block, soap_update_pointers). What it writes is the same:
// without an encodingStyle it never wrote references.
SoapProcessor::SoapProcessor(const core::ServerConfig& config, const DaemonState* daemon, GetHandler get)
    : config_(config),
      soap_(onvif::soap::newSoapContext(SOAP_C_UTFSTRING | SOAP_IO_KEEPALIVE | SOAP_XML_TREE)) {
  context_.daemon = daemon;
  soap_->user = &context_;
  soap_register_plugin(soap_.get(), plugins::connectionPlugin);
  digest_parse_ =
      security::registerAuthPlugins(soap_.get());  // after ours: its headers pass through our plugin
  soap_register_plugin(soap_.get(),
                       onvif::soap::responseNamespacesPlugin);  // last: chains to their fpreparefinalrecv
  // GET is not SOAP: main hands in the snapshot JPEG's server (GetSnapshotUri);
  // without one every GET keeps gSOAP's 405.
  if (get) soap_->fget = get;
  soap_begin(soap_.get());
  empty_style_ = soap_->encodingStyle;  // see beginServe
}

SoapProcessor::~SoapProcessor() = default;

void SoapProcessor::process(server::Connection& c, bool shutting_down) {
  plugins::ServerExchange ex;
  ex.fd = c.fd.get();
  ex.ssl = c.ssl.get();
  const core::TransportConfig& transport =
      context_.daemon && context_.daemon->config ? context_.daemon->config->transport : defaultTransport();
  ex.gzip_min_bytes = transport.gzip ? transport.gzip_min_bytes : -1;
  soap_->recv_maxlength = static_cast<ULONG64>(transport.max_inflated_bytes);
  ex.request = c.buffer.data();
  ex.request_len = c.frame.length;
  ex.send_timeout_ms = config_.send_timeout_ms;
  const int served = c.requests_served + 1;
  ex.close_after = shutting_down || c.frame.client_wants_close || c.peer_closed ||
                   served >= config_.keepalive_max_requests;
  ex.keepalive_timeout_s = config_.keepalive_timeout_s;
  ex.keepalive_remaining = config_.keepalive_max_requests - served;
  context_.base_url = baseUrl(c.local, c.ssl != nullptr);

  // Count before answering: a client that reads the stats right after our
  // response must already see this request in them.
  auto& counters = plugins::counters();
  counters.requests++;
  if (c.requests_served > 0) counters.keepalive_reuses++;

  plugins::bindServer(soap_.get(), &ex);
  digest_parse_.expect(soap_.get(), c.frame.credentials);
  {
    ServedRequestScope scope(soap_.get());
    serveOne(ex, c.peer);
  }
  restoreRequestNamespaces(soap_.get());
  plugins::bindServer(soap_.get(), nullptr);

  c.requests_served = served;
  c.buffer.erase(0, c.frame.length);
  c.frame = server::Frame();
  c.close_after = ex.close_after || ex.send_failed;
  if (ex.send_failed) c.peer_closed = true;          // the client is gone: close, don't linger
  if (ex.send_failed && c.ssl) c.tls_failed = true;  // and no close_notify after a failed write
}

void SoapProcessor::answerWellFormedFault() {
  soap_->error = SOAP_OK;
  if (soap_->version == 0) soap_->version = 2;  // nothing parsed: answer in SOAP 1.2
  fault(soap_.get(), ErrorKind::WellFormed, "The request body is not a well-formed SOAP envelope");
  soap_send_fault(soap_.get());
}

void SoapProcessor::serveOne(const plugins::ServerExchange& ex, const sockaddr_storage& peer) {
  // beginServe (soap_begin_serve) parses the HTTP headers, the Envelope and
  // the SOAP Header; on failure it has usually answered (fault or HTTP error).
  if (beginServe(soap_.get(), empty_style_) != SOAP_OK) {
    if (ex.bytes_sent == 0 && !ex.send_failed) {
      // gSOAP answers nothing when the body ends before any XML element
      // (it reads our end of request as the peer's EOF). The client still
      // deserves an answer: Core spec generic fault env:Sender/ter:WellFormed.
      soap_->socket = ex.fd;  // gSOAP dropped it in its close hook; without it, it would answer CGI-style
      answerWellFormedFault();
    }
    return;
  }
  releaseParsedAttributes(soap_.get());
  // A Body whose first element is cut short or uses an undeclared prefix is
  // a well-formedness error, not an unknown operation.
  if (soap_peek_element(soap_.get()) != SOAP_OK && soap_->error != SOAP_NO_TAG) {
    answerWellFormedFault();
    return;
  }
  context_.path = soap_->path;
  // The response declares only the namespaces its service can use; the
  // switch happens once the whole request has been read.
  useResponseNamespaces(soap_.get(),
                        responseNamespacesFor(soap_current_namespace_tag(soap_.get(), soap_->tag)));
  // Credentials and the access policy, before anything runs (docs/security.md).
  const DaemonState* daemon = context_.daemon;
  if (!security::authorizeRequest(soap_.get(), daemon ? daemon->security : nullptr,
                                  daemon ? deviceNow(*daemon) : std::chrono::system_clock::now(), peer))
    return;
  // Dispatch is by the qualified name of the Body's child element (the
  // generated soap_serve_request's tag matching, through its index), never
  // by SOAPAction.
  if (onvif::soap::serveRequest(soap_.get()) != SOAP_OK && soap_->error < SOAP_STOP) {
    if (soap_->error == SOAP_NO_METHOD) {
      // Not an operation of any bound WSDL (Core spec "Services requirements").
      fault(soap_.get(), ErrorKind::ActionNotSupported,
            "The requested operation is not supported by this device");
    }
    soap_send_fault(soap_.get());
  }
}

}  // namespace onvif::daemon
