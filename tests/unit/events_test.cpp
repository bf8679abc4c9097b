// Events engine: time parsing, filters, consumer policy, control commands,
// the broker's queues, properties, pull semantics and subscription limits.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <thread>

#include "core/config.hpp"
#include "events/broker.hpp"
#include "events/consumer_policy.hpp"
#include "events/control.hpp"
#include "events/event_time.hpp"
#include "events/events_setup.hpp"
#include "events/filter.hpp"
#include "events/message_xml.hpp"
#include "events/sources.hpp"
#include "platform/unique_fd.hpp"

using namespace onvif::events;
using onvif::events::EventMessage;
using onvif::events::PropertyOperation;
using std::chrono::milliseconds;

namespace {

EventMessage message(const std::string& topic, std::vector<onvif::events::SimpleItem> source,
                     std::vector<onvif::events::SimpleItem> data,
                     PropertyOperation op = PropertyOperation::None) {
  EventMessage m;
  m.topic = topic;
  m.source = std::move(source);
  m.data = std::move(data);
  m.operation = op;
  return m;
}

BrokerOptions options(int queue_limit = 200, int max_pull = 4) {
  BrokerOptions o;
  o.config.queue_limit = queue_limit;
  o.config.max_push_subscriptions = 0;
  o.max_pull_points = max_pull;
  o.now = [] { return std::chrono::system_clock::now(); };
  return o;
}

}  // namespace

TEST_CASE("events time: xs:duration") {
  CHECK(parseDurationMs("PT60S") == 60000);
  CHECK(parseDurationMs(" PT1M30.5S ") == 90500);
  CHECK(parseDurationMs("P1DT2H") == (26LL * 3600000));
  CHECK(parseDurationMs("PT0.25S") == 250);
  CHECK(parseDurationMs("PT10M") == 600000);
  CHECK_FALSE(parseDurationMs("60"));
  CHECK_FALSE(parseDurationMs("-PT1S"));
  CHECK_FALSE(parseDurationMs("PT"));
  CHECK_FALSE(parseDurationMs("P1DT"));
  CHECK_FALSE(parseDurationMs("PT1S1M"));  // out of order
  CHECK_FALSE(parseDurationMs("P1.5D"));   // fraction only on seconds
  CHECK_FALSE(parseDurationMs("PT5X"));
  CHECK_FALSE(parseDurationMs("P100Y"));  // absurd
}

TEST_CASE("events time: absolute, relative and formatting") {
  auto t = parseDateTime("2026-01-02T03:04:05Z");
  REQUIRE(t);
  CHECK(formatUtc(*t, false) == "2026-01-02T03:04:05Z");
  auto offset = parseDateTime("2026-01-02T05:04:05.250+02:00");
  REQUIRE(offset);
  CHECK(formatUtc(*offset, true) == "2026-01-02T03:04:05.250Z");
  CHECK_FALSE(parseDateTime("2026-13-02T03:04:05Z"));
  CHECK_FALSE(parseDateTime("yesterday"));
  CHECK_FALSE(parseDateTime("2026-01-02T03:04:05Q"));
  auto now = *t;
  CHECK(parseAbsoluteOrRelative("PT1M", now) == now + std::chrono::minutes(1));
  CHECK(parseAbsoluteOrRelative("2026-01-02T03:05:05Z", now) == now + std::chrono::minutes(1));
  CHECK_FALSE(parseAbsoluteOrRelative("P", now));
}

TEST_CASE("events filter: topic expressions (Concrete and ConcreteSet)") {
  TopicFilter f;
  REQUIRE(f.parse(kConcreteSetDialect, " tns1:RuleEngine//. | tns1:VideoSource/MotionAlarm ") ==
          FilterError::None);
  CHECK(f.matches("tns1:RuleEngine/CellMotionDetector/Motion"));
  CHECK(f.matches("tns1:RuleEngine"));
  CHECK(f.matches("tns1:VideoSource/MotionAlarm"));
  CHECK_FALSE(f.matches("tns1:VideoSource/ImageTooDark"));
  CHECK_FALSE(f.matches("tns1:Device/Trigger/DigitalInput"));

  TopicFilter concrete;
  REQUIRE(concrete.parse(kConcreteDialect, "tns1:Device/Trigger/DigitalInput") == FilterError::None);
  CHECK(concrete.matches("tns1:Device/Trigger/DigitalInput"));
  CHECK_FALSE(concrete.matches("tns1:Device/Trigger"));  // a concrete path names one topic, not its subtree
  CHECK_FALSE(concrete.matches("tns1:Device/Trigger/DigitalInput/More"));

  TopicFilter bad;
  CHECK(bad.parse("http://example.com/XPath", "tns1:A") == FilterError::TopicDialectUnknown);
  CHECK(bad.parse(kConcreteSetDialect, "") == FilterError::InvalidTopic);
  CHECK(bad.parse(kConcreteSetDialect, "tns1:A//B") == FilterError::InvalidTopic);
  CHECK(bad.parse(kConcreteSetDialect, "tns1:A|") == FilterError::InvalidTopic);
  CHECK(bad.parse(kConcreteSetDialect, "a:b:c") == FilterError::InvalidTopic);
}

