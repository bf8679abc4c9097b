"""Integration tests of the Media2 service (ver20) against the real binary,
named after the official test cases they follow (Media2_Configuration and
Real_Time_Streaming_using_Media2 test specifications): every operation with
its success path and its faults, ver10 <-> ver20 consistency both ways,
events of both services, persistence across a restart, advertising in
GetServices, and the npm `onvif` package using Media2.

Run: cd tests/integration && /usr/bin/python3 -m unittest -v test_media2
"""
import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest

from lxml import etree

from device_support import HookDir
from harness import (DEVICE_PATH, HOST, MEDIA2_PATH, MEDIA_PATH, NS, Server, body_child, call, fault_info)
from prerequisites import NPM_DIR, npm_node

TT = "{%s}" % NS["tt"]
SENDER = "{%s}Sender" % NS["env"]
RECEIVER = "{%s}Receiver" % NS["env"]
EVENTS_PATH = "/onvif/events_service"


def ter(name):
    return "{%s}%s" % (NS["ter"], name)


class Media2Case(unittest.TestCase):
    MEDIA = {}
    SECTIONS = {}

    @classmethod
    def setUpClass(cls):
        sections = dict(cls.SECTIONS)
        sections["media"] = dict(cls.MEDIA)
        cls.srv = Server(sections=sections)
        cls.addClassCleanup(cls.srv.close)
        cls.srv.start()

    def m2(self, body, srv=None):
        return call((srv or self.srv).port, body, path=MEDIA2_PATH)

    def ok(self, body, srv=None, path=MEDIA2_PATH):
        resp = call((srv or self.srv).port, body, path=path)
        self.assertEqual(resp.status, 200, resp.body[:800])
        el = body_child(resp.body)
        self.assertTrue(el.tag.endswith("Response"), el.tag)
        return el

    def assertFault(self, body, code, *subcodes, srv=None, path=MEDIA2_PATH):
        resp = call((srv or self.srv).port, body, path=path)
        info = fault_info(resp.body)
        self.assertEqual(info["code"], code, info)
        self.assertEqual(info["subcodes"][:len(subcodes)], [ter(s) for s in subcodes], info)
        return info

    def profiles(self, types=("All",), srv=None, token=None):
        body = "<tr2:GetProfiles>%s%s</tr2:GetProfiles>" % (
            "<tr2:Token>%s</tr2:Token>" % token if token else "",
            "".join("<tr2:Type>%s</tr2:Type>" % t for t in types))
        return self.ok(body, srv).findall("tr2:Profiles", NS)

    def vec(self, token, srv=None):
        return self.ok("<tr2:GetVideoEncoderConfigurations><tr2:ConfigurationToken>%s</tr2:ConfigurationToken>"
                       "</tr2:GetVideoEncoderConfigurations>" % token, srv).find("tr2:Configurations", NS)

    def set_vec(self, token, srv=None, expect_ok=True, **changes):
        cfg = self.vec(token, srv)
        for key, value in changes.items():
            if key in ("GovLength", "Profile"):
                cfg.set(key, str(value))
                continue
            path = {"encoding": "tt:Encoding", "width": "tt:Resolution/tt:Width", "height": "tt:Resolution/tt:Height",
                    "framerate": "tt:RateControl/tt:FrameRateLimit", "bitrate": "tt:RateControl/tt:BitrateLimit",
                    "quality": "tt:Quality", "name": "tt:Name"}[key]
            cfg.find(path, NS).text = str(value)
        cfg.tag = "{%s}Configuration" % NS["tr2"]
        body = "<tr2:SetVideoEncoderConfiguration>%s</tr2:SetVideoEncoderConfiguration>" % etree.tostring(cfg).decode()
        if expect_ok:
            return self.ok(body, srv)
        return body


