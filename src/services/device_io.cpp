// Device service, relay outputs and auxiliary commands (Core spec "IO",
// "SendAuxiliaryCommand"). A device has the relays and commands its
// configuration declares ([device] relay_outputs, auxiliary_commands); by
// default none: GetRelayOutputs answers an empty list, every relay token is
// unknown (ter:RelayToken) and every auxiliary command unsupported.
// Switching a relay or sending a command runs [device] hook_relay /
// hook_auxiliary.
#include <algorithm>
#include <string>

#include "gsoap_onvifH.h"
#include "platform/validate.hpp"
#include "services/device_soap.hpp"
#include "services/device_state.hpp"
#include "services/service_context.hpp"
#include "soap/faults.hpp"

namespace gsoap_onvif {

using onvif::services::requestContext;
using onvif::soap::ErrorKind;
using onvif::soap::fault;
namespace dev = onvif::services::device;
namespace state = onvif::state;

namespace {

bool knownRelay(const onvif::services::DaemonState& daemon, const std::string& token) {
  const auto& relays = daemon.config->device.relay_outputs;
  return std::find(relays.begin(), relays.end(), token) != relays.end();
}

}  // namespace

// Core spec "GetRelayOutputs": the configured relays with their stored
// settings (default Bistable, idle open). Access class READ_MEDIA.
int __tds__GetRelayOutputs(struct soap* soap, _tds__GetRelayOutputs*,
                           _tds__GetRelayOutputsResponse& response) {
  const auto& daemon = *requestContext(soap).daemon;
  state::Section area = dev::area(daemon, dev::kSystemArea);
  for (const std::string& token : daemon.config->device.relay_outputs) {
    const std::string k = "relay_" + token;
    auto* relay = soap_new_tt__RelayOutput(soap);
    relay->token = token;
    relay->Properties = soap_new_tt__RelayOutputSettings(soap);
    relay->Properties->Mode = state::getString(area, k + ".mode", "Bistable") == "Monostable"
                                  ? tt__RelayMode__Monostable
                                  : tt__RelayMode__Bistable;
    relay->Properties->DelayTime = state::getString(area, k + ".delay", "PT0S");
    relay->Properties->IdleState = state::getString(area, k + ".idle", "open") == "closed"
                                       ? tt__RelayIdleState__closed
                                       : tt__RelayIdleState__open;
    response.RelayOutputs.push_back(relay);
  }
  return SOAP_OK;
}

// Core spec "SetRelayOutputSettings": unknown token -> ter:RelayToken; a
// DelayTime that is no xs:duration (up to a day) -> ter:InvalidArgVal.
// Access class ACTUATE.
int __tds__SetRelayOutputSettings(struct soap* soap, _tds__SetRelayOutputSettings* request,
                                  _tds__SetRelayOutputSettingsResponse&) {
  const auto& daemon = *requestContext(soap).daemon;
  if (!request || !request->Properties) return fault(soap, ErrorKind::InvalidArgs);
  if (!knownRelay(daemon, request->RelayOutputToken)) return fault(soap, ErrorKind::RelayToken);
  long long ms = 0;
  if (!onvif::platform::parseDuration(request->Properties->DelayTime, &ms))
    return fault(soap, ErrorKind::InvalidArgVal, "DelayTime is not a duration of at most one day");
  std::lock_guard<std::mutex> lock(dev::settingsMutex());
  state::Section area = dev::area(daemon, dev::kSystemArea);
  const std::string k = "relay_" + request->RelayOutputToken;
  area[k + ".mode"] = request->Properties->Mode == tt__RelayMode__Monostable ? "Monostable" : "Bistable";
  area[k + ".delay"] = request->Properties->DelayTime;
  area[k + ".idle"] = request->Properties->IdleState == tt__RelayIdleState__closed ? "closed" : "open";
  if (!dev::store(daemon, dev::kSystemArea, area)) return fault(soap, ErrorKind::ActionFailed);
  return SOAP_OK;
}

// Core spec "SetRelayOutputState": the relay hook gets token, active or
// inactive, and the relay's mode, delay (ms) and idle state.
// Access class ACTUATE.
int __tds__SetRelayOutputState(struct soap* soap, _tds__SetRelayOutputState* request,
                               _tds__SetRelayOutputStateResponse&) {
  const auto& daemon = *requestContext(soap).daemon;
  if (!request) return fault(soap, ErrorKind::InvalidArgs);
  if (!knownRelay(daemon, request->RelayOutputToken)) return fault(soap, ErrorKind::RelayToken);
  state::Section area = dev::area(daemon, dev::kSystemArea);
  const std::string k = "relay_" + request->RelayOutputToken;
  long long delay_ms = 0;
  onvif::platform::parseDuration(state::getString(area, k + ".delay", "PT0S"), &delay_ms);
  bool active = request->LogicalState == tt__RelayLogicalState__active;
  if (!dev::runHook(daemon, daemon.config->device.hook_relay, "relay output",
                    {request->RelayOutputToken, active ? "active" : "inactive",
                     state::getString(area, k + ".mode", "Bistable"), std::to_string(delay_ms),
                     state::getString(area, k + ".idle", "open")}))
    return fault(soap, ErrorKind::ActionFailed, "The relay hook failed");
  return SOAP_OK;
}

// Core spec "SendAuxiliaryCommand": only the configured commands
// (else ter:AuxiliaryDataNotSupported); the hook's first output line is the
// AuxiliaryCommandResponse. Access class ACTUATE.
int __tds__SendAuxiliaryCommand(struct soap* soap, _tds__SendAuxiliaryCommand* request,
                                _tds__SendAuxiliaryCommandResponse& response) {
  const auto& daemon = *requestContext(soap).daemon;
  if (!request) return fault(soap, ErrorKind::InvalidArgs);
  const auto& commands = daemon.config->device.auxiliary_commands;
  if (std::find(commands.begin(), commands.end(), request->AuxiliaryCommand) == commands.end())
    return fault(soap, ErrorKind::AuxiliaryDataNotSupported);
  std::string output;
  if (!dev::runHook(daemon, daemon.config->device.hook_auxiliary, "auxiliary command",
                    {request->AuxiliaryCommand}, &output))
    return fault(soap, ErrorKind::ActionFailed, "The auxiliary hook failed");
  std::string first = output.substr(0, output.find('\n'));
  if (!first.empty()) response.AuxiliaryCommandResponse = dev::soapString(soap, first);
  return SOAP_OK;
}

}  // namespace gsoap_onvif