TEST_CASE("events filter: ItemFilter message content expressions") {
  EventMessage m =
      message("tns1:RuleEngine/CellMotionDetector/Motion",
              {{"VideoSourceConfigurationToken", "1"}, {"Rule", "myImportantField"}}, {{"IsMotion", "true"}});
  auto eval = [&](const std::string& expr) {
    ContentFilter f;
    REQUIRE_MESSAGE(f.parse(kItemFilterDialect, expr) == FilterError::None, expr);
    return f.matches(m);
  };
  CHECK(eval("boolean(//tt:SimpleItem[@Name=\"VideoSourceConfigurationToken\" and @Value=\"1\"])"));
  CHECK_FALSE(eval("boolean(//tt:SimpleItem[@Name=\"VideoSourceConfigurationToken\" and @Value=\"2\"])"));
  CHECK(eval("not( boolean(//tt:SimpleItem[@Name='VideoAnalyticsConfigurationToken'] ) )"));
  CHECK(
      eval("boolean(//tt:SimpleItem[@Name=\"IsMotion\" and @Value=\"true\"] ) and "
           "boolean(//tt:SimpleItem[@Name=\"Rule\" and @Value=\"myImportantField\"] )"));
  // and binds tighter than or: false and false or true -> true
  CHECK(
      eval("boolean(//SimpleItem[@Name='x']) and boolean(//SimpleItem[@Name='y']) or "
           "boolean(//SimpleItem[@Name='Rule'])"));
  CHECK_FALSE(
      eval("boolean(//SimpleItem[@Name='x']) and (boolean(//SimpleItem[@Name='y']) or "
           "boolean(//SimpleItem[@Name='Rule']))"));
  CHECK(eval("boolean(//tt:SimpleItem[not(@Name='Nope') and (@Value='1' or @Value='2')])"));
  CHECK_FALSE(eval("boolean(//tt:ElementItem[@Name='Rule'])"));
  // ElementItems match by Name only: they carry no Value.
  m.data_elements.push_back(
      {"Configuration", "<tt:Configuration xmlns:tt=\"http://www.onvif.org/ver10/schema\"/>"});
  CHECK(eval("boolean(//tt:ElementItem[@Name='Configuration'])"));
  CHECK_FALSE(eval("boolean(//tt:ElementItem[@Name='Configuration' and @Value=''])"));
  CHECK_FALSE(eval("boolean(//tt:SimpleItem[@Name='Configuration'])"));
  m.data_elements.clear();
  // The spec's own examples use typographic quotes.
  CHECK(
      eval("boolean(//tt:SimpleItem[@Name=\xE2\x80\x9DRule\xE2\x80\x9D and "
           "@Value=\xE2\x80\x9DmyImportantField\xE2\x80\x9D])"));

  ContentFilter bad;
  CHECK(bad.parse("urn:other", "boolean(//tt:SimpleItem[@Name='a'])") == FilterError::ContentDialectUnknown);
  for (const char* expr : {"", "boolean(", "boolean(//tt:SimpleItem)", "boolean(//tt:Other[@Name='a'])",
                           "boolean(//tt:SimpleItem[@Name='a'] ) and", "boolean(//tt:SimpleItem[@Type='a'])",
                           "boolean(//tt:SimpleItem[@Name='a])", "foo"})
    CHECK_MESSAGE(bad.parse(kItemFilterDialect, expr) == FilterError::InvalidContent, expr);
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "not(";
  CHECK(bad.parse(kItemFilterDialect, deep) == FilterError::InvalidContent);  // bounded recursion
}

