#pragma once
// Syntax checks for what clients send to the device service. Pure functions
// (no system state), so they are unit-tested on their own.
#include <string>

namespace onvif::core {

// Dotted-quad IPv4 address (inet_pton rules: exactly four decimal parts).
bool isIPv4Address(const std::string& text);
// IPv6 address text (RFC 4291 section 2.2), no zone index, no prefix.
bool isIPv6Address(const std::string& text);
// Host name per RFC 1123 section 2.1 (labels of letters, digits and hyphens,
// 1-63 characters, not starting or ending with a hyphen; 253 in total). A
// single trailing dot is not accepted: ONVIF carries plain names.
bool isHostname(const std::string& text);
// A scope item: an absolute URI (RFC 3986 scheme ":" rest), printable
// ASCII without spaces, at most 512 bytes.
bool isScopeUri(const std::string& text);
// xs:duration as ONVIF uses it for relay delay times (PnDTnHnMn.nS), into
// milliseconds; false when malformed or longer than a day.
bool parseDuration(const std::string& text, long long* ms);

}  // namespace onvif::core
