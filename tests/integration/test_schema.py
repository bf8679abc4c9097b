"""Every working operation's response validates against the official schemas.

To cover a new operation, add one line to OPERATIONS: the service path and
the request's Body content. Its response's Body child is validated against
the schema of that child's namespace (schema_check.py finds it). FAULTS lists
requests whose answer must be a schema-valid SOAP 1.2 Fault.
"""
import unittest

from lxml import etree

from harness import DEVICEIO_PATH, DEVICE_PATH, EVENTS_PATH, IMAGING_PATH, MEDIA2_PATH, MEDIA_PATH, NS, PTZ_PATH, Server, body_child, call
from schema_check import default_schemas

OPERATIONS = [
    (DEVICE_PATH, "<tds:GetSystemDateAndTime/>"),
    (DEVICE_PATH, "<tds:GetDeviceInformation/>"),
    (DEVICE_PATH, "<tds:GetServices><tds:IncludeCapability>true</tds:IncludeCapability></tds:GetServices>"),
    (DEVICE_PATH, "<tds:GetServices><tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>"),
    (DEVICE_PATH, "<tds:GetServiceCapabilities/>"),
    (DEVICE_PATH, "<tds:GetCapabilities><tds:Category>All</tds:Category></tds:GetCapabilities>"),
    (DEVICE_PATH, "<tds:GetWsdlUrl/>"),
    # --- device (system, network, scopes, users) ---
    (DEVICE_PATH, "<tds:GetEndpointReference/>"),
    (DEVICE_PATH, "<tds:GetCapabilities/>"),
    (DEVICE_PATH, "<tds:GetCapabilities><tds:Category>Device</tds:Category></tds:GetCapabilities>"),
    (DEVICE_PATH, "<tds:GetSystemSupportInformation/>"),
    (DEVICE_PATH, "<tds:GetSystemUris/>"),
    (DEVICE_PATH, "<tds:GetHostname/>"),
    (DEVICE_PATH, "<tds:GetDNS/>"),
    (DEVICE_PATH, "<tds:GetNTP/>"),
    (DEVICE_PATH, "<tds:GetNetworkInterfaces/>"),
    (DEVICE_PATH, "<tds:GetNetworkProtocols/>"),
    (DEVICE_PATH, "<tds:GetNetworkDefaultGateway/>"),
    (DEVICE_PATH, "<tds:GetZeroConfiguration/>"),
    (DEVICE_PATH, "<tds:GetDiscoveryMode/>"),
    (DEVICE_PATH, "<tds:GetDynamicDNS/>"),
    (DEVICE_PATH, "<tds:GetIPAddressFilter/>"),
    (DEVICE_PATH, "<tds:GetScopes/>"),
    (DEVICE_PATH, "<tds:GetRelayOutputs/>"),
    (DEVICE_PATH, "<tds:SystemReboot/>"),
    # --- security (users) ---
    (DEVICE_PATH, "<tds:GetUsers/>"),
    (DEVICE_PATH, "<tds:SetUser><tds:User><tt:Username>admin</tt:Username><tt:Password>admin</tt:Password>"
                  "<tt:UserLevel>Administrator</tt:UserLevel></tds:User></tds:SetUser>"),
    # --- media ---
    (MEDIA_PATH, "<trt:GetServiceCapabilities/>"),
    (MEDIA_PATH, "<trt:GetProfiles/>"),
    (MEDIA_PATH, "<trt:GetProfile><trt:ProfileToken>Profile_1</trt:ProfileToken></trt:GetProfile>"),
    (MEDIA_PATH, "<trt:GetVideoSources/>"),
    (MEDIA_PATH, "<trt:GetVideoSourceConfigurations/>"),
    (MEDIA_PATH, "<trt:GetVideoSourceConfiguration><trt:ConfigurationToken>VideoSourceConfig_1</trt:ConfigurationToken></trt:GetVideoSourceConfiguration>"),
    (MEDIA_PATH, "<trt:GetCompatibleVideoSourceConfigurations><trt:ProfileToken>Profile_1</trt:ProfileToken></trt:GetCompatibleVideoSourceConfigurations>"),
    (MEDIA_PATH, "<trt:GetVideoSourceConfigurationOptions/>"),
    (MEDIA_PATH, "<trt:GetVideoEncoderConfigurations/>"),
    (MEDIA_PATH, "<trt:GetVideoEncoderConfiguration><trt:ConfigurationToken>VideoEncoder_2</trt:ConfigurationToken></trt:GetVideoEncoderConfiguration>"),
    (MEDIA_PATH, "<trt:GetCompatibleVideoEncoderConfigurations><trt:ProfileToken>Profile_2</trt:ProfileToken></trt:GetCompatibleVideoEncoderConfigurations>"),
    (MEDIA_PATH, "<trt:GetVideoEncoderConfigurationOptions/>"),
    (MEDIA_PATH, "<trt:GetVideoEncoderConfigurationOptions><trt:ConfigurationToken>VideoEncoder_2</trt:ConfigurationToken></trt:GetVideoEncoderConfigurationOptions>"),
    (MEDIA_PATH, "<trt:GetVideoEncoderConfigurationOptions><trt:ProfileToken>Profile_1</trt:ProfileToken></trt:GetVideoEncoderConfigurationOptions>"),
    (MEDIA_PATH, "<trt:GetGuaranteedNumberOfVideoEncoderInstances><trt:ConfigurationToken>VideoSourceConfig_1</trt:ConfigurationToken></trt:GetGuaranteedNumberOfVideoEncoderInstances>"),
    (MEDIA_PATH, "<trt:GetMetadataConfigurations/>"),
    (MEDIA_PATH, "<trt:GetMetadataConfiguration><trt:ConfigurationToken>MetadataConfig_1</trt:ConfigurationToken></trt:GetMetadataConfiguration>"),
    (MEDIA_PATH, "<trt:GetCompatibleMetadataConfigurations><trt:ProfileToken>Profile_1</trt:ProfileToken></trt:GetCompatibleMetadataConfigurations>"),
    (MEDIA_PATH, "<trt:GetMetadataConfigurationOptions/>"),
    (MEDIA_PATH, "<trt:GetStreamUri><trt:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream><tt:Transport><tt:Protocol>RTSP</tt:Protocol></tt:Transport></trt:StreamSetup><trt:ProfileToken>Profile_1</trt:ProfileToken></trt:GetStreamUri>"),
    (MEDIA_PATH, "<trt:GetStreamUri><trt:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream><tt:Transport><tt:Protocol>HTTP</tt:Protocol></tt:Transport></trt:StreamSetup><trt:ProfileToken>Profile_2</trt:ProfileToken></trt:GetStreamUri>"),
    (MEDIA_PATH, "<trt:GetSnapshotUri><trt:ProfileToken>Profile_1</trt:ProfileToken></trt:GetSnapshotUri>"),
    (MEDIA_PATH, "<trt:GetOSDs/>"),
    (MEDIA_PATH, "<trt:GetOSDOptions><trt:ConfigurationToken>VideoSourceConfig_1</trt:ConfigurationToken></trt:GetOSDOptions>"),
    (MEDIA_PATH, "<trt:SetSynchronizationPoint><trt:ProfileToken>Profile_1</trt:ProfileToken></trt:SetSynchronizationPoint>"),
    # (each row must stand alone: the tests run in name order on one server)
    (MEDIA_PATH, "<trt:CreateProfile><trt:Name>Schema</trt:Name></trt:CreateProfile>"),
    (MEDIA_PATH, "<trt:AddVideoEncoderConfiguration><trt:ProfileToken>Profile_1</trt:ProfileToken><trt:ConfigurationToken>VideoEncoder_1</trt:ConfigurationToken></trt:AddVideoEncoderConfiguration>"),
    (MEDIA_PATH, "<trt:RemoveMetadataConfiguration><trt:ProfileToken>Profile_2</trt:ProfileToken></trt:RemoveMetadataConfiguration>"),
    # --- media2 ---
    (MEDIA2_PATH, "<tr2:GetServiceCapabilities/>"),
    (MEDIA2_PATH, "<tr2:GetProfiles/>"),
    (MEDIA2_PATH, "<tr2:GetProfiles><tr2:Type>All</tr2:Type></tr2:GetProfiles>"),
    (MEDIA2_PATH, "<tr2:GetProfiles><tr2:Token>Profile_1</tr2:Token><tr2:Type>VideoEncoder</tr2:Type><tr2:Type>Metadata</tr2:Type></tr2:GetProfiles>"),
    (MEDIA2_PATH, "<tr2:GetVideoSourceConfigurations/>"),
    (MEDIA2_PATH, "<tr2:GetVideoSourceConfigurations><tr2:ProfileToken>Profile_1</tr2:ProfileToken></tr2:GetVideoSourceConfigurations>"),
    (MEDIA2_PATH, "<tr2:GetVideoSourceConfigurationOptions/>"),
    (MEDIA2_PATH, "<tr2:GetVideoEncoderConfigurations/>"),
    (MEDIA2_PATH, "<tr2:GetVideoEncoderConfigurations><tr2:ConfigurationToken>VideoEncoder_1</tr2:ConfigurationToken></tr2:GetVideoEncoderConfigurations>"),
    (MEDIA2_PATH, "<tr2:GetVideoEncoderConfigurationOptions/>"),
    (MEDIA2_PATH, "<tr2:GetVideoEncoderConfigurationOptions><tr2:ProfileToken>Profile_1</tr2:ProfileToken></tr2:GetVideoEncoderConfigurationOptions>"),
    (MEDIA2_PATH, "<tr2:GetVideoEncoderInstances><tr2:ConfigurationToken>VideoSourceConfig_1</tr2:ConfigurationToken></tr2:GetVideoEncoderInstances>"),
    (MEDIA2_PATH, "<tr2:GetVideoSourceModes><tr2:VideoSourceToken>VideoSource_1</tr2:VideoSourceToken></tr2:GetVideoSourceModes>"),
    (MEDIA2_PATH, "<tr2:SetVideoSourceMode><tr2:VideoSourceToken>VideoSource_1</tr2:VideoSourceToken><tr2:VideoSourceModeToken>VideoSourceMode_1</tr2:VideoSourceModeToken></tr2:SetVideoSourceMode>"),
    (MEDIA2_PATH, "<tr2:GetMetadataConfigurations/>"),
    (MEDIA2_PATH, "<tr2:GetMetadataConfigurationOptions/>"),
    (MEDIA2_PATH, "<tr2:GetAudioSourceConfigurations/>"),
    (MEDIA2_PATH, "<tr2:GetAudioEncoderConfigurations/>"),
    (MEDIA2_PATH, "<tr2:GetAudioOutputConfigurations/>"),
    (MEDIA2_PATH, "<tr2:GetAudioDecoderConfigurations/>"),
    (MEDIA2_PATH, "<tr2:GetAnalyticsConfigurations/>"),
    (MEDIA2_PATH, "<tr2:GetStreamUri><tr2:Protocol>RtspUnicast</tr2:Protocol><tr2:ProfileToken>Profile_1</tr2:ProfileToken></tr2:GetStreamUri>"),
    (MEDIA2_PATH, "<tr2:GetSnapshotUri><tr2:ProfileToken>Profile_2</tr2:ProfileToken></tr2:GetSnapshotUri>"),
    (MEDIA2_PATH, "<tr2:SetSynchronizationPoint><tr2:ProfileToken>Profile_1</tr2:ProfileToken></tr2:SetSynchronizationPoint>"),
    (MEDIA2_PATH, "<tr2:GetOSDs/>"),
    (MEDIA2_PATH, "<tr2:GetOSDOptions><tr2:ConfigurationToken>VideoSourceConfig_1</tr2:ConfigurationToken></tr2:GetOSDOptions>"),
    (MEDIA2_PATH, "<tr2:GetMasks/>"),
    (MEDIA2_PATH, "<tr2:AddConfiguration><tr2:ProfileToken>Profile_2</tr2:ProfileToken><tr2:Configuration><tr2:Type>Metadata</tr2:Type><tr2:Token>MetadataConfig_1</tr2:Token></tr2:Configuration></tr2:AddConfiguration>"),
    (MEDIA2_PATH, "<tr2:RemoveConfiguration><tr2:ProfileToken>Profile_2</tr2:ProfileToken><tr2:Configuration><tr2:Type>Metadata</tr2:Type></tr2:Configuration></tr2:RemoveConfiguration>"),
    (MEDIA2_PATH, "<tr2:CreateProfile><tr2:Name>schema</tr2:Name></tr2:CreateProfile>"),
    # --- events ---
    (EVENTS_PATH, "<tev:GetServiceCapabilities/>"),
    (EVENTS_PATH, "<tev:GetEventProperties/>"),
    (EVENTS_PATH, "<tev:CreatePullPointSubscription/>"),
    (EVENTS_PATH, "<tev:CreatePullPointSubscription><tev:InitialTerminationTime>PT600S</tev:InitialTerminationTime>"
                  "</tev:CreatePullPointSubscription>"),
    # --- imaging ---
    (IMAGING_PATH, "<timg:GetServiceCapabilities/>"),
    (IMAGING_PATH, "<timg:GetImagingSettings><timg:VideoSourceToken>VideoSource_1</timg:VideoSourceToken></timg:GetImagingSettings>"),
    (IMAGING_PATH, "<timg:GetOptions><timg:VideoSourceToken>VideoSource_1</timg:VideoSourceToken></timg:GetOptions>"),
    (IMAGING_PATH, "<timg:SetImagingSettings><timg:VideoSourceToken>VideoSource_1</timg:VideoSourceToken><timg:ImagingSettings>"
                   "<tt:IrCutFilter>OFF</tt:IrCutFilter></timg:ImagingSettings></timg:SetImagingSettings>"),
    (IMAGING_PATH, "<timg:GetMoveOptions><timg:VideoSourceToken>VideoSource_1</timg:VideoSourceToken></timg:GetMoveOptions>"),
    (IMAGING_PATH, "<timg:Move><timg:VideoSourceToken>VideoSource_1</timg:VideoSourceToken><timg:Focus><tt:Absolute>"
                   "<tt:Position>0.4</tt:Position></tt:Absolute></timg:Focus></timg:Move>"),
    (IMAGING_PATH, "<timg:Stop><timg:VideoSourceToken>VideoSource_1</timg:VideoSourceToken></timg:Stop>"),
    (IMAGING_PATH, "<timg:GetStatus><timg:VideoSourceToken>VideoSource_1</timg:VideoSourceToken></timg:GetStatus>"),
    (IMAGING_PATH, "<timg:GetPresets><timg:VideoSourceToken>VideoSource_1</timg:VideoSourceToken></timg:GetPresets>"),
    (IMAGING_PATH, "<timg:SetCurrentPreset><timg:VideoSourceToken>VideoSource_1</timg:VideoSourceToken>"
                   "<timg:PresetToken>ImagingPreset_Night</timg:PresetToken></timg:SetCurrentPreset>"),
    (IMAGING_PATH, "<timg:GetCurrentPreset><timg:VideoSourceToken>VideoSource_1</timg:VideoSourceToken>"
                   "</timg:GetCurrentPreset>"),
    (IMAGING_PATH, "<timg:SetImagingSettings><timg:VideoSourceToken>VideoSource_1</timg:VideoSourceToken><timg:ImagingSettings>"
                   "<tt:IrCutFilter>AUTO</tt:IrCutFilter><tt:Extension><tt:Extension><tt:IrCutFilterAutoAdjustment>"
                   "<tt:BoundaryType>ToOn</tt:BoundaryType><tt:BoundaryOffset>0.25</tt:BoundaryOffset>"
                   "<tt:ResponseTime>PT10S</tt:ResponseTime></tt:IrCutFilterAutoAdjustment></tt:Extension></tt:Extension>"
                   "</timg:ImagingSettings></timg:SetImagingSettings>"),
    # --- deviceio ---
    (DEVICEIO_PATH, "<tmd:GetServiceCapabilities/>"),
    (DEVICEIO_PATH, "<tmd:GetVideoSources/>"),
    (DEVICEIO_PATH, "<tmd:GetAudioSources/>"),
    (DEVICEIO_PATH, "<tmd:GetAudioOutputs/>"),
    (DEVICEIO_PATH, "<tmd:GetVideoOutputs/>"),
    (DEVICEIO_PATH, "<tds:GetRelayOutputs/>"),
    (DEVICEIO_PATH, "<tmd:GetRelayOutputOptions/>"),
    (DEVICEIO_PATH, "<tmd:SetRelayOutputSettings><tmd:RelayOutput token=\"Relay_1\"><tt:Properties><tt:Mode>Bistable</tt:Mode>"
                    "<tt:DelayTime>PT1S</tt:DelayTime><tt:IdleState>open</tt:IdleState></tt:Properties></tmd:RelayOutput>"
                    "</tmd:SetRelayOutputSettings>"),
    (DEVICEIO_PATH, "<tds:SetRelayOutputState><tds:RelayOutputToken>Relay_1</tds:RelayOutputToken>"
                    "<tds:LogicalState>inactive</tds:LogicalState></tds:SetRelayOutputState>"),
    (DEVICEIO_PATH, "<tmd:GetDigitalInputs/>"),
    (DEVICEIO_PATH, "<tmd:GetDigitalInputConfigurationOptions/>"),
    (DEVICEIO_PATH, "<tmd:SetDigitalInputConfigurations><tmd:DigitalInputs token=\"DigitalInput_1\" IdleState=\"open\"/>"
                    "</tmd:SetDigitalInputConfigurations>"),
    (DEVICEIO_PATH, "<tmd:GetSerialPorts/>"),
    # --- PTZ (moves of zero length: SetPreset must not find the head moving)
    (PTZ_PATH, "<tptz:GetServiceCapabilities/>"),
    (PTZ_PATH, "<tptz:GetNodes/>"),
    (PTZ_PATH, "<tptz:GetNode><tptz:NodeToken>PTZNode_1</tptz:NodeToken></tptz:GetNode>"),
    (PTZ_PATH, "<tptz:GetConfigurations/>"),
    (PTZ_PATH, "<tptz:GetConfiguration><tptz:PTZConfigurationToken>PTZConfig_1</tptz:PTZConfigurationToken>"
               "</tptz:GetConfiguration>"),
    (PTZ_PATH, "<tptz:GetConfigurationOptions><tptz:ConfigurationToken>PTZConfig_1</tptz:ConfigurationToken>"
               "</tptz:GetConfigurationOptions>"),
    (PTZ_PATH, "<tptz:GetCompatibleConfigurations><tptz:ProfileToken>Profile_1</tptz:ProfileToken>"
               "</tptz:GetCompatibleConfigurations>"),
    (PTZ_PATH, "<tptz:SetConfiguration><tptz:PTZConfiguration token=\"PTZConfig_1\"><tt:Name>PTZConfig_1</tt:Name>"
               "<tt:UseCount>2</tt:UseCount><tt:NodeToken>PTZNode_1</tt:NodeToken></tptz:PTZConfiguration>"
               "<tptz:ForcePersistence>true</tptz:ForcePersistence></tptz:SetConfiguration>"),
    (PTZ_PATH, '<tptz:ContinuousMove><tptz:ProfileToken>Profile_1</tptz:ProfileToken><tptz:Velocity>'
               '<tt:PanTilt x="0" y="0"/></tptz:Velocity><tptz:Timeout>PT1S</tptz:Timeout></tptz:ContinuousMove>'),
    (PTZ_PATH, "<tptz:Stop><tptz:ProfileToken>Profile_1</tptz:ProfileToken></tptz:Stop>"),
    (PTZ_PATH, '<tptz:RelativeMove><tptz:ProfileToken>Profile_1</tptz:ProfileToken><tptz:Translation>'
               '<tt:PanTilt x="0" y="0"/></tptz:Translation></tptz:RelativeMove>'),
    (PTZ_PATH, '<tptz:AbsoluteMove><tptz:ProfileToken>Profile_1</tptz:ProfileToken><tptz:Position>'
               '<tt:PanTilt x="0" y="0"/><tt:Zoom x="0"/></tptz:Position></tptz:AbsoluteMove>'),
    (PTZ_PATH, "<tptz:GetStatus><tptz:ProfileToken>Profile_1</tptz:ProfileToken></tptz:GetStatus>"),
    (PTZ_PATH, "<tptz:GetPresets><tptz:ProfileToken>Profile_1</tptz:ProfileToken></tptz:GetPresets>"),
    (PTZ_PATH, "<tptz:SetPreset><tptz:ProfileToken>Profile_1</tptz:ProfileToken></tptz:SetPreset>"),
    (PTZ_PATH, "<tptz:GotoHomePosition><tptz:ProfileToken>Profile_1</tptz:ProfileToken></tptz:GotoHomePosition>"),
    (PTZ_PATH, "<tptz:SendAuxiliaryCommand><tptz:ProfileToken>Profile_1</tptz:ProfileToken>"
               "<tptz:AuxiliaryData>tt:Wiper|On</tptz:AuxiliaryData></tptz:SendAuxiliaryCommand>"),
    (MEDIA_PATH, "<trt:AddPTZConfiguration><trt:ProfileToken>Profile_1</trt:ProfileToken>"
                 "<trt:ConfigurationToken>PTZConfig_1</trt:ConfigurationToken></trt:AddPTZConfiguration>"),
]

