#pragma once
// Finds where one HTTP/1.x request ends in a byte buffer, so the reactor can
// buffer a whole request before a worker (and gSOAP, which parses it for real)
// sees it. Only framing: request line, Content-Length, Transfer-Encoding:
// chunked, Expect and Connection. A slow or stuck client therefore costs a
// buffer, never a worker thread.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace onvif::server {

struct FramingLimits {
  std::size_t max_header_bytes = 16 * 1024;
  std::int64_t max_body_bytes = 1 << 20;
};

struct Frame {
  enum class State { Incomplete, Complete, Error };
  State state = State::Incomplete;
  std::size_t length = 0;           // Complete: bytes of this request (headers + body)
  int http_status = 0;              // Error: status to answer with (400, 411, 413, 415, 431, 501, 505)
  bool headers_complete = false;    // the blank line after the headers was seen
  bool expect_continue = false;     // "Expect: 100-continue"
  bool client_wants_close = false;  // "Connection: close", or HTTP/1.0 without keep-alive
  // An Authorization or Proxy-Authorization header, or a chunked body (whose
  // trailer is not looked at): the request may carry HTTP credentials.
  bool credentials = false;
};

// Examines `data` (the start of a request, possibly followed by more).
Frame frameRequest(std::string_view data, const FramingLimits& limits);

}  // namespace onvif::server
