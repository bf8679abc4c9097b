#pragma once
// Which Probes this device matches (WS-Discovery 2005/04 §5.1, ONVIF Core
// "Probe and Probe Match"): every Type the probe asks for must be one of ours,
// compared as resolved (namespace URI, local name) pairs, never by prefix;
// every Scope it asks for must match one of ours under the probe's rule.
#include <string>
#include <vector>

namespace onvif::discovery {

constexpr const char* kMatchByRfc3986 = "http://schemas.xmlsoap.org/ws/2005/04/discovery/rfc3986";
constexpr const char* kMatchByStrcmp = "http://schemas.xmlsoap.org/ws/2005/04/discovery/strcmp0";

enum class MatchRule { Rfc3986, Strcmp, Unsupported };

// Absent or empty MatchBy means rfc3986 (ONVIF replaces WS-Discovery's RFC 2396 default).
MatchRule parseMatchBy(const std::string& match_by);

// True when `probe` (S1) matches `device` (S2) under `rule`.
//  rfc3986: scheme and authority equal ignoring case; the path segments of S1
//           equal (case-sensitively, after normalising percent-encoding) the
//           first segments of S2; "." or ".." segments never match; a query
//           or fragment in S1 must equal S2's.
//  strcmp0: the strings are identical.
bool scopeMatches(const std::string& probe, const std::string& device, MatchRule rule);

// Every probe scope matches at least one device scope (an empty list matches).
bool scopesMatch(const std::vector<std::string>& probe, const std::vector<std::string>& device,
                 MatchRule rule);

struct QName {
  std::string ns;     // namespace URI, resolved from the message's prefix
  std::string local;  // local name
  bool operator==(const QName& o) const { return ns == o.ns && local == o.local; }
};

// The Types this device announces: tds:Device (required by ONVIF) and
// dn:NetworkVideoTransmitter.
const std::vector<QName>& deviceTypes();

// Every probe type is one of ours (an empty list matches).
bool typesMatch(const std::vector<QName>& probe);

// Splits a whitespace-separated list (Scopes, XAddrs).
std::vector<std::string> splitList(const std::string& text, std::size_t max_items);

}  // namespace onvif::discovery
