#include "events/message_xml.hpp"

#include "events/filter.hpp"

namespace onvif::events {

std::string xmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // Control characters other than tab/CR/LF are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') continue;
        out += c;
    }
  }
  return out;
}

const char* operationName(PropertyOperation op) {
  switch (op) {
    case PropertyOperation::Initialized: return "Initialized";
    case PropertyOperation::Changed: return "Changed";
    case PropertyOperation::Deleted: return "Deleted";
    default: return nullptr;
  }
}

namespace {

void items(std::string& out, const char* group, const std::vector<SimpleItem>& list,
           const std::vector<ElementItem>& elements = {}) {
  if (list.empty() && elements.empty()) return;
  out += "<tt:";
  out += group;
  out += '>';
  for (const auto& item : list)
    out += "<tt:SimpleItem Name=\"" + xmlEscape(item.name) + "\" Value=\"" + xmlEscape(item.value) + "\"/>";
  for (const auto& item : elements)
    out += "<tt:ElementItem Name=\"" + xmlEscape(item.name) + "\">" + item.xml + "</tt:ElementItem>";
  out += "</tt:";
  out += group;
  out += '>';
}

}  // namespace

std::string messageXml(const Delivery& d) {
  std::string out = "<tt:Message UtcTime=\"" + formatUtc(d.utc, true) + "\"";
  if (const char* op = operationName(d.operation)) out += std::string(" PropertyOperation=\"") + op + "\"";
  out += '>';
  items(out, "Source", d.message->source);
  items(out, "Key", d.message->key);
  // Core spec "Property Example": a Deleted property carries no Data.
  if (d.operation != PropertyOperation::Deleted)
    items(out, "Data", d.message->data, d.message->data_elements);
  out += "</tt:Message>";
  return out;
}

std::string notificationLine(const Delivery& d) {
  std::string out =
      "<wsnt:NotificationMessage xmlns:wsnt=\"http://docs.oasis-open.org/wsn/b-2\""
      " xmlns:tt=\"http://www.onvif.org/ver10/schema\" xmlns:tns1=\"http://www.onvif.org/ver10/topics\">"
      "<wsnt:Topic Dialect=\"";
  out += kConcreteSetDialect;
  out += "\">";
  out += xmlEscape(d.message->topic);
  out += "</wsnt:Topic><wsnt:Message>";
  out += messageXml(d);
  out += "</wsnt:Message></wsnt:NotificationMessage>";
  // Only an ElementItem's own XML can hold a raw line break; as a character
  // reference it means the same in text and keeps its meaning in attributes.
  std::string line;
  line.reserve(out.size());
  for (char c : out) {
    if (c == '\n')
      line += "&#10;";
    else if (c == '\r')
      line += "&#13;";
    else
      line += c;
  }
  return line;
}

}  // namespace onvif::events
