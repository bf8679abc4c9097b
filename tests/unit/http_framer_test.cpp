#include "server/http_framer.hpp"

#include <doctest/doctest.h>

#include <string>

using onvif::server::Frame;
using onvif::server::frameRequest;
using onvif::server::FramingLimits;

namespace {
const std::string kBody = "<x/>";
std::string post(const std::string& extraHeaders, const std::string& body) {
  return "POST /onvif/device_service HTTP/1.1\r\nHost: a\r\n" + extraHeaders + "\r\n" + body;
}
}  // namespace

TEST_CASE("framer: complete request with Content-Length, and a pipelined follower") {
  std::string one = post("Content-Length: 4\r\n", kBody);
  Frame f = frameRequest(one + one, FramingLimits{});
  CHECK(f.state == Frame::State::Complete);
  CHECK(f.length == one.size());
  CHECK_FALSE(f.client_wants_close);
}

TEST_CASE("framer: incomplete headers and incomplete body wait for more") {
  std::string req = post("Content-Length: 4\r\n", kBody);
  Frame f = frameRequest(req.substr(0, 20), FramingLimits{});
  CHECK(f.state == Frame::State::Incomplete);
  CHECK_FALSE(f.headers_complete);
  f = frameRequest(req.substr(0, req.size() - 1), FramingLimits{});
  CHECK(f.state == Frame::State::Incomplete);
  CHECK(f.headers_complete);
}

TEST_CASE("framer: limits and malformed framing are errors with the right status") {
  FramingLimits small;
  small.max_body_bytes = 10;
  CHECK(frameRequest(post("Content-Length: 11\r\n", ""), small).http_status == 413);
  CHECK(frameRequest(post("", ""), FramingLimits{}).http_status == 411);
  CHECK(frameRequest(post("Content-Length: 4x\r\n", kBody), FramingLimits{}).http_status == 400);
  CHECK(
      frameRequest(post("Content-Length: 4\r\nContent-Length: 5\r\n", kBody), FramingLimits{}).http_status ==
      400);
  CHECK(frameRequest(post("Content-Length: 4\r\nTransfer-Encoding: chunked\r\n", kBody), FramingLimits{})
            .http_status == 400);
  CHECK(frameRequest(post("Transfer-Encoding: gzip\r\n", kBody), FramingLimits{}).http_status == 501);
  CHECK(frameRequest("GARBAGE\r\n\r\n", FramingLimits{}).http_status == 400);
  CHECK(frameRequest("POST / HTTP/2.0\r\n\r\n", FramingLimits{}).http_status == 505);
  FramingLimits tinyHeaders;
  tinyHeaders.max_header_bytes = 64;
  CHECK(frameRequest(post("X-Long: " + std::string(100, 'a') + "\r\n", ""), tinyHeaders).http_status == 431);
  CHECK(frameRequest(std::string(100, 'a'), tinyHeaders).http_status ==
        431);  // no header end yet, already too big
}

TEST_CASE("framer: chunked bodies, with extensions and trailers") {
  std::string req = post("Transfer-Encoding: chunked\r\n", "4;ext=1\r\n<x/>\r\n0\r\nTrailer: v\r\n\r\n");
  Frame f = frameRequest(req + "NEXT", FramingLimits{});
  CHECK(f.state == Frame::State::Complete);
  CHECK(f.length == req.size());
  CHECK(frameRequest(req.substr(0, req.size() - 2), FramingLimits{}).state == Frame::State::Incomplete);
  CHECK(frameRequest(post("Transfer-Encoding: chunked\r\n", "zz\r\n"), FramingLimits{}).http_status == 400);
  FramingLimits small;
  small.max_body_bytes = 3;
  CHECK(frameRequest(req, small).http_status == 413);
}

TEST_CASE("framer: Connection and Expect headers") {
  CHECK(frameRequest(post("Connection: close\r\nContent-Length: 0\r\n", ""), FramingLimits{})
            .client_wants_close);
  CHECK(frameRequest(post("Connection: Keep-Alive, Close\r\nContent-Length: 0\r\n", ""), FramingLimits{})
            .client_wants_close);
  std::string http10 = "POST / HTTP/1.0\r\nContent-Length: 0\r\n\r\n";
  CHECK(frameRequest(http10, FramingLimits{}).client_wants_close);
  std::string http10ka = "POST / HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n";
  CHECK_FALSE(frameRequest(http10ka, FramingLimits{}).client_wants_close);
  Frame f = frameRequest(post("Expect: 100-continue\r\nContent-Length: 4\r\n", ""), FramingLimits{});
  CHECK(f.expect_continue);
  CHECK(f.state == Frame::State::Incomplete);
}

TEST_CASE("framer: GET without a body is complete at the end of the headers") {
  Frame f = frameRequest("GET /onvif/device_service HTTP/1.1\r\nHost: a\r\n\r\n", FramingLimits{});
  CHECK(f.state == Frame::State::Complete);
}

TEST_CASE("framer: only XML media types are SOAP requests") {
  CHECK(frameRequest(post("Content-Type: application/json\r\nContent-Length: 4\r\n", kBody), FramingLimits{})
            .http_status == 415);
  CHECK(frameRequest(post("Content-Type: text/plain\r\nContent-Length: 4\r\n", kBody), FramingLimits{})
            .http_status == 415);
  for (const char* ok : {"application/soap+xml; charset=utf-8; action=\"x\"", "text/xml; charset=utf-8",
                         "application/soap+xml; charset=utf-8;", "Application/SOAP+XML", "application/xml"}) {
    CAPTURE(ok);
    CHECK(frameRequest(post(std::string("Content-Type: ") + ok + "\r\nContent-Length: 4\r\n", kBody),
                       FramingLimits{})
              .state == Frame::State::Complete);
  }
}

TEST_CASE("framer: a request that may carry HTTP credentials is marked") {
  CHECK_FALSE(frameRequest(post("Content-Length: 4\r\n", kBody), FramingLimits{}).credentials);
  CHECK(frameRequest(post("Authorization: Digest username=\"a\"\r\nContent-Length: 4\r\n", kBody),
                     FramingLimits{})
            .credentials);
  CHECK(frameRequest(post("authorization: Basic YTpi\r\nContent-Length: 4\r\n", kBody), FramingLimits{})
            .credentials);
  CHECK(frameRequest(post("Proxy-Authorization: Basic YTpi\r\nContent-Length: 4\r\n", kBody), FramingLimits{})
            .credentials);
  // A header whose name only contains the word is not one.
  CHECK_FALSE(frameRequest(post("X-Authorization-Hint: no\r\nContent-Length: 4\r\n", kBody), FramingLimits{})
                  .credentials);
  // gSOAP's chunked reader is not looked into: such a request is treated as
  // possibly carrying credentials.
  CHECK(frameRequest(post("Transfer-Encoding: chunked\r\n", "4\r\n<x/>\r\n0\r\n\r\n"), FramingLimits{})
            .credentials);
}
