#include "server/http_framer.hpp"

#include <cctype>
#include <cstdlib>
#include <string>

namespace onvif::server {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

bool icontainsToken(std::string_view list, std::string_view token) {
  std::size_t pos = 0;
  while (pos <= list.size()) {
    std::size_t comma = list.find(',', pos);
    if (comma == std::string_view::npos) comma = list.size();
    std::string_view item = list.substr(pos, comma - pos);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (iequals(item, token)) return true;
    pos = comma + 1;
  }
  return false;
}

// SOAP travels as application/soap+xml (1.2) or text/xml (1.1); other XML
// types are tolerated because some clients send them. Anything else (JSON,
// forms, plain text) is not a SOAP request: 415.
bool isXmlMediaType(std::string_view value) {
  std::size_t semi = value.find(';');
  std::string_view type = value.substr(0, semi);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  if (iequals(type, "application/soap+xml") || iequals(type, "text/xml") || iequals(type, "application/xml"))
    return true;
  return type.size() > 4 && iequals(type.substr(type.size() - 4), "+xml");
}

Frame error(Frame f, int status) {
  f.state = Frame::State::Error;
  f.http_status = status;
  return f;
}

// Length of a complete chunked body starting at `body`, or -1 if incomplete,
// or -2 if malformed. Trailers are allowed and skipped.
long long chunkedLength(std::string_view body, std::int64_t max_body) {
  std::size_t pos = 0;
  std::int64_t total = 0;
  for (;;) {
    std::size_t eol = body.find("\r\n", pos);
    if (eol == std::string_view::npos) return body.size() - pos > 64 ? -2 : -1;
    std::string_view sizeLine = body.substr(pos, eol - pos);
    std::size_t semi = sizeLine.find(';');
    if (semi != std::string_view::npos) sizeLine = sizeLine.substr(0, semi);
    while (!sizeLine.empty() && sizeLine.back() == ' ') sizeLine.remove_suffix(1);
    if (sizeLine.empty() || sizeLine.size() > 8) return -2;
    std::int64_t size = 0;
    for (char c : sizeLine) {
      if (!std::isxdigit(static_cast<unsigned char>(c))) return -2;
      size =
          size * 16 + (std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : (std::tolower(c) - 'a' + 10));
    }
    total += size;
    if (total > max_body) return -3;
    pos = eol + 2;
    if (size == 0) {
      // trailer section: header lines until an empty line
      for (;;) {
        std::size_t end = body.find("\r\n", pos);
        if (end == std::string_view::npos) return -1;
        if (end == pos) return static_cast<long long>(end + 2);
        pos = end + 2;
      }
    }
    if (body.size() < pos + size + 2) return -1;
    if (body.substr(pos + size, 2) != "\r\n") return -2;
    pos += size + 2;
  }
}

}  // namespace

Frame frameRequest(std::string_view data, const FramingLimits& limits) {
  Frame f;
  // Tolerate stray CRLFs before a request line (RFC 9112 2.2).
  std::size_t start = 0;
  while (start + 1 < data.size() && data[start] == '\r' && data[start + 1] == '\n') start += 2;
  std::size_t headerEnd = data.find("\r\n\r\n", start);
  if (headerEnd == std::string_view::npos) {
    if (data.size() - start > limits.max_header_bytes) return error(f, 431);
    return f;
  }
  if (headerEnd - start > limits.max_header_bytes) return error(f, 431);
  f.headers_complete = true;

  std::string_view head = data.substr(start, headerEnd - start);
  std::size_t lineEnd = head.find("\r\n");
  std::string_view requestLine = head.substr(0, lineEnd);
  std::size_t sp1 = requestLine.find(' ');
  std::size_t sp2 = requestLine.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1) return error(f, 400);
  std::string_view method = requestLine.substr(0, sp1);
  std::string_view version = requestLine.substr(sp2 + 1);
  if (version != "HTTP/1.1" && version != "HTTP/1.0")
    return error(f, version.substr(0, 5) == "HTTP/" ? 505 : 400);
  bool http10 = version == "HTTP/1.0";

  bool haveLength = false, chunked = false, keepAliveToken = false;
  std::int64_t contentLength = 0;
  std::size_t pos = lineEnd == std::string_view::npos ? head.size() : lineEnd + 2;
  while (pos < head.size()) {
    std::size_t eol = head.find("\r\n", pos);
    if (eol == std::string_view::npos) eol = head.size();
    std::string_view line = head.substr(pos, eol - pos);
    pos = eol + 2;
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return error(f, 400);
    std::string_view name = line.substr(0, colon);
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    if (iequals(name, "Content-Length")) {
      if (value.empty() || value.size() > 18) return error(f, 400);
      std::int64_t n = 0;
      for (char c : value) {
        if (c < '0' || c > '9') return error(f, 400);
        n = n * 10 + (c - '0');
      }
      if (haveLength && n != contentLength) return error(f, 400);  // request smuggling guard
      haveLength = true;
      contentLength = n;
    } else if (iequals(name, "Transfer-Encoding")) {
      if (!icontainsToken(value, "chunked")) return error(f, 501);
      chunked = true;
    } else if (iequals(name, "Content-Type")) {
      if (!isXmlMediaType(value)) return error(f, 415);
    } else if (iequals(name, "Expect")) {
      f.expect_continue = iequals(value, "100-continue");
    } else if (iequals(name, "Authorization") || iequals(name, "Proxy-Authorization")) {
      f.credentials = true;
    } else if (iequals(name, "Connection")) {
      if (icontainsToken(value, "close")) f.client_wants_close = true;
      if (icontainsToken(value, "keep-alive")) keepAliveToken = true;
    }
  }
  if (http10 && !keepAliveToken) f.client_wants_close = true;
  if (chunked && haveLength) return error(f, 400);  // RFC 9112 6.1: ambiguous framing

  std::size_t bodyStart = headerEnd + 4;
  if (chunked) {
    f.credentials = true;
    long long n = chunkedLength(data.substr(bodyStart), limits.max_body_bytes);
    if (n == -3) return error(f, 413);
    if (n == -2) return error(f, 400);
    if (n == -1) return f;
    f.state = Frame::State::Complete;
    f.length = bodyStart + static_cast<std::size_t>(n);
    return f;
  }
  if (!haveLength) {
    // A body needs a length; methods without one (GET) have none.
    if (method == "POST" || method == "PUT") return error(f, 411);
    contentLength = 0;
  }
  if (contentLength > limits.max_body_bytes) return error(f, 413);
  if (data.size() - bodyStart < static_cast<std::size_t>(contentLength)) return f;
  f.state = Frame::State::Complete;
  f.length = bodyStart + static_cast<std::size_t>(contentLength);
  return f;
}

}  // namespace onvif::server
