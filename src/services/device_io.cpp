// Device service, relay outputs and auxiliary commands (Core spec "IO",
// "SendAuxiliaryCommand"). A device has the relays and commands its
// configuration declares ([device] relay_outputs, auxiliary_commands);
// without them GetRelayOutputs answers an empty list, every relay token is
// unknown (ter:RelayToken) and every auxiliary command unsupported. The
// relays' state is io::IoModel, shared with the DeviceIO service.
// Switching a relay or sending a command runs [device] hook_relay /
// hook_auxiliary; without the hook a simulated device records it, a real
// one ([device] host = real) refuses it with ter:ActionNotSupported and
// claims neither the relays nor the commands (device_state.hpp HostAction).
#include <algorithm>
#include <string>

#include "core/validate.hpp"
#include "daemon/request_context.hpp"
#include "gsoap_onvifH.h"
#include "io/io_model.hpp"
#include "services/device_soap.hpp"
#include "services/device_state.hpp"
#include "soap/faults.hpp"

namespace gsoap_onvif {

using onvif::daemon::requestContext;
using onvif::soap::ErrorKind;
using onvif::soap::fault;
namespace dev = onvif::services::device;

namespace {

int fail(struct soap* soap, const onvif::io::Status& st) {
  return fault(soap, st.kind, st.detail.empty() ? nullptr : st.detail.c_str());
}

}  // namespace

// Core spec "GetRelayOutputs" (also the DeviceIO service's GetRelayOutputs,
// which uses the same request element): the configured relays with their
// settings (default Bistable, idle open). Access class READ_MEDIA.
int __tds__GetRelayOutputs(struct soap* soap, _tds__GetRelayOutputs*,
                           _tds__GetRelayOutputsResponse& response) {
  const auto& daemon = *requestContext(soap).daemon;
  for (const onvif::io::Relay& r : daemon.io->relays()) {
    auto* relay = soap_new_tt__RelayOutput(soap);
    relay->token = r.token;
    relay->Properties = soap_new_tt__RelayOutputSettings(soap);
    relay->Properties->Mode = r.settings.monostable ? tt__RelayMode__Monostable : tt__RelayMode__Bistable;
    relay->Properties->DelayTime = r.settings.delay;
    relay->Properties->IdleState =
        r.settings.idle_closed ? tt__RelayIdleState__closed : tt__RelayIdleState__open;
    response.RelayOutputs.push_back(relay);
  }
  return SOAP_OK;
}

// Core spec "SetRelayOutputSettings": unknown token -> ter:RelayToken; a
// DelayTime that is no xs:duration (up to a day) -> ter:InvalidArgVal
// (ter:ModeError, the DeviceIO spec's name for it). Access class ACTUATE.
int __tds__SetRelayOutputSettings(struct soap* soap, _tds__SetRelayOutputSettings* request,
                                  _tds__SetRelayOutputSettingsResponse&) {
  if (!request || !request->Properties) return fault(soap, ErrorKind::InvalidArgs);
  onvif::io::RelaySettings settings;
  settings.monostable = request->Properties->Mode == tt__RelayMode__Monostable;
  settings.delay = request->Properties->DelayTime;
  settings.idle_closed = request->Properties->IdleState == tt__RelayIdleState__closed;
  onvif::io::Status st =
      requestContext(soap).daemon->io->setRelaySettings(request->RelayOutputToken, settings);
  return st.ok ? SOAP_OK : fail(soap, st);
}

// Core spec "SetRelayOutputState" (also DeviceIO's, same request element):
// the relay hook gets token, active or inactive, and the relay's mode,
// delay (ms) and idle state; a change raises tns1:Device/Trigger/Relay.
// Access class ACTUATE.
int __tds__SetRelayOutputState(struct soap* soap, _tds__SetRelayOutputState* request,
                               _tds__SetRelayOutputStateResponse&) {
  if (!request) return fault(soap, ErrorKind::InvalidArgs);
  onvif::io::Status st = requestContext(soap).daemon->io->setRelayState(
      request->RelayOutputToken, request->LogicalState == tt__RelayLogicalState__active);
  return st.ok ? SOAP_OK : fail(soap, st);
}

// Core spec "SendAuxiliaryCommand": only the configured commands
// (else ter:AuxiliaryDataNotSupported); the hook's first output line is the
// AuxiliaryCommandResponse. A real device without hook_auxiliary claims no
// commands and refuses every one (Core spec "Generic faults",
// ter:ActionNotSupported). Access class ACTUATE.
int __tds__SendAuxiliaryCommand(struct soap* soap, _tds__SendAuxiliaryCommand* request,
                                _tds__SendAuxiliaryCommandResponse& response) {
  const auto& daemon = *onvif::daemon::requestContext(soap).daemon;
  if (!request) return fault(soap, ErrorKind::InvalidArgs);
  if (dev::refused(daemon, &onvif::core::DeviceConfig::hook_auxiliary)) return dev::refusedFault(soap);
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
