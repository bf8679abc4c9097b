#pragma once
// WS-Security UsernameToken verification (OASIS UsernameToken Profile 1.0;
// ONVIF Core spec "Username token profile": a token without both Nonce and
// Created is rejected). Pure functions over the token's text fields, so they
// can be tested with known vectors; gSOAP's parser fills the fields.
//
// Why not soap_wsse_verify_Password: it compares with memcmp/strcmp (not
// constant-time) and keeps its own unbounded, host-clock replay database,
// while the device clock (SetSystemDateAndTime) and the replay policy that
// real clients need (replay_cache.hpp) are ours.
#include <chrono>
#include <string>

namespace onvif::security {

struct UsernameTokenFields {
  std::string username;
  bool has_password = false;
  std::string password;       // digest (Base64) or text, as sent
  std::string password_type;  // Type attribute; empty means PasswordText
  bool has_nonce = false;
  std::string nonce;  // as sent (Base64 unless nonce_encoding says hex)
  std::string nonce_encoding;
  bool has_created = false;
  std::string created;  // xsd:dateTime
};

enum class TokenCheck {
  Ok,
  Malformed,    // missing Nonce/Created/Password, undecodable nonce, bad Created
  Stale,        // Created outside the allowed window of the device clock
  BadPassword,  // digest or text does not match
};

extern const char kPasswordDigestType[];  // ...#PasswordDigest
extern const char kPasswordTextType[];    // ...#PasswordText

// xsd:dateTime "2026-11-26T16:37:13Z", "...13.062Z", "...13+00:00"; no zone = UTC.
bool parseXsdDateTime(const std::string& text, std::chrono::system_clock::time_point* out);

// Base64(SHA-1(nonce bytes + created + password)), as the profile defines.
std::string passwordDigest(const std::string& nonce_bytes, const std::string& created,
                           const std::string& password);

// Nonce bytes from the token (Base64 or hex); false if undecodable or empty.
bool decodeNonce(const UsernameTokenFields& token, std::string* bytes);

// Checks structure, freshness (|now - Created| <= window) and the password
// against `password` in constant time.
TokenCheck checkUsernameToken(const UsernameTokenFields& token, const std::string& password,
                              std::chrono::system_clock::time_point now, std::chrono::seconds window);

// Constant-time equality of two byte strings (lengths are not secret).
bool constantTimeEquals(const std::string& a, const std::string& b);

}  // namespace onvif::security
