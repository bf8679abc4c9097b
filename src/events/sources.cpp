#include "events/sources.hpp"

namespace onvif::events {

const char kMotionAlarmTopic[] = "tns1:VideoSource/MotionAlarm";
const char kCellMotionTopic[] = "tns1:RuleEngine/CellMotionDetector/Motion";
const char kDigitalInputTopic[] = "tns1:Device/Trigger/DigitalInput";
const char kRelayTopic[] = "tns1:Device/Trigger/Relay";
const char kPtzPresetsTopic[] = "tns1:PTZController/PTZPresets";
const char* const kTamperingKinds[4] = {"ImageTooBlurry", "ImageTooDark", "ImageTooBright",
                                        "GlobalSceneChange"};

std::string tamperingTopic(const std::string& kind) {
  return "tns1:VideoSource/" + kind + "/ImagingService";
}

namespace {

std::string item(const char* name, const char* type) {
  return std::string("<tt:SimpleItemDescription Name=\"") + name + "\" Type=\"" + type + "\"/>";
}

// <tt:MessageDescription IsProperty="true"> with Source and Data item descriptions.
std::string description(const std::string& source, const std::string& data) {
  return "<tt:MessageDescription IsProperty=\"true\"><tt:Source>" + source + "</tt:Source><tt:Data>" + data +
         "</tt:Data></tt:MessageDescription>";
}

}  // namespace

namespace {

// The topic tree of the TopicSet: the root is prefixed (tns1:), the levels
// below are not (Core spec "Topic Type Information" example).
struct TopicNode {
  std::string name;
  std::string description;  // tt:MessageDescription of a topic leaf, or empty
  std::vector<TopicNode> children;

