#pragma once
// The fuzz targets' bodies: one function per target, each taking one input.
// Included by the libFuzzer entry points (tests/fuzz/fuzz_*.cpp, clang) and
// by the unit tests (tests/unit/fuzz_regression_test.cpp), which replay
// every input under tests/fuzz/regressions/<target>/ so a crash once found
// stays fixed.
#include <fcntl.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "core/config.hpp"
#include "daemon/request_context.hpp"
#include "daemon/soap_processor.hpp"
#include "events/filter.hpp"
#include "imaging/imaging_model.hpp"
#include "io/io_model.hpp"
#include "media/media_model.hpp"
#include "ptz/ptz_model.hpp"
#include "platform/sys.hpp"
#include "platform/unique_fd.hpp"
#include "security/security.hpp"
#include "server/connection.hpp"
#include "server/http_framer.hpp"
#include "state/settings_store.hpp"
#include "stdsoap2.h"
#include "wsddH.h"

extern SOAP_NMAC struct Namespace namespaces[];

namespace onvif::fuzz {

// --- the whole request path ----------------------------------------------------
// Bytes as a client would send them on one connection (HTTP headers, SOAP
// body, WS-Security header; pipelined requests too): framed as the reactor
// frames them, then answered by the real SoapProcessor (gSOAP parse, dispatch,
// handler, response). gSOAP reads through the connection plugin's frecv from
// the buffer and writes through its fsend into a sink: no sockets.
struct RequestPath {
  core::Config config;
  daemon::DaemonState daemon;
  state::SettingsStore settings;  // in memory: a fuzzed Set* never touches disk
  std::unique_ptr<ptz::PtzModel> ptz;        // simulated head, no hooks
  std::unique_ptr<media::MediaModel> media;  // default camera, no apply hook
  std::unique_ptr<imaging::ImagingModel> imaging;
  std::unique_ptr<io::IoModel> io;  // hooks never run
  std::unique_ptr<security::Security> security;
  std::unique_ptr<onvif::daemon::SoapProcessor> processor;
  sys::Ops sink;

  RequestPath() {
    std::string error;
    core::loadConfig("", &config, &error);
    daemon.config = &config;
    daemon.settings = &settings;
    daemon.endpoint_reference = "urn:uuid:00000000-0000-4000-8000-000000000000";
    config.media.apply_hook.clear();  // a fuzzed request must never run a program
    config.ptz.hook_move.clear();
    config.ptz.hook_auxiliary.clear();
    config.ptz.hook_status.clear();
    ptz = ptz::setupPtz(config, &settings, &error);  // as main: the profiles hold its configuration
    daemon.ptz = ptz.get();
    media = ptz ? media::setupMedia(config.media, &settings, &error, config.ptz.configuration_token, config.ptz.profiles)
                : media::setupMedia(config.media, &settings, &error);
    daemon.media = media.get();
    imaging = imaging::setupImaging(config, &settings, &error);
    daemon.imaging = imaging.get();
    io = std::make_unique<io::IoModel>(config, &settings, [](const std::vector<std::string>&) { return true; });
    daemon.io = io.get();
    // Default users (admin/admin, as the captures authenticate): requests
    // get past authentication into the handlers.
    security = security::setupSecurity(config, &settings, &error);
    daemon.security = security.get();
    processor = std::make_unique<onvif::daemon::SoapProcessor>(config.server, &daemon);
    sink = sys::libcOps();
    sink.send = [](int, const void*, size_t len, int) -> ssize_t { return static_cast<ssize_t>(len); };
  }

  static RequestPath& instance() {
    static RequestPath p;
    return p;
  }

