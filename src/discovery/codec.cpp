#include "discovery/codec.hpp"

#include <cstring>

#include "soap/faults.hpp"
#include "soap/request_scope.hpp"
#include "wsddH.h"

namespace onvif::discovery {

namespace {

// A small namespace table of our own: the daemon's table declares ~35
// namespaces on every envelope, which would triple the size of every
// datagram. tds and dn are here so that Types resolve to these prefixes.
// (gSOAP reads the first four entries by position: keep them first.)
const struct Namespace kNamespaces[] = {
    {"SOAP-ENV", "http://www.w3.org/2003/05/soap-envelope", "http://schemas.xmlsoap.org/soap/envelope/",
     nullptr},
    {"SOAP-ENC", "http://www.w3.org/2003/05/soap-encoding", "http://schemas.xmlsoap.org/soap/encoding/",
     nullptr},
    {"xsi", "http://www.w3.org/2001/XMLSchema-instance", "http://www.w3.org/*/XMLSchema-instance", nullptr},
    {"xsd", "http://www.w3.org/2001/XMLSchema", "http://www.w3.org/*/XMLSchema", nullptr},
    {"wsa", "http://schemas.xmlsoap.org/ws/2004/08/addressing", nullptr, nullptr},
    {"wsdd", "http://schemas.xmlsoap.org/ws/2005/04/discovery", nullptr, nullptr},
    {"tds", "http://www.onvif.org/ver10/device/wsdl", nullptr, nullptr},
    {"dn", "http://www.onvif.org/ver10/network/wsdl", nullptr, nullptr},
    {nullptr, nullptr, nullptr, nullptr},
};

char* dup(struct soap* soap, const std::string& s) {
  return soap_strdup(soap, s.c_str());
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += ' ';
    out += s;
  }
  return out;
}

// gSOAP hands QNames back as "prefix:local" when the namespace is in our
// table and as "\"URI\":local" when it is not; either way the namespace is
// the one the message declared, so matching never depends on the prefix.
std::vector<QName> resolveQNames(const char* text, std::size_t max_items) {
  std::vector<QName> out;
  if (!text) return out;
  for (const std::string& item : splitList(text, max_items)) {
    QName q;
    if (item[0] == '"') {
      std::size_t close = item.find('"', 1);
      if (close == std::string::npos || close + 1 >= item.size() || item[close + 1] != ':') {
        q.local = item;
      } else {
        q.ns = item.substr(1, close - 1);
        q.local = item.substr(close + 2);
      }
    } else {
      std::size_t colon = item.find(':');
      if (colon == std::string::npos) {
        q.local = item;  // no namespace: matches none of our types
      } else {
        std::string prefix = item.substr(0, colon);
        q.local = item.substr(colon + 1);
        q.ns = "urn:unresolved-prefix:" + prefix;
        for (const Namespace* ns = kNamespaces; ns->id; ++ns)
          if (prefix == ns->id) q.ns = ns->ns;
      }
    }
    out.push_back(q);
  }
  return out;
}

}  // namespace

Codec::Codec(CodecLimits limits) : soap_(onvif::soap::newSoapContext()), limits_(limits) {
  soap_set_namespaces(soap_.get(), kNamespaces);
  soap_->user = this;
  soap_->frecv = &Codec::readInput;
  soap_->fsend = &Codec::writeOutput;
  soap_->maxlevel = limits_.max_depth;
  soap_->maxlength = limits_.max_string;
  soap_->maxoccurs = limits_.max_items;
}

Codec::~Codec() = default;

std::size_t Codec::readInput(struct ::soap* soap, char* buf, std::size_t n) {
  Codec* self = static_cast<Codec*>(soap->user);
  std::size_t left = self->in_len_ - self->in_pos_;
  std::size_t k = n < left ? n : left;
  memcpy(buf, self->in_ + self->in_pos_, k);
  self->in_pos_ += k;
  return k;
}