  TopicNode& child(const std::string& n) {
    for (auto& c : children)
      if (c.name == n) return c;
    children.push_back(TopicNode{n, {}, {}});
    return children.back();
  }
  void add(const std::string& topic, const std::string& desc) {
    TopicNode* node = this;
    std::size_t pos = 0;
    while (pos <= topic.size()) {
      std::size_t slash = topic.find('/', pos);
      if (slash == std::string::npos) slash = topic.size();
      node = &node->child(topic.substr(pos, slash - pos));
      pos = slash + 1;
    }
    node->description = desc;
  }
  void write(std::string& out) const {
    out += "<" + name + (description.empty() ? "" : " wstop:topic=\"true\"") + ">" + description;
    for (const auto& c : children) c.write(out);
    out += "</" + name + ">";
  }
};

}  // namespace

std::string topicSetXml(const core::EventsConfig& c, bool media, bool media2, bool ptz) {
  TopicNode root;
  root.add(kMotionAlarmTopic, description(item("Source", "tt:ReferenceToken"), item("State", "xsd:boolean")));
  root.add(kCellMotionTopic, description(item("VideoSourceConfigurationToken", "tt:ReferenceToken") +
                                             item("VideoAnalyticsConfigurationToken", "tt:ReferenceToken") +
                                             item("Rule", "xsd:string"),
                                         item("IsMotion", "xsd:boolean")));
  // Imaging spec "Events": the message description every tampering topic shares.
  for (const auto& kind : c.tampering)
    root.add(tamperingTopic(kind),
             description(item("Source", "tt:ReferenceToken"), item("State", "xsd:boolean")));
  if (!c.digital_inputs.empty())
    root.add(kDigitalInputTopic,
             description(item("InputToken", "tt:ReferenceToken"), item("LogicalState", "xsd:boolean")));
  if (!c.relays.empty())
    root.add(kRelayTopic, description(item("RelayToken", "tt:ReferenceToken"),
                                      item("LogicalState", "tt:RelayLogicalState")));
  if (media) {
    // Published by the media service when a client changes a configuration
    // (src/services/media_wire.cpp publishChange); Media spec "Events".
    static const char* const kMediaTopics[][2] = {
        {"tns1:Configuration/Profile", "tt:Profile"},
        {"tns1:Configuration/VideoSourceConfiguration/MediaService", "tt:VideoSourceConfiguration"},
        {"tns1:Configuration/VideoEncoderConfiguration", "tt:VideoEncoderConfiguration"},
        {"tns1:Configuration/AudioSourceConfiguration/MediaService", "tt:AudioSourceConfiguration"},
        {"tns1:Configuration/AudioEncoderConfiguration", "tt:AudioEncoderConfiguration"},
        {"tns1:Configuration/MetadataConfiguration", "tt:MetadataConfiguration"}};
    for (const auto& t : kMediaTopics)
      root.add(t[0], "<tt:MessageDescription><tt:Source>" + item("Token", "tt:ReferenceToken") +
                         "</tt:Source><tt:Data><tt:ElementItemDescription Name=\"Configuration\" Type=\"" +
                         std::string(t[1]) + "\"/></tt:Data></tt:MessageDescription>");
  }
  if (media && media2) {
    // Media2 spec "Events": published with the ver10 ones on every change
    // from either media service (src/services/media_wire.cpp publishChange).
    root.add("tns1:Media/ProfileChanged", "<tt:MessageDescription><tt:Source>" +
                                              item("Token", "tt:ReferenceToken") +
                                              "</tt:Source></tt:MessageDescription>");
    root.add("tns1:Media/ConfigurationChanged",
             "<tt:MessageDescription><tt:Source>" + item("Token", "tt:ReferenceToken") +
                 item("Type", "xsd:string") + "</tt:Source></tt:MessageDescription>");
  }
  if (ptz) {
    // PTZ spec "Events": preset events, not properties (published by src/ptz/ptz_model.cpp).
    for (const char* what : {"Invoked", "Reached", "Aborted", "Left"})
      root.add(std::string(kPtzPresetsTopic) + "/" + what,
               "<tt:MessageDescription><tt:Source>" + item("PTZConfigurationToken", "tt:ReferenceToken") +
                   "</tt:Source><tt:Data>" + item("PresetToken", "tt:ReferenceToken") +
                   item("PresetName", "tt:Name") + "</tt:Data></tt:MessageDescription>");
  }
  // Firmware topics raised with `onvifd event raw`: listed with an empty description.
  for (const auto& t : c.extra_topics) root.add(t, "<tt:MessageDescription/>");
  std::string xml;
  for (const auto& top : root.children) top.write(xml);
  return xml;
}

namespace {

// One property event of the camera's sources (Core spec "Properties").
EventMessage property(const char* topic, PropertyOperation op, std::vector<SimpleItem> source,
                      std::vector<SimpleItem> data) {
  EventMessage m;
  m.topic = topic;
  m.operation = op;
  m.source = std::move(source);
  m.data = std::move(data);
  return m;
}

const char* boolText(bool on) {
  return on ? "true" : "false";
}

}  // namespace

EventMessage motionAlarm(const core::EventsConfig& c, bool on, PropertyOperation op) {
  return property(kMotionAlarmTopic, op, {{"Source", c.video_source}}, {{"State", boolText(on)}});
}

EventMessage cellMotion(const core::EventsConfig& c, bool on, PropertyOperation op) {
  return property(kCellMotionTopic, op,
                  {{"VideoSourceConfigurationToken", c.video_source_configuration},
                   {"VideoAnalyticsConfigurationToken", c.analytics_configuration},
                   {"Rule", c.motion_rule}},
                  {{"IsMotion", boolText(on)}});
}

EventMessage digitalInput(const std::string& token, bool on, PropertyOperation op) {
  return property(kDigitalInputTopic, op, {{"InputToken", token}}, {{"LogicalState", boolText(on)}});
}

EventMessage relay(const std::string& token, bool active, PropertyOperation op) {
  return property(kRelayTopic, op, {{"RelayToken", token}},
                  {{"LogicalState", active ? "active" : "inactive"}});
}

EventMessage tampering(const std::string& kind, const std::string& source, bool on, PropertyOperation op) {
  const std::string topic = tamperingTopic(kind);
  return property(topic.c_str(), op, {{"Source", source}}, {{"State", boolText(on)}});
}

EventMessage ptzPreset(const char* what, const std::string& configuration, const std::string& token,
                       const std::string& name) {
  EventMessage m;
  m.topic = std::string(kPtzPresetsTopic) + "/" + what;
  m.source = {{"PTZConfigurationToken", configuration}};
  m.data = {{"PresetToken", token}, {"PresetName", name}};
  return m;
}

std::vector<EventMessage> initialStates(const core::EventsConfig& c) {
  std::vector<EventMessage> out;
  out.push_back(motionAlarm(c, false, PropertyOperation::Initialized));
  out.push_back(cellMotion(c, false, PropertyOperation::Initialized));
  for (const auto& t : c.digital_inputs)
    out.push_back(digitalInput(t, false, PropertyOperation::Initialized));
  for (const auto& t : c.relays) out.push_back(relay(t, false, PropertyOperation::Initialized));
  for (const auto& k : c.tampering)
    out.push_back(tampering(k, c.video_source, false, PropertyOperation::Initialized));
  return out;
}

}  // namespace onvif::events