  void run(const uint8_t* data, size_t size) {
    sys::ScopedOps io(sink);
    server::Connection c(platform::UniqueFd(open("/dev/null", O_WRONLY | O_CLOEXEC)));
    c.buffer.assign(reinterpret_cast<const char*>(data), size);
    server::FramingLimits limits;
    limits.max_body_bytes = config.server.max_request_bytes;
    for (int i = 0; i < 8 && !c.buffer.empty(); ++i) {
      c.frame = server::frameRequest(c.buffer, limits);
      if (c.frame.state != server::Frame::State::Complete) break;
      processor->process(c, false);
      if (c.close_after) break;
    }
  }
};

inline int requestPath(const uint8_t* data, size_t size) {
  RequestPath::instance().run(data, size);
  return 0;
}

// --- a WS-Discovery datagram ------------------------------------------------------
// The discovery module's parse of one UDP datagram: envelope, WS-Addressing
// header, and whichever WS-Discovery body element it holds (Probe, Resolve,
// Hello, Bye, ...), with gSOAP's generic wsdd deserializer.
inline int wsddDatagram(const uint8_t* data, size_t size) {
  struct Input {
    const char* p;
    size_t left;
  } in{reinterpret_cast<const char*>(data), size};
  struct soap* soap = soap_new1(SOAP_IO_DEFAULT | SOAP_XML_STRICT);
  soap_set_namespaces(soap, namespaces);
  soap->user = &in;
  soap->frecv = [](struct soap* s, char* buf, size_t n) -> size_t {
    auto* i = static_cast<Input*>(s->user);
    size_t k = n < i->left ? n : i->left;
    memcpy(buf, i->p, k);
    i->p += k;
    i->left -= k;
    return k;
  };
  soap->recv_maxlength = 65536;  // a datagram
  if (soap_begin_recv(soap) == SOAP_OK && soap_envelope_begin_in(soap) == SOAP_OK &&
      soap_recv_header(soap) == SOAP_OK && soap_body_begin_in(soap) == SOAP_OK) {
    int type = 0;
    for (int i = 0; i < 4 && soap_getelement(soap, nullptr, &type); ++i) {
    }
    soap->error = SOAP_OK;
    soap_body_end_in(soap);
    soap_envelope_end_in(soap);
    soap_end_recv(soap);
  }
  soap_destroy(soap);
  soap_end(soap);
  soap_free(soap);
  return 0;
}

// --- the configuration file ---------------------------------------------------------
inline int configText(const uint8_t* data, size_t size) {
  core::Config config;
  std::string error;
  core::parseConfig(std::string(reinterpret_cast<const char*>(data), size), "<fuzz>", &config, &error);
  return 0;
}

// --- the settings file ----------------------------------------------------------------
// parse, and for what parses: serialize and parse again to the same areas.
inline int settingsText(const uint8_t* data, size_t size) {
  std::map<std::string, state::Section> areas, again;
  std::string error;
  if (state::SettingsStore::parse(std::string(reinterpret_cast<const char*>(data), size), &areas, &error)) {
    std::string text = state::SettingsStore::serialize(areas);
    if (!state::SettingsStore::parse(text, &again, &error) || again != areas) __builtin_trap();
  }
  return 0;
}

// --- event filter expressions ---------------------------------------------------------
// The texts a subscription's Filter carries (Core spec "Topic Filter",
// "Message Content Filter"). Input: the dialect on the first line (C, S, W
// and I stand for Concrete, ConcreteSet, the spec example's wsnt ConcreteSet
// and ItemFilter; anything else is used as given), the expression after it.
// Both parsers see every input; what parses is matched against the camera's
// kinds of message and one made from the input itself, with two oracles:
//   - a topic expression of one path without "//." matches that path;
//   - not(E) matches exactly the messages E does not.
inline std::vector<events::EventMessage> filterSampleMessages(const std::string& text) {
  using events::EventMessage;
  using events::PropertyOperation;
  std::vector<EventMessage> m(7);
  m[0] = {"tns1:VideoSource/MotionAlarm", PropertyOperation::Changed, {{"Source", "VideoSource_1"}}, {},
          {{"State", "true"}}, {}};
  m[1] = {"tns1:RuleEngine/CellMotionDetector/Motion",
          PropertyOperation::Initialized,
          {{"VideoSourceConfigurationToken", "VideoSourceConfig_1"},
           {"VideoAnalyticsConfigurationToken", "VideoAnalyticsConfig_1"},
           {"Rule", "MyMotionDetectorRule"}},
          {},
          {{"IsMotion", "false"}},
          {}};
  m[2] = {"tns1:Device/Trigger/DigitalInput", PropertyOperation::Changed, {{"InputToken", "DigitalInput_1"}}, {},
          {{"LogicalState", "true"}}, {}};
  m[3] = {"tns1:Device/Trigger/Relay", PropertyOperation::Deleted, {{"RelayToken", "Relay_1"}}, {}, {}, {}};
  m[4] = {"tns1:Monitoring/ProcessorUsage", PropertyOperation::Changed, {{"Token", "cpu"}}, {}, {{"Value", "42"}}, {}};
  m[5] = {"tns1:Configuration/Profile", PropertyOperation::None, {{"Token", "Profile_1"}}, {}, {},
          {{"Configuration", "<tt:Configuration token=\"Profile_1\"/>"}}};
  m[6] = {text, PropertyOperation::Changed, {{text, text}}, {{"", ""}}, {{"Name", text}}, {{text, text}}};
  return m;
}

inline int filterExpression(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  std::string dialect = newline == std::string::npos ? std::string() : input.substr(0, newline);
  const std::string expression = newline == std::string::npos ? input : input.substr(newline + 1);
  if (dialect == "C") dialect = events::kConcreteDialect;
  else if (dialect == "S") dialect = events::kConcreteSetDialect;
  else if (dialect == "W") dialect = "http://docs.oasis-open.org/wsnt/t-1/TopicExpression/ConcreteSet";
  else if (dialect == "I") dialect = events::kItemFilterDialect;
  const std::vector<events::EventMessage> messages = filterSampleMessages(expression);

  events::TopicFilter topic;
  if (topic.parse(dialect, expression) == events::FilterError::None) {
    for (const auto& m : messages) topic.matches(m.topic);
    if (expression.find('|') == std::string::npos && expression.find("//.") == std::string::npos &&
        !topic.matches(expression))
      __builtin_trap();  // one concrete path must match itself
  }
  events::ContentFilter content;
  if (content.parse(dialect, expression) == events::FilterError::None) {
    events::ContentFilter negated;
    const bool check = negated.parse(dialect, "not(" + expression + ")") == events::FilterError::None;
    for (const auto& m : messages)
      if (check && negated.matches(m) == content.matches(m)) __builtin_trap();  // not(E) is the complement of E
  }
  return 0;
}

}  // namespace onvif::fuzz
