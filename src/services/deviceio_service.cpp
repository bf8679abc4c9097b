// DeviceIO service (ONVIF DeviceIO spec, deviceio.wsdl ver10): the
// device's physical inputs and outputs. Video and audio sources are the
// Media service's (same tokens, DEVICEIO-5-1-1); relay outputs and digital
// inputs are io::IoModel, shared with the Device service. GetRelayOutputs
// and SetRelayOutputState use the Device service's request elements
// (tds:GetRelayOutputs, tds:SetRelayOutputState), so device_io.cpp answers
// them on both paths. The device has no serial ports and no video outputs:
// it lists none and answers their tokens with the spec's faults.
#include <string>

#include "daemon/request_context.hpp"
#include "gsoap_onvifH.h"
#include "io/io_model.hpp"
#include "media/media_model.hpp"
#include "services/device_soap.hpp"
#include "services/device_state.hpp"
#include "services/service_registry.hpp"
#include "soap/element_xml.hpp"
#include "soap/faults.hpp"

namespace {

using namespace gsoap_onvif;
using onvif::daemon::requestContext;
using onvif::soap::ErrorKind;
using onvif::soap::fault;

// Longest monostable delay SetRelayOutputSettings accepts (onvif::core::parseDuration).
constexpr int kMaxDelaySeconds = 86400;

int fail(struct soap* soap, const onvif::io::Status& st) {
  return fault(soap, st.kind, st.detail.empty() ? nullptr : st.detail.c_str());
}

const onvif::media::Camera& camera(struct soap* soap) {
  return requestContext(soap).daemon->media->camera();
}

// A real device ([device] host = real) without hook_digital_input cannot
// pass an idle state on to the inputs: SetDigitalInputConfigurations is
// refused and DigitalInputOptions not claimed (device_state.hpp HostAction).
bool inputConfigRefused(struct soap* soap) {
  return onvif::services::device::refused(*requestContext(soap).daemon,
                                          &onvif::core::DeviceConfig::hook_digital_input);
}

// DeviceIO spec "GetServiceCapabilities": every count stated.
tmd__Capabilities* capabilities(struct soap* soap) {
  const auto& daemon = *requestContext(soap).daemon;
  auto* caps = soap_new_tmd__Capabilities(soap);
  caps->VideoSources = 1;
  caps->VideoOutputs = 0;
  caps->AudioSources = daemon.media->camera().audio ? 1 : 0;
  caps->AudioOutputs = 0;
  caps->RelayOutputs = static_cast<int>(daemon.io->relays().size());
  caps->DigitalInputs = static_cast<int>(daemon.io->inputs().size());
  caps->SerialPorts = 0;
  caps->DigitalInputOptions = !daemon.io->inputs().empty() && !inputConfigRefused(soap);
  return caps;
}

tmd__RelayOutputOptions* relayOptions(struct soap* soap, const std::string& token) {
  auto* o = soap_new_tmd__RelayOutputOptions(soap);
  o->token = token;
  o->Mode = {tt__RelayMode__Monostable, tt__RelayMode__Bistable};
  // A range in seconds (DeviceIO spec "GetRelayOutputOptions", first example).
  o->DelayTimes = soap_new_std__string(soap);  // tt:FloatList is a list of xs:float
  *o->DelayTimes = "0 " + std::to_string(kMaxDelaySeconds);
  o->Discrete = onvif::services::device::soapValue(soap, false);
  return o;
}

}  // namespace

namespace onvif::services {

std::string deviceIoCapabilitiesXml(struct ::soap* soap) {
  return onvif::soap::elementXml(*capabilities(soap), "tmd:Capabilities");
}

}  // namespace onvif::services