class TestCapabilitiesAndProfiles(Media2Case):
    """The embedded default camera seen through Media2."""

    def test_MEDIA2_7_1_2_service_capabilities_match_get_services(self):
        caps = self.ok("<tr2:GetServiceCapabilities/>").find("tr2:Capabilities", NS)
        pc = caps.find("tr2:ProfileCapabilities", NS)
        self.assertEqual(pc.get("MaximumNumberOfProfiles"), "8")
        self.assertEqual(pc.get("ConfigurationsSupported").split(), ["VideoSource", "VideoEncoder", "PTZ", "Metadata"])
        sc = caps.find("tr2:StreamingCapabilities", NS)
        self.assertEqual(sc.get("RTSPStreaming"), "true")
        self.assertEqual(sc.get("RTPMulticast"), "false")
        self.assertEqual(sc.get("SecureRTSPStreaming"), "false")
        self.assertEqual(caps.get("OSD"), "true")
        self.assertEqual(caps.get("SnapshotUri"), "true")
        self.assertEqual(caps.get("Mask"), "false")
        resp = call(self.srv.port, "<tds:GetServices><tds:IncludeCapability>true</tds:IncludeCapability>"
                    "</tds:GetServices>", path=DEVICE_PATH)
        services = {s.findtext("tds:Namespace", namespaces=NS): s for s in body_child(resp.body)}
        svc = services[NS["tr2"]]
        self.assertEqual(svc.findtext("tds:XAddr", namespaces=NS), "http://%s:%d%s" % (HOST, self.srv.port, MEDIA2_PATH))
        listed = svc.find("tds:Capabilities/tr2:Capabilities", NS)
        shape = lambda el: [(e.tag, sorted(e.attrib.items())) for e in el.iter()]
        self.assertEqual(shape(listed), shape(caps))

    def test_MEDIA2_1_1_1_get_profiles_type_semantics(self):
        bare = self.profiles(types=())
        self.assertEqual([p.get("token") for p in bare], ["Profile_1", "Profile_2"])
        self.assertTrue(all(p.find("tr2:Configurations", NS) is None for p in bare))
        full = self.profiles()
        main = full[0].find("tr2:Configurations", NS)
        self.assertEqual(full[0].get("fixed"), "true")
        self.assertEqual(main.find("tr2:VideoSource", NS).get("token"), "VideoSourceConfig_1")
        self.assertEqual(main.find("tr2:VideoEncoder", NS).get("token"), "VideoEncoder_1")
        self.assertEqual(main.findtext("tr2:VideoEncoder/tt:Encoding", namespaces=NS), "H264")
        # Profile T: a ready profile with a metadata configuration.
        self.assertEqual(main.find("tr2:Metadata", NS).get("token"), "MetadataConfig_1")
        only = self.profiles(types=("VideoEncoder",))[0].find("tr2:Configurations", NS)
        self.assertEqual([c.tag.split("}")[1] for c in only], ["VideoEncoder"])
        one = self.profiles(token="Profile_2")
        self.assertEqual([p.get("token") for p in one], ["Profile_2"])
        self.assertFault("<tr2:GetProfiles><tr2:Token>nope</tr2:Token></tr2:GetProfiles>", SENDER,
                         "InvalidArgVal", "NoProfile")

    def ver10_uri(self, profile, protocol, stream="RTP-Unicast"):
        return self.ok("<trt:GetStreamUri><trt:StreamSetup><tt:Stream>%s</tt:Stream><tt:Transport><tt:Protocol>%s"
                       "</tt:Protocol></tt:Transport></trt:StreamSetup><trt:ProfileToken>%s</trt:ProfileToken>"
                       "</trt:GetStreamUri>" % (stream, protocol, profile), path=MEDIA_PATH
                       ).findtext("trt:MediaUri/tt:Uri", namespaces=NS)

    def test_MEDIA2_3_1_1_stream_uris(self):
        # The same stream as ver10 names for the same profile and transport.
        for proto in ("RtspUnicast", "RTSP"):
            uri = self.ok("<tr2:GetStreamUri><tr2:Protocol>%s</tr2:Protocol><tr2:ProfileToken>Profile_1"
                          "</tr2:ProfileToken></tr2:GetStreamUri>" % proto).findtext("tr2:Uri", namespaces=NS)
            self.assertTrue(uri.startswith("rtsp://%s:" % HOST), uri)
            self.assertEqual(uri, self.ver10_uri("Profile_1", "RTSP"))
        uri = self.ok("<tr2:GetStreamUri><tr2:Protocol>RtspOverHttp</tr2:Protocol><tr2:ProfileToken>Profile_2"
                      "</tr2:ProfileToken></tr2:GetStreamUri>").findtext("tr2:Uri", namespaces=NS)
        self.assertTrue(uri.startswith("http://%s:" % HOST), uri)
        self.assertEqual(uri, self.ver10_uri("Profile_2", "HTTP"))
        for proto in ("RtspMulticast", "RtspsUnicast", "RtspsMulticast", "Carrier-Pigeon"):
            self.assertFault("<tr2:GetStreamUri><tr2:Protocol>%s</tr2:Protocol><tr2:ProfileToken>Profile_1"
                             "</tr2:ProfileToken></tr2:GetStreamUri>" % proto, SENDER, "InvalidArgVal",
                             "InvalidStreamSetup")
        self.assertFault("<tr2:GetStreamUri><tr2:Protocol>RTSP</tr2:Protocol><tr2:ProfileToken>nope"
                         "</tr2:ProfileToken></tr2:GetStreamUri>", SENDER, "InvalidArgVal", "NoProfile")

    def test_MEDIA2_3_2_1_snapshot_uri(self):
        uri = self.ok("<tr2:GetSnapshotUri><tr2:ProfileToken>Profile_2</tr2:ProfileToken></tr2:GetSnapshotUri>"
                      ).findtext("tr2:Uri", namespaces=NS)
        self.assertTrue(uri.startswith("http://%s" % HOST) and "Profile_2" in uri, uri)
        self.assertFault("<tr2:GetSnapshotUri><tr2:ProfileToken>nope</tr2:ProfileToken></tr2:GetSnapshotUri>",
                         SENDER, "InvalidArgVal", "NoProfile")

    def test_MEDIA2_3_3_1_synchronization_point_and_multicast_off(self):
        # The encoder is the firmware's: the request is the apply hook's
        # "sync-point" (test_stream sees the key frame it forces).
        hooks = HookDir()
        self.addCleanup(hooks.close)
        with Server(sections={"media": {"apply_hook": hooks.hook("apply")}}) as srv:
            self.ok("<tr2:SetSynchronizationPoint><tr2:ProfileToken>Profile_1</tr2:ProfileToken>"
                    "</tr2:SetSynchronizationPoint>", srv)
            self.assertEqual(hooks.calls("apply"), [["sync-point", "Profile_1", "video_encoder=VideoEncoder_1"]])
            self.assertFault("<tr2:SetSynchronizationPoint><tr2:ProfileToken>nope</tr2:ProfileToken>"
                             "</tr2:SetSynchronizationPoint>", SENDER, "InvalidArgVal", "NoProfile", srv=srv)
            self.assertEqual(len(hooks.calls("apply")), 1)
        self.assertFault("<tr2:StartMulticastStreaming><tr2:ProfileToken>Profile_1</tr2:ProfileToken>"
                         "</tr2:StartMulticastStreaming>", RECEIVER, "ActionNotSupported")

    def test_MEDIA2_2_2_1_video_source_configurations_and_options(self):
        cfgs = self.ok("<tr2:GetVideoSourceConfigurations/>").findall("tr2:Configurations", NS)
        self.assertEqual([c.get("token") for c in cfgs], ["VideoSourceConfig_1"])
        by_profile = self.ok("<tr2:GetVideoSourceConfigurations><tr2:ProfileToken>Profile_1</tr2:ProfileToken>"
                             "</tr2:GetVideoSourceConfigurations>").findall("tr2:Configurations", NS)
        self.assertEqual(len(by_profile), 1)
        self.assertFault("<tr2:GetVideoSourceConfigurations><tr2:ConfigurationToken>nope</tr2:ConfigurationToken>"
                         "</tr2:GetVideoSourceConfigurations>", SENDER, "InvalidArgVal", "NoConfig")
        self.assertFault("<tr2:GetVideoSourceConfigurations><tr2:ProfileToken>nope</tr2:ProfileToken>"
                         "</tr2:GetVideoSourceConfigurations>", SENDER, "InvalidArgVal", "NoProfile")
        opts = self.ok("<tr2:GetVideoSourceConfigurationOptions><tr2:ConfigurationToken>VideoSourceConfig_1"
                       "</tr2:ConfigurationToken></tr2:GetVideoSourceConfigurationOptions>").find("tr2:Options", NS)
        self.assertEqual(opts.findtext("tt:VideoSourceTokensAvailable", namespaces=NS), "VideoSource_1")
        self.assertEqual(opts.find("tt:BoundsRange/tt:WidthRange/tt:Max", NS).text, "1920")

    def test_MEDIA2_2_3_1_video_encoder_options(self):
        opts = self.ok("<tr2:GetVideoEncoderConfigurationOptions><tr2:ConfigurationToken>VideoEncoder_1"
                       "</tr2:ConfigurationToken></tr2:GetVideoEncoderConfigurationOptions>").findall("tr2:Options", NS)
        self.assertEqual([o.findtext("tt:Encoding", namespaces=NS) for o in opts], ["H264", "H265"])
        h265 = opts[1]
        self.assertEqual(h265.get("ProfilesSupported"), "Main")
        self.assertEqual(h265.get("GovLengthRange"), "1 150")
        self.assertEqual(h265.get("FrameRatesSupported").split()[0], "30")
        generic = self.ok("<tr2:GetVideoEncoderConfigurationOptions/>").findall("tr2:Options", NS)
        self.assertEqual(sorted(o.findtext("tt:Encoding", namespaces=NS) for o in generic), ["H264", "H265", "JPEG"])
        self.assertFault("<tr2:GetVideoEncoderConfigurationOptions><tr2:ConfigurationToken>nope"
                         "</tr2:ConfigurationToken></tr2:GetVideoEncoderConfigurationOptions>", SENDER,
                         "InvalidArgVal", "NoConfig")

    def test_MEDIA2_2_3_6_video_encoder_instances(self):
        info = self.ok("<tr2:GetVideoEncoderInstances><tr2:ConfigurationToken>VideoSourceConfig_1"
                       "</tr2:ConfigurationToken></tr2:GetVideoEncoderInstances>").find("tr2:Info", NS)
        self.assertEqual(info.findtext("tr2:Total", namespaces=NS), "2")
        self.assertFault("<tr2:GetVideoEncoderInstances><tr2:ConfigurationToken>nope</tr2:ConfigurationToken>"
                         "</tr2:GetVideoEncoderInstances>", SENDER, "InvalidArgVal", "NoConfig")

    def test_MEDIA2_2_5_1_video_source_modes(self):
        modes = self.ok("<tr2:GetVideoSourceModes><tr2:VideoSourceToken>VideoSource_1</tr2:VideoSourceToken>"
                        "</tr2:GetVideoSourceModes>").findall("tr2:VideoSourceModes", NS)
        self.assertEqual([m.get("token") for m in modes], ["VideoSourceMode_1"])
        self.assertEqual(modes[0].findtext("tr2:MaxResolution/tt:Width", namespaces=NS), "1920")
        self.assertIn("H265", modes[0].findtext("tr2:Encodings", namespaces=NS).split())
        reboot = self.ok("<tr2:SetVideoSourceMode><tr2:VideoSourceToken>VideoSource_1</tr2:VideoSourceToken>"
                         "<tr2:VideoSourceModeToken>VideoSourceMode_1</tr2:VideoSourceModeToken>"
                         "</tr2:SetVideoSourceMode>").findtext("tr2:Reboot", namespaces=NS)
        self.assertEqual(reboot, "false")
        self.assertFault("<tr2:GetVideoSourceModes><tr2:VideoSourceToken>nope</tr2:VideoSourceToken>"
                         "</tr2:GetVideoSourceModes>", SENDER, "InvalidArgVal", "NoVideoSource")
        self.assertFault("<tr2:SetVideoSourceMode><tr2:VideoSourceToken>VideoSource_1</tr2:VideoSourceToken>"
                         "<tr2:VideoSourceModeToken>nope</tr2:VideoSourceModeToken></tr2:SetVideoSourceMode>",
                         SENDER, "InvalidArgVal", "NoVideoSourceMode")

    def test_MEDIA2_2_4_1_metadata_configuration(self):
        cfg = self.ok("<tr2:GetMetadataConfigurations/>").find("tr2:Configurations", NS)
        self.assertEqual(cfg.get("token"), "MetadataConfig_1")
        opts = self.ok("<tr2:GetMetadataConfigurationOptions/>").find("tr2:Options", NS)
        self.assertEqual(opts.find("tt:PTZStatusFilterOptions/tt:PanTiltStatusSupported", NS).text, "false")
        self.assertFault("<tr2:GetMetadataConfigurationOptions><tr2:ConfigurationToken>nope</tr2:ConfigurationToken>"
                         "</tr2:GetMetadataConfigurationOptions>", SENDER, "InvalidArgVal", "NoConfig")

    def test_audio_and_analytics_on_a_camera_without_them(self):
        for op in ("GetAudioSourceConfigurations", "GetAudioEncoderConfigurations", "GetAudioOutputConfigurations",
                   "GetAudioDecoderConfigurations", "GetAnalyticsConfigurations"):
            self.assertEqual(len(self.ok("<tr2:%s/>" % op)), 0, op)
            self.assertFault("<tr2:%s><tr2:ConfigurationToken>x</tr2:ConfigurationToken></tr2:%s>" % (op, op),
                             SENDER, "InvalidArgVal", "NoConfig")
        for op in ("GetAudioSourceConfigurationOptions", "GetAudioEncoderConfigurationOptions",
                   "GetAudioOutputConfigurationOptions", "GetAudioDecoderConfigurationOptions"):
            self.assertFault("<tr2:%s/>" % op, RECEIVER, "ActionNotSupported", "AudioNotSupported")
        self.assertFault("<tr2:AddConfiguration><tr2:ProfileToken>Profile_1</tr2:ProfileToken><tr2:Configuration>"
                         "<tr2:Type>AudioSource</tr2:Type><tr2:Token>AudioSourceConfig_1</tr2:Token>"
                         "</tr2:Configuration></tr2:AddConfiguration>", SENDER, "InvalidArgVal", "NoConfig")

    def test_masks_as_a_device_without_masks(self):
        self.assertEqual(len(self.ok("<tr2:GetMasks/>")), 0)
        self.assertFault("<tr2:GetMasks><tr2:ConfigurationToken>nope</tr2:ConfigurationToken></tr2:GetMasks>",
                         SENDER, "InvalidArgVal", "NoConfig")
        self.assertFault("<tr2:DeleteMask><tr2:Token>Mask_1</tr2:Token></tr2:DeleteMask>", SENDER,
                         "InvalidArgVal", "NoConfig")