FAULTS = [
    # --- device
    (DEVICE_PATH, "<tds:GetCapabilities><tds:Category>Analytics</tds:Category></tds:GetCapabilities>"),
    (DEVICE_PATH, "<tds:RemoveScopes><tds:ScopeItem>onvif://www.onvif.org/Profile/S</tds:ScopeItem></tds:RemoveScopes>"),
    (DEVICE_PATH, "<tds:GetSystemLog><tds:LogType>Access</tds:LogType></tds:GetSystemLog>"),
    (PTZ_PATH, "<tptz:GetPresetTours><tptz:ProfileToken>Profile_1</tptz:ProfileToken></tptz:GetPresetTours>"),
    (PTZ_PATH, "<tptz:GetNode><tptz:NodeToken>nope</tptz:NodeToken></tptz:GetNode>"),
    (PTZ_PATH, '<tptz:AbsoluteMove><tptz:ProfileToken>Profile_1</tptz:ProfileToken><tptz:Position>'
               '<tt:PanTilt x="5" y="0"/></tptz:Position></tptz:AbsoluteMove>'),
    (MEDIA_PATH, "<trt:GetProfile><trt:ProfileToken>nope</trt:ProfileToken></trt:GetProfile>"),
    (MEDIA_PATH, "<trt:GetAudioSources/>"),
    (IMAGING_PATH, "<timg:GetOptions><timg:VideoSourceToken>nope</timg:VideoSourceToken></timg:GetOptions>"),
    (DEVICEIO_PATH, "<tmd:GetSerialPortConfiguration><tmd:SerialPortToken>s</tmd:SerialPortToken></tmd:GetSerialPortConfiguration>"),
    (DEVICE_PATH, '<x:Frobnicate xmlns:x="urn:example:not-onvif"/>'),
]


