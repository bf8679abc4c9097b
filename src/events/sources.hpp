#pragma once
// The camera's event sources, from [events]: which topics exist, their
// message descriptions (for GetEventProperties' TopicSet), and the messages
// the simulator and the control socket raise. Topics (ONVIF topic namespace):
//   tns1:VideoSource/MotionAlarm                 Source "Source", Data "State"
//   tns1:RuleEngine/CellMotionDetector/Motion    Source VSC/VAC/Rule, Data "IsMotion"
//   tns1:Device/Trigger/DigitalInput             Source "InputToken", Data "LogicalState"
//   tns1:Device/Trigger/Relay                    Source "RelayToken", Data "LogicalState"
//   tns1:VideoSource/<kind>/ImagingService       Source "Source", Data "State"
//     kind: ImageTooBlurry, ImageTooDark, ImageTooBright, GlobalSceneChange
//     (Imaging spec "Tampering"; only the kinds of [events] tampering)
// All are properties (Core spec "Property Events"). With a PTZ node,
// also the preset events of the PTZ spec ("Events"), plain events:
//   tns1:PTZController/PTZPresets/Invoked|Reached|Aborted|Left
//                                   Source "PTZConfigurationToken", Data "PresetToken", "PresetName"
#include <string>
#include <vector>

#include "core/config.hpp"
#include "events/event_sink.hpp"

namespace onvif::events {

extern const char kMotionAlarmTopic[];
extern const char kCellMotionTopic[];
extern const char kDigitalInputTopic[];
extern const char kRelayTopic[];
extern const char kPtzPresetsTopic[];  // + "/Invoked", "/Reached", "/Aborted", "/Left"
extern const char* const
    kTamperingKinds[4];  // ImageTooBlurry, ImageTooDark, ImageTooBright, GlobalSceneChange

// tns1:VideoSource/<kind>/ImagingService: the imaging service detects it
// (Imaging spec "Tampering" names the detecting service in the topic).
std::string tamperingTopic(const std::string& kind);

// wstop:TopicSet children as XML text (prefixes tns1, tt, wstop, xsd).
// media: also the configuration-change topics the media service publishes.
// media: the media topics (ver10 configuration changes); media2: also the
// Media2 ones (tns1:Media/ProfileChanged, tns1:Media/ConfigurationChanged).
// ptz: the PTZ preset topics (a PTZ node exists).
std::string topicSetXml(const core::EventsConfig& config, bool media = false, bool media2 = false,
                        bool ptz = false);

EventMessage motionAlarm(const core::EventsConfig& config, bool on, PropertyOperation op);
EventMessage cellMotion(const core::EventsConfig& config, bool on, PropertyOperation op);
EventMessage digitalInput(const std::string& token, bool on, PropertyOperation op);
EventMessage relay(const std::string& token, bool active, PropertyOperation op);
// Source "Source" = `source` (a video source token), Data "State".
EventMessage tampering(const std::string& kind, const std::string& source, bool on, PropertyOperation op);
// `what`: Invoked, Reached, Aborted or Left.
events::EventMessage ptzPreset(const char* what, const std::string& configuration, const std::string& token,
                               const std::string& name);

// The Initialized state of every configured property (published at start).
std::vector<EventMessage> initialStates(const core::EventsConfig& config);

}  // namespace onvif::events
