#include "security/username_token.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cstdio>
#include <cstring>
#include <ctime>

namespace onvif::security {

const char kPasswordDigestType[] =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest";
const char kPasswordTextType[] =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText";

namespace {

const char kHexBinary[] =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#HexBinary";

bool base64Decode(const std::string& in, std::string* out) {
  std::string s;
  for (char c : in) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') s += c;
  }
  if (s.empty() || s.size() % 4 != 0 || s.size() > 4096) return false;
  std::string buf(s.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(&buf[0]),
                          reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
  if (n < 0) return false;
  std::size_t pad =
      (s[s.size() - 1] == '=') + (s[s.size() - 2] == '=');  // EVP_DecodeBlock keeps them as zeros
  buf.resize(static_cast<std::size_t>(n) - pad);
  *out = std::move(buf);
  return true;
}

bool hexDecode(const std::string& in, std::string* out) {
  if (in.empty() || in.size() % 2 != 0 || in.size() > 4096) return false;
  std::string buf;
  for (std::size_t i = 0; i < in.size(); i += 2) {
    unsigned v;
    if (std::sscanf(in.c_str() + i, "%2x", &v) != 1 || !isxdigit(in[i]) || !isxdigit(in[i + 1])) return false;
    buf += static_cast<char>(v);
  }
  *out = std::move(buf);
  return true;
}

// The digest implementations, fetched from OpenSSL's provider once: the
// one-shot SHA1()/SHA256() of OpenSSL 3 look the algorithm up on every call,
// which cost more than the hashing of a token (~8,000 instructions each).
// Never freed: they live as long as the process.
const EVP_MD* sha1Md() {
  static const EVP_MD* md = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  return md;
}

const EVP_MD* sha256Md() {
  static const EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

std::string sha256(const std::string& s) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  unsigned int n = 0;
  if (!EVP_Digest(s.data(), s.size(), md, &n, sha256Md(), nullptr) || n != sizeof md) return std::string();
  return std::string(reinterpret_cast<char*>(md), sizeof md);
}

}  // namespace

bool constantTimeEquals(const std::string& a, const std::string& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool parseXsdDateTime(const std::string& text, std::chrono::system_clock::time_point* out) {
  std::tm tm{};
  int consumed = 0;
  if (text.size() > 64 ||
      std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6 ||
      consumed != 19) {
    return false;
  }
  if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
      tm.tm_min > 59 || tm.tm_sec > 60 || tm.tm_year < 1970) {
    return false;
  }
  const char* p = text.c_str() + consumed;
  if (*p == '.') {  // fraction of a second: ignored (freshness is judged in seconds)
    p++;
    if (!isdigit(static_cast<unsigned char>(*p))) return false;
    while (isdigit(static_cast<unsigned char>(*p))) p++;
  }
  long offset_s = 0;
  if (*p == 'Z') {
    p++;
  } else if (*p == '+' || *p == '-') {
    int hh, mm, n = 0;
    if (std::sscanf(p + 1, "%2d:%2d%n", &hh, &mm, &n) != 2 || n != 5 || hh > 14 || mm > 59) return false;
    offset_s = (hh * 3600L + mm * 60L) * (*p == '-' ? -1 : 1);
    p += 6;
  }
  if (*p != '\0') return false;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  time_t t = timegm(&tm);
  if (t == static_cast<time_t>(-1)) return false;
  *out = std::chrono::system_clock::from_time_t(t - offset_s);
  return true;
}

std::string passwordDigest(const std::string& nonce_bytes, const std::string& created,
                           const std::string& password) {
  std::string input = nonce_bytes + created + password;
  unsigned char md[SHA_DIGEST_LENGTH];
  unsigned int mdLen = 0;
  if (!EVP_Digest(input.data(), input.size(), md, &mdLen, sha1Md(), nullptr) || mdLen != sizeof md)
    return std::string();
  unsigned char b64[4 * ((SHA_DIGEST_LENGTH + 2) / 3) + 1];
  int n = EVP_EncodeBlock(b64, md, SHA_DIGEST_LENGTH);
  return std::string(reinterpret_cast<char*>(b64), static_cast<std::size_t>(n));
}

bool decodeNonce(const UsernameTokenFields& token, std::string* bytes) {
  if (!token.has_nonce) return false;
  bool ok =
      token.nonce_encoding == kHexBinary ? hexDecode(token.nonce, bytes) : base64Decode(token.nonce, bytes);
  return ok && !bytes->empty();
}

TokenCheck checkUsernameToken(const UsernameTokenFields& token, const std::string& password,
                              std::chrono::system_clock::time_point now, std::chrono::seconds window) {
  std::string nonce;
  std::chrono::system_clock::time_point created;
  if (!token.has_password || !token.has_created || !decodeNonce(token, &nonce) ||
      !parseXsdDateTime(token.created, &created)) {
    return TokenCheck::Malformed;
  }
  // Both directions: a client clock slightly ahead of ours is not an attack.
  if (created > now + window || created < now - window) return TokenCheck::Stale;
  if (token.password_type.empty() || token.password_type == kPasswordTextType) {
    // Hash both sides first, so the comparison takes the same time whatever
    // the lengths.
    const std::string sent = sha256(token.password);
    return !sent.empty() && constantTimeEquals(sent, sha256(password)) ? TokenCheck::Ok
                                                                       : TokenCheck::BadPassword;
  }
  if (token.password_type != kPasswordDigestType) return TokenCheck::Malformed;
  std::string expected = passwordDigest(nonce, token.created, password);
  std::string sent;
  for (char c : token.password) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') sent += c;
  }
  // Every expected digest has the same length (Base64 of 20 bytes), so
  // comparing lengths first tells nothing about the password; the bytes are
  // compared in constant time.
  return !expected.empty() && constantTimeEquals(sent, expected) ? TokenCheck::Ok : TokenCheck::BadPassword;
}

}  // namespace onvif::security