int Codec::writeOutput(struct ::soap* soap, const char* s, std::size_t n) {
  static_cast<Codec*>(soap->user)->out_.append(s, n);
  return SOAP_OK;
}

bool Codec::parse(const char* data, std::size_t len, Inbound* out) {
  soap::RequestScope scope(soap_.get());
  *out = Inbound();
  in_ = data;
  in_len_ = len;
  in_pos_ = 0;
  soap_begin(soap_.get());
  soap_set_imode(soap_.get(), SOAP_IO_UDP);
  soap_->header = nullptr;
  bool ok = false;
  if (soap_begin_recv(soap_.get()) == SOAP_OK && soap_envelope_begin_in(soap_.get()) == SOAP_OK &&
      soap_recv_header(soap_.get()) == SOAP_OK && soap_body_begin_in(soap_.get()) == SOAP_OK) {
    ok = true;
    if (soap_peek_element(soap_.get()) == SOAP_OK) {
      if (!soap_match_tag(soap_.get(), soap_->tag, "wsdd:Probe")) {
        struct __wsdd__Probe req;
        soap_default___wsdd__Probe(soap_.get(), &req);
        if (soap_get___wsdd__Probe(soap_.get(), &req, "-wsdd:Probe", nullptr) && req.wsdd__Probe) {
          out->kind = Inbound::Kind::Probe;
          out->types = resolveQNames(req.wsdd__Probe->Types, limits_.max_items);
          if (req.wsdd__Probe->Scopes) {
            if (req.wsdd__Probe->Scopes->__item)
              out->scopes = splitList(req.wsdd__Probe->Scopes->__item, limits_.max_items);
            if (req.wsdd__Probe->Scopes->MatchBy) out->match_by = req.wsdd__Probe->Scopes->MatchBy;
          }
        } else {
          ok = false;
        }
      } else if (!soap_match_tag(soap_.get(), soap_->tag, "wsdd:Resolve")) {
        struct __wsdd__Resolve req;
        soap_default___wsdd__Resolve(soap_.get(), &req);
        if (soap_get___wsdd__Resolve(soap_.get(), &req, "-wsdd:Resolve", nullptr) && req.wsdd__Resolve &&
            req.wsdd__Resolve->wsa__EndpointReference.Address) {
          out->kind = Inbound::Kind::Resolve;
          out->endpoint_reference = req.wsdd__Resolve->wsa__EndpointReference.Address;
        } else {
          ok = false;
        }
      }
    }
    // The rest of the envelope must be well-formed too (a truncated Probe is
    // not answered).
    if (ok && out->kind != Inbound::Kind::Other &&
        (soap_body_end_in(soap_.get()) || soap_envelope_end_in(soap_.get()) || soap_end_recv(soap_.get())))
      ok = false;
  }
  if (ok && soap_->header) {
    if (soap_->header->wsa__MessageID) out->message_id = soap_->header->wsa__MessageID;
    if (soap_->header->wsa__ReplyTo && soap_->header->wsa__ReplyTo->Address)
      out->reply_to = soap_->header->wsa__ReplyTo->Address;
  }
  soap_->header = nullptr;
  in_ = nullptr;
  return ok;
}