class TestChanges(Media2Case):
    """Profiles and configurations changed through Media2, seen through ver10 and back."""

    def test_MEDIA2_1_1_3_create_add_remove_delete_profile(self):
        token = self.ok("<tr2:CreateProfile><tr2:Name>m2test</tr2:Name><tr2:Configuration><tr2:Type>VideoSource"
                        "</tr2:Type><tr2:Token>VideoSourceConfig_1</tr2:Token></tr2:Configuration>"
                        "</tr2:CreateProfile>").findtext("tr2:Token", namespaces=NS)
        p = self.profiles(token=token)[0]
        self.assertEqual(p.get("fixed"), "false")
        self.assertEqual(p.find("tr2:Configurations/tr2:VideoSource", NS).get("token"), "VideoSourceConfig_1")
        # An encoder needs its source: adding both in one request works, removing the source alone does not.
        self.ok("<tr2:AddConfiguration><tr2:ProfileToken>%s</tr2:ProfileToken><tr2:Name>renamed</tr2:Name>"
                "<tr2:Configuration><tr2:Type>VideoEncoder</tr2:Type><tr2:Token>VideoEncoder_2</tr2:Token>"
                "</tr2:Configuration><tr2:Configuration><tr2:Type>Metadata</tr2:Type><tr2:Token>MetadataConfig_1"
                "</tr2:Token></tr2:Configuration></tr2:AddConfiguration>" % token)
        ver10 = self.ok("<trt:GetProfile><trt:ProfileToken>%s</trt:ProfileToken></trt:GetProfile>" % token,
                        path=MEDIA_PATH).find("trt:Profile", NS)
        self.assertEqual(ver10.findtext("tt:Name", namespaces=NS), "renamed")
        self.assertEqual(ver10.find("tt:VideoEncoderConfiguration", NS).get("token"), "VideoEncoder_2")
        self.assertEqual(ver10.find("tt:MetadataConfiguration", NS).get("token"), "MetadataConfig_1")
        self.assertFault("<tr2:RemoveConfiguration><tr2:ProfileToken>%s</tr2:ProfileToken><tr2:Configuration>"
                         "<tr2:Type>VideoSource</tr2:Type></tr2:Configuration></tr2:RemoveConfiguration>" % token,
                         RECEIVER, "Action", "ConfigurationConflict")
        self.assertFault("<tr2:AddConfiguration><tr2:ProfileToken>%s</tr2:ProfileToken><tr2:Configuration>"
                         "<tr2:Type>VideoEncoder</tr2:Type><tr2:Token>nope</tr2:Token></tr2:Configuration>"
                         "</tr2:AddConfiguration>" % token, SENDER, "InvalidArgVal", "NoConfig")
        self.ok("<tr2:RemoveConfiguration><tr2:ProfileToken>%s</tr2:ProfileToken><tr2:Configuration><tr2:Type>All"
                "</tr2:Type></tr2:Configuration></tr2:RemoveConfiguration>" % token)
        self.assertIsNone(self.profiles(token=token)[0].find("tr2:Configurations/*", NS))
        self.ok("<tr2:DeleteProfile><tr2:Token>%s</tr2:Token></tr2:DeleteProfile>" % token)
        self.assertFault("<tr2:DeleteProfile><tr2:Token>%s</tr2:Token></tr2:DeleteProfile>" % token, SENDER,
                         "InvalidArgVal", "NoProfile")
        self.assertFault("<tr2:DeleteProfile><tr2:Token>Profile_1</tr2:Token></tr2:DeleteProfile>", SENDER,
                         "Action", "DeletionOfFixedProfile")
        self.assertFault("<tr2:AddConfiguration><tr2:ProfileToken>nope</tr2:ProfileToken></tr2:AddConfiguration>",
                         SENDER, "InvalidArgVal", "NoProfile")

    def test_ptz_configuration_through_add_and_remove_configuration(self):
        # The default camera has a PTZ node; its one configuration is a Media2
        # configuration type like the others, shared with ver10 profiles.
        caps = self.ok("<tr2:GetServiceCapabilities/>").find("tr2:Capabilities", NS)
        self.assertIn("PTZ", caps.find("tr2:ProfileCapabilities", NS).get("ConfigurationsSupported").split())
        token = self.ok("<tr2:CreateProfile><tr2:Name>m2ptz</tr2:Name></tr2:CreateProfile>").findtext(
            "tr2:Token", namespaces=NS)
        self.ok("<tr2:AddConfiguration><tr2:ProfileToken>%s</tr2:ProfileToken><tr2:Configuration><tr2:Type>PTZ"
                "</tr2:Type><tr2:Token>PTZConfig_1</tr2:Token></tr2:Configuration></tr2:AddConfiguration>" % token)
        ptz = self.profiles(types=("PTZ",), token=token)[0].find("tr2:Configurations/tr2:PTZ", NS)
        self.assertEqual(ptz.get("token"), "PTZConfig_1")
        self.assertEqual(ptz.findtext("tt:NodeToken", namespaces=NS), "PTZNode_1")
        ver10 = self.ok("<trt:GetProfile><trt:ProfileToken>%s</trt:ProfileToken></trt:GetProfile>" % token,
                        path=MEDIA_PATH).find("trt:Profile", NS)
        self.assertEqual(ver10.find("tt:PTZConfiguration", NS).get("token"), "PTZConfig_1")
        self.assertFault("<tr2:AddConfiguration><tr2:ProfileToken>%s</tr2:ProfileToken><tr2:Configuration>"
                         "<tr2:Type>PTZ</tr2:Type><tr2:Token>nope</tr2:Token></tr2:Configuration>"
                         "</tr2:AddConfiguration>" % token, SENDER, "InvalidArgVal", "NoConfig")
        self.ok("<tr2:RemoveConfiguration><tr2:ProfileToken>%s</tr2:ProfileToken><tr2:Configuration><tr2:Type>PTZ"
                "</tr2:Type></tr2:Configuration></tr2:RemoveConfiguration>" % token)
        self.assertIsNone(self.profiles(token=token)[0].find("tr2:Configurations/tr2:PTZ", NS))
        self.ok("<tr2:DeleteProfile><tr2:Token>%s</tr2:Token></tr2:DeleteProfile>" % token)

    def test_MEDIA2_2_3_4_set_all_supported_video_encoder_configurations(self):
        for token in ("VideoEncoder_1", "VideoEncoder_2"):
            original = etree.tostring(self.vec(token))
            opts = self.ok("<tr2:GetVideoEncoderConfigurationOptions><tr2:ConfigurationToken>%s"
                           "</tr2:ConfigurationToken></tr2:GetVideoEncoderConfigurationOptions>" % token
                           ).findall("tr2:Options", NS)
            for o in opts:
                enc = o.findtext("tt:Encoding", namespaces=NS)
                gov = o.get("GovLengthRange")
                for res in o.findall("tt:ResolutionsAvailable", NS):
                    for prof in (o.get("ProfilesSupported") or "").split() or [None]:
                        changes = {"encoding": enc, "width": res.findtext("tt:Width", namespaces=NS),
                                   "height": res.findtext("tt:Height", namespaces=NS),
                                   "quality": o.find("tt:QualityRange/tt:Max", NS).text,
                                   "framerate": o.get("FrameRatesSupported").split()[-1]}
                        if prof:
                            changes["Profile"] = prof
                            changes["GovLength"] = gov.split()[-1]
                        self.set_vec(token, **changes)
                        got = self.vec(token)
                        self.assertEqual(got.findtext("tt:Encoding", namespaces=NS), enc)
                        self.assertEqual(got.findtext("tt:Resolution/tt:Width", namespaces=NS), changes["width"])
                        if prof:
                            self.assertEqual(got.get("Profile"), prof)
            # Restore what was there (the way the test tool does).
            cfg = etree.fromstring(original)
            cfg.tag = "{%s}Configuration" % NS["tr2"]
            self.ok("<tr2:SetVideoEncoderConfiguration>%s</tr2:SetVideoEncoderConfiguration>" % etree.tostring(cfg).decode())
            self.assertEqual(etree.tostring(self.vec(token)), original)

    def test_MEDIA2_2_3_5_invalid_encoder_settings_change_nothing(self):
        before = etree.tostring(self.vec("VideoEncoder_2"))
        for changes in ({"width": 1234}, {"encoding": "MPV4-ES"}, {"encoding": "H265"},
                        {"Profile": "Extended"}, {"GovLength": 0}, {"quality": 99}):
            body = self.set_vec("VideoEncoder_2", expect_ok=False, **changes)
            self.assertFault(body, SENDER, "InvalidArgVal", "ConfigModify")
        self.assertEqual(etree.tostring(self.vec("VideoEncoder_2")), before)
        body = self.set_vec("VideoEncoder_2", expect_ok=False).replace("VideoEncoder_2", "nope")
        self.assertFault(body, SENDER, "InvalidArgVal", "NoConfig")

    def test_h265_through_media2_and_how_ver10_shows_it(self):
        self.set_vec("VideoEncoder_1", encoding="H265", Profile="Main")
        self.assertEqual(self.vec("VideoEncoder_1").findtext("tt:Encoding", namespaces=NS), "H265")
        # ver10 cannot name H.265: the encoder and the profile holding it are hidden.
        ver10 = self.ok("<trt:GetProfiles/>", path=MEDIA_PATH).findall("trt:Profiles", NS)
        self.assertNotIn("Profile_1", [p.get("token") for p in ver10])
        self.assertFault("<trt:GetVideoEncoderConfiguration><trt:ConfigurationToken>VideoEncoder_1"
                         "</trt:ConfigurationToken></trt:GetVideoEncoderConfiguration>", SENDER, "InvalidArgVal",
                         "NoConfig", path=MEDIA_PATH)
        self.assertEqual([p.get("token") for p in self.profiles(types=())], ["Profile_1", "Profile_2"])
        self.set_vec("VideoEncoder_1", encoding="H264", Profile="High")
        ver10 = self.ok("<trt:GetProfiles/>", path=MEDIA_PATH).findall("trt:Profiles", NS)
        self.assertIn("Profile_1", [p.get("token") for p in ver10])

    def test_ver10_change_is_seen_through_media2(self):
        body = ("<trt:SetVideoSourceConfiguration><trt:Configuration token=\"VideoSourceConfig_1\"><tt:Name>renamed"
                "</tt:Name><tt:UseCount>2</tt:UseCount><tt:SourceToken>VideoSource_1</tt:SourceToken>"
                "<tt:Bounds x=\"0\" y=\"0\" width=\"1280\" height=\"720\"/></trt:Configuration>"
                "<trt:ForcePersistence>true</trt:ForcePersistence></trt:SetVideoSourceConfiguration>")
        self.ok(body, path=MEDIA_PATH)
        cfg = self.ok("<tr2:GetVideoSourceConfigurations/>").find("tr2:Configurations", NS)
        self.assertEqual(cfg.findtext("tt:Name", namespaces=NS), "renamed")
        self.assertEqual(cfg.find("tt:Bounds", NS).get("width"), "1280")
        cfg.tag = "{%s}Configuration" % NS["tr2"]
        cfg.find("tt:Name", NS).text = "VideoSourceConfig_1"
        cfg.find("tt:Bounds", NS).set("width", "1920")
        cfg.find("tt:Bounds", NS).set("height", "1080")
        self.ok("<tr2:SetVideoSourceConfiguration>%s</tr2:SetVideoSourceConfiguration>" % etree.tostring(cfg).decode())
        ver10 = self.ok("<trt:GetVideoSourceConfigurations/>", path=MEDIA_PATH).find("trt:Configurations", NS)
        self.assertEqual(ver10.find("tt:Bounds", NS).get("width"), "1920")
        cfg.find("tt:Bounds", NS).set("width", "4000")
        self.assertFault("<tr2:SetVideoSourceConfiguration>%s</tr2:SetVideoSourceConfiguration>"
                         % etree.tostring(cfg).decode(), SENDER, "InvalidArgVal", "ConfigModify")

    def test_MEDIA2_2_4_2_set_metadata_configuration(self):
        cfg = self.ok("<tr2:GetMetadataConfigurations/>").find("tr2:Configurations", NS)
        cfg.tag = "{%s}Configuration" % NS["tr2"]
        cfg.find("tt:Name", NS).text = "meta2"
        analytics = cfg.find("tt:Analytics", NS)
        analytics.text = "true"
        self.ok("<tr2:SetMetadataConfiguration>%s</tr2:SetMetadataConfiguration>" % etree.tostring(cfg).decode())
        ver10 = self.ok("<trt:GetMetadataConfigurations/>", path=MEDIA_PATH).find("trt:Configurations", NS)
        self.assertEqual(ver10.findtext("tt:Name", namespaces=NS), "meta2")
        self.assertEqual(ver10.findtext("tt:Analytics", namespaces=NS), "true")

    def test_MEDIA2_4_1_osds_shared_with_ver10(self):
        osd = ("<tr2:OSD token=\"x\"><tt:VideoSourceConfigurationToken>VideoSourceConfig_1"
               "</tt:VideoSourceConfigurationToken><tt:Type>Text</tt:Type><tt:Position><tt:Type>UpperLeft</tt:Type>"
               "</tt:Position><tt:TextString><tt:Type>Plain</tt:Type><tt:PlainText>hello</tt:PlainText>"
               "</tt:TextString></tr2:OSD>")
        token = self.ok("<tr2:CreateOSD>%s</tr2:CreateOSD>" % osd).findtext("tr2:OSDToken", namespaces=NS)
        ver10 = self.ok("<trt:GetOSD><trt:OSDToken>%s</trt:OSDToken></trt:GetOSD>" % token, path=MEDIA_PATH)
        self.assertEqual(ver10.findtext("trt:OSD/tt:TextString/tt:PlainText", namespaces=NS), "hello")
        self.ok("<tr2:SetOSD>%s</tr2:SetOSD>" % osd.replace('token="x"', 'token="%s"' % token).replace("hello", "bye"))
        got = self.ok("<tr2:GetOSDs><tr2:OSDToken>%s</tr2:OSDToken></tr2:GetOSDs>" % token).findall("tr2:OSDs", NS)
        self.assertEqual(got[0].findtext("tt:TextString/tt:PlainText", namespaces=NS), "bye")
        opts = self.ok("<tr2:GetOSDOptions><tr2:ConfigurationToken>VideoSourceConfig_1</tr2:ConfigurationToken>"
                       "</tr2:GetOSDOptions>").find("tr2:OSDOptions", NS)
        self.assertEqual(opts.find("tt:MaximumNumberOfOSDs", NS).get("Total"), "4")
        self.ok("<trt:DeleteOSD><trt:OSDToken>%s</trt:OSDToken></trt:DeleteOSD>" % token, path=MEDIA_PATH)
        self.assertFault("<tr2:DeleteOSD><tr2:OSDToken>%s</tr2:OSDToken></tr2:DeleteOSD>" % token, SENDER,
                         "InvalidArgVal", "NoConfig")
        self.assertFault("<tr2:GetOSDs><tr2:OSDToken>%s</tr2:OSDToken></tr2:GetOSDs>" % token, SENDER,
                         "InvalidArgVal", "NoConfig")


