// Access class of every operation this binary binds, from the "access class"
// line of each operation in the ONVIF specifications (Core, Media, Media2,
// PTZ, Imaging, DeviceIO in ../shared/onvif-spec). Operations the spec text
// gives no class for are marked and classed by analogy with their siblings
// (Get* of configuration like the service's other reads, Set* like its other
// writes). Order follows build/gen/operations.cpp. A unit test fails when an
// operation is bound but missing here, or listed here but not bound.
#include "security/access_policy.hpp"

namespace onvif::security {
namespace {

const OperationAccess kTable[] = {
    // Device management (Core spec, "Device management")
    {"tds:GetServices", AccessClass::PreAuth},
    {"tds:GetServiceCapabilities", AccessClass::PreAuth},
    {"tds:GetDeviceInformation", AccessClass::ReadSystem},
    {"tds:SetSystemDateAndTime", AccessClass::WriteSystem},
    {"tds:GetSystemDateAndTime", AccessClass::PreAuth},
    {"tds:SetSystemFactoryDefault", AccessClass::Unrecoverable},
    {"tds:UpgradeSystemFirmware", AccessClass::Unrecoverable},  // not in the spec text: by analogy
    {"tds:SystemReboot", AccessClass::Unrecoverable},
    {"tds:RestoreSystem", AccessClass::Unrecoverable},
    {"tds:GetSystemBackup", AccessClass::ReadSystemSecret},
    {"tds:GetSystemLog", AccessClass::ReadSystemSecret},
    {"tds:GetSystemSupportInformation", AccessClass::ReadSystemSecret},
    {"tds:GetScopes", AccessClass::ReadSystem},
    {"tds:SetScopes", AccessClass::WriteSystem},
    {"tds:AddScopes", AccessClass::WriteSystem},
    {"tds:RemoveScopes", AccessClass::WriteSystem},
    {"tds:GetDiscoveryMode", AccessClass::ReadSystem},
    {"tds:SetDiscoveryMode", AccessClass::WriteSystem},
    {"tds:GetRemoteDiscoveryMode", AccessClass::ReadSystem},   // not in the spec text: by analogy
    {"tds:SetRemoteDiscoveryMode", AccessClass::WriteSystem},  // not in the spec text: by analogy
    {"tds:GetDPAddresses", AccessClass::ReadSystem},           // not in the spec text: by analogy
    {"tds:GetEndpointReference", AccessClass::PreAuth},
    {"tds:GetRemoteUser", AccessClass::ReadSystem},
    {"tds:SetRemoteUser", AccessClass::WriteSystem},
    {"tds:GetUsers", AccessClass::ReadSystemSecret},
    {"tds:CreateUsers", AccessClass::WriteSystem},
    {"tds:DeleteUsers", AccessClass::WriteSystem},
    {"tds:SetUser", AccessClass::WriteSystem},
    {"tds:GetUserRoles", AccessClass::ReadSystem},
    {"tds:SetUserRole", AccessClass::WriteSystem},
    {"tds:DeleteUserRole", AccessClass::WriteSystem},
    {"tds:GetWsdlUrl", AccessClass::PreAuth},
    {"tds:GetPasswordComplexityOptions", AccessClass::ReadSystem},
    {"tds:GetPasswordComplexityConfiguration", AccessClass::ReadSystem},
    {"tds:SetPasswordComplexityConfiguration", AccessClass::WriteSystem},
    {"tds:GetPasswordHistoryConfiguration", AccessClass::ReadSystem},
    {"tds:SetPasswordHistoryConfiguration", AccessClass::WriteSystem},
    {"tds:GetAuthFailureWarningOptions", AccessClass::ReadSystem},
    {"tds:GetAuthFailureWarningConfiguration", AccessClass::ReadSystem},
    {"tds:SetAuthFailureWarningConfiguration", AccessClass::WriteSystem},
    {"tds:GetCapabilities", AccessClass::PreAuth},
    {"tds:SetDPAddresses", AccessClass::WriteSystem},  // not in the spec text: by analogy
    {"tds:GetHostname", AccessClass::PreAuth},
    {"tds:SetHostname", AccessClass::WriteSystem},
    {"tds:SetHostnameFromDHCP", AccessClass::WriteSystem},
    {"tds:GetDNS", AccessClass::ReadSystem},
    {"tds:SetDNS", AccessClass::WriteSystem},
    {"tds:GetNTP", AccessClass::ReadSystem},
    {"tds:SetNTP", AccessClass::WriteSystem},
    {"tds:GetDynamicDNS", AccessClass::ReadSystem},
    {"tds:SetDynamicDNS", AccessClass::WriteSystem},
    {"tds:GetNetworkInterfaces", AccessClass::ReadSystem},
    {"tds:SetNetworkInterfaces", AccessClass::WriteSystem},
    {"tds:GetNetworkProtocols", AccessClass::ReadSystem},
    {"tds:SetNetworkProtocols", AccessClass::WriteSystem},
    {"tds:GetNetworkDefaultGateway", AccessClass::ReadSystem},
    {"tds:SetNetworkDefaultGateway", AccessClass::WriteSystem},
    {"tds:GetZeroConfiguration", AccessClass::ReadSystem},
    {"tds:SetZeroConfiguration", AccessClass::WriteSystem},
    {"tds:GetIPAddressFilter", AccessClass::ReadSystem},
    {"tds:SetIPAddressFilter", AccessClass::WriteSystem},
    {"tds:AddIPAddressFilter", AccessClass::WriteSystem},
    {"tds:RemoveIPAddressFilter", AccessClass::WriteSystem},
    {"tds:GetAccessPolicy", AccessClass::ReadSystemSecret},
    {"tds:SetAccessPolicy", AccessClass::WriteSystem},
    {"tds:CreateCertificate", AccessClass::WriteSystem},         // not in the spec text: by analogy
    {"tds:GetCertificates", AccessClass::ReadSystem},            // not in the spec text: by analogy
    {"tds:GetCertificatesStatus", AccessClass::ReadSystem},      // not in the spec text: by analogy
    {"tds:SetCertificatesStatus", AccessClass::WriteSystem},     // not in the spec text: by analogy
    {"tds:DeleteCertificates", AccessClass::WriteSystem},        // not in the spec text: by analogy
    {"tds:GetPkcs10Request", AccessClass::ReadSystem},           // not in the spec text: by analogy
    {"tds:LoadCertificates", AccessClass::WriteSystem},          // not in the spec text: by analogy
    {"tds:GetClientCertificateMode", AccessClass::ReadSystem},   // not in the spec text: by analogy
    {"tds:SetClientCertificateMode", AccessClass::WriteSystem},  // not in the spec text: by analogy
    {"tds:GetRelayOutputs", AccessClass::ReadMedia},
    {"tds:SetRelayOutputSettings", AccessClass::Actuate},
    {"tds:SetRelayOutputState", AccessClass::Actuate},
    {"tds:SendAuxiliaryCommand", AccessClass::Actuate},
    {"tds:GetCACertificates", AccessClass::ReadSystem},               // not in the spec text: by analogy
    {"tds:LoadCertificateWithPrivateKey", AccessClass::WriteSystem},  // not in the spec text: by analogy
    {"tds:GetCertificateInformation", AccessClass::ReadSystem},       // not in the spec text: by analogy
    {"tds:LoadCACertificates", AccessClass::WriteSystem},             // not in the spec text: by analogy
    {"tds:CreateDot1XConfiguration", AccessClass::WriteSystem},       // not in the spec text: by analogy
    {"tds:SetDot1XConfiguration", AccessClass::WriteSystem},          // not in the spec text: by analogy
    {"tds:GetDot1XConfiguration", AccessClass::ReadSystem},           // not in the spec text: by analogy
    {"tds:GetDot1XConfigurations", AccessClass::ReadSystem},          // not in the spec text: by analogy
    {"tds:DeleteDot1XConfiguration", AccessClass::WriteSystem},       // not in the spec text: by analogy
    {"tds:GetDot11Capabilities", AccessClass::ReadSystem},
    {"tds:GetDot11Status", AccessClass::ReadSystem},
    {"tds:ScanAvailableDot11Networks", AccessClass::ReadSystem},
    {"tds:GetSystemUris", AccessClass::ReadSystem},
    {"tds:StartFirmwareUpgrade", AccessClass::Unrecoverable},
    {"tds:UpgradeFirmware", AccessClass::Unrecoverable},
    {"tds:StartSystemRestore", AccessClass::Unrecoverable},
    {"tds:GetStorageConfigurations", AccessClass::ReadMedia},
    {"tds:CreateStorageConfiguration", AccessClass::Actuate},
    {"tds:GetStorageConfiguration", AccessClass::ReadMedia},
    {"tds:SetStorageConfiguration", AccessClass::Actuate},
    {"tds:DeleteStorageConfiguration", AccessClass::Actuate},
    {"tds:GetGeoLocation", AccessClass::ReadSystem},
    {"tds:SetGeoLocation", AccessClass::WriteSystem},
    {"tds:DeleteGeoLocation", AccessClass::WriteSystem},
    {"tds:SetHashingAlgorithm", AccessClass::WriteSystem},
    // Events (Core spec, "Event handling")
    {"tev:PullMessages", AccessClass::ReadMedia},
    {"tev:Seek", AccessClass::ReadMedia},
    {"tev:SetSynchronizationPoint", AccessClass::ReadMedia},
    // WS-BaseNotification operations of the event service (Core spec: event operations are READ_MEDIA)
    {"wsnt:Unsubscribe", AccessClass::ReadMedia},
    // Events (Core spec, "Event handling")
    {"tev:GetServiceCapabilities", AccessClass::PreAuth},
    {"tev:CreatePullPointSubscription", AccessClass::ReadMedia},
    {"tev:GetEventProperties", AccessClass::ReadMedia},
    {"tev:AddEventBroker", AccessClass::WriteSystem},
    {"tev:DeleteEventBroker", AccessClass::WriteSystem},
    {"tev:GetEventBrokers", AccessClass::ReadMedia},
    // WS-BaseNotification operations of the event service (Core spec: event operations are READ_MEDIA)
    {"wsnt:Renew", AccessClass::ReadMedia},
    {"wsnt:Subscribe", AccessClass::ReadMedia},           // not in the spec text: by analogy
    {"wsnt:GetCurrentMessage", AccessClass::ReadMedia},   // not in the spec text: by analogy
    {"wsnt:Notify", AccessClass::ReadMedia},              // not in the spec text: by analogy
    {"wsnt:GetMessages", AccessClass::ReadMedia},         // not in the spec text: by analogy
    {"wsnt:DestroyPullPoint", AccessClass::ReadMedia},    // not in the spec text: by analogy
    {"wsnt:CreatePullPoint", AccessClass::ReadMedia},     // not in the spec text: by analogy
    {"wsnt:PauseSubscription", AccessClass::ReadMedia},   // not in the spec text: by analogy
    {"wsnt:ResumeSubscription", AccessClass::ReadMedia},  // not in the spec text: by analogy
    // Imaging (Imaging spec)
    {"timg:GetServiceCapabilities", AccessClass::PreAuth},
    {"timg:GetImagingSettings", AccessClass::ReadMedia},
    {"timg:SetImagingSettings", AccessClass::Actuate},
    {"timg:GetOptions", AccessClass::ReadMedia},
    {"timg:Move", AccessClass::Actuate},
    {"timg:Stop", AccessClass::Actuate},
    {"timg:GetStatus", AccessClass::ReadMedia},
    {"timg:GetMoveOptions", AccessClass::ReadMedia},
    {"timg:GetPresets", AccessClass::ReadMedia},
    {"timg:GetCurrentPreset", AccessClass::ReadMedia},
    {"timg:SetCurrentPreset", AccessClass::Actuate},
    // DeviceIO (DeviceIO spec)
    {"tmd:GetServiceCapabilities", AccessClass::PreAuth},
    {"tmd:GetRelayOutputOptions", AccessClass::PreAuth},
    {"tmd:Get", AccessClass::ReadMedia},  // not in the spec text: by analogy
    {"tmd:GetVideoOutputs", AccessClass::ReadMedia},
    {"tmd:GetVideoSourceConfiguration", AccessClass::ReadMedia},  // not in the spec text: by analogy
    {"tmd:GetVideoOutputConfiguration", AccessClass::ReadMedia},
    {"tmd:GetAudioSourceConfiguration", AccessClass::ReadMedia},  // not in the spec text: by analogy
    {"tmd:GetAudioOutputConfiguration", AccessClass::ReadMedia},  // not in the spec text: by analogy
    {"tmd:SetVideoSourceConfiguration", AccessClass::Actuate},    // not in the spec text: by analogy
    {"tmd:SetVideoOutputConfiguration", AccessClass::Actuate},
    {"tmd:SetAudioSourceConfiguration", AccessClass::Actuate},           // not in the spec text: by analogy
    {"tmd:SetAudioOutputConfiguration", AccessClass::Actuate},           // not in the spec text: by analogy
    {"tmd:GetVideoSourceConfigurationOptions", AccessClass::ReadMedia},  // not in the spec text: by analogy
    {"tmd:GetVideoOutputConfigurationOptions", AccessClass::ReadMedia},  // not in the spec text: by analogy
    {"tmd:GetAudioSourceConfigurationOptions", AccessClass::ReadMedia},  // not in the spec text: by analogy
    {"tmd:GetAudioOutputConfigurationOptions", AccessClass::ReadMedia},  // not in the spec text: by analogy
    {"tmd:SetRelayOutputSettings", AccessClass::Actuate},
    {"tmd:GetDigitalInputs", AccessClass::ReadSystem},
    {"tmd:GetDigitalInputConfigurationOptions", AccessClass::ReadSystem},
    {"tmd:SetDigitalInputConfigurations", AccessClass::Actuate},
    {"tmd:GetSerialPorts", AccessClass::ReadSystem},
    {"tmd:GetSerialPortConfiguration", AccessClass::ReadSystem},
    {"tmd:SetSerialPortConfiguration", AccessClass::Actuate},
    {"tmd:GetSerialPortConfigurationOptions", AccessClass::ReadSystem},
    {"tmd:SendReceiveSerialCommand", AccessClass::Actuate},
    // PTZ (PTZ spec)
    {"tptz:GetServiceCapabilities", AccessClass::PreAuth},
    {"tptz:GetConfigurations", AccessClass::ReadMedia},
    {"tptz:GetPresets", AccessClass::ReadMedia},
    {"tptz:SetPreset", AccessClass::Actuate},
    {"tptz:RemovePreset", AccessClass::Actuate},
    {"tptz:GotoPreset", AccessClass::Actuate},
    {"tptz:GetStatus", AccessClass::ReadMedia},
    {"tptz:GetConfiguration", AccessClass::ReadMedia},
    {"tptz:GetNodes", AccessClass::ReadMedia},
    {"tptz:GetNode", AccessClass::ReadMedia},
    {"tptz:SetConfiguration", AccessClass::Actuate},
    {"tptz:GetConfigurationOptions", AccessClass::ReadMedia},
    {"tptz:GotoHomePosition", AccessClass::Actuate},
    {"tptz:SetHomePosition", AccessClass::Actuate},
    {"tptz:ContinuousMove", AccessClass::Actuate},
    {"tptz:RelativeMove", AccessClass::Actuate},
    {"tptz:SendAuxiliaryCommand", AccessClass::Actuate},
    {"tptz:AbsoluteMove", AccessClass::Actuate},
    {"tptz:GeoMove", AccessClass::Actuate},
    {"tptz:Stop", AccessClass::Actuate},
    {"tptz:GetPresetTours", AccessClass::ReadMedia},
    {"tptz:GetPresetTour", AccessClass::ReadMedia},
    {"tptz:GetPresetTourOptions", AccessClass::ReadMedia},
    {"tptz:CreatePresetTour", AccessClass::Actuate},
    {"tptz:ModifyPresetTour", AccessClass::Actuate},
    {"tptz:OperatePresetTour", AccessClass::Actuate},
    {"tptz:RemovePresetTour", AccessClass::Actuate},
    {"tptz:GetCompatibleConfigurations", AccessClass::ReadMedia},
    {"tptz:MoveAndStartTracking", AccessClass::Actuate},
    // Media2 (Media2 spec)
    {"tr2:GetServiceCapabilities", AccessClass::PreAuth},
    {"tr2:CreateProfile", AccessClass::Actuate},
    {"tr2:GetProfiles", AccessClass::ReadMedia},
    {"tr2:AddConfiguration", AccessClass::Actuate},
    {"tr2:RemoveConfiguration", AccessClass::Actuate},
    {"tr2:DeleteProfile", AccessClass::Actuate},
    {"tr2:GetConfiguration", AccessClass::ReadMedia},            // not in the spec text: by analogy
    {"tr2:SetVideoSourceConfiguration", AccessClass::Actuate},   // not in the spec text: by analogy
    {"tr2:SetVideoEncoderConfiguration", AccessClass::Actuate},  // not in the spec text: by analogy
    {"tr2:SetAudioSourceConfiguration", AccessClass::Actuate},   // not in the spec text: by analogy
    {"tr2:SetAudioEncoderConfiguration", AccessClass::Actuate},  // not in the spec text: by analogy
    {"tr2:SetMetadataConfiguration", AccessClass::Actuate},      // not in the spec text: by analogy
    {"tr2:SetAudioOutputConfiguration", AccessClass::Actuate},   // not in the spec text: by analogy
    {"tr2:SetAudioDecoderConfiguration", AccessClass::Actuate},  // not in the spec text: by analogy
    {"tr2:SetEQPresetConfiguration", AccessClass::Actuate},      // not in the spec text: by analogy
    {"tr2:GetVideoEncoderInstances", AccessClass::ReadMedia},
    {"tr2:GetStreamUri", AccessClass::ReadMedia},
    {"tr2:StartStopMulticastStreaming", AccessClass::Actuate},  // not in the spec text: by analogy
    {"tr2:SetSynchronizationPoint", AccessClass::Actuate},
    {"tr2:GetSnapshotUri", AccessClass::ReadMedia},
    {"tr2:GetVideoSourceModes", AccessClass::ReadSystem},
    {"tr2:SetVideoSourceMode", AccessClass::WriteSystem},
    {"tr2:GetOSDs", AccessClass::ReadMedia},
    {"tr2:GetOSDOptions", AccessClass::ReadMedia},
    {"tr2:SetOSD", AccessClass::Actuate},
    {"tr2:CreateOSD", AccessClass::Actuate},
    {"tr2:DeleteOSD", AccessClass::Actuate},
    {"tr2:GetMasks", AccessClass::ReadMedia},
    {"tr2:GetMaskOptions", AccessClass::ReadMedia},
    {"tr2:SetMask", AccessClass::Actuate},
    {"tr2:CreateMask", AccessClass::Actuate},
    {"tr2:DeleteMask", AccessClass::Actuate},
    {"tr2:GetWebRTCConfigurations", AccessClass::ReadSystem},
    {"tr2:SetWebRTCConfigurations", AccessClass::WriteSystem},
    {"tr2:GetAudioClips", AccessClass::ReadSystem},
    {"tr2:AddAudioClip", AccessClass::WriteSystem},
    {"tr2:AddTTSAudioClip", AccessClass::WriteSystem},
    {"tr2:SetAudioClip", AccessClass::WriteSystem},
    {"tr2:DeleteAudioClip", AccessClass::WriteSystem},
    {"tr2:PlayAudioClip", AccessClass::ReadSystem},
    {"tr2:GetPlayingAudioClips", AccessClass::ReadSystem},
    {"tr2:GetMulticastAudioDecoderConfigurations", AccessClass::ReadSystem},
    {"tr2:GetMulticastAudioDecoderConfigurationOptions", AccessClass::ReadSystem},
    {"tr2:SetMulticastAudioDecoderConfiguration", AccessClass::WriteSystem},
    // Media (Media spec)
    {"trt:GetServiceCapabilities", AccessClass::PreAuth},
    {"trt:GetVideoSources", AccessClass::ReadMedia},
    {"trt:GetAudioSources", AccessClass::ReadMedia},
    {"trt:GetAudioOutputs", AccessClass::ReadMedia},
    {"trt:CreateProfile", AccessClass::Actuate},
    {"trt:GetProfile", AccessClass::ReadMedia},
    {"trt:GetProfiles", AccessClass::ReadMedia},
    {"trt:AddVideoEncoderConfiguration", AccessClass::Actuate},
    {"trt:AddVideoSourceConfiguration", AccessClass::Actuate},
    {"trt:AddAudioEncoderConfiguration", AccessClass::Actuate},
    {"trt:AddAudioSourceConfiguration", AccessClass::Actuate},
    {"trt:AddPTZConfiguration", AccessClass::Actuate},
    {"trt:AddVideoAnalyticsConfiguration", AccessClass::Actuate},
    {"trt:AddMetadataConfiguration", AccessClass::Actuate},
    {"trt:AddAudioOutputConfiguration", AccessClass::Actuate},
    {"trt:AddAudioDecoderConfiguration", AccessClass::Actuate},
    {"trt:RemoveVideoEncoderConfiguration", AccessClass::Actuate},
    {"trt:RemoveVideoSourceConfiguration", AccessClass::Actuate},
    {"trt:RemoveAudioEncoderConfiguration", AccessClass::Actuate},
    {"trt:RemoveAudioSourceConfiguration", AccessClass::Actuate},
    {"trt:RemovePTZConfiguration", AccessClass::Actuate},
    {"trt:RemoveVideoAnalyticsConfiguration", AccessClass::Actuate},
    {"trt:RemoveMetadataConfiguration", AccessClass::Actuate},
    {"trt:RemoveAudioOutputConfiguration", AccessClass::Actuate},
    {"trt:RemoveAudioDecoderConfiguration", AccessClass::Actuate},
    {"trt:DeleteProfile", AccessClass::Actuate},
    {"trt:GetVideoSourceConfigurations", AccessClass::ReadMedia},
    {"trt:GetVideoEncoderConfigurations", AccessClass::ReadMedia},
    {"trt:GetAudioSourceConfigurations", AccessClass::ReadMedia},
    {"trt:GetAudioEncoderConfigurations", AccessClass::ReadMedia},
    {"trt:GetVideoAnalyticsConfigurations", AccessClass::ReadMedia},
    {"trt:GetMetadataConfigurations", AccessClass::ReadMedia},
    {"trt:GetAudioOutputConfigurations", AccessClass::ReadMedia},
    {"trt:GetAudioDecoderConfigurations", AccessClass::ReadMedia},
    {"trt:GetVideoSourceConfiguration", AccessClass::ReadMedia},
    {"trt:GetVideoEncoderConfiguration", AccessClass::ReadMedia},
    {"trt:GetAudioSourceConfiguration", AccessClass::ReadMedia},
    {"trt:GetAudioEncoderConfiguration", AccessClass::ReadMedia},
    {"trt:GetVideoAnalyticsConfiguration", AccessClass::ReadMedia},
    {"trt:GetMetadataConfiguration", AccessClass::ReadMedia},
    {"trt:GetAudioOutputConfiguration", AccessClass::ReadMedia},
    {"trt:GetAudioDecoderConfiguration", AccessClass::ReadMedia},
    {"trt:GetCompatibleVideoEncoderConfigurations", AccessClass::ReadMedia},
    {"trt:GetCompatibleVideoSourceConfigurations", AccessClass::ReadMedia},
    {"trt:GetCompatibleAudioEncoderConfigurations", AccessClass::ReadMedia},
    {"trt:GetCompatibleAudioSourceConfigurations", AccessClass::ReadMedia},
    {"trt:GetCompatibleVideoAnalyticsConfigurations", AccessClass::ReadMedia},
    {"trt:GetCompatibleMetadataConfigurations", AccessClass::ReadMedia},
    {"trt:GetCompatibleAudioOutputConfigurations", AccessClass::ReadMedia},
    {"trt:GetCompatibleAudioDecoderConfigurations", AccessClass::ReadMedia},
    {"trt:SetVideoSourceConfiguration", AccessClass::Actuate},
    {"trt:SetVideoEncoderConfiguration", AccessClass::Actuate},
    {"trt:SetAudioSourceConfiguration", AccessClass::Actuate},
    {"trt:SetAudioEncoderConfiguration", AccessClass::Actuate},
    {"trt:SetVideoAnalyticsConfiguration", AccessClass::Actuate},
    {"trt:SetMetadataConfiguration", AccessClass::Actuate},
    {"trt:SetAudioOutputConfiguration", AccessClass::Actuate},
    {"trt:SetAudioDecoderConfiguration", AccessClass::Actuate},
    {"trt:GetVideoSourceConfigurationOptions", AccessClass::ReadMedia},
    {"trt:GetVideoEncoderConfigurationOptions", AccessClass::ReadMedia},
    {"trt:GetAudioSourceConfigurationOptions", AccessClass::ReadMedia},
    {"trt:GetAudioEncoderConfigurationOptions", AccessClass::ReadMedia},
    {"trt:GetMetadataConfigurationOptions", AccessClass::ReadMedia},
    {"trt:GetAudioOutputConfigurationOptions", AccessClass::ReadMedia},
    {"trt:GetAudioDecoderConfigurationOptions", AccessClass::ReadMedia},
    {"trt:GetGuaranteedNumberOfVideoEncoderInstances", AccessClass::ReadMedia},
    {"trt:GetStreamUri", AccessClass::ReadMedia},
    {"trt:StartMulticastStreaming", AccessClass::Actuate},
    {"trt:StopMulticastStreaming", AccessClass::Actuate},
    {"trt:SetSynchronizationPoint", AccessClass::Actuate},
    {"trt:GetSnapshotUri", AccessClass::ReadMedia},
    {"trt:GetVideoSourceModes", AccessClass::ReadSystem},
    {"trt:SetVideoSourceMode", AccessClass::WriteSystem},
    {"trt:GetOSDs", AccessClass::ReadMedia},
    {"trt:GetOSD", AccessClass::ReadMedia},
    {"trt:GetOSDOptions", AccessClass::ReadMedia},
    {"trt:SetOSD", AccessClass::Actuate},
    {"trt:CreateOSD", AccessClass::Actuate},
    {"trt:DeleteOSD", AccessClass::Actuate},
};

}  // namespace

const OperationAccess* operationAccessTable() {
  return kTable;
}
std::size_t operationAccessTableSize() {
  return sizeof(kTable) / sizeof(kTable[0]);
}

}  // namespace onvif::security