TEST_CASE("events policy: consumer URLs and addresses") {
  ConsumerUrl u;
  std::string why;
  REQUIRE(parseConsumerUrl("http://192.168.1.5:8080/onvif/notify?x=1", &u, &why));
  CHECK(u.host == "192.168.1.5");
  CHECK(u.port == 8080);
  CHECK(u.path == "/onvif/notify?x=1");
  REQUIRE(parseConsumerUrl("http://[fd00::1]/", &u, &why));
  CHECK(u.host == "fd00::1");
  CHECK(u.port == 80);
  CHECK_FALSE(u.tls);
  REQUIRE(parseConsumerUrl("https://nvr.example/notify", &u, &why));
  CHECK(u.tls);
  CHECK(u.host == "nvr.example");
  CHECK(u.port == 443);
  REQUIRE(parseConsumerUrl("https://[fd00::2]:8443", &u, &why));
  CHECK((u.tls && u.host == "fd00::2" && u.port == 8443 && u.path == "/"));
  CHECK_FALSE(parseConsumerUrl("ftp://host/", &u, &why));
  CHECK_FALSE(parseConsumerUrl("httpss://host/", &u, &why));
  CHECK_FALSE(parseConsumerUrl("file:///etc/passwd", &u, &why));
  CHECK_FALSE(parseConsumerUrl("http://user@host/", &u, &why));
  CHECK_FALSE(parseConsumerUrl("http://host:99999/", &u, &why));
  CHECK_FALSE(parseConsumerUrl("http:///x", &u, &why));

  ConsumerPolicy strict;
  CHECK(literalHostAllowed("192.168.1.5", strict, &why));
  CHECK(literalHostAllowed("camera-nvr.local", strict, &why));  // names: checked when resolved
  for (const char* host : {"127.0.0.1", "::1", "169.254.1.1", "fe80::1", "224.0.0.251", "ff02::1", "0.0.0.0",
                           "255.255.255.255", "::ffff:127.0.0.1", "localhost"})
    CHECK_MESSAGE(!literalHostAllowed(host, strict, &why), host);
  ConsumerPolicy dev;
  dev.allow_loopback = true;
  CHECK(literalHostAllowed("127.0.0.1", dev, &why));
  CHECK_FALSE(literalHostAllowed("169.254.1.1", dev, &why));
  CHECK_FALSE(literalHostAllowed("224.0.0.1", dev, &why));
}

TEST_CASE("events policy: auto allows loopback consumers only on a loopback listener") {
  onvif::core::Config c;
  c.events.push_allow_loopback = "auto";
  c.server.bind = "127.0.0.1";
  CHECK(allowLoopbackConsumers(c));
  c.server.bind = "0.0.0.0";
  CHECK_FALSE(allowLoopbackConsumers(c));
  c.server.bind = "192.168.1.2";
  CHECK_FALSE(allowLoopbackConsumers(c));
  c.events.push_allow_loopback = "true";
  CHECK(allowLoopbackConsumers(c));
  c.server.bind = "127.0.0.1";
  c.events.push_allow_loopback = "false";
  CHECK_FALSE(allowLoopbackConsumers(c));
  onvif::core::Config compiled;  // a struct default never trusts loopback
  CHECK(compiled.events.push_allow_loopback == "false");
}

TEST_CASE("events: max pull points never exceed the workers a long poll may take") {
  onvif::core::Config c;
  c.server.workers = 4;
  c.server.max_workers = 32;
  c.events.max_pull_points = 16;
  CHECK(effectiveMaxPullPoints(c) == 16);
  c.server.max_workers = 10;
  CHECK(effectiveMaxPullPoints(c) == 6);
}

TEST_CASE("events control: commands") {
  onvif::core::Config c;
  c.events.digital_inputs = {"DI_1"};
  std::vector<EventMessage> out;
  std::string error;
  REQUIRE(parseCommand({"motion", "on"}, c.events, &out, &error));
  REQUIRE(out.size() == 2);
  CHECK(out[0].topic == kMotionAlarmTopic);
  CHECK(out[0].data[0].value == "true");
  CHECK(out[1].topic == kCellMotionTopic);
  REQUIRE(parseCommand({"input", "DI_1", "off"}, c.events, &out, &error));
  CHECK(out[0].source[0].value == "DI_1");
  CHECK_FALSE(parseCommand({"input", "DI_9", "off"}, c.events, &out, &error));
  CHECK(error.find("DI_9") != std::string::npos);
  REQUIRE(parseCommand(
      {"raw", "tns1:Monitoring/ProcessorUsage", "source.Token=cpu", "data.Value=42", "property=changed"},
      c.events, &out, &error));
  CHECK(out[0].operation == PropertyOperation::Changed);
  CHECK(out[0].data[0].name == "Value");
  CHECK_FALSE(parseCommand({"raw", "Monitoring"}, c.events, &out, &error));
  CHECK_FALSE(parseCommand({"raw", "tns1:A", "junk"}, c.events, &out, &error));
  CHECK_FALSE(parseCommand({"motion", "maybe"}, c.events, &out, &error));
  CHECK_FALSE(parseCommand({"explode"}, c.events, &out, &error));
  CHECK(parseCommand({"ping"}, c.events, &out, &error));
}

