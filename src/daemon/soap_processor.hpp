#pragma once
// The worker-side Processor: one gSOAP context per worker thread, with our
// connection plugin registered, answering one framed request at a time.
#include <sys/socket.h>

#include <memory>

#include "core/config.hpp"
#include "daemon/request_context.hpp"
#include "security/digest_guard.hpp"
#include "server/processor.hpp"
#include "soap/soap_context.hpp"

struct soap;

namespace onvif::plugins {
struct ServerExchange;
}

namespace onvif::daemon {

class SoapProcessor : public server::Processor {
 public:
  // gSOAP's HTTP GET callback (soap->fget): answers a GET or returns
  // SOAP_GET_METHOD; nullptr leaves gSOAP's 405 for every GET.
  using GetHandler = int (*)(struct ::soap* soap);
  SoapProcessor(const core::ServerConfig& config, const DaemonState* daemon, GetHandler get = nullptr);
  ~SoapProcessor() override;
  SoapProcessor(const SoapProcessor&) = delete;
  SoapProcessor& operator=(const SoapProcessor&) = delete;

  void process(server::Connection& c, bool shutting_down) override;

 private:
  void serveOne(const plugins::ServerExchange& ex, const sockaddr_storage& peer);
  void answerWellFormedFault();

  core::ServerConfig config_;
  RequestContext context_;
  onvif::soap::SoapContext soap_;
  const char* empty_style_ = nullptr;  // gSOAP's SOAP_STR_EOS (beginServe)
  security::DigestParse digest_parse_;
};

}  // namespace onvif::daemon
