#pragma once
// The tt:Message element of one notification (Core spec "Notification
// Message Format"), as XML text using the envelope's tt prefix. Built by
// hand because wsnt:Message is xs:any in the bindings (see element_xml.hpp
// for why typed objects cannot ride there).
#include <string>

#include "events/subscription.hpp"

namespace onvif::events {

std::string messageXml(const Delivery& delivery);
std::string xmlEscape(const std::string& text);
const char* operationName(services::PropertyOperation op);  // nullptr for None

}  // namespace onvif::events