class TestEvents(Media2Case):
    def test_MEDIA2_6_1_profile_and_configuration_changed_events(self):
        props = self.ok("<tev:GetEventProperties/>", path=EVENTS_PATH)
        topics = etree.tostring(props).decode()
        self.assertIn("ProfileChanged", topics)
        self.assertIn("ConfigurationChanged", topics)
        sub = self.ok("<tev:CreatePullPointSubscription/>", path=EVENTS_PATH)
        addr = sub.findtext(".//{http://www.w3.org/2005/08/addressing}Address")
        path = "/" + addr.split("/", 3)[3]
        # One change through each service.
        token = self.ok("<tr2:CreateProfile><tr2:Name>ev</tr2:Name></tr2:CreateProfile>").findtext(
            "tr2:Token", namespaces=NS)
        cfg = self.ok("<trt:GetMetadataConfigurations/>", path=MEDIA_PATH).find("trt:Configurations", NS)
        cfg.tag = "{%s}Configuration" % NS["trt"]
        self.ok("<trt:SetMetadataConfiguration>%s<trt:ForcePersistence>true</trt:ForcePersistence>"
                "</trt:SetMetadataConfiguration>" % etree.tostring(cfg).decode(), path=MEDIA_PATH)
        seen = []
        deadline = time.time() + 5
        while time.time() < deadline and not ("ProfileChanged" in seen and "ConfigurationChanged" in seen):
            msgs = self.ok("<tev:PullMessages><tev:Timeout>PT1S</tev:Timeout><tev:MessageLimit>50"
                           "</tev:MessageLimit></tev:PullMessages>", path=path)
            for m in msgs.iter("{http://docs.oasis-open.org/wsn/b-2}NotificationMessage"):
                topic = m.findtext("{http://docs.oasis-open.org/wsn/b-2}Topic")
                items = {i.get("Name"): i.get("Value") for i in m.iter(TT + "SimpleItem")}
                if topic.endswith("Media/ProfileChanged"):
                    self.assertEqual(items, {"Token": token})
                    seen.append("ProfileChanged")
                if topic.endswith("Media/ConfigurationChanged"):
                    self.assertEqual(items, {"Token": "MetadataConfig_1", "Type": "Metadata"})
                    seen.append("ConfigurationChanged")
        self.assertIn("ProfileChanged", seen)
        self.assertIn("ConfigurationChanged", seen)
        self.ok("<tr2:DeleteProfile><tr2:Token>%s</tr2:Token></tr2:DeleteProfile>" % token)


