#pragma once
// The tt:Message element of one notification (Core spec "Notification
// Message Format"), as XML text using the envelope's tt prefix. Built by
// hand because wsnt:Message is xs:any in the bindings (see element_xml.hpp
// for why typed objects cannot ride there).
#include <string>

#include "events/subscription.hpp"

namespace onvif::events {

std::string messageXml(const Delivery& delivery);

// The whole wsnt:NotificationMessage (Topic in the ConcreteSet dialect and
// Message, no subscription reference) as one self-contained element that
// declares wsnt, tt and tns1, on one line: line breaks inside it are
// written as character references. This is what a metadata stream carries
// inside tt:Event (Streaming spec "Metadata streaming") and what the
// control socket's `watch` streams, one per line.
std::string notificationLine(const Delivery& delivery);
std::string xmlEscape(const std::string& text);
const char* operationName(PropertyOperation op);  // nullptr for None

}  // namespace onvif::events
