#pragma once
// The one table from our error kinds to what goes on the wire: SOAP fault
// code, ter: subcode(s), reason text and HTTP status (ONVIF Core spec,
// "Generic faults" and each operation's fault list). Handlers return
// fault(soap, ErrorKind::X) and never build a fault by hand.
#include <cstddef>

struct soap;

namespace onvif::soap {

enum class ErrorKind {
  WellFormed,
  TagMismatch,
  InvalidArgs,
  InvalidArgVal,
  UnknownAction,
  OperationProhibited,
  NotAuthorized,
  ActionNotSupported,
  NoSuchService,
  ActionFailed,
  OutOfMemory,
  // Device management (Core spec, device service faults)
  InvalidTimeZone,
  InvalidDateTime,
  NtpServerUndefined,
  InvalidHostname,
  InvalidIPv4Address,
  InvalidIPv6Address,
  InvalidDnsName,
  InvalidNetworkInterface,
  InvalidGatewayAddress,
  ServiceNotSupported,
  PortAlreadyInUse,
  TooManyScopes,
  FixedScope,
  NoScope,
  ScopeOverwrite,
  UsernameClash,
  PasswordTooLong,
  UsernameTooLong,
  PasswordTooWeak,
  TooManyUsers,
  FixedUser,
  AnonymousNotAllowed,
  UsernameTooShort,
  UsernameMissing,
  InvalidArgValUnknownToken,
  // Media
  NoProfile,
  NoConfig,
  ConfigModify,
  DeletionOfFixedProfile,
  MaxNVTProfiles,
  IncompatibleConfiguration,
  InvalidStreamSetup,
  StreamConflict,
  NoSource,
  // Events
  InvalidFilterFault,
  TopicExpressionDialectUnknown,
  InvalidMessageContentExpression,
  UnacceptableInitialTerminationTime,
  UnacceptableTerminationTime,
  ResourceUnknown,
  UnableToCreatePullPoint,
  SubscribeCreationFailed,
  UnableToDestroySubscription,
  PullMessagesTooLong,
  // Media
  ProfileExists,
  AudioNotSupported,
  ConfigurationConflict,
  MaxOSDs,
  IncompleteConfiguration,
  InvalidMulticastSettings,
  // Device management, appended by the device helper (Core spec fault lists)
  RelayToken,
  AuxiliaryDataNotSupported,
  InvalidMtuValue,
  SystemlogUnavailable,
  AccesslogUnavailable,
  TimeSyncedToNtp,
  UnableToGetMessages,  // events: a second PullMessages while one waits
  // Imaging (Imaging spec fault lists)
  SettingsInvalid,
  NoImagingForSource,
  // DeviceIO (DeviceIO spec fault lists)
  ModeError,
  InvalidSerialPort,
  NoVideoOutput,
  // Media2 (GetVideoSourceModes, SetVideoSourceMode)
  NoVideoSource,
  NoVideoSourceMode,
  MatchingRuleNotSupported,  // WS-Discovery Probe with an unknown MatchBy
  // PTZ (PTZ spec, each operation's fault list)
  NoEntity,
  NoPTZProfile,
  SpaceNotSupported,
  InvalidPosition,
  InvalidTranslation,
  InvalidVelocity,
  InvalidSpeed,
  TimeoutNotSupported,
  NoToken,
  PresetExist,
  InvalidPresetName,
  MovingPTZ,
  TooManyPresets,
  CannotOverwriteHome,
  NoPTZStatus,
  Count_  // keep last
};

struct FaultSpec {
  ErrorKind kind;
  bool sender;           // env:Sender (true) or env:Receiver
  const char* subcode;   // first-level ter: subcode, or nullptr
  const char* subcode2;  // second-level subcode, or nullptr
  const char* reason;    // env:Reason text
  int http_status;       // HTTP status of the fault response
};

// The table, in ErrorKind order (a unit test checks the order and coverage).
const FaultSpec* faultTable();
std::size_t faultTableSize();
const FaultSpec& faultSpec(ErrorKind kind);

// Sets up the fault on the soap context and returns the gSOAP error code the
// handler must return. `detail` overrides the reason text when given;
// `detail_xml` is placed literally inside the Detail element (e.g. the
// events service's PullMessagesFaultResponse).
int fault(struct ::soap* soap, ErrorKind kind, const char* detail = nullptr,
          const char* detail_xml = nullptr);

}  // namespace onvif::soap