class TestPersistence(unittest.TestCase):
    def test_media2_changes_survive_restart(self):
        tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, tmp, True)
        sections = {"state": {"path": os.path.join(tmp, "state.ini")}}
        helper = Media2Case()
        with Server(sections=sections) as srv:
            helper.srv = srv
            helper.set_vec("VideoEncoder_1", encoding="H265", Profile="Main", GovLength=60)
            token = helper.ok("<tr2:CreateProfile><tr2:Name>kept</tr2:Name></tr2:CreateProfile>", srv).findtext(
                "tr2:Token", namespaces=NS)
        with Server(sections=sections) as srv:
            helper.srv = srv
            vec = helper.vec("VideoEncoder_1", srv)
            self.assertEqual(vec.findtext("tt:Encoding", namespaces=NS), "H265")
            self.assertEqual(vec.get("GovLength"), "60")
            self.assertEqual(helper.profiles(types=(), srv=srv, token=token)[0].findtext("tr2:Name", namespaces=NS),
                             "kept")


class TestConfiguredCamera(Media2Case):
    """Audio, multicast and a TLS streaming URI configured."""
    MEDIA = {"audio": "true", "audio_encodings": "G711, AAC", "audio_bitrates": "64", "audio_sample_rates": "8",
             "multicast": "true", "stream1.rtsps_uri": "rtsps://{host}:322/stream1"}

    def test_audio_configurations(self):
        enc = self.ok("<tr2:GetAudioEncoderConfigurations/>").find("tr2:Configurations", NS)
        self.assertEqual(enc.findtext("tt:Encoding", namespaces=NS), "PCMU")
        opts = self.ok("<tr2:GetAudioEncoderConfigurationOptions/>").findall("tr2:Options", NS)
        self.assertEqual([o.findtext("tt:Encoding", namespaces=NS) for o in opts], ["PCMU", "MP4A-LATM"])
        enc.tag = "{%s}Configuration" % NS["tr2"]
        enc.find("tt:Encoding", NS).text = "MP4A-LATM"
        self.ok("<tr2:SetAudioEncoderConfiguration>%s</tr2:SetAudioEncoderConfiguration>" % etree.tostring(enc).decode())
        ver10 = self.ok("<trt:GetAudioEncoderConfigurations/>", path=MEDIA_PATH).find("trt:Configurations", NS)
        self.assertEqual(ver10.findtext("tt:Encoding", namespaces=NS), "AAC")
        caps = self.ok("<tr2:GetServiceCapabilities/>").find("tr2:Capabilities", NS)
        self.assertIn("AudioSource", caps.find("tr2:ProfileCapabilities", NS).get("ConfigurationsSupported").split())

    def test_MEDIA2_3_1_multicast_and_rtsps_uris(self):
        caps = self.ok("<tr2:GetServiceCapabilities/>").find("tr2:Capabilities", NS)
        self.assertEqual(caps.find("tr2:StreamingCapabilities", NS).get("SecureRTSPStreaming"), "true")
        uri = self.ok("<tr2:GetStreamUri><tr2:Protocol>RtspsUnicast</tr2:Protocol><tr2:ProfileToken>Profile_1"
                      "</tr2:ProfileToken></tr2:GetStreamUri>").findtext("tr2:Uri", namespaces=NS)
        self.assertEqual(uri, "rtsps://%s:322/stream1" % HOST)
        self.assertFault("<tr2:GetStreamUri><tr2:Protocol>RtspsUnicast</tr2:Protocol><tr2:ProfileToken>Profile_2"
                         "</tr2:ProfileToken></tr2:GetStreamUri>", SENDER, "InvalidArgVal", "InvalidStreamSetup")
        uri = self.ok("<tr2:GetStreamUri><tr2:Protocol>RtspMulticast</tr2:Protocol><tr2:ProfileToken>Profile_1"
                      "</tr2:ProfileToken></tr2:GetStreamUri>").findtext("tr2:Uri", namespaces=NS)
        ver10 = self.ok("<trt:GetStreamUri><trt:StreamSetup><tt:Stream>RTP-Multicast</tt:Stream><tt:Transport>"
                        "<tt:Protocol>UDP</tt:Protocol></tt:Transport></trt:StreamSetup><trt:ProfileToken>Profile_1"
                        "</trt:ProfileToken></trt:GetStreamUri>", path=MEDIA_PATH
                        ).findtext("trt:MediaUri/tt:Uri", namespaces=NS)
        self.assertEqual(uri, ver10)
        for op in ("StartMulticastStreaming", "StopMulticastStreaming", "StopMulticastStreaming"):
            self.ok("<tr2:%s><tr2:ProfileToken>Profile_1</tr2:ProfileToken></tr2:%s>" % (op, op))
        self.assertFault("<tr2:StartMulticastStreaming><tr2:ProfileToken>nope</tr2:ProfileToken>"
                         "</tr2:StartMulticastStreaming>", SENDER, "InvalidArgVal", "NoProfile")


