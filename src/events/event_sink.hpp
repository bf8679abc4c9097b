#pragma once
// Where services publish ONVIF events (Core spec "Event handling"): the
// events service implements it; media, device and the simulator call it.
// Topics are written with the ONVIF topic namespace prefix tns1
// (http://www.onvif.org/ver10/topics), e.g. "tns1:VideoSource/MotionAlarm".
#include <string>
#include <vector>

namespace onvif::events {

struct SimpleItem {
  std::string name;
  std::string value;
};

// A Data ElementItem (Core spec "Notification Message Format"): `xml` is
// one complete element that declares every namespace it uses, so it can be
// copied into any envelope as it is.
struct ElementItem {
  std::string name;
  std::string xml;
};

// tt:Message PropertyOperation; None for a plain (non-property) event.
enum class PropertyOperation { None, Initialized, Changed, Deleted };

struct EventMessage {
  std::string topic;
  PropertyOperation operation = PropertyOperation::None;
  std::vector<SimpleItem> source;  // e.g. {"VideoSourceConfigurationToken", "vsc0"}
  std::vector<SimpleItem> key;
  std::vector<SimpleItem> data;            // e.g. {"State", "true"}
  std::vector<ElementItem> data_elements;  // e.g. {"Configuration", "<tt:Configuration ...>"}
};

class EventSink {
 public:
  virtual ~EventSink() = default;
  // Thread-safe, never blocks on a subscriber.
  virtual void publish(const EventMessage& message) = 0;
};

}  // namespace onvif::events
