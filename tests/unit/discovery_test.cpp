#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/config.hpp"
#include "discovery/codec.hpp"
#include "discovery/matching.hpp"

using namespace onvif::discovery;

namespace {

const std::vector<std::string> kDeviceScopes = {
    "onvif://www.onvif.org/Profile/Streaming",      "onvif://www.onvif.org/hardware/D1-566",
    "onvif://www.onvif.org/location/country/china", "onvif://www.onvif.org/location/city/bejing",
    "onvif://www.onvif.org/name/ARV-453",           "onvif://www.onvif.org/name/My%20Camera",
};

std::string envelope(const std::string& header, const std::string& body, const std::string& extra_ns = "") {
  return "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
         "xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" "
         "xmlns:d=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\"" +
         extra_ns + "><s:Header>" + header + "</s:Header><s:Body>" + body + "</s:Body></s:Envelope>";
}

const char* kProbeHeader =
    "<a:Action s:mustUnderstand=\"1\">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action>"
    "<a:MessageID>urn:uuid:0a6dc791-2be6-4991-9af1-454778a1917a</a:MessageID>"
    "<a:To s:mustUnderstand=\"1\">urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To>";

Inbound parsed(const std::string& text, bool* ok = nullptr) {
  Codec codec;
  Inbound in;
  bool r = codec.parse(text.data(), text.size(), &in);
  if (ok) *ok = r;
  return in;
}

}  // namespace

TEST_CASE("discovery: rfc3986 scope matching follows the ONVIF Core example") {
  struct Row {
    const char* probe;
    bool match;
  } rows[] = {
      {"onvif://www.onvif.org", true},
      {"onvif://www.onvif.org/", true},
      {"onvif://www.onvif.org/location/country/china", true},
      {"onvif://www.onvif.org/location", true},
      {"onvif://www.onvif.org/hardware/D1", false},   // segments compare whole, not as prefixes
      {"ONVIF://WWW.ONVIF.ORG/name/ARV-453", true},   // scheme and authority ignore case
      {"onvif://www.onvif.org/NAME/ARV-453", false},  // path segments do not
      {"onvif://www.onvif.org/name/ARV-453/extra", false},
      {"onvif://www.onvif.org/name/My%20Camera", true},
      {"onvif://www.onvif.org/name/My%20camera", false},
      {"onvif://www.onvif.org/%6Eame/ARV-453", true},  // %6E is 'n', unreserved: normalised
      {"onvif://www.onvif.org/location/./country", false},
      {"onvif://www.onvif.org/location/../name", false},
      {"onvif://other.org/name/ARV-453", false},
      {"http://www.onvif.org/name/ARV-453", false},
      {"onvif://www.onvif.org/name/ARV-453?q=1", false},
      {"not a uri", false},
      {"", false},
  };
  for (const Row& r : rows) {
    CAPTURE(r.probe);
    bool any = false;
    for (const std::string& s : kDeviceScopes) any = any || scopeMatches(r.probe, s, MatchRule::Rfc3986);
    CHECK(any == r.match);
  }
}

TEST_CASE("discovery: strcmp0 compares whole strings, case-sensitively") {
  CHECK(scopeMatches("onvif://www.onvif.org/name/ARV-453", "onvif://www.onvif.org/name/ARV-453",
                     MatchRule::Strcmp));
  CHECK_FALSE(
      scopeMatches("onvif://www.onvif.org/name", "onvif://www.onvif.org/name/ARV-453", MatchRule::Strcmp));
  CHECK_FALSE(scopeMatches("ONVIF://www.onvif.org/name/ARV-453", "onvif://www.onvif.org/name/ARV-453",
                           MatchRule::Strcmp));
}

TEST_CASE("discovery: MatchBy selects the rule; unknown rules match nothing") {
  CHECK(parseMatchBy("") == MatchRule::Rfc3986);
  CHECK(parseMatchBy(kMatchByRfc3986) == MatchRule::Rfc3986);
  CHECK(parseMatchBy(kMatchByStrcmp) == MatchRule::Strcmp);
  CHECK(parseMatchBy("http://schemas.xmlsoap.org/ws/2005/04/discovery/uuid") == MatchRule::Unsupported);
  CHECK_FALSE(scopeMatches("onvif://www.onvif.org", "onvif://www.onvif.org", MatchRule::Unsupported));
}

TEST_CASE("discovery: every probe scope must match; an empty list matches") {
  CHECK(scopesMatch({}, kDeviceScopes, MatchRule::Rfc3986));
  CHECK(scopesMatch({"onvif://www.onvif.org/name", "onvif://www.onvif.org/location/city"}, kDeviceScopes,
                    MatchRule::Rfc3986));
  CHECK_FALSE(scopesMatch({"onvif://www.onvif.org/name", "onvif://www.onvif.org/location/city/paris"},
                          kDeviceScopes, MatchRule::Rfc3986));
}