TEST_CASE("events message xml: escaping, property operation, Deleted has no Data") {
  auto m = std::make_shared<EventMessage>(
      message("tns1:A/B", {{"Tok", "a<b&\"c\""}}, {{"State", "true"}}, PropertyOperation::Changed));
  Delivery d{m, *parseDateTime("2026-01-02T03:04:05.5Z"), PropertyOperation::Changed};
  std::string xml = messageXml(d);
  CHECK(xml.find("UtcTime=\"2026-01-02T03:04:05.500Z\"") != std::string::npos);
  CHECK(xml.find("PropertyOperation=\"Changed\"") != std::string::npos);
  CHECK(xml.find("Value=\"a&lt;b&amp;&quot;c&quot;\"") != std::string::npos);
  CHECK(xml.find("<tt:Data>") != std::string::npos);
  d.operation = PropertyOperation::Deleted;
  CHECK(messageXml(d).find("<tt:Data>") == std::string::npos);
}

TEST_CASE("events message xml: an ElementItem is copied into Data after the SimpleItems") {
  auto m = std::make_shared<EventMessage>(message("tns1:Configuration/Profile", {{"Token", "p1"}}, {}));
  m->data_elements.push_back({"Configuration", "<tt:Configuration token=\"p1\"/>"});
  Delivery d{m, *parseDateTime("2026-01-02T03:04:05Z"), PropertyOperation::None};
  CHECK(messageXml(d).find("<tt:Data><tt:ElementItem Name=\"Configuration\"><tt:Configuration token=\"p1\"/>"
                           "</tt:ElementItem></tt:Data>") != std::string::npos);
  // tt:ItemList is a sequence: every SimpleItem before the first ElementItem.
  m->data.push_back({"State", "true"});
  const std::string xml = messageXml(d);
  CHECK(xml.find("<tt:SimpleItem Name=\"State\"") < xml.find("<tt:ElementItem"));
}

TEST_CASE("events message xml: a notification line is one self-contained wsnt:NotificationMessage") {
  auto m = std::make_shared<EventMessage>(message("tns1:VideoSource/MotionAlarm", {{"Source", "a\nb"}},
                                                  {{"State", "true"}}, PropertyOperation::Changed));
  m->data_elements.push_back(
      {"Configuration", "<tt:Configuration>\n<tt:Name>x</tt:Name>\r\n</tt:Configuration>"});
  Delivery d{m, *parseDateTime("2026-01-02T03:04:05Z"), PropertyOperation::Changed};
  const std::string line = notificationLine(d);
  CHECK(line.find('\n') == std::string::npos);
  CHECK(line.find('\r') == std::string::npos);
  CHECK(line.rfind("<wsnt:NotificationMessage xmlns:wsnt=\"http://docs.oasis-open.org/wsn/b-2\"", 0) == 0);
  CHECK(line.find("xmlns:tt=\"http://www.onvif.org/ver10/schema\"") != std::string::npos);
  CHECK(line.find("xmlns:tns1=\"http://www.onvif.org/ver10/topics\"") != std::string::npos);
  CHECK(line.find(std::string("<wsnt:Topic Dialect=\"") + kConcreteSetDialect +
                  "\">tns1:VideoSource/MotionAlarm</wsnt:Topic><wsnt:Message><tt:Message ") !=
        std::string::npos);
  CHECK(line.find("Value=\"a&#10;b\"") != std::string::npos);
  CHECK(line.find("<tt:Configuration>&#10;<tt:Name>") != std::string::npos);
  CHECK(line.find("&#13;&#10;</tt:Configuration>") != std::string::npos);
  const std::string tail = "</wsnt:Message></wsnt:NotificationMessage>";
  CHECK(line.compare(line.size() - tail.size(), tail.size(), tail) == 0);
}