namespace gsoap_onvif {

// DeviceIO spec "GetServiceCapabilities". Access class PRE_AUTH.
int __tmd__GetServiceCapabilities(struct soap* soap, _tmd__GetServiceCapabilities*,
                                  _tmd__GetServiceCapabilitiesResponse& response) {
  response.Capabilities = capabilities(soap);
  return SOAP_OK;
}

// DeviceIO spec "GetVideoSources": the Media service's video source token.
// Access class READ_MEDIA.
int __tmd__GetVideoSources(struct soap* soap, tmd__Get*, tmd__GetResponse& response) {
  response.Token.push_back(camera(soap).video_source_token);
  return SOAP_OK;
}

// DeviceIO spec "GetAudioSources": the Media service's audio source, when
// the camera has audio. Access class READ_MEDIA.
int __tmd__GetAudioSources(struct soap* soap, tmd__Get*, tmd__GetResponse& response) {
  if (camera(soap).audio) response.Token.push_back(camera(soap).audio_source_token);
  return SOAP_OK;
}

// DeviceIO spec "GetAudioOutputs": none. Access class READ_MEDIA.
int __tmd__GetAudioOutputs(struct soap*, tmd__Get*, tmd__GetResponse&) {
  return SOAP_OK;
}

// DeviceIO spec "GetVideoOutputs": none. Access class READ_MEDIA.
int __tmd__GetVideoOutputs(struct soap*, _tmd__GetVideoOutputs*, _tmd__GetVideoOutputsResponse&) {
  return SOAP_OK;
}

// DeviceIO spec "GetVideoOutputConfiguration" and the other video output
// operations: every token is unknown (ter:NoVideoOutput).
int __tmd__GetVideoOutputConfiguration(struct soap* soap, _tmd__GetVideoOutputConfiguration*,
                                       _tmd__GetVideoOutputConfigurationResponse&) {
  return fault(soap, ErrorKind::NoVideoOutput);
}
int __tmd__SetVideoOutputConfiguration(struct soap* soap, _tmd__SetVideoOutputConfiguration*,
                                       _tmd__SetVideoOutputConfigurationResponse&) {
  return fault(soap, ErrorKind::NoVideoOutput);
}
int __tmd__GetVideoOutputConfigurationOptions(struct soap* soap, _tmd__GetVideoOutputConfigurationOptions*,
                                              _tmd__GetVideoOutputConfigurationOptionsResponse&) {
  return fault(soap, ErrorKind::NoVideoOutput);
}

// DeviceIO spec "GetRelayOutputOptions": one relay (its token) or all.
// An unknown token is ter:RelayToken. Access class PRE_AUTH.
int __tmd__GetRelayOutputOptions(struct soap* soap, _tmd__GetRelayOutputOptions* request,
                                 _tmd__GetRelayOutputOptionsResponse& response) {
  const auto* io = requestContext(soap).daemon->io;
  if (request && request->RelayOutputToken) {
    if (!io->hasRelay(*request->RelayOutputToken)) return fault(soap, ErrorKind::RelayToken);
    response.RelayOutputOptions.push_back(relayOptions(soap, *request->RelayOutputToken));
    return SOAP_OK;
  }
  for (const onvif::io::Relay& r : io->relays())
    response.RelayOutputOptions.push_back(relayOptions(soap, r.token));
  return SOAP_OK;
}

// DeviceIO spec "SetRelayOutputSettings": ter:RelayToken, ter:ModeError.
// Access class ACTUATE.
int __tmd__SetRelayOutputSettings(struct soap* soap, _tmd__SetRelayOutputSettings* request,
                                  _tmd__SetRelayOutputSettingsResponse&) {
  if (!request || !request->RelayOutput || !request->RelayOutput->Properties)
    return fault(soap, ErrorKind::InvalidArgs);
  const tt__RelayOutputSettings& p = *request->RelayOutput->Properties;
  onvif::io::RelaySettings settings;
  settings.monostable = p.Mode == tt__RelayMode__Monostable;
  settings.delay = p.DelayTime;
  settings.idle_closed = p.IdleState == tt__RelayIdleState__closed;
  onvif::io::Status st =
      requestContext(soap).daemon->io->setRelaySettings(request->RelayOutput->token, settings);
  return st.ok ? SOAP_OK : fail(soap, st);
}

// DeviceIO spec "GetDigitalInputs": the configured inputs with their idle
// state. Access class READ_SYSTEM.
int __tmd__GetDigitalInputs(struct soap* soap, _tmd__GetDigitalInputs*,
                            _tmd__GetDigitalInputsResponse& response) {
  for (const onvif::io::DigitalInput& in : requestContext(soap).daemon->io->inputs()) {
    auto* d = soap_new_tt__DigitalInput(soap);
    d->token = in.token;
    d->IdleState = onvif::services::device::soapValue(
        soap, in.idle_closed ? tt__DigitalIdleState__closed : tt__DigitalIdleState__open);
    response.DigitalInputs.push_back(d);
  }
  return SOAP_OK;
}

// DeviceIO spec "GetDigitalInputConfigurationOptions": both idle states;
// an unknown token is ter:NoConfig. Access class READ_SYSTEM.
int __tmd__GetDigitalInputConfigurationOptions(struct soap* soap,
                                               _tmd__GetDigitalInputConfigurationOptions* request,
                                               _tmd__GetDigitalInputConfigurationOptionsResponse& response) {
  if (request && request->Token && !requestContext(soap).daemon->io->hasInput(*request->Token))
    return fault(soap, ErrorKind::NoConfig);
  response.DigitalInputOptions = soap_new_tmd__DigitalInputConfigurationOptions(soap);
  response.DigitalInputOptions->IdleState = {tt__DigitalIdleState__closed, tt__DigitalIdleState__open};
  return SOAP_OK;
}

// DeviceIO spec "SetDigitalInputConfigurations": all or none; an unknown
// token is ter:NoConfig, a missing IdleState ter:SettingsInvalid. Refused
// with env:Receiver ter:ActionNotSupported (Core spec "Generic faults") by a
// real device without hook_digital_input. Access class ACTUATE.
int __tmd__SetDigitalInputConfigurations(struct soap* soap, _tmd__SetDigitalInputConfigurations* request,
                                         _tmd__SetDigitalInputConfigurationsResponse&) {
  if (!request) return fault(soap, ErrorKind::InvalidArgs);
  if (inputConfigRefused(soap)) return fault(soap, ErrorKind::ActionNotSupported);
  std::vector<onvif::io::DigitalInput> inputs;
  for (const tt__DigitalInput* d : request->DigitalInputs) {
    if (!d) return fault(soap, ErrorKind::InvalidArgs);
    if (!d->IdleState)
      return fault(soap, ErrorKind::SettingsInvalid, ("No IdleState for " + d->token).c_str());
    inputs.push_back(onvif::io::DigitalInput{d->token, *d->IdleState == tt__DigitalIdleState__closed});
  }
  onvif::io::Status st = requestContext(soap).daemon->io->setInputs(inputs);
  return st.ok ? SOAP_OK : fail(soap, st);
}

// DeviceIO spec "GetSerialPorts": none; every serial port token is
// ter:InvalidSerialPort. Access classes READ_SYSTEM / ACTUATE.
int __tmd__GetSerialPorts(struct soap*, _tmd__GetSerialPorts*, _tmd__GetSerialPortsResponse&) {
  return SOAP_OK;
}
int __tmd__GetSerialPortConfiguration(struct soap* soap, _tmd__GetSerialPortConfiguration*,
                                      _tmd__GetSerialPortConfigurationResponse&) {
  return fault(soap, ErrorKind::InvalidSerialPort);
}
int __tmd__SetSerialPortConfiguration(struct soap* soap, _tmd__SetSerialPortConfiguration*,
                                      _tmd__SetSerialPortConfigurationResponse&) {
  return fault(soap, ErrorKind::InvalidSerialPort);
}
int __tmd__GetSerialPortConfigurationOptions(struct soap* soap, _tmd__GetSerialPortConfigurationOptions*,
                                             _tmd__GetSerialPortConfigurationOptionsResponse&) {
  return fault(soap, ErrorKind::InvalidSerialPort);
}
int __tmd__SendReceiveSerialCommand(struct soap* soap, _tmd__SendReceiveSerialCommand*,
                                    _tmd__SendReceiveSerialCommandResponse&) {
  return fault(soap, ErrorKind::InvalidSerialPort);
}

}  // namespace gsoap_onvif
