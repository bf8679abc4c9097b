#pragma once
// Subscription filters (Core spec "Topic Filter", "Message Content Filter"):
// TopicExpression in the Concrete and ConcreteSet dialects, MessageContent
// in the ItemFilter dialect (the XPath subset of boolean(//tt:SimpleItem[..])
// expressions with and/or/not). No gSOAP types here: the handler pulls the
// expression texts out of the request and this file judges them.
#include <memory>
#include <string>
#include <vector>

#include "events/event_sink.hpp"

namespace onvif::events {

extern const char kConcreteDialect[];     // http://docs.oasis-open.org/wsn/t-1/TopicExpression/Concrete
extern const char kConcreteSetDialect[];  // http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet
extern const char kItemFilterDialect[];   // http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter

enum class FilterError { None, TopicDialectUnknown, InvalidTopic, ContentDialectUnknown, InvalidContent };

// A "|"-separated set of topic paths, each optionally ending in "//."
// (the whole subtree). Path segments are compared by local name: the
// prefix of each segment is not resolved (all our topics are in the ONVIF
// topic namespace, tns1).
class TopicFilter {
 public:
  // Parses `expression` in `dialect` (empty dialect = Concrete).
  FilterError parse(const std::string& dialect, const std::string& expression);
  bool matches(const std::string& topic) const;

 private:
  struct Path {
    std::vector<std::string> segments;
    bool subtree = false;
  };
  std::vector<Path> paths_;
};

class ContentFilter {
 public:
  ContentFilter();
  ~ContentFilter();
  ContentFilter(ContentFilter&&) noexcept;
  ContentFilter& operator=(ContentFilter&&) noexcept;
  FilterError parse(const std::string& dialect, const std::string& expression);
  bool matches(const EventMessage& message) const;
  struct Node;

 private:
  std::unique_ptr<Node> root_;
};

// Everything a subscription filters on; every part must match (WS-BN).
struct SubscriptionFilter {
  std::vector<TopicFilter> topics;
  std::vector<ContentFilter> contents;
  bool matches(const EventMessage& message) const;
};

// Splits "tns1:A/B/C" into local names {"A","B","C"}; empty on malformed input.
std::vector<std::string> topicSegments(const std::string& topic);

}  // namespace onvif::events