TEST_CASE("discovery: types match by namespace and local name") {
  const std::string device = "http://www.onvif.org/ver10/device/wsdl";
  const std::string network = "http://www.onvif.org/ver10/network/wsdl";
  CHECK(typesMatch({}));
  CHECK(typesMatch({{device, "Device"}}));
  CHECK(typesMatch({{network, "NetworkVideoTransmitter"}, {device, "Device"}}));
  CHECK_FALSE(typesMatch({{network, "Device"}}));
  CHECK_FALSE(typesMatch({{device, "Device"}, {"http://example.com/x", "Printer"}}));
  CHECK_FALSE(typesMatch({{"", "Device"}}));
}

TEST_CASE("discovery: a Probe's Types are resolved through the message's own prefixes") {
  // Prefix "foo" bound to the device namespace, "tds" bound to something else.
  std::string text =
      envelope(kProbeHeader,
               "<d:Probe><d:Types>foo:Device tds:NetworkVideoTransmitter</d:Types>"
               "<d:Scopes MatchBy=\"http://schemas.xmlsoap.org/ws/2005/04/discovery/strcmp0\">"
               "onvif://www.onvif.org/name/x  onvif://www.onvif.org/hardware/y</d:Scopes></d:Probe>",
               " xmlns:foo=\"http://www.onvif.org/ver10/device/wsdl\""
               " xmlns:tds=\"http://example.com/not-onvif\"");
  bool ok = false;
  Inbound in = parsed(text, &ok);
  REQUIRE(ok);
  REQUIRE(in.kind == Inbound::Kind::Probe);
  CHECK(in.message_id == "urn:uuid:0a6dc791-2be6-4991-9af1-454778a1917a");
  REQUIRE(in.types.size() == 2);
  CHECK(in.types[0].ns == "http://www.onvif.org/ver10/device/wsdl");
  CHECK(in.types[0].local == "Device");
  CHECK(in.types[1].ns == "http://example.com/not-onvif");
  CHECK(in.types[1].local == "NetworkVideoTransmitter");
  CHECK_FALSE(typesMatch(in.types));
  CHECK(in.scopes ==
        std::vector<std::string>{"onvif://www.onvif.org/name/x", "onvif://www.onvif.org/hardware/y"});
  CHECK(in.match_by == kMatchByStrcmp);
}

TEST_CASE("discovery: an empty Probe and a Resolve parse") {
  bool ok = false;
  Inbound in = parsed(envelope(kProbeHeader, "<d:Probe/>"), &ok);
  REQUIRE(ok);
  CHECK(in.kind == Inbound::Kind::Probe);
  CHECK(in.types.empty());
  CHECK(in.scopes.empty());
  in = parsed(envelope(kProbeHeader,
                       "<d:Resolve><a:EndpointReference><a:Address>urn:uuid:abc</a:Address>"
                       "</a:EndpointReference></d:Resolve>"),
              &ok);
  REQUIRE(ok);
  CHECK(in.kind == Inbound::Kind::Resolve);
  CHECK(in.endpoint_reference == "urn:uuid:abc");
}

TEST_CASE("discovery: garbage, truncated and deep datagrams are rejected without crashing") {
  std::string probe = envelope(kProbeHeader, "<d:Probe><d:Types>foo:Device</d:Types></d:Probe>");
  std::vector<std::string> bad = {
      "",
      "hello",
      std::string(4096, '\0'),
      "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
      "<s:Envelope",
      probe.substr(0, probe.size() / 2),
      probe.substr(0, probe.size() - 5),
  };
  std::string deep;
  for (int i = 0; i < 200; ++i) deep += "<x>";
  bad.push_back(envelope(kProbeHeader, "<d:Probe>" + deep + "</d:Probe>"));
  for (const std::string& text : bad) {
    CAPTURE(text.substr(0, 60));
    bool ok = true;
    Inbound in = parsed(text, &ok);
    CHECK((!ok || in.kind == Inbound::Kind::Other));
  }
  // And the codec still works afterwards.
  Codec codec;
  Inbound in;
  for (const std::string& text : bad) codec.parse(text.data(), text.size(), &in);
  REQUIRE(codec.parse(probe.data(), probe.size(), &in));
  CHECK(in.kind == Inbound::Kind::Probe);
}

