#pragma once
// WS-Discovery 2005/04 messages to and from datagram bytes, through the
// discovery gSOAP module's generated serializers (build/gen/wsddH.h). gSOAP
// types stay inside codec.cpp; the rest of discovery sees these structs.
//
// Parsing runs with limits (nesting depth, string length, repetitions) on a
// datagram that is already bounded in size, so a hostile datagram costs at
// most one bounded parse.
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "discovery/matching.hpp"
#include "soap/soap_context.hpp"

struct soap;

namespace onvif::discovery {

constexpr const char* kNsDiscovery = "http://schemas.xmlsoap.org/ws/2005/04/discovery";
constexpr const char* kAnonymous = "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous";
constexpr const char* kMulticastTo = "urn:schemas-xmlsoap-org:ws:2005:04:discovery";

struct Inbound {
  enum class Kind { Probe, Resolve, Other } kind = Kind::Other;
  std::string message_id;
  std::string reply_to;
  // Probe
  std::vector<QName> types;
  std::vector<std::string> scopes;
  std::string match_by;
  // Resolve
  std::string endpoint_reference;
};

struct Announcement {
  std::string endpoint_reference;
  std::string types;  // "tds:Device dn:NetworkVideoTransmitter"
  std::vector<std::string> scopes;
  std::vector<std::string> xaddrs;
  unsigned metadata_version = 1;
};

struct Outbound {
  enum class Kind { Hello, Bye, ProbeMatches, ResolveMatches, MatchingRuleFault } kind = Kind::Hello;
  std::string message_id;  // urn:uuid:...
  std::string relates_to;  // replies only
  std::string to;          // kMulticastTo for announcements, kAnonymous for replies
  unsigned instance_id = 0;
  unsigned message_number = 0;
  Announcement about;  // unused by the fault
};

struct CodecLimits {
  unsigned max_depth = 32;
  long max_string = 8192;
  std::size_t max_items = 64;
};

class Codec {
 public:
  explicit Codec(CodecLimits limits = {});
  ~Codec();
  Codec(const Codec&) = delete;
  Codec& operator=(const Codec&) = delete;

  // False when the datagram is not a well-formed SOAP envelope; Kind::Other
  // for well-formed messages we don't answer (Hello, Bye, our own replies...).
  bool parse(const char* data, std::size_t len, Inbound* out);
  // The envelope as bytes; empty if serialization failed.
  std::string write(const Outbound& msg);

 private:
  onvif::soap::SoapContext soap_;
  CodecLimits limits_;
  const char* in_ = nullptr;
  std::size_t in_len_ = 0, in_pos_ = 0;
  std::string out_;
  static std::size_t readInput(struct ::soap* soap, char* buf, std::size_t n);
  static int writeOutput(struct ::soap* soap, const char* s, std::size_t n);
};

}  // namespace onvif::discovery