std::string Codec::write(const Outbound& msg) {
  soap::RequestScope scope(soap_.get());
  out_.clear();
  soap_begin(soap_.get());
  soap_set_omode(soap_.get(), SOAP_IO_UDP);
  soap_->encodingStyle = nullptr;

  static const char* kActions[] = {
      "http://schemas.xmlsoap.org/ws/2005/04/discovery/Hello",
      "http://schemas.xmlsoap.org/ws/2005/04/discovery/Bye",
      "http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches",
      "http://schemas.xmlsoap.org/ws/2005/04/discovery/ResolveMatches",
      "http://schemas.xmlsoap.org/ws/2005/04/discovery/fault",
  };
  struct SOAP_ENV__Header header;
  soap_default_SOAP_ENV__Header(soap_.get(), &header);
  header.wsa__MessageID = dup(soap_.get(), msg.message_id);
  header.wsa__To = dup(soap_.get(), msg.to);
  header.wsa__Action = const_cast<char*>(kActions[static_cast<int>(msg.kind)]);
  struct wsa__Relationship relates;
  if (!msg.relates_to.empty()) {
    soap_default_wsa__Relationship(soap_.get(), &relates);
    relates.__item = dup(soap_.get(), msg.relates_to);
    header.wsa__RelatesTo = &relates;
  }
  struct wsdd__AppSequenceType sequence;
  soap_default_wsdd__AppSequenceType(soap_.get(), &sequence);
  sequence.InstanceId = msg.instance_id;
  sequence.MessageNumber = msg.message_number;
  if (msg.kind != Outbound::Kind::MatchingRuleFault) header.wsdd__AppSequence = &sequence;
  soap_->header = &header;

  const Announcement& a = msg.about;
  struct wsdd__ScopesType scopes;
  soap_default_wsdd__ScopesType(soap_.get(), &scopes);
  scopes.__item = dup(soap_.get(), joined(a.scopes));
  char* types = dup(soap_.get(), a.types);
  char* xaddrs = a.xaddrs.empty() ? nullptr : dup(soap_.get(), joined(a.xaddrs));
  char* address = dup(soap_.get(), a.endpoint_reference);

  struct wsdd__HelloType hello;
  struct wsdd__ByeType bye;
  struct wsdd__ProbeMatchType probe_match;
  struct wsdd__ProbeMatchesType probe_matches;
  struct wsdd__ResolveMatchType resolve_match;
  struct wsdd__ResolveMatchesType resolve_matches;
  struct __wsdd__Hello hello_msg;
  struct __wsdd__Bye bye_msg;
  struct __wsdd__ProbeMatches probe_msg;
  struct __wsdd__ResolveMatches resolve_msg;
  struct SOAP_ENV__Fault fault;
  struct SOAP_ENV__Code code, subcode;
  struct SOAP_ENV__Reason reason;
  struct SOAP_ENV__Detail detail;

  soap_serializeheader(soap_.get());
  switch (msg.kind) {
    case Outbound::Kind::Hello:
      soap_default_wsdd__HelloType(soap_.get(), &hello);
      hello.wsa__EndpointReference.Address = address;
      hello.Types = types;
      hello.Scopes = &scopes;
      hello.XAddrs = xaddrs;
      hello.MetadataVersion = a.metadata_version;
      soap_default___wsdd__Hello(soap_.get(), &hello_msg);
      hello_msg.wsdd__Hello = &hello;
      soap_serialize___wsdd__Hello(soap_.get(), &hello_msg);
      break;
    case Outbound::Kind::Bye:
      // WS-Discovery: Bye carries only the endpoint reference.
      soap_default_wsdd__ByeType(soap_.get(), &bye);
      bye.wsa__EndpointReference.Address = address;
      soap_default___wsdd__Bye(soap_.get(), &bye_msg);
      bye_msg.wsdd__Bye = &bye;
      soap_serialize___wsdd__Bye(soap_.get(), &bye_msg);
      break;
    case Outbound::Kind::ProbeMatches:
      soap_default_wsdd__ProbeMatchType(soap_.get(), &probe_match);
      probe_match.wsa__EndpointReference.Address = address;
      probe_match.Types = types;
      probe_match.Scopes = &scopes;
      probe_match.XAddrs = xaddrs;
      probe_match.MetadataVersion = a.metadata_version;
      soap_default_wsdd__ProbeMatchesType(soap_.get(), &probe_matches);
      probe_matches.__sizeProbeMatch = 1;
      probe_matches.ProbeMatch = &probe_match;
      soap_default___wsdd__ProbeMatches(soap_.get(), &probe_msg);
      probe_msg.wsdd__ProbeMatches = &probe_matches;
      soap_serialize___wsdd__ProbeMatches(soap_.get(), &probe_msg);
      break;
    case Outbound::Kind::ResolveMatches:
      soap_default_wsdd__ResolveMatchType(soap_.get(), &resolve_match);
      resolve_match.wsa__EndpointReference.Address = address;
      resolve_match.Types = types;
      resolve_match.Scopes = &scopes;
      resolve_match.XAddrs = xaddrs;
      resolve_match.MetadataVersion = a.metadata_version;
      soap_default_wsdd__ResolveMatchesType(soap_.get(), &resolve_matches);
      resolve_matches.ResolveMatch = &resolve_match;
      soap_default___wsdd__ResolveMatches(soap_.get(), &resolve_msg);
      resolve_msg.wsdd__ResolveMatches = &resolve_matches;
      soap_serialize___wsdd__ResolveMatches(soap_.get(), &resolve_msg);
      break;
    case Outbound::Kind::MatchingRuleFault: {
      // ONVIF Core "SOAP Fault Messages": s12:Sender / d:MatchingRuleNotSupported,
      // as the fault table says. Built here, not by soap::fault(): this
      // answer goes out over UDP, outside any HTTP exchange.
      const soap::FaultSpec& spec = soap::faultSpec(soap::ErrorKind::MatchingRuleNotSupported);
      soap_default_SOAP_ENV__Fault(soap_.get(), &fault);
      soap_default_SOAP_ENV__Code(soap_.get(), &code);
      soap_default_SOAP_ENV__Code(soap_.get(), &subcode);
      soap_default_SOAP_ENV__Reason(soap_.get(), &reason);
      soap_default_SOAP_ENV__Detail(soap_.get(), &detail);
      code.SOAP_ENV__Value = const_cast<char*>(spec.sender ? "SOAP-ENV:Sender" : "SOAP-ENV:Receiver");
      subcode.SOAP_ENV__Value = const_cast<char*>(spec.subcode);
      code.SOAP_ENV__Subcode = &subcode;
      reason.SOAP_ENV__Text = const_cast<char*>(spec.reason);
      std::string rules = std::string("<wsdd:SupportedMatchingRules>") + kMatchByRfc3986 + " " +
                          kMatchByStrcmp + "</wsdd:SupportedMatchingRules>";
      detail.__any = dup(soap_.get(), rules);
      fault.SOAP_ENV__Code = &code;
      fault.SOAP_ENV__Reason = &reason;
      fault.SOAP_ENV__Detail = &detail;
      soap_serialize_SOAP_ENV__Fault(soap_.get(), &fault);
      break;
    }
  }

  int err = soap_begin_send(soap_.get()) || soap_envelope_begin_out(soap_.get()) ||
            soap_putheader(soap_.get()) || soap_body_begin_out(soap_.get());
  if (!err) {
    switch (msg.kind) {
      case Outbound::Kind::Hello:
        err = soap_put___wsdd__Hello(soap_.get(), &hello_msg, "-wsdd:Hello", "");
        break;
      case Outbound::Kind::Bye: err = soap_put___wsdd__Bye(soap_.get(), &bye_msg, "-wsdd:Bye", ""); break;
      case Outbound::Kind::ProbeMatches:
        err = soap_put___wsdd__ProbeMatches(soap_.get(), &probe_msg, "-wsdd:ProbeMatches", "");
        break;
      case Outbound::Kind::ResolveMatches:
        err = soap_put___wsdd__ResolveMatches(soap_.get(), &resolve_msg, "-wsdd:ResolveMatches", "");
        break;
      case Outbound::Kind::MatchingRuleFault:
        err = soap_put_SOAP_ENV__Fault(soap_.get(), &fault, "SOAP-ENV:Fault", nullptr);
        break;
    }
  }
  if (!err)
    err = soap_body_end_out(soap_.get()) || soap_envelope_end_out(soap_.get()) || soap_end_send(soap_.get());
  soap_->header = nullptr;
  if (err) out_.clear();
  return std::move(out_);
}

}  // namespace onvif::discovery