def _name(body_xml, seen):
    """test name from the request, e.g. GetServices_IncludeCapability_true."""
    root = etree.fromstring("<w %s>%s</w>" % (" ".join('xmlns:%s="%s"' % kv for kv in NS.items()), body_xml))[0]
    parts = [etree.QName(root).localname] + [t.strip() for t in root.itertext() if t.strip()]
    name = "_".join(parts)
    if name in seen:
        name += "_%d" % len(seen)
    seen.add(name)
    return name


class TestResponseSchemas(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Skips when run by hand without the schemas; fails under CI / make test.
        cls.schemas = default_schemas()
        cls.srv = Server()
        cls.addClassCleanup(cls.srv.close)
        cls.srv.start()

    def assertValid(self, element, what):
        errors = self.schemas.validate(element)
        self.assertEqual(errors, [], "%s (%s) is not schema-valid:\n  %s\n%s"
                         % (what, element.tag, "\n  ".join(errors[:20]),
                            etree.tostring(element, pretty_print=True).decode()[:3000]))

    def check_operation(self, path, body_xml):
        resp = call(self.srv.port, body_xml, path=path)
        self.assertEqual(resp.status, 200, resp.body[:500])
        el = body_child(resp.body)
        self.assertTrue(el.tag.endswith("Response"), el.tag)
        self.assertValid(el, body_xml)

    def check_fault(self, path, body_xml):
        resp = call(self.srv.port, body_xml, path=path)
        el = body_child(resp.body)
        self.assertEqual(el.tag, "{%s}Fault" % NS["env"])
        self.assertValid(el, body_xml)

    # The validator itself must be able to fail.
    def test_validator_rejects_invalid_response(self):
        bad = etree.fromstring('<tds:GetDeviceInformationResponse xmlns:tds="%s"><tds:Manufacturer>x'
                               "</tds:Manufacturer><tds:Bogus/></tds:GetDeviceInformationResponse>" % NS["tds"])
        self.assertNotEqual(self.schemas.validate(bad), [])

    def test_validator_accepts_valid_response(self):
        good = etree.fromstring(
            '<tds:GetDeviceInformationResponse xmlns:tds="%s"><tds:Manufacturer>m</tds:Manufacturer>'
            "<tds:Model>m</tds:Model><tds:FirmwareVersion>1</tds:FirmwareVersion>"
            "<tds:SerialNumber>s</tds:SerialNumber><tds:HardwareId>h</tds:HardwareId>"
            "</tds:GetDeviceInformationResponse>" % NS["tds"])
        self.assertEqual(self.schemas.validate(good), [])


def _add_tests():
    seen = set()
    for path, body_xml in OPERATIONS:
        setattr(TestResponseSchemas, "test_%s" % _name(body_xml, seen),
                lambda self, p=path, b=body_xml: self.check_operation(p, b))
    for path, body_xml in FAULTS:
        setattr(TestResponseSchemas, "test_fault_%s" % _name(body_xml, seen),
                lambda self, p=path, b=body_xml: self.check_fault(p, b))


_add_tests()

if __name__ == "__main__":
    unittest.main()