namespace {

// Everything the stream writes within `ms` (until it has `lines` lines).
std::string readStream(int fd, std::size_t lines, int ms) {
  std::string out;
  auto deadline = std::chrono::steady_clock::now() + milliseconds(ms);
  while (static_cast<std::size_t>(std::count(out.begin(), out.end(), '\n')) < lines) {
    auto left = std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    pollfd p{fd, POLLIN, 0};
    if (left <= 0 || poll(&p, 1, static_cast<int>(left)) <= 0) break;
    char buf[4096];
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

}  // namespace

TEST_CASE(
    "events broker: a stream gets the greeting, the live properties, then each matching event as a line") {
  Broker b(options());
  b.publish(message("tns1:VideoSource/MotionAlarm", {{"Source", "vs1"}}, {{"State", "false"}},
                    PropertyOperation::Initialized));
  int sv[2];
  REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
  onvif::platform::UniqueFd mine(sv[0]), theirs(sv[1]);
  SubscriptionFilter videoOnly;
  videoOnly.topics.emplace_back();
  REQUIRE(videoOnly.topics.back().parse(kConcreteSetDialect, "tns1:VideoSource//.") == FilterError::None);
  REQUIRE(b.createStream(std::move(videoOnly), std::move(theirs), "ok\n") == Broker::Status::Ok);
  CHECK_FALSE(theirs.valid());
  std::string text = readStream(mine.get(), 2, 3000);
  REQUIRE(text.rfind("ok\n<wsnt:NotificationMessage ", 0) == 0);
  CHECK(text.find("PropertyOperation=\"Initialized\"") != std::string::npos);
  CHECK(text.find("Value=\"false\"") != std::string::npos);

  b.publish(message("tns1:Device/Trigger/Relay", {{"RelayToken", "r1"}}, {{"LogicalState", "active"}}));
  b.publish(message("tns1:VideoSource/MotionAlarm", {{"Source", "vs1"}}, {{"State", "true"}},
                    PropertyOperation::Changed));
  text = readStream(mine.get(), 1, 3000);
  CHECK(std::count(text.begin(), text.end(), '\n') == 1);
  CHECK(text.find("PropertyOperation=\"Changed\"") != std::string::npos);
  CHECK(text.find("Relay") == std::string::npos);  // filtered out
  CHECK(b.stats().streams == 1);

  // The reader hangs up: the stream ends (and makes room for another).
  mine.reset();
  for (int i = 0; i < 100 && b.stats().streams != 0; ++i) std::this_thread::sleep_for(milliseconds(20));
  CHECK(b.stats().streams == 0);
}

TEST_CASE("events broker: streams are limited, and never reachable as subscriptions") {
  Broker b(options());
  std::vector<onvif::platform::UniqueFd> readers;
  for (int i = 0; i <= Broker::kMaxStreams; ++i) {
    int sv[2];
    REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
    readers.emplace_back(sv[0]);
    onvif::platform::UniqueFd theirs(sv[1]);
    auto status = b.createStream({}, std::move(theirs), "ok\n");
    if (i < Broker::kMaxStreams) {
      CHECK(status == Broker::Status::Ok);
    } else {
      CHECK(status == Broker::Status::Full);
      CHECK(theirs.valid());  // not taken: the caller can still answer on it
    }
  }
  CHECK(b.stats().streams == Broker::kMaxStreams);
  CHECK(b.stats().pull_points == 0);
}

TEST_CASE("events broker: queue bound drops the oldest and counts it") {
  Broker b(options(3));
  Broker::Created c;
  REQUIRE(b.createPull({}, true, milliseconds(60000), "x/", &c) == Broker::Status::Ok);
  for (int i = 0; i < 5; ++i) b.publish(message("tns1:T", {}, {{"n", std::to_string(i)}}));
  Broker::Pulled p;
  REQUIRE(b.pull(c.id, milliseconds(0), 100, -1, &p) == Broker::Status::Ok);
  REQUIRE(p.messages.size() == 3);
  CHECK(p.messages[0].message->data[0].value == "2");  // 0 and 1 were dropped
  CHECK(p.messages[2].message->data[0].value == "4");
  CHECK(b.stats().dropped == 2);
}

TEST_CASE("events broker: properties, ChangedOnly, synchronization point, filters") {
  Broker b(options());
  b.publish(message("tns1:VideoSource/MotionAlarm", {{"Source", "vs1"}}, {{"State", "false"}},
                    PropertyOperation::Initialized));
  b.publish(message("tns1:Device/Trigger/DigitalInput", {{"InputToken", "in1"}}, {{"LogicalState", "false"}},
                    PropertyOperation::Initialized));
  b.publish(message("tns1:VideoSource/MotionAlarm", {{"Source", "vs1"}}, {{"State", "true"}},
                    PropertyOperation::Changed));

  SubscriptionFilter motionOnly;
  motionOnly.topics.emplace_back();
  REQUIRE(motionOnly.topics.back().parse(kConcreteSetDialect, "tns1:VideoSource//.") == FilterError::None);
  Broker::Created all, motion, changed;
  REQUIRE(b.createPull({}, false, milliseconds(60000), "x/", &all) == Broker::Status::Ok);
  REQUIRE(b.createPull(std::move(motionOnly), false, milliseconds(60000), "x/", &motion) ==
          Broker::Status::Ok);
  REQUIRE(b.createPull({}, true, milliseconds(60000), "x/", &changed) == Broker::Status::Ok);

  Broker::Pulled p;
  REQUIRE(b.pull(all.id, milliseconds(0), 100, -1, &p) == Broker::Status::Ok);
  REQUIRE(p.messages.size() == 2);  // current state of both properties, as Initialized
  for (auto& d : p.messages) CHECK(d.operation == PropertyOperation::Initialized);
  Broker::Pulled pm;
  REQUIRE(b.pull(motion.id, milliseconds(0), 100, -1, &pm) == Broker::Status::Ok);
  REQUIRE(pm.messages.size() == 1);
  CHECK(pm.messages[0].message->data[0].value == "true");  // the latest state
  Broker::Pulled pc;
  REQUIRE(b.pull(changed.id, milliseconds(0), 100, -1, &pc) == Broker::Status::Ok);
  CHECK(pc.messages.empty());

  // Deleted: gone from the state; ChangedOnly does not see it.
  b.publish(
      message("tns1:Device/Trigger/DigitalInput", {{"InputToken", "in1"}}, {}, PropertyOperation::Deleted));
  Broker::Pulled pd;
  REQUIRE(b.pull(changed.id, milliseconds(0), 100, -1, &pd) == Broker::Status::Ok);
  CHECK(pd.messages.empty());
  Broker::Pulled pa;
  REQUIRE(b.pull(all.id, milliseconds(0), 100, -1, &pa) == Broker::Status::Ok);
  REQUIRE(pa.messages.size() == 1);
  CHECK(pa.messages[0].operation == PropertyOperation::Deleted);

  REQUIRE(b.synchronize(all.id) == Broker::Status::Ok);
  Broker::Pulled ps;
  REQUIRE(b.pull(all.id, milliseconds(0), 100, -1, &ps) == Broker::Status::Ok);
  REQUIRE(ps.messages.size() == 1);  // only the motion alarm is still alive
  CHECK(ps.messages[0].message->topic == "tns1:VideoSource/MotionAlarm");
  CHECK(ps.messages[0].operation == PropertyOperation::Initialized);
}

TEST_CASE("events broker: limits, unsubscribe one, unknown, concurrent pull") {
  Broker b(options(200, 2));
  Broker::Created a, c, full;
  REQUIRE(b.createPull({}, true, milliseconds(60000), "x/", &a) == Broker::Status::Ok);
  REQUIRE(b.createPull({}, true, milliseconds(60000), "x/", &c) == Broker::Status::Ok);
  CHECK(a.id != c.id);
  CHECK(b.createPull({}, true, milliseconds(60000), "x/", &full) == Broker::Status::Full);
  CHECK(b.unsubscribe(a.id) == Broker::Status::Ok);
  CHECK(b.unsubscribe(a.id) == Broker::Status::Unknown);
  CHECK(b.exists(c.id));
  Broker::Pulled p;
  CHECK(b.pull(a.id, milliseconds(0), 1, -1, &p) == Broker::Status::Unknown);
  CHECK(b.pull("nope", milliseconds(0), 1, -1, &p) == Broker::Status::Unknown);

  // A second pull while one waits is refused; the waiting one returns on publish.
  Broker::Status first = Broker::Status::Unknown;
  Broker::Pulled waited;
  std::thread t([&] { first = b.pull(c.id, milliseconds(20000), 10, -1, &waited); });
  Broker::Status second = Broker::Status::Ok;
  for (int i = 0; i < 2000 && second != Broker::Status::Busy; ++i) {
    Broker::Pulled q;
    second = b.pull(c.id, milliseconds(0), 1, -1, &q);
    if (second != Broker::Status::Busy) std::this_thread::sleep_for(milliseconds(1));
  }
  CHECK(second == Broker::Status::Busy);
  b.publish(message("tns1:T", {}, {{"n", "1"}}));
  t.join();
  CHECK(first == Broker::Status::Ok);
  CHECK(waited.messages.size() == 1);
}

TEST_CASE("events broker: expired subscriptions are unknown; renew extends") {
  Broker b(options());
  Broker::Created c, r;
  REQUIRE(b.createPull({}, true, milliseconds(1), "x/", &c) == Broker::Status::Ok);
  REQUIRE(b.createPull({}, true, milliseconds(60000), "x/", &r) == Broker::Status::Ok);
  std::this_thread::sleep_for(milliseconds(5));
  CHECK_FALSE(b.exists(c.id));
  onvif::events::SystemTime t;
  CHECK(b.renew(c.id, milliseconds(60000), &t) == Broker::Status::Unknown);
  CHECK(b.renew(r.id, milliseconds(120000), &t) == Broker::Status::Ok);
  CHECK(t > std::chrono::system_clock::now() + std::chrono::seconds(100));
}

TEST_CASE("events broker: stopping wakes a waiting pull") {
  Broker b(options());
  Broker::Created c;
  REQUIRE(b.createPull({}, true, milliseconds(60000), "x/", &c) == Broker::Status::Ok);
  Broker::Status st = Broker::Status::Unknown;
  std::thread t([&] {
    Broker::Pulled p;
    st = b.pull(c.id, milliseconds(50000), 1, -1, &p);
  });
  std::this_thread::sleep_for(milliseconds(20));
  b.beginStop();
  t.join();  // would take 50 s if stop did not wake it
  CHECK(st == Broker::Status::Ok);
  Broker::Created d;
  CHECK(b.createPull({}, true, milliseconds(60000), "x/", &d) == Broker::Status::Stopped);
}

TEST_CASE("events sources: the TopicSet merges configured topics into one tree") {
  onvif::core::Config c;
  c.events.relays = {"R1"};
  c.events.extra_topics = {"tns1:Device/HardwareFailure/FanFailure", "tns1:Monitoring/ProcessorUsage"};
  std::string xml = topicSetXml(c.events);
  // One tns1:Device root holding Trigger/Relay and HardwareFailure/FanFailure.
  CHECK(xml.find("<tns1:Device>") == xml.rfind("<tns1:Device>"));
  CHECK(xml.find("<Relay wstop:topic=\"true\">") != std::string::npos);
  CHECK(xml.find("<FanFailure wstop:topic=\"true\">") != std::string::npos);
  CHECK(xml.find("<tns1:Monitoring><ProcessorUsage wstop:topic=\"true\">") != std::string::npos);
  CHECK(xml.find("DigitalInput") == std::string::npos);          // no inputs configured
  CHECK(xml.find("<Trigger wstop:topic") == std::string::npos);  // inner levels are not topics
}

TEST_CASE("events config: extra_topics must be tns1 topic paths") {
  onvif::core::Config c;
  std::string error;
  CHECK(onvif::core::parseConfig("[events]\nextra_topics = tns1:Monitoring/A, tns1:B\n", "t", &c, &error));
  CHECK(c.events.extra_topics.size() == 2);
  CHECK_FALSE(onvif::core::parseConfig("[events]\nextra_topics = Monitoring/A\n", "t", &c, &error));
  CHECK(error.find("extra_topics") != std::string::npos);
  CHECK_FALSE(onvif::core::parseConfig("[events]\nextra_topics = tns1:A/<b>\n", "t", &c, &error));
  CHECK_FALSE(onvif::core::parseConfig("[events]\npush_allow_loopback = maybe\n", "t", &c, &error));
}

TEST_CASE("events tampering: [events] tampering, auto by host, topics, initial states, control command") {
  onvif::core::Config c;
  std::string error;
  REQUIRE(onvif::core::parseConfig(onvif::core::defaultConfigText(), "<embedded>", &c, &error));
  // The virtual camera (simulated host): all four kinds, simulator every 30 s.
  onvif::core::EventsConfig e = resolvedEvents(c);
  REQUIRE(e.tampering.size() == 4);
  CHECK(e.tampering_simulator_period_s == 30);
  const std::string xml = topicSetXml(e);
  for (const char* kind : kTamperingKinds)
    CHECK(
        xml.find(std::string("<") + kind +
                 "><ImagingService wstop:topic=\"true\"><tt:MessageDescription "
                 "IsProperty=\"true\"><tt:Source><tt:SimpleItemDescription Name=\"Source\" "
                 "Type=\"tt:ReferenceToken\"/></tt:Source><tt:Data><tt:SimpleItemDescription Name=\"State\" "
                 "Type=\"xsd:boolean\"/>") != std::string::npos);
  int tamperInitial = 0;
  for (const auto& m : initialStates(e))
    if (m.topic.find("/ImagingService") != std::string::npos) {
      ++tamperInitial;
      CHECK(m.operation == PropertyOperation::Initialized);
      CHECK(m.source[0].name == "Source");
      CHECK(m.source[0].value == "VideoSource_1");
      CHECK(m.data[0].name == "State");
      CHECK(m.data[0].value == "false");
    }
  CHECK(tamperInitial == 4);

  // A real camera claims none unless its configuration lists them.
  REQUIRE(onvif::core::parseConfig("[device]\nhost = real\n", "real.conf", &c, &error));
  e = resolvedEvents(c);
  CHECK(e.tampering.empty());
  CHECK(e.tampering_simulator_period_s == 0);
  CHECK(topicSetXml(e).find("ImageToo") == std::string::npos);
  REQUIRE(onvif::core::parseConfig("[events]\ntampering = ImageTooDark, GlobalSceneChange\n", "real.conf", &c,
                                   &error));
  e = resolvedEvents(c);
  REQUIRE(e.tampering == std::vector<std::string>{"ImageTooDark", "GlobalSceneChange"});
  CHECK(topicSetXml(e).find("ImageTooBlurry") == std::string::npos);
  CHECK(topicSetXml(e).find("<ImageTooDark><ImagingService") != std::string::npos);

  CHECK_FALSE(onvif::core::parseConfig("[events]\ntampering = ImageTooDim\n", "bad.conf", &c, &error));
  CHECK(error.find("ImageTooDim") != std::string::npos);
  CHECK_FALSE(
      onvif::core::parseConfig("[events]\ntampering = ImageTooDark, ImageTooDark\n", "bad.conf", &c, &error));
  CHECK_FALSE(
      onvif::core::parseConfig("[events]\ntampering_simulator_period_s = soon\n", "bad.conf", &c, &error));

  std::vector<EventMessage> out;
  REQUIRE(parseCommand({"tamper", "ImageTooDark", "on"}, e, &out, &error));
  REQUIRE(out.size() == 1);
  CHECK(out[0].topic == "tns1:VideoSource/ImageTooDark/ImagingService");
  CHECK(out[0].operation == PropertyOperation::Changed);
  CHECK(out[0].source[0].value == "VideoSource_1");
  CHECK(out[0].data[0].value == "true");
  REQUIRE(parseCommand({"tamper", "GlobalSceneChange", "off", "VideoSource_1"}, e, &out, &error));
  CHECK(out[0].data[0].value == "false");
  REQUIRE(parseCommand({"tamper", "GlobalSceneChange", "deleted"}, e, &out, &error));
  CHECK(out[0].operation == PropertyOperation::Deleted);
  CHECK(out[0].data.empty());
  CHECK_FALSE(parseCommand({"tamper", "ImageTooBlurry", "on"}, e, &out, &error));  // not configured
  CHECK(error ==
        "unknown tampering kind 'ImageTooBlurry' (events.tampering: ImageTooDark, GlobalSceneChange)");
  CHECK_FALSE(parseCommand({"tamper", "ImageTooDark", "on", "VideoSource_9"}, e, &out, &error));
  CHECK(error.find("VideoSource_9") != std::string::npos);
  CHECK_FALSE(parseCommand({"tamper", "ImageTooDark", "dim"}, e, &out, &error));
  CHECK(error.find("usage: tamper") == 0);
  CHECK_FALSE(parseCommand({"tamper", "ImageTooDark"}, e, &out, &error));
}

TEST_CASE("events broker: a change to a property that is not alive creates it (Initialized)") {
  Broker b(options());
  Broker::Created all;
  REQUIRE(b.createPull({}, false, milliseconds(60000), "x/", &all) == Broker::Status::Ok);
  const auto dark = [](bool on, PropertyOperation op) {
    return message("tns1:VideoSource/ImageTooDark/ImagingService", {{"Source", "vs1"}},
                   {{"State", on ? "true" : "false"}}, op);
  };
  b.publish(dark(true, PropertyOperation::Changed));  // never announced
  b.publish(dark(false, PropertyOperation::Changed));
  b.publish(message("tns1:VideoSource/ImageTooDark/ImagingService", {{"Source", "vs1"}}, {},
                    PropertyOperation::Deleted));
  b.publish(dark(true, PropertyOperation::Changed));  // created again
  Broker::Pulled p;
  REQUIRE(b.pull(all.id, milliseconds(0), 100, -1, &p) == Broker::Status::Ok);
  REQUIRE(p.messages.size() == 4);
  CHECK(p.messages[0].operation == PropertyOperation::Initialized);
  CHECK(p.messages[1].operation == PropertyOperation::Changed);
  CHECK(p.messages[2].operation == PropertyOperation::Deleted);
  CHECK(p.messages[3].operation == PropertyOperation::Initialized);
}