TEST_CASE("discovery: a ProbeMatches envelope carries the announcement and parses back") {
  Codec codec;
  Outbound out;
  out.kind = Outbound::Kind::ProbeMatches;
  out.message_id = "urn:uuid:11111111-2222-4333-8444-555555555555";
  out.relates_to = "urn:uuid:0a6dc791-2be6-4991-9af1-454778a1917a";
  out.to = kAnonymous;
  out.instance_id = 7;
  out.message_number = 3;
  out.about.endpoint_reference = "urn:uuid:aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
  out.about.types = "tds:Device dn:NetworkVideoTransmitter";
  out.about.scopes = {"onvif://www.onvif.org/name/x", "onvif://www.onvif.org/Profile/S"};
  out.about.xaddrs = {"http://127.0.0.1:8080/onvif/device_service"};
  out.about.metadata_version = 42;
  std::string xml = codec.write(out);
  REQUIRE_FALSE(xml.empty());
  CHECK(xml.find("<wsdd:ProbeMatches>") != std::string::npos);
  CHECK(xml.find("xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\"") != std::string::npos);
  CHECK(xml.find("xmlns:dn=\"http://www.onvif.org/ver10/network/wsdl\"") != std::string::npos);
  CHECK(xml.find(">tds:Device dn:NetworkVideoTransmitter<") != std::string::npos);
  CHECK(xml.find("<wsdd:MetadataVersion>42</wsdd:MetadataVersion>") != std::string::npos);
  CHECK(xml.find("urn:uuid:0a6dc791-2be6-4991-9af1-454778a1917a</wsa:RelatesTo>") != std::string::npos);
  CHECK(xml.find("InstanceId=\"7\"") != std::string::npos);
  CHECK(xml.find("MessageNumber=\"3\"") != std::string::npos);
  CHECK(xml.find("http://127.0.0.1:8080/onvif/device_service</wsdd:XAddrs>") != std::string::npos);
  // No HTTP framing on a datagram.
  CHECK(xml.rfind("<?xml", 0) == 0);
}

TEST_CASE("discovery: the unsupported-rule fault names the supported rules") {
  Codec codec;
  Outbound out;
  out.kind = Outbound::Kind::MatchingRuleFault;
  out.message_id = "urn:uuid:1";
  out.relates_to = "urn:uuid:2";
  out.to = kAnonymous;
  std::string xml = codec.write(out);
  CHECK(xml.find("wsdd:MatchingRuleNotSupported") != std::string::npos);
  CHECK(xml.find("SupportedMatchingRules") != std::string::npos);
  CHECK(xml.find("http://schemas.xmlsoap.org/ws/2005/04/discovery/fault</wsa:Action>") != std::string::npos);
}

TEST_CASE("discovery: [discovery] keys parse and are checked") {
  onvif::core::Config config;
  std::string error;
  REQUIRE(onvif::core::parseConfig(onvif::core::defaultConfigText(), "<default>", &config, &error));
  CHECK(config.discovery.enabled);
  CHECK(config.discovery.port == 3702);
  CHECK(config.discovery.interfaces == std::vector<std::string>{"lo"});
  CHECK(config.discovery.discoverable);
  REQUIRE(
      onvif::core::parseConfig("[discovery]\ninterfaces = eth0, wlan0\nport = 0\ndiscoverable = false\n"
                               "max_delay_ms = 0\nipv6 = true\n",
                               "t.conf", &config, &error));
  CHECK(config.discovery.interfaces == std::vector<std::string>{"eth0", "wlan0"});
  CHECK(config.discovery.port == 0);
  CHECK_FALSE(config.discovery.discoverable);
  CHECK(config.discovery.ipv6);
  CHECK_FALSE(onvif::core::parseConfig("[discovery]\nport = 70000\n", "t.conf", &config, &error));
  CHECK(error.find("discovery.port") != std::string::npos);
  CHECK_FALSE(onvif::core::parseConfig("[discovery]\nmax_datagram_bytes = 100\n", "t.conf", &config, &error));
  CHECK_FALSE(onvif::core::parseConfig("[discovery]\ninterfaces = eth0,,lo\n", "t.conf", &config, &error));
}

TEST_CASE("discovery: probes written with default namespaces parse like prefixed ones") {
  // Unprefixed elements (a common client style) and an unprefixed QName in
  // Types, which XML Schema resolves through the default namespace.
  std::string text =
      "<Envelope xmlns=\"http://www.w3.org/2003/05/soap-envelope\"><Header>"
      "<MessageID xmlns=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\">urn:uuid:1234</MessageID>"
      "</Header><Body><Probe xmlns=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\">"
      "<Types xmlns:t=\"http://www.onvif.org/ver10/device/wsdl\">t:Device</Types></Probe>"
      "<!-- trailing comment --></Body></Envelope>";
  bool ok = false;
  Inbound in = parsed(text, &ok);
  REQUIRE(ok);
  REQUIRE(in.kind == Inbound::Kind::Probe);
  CHECK(in.message_id == "urn:uuid:1234");
  CHECK(typesMatch(in.types));
  REQUIRE(in.types.size() == 1);
  CHECK(in.types[0].ns == "http://www.onvif.org/ver10/device/wsdl");

  std::string unprefixed = envelope(kProbeHeader,
                                    "<d:Probe><d:Types xmlns=\"http://www.onvif.org/ver10/network/wsdl\">"
                                    "NetworkVideoTransmitter</d:Types></d:Probe>");
  in = parsed(unprefixed, &ok);
  REQUIRE(ok);
  REQUIRE(in.types.size() == 1);
  CHECK(in.types[0].ns == "http://www.onvif.org/ver10/network/wsdl");
  CHECK(in.types[0].local == "NetworkVideoTransmitter");
}
