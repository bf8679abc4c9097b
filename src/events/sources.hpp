#pragma once
// The camera's event sources, from [events]: which topics exist, their
// message descriptions (for GetEventProperties' TopicSet), and the messages
// the simulator and the control socket raise. Topics (ONVIF topic namespace):
//   tns1:VideoSource/MotionAlarm                 Source "Source", Data "State"
//   tns1:RuleEngine/CellMotionDetector/Motion    Source VSC/VAC/Rule, Data "IsMotion"
//   tns1:Device/Trigger/DigitalInput             Source "InputToken", Data "LogicalState"
//   tns1:Device/Trigger/Relay                    Source "RelayToken", Data "LogicalState"
// All four are properties (Core spec "Property Events").
#include <string>
#include <vector>

#include "core/config.hpp"
#include "services/event_sink.hpp"

namespace onvif::events {

extern const char kMotionAlarmTopic[];
extern const char kCellMotionTopic[];
extern const char kDigitalInputTopic[];
extern const char kRelayTopic[];

// wstop:TopicSet children as XML text (prefixes tns1, tt, wstop, xsd).
// media: also the configuration-change topics the media service publishes.
// media: the media topics (ver10 configuration changes); media2: also the
// Media2 ones (tns1:Media/ProfileChanged, tns1:Media/ConfigurationChanged).
std::string topicSetXml(const core::EventsConfig& config, bool media = false, bool media2 = false);

services::EventMessage motionAlarm(const core::EventsConfig& config, bool on, services::PropertyOperation op);
services::EventMessage cellMotion(const core::EventsConfig& config, bool on, services::PropertyOperation op);
services::EventMessage digitalInput(const std::string& token, bool on, services::PropertyOperation op);
services::EventMessage relay(const std::string& token, bool active, services::PropertyOperation op);

// The Initialized state of every configured property (published at start).
std::vector<services::EventMessage> initialStates(const core::EventsConfig& config);

}  // namespace onvif::events
