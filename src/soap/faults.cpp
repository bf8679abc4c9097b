#include "soap/faults.hpp"

#include <cstdlib>

#include "connection_plugin.hpp"
#include "wsddH.h"  // the global module owns SOAP_ENV__Fault (see wsdl/wsdd_module.h)

namespace onvif::soap {
namespace {

constexpr bool S = true;   // env:Sender
constexpr bool R = false;  // env:Receiver

// SOAP 1.2 HTTP binding: Sender faults are 400, Receiver faults 500.
const FaultSpec kTable[] = {
    {ErrorKind::WellFormed, S, "ter:WellFormed", nullptr, "Well-formed Error", 400},
    {ErrorKind::TagMismatch, S, "ter:TagMismatch", nullptr, "Tag Mismatch", 400},
    {ErrorKind::InvalidArgs, S, "ter:InvalidArgs", nullptr, "Invalid Args", 400},
    {ErrorKind::InvalidArgVal, S, "ter:InvalidArgVal", nullptr, "Argument Value Invalid", 400},
    {ErrorKind::UnknownAction, S, "ter:UnknownAction", nullptr, "Unknown Action", 400},
    {ErrorKind::OperationProhibited, S, "ter:OperationProhibited", nullptr, "Operation not Permitted", 400},
    {ErrorKind::NotAuthorized, S, "ter:NotAuthorized", nullptr, "Sender not Authorized", 400},
    {ErrorKind::ActionNotSupported, R, "ter:ActionNotSupported", nullptr, "Optional Action Not Implemented",
     500},
    {ErrorKind::NoSuchService, R, "ter:ActionNotSupported", "ter:NoSuchService",
     "The requested WSDL service category is not supported by the device", 500},
    {ErrorKind::ActionFailed, R, "ter:Action", nullptr, "Action Failed", 500},
    {ErrorKind::OutOfMemory, R, "ter:OutofMemory", nullptr, "Out of Memory", 500},
    {ErrorKind::InvalidTimeZone, S, "ter:InvalidArgVal", "ter:InvalidTimeZone", "The time zone is not valid",
     400},
    {ErrorKind::InvalidDateTime, S, "ter:InvalidArgVal", "ter:InvalidDateTime",
     "The date and time is not valid", 400},
    {ErrorKind::NtpServerUndefined, S, "ter:InvalidArgVal", "ter:NtpServerUndefined",
     "No NTP server is configured", 400},
    {ErrorKind::InvalidHostname, S, "ter:InvalidArgVal", "ter:InvalidHostname", "The host name is not valid",
     400},
    {ErrorKind::InvalidIPv4Address, S, "ter:InvalidArgVal", "ter:InvalidIPv4Address",
     "The IPv4 address is not valid", 400},
    {ErrorKind::InvalidIPv6Address, S, "ter:InvalidArgVal", "ter:InvalidIPv6Address",
     "The IPv6 address is not valid", 400},
    {ErrorKind::InvalidDnsName, S, "ter:InvalidArgVal", "ter:InvalidDnsName", "The DNS name is not valid",
     400},
    {ErrorKind::InvalidNetworkInterface, S, "ter:InvalidArgVal", "ter:InvalidNetworkInterface",
     "The network interface token does not exist", 400},
    {ErrorKind::InvalidGatewayAddress, S, "ter:InvalidArgVal", "ter:InvalidGatewayAddress",
     "The gateway address is not valid", 400},
    {ErrorKind::ServiceNotSupported, S, "ter:InvalidArgVal", "ter:ServiceNotSupported",
     "The protocol is not supported", 400},
    {ErrorKind::PortAlreadyInUse, S, "ter:InvalidArgVal", "ter:PortAlreadyInUse",
     "The port is already in use", 400},
    {ErrorKind::TooManyScopes, R, "ter:Action", "ter:TooManyScopes",
     "The scope list exceeds the supported number of scopes", 500},
    {ErrorKind::FixedScope, S, "ter:OperationProhibited", "ter:FixedScope",
     "Trying to change or remove a fixed scope", 400},
    {ErrorKind::NoScope, S, "ter:InvalidArgVal", "ter:NoScope", "The scope does not exist", 400},
    {ErrorKind::ScopeOverwrite, S, "ter:OperationProhibited", "ter:ScopeOverwrite",
     "Scope list overwrite is not allowed", 400},
    {ErrorKind::UsernameClash, S, "ter:OperationProhibited", "ter:UsernameClash", "Username already exists",
     400},
    {ErrorKind::PasswordTooLong, S, "ter:OperationProhibited", "ter:PasswordTooLong",
     "The password is too long", 400},
    {ErrorKind::UsernameTooLong, S, "ter:OperationProhibited", "ter:UsernameTooLong",
     "The username is too long", 400},
    {ErrorKind::PasswordTooWeak, S, "ter:OperationProhibited", "ter:Password", "Too weak password", 400},
    {ErrorKind::TooManyUsers, R, "ter:Action", "ter:TooManyUsers",
     "Maximum number of supported users exceeded", 500},
    {ErrorKind::FixedUser, S, "ter:InvalidArgVal", "ter:FixedUser", "Username may not be deleted or changed",
     400},
    {ErrorKind::AnonymousNotAllowed, S, "ter:OperationProhibited", "ter:AnonymousNotAllowed",
     "User level anonymous is not allowed", 400},
    {ErrorKind::UsernameTooShort, S, "ter:OperationProhibited", "ter:UsernameTooShort",
     "The username is too short", 400},
    {ErrorKind::UsernameMissing, S, "ter:InvalidArgVal", "ter:UsernameMissing", "Username not recognized",
     400},
    {ErrorKind::InvalidArgValUnknownToken, S, "ter:InvalidArgVal", "ter:UnknownToken", "The token is unknown",
     400},
    {ErrorKind::NoProfile, S, "ter:InvalidArgVal", "ter:NoProfile",
     "The requested profile token does not exist", 400},
    {ErrorKind::NoConfig, S, "ter:InvalidArgVal", "ter:NoConfig",
     "The requested configuration does not exist", 400},
    {ErrorKind::ConfigModify, S, "ter:InvalidArgVal", "ter:ConfigModify",
     "The configuration parameters are not possible to set", 400},
    {ErrorKind::DeletionOfFixedProfile, S, "ter:Action", "ter:DeletionOfFixedProfile",
     "A fixed profile cannot be deleted", 400},
    {ErrorKind::MaxNVTProfiles, R, "ter:Action", "ter:MaxNVTProfiles",
     "The maximum number of supported profiles has been reached", 500},
    {ErrorKind::IncompatibleConfiguration, R, "ter:Action", "ter:IncompatibleConfiguration",
     "The configuration is not compatible with the profile", 500},
    {ErrorKind::InvalidStreamSetup, S, "ter:InvalidArgVal", "ter:InvalidStreamSetup",
     "Specification of StreamType or Transport part is not supported", 400},
    {ErrorKind::StreamConflict, S, "ter:OperationProhibited", "ter:StreamConflict",
     "The stream setup conflicts with other streams", 400},
    {ErrorKind::NoSource, S, "ter:InvalidArgVal", "ter:NoSource", "The requested source does not exist", 400},
    // WS-BaseNotification faults: env:Receiver, HTTP 500 (Core spec "SOAP Fault Messages").
    {ErrorKind::InvalidFilterFault, R, "ter:InvalidArgVal", "wsnt:InvalidFilterFault",
     "The filter is not valid", 500},
    {ErrorKind::TopicExpressionDialectUnknown, R, "ter:InvalidArgVal",
     "wsnt:TopicExpressionDialectUnknownFault", "The topic expression dialect is not supported", 500},
    {ErrorKind::InvalidMessageContentExpression, R, "ter:InvalidArgVal",
     "wsnt:InvalidMessageContentExpressionFault", "The message content expression is not valid", 500},
    {ErrorKind::UnacceptableInitialTerminationTime, R, "ter:InvalidArgVal",
     "wsnt:UnacceptableInitialTerminationTimeFault", "The initial termination time is not acceptable", 500},
    {ErrorKind::UnacceptableTerminationTime, R, "ter:InvalidArgVal", "wsnt:UnacceptableTerminationTimeFault",
     "The termination time is not acceptable", 500},
    {ErrorKind::ResourceUnknown, R, "ter:InvalidArgVal", "wsrfr:ResourceUnknownFault",
     "The subscription does not exist", 500},
    {ErrorKind::UnableToCreatePullPoint, R, "ter:Action", "wsntw:UnableToCreatePullPointFault",
     "Unable to create pull point", 500},
    {ErrorKind::SubscribeCreationFailed, R, "ter:Action", "wsntw:SubscribeCreationFailedFault",
     "Unable to create subscription", 500},
    {ErrorKind::UnableToDestroySubscription, R, "ter:Action", "wsntw:UnableToDestroySubscriptionFault",
     "Unable to destroy subscription", 500},
    {ErrorKind::PullMessagesTooLong, S, "ter:InvalidArgVal", nullptr,
     "Timeout or MessageLimit exceed the device's limits", 400},
    {ErrorKind::ProfileExists, S, "ter:InvalidArgVal", "ter:ProfileExists",
     "A profile with this token already exists", 400},
    {ErrorKind::AudioNotSupported, R, "ter:ActionNotSupported", "ter:AudioNotSupported",
     "The device does not support audio", 500},
    {ErrorKind::ConfigurationConflict, R, "ter:Action", "ter:ConfigurationConflict",
     "The configuration conflicts with other configurations of the profile", 500},
    {ErrorKind::MaxOSDs, R, "ter:Action", "ter:MaxOSDs",
     "The maximum number of OSDs of the video source configuration has been reached", 500},
    {ErrorKind::IncompleteConfiguration, R, "ter:Action", "ter:IncompleteConfiguration",
     "The profile does not have the configurations needed", 500},
    {ErrorKind::InvalidMulticastSettings, S, "ter:InvalidArgVal", "ter:InvalidMulticastSettings",
     "No configuration of the profile is configured for multicast", 400},
    {ErrorKind::RelayToken, S, "ter:InvalidArgVal", "ter:RelayToken", "Unknown relay token reference", 400},
    {ErrorKind::AuxiliaryDataNotSupported, S, "ter:InvalidArgVal", "ter:AuxiliaryDataNotSupported",
     "The requested AuxiliaryCommand is not supported", 400},
    {ErrorKind::InvalidMtuValue, S, "ter:InvalidArgVal", "ter:InvalidMtuValue", "The MTU value is invalid",
     400},
    {ErrorKind::SystemlogUnavailable, S, "ter:InvalidArgs", "ter:SystemlogUnavailable",
     "There is no system log information available", 400},
    {ErrorKind::AccesslogUnavailable, S, "ter:InvalidArgs", "ter:AccesslogUnavailable",
     "There is no access log information available", 400},
    {ErrorKind::TimeSyncedToNtp, S, "ter:InvalidArgVal", "ter:TimeSyncedToNtp",
     "Current DateTimeType requires an NTP server", 400},
    {ErrorKind::UnableToGetMessages, R, "ter:Action", "wsnt:UnableToGetMessagesFault",
     "Another PullMessages request is already waiting on this subscription", 500},
    {ErrorKind::SettingsInvalid, S, "ter:InvalidArgVal", "ter:SettingsInvalid",
     "The requested settings are incorrect", 400},
    {ErrorKind::NoImagingForSource, R, "ter:ActionNotSupported", "ter:NoImagingForSource",
     "The requested video source does not support imaging settings", 500},
    {ErrorKind::ModeError, S, "ter:InvalidArgVal", "ter:ModeError", "Monostable delay time not valid", 400},
    {ErrorKind::InvalidSerialPort, S, "ter:InvalidArgVal", "ter:InvalidSerialPort",
     "The serial port token does not exist", 400},
    {ErrorKind::NoVideoOutput, S, "ter:InvalidArgVal", "ter:NoVideoOutput",
     "The requested video output does not exist", 400},
    {ErrorKind::NoVideoSource, S, "ter:InvalidArgVal", "ter:NoVideoSource",
     "The requested video source does not exist", 400},
    {ErrorKind::NoVideoSourceMode, S, "ter:InvalidArgVal", "ter:NoVideoSourceMode",
     "The requested video source mode does not exist", 400},
    // WS-Discovery section 5.3 (ONVIF Core "SOAP Fault Messages"); sent over UDP, no HTTP status applies.
    {ErrorKind::MatchingRuleNotSupported, S, "wsdd:MatchingRuleNotSupported", nullptr,
     "the matching rule specified is not supported", 400},
    {ErrorKind::NoEntity, S, "ter:InvalidArgVal", "ter:NoEntity", "No such PTZ node on the device", 400},
    {ErrorKind::NoPTZProfile, S, "ter:InvalidArgVal", "ter:NoPTZProfile",
     "The requested profile token does not reference a PTZ configuration", 400},
    {ErrorKind::SpaceNotSupported, S, "ter:InvalidArgVal", "ter:SpaceNotSupported",
     "A space is referenced that is not supported by the PTZ node", 400},
    {ErrorKind::InvalidPosition, S, "ter:InvalidArgVal", "ter:InvalidPosition",
     "The requested position is out of bounds", 400},
    {ErrorKind::InvalidTranslation, S, "ter:InvalidArgVal", "ter:InvalidTranslation",
     "The requested translation is out of bounds", 400},
    {ErrorKind::InvalidVelocity, S, "ter:InvalidArgVal", "ter:InvalidVelocity",
     "The requested velocity is out of bounds", 400},
    {ErrorKind::InvalidSpeed, S, "ter:InvalidArgVal", "ter:InvalidSpeed",
     "The requested speed is out of bounds", 400},
    {ErrorKind::TimeoutNotSupported, S, "ter:InvalidArgVal", "ter:TimeoutNotSupported",
     "The timeout is not within the supported timeout range", 400},
    {ErrorKind::NoToken, S, "ter:InvalidArgVal", "ter:NoToken", "The requested preset token does not exist",
     400},
    {ErrorKind::PresetExist, S, "ter:InvalidArgVal", "ter:PresetExist",
     "The requested name already exists for another preset", 400},
    {ErrorKind::InvalidPresetName, S, "ter:InvalidArgVal", "ter:InvalidPresetName",
     "The preset name is too long or contains invalid characters", 400},
    {ErrorKind::MovingPTZ, R, "ter:Action", "ter:MovingPTZ",
     "Preset cannot be set while the PTZ unit is moving", 500},
    {ErrorKind::TooManyPresets, R, "ter:Action", "ter:TooManyPresets", "Maximum number of presets reached",
     500},
    {ErrorKind::CannotOverwriteHome, R, "ter:Action", "ter:CannotOverwriteHome",
     "The home position is fixed and cannot be overwritten", 500},
    {ErrorKind::NoPTZStatus, R, "ter:Action", "ter:NoStatus",
     "No PTZ status is available in the requested media profile", 500},
};

static_assert(sizeof(kTable) / sizeof(kTable[0]) == static_cast<std::size_t>(ErrorKind::Count_),
              "every ErrorKind needs exactly one row");

}  // namespace

const FaultSpec* faultTable() {
  return kTable;
}
std::size_t faultTableSize() {
  return sizeof(kTable) / sizeof(kTable[0]);
}

const FaultSpec& faultSpec(ErrorKind kind) {
  const FaultSpec& spec = kTable[static_cast<std::size_t>(kind)];
  if (spec.kind != kind) abort();  // table out of order: a build defect, caught by the unit test
  return spec;
}

int fault(struct ::soap* soap, ErrorKind kind, const char* detail, const char* detail_xml) {
  const FaultSpec& spec = faultSpec(kind);
  const char* reason = detail ? detail : spec.reason;
  if (spec.sender)
    soap_sender_fault_subcode(soap, spec.subcode, reason, detail_xml);
  else
    soap_receiver_fault_subcode(soap, spec.subcode, reason, detail_xml);
  if (spec.subcode2) {
    // gSOAP's helpers set one subcode level; ONVIF names a second one.
    SOAP_ENV__Code* code = soap->fault ? soap->fault->SOAP_ENV__Code : nullptr;
    SOAP_ENV__Code* sub = code ? code->SOAP_ENV__Subcode : nullptr;
    if (sub) {
      sub->SOAP_ENV__Subcode = soap_new_SOAP_ENV__Code(soap);
      soap_default_SOAP_ENV__Code(soap, sub->SOAP_ENV__Subcode);
      sub->SOAP_ENV__Subcode->SOAP_ENV__Value = soap_strdup(soap, spec.subcode2);
    }
  }
  plugins::setFaultStatus(soap, spec.http_status);
  return SOAP_FAULT;
}

}  // namespace onvif::soap