class TestNotAdvertised(Media2Case):
    MEDIA = {"media2": "false"}

    def test_media2_off_is_not_listed(self):
        resp = call(self.srv.port, "<tds:GetServices><tds:IncludeCapability>false</tds:IncludeCapability>"
                    "</tds:GetServices>", path=DEVICE_PATH)
        namespaces = [s.findtext("tds:Namespace", namespaces=NS) for s in body_child(resp.body)]
        self.assertNotIn(NS["tr2"], namespaces)
        self.assertIn(NS["trt"], namespaces)
        props = etree.tostring(self.ok("<tev:GetEventProperties/>", path=EVENTS_PATH)).decode()
        self.assertNotIn("ProfileChanged", props)


class TestRealClients(Media2Case):
    def test_npm_onvif_client_uses_media2(self):
        npm_dir = NPM_DIR
        node = npm_node()
        run = subprocess.run([node, os.path.join(npm_dir, "client.js"), HOST, str(self.srv.port)], cwd=npm_dir,
                             capture_output=True, timeout=60)
        self.assertEqual(run.returncode, 0, run.stdout.decode() + run.stderr.decode())
        out = json.loads(run.stdout.decode().strip().splitlines()[-1])
        self.assertEqual(out["errors"], [])
        self.assertEqual(out["media2Uri"], "http://%s:%d%s" % (HOST, self.srv.port, MEDIA2_PATH))
        self.assertEqual([p["token"] for p in out["profiles"]], ["Profile_1", "Profile_2"])
        self.assertTrue(out["streamUris"]["Profile_1"].startswith("rtsp://%s:" % HOST), out["streamUris"])
        self.assertEqual(out["snapshotUris"]["Profile_2"],
                         "http://%s:%d/onvif/snapshot/Profile_2" % (HOST, self.srv.port))


if __name__ == "__main__":
    unittest.main()
