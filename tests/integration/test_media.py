"""Integration tests of the Media service (ver10) against the real binary:
every operation with its success path and its faults, Set* round trips and
refusals that change nothing, the apply hook (success, failure, timeout),
persistence across a restart, and real clients (python-zeep with the
official WSDL, the npm `onvif` package).

Run: cd tests/integration && /usr/bin/python3 -m unittest -v test_media
"""
import glob
import json
import os
import shutil
import stat
import subprocess
import tempfile
import threading
import unittest

from lxml import etree

from harness import (DEVICE_PATH, HOST, MEDIA_PATH, NS, Server, body_child, call, fault_info,
                     settle_fds, wait_fd_baseline)
from prerequisites import CAPTURES, NPM_DIR, npm_node, zeep_client

TT = "{%s}" % NS["tt"]
TRT = "{%s}" % NS["trt"]
TDS = "{%s}" % NS["tds"]
SENDER = "{%s}Sender" % NS["env"]
RECEIVER = "{%s}Receiver" % NS["env"]


def ter(name):
    return "{%s}%s" % (NS["ter"], name)


class MediaCase(unittest.TestCase):
    """One server per class with [media] overrides MEDIA (and optional extra sections)."""

    MEDIA = {}
    SECTIONS = {}

    @classmethod
    def setUpClass(cls):
        sections = dict(cls.SECTIONS)
        sections["media"] = dict(cls.MEDIA)
        cls.srv = Server(sections=sections)
        cls.addClassCleanup(cls.srv.close)
        cls.srv.start()

    # -- helpers
    def media(self, body, srv=None):
        return call((srv or self.srv).port, body, path=MEDIA_PATH)

    def ok(self, body, srv=None):
        resp = self.media(body, srv)
        self.assertEqual(resp.status, 200, resp.body[:800])
        el = body_child(resp.body)
        self.assertTrue(el.tag.endswith("Response"), el.tag)
        return el

    def assertFault(self, body, code, *subcodes, srv=None):
        resp = self.media(body, srv)
        info = fault_info(resp.body)
        self.assertEqual(info["code"], code, info)
        self.assertEqual(info["subcodes"][:len(subcodes)], [ter(s) for s in subcodes], info)
        self.assertEqual(resp.status, 400 if code == SENDER else 500)
        return info

    def profiles(self, srv=None):
        return self.ok("<trt:GetProfiles/>", srv).findall("trt:Profiles", NS)

    def vec(self, token, srv=None):
        return self.ok("<trt:GetVideoEncoderConfiguration><trt:ConfigurationToken>%s</trt:ConfigurationToken>"
                       "</trt:GetVideoEncoderConfiguration>" % token, srv).find("trt:Configuration", NS)

    def set_vec_body(self, token, srv=None, **changes):
        """SetVideoEncoderConfiguration with the current configuration edited:
        width, height, framerate, bitrate, gov, encoding, profile, quality, mcast."""
        cfg = self.vec(token, srv)
        paths = {"width": "tt:Resolution/tt:Width", "height": "tt:Resolution/tt:Height",
                 "framerate": "tt:RateControl/tt:FrameRateLimit", "bitrate": "tt:RateControl/tt:BitrateLimit",
                 "interval": "tt:RateControl/tt:EncodingInterval", "gov": "tt:H264/tt:GovLength",
                 "encoding": "tt:Encoding", "profile": "tt:H264/tt:H264Profile", "quality": "tt:Quality",
                 "mcast": "tt:Multicast/tt:Address/tt:IPv4Address", "name": "tt:Name",
                 "timeout": "tt:SessionTimeout"}
        for key, value in changes.items():
            el = cfg.find(paths[key], NS)
            self.assertIsNotNone(el, key)
            el.text = str(value)
        return ("<trt:SetVideoEncoderConfiguration>%s<trt:ForcePersistence>true</trt:ForcePersistence>"
                "</trt:SetVideoEncoderConfiguration>" % etree.tostring(cfg).decode())

    def snapshot_state(self, srv=None):
        """Everything a client can read, to prove a refused Set changed nothing."""
        return [etree.tostring(self.ok(b, srv)) for b in (
            "<trt:GetProfiles/>", "<trt:GetVideoEncoderConfigurations/>", "<trt:GetVideoSourceConfigurations/>",
            "<trt:GetMetadataConfigurations/>")]


def stream_uri_body(profile, stream="RTP-Unicast", protocol="RTSP"):
    return ("<trt:GetStreamUri><trt:StreamSetup><tt:Stream>%s</tt:Stream><tt:Transport><tt:Protocol>%s"
            "</tt:Protocol></tt:Transport></trt:StreamSetup><trt:ProfileToken>%s</trt:ProfileToken>"
            "</trt:GetStreamUri>" % (stream, protocol, profile))


class TestDefaultCamera(MediaCase):
    """The embedded default: two fixed H.264 profiles, JPEG snapshots, no audio, no multicast."""

    def test_service_capabilities(self):
        caps = self.ok("<trt:GetServiceCapabilities/>").find("trt:Capabilities", NS)
        self.assertEqual(caps.find("trt:ProfileCapabilities", NS).get("MaximumNumberOfProfiles"), "8")
        streaming = caps.find("trt:StreamingCapabilities", NS)
        self.assertEqual(streaming.get("RTPMulticast"), "false")
        self.assertEqual(streaming.get("RTP_RTSP_TCP"), "true")
        self.assertEqual(caps.get("SnapshotUri"), "true")
        self.assertEqual(caps.get("OSD"), "true")  # the default camera offers text OSDs (Profile T)

    def test_listed_in_get_services_and_get_capabilities(self):
        resp = call(self.srv.port, "<tds:GetServices><tds:IncludeCapability>true</tds:IncludeCapability>"
                    "</tds:GetServices>", path=DEVICE_PATH)
        services = {s.findtext("tds:Namespace", namespaces=NS): s for s in body_child(resp.body)}
        media = services[NS["trt"]]
        self.assertEqual(media.findtext("tds:XAddr", namespaces=NS), "http://%s:%d%s" % (HOST, self.srv.port, MEDIA_PATH))
        self.assertIsNotNone(media.find("tds:Capabilities/trt:Capabilities", NS))
        resp = call(self.srv.port, "<tds:GetCapabilities><tds:Category>Media</tds:Category></tds:GetCapabilities>",
                    path=DEVICE_PATH)
        self.assertEqual(resp.status, 200, resp.body[:500])
        xaddr = body_child(resp.body).findtext("tds:Capabilities/tt:Media/tt:XAddr", namespaces=NS)
        self.assertEqual(xaddr, "http://%s:%d%s" % (HOST, self.srv.port, MEDIA_PATH))

    def test_fixed_h264_profiles(self):
        profiles = self.profiles()
        self.assertEqual([p.get("token") for p in profiles], ["Profile_1", "Profile_2"])
        for p, width, height in zip(profiles, ("1920", "640"), ("1080", "360")):
            self.assertEqual(p.get("fixed"), "true")
            vec = p.find("tt:VideoEncoderConfiguration", NS)
            self.assertEqual(vec.findtext("tt:Encoding", namespaces=NS), "H264")
            self.assertEqual(vec.findtext("tt:Resolution/tt:Width", namespaces=NS), width)
            self.assertEqual(vec.findtext("tt:Resolution/tt:Height", namespaces=NS), height)
            self.assertEqual(p.find("tt:VideoSourceConfiguration", NS).get("token"), "VideoSourceConfig_1")
            self.assertIsNone(p.find("tt:AudioEncoderConfiguration", NS))
        # The shared source configuration is used by both profiles.
        self.assertEqual(profiles[0].findtext("tt:VideoSourceConfiguration/tt:UseCount", namespaces=NS), "2")

    def test_get_profile(self):
        p = self.ok("<trt:GetProfile><trt:ProfileToken>Profile_2</trt:ProfileToken></trt:GetProfile>")
        self.assertEqual(p.find("trt:Profile", NS).get("token"), "Profile_2")
        self.assertFault("<trt:GetProfile><trt:ProfileToken>nope</trt:ProfileToken></trt:GetProfile>",
                         SENDER, "InvalidArgVal", "NoProfile")

    def test_video_sources_and_source_configurations(self):
        vs = self.ok("<trt:GetVideoSources/>").find("trt:VideoSources", NS)
        self.assertEqual(vs.get("token"), "VideoSource_1")
        self.assertEqual(vs.findtext("tt:Resolution/tt:Width", namespaces=NS), "1920")
        cfgs = self.ok("<trt:GetVideoSourceConfigurations/>").findall("trt:Configurations", NS)
        self.assertEqual([c.get("token") for c in cfgs], ["VideoSourceConfig_1"])
        one = self.ok("<trt:GetVideoSourceConfiguration><trt:ConfigurationToken>VideoSourceConfig_1"
                      "</trt:ConfigurationToken></trt:GetVideoSourceConfiguration>").find("trt:Configuration", NS)
        self.assertEqual(one.findtext("tt:SourceToken", namespaces=NS), "VideoSource_1")
        self.assertFault("<trt:GetVideoSourceConfiguration><trt:ConfigurationToken>x</trt:ConfigurationToken>"
                         "</trt:GetVideoSourceConfiguration>", SENDER, "InvalidArgVal", "NoConfig")
        comp = self.ok("<trt:GetCompatibleVideoSourceConfigurations><trt:ProfileToken>Profile_1</trt:ProfileToken>"
                       "</trt:GetCompatibleVideoSourceConfigurations>")
        self.assertEqual(len(comp.findall("trt:Configurations", NS)), 1)
        self.assertFault("<trt:GetCompatibleVideoSourceConfigurations><trt:ProfileToken>x</trt:ProfileToken>"
                         "</trt:GetCompatibleVideoSourceConfigurations>", SENDER, "InvalidArgVal", "NoProfile")
        opts = self.ok("<trt:GetVideoSourceConfigurationOptions><trt:ConfigurationToken>VideoSourceConfig_1"
                       "</trt:ConfigurationToken></trt:GetVideoSourceConfigurationOptions>").find("trt:Options", NS)
        self.assertEqual(opts.find("tt:BoundsRange/tt:WidthRange/tt:Max", NS).text, "1920")
        self.assertEqual(opts.findtext("tt:VideoSourceTokensAvailable", namespaces=NS), "VideoSource_1")
        self.assertFault("<trt:GetVideoSourceConfigurationOptions><trt:ConfigurationToken>x</trt:ConfigurationToken>"
                         "</trt:GetVideoSourceConfigurationOptions>", SENDER, "InvalidArgVal", "NoConfig")
        self.assertFault("<trt:GetVideoSourceConfigurationOptions><trt:ProfileToken>x</trt:ProfileToken>"
                         "</trt:GetVideoSourceConfigurationOptions>", SENDER, "InvalidArgVal", "NoProfile")

    def test_encoder_configurations(self):
        cfgs = self.ok("<trt:GetVideoEncoderConfigurations/>").findall("trt:Configurations", NS)
        self.assertEqual([c.get("token") for c in cfgs], ["VideoEncoder_1", "VideoEncoder_2"])
        self.assertEqual(self.vec("VideoEncoder_2").findtext("tt:RateControl/tt:BitrateLimit", namespaces=NS), "512")
        self.assertFault("<trt:GetVideoEncoderConfiguration><trt:ConfigurationToken>x</trt:ConfigurationToken>"
                         "</trt:GetVideoEncoderConfiguration>", SENDER, "InvalidArgVal", "NoConfig")
        comp = self.ok("<trt:GetCompatibleVideoEncoderConfigurations><trt:ProfileToken>Profile_2</trt:ProfileToken>"
                       "</trt:GetCompatibleVideoEncoderConfigurations>")
        self.assertEqual(len(comp.findall("trt:Configurations", NS)), 2)
        self.assertFault("<trt:GetCompatibleVideoEncoderConfigurations><trt:ProfileToken>x</trt:ProfileToken>"
                         "</trt:GetCompatibleVideoEncoderConfigurations>", SENDER, "InvalidArgVal", "NoProfile")
        n = self.ok("<trt:GetGuaranteedNumberOfVideoEncoderInstances><trt:ConfigurationToken>VideoSourceConfig_1"
                    "</trt:ConfigurationToken></trt:GetGuaranteedNumberOfVideoEncoderInstances>")
        self.assertEqual(n.findtext("trt:TotalNumber", namespaces=NS), "2")
        self.assertFault("<trt:GetGuaranteedNumberOfVideoEncoderInstances><trt:ConfigurationToken>VideoEncoder_1"
                         "</trt:ConfigurationToken></trt:GetGuaranteedNumberOfVideoEncoderInstances>",
                         SENDER, "InvalidArgVal", "NoConfig")

    def options(self, inner):
        return self.ok("<trt:GetVideoEncoderConfigurationOptions>%s</trt:GetVideoEncoderConfigurationOptions>"
                       % inner).find("trt:Options", NS)

    def widths(self, options, codec):
        return [r.text for r in options.findall("tt:%s/tt:ResolutionsAvailable/tt:Width" % codec, NS)]

    def test_encoder_options_honour_configuration_and_profile_tokens(self):
        main = self.options("<trt:ConfigurationToken>VideoEncoder_1</trt:ConfigurationToken>")
        self.assertEqual(self.widths(main, "H264"), ["1920", "1280"])
        self.assertIsNone(main.find("tt:JPEG", NS))  # the main stream is H.264 only
        self.assertEqual(main.findtext("tt:H264/tt:FrameRateRange/tt:Max", namespaces=NS), "30")
        self.assertEqual(main.findtext("tt:Extension/tt:H264/tt:BitrateRange/tt:Max", namespaces=NS), "8192")
        self.assertEqual([p.text for p in main.findall("tt:H264/tt:H264ProfilesSupported", NS)],
                         ["Baseline", "Main", "High"])
        sub = self.options("<trt:ProfileToken>Profile_2</trt:ProfileToken>")
        self.assertEqual(self.widths(sub, "H264"), ["640", "320"])
        self.assertEqual(self.widths(sub, "JPEG"), ["640", "320"])  # JPEG QVGA, as the spec requires
        both = self.options("<trt:ConfigurationToken>VideoEncoder_1</trt:ConfigurationToken>"
                            "<trt:ProfileToken>Profile_2</trt:ProfileToken>")
        self.assertEqual(self.widths(both, "H264"), ["1920", "1280"])
        generic = self.options("")
        self.assertEqual(sorted(self.widths(generic, "H264")), ["1280", "1920", "320", "640"])
        self.assertIsNotNone(generic.find("tt:JPEG", NS))
        self.assertFault("<trt:GetVideoEncoderConfigurationOptions><trt:ConfigurationToken>x</trt:ConfigurationToken>"
                         "</trt:GetVideoEncoderConfigurationOptions>", SENDER, "InvalidArgVal", "NoConfig")
        self.assertFault("<trt:GetVideoEncoderConfigurationOptions><trt:ProfileToken>x</trt:ProfileToken>"
                         "</trt:GetVideoEncoderConfigurationOptions>", SENDER, "InvalidArgVal", "NoProfile")

    def test_stream_uris(self):
        def uri(*args):
            return self.ok(stream_uri_body(*args)).find("trt:MediaUri", NS)
        rtsp = uri("Profile_1", "RTP-Unicast", "RTSP")
        self.assertEqual(rtsp.findtext("tt:Uri", namespaces=NS), "rtsp://%s:8554/Profile_1" % HOST)
        self.assertEqual(rtsp.findtext("tt:InvalidAfterConnect", namespaces=NS), "false")
        self.assertEqual(rtsp.findtext("tt:InvalidAfterReboot", namespaces=NS), "false")
        self.assertEqual(rtsp.findtext("tt:Timeout", namespaces=NS), "PT0S")
        self.assertEqual(uri("Profile_2", "RTP-Unicast", "UDP").findtext("tt:Uri", namespaces=NS),
                         "rtsp://%s:8554/Profile_2" % HOST)
        # HTTP tunnelling: the default template names the stream server's port
        # (onvifd does not forward tunnels; docs/streaming.md).
        self.assertEqual(uri("Profile_2", "RTP-Unicast", "HTTP").findtext("tt:Uri", namespaces=NS),
                         "http://%s:8554/Profile_2" % HOST)
        self.assertFault(stream_uri_body("nope"), SENDER, "InvalidArgVal", "NoProfile")
        self.assertFault(stream_uri_body("Profile_1", "RTP-Multicast", "UDP"), SENDER, "InvalidArgVal",
                         "InvalidStreamSetup")
        self.assertFault(stream_uri_body("Profile_1", "RTP-Unicast", "TCP"), SENDER, "InvalidArgVal",
                         "InvalidStreamSetup")

    def test_snapshot_uri(self):
        uri = self.ok("<trt:GetSnapshotUri><trt:ProfileToken>Profile_1</trt:ProfileToken></trt:GetSnapshotUri>")
        self.assertEqual(uri.findtext("trt:MediaUri/tt:Uri", namespaces=NS),
                         "http://%s:%d/onvif/snapshot/Profile_1" % (HOST, self.srv.port))
        self.assertEqual(uri.findtext("trt:MediaUri/tt:Timeout", namespaces=NS), "PT0S")
        self.assertFault("<trt:GetSnapshotUri><trt:ProfileToken>x</trt:ProfileToken></trt:GetSnapshotUri>",
                         SENDER, "InvalidArgVal", "NoProfile")

    def test_multicast_unsupported(self):
        for op in ("StartMulticastStreaming", "StopMulticastStreaming"):
            self.assertFault("<trt:%s><trt:ProfileToken>Profile_1</trt:ProfileToken></trt:%s>" % (op, op),
                             RECEIVER, "ActionNotSupported")

    def test_audio_not_supported(self):
        for op in ("GetAudioSources", "GetAudioSourceConfigurations", "GetAudioEncoderConfigurations"):
            self.assertFault("<trt:%s/>" % op, RECEIVER, "ActionNotSupported", "AudioNotSupported")
        self.assertFault("<trt:GetAudioEncoderConfigurationOptions/>", RECEIVER, "ActionNotSupported",
                         "AudioNotSupported")
        self.assertFault("<trt:AddAudioEncoderConfiguration><trt:ProfileToken>Profile_1</trt:ProfileToken>"
                         "<trt:ConfigurationToken>AudioEncoderConfig_1</trt:ConfigurationToken>"
                         "</trt:AddAudioEncoderConfiguration>", RECEIVER, "ActionNotSupported", "AudioNotSupported")
        # An unknown profile is reported first.
        self.assertFault("<trt:GetCompatibleAudioSourceConfigurations><trt:ProfileToken>x</trt:ProfileToken>"
                         "</trt:GetCompatibleAudioSourceConfigurations>", SENDER, "InvalidArgVal", "NoProfile")

    def test_metadata_configuration(self):
        cfgs = self.ok("<trt:GetMetadataConfigurations/>").findall("trt:Configurations", NS)
        self.assertEqual([c.get("token") for c in cfgs], ["MetadataConfig_1"])
        opts = self.ok("<trt:GetMetadataConfigurationOptions/>").find("trt:Options", NS)
        self.assertEqual(opts.findtext("tt:PTZStatusFilterOptions/tt:PanTiltStatusSupported", namespaces=NS), "false")
        self.assertFault("<trt:GetMetadataConfiguration><trt:ConfigurationToken>x</trt:ConfigurationToken>"
                         "</trt:GetMetadataConfiguration>", SENDER, "InvalidArgVal", "NoConfig")
        comp = self.ok("<trt:GetCompatibleMetadataConfigurations><trt:ProfileToken>Profile_1</trt:ProfileToken>"
                       "</trt:GetCompatibleMetadataConfigurations>")
        self.assertEqual(len(comp.findall("trt:Configurations", NS)), 1)

    def test_unknown_config_and_profile_faults_of_setters(self):
        body = self.set_vec_body("VideoEncoder_1").replace('token="VideoEncoder_1"', 'token="nope"')
        self.assertFault(body, SENDER, "InvalidArgVal", "NoConfig")
        self.assertFault("<trt:AddVideoEncoderConfiguration><trt:ProfileToken>nope</trt:ProfileToken>"
                         "<trt:ConfigurationToken>VideoEncoder_1</trt:ConfigurationToken>"
                         "</trt:AddVideoEncoderConfiguration>", SENDER, "InvalidArgVal", "NoProfile")
        self.assertFault("<trt:AddVideoEncoderConfiguration><trt:ProfileToken>Profile_1</trt:ProfileToken>"
                         "<trt:ConfigurationToken>nope</trt:ConfigurationToken>"
                         "</trt:AddVideoEncoderConfiguration>", SENDER, "InvalidArgVal", "NoConfig")
        self.assertFault("<trt:DeleteProfile><trt:ProfileToken>Profile_1</trt:ProfileToken></trt:DeleteProfile>",
                         SENDER, "Action", "DeletionOfFixedProfile")
        self.assertFault("<trt:DeleteProfile><trt:ProfileToken>nope</trt:ProfileToken></trt:DeleteProfile>",
                         SENDER, "InvalidArgVal", "NoProfile")

    def test_anonymous_read_is_refused(self):
        # Access class READ_MEDIA (Core spec "Default Access Policy
        # Definition"): an anonymous GetProfiles does not get the profiles,
        # it gets NotAuthorized and an HTTP Digest challenge.
        resp = call(self.srv.port, "<trt:GetProfiles/>", path=MEDIA_PATH, auth=None)
        self.assertEqual(resp.status, 401, resp.body[:600])
        self.assertIn("Digest", resp.header("www-authenticate", ""))
        info = fault_info(resp.body)
        self.assertEqual(info["code"], SENDER)
        self.assertIn("{%s}NotAuthorized" % NS["ter"], info["subcodes"])
        self.assertNotIn(b"Profile_1", resp.body)


class TestNoOsd(MediaCase):
    """osd_max = 0: a camera without OSD."""
    MEDIA = {"osd_max": "0"}

    def test_osd_as_device_without_osd(self):
        self.assertEqual(list(self.ok("<trt:GetOSDs/>")), [])
        self.assertEqual(list(self.ok("<trt:GetOSDs><trt:ConfigurationToken>VideoSourceConfig_1"
                                      "</trt:ConfigurationToken></trt:GetOSDs>")), [])
        self.assertFault("<trt:GetOSDs><trt:ConfigurationToken>x</trt:ConfigurationToken></trt:GetOSDs>",
                         SENDER, "InvalidArgVal", "NoConfig")
        opts = self.ok("<trt:GetOSDOptions><trt:ConfigurationToken>VideoSourceConfig_1</trt:ConfigurationToken>"
                       "</trt:GetOSDOptions>")
        self.assertEqual(opts.find("trt:OSDOptions/tt:MaximumNumberOfOSDs", NS).get("Total"), "0")
        self.assertFault("<trt:GetOSDOptions><trt:ConfigurationToken>x</trt:ConfigurationToken></trt:GetOSDOptions>",
                         SENDER, "InvalidArgVal", "NoConfig")
        self.assertFault("<trt:GetOSD><trt:OSDToken>osd1</trt:OSDToken></trt:GetOSD>", SENDER, "InvalidArgVal",
                         "NoConfig")
        self.assertFault(OSD_CREATE % ("VideoSourceConfig_1", "UpperLeft", "<tt:Type>Plain</tt:Type>"),
                         RECEIVER, "ActionNotSupported")


class TestSetters(MediaCase):
    """Set*/Add*/Remove*/Create/Delete round trips and refusals, with a hook that records its arguments."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="onvifd-media-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        cls.hook_log = os.path.join(cls.tmp, "hook.log")
        cls.hook_mode = os.path.join(cls.tmp, "hook.mode")
        hook = os.path.join(cls.tmp, "hook.sh")
        with open(hook, "w") as f:
            f.write('#!/bin/sh\necho "$@" >> "%s"\nmode=$(cat "%s" 2>/dev/null)\n'
                    '[ "$mode" = sleep ] && sleep 5\n[ "$mode" = fail ] && exit 3\nexit 0\n'
                    % (cls.hook_log, cls.hook_mode))
        os.chmod(hook, stat.S_IRWXU)
        cls.state_path = os.path.join(cls.tmp, "state.ini")
        cls.MEDIA = {"apply_hook": hook, "apply_hook_timeout_ms": "500", "max_profiles": "4"}
        cls.SECTIONS = {"state": {"path": cls.state_path}}
        super().setUpClass()

    def setUp(self):
        self.set_hook_mode("")

    def set_hook_mode(self, mode):
        with open(self.hook_mode, "w") as f:
            f.write(mode)

    def hook_lines(self):
        try:
            with open(self.hook_log) as f:
                return f.read().splitlines()
        except FileNotFoundError:
            return []

    def test_set_video_encoder_round_trip_and_hook(self):
        before = len(self.hook_lines())
        self.ok(self.set_vec_body("VideoEncoder_1", width=1280, height=720, framerate=15, gov=30, profile="Main",
                                  quality=6, bitrate=2000))
        cfg = self.vec("VideoEncoder_1")
        self.assertEqual(cfg.findtext("tt:Resolution/tt:Width", namespaces=NS), "1280")
        self.assertEqual(cfg.findtext("tt:RateControl/tt:FrameRateLimit", namespaces=NS), "15")
        self.assertEqual(cfg.findtext("tt:H264/tt:GovLength", namespaces=NS), "30")
        self.assertEqual(cfg.findtext("tt:H264/tt:H264Profile", namespaces=NS), "Main")
        self.assertEqual(float(cfg.findtext("tt:Quality", namespaces=NS)), 6)
        lines = self.hook_lines()[before:]
        self.assertEqual(len(lines), 1, lines)
        self.assertTrue(lines[0].startswith("video-encoder VideoEncoder_1 "), lines[0])
        self.assertIn("resolution=1280x720", lines[0])
        self.assertIn("framerate=15", lines[0])
        # The profile shows the change too.
        p1 = self.profiles()[0]
        self.assertEqual(p1.findtext("tt:VideoEncoderConfiguration/tt:Resolution/tt:Width", namespaces=NS), "1280")

    def test_synchronization_point_reaches_the_hook(self):
        # The encoder is the firmware's: the request is the hook's "sync-point" (test_stream sees the key frame).
        before = len(self.hook_lines())
        self.ok("<trt:SetSynchronizationPoint><trt:ProfileToken>Profile_2</trt:ProfileToken>"
                "</trt:SetSynchronizationPoint>")
        self.assertEqual(self.hook_lines()[before:], ["sync-point Profile_2 video_encoder=VideoEncoder_2"])
        self.assertFault("<trt:SetSynchronizationPoint><trt:ProfileToken>x</trt:ProfileToken>"
                         "</trt:SetSynchronizationPoint>", SENDER, "InvalidArgVal", "NoProfile")
        self.assertEqual(len(self.hook_lines()), before + 1)

    def test_bitrate_out_of_range_is_adapted(self):
        # Media spec: "A device shall adapt an out of range BitrateLimit instead of returning a fault."
        self.ok(self.set_vec_body("VideoEncoder_2", bitrate=999999))
        self.assertEqual(self.vec("VideoEncoder_2").findtext("tt:RateControl/tt:BitrateLimit", namespaces=NS), "2048")

    def test_switch_sub_stream_to_jpeg_and_back(self):
        self.ok(self.set_vec_body("VideoEncoder_2", encoding="JPEG", width=320, height=240))
        cfg = self.vec("VideoEncoder_2")
        self.assertEqual(cfg.findtext("tt:Encoding", namespaces=NS), "JPEG")
        self.assertIsNone(cfg.find("tt:H264", NS))
        self.ok(self.set_vec_body("VideoEncoder_2", encoding="H264", width=640, height=360))
        self.assertEqual(self.vec("VideoEncoder_2").findtext("tt:Encoding", namespaces=NS), "H264")

    def test_set_outside_options_changes_nothing(self):
        before_state = self.snapshot_state()
        before_hook = len(self.hook_lines())
        for changes in ({"width": 800, "height": 600}, {"framerate": 99}, {"gov": 0}, {"encoding": "JPEG"},
                        {"profile": "Extended"}, {"quality": 11}, {"mcast": "10.0.0.1"}, {"name": ""},
                        {"timeout": "bogus"}, {"interval": 5}):
            with self.subTest(**changes):
                self.assertFault(self.set_vec_body("VideoEncoder_1", **changes), SENDER, "InvalidArgVal",
                                 "ConfigModify")
        self.assertEqual(self.snapshot_state(), before_state)
        self.assertEqual(len(self.hook_lines()), before_hook, "the hook must not run for a refused change")

    def set_vsc_body(self, x, y, w, h, source="VideoSource_1"):
        return ('<trt:SetVideoSourceConfiguration><trt:Configuration token="VideoSourceConfig_1">'
                "<tt:Name>VideoSourceConfig_1</tt:Name><tt:UseCount>2</tt:UseCount><tt:SourceToken>%s</tt:SourceToken>"
                '<tt:Bounds x="%d" y="%d" width="%d" height="%d"/></trt:Configuration>'
                "<trt:ForcePersistence>true</trt:ForcePersistence></trt:SetVideoSourceConfiguration>"
                % (source, x, y, w, h))

    def test_set_video_source_configuration(self):
        before = self.snapshot_state()
        for bad in ((0, 0, 1921, 1080), (100, 0, 1920, 1080), (-1, 0, 100, 100), (0, 0, 0, 10)):
            self.assertFault(self.set_vsc_body(*bad), SENDER, "InvalidArgVal", "ConfigModify")
        self.assertFault(self.set_vsc_body(0, 0, 100, 100, source="Other"), SENDER, "InvalidArgVal", "ConfigModify")
        self.assertEqual(self.snapshot_state(), before)
        self.ok(self.set_vsc_body(0, 0, 1920, 1080))
        self.ok(self.set_vsc_body(160, 90, 1600, 900))
        b = self.ok("<trt:GetVideoSourceConfiguration><trt:ConfigurationToken>VideoSourceConfig_1"
                    "</trt:ConfigurationToken></trt:GetVideoSourceConfiguration>").find(
                        "trt:Configuration/tt:Bounds", NS)
        self.assertEqual((b.get("x"), b.get("width")), ("160", "1600"))
        self.ok(self.set_vsc_body(0, 0, 1920, 1080))

    def test_failing_hook_leaves_old_configuration(self):
        baseline = settle_fds(self.srv)
        before = self.snapshot_state()
        self.set_hook_mode("fail")
        info = self.assertFault(self.set_vec_body("VideoEncoder_1", framerate=5), RECEIVER, "Action")
        self.assertTrue(info["reason"])
        self.assertFault("<trt:CreateProfile><trt:Name>X</trt:Name></trt:CreateProfile>", RECEIVER, "Action")
        self.assertEqual(self.snapshot_state(), before)
        self.set_hook_mode("sleep")  # past apply_hook_timeout_ms: killed, refused
        self.assertFault(self.set_vec_body("VideoEncoder_1", framerate=6), RECEIVER, "Action")
        self.assertEqual(self.snapshot_state(), before)
        self.set_hook_mode("")
        self.ok(self.set_vec_body("VideoEncoder_1", framerate=7))
        self.assertEqual(self.vec("VideoEncoder_1").findtext("tt:RateControl/tt:FrameRateLimit", namespaces=NS), "7")
        # Running (and killing) hooks leaves no descriptor behind.
        self.assertLessEqual(wait_fd_baseline(self.srv, baseline), baseline, "server fds did not return to baseline")

    def test_profile_lifecycle(self):
        created = self.ok("<trt:CreateProfile><trt:Name>Recorder</trt:Name><trt:Token>rec-01.A</trt:Token>"
                          "</trt:CreateProfile>").find("trt:Profile", NS)
        self.addCleanup(self.media, "<trt:DeleteProfile><trt:ProfileToken>rec-01.A</trt:ProfileToken>"
                                    "</trt:DeleteProfile>")
        self.assertEqual(created.get("token"), "rec-01.A")
        self.assertEqual(created.get("fixed"), "false")
        self.assertIsNone(created.find("tt:VideoEncoderConfiguration", NS))
        self.assertFault("<trt:CreateProfile><trt:Name>Again</trt:Name><trt:Token>rec-01.A</trt:Token>"
                         "</trt:CreateProfile>", SENDER, "InvalidArgVal", "ProfileExists")
        # Empty profile: no stream yet.
        self.assertFault(stream_uri_body("rec-01.A"), RECEIVER, "Action", "IncompleteConfiguration")
        add = ("<trt:Add{0}Configuration><trt:ProfileToken>rec-01.A</trt:ProfileToken><trt:ConfigurationToken>{1}"
               "</trt:ConfigurationToken></trt:Add{0}Configuration>")
        self.ok(add.format("VideoSource", "VideoSourceConfig_1"))
        self.ok(add.format("VideoEncoder", "VideoEncoder_2"))
        self.ok(add.format("Metadata", "MetadataConfig_1"))
        p = self.ok("<trt:GetProfile><trt:ProfileToken>rec-01.A</trt:ProfileToken></trt:GetProfile>").find(
            "trt:Profile", NS)
        self.assertEqual(p.find("tt:VideoEncoderConfiguration", NS).get("token"), "VideoEncoder_2")
        self.assertEqual(p.find("tt:MetadataConfiguration", NS).get("token"), "MetadataConfig_1")
        self.assertEqual(self.vec("VideoEncoder_2").findtext("tt:UseCount", namespaces=NS), "2")
        self.assertEqual(self.ok(stream_uri_body("rec-01.A")).findtext("trt:MediaUri/tt:Uri", namespaces=NS),
                         "rtsp://%s:8554/rec-01.A" % HOST)
        # The source cannot go while the encoder depends on it.
        remove = ("<trt:Remove{0}Configuration><trt:ProfileToken>rec-01.A</trt:ProfileToken>"
                  "</trt:Remove{0}Configuration>")
        self.assertFault(remove.format("VideoSource"), RECEIVER, "Action", "ConfigurationConflict")
        self.ok(remove.format("VideoEncoder"))
        self.ok(remove.format("VideoEncoder"))  # no effect when absent
        self.ok(remove.format("VideoSource"))
        self.ok(remove.format("Metadata"))
        p = self.ok("<trt:GetProfile><trt:ProfileToken>rec-01.A</trt:ProfileToken></trt:GetProfile>").find(
            "trt:Profile", NS)
        self.assertEqual([etree.QName(c).localname for c in p], ["Name"])
        # Removing from / adding to a fixed profile is allowed (Media spec: fixed != immutable).
        self.ok("<trt:RemoveMetadataConfiguration><trt:ProfileToken>Profile_1</trt:ProfileToken>"
                "</trt:RemoveMetadataConfiguration>")
        self.ok("<trt:DeleteProfile><trt:ProfileToken>rec-01.A</trt:ProfileToken></trt:DeleteProfile>")
        self.assertFault("<trt:GetProfile><trt:ProfileToken>rec-01.A</trt:ProfileToken></trt:GetProfile>",
                         SENDER, "InvalidArgVal", "NoProfile")

    def test_max_profiles_and_device_chosen_tokens(self):
        tokens = []
        for i in range(2):  # 2 fixed + 2 created = max_profiles 4
            p = self.ok("<trt:CreateProfile><trt:Name>Extra%d</trt:Name></trt:CreateProfile>" % i).find(
                "trt:Profile", NS)
            tokens.append(p.get("token"))
        for t in tokens:
            self.addCleanup(self.media, "<trt:DeleteProfile><trt:ProfileToken>%s</trt:ProfileToken>"
                                        "</trt:DeleteProfile>" % t)
        self.assertEqual(len(set(tokens)), 2)
        self.assertFault("<trt:CreateProfile><trt:Name>TooMany</trt:Name></trt:CreateProfile>",
                         RECEIVER, "Action", "MaxNVTProfiles")
        self.assertFault("<trt:CreateProfile><trt:Name>Bad</trt:Name><trt:Token>has space</trt:Token>"
                         "</trt:CreateProfile>", SENDER, "InvalidArgVal")

    def test_concurrent_changes_and_reads(self):
        # Workers change and read at once; every answer is whole and the end
        # state is one of the values written (updates are serialised).
        bodies = [self.set_vec_body("VideoEncoder_2", framerate=fps) for fps in (5, 10, 15, 20)]
        results = []

        def worker(body):
            for _ in range(5):
                results.append(self.media(body).status)
                results.append(self.media("<trt:GetProfiles/>").status)

        threads = [threading.Thread(target=worker, args=(b,)) for b in bodies]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertFalse(any(t.is_alive() for t in threads))
        self.assertEqual(results, [200] * 40)
        final = self.vec("VideoEncoder_2").findtext("tt:RateControl/tt:FrameRateLimit", namespaces=NS)
        self.assertIn(final, ("5", "10", "15", "20"))

    def test_set_metadata_configuration(self):
        cfg = self.ok("<trt:GetMetadataConfiguration><trt:ConfigurationToken>MetadataConfig_1</trt:ConfigurationToken>"
                      "</trt:GetMetadataConfiguration>").find("trt:Configuration", NS)
        cfg.find("tt:Analytics", NS).text = "true"
        cfg.find("tt:Name", NS).text = "Meta"
        body = ("<trt:SetMetadataConfiguration>%s<trt:ForcePersistence>true</trt:ForcePersistence>"
                "</trt:SetMetadataConfiguration>")
        self.ok(body % etree.tostring(cfg).decode())
        got = self.ok("<trt:GetMetadataConfiguration><trt:ConfigurationToken>MetadataConfig_1</trt:ConfigurationToken>"
                      "</trt:GetMetadataConfiguration>").find("trt:Configuration", NS)
        self.assertEqual(got.findtext("tt:Analytics", namespaces=NS), "true")
        self.assertEqual(got.findtext("tt:Name", namespaces=NS), "Meta")
        ptz = etree.SubElement(cfg, TT + "PTZStatus")
        cfg.insert(2, ptz)
        etree.SubElement(ptz, TT + "Status").text = "true"
        etree.SubElement(ptz, TT + "Position").text = "false"
        self.assertFault(body % etree.tostring(cfg).decode(), SENDER, "InvalidArgVal", "ConfigModify")


OSD_CREATE = ("<trt:CreateOSD><trt:OSD token=\"ignored\"><tt:VideoSourceConfigurationToken>%s"
              "</tt:VideoSourceConfigurationToken><tt:Type>Text</tt:Type><tt:Position><tt:Type>%s</tt:Type>"
              "</tt:Position><tt:TextString>%s</tt:TextString></trt:OSD></trt:CreateOSD>")


class TestOsd(unittest.TestCase):
    """Text OSDs on a camera that offers two ([media] osd_max = 2): options,
    create up to the limit, get, set, delete, faults that change nothing,
    the apply hook, schema validity, and persistence across a restart."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="onvifd-osd-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.hook_log = os.path.join(self.tmp, "hook.log")
        hook = os.path.join(self.tmp, "hook.sh")
        with open(hook, "w") as f:
            f.write('#!/bin/sh\necho "$@" >> "%s"\n[ -e "%s/fail" ] && exit 3\nexit 0\n' % (self.hook_log, self.tmp))
        os.chmod(hook, stat.S_IRWXU)
        self.sections = {"state": {"path": os.path.join(self.tmp, "state.ini")},
                         "media": {"osd_max": "2", "apply_hook": hook}}
        self.helper = MediaCase()

    def osds(self, srv):
        return self.helper.ok("<trt:GetOSDs/>", srv).findall("trt:OSDs", NS)

    def hook_lines(self):
        with open(self.hook_log) as f:
            return f.read().splitlines()

    def create(self, srv, position="UpperLeft", text="<tt:Type>Plain</tt:Type><tt:PlainText>Gate 1</tt:PlainText>"):
        el = self.helper.ok(OSD_CREATE % ("VideoSourceConfig_1", position, text), srv)
        return el.findtext("trt:OSDToken", namespaces=NS)

    def test_create_get_set_delete_and_restart(self):
        h = self.helper
        with Server(sections=self.sections) as srv:
            h.srv = srv
            caps = h.ok("<trt:GetServiceCapabilities/>").find("trt:Capabilities", NS)
            self.assertEqual(caps.get("OSD"), "true")
            opts = h.ok("<trt:GetOSDOptions><trt:ConfigurationToken>VideoSourceConfig_1</trt:ConfigurationToken>"
                        "</trt:GetOSDOptions>").find("trt:OSDOptions", NS)
            self.assertEqual(opts.find("tt:MaximumNumberOfOSDs", NS).get("Total"), "2")
            self.assertEqual(opts.find("tt:MaximumNumberOfOSDs", NS).get("Image"), "0")
            self.assertEqual([t.text for t in opts.findall("tt:TextOption/tt:Type", NS)],
                             ["Plain", "Date", "Time", "DateAndTime"])
            self.assertIn("Custom", [p.text for p in opts.findall("tt:PositionOption", NS)])

            first = self.create(srv)
            second = self.create(srv, "Custom", "<tt:Type>DateAndTime</tt:Type>")
            self.assertNotEqual(first, second)
            self.assertNotEqual(first, "ignored")  # the device chooses the token
            h.assertFault(OSD_CREATE % ("VideoSourceConfig_1", "LowerLeft", "<tt:Type>Time</tt:Type>"),
                          RECEIVER, "Action", "MaxOSDs")
            osd = h.ok("<trt:GetOSD><trt:OSDToken>%s</trt:OSDToken></trt:GetOSD>" % second).find("trt:OSD", NS)
            self.assertEqual(osd.findtext("tt:TextString/tt:Type", namespaces=NS), "DateAndTime")
            # Left out by the request, chosen by the device (Media spec "CreateOSD").
            self.assertEqual(osd.findtext("tt:TextString/tt:DateFormat", namespaces=NS), "yyyy-MM-dd")
            self.assertEqual(osd.findtext("tt:TextString/tt:TimeFormat", namespaces=NS), "HH:mm:ss")
            self.assertEqual([o.get("token") for o in self.osds(srv)], [first, second])
            self.assertEqual(len(h.ok("<trt:GetOSDs><trt:ConfigurationToken>VideoSourceConfig_1"
                                      "</trt:ConfigurationToken></trt:GetOSDs>").findall("trt:OSDs", NS)), 2)

            set_body = ("<trt:SetOSD><trt:OSD token=\"%s\"><tt:VideoSourceConfigurationToken>VideoSourceConfig_1"
                        "</tt:VideoSourceConfigurationToken><tt:Type>Text</tt:Type><tt:Position><tt:Type>%s"
                        "</tt:Type>%s</tt:Position><tt:TextString IsPersistentText=\"%s\"><tt:Type>Plain</tt:Type>"
                        "<tt:PlainText>%s</tt:PlainText></tt:TextString></trt:OSD>"
                        "</trt:SetOSD>")
            h.ok(set_body % (first, "Custom", "<tt:Pos x=\"0.5\" y=\"-0.5\"/>", "true", "Door &amp; hall"))
            osd = h.ok("<trt:GetOSD><trt:OSDToken>%s</trt:OSDToken></trt:GetOSD>" % first).find("trt:OSD", NS)
            self.assertEqual(osd.findtext("tt:TextString/tt:PlainText", namespaces=NS), "Door & hall")
            self.assertEqual(osd.find("tt:Position/tt:Pos", NS).get("x"), "0.5")
            self.assertIn("osd %s video_source=VideoSourceConfig_1 text_type=Plain position=Custom x=0.5 y=-0.5 "
                          "text=Door & hall" % first, self.hook_lines())
            # Refusals change nothing.
            for args, sub in (((first, "Custom", "<tt:Pos x=\"2\" y=\"0\"/>", "true", "x"), "ConfigModify"),
                              ((first, "Center", "", "true", "x"), "ConfigModify"),
                              (("OSD_99", "UpperLeft", "", "true", "x"), "NoConfig")):
                h.assertFault(set_body % args, SENDER, "InvalidArgVal", sub)
            h.assertFault(OSD_CREATE.replace("<tt:Type>Text</tt:Type>", "<tt:Type>Image</tt:Type>")
                          % ("VideoSourceConfig_1", "UpperLeft", "<tt:Type>Plain</tt:Type>"),
                          SENDER, "InvalidArgVal", "ConfigModify")
            with open(os.path.join(self.tmp, "fail"), "w"):
                pass
            h.assertFault(set_body % (first, "UpperLeft", "", "true", "refused by the hook"), RECEIVER)
            os.unlink(os.path.join(self.tmp, "fail"))
            osd = h.ok("<trt:GetOSD><trt:OSDToken>%s</trt:OSDToken></trt:GetOSD>" % first).find("trt:OSD", NS)
            self.assertEqual(osd.findtext("tt:TextString/tt:PlainText", namespaces=NS), "Door & hall")
            # A temporary text (IsPersistentText false) on the second one.
            h.ok(set_body % (second, "LowerRight", "", "false", "temporary"))
            self.validate_schema(h, first)

        with Server(sections=self.sections) as srv:
            h.srv = srv
            kept = {o.get("token"): o for o in self.osds(srv)}
            self.assertEqual(sorted(kept), sorted([first, second]))
            self.assertEqual(kept[first].findtext("tt:TextString/tt:PlainText", namespaces=NS), "Door & hall")
            # Media spec "OSD": a text that is not persistent is cleared after reboot; the OSD stays.
            self.assertEqual(kept[second].findtext("tt:TextString/tt:PlainText", namespaces=NS) or "", "")
            h.ok("<trt:DeleteOSD><trt:OSDToken>%s</trt:OSDToken></trt:DeleteOSD>" % first)
            h.assertFault("<trt:DeleteOSD><trt:OSDToken>%s</trt:OSDToken></trt:DeleteOSD>" % first,
                          SENDER, "InvalidArgVal", "NoConfig")
            self.assertEqual([o.get("token") for o in self.osds(srv)], [second])
            third = self.create(srv)
            self.assertNotIn(third, (first, second))  # device tokens are not reused
            self.assertIn("osd-deleted %s" % first, self.hook_lines())

    def validate_schema(self, h, token):
        from schema_check import default_schemas
        schemas = default_schemas()
        for body in ("<trt:GetOSDs/>", "<trt:GetOSD><trt:OSDToken>%s</trt:OSDToken></trt:GetOSD>" % token,
                     "<trt:GetOSDOptions><trt:ConfigurationToken>VideoSourceConfig_1</trt:ConfigurationToken>"
                     "</trt:GetOSDOptions>"):
            el = h.ok(body)
            errors = schemas.validate(el)
            self.assertEqual(errors, [], "%s:\n%s" % (body, "\n".join(errors[:5])))


class TestPersistence(unittest.TestCase):
    """Set values, created profiles and their tokens survive a restart."""

    def test_restart_keeps_settings_and_tokens(self):
        tmp = tempfile.mkdtemp(prefix="onvifd-media-state-")
        self.addCleanup(shutil.rmtree, tmp, True)
        sections = {"state": {"path": os.path.join(tmp, "state.ini")}}
        helper = MediaCase()
        with Server(sections=sections) as srv:
            helper.srv = srv
            helper.ok(helper.set_vec_body("VideoEncoder_2", width=320, height=240, framerate=10), srv)
            created = helper.ok("<trt:CreateProfile><trt:Name>Kept</trt:Name></trt:CreateProfile>", srv)
            token = created.find("trt:Profile", NS).get("token")
            helper.ok("<trt:AddVideoSourceConfiguration><trt:ProfileToken>%s</trt:ProfileToken><trt:ConfigurationToken>"
                      "VideoSourceConfig_1</trt:ConfigurationToken></trt:AddVideoSourceConfiguration>" % token, srv)
            helper.ok("<trt:RemoveVideoEncoderConfiguration><trt:ProfileToken>Profile_1</trt:ProfileToken>"
                      "</trt:RemoveVideoEncoderConfiguration>", srv)
            before = helper.snapshot_state(srv)
        with Server(sections=sections) as srv:
            helper.srv = srv
            self.assertEqual(helper.snapshot_state(srv), before)
            cfg = helper.vec("VideoEncoder_2", srv)
            self.assertEqual(cfg.findtext("tt:Resolution/tt:Width", namespaces=NS), "320")
            self.assertEqual([p.get("token") for p in helper.profiles(srv)], ["Profile_1", "Profile_2", token])
            # A new device-chosen token is not a reused one.
            again = helper.ok("<trt:CreateProfile><trt:Name>New</trt:Name></trt:CreateProfile>", srv)
            self.assertNotEqual(again.find("trt:Profile", NS).get("token"), token)


class TestAudioAndMulticast(MediaCase):
    MEDIA = {"audio": "true", "multicast": "true", "snapshot_uri": ""}

    def test_audio_sources_and_encoders(self):
        src = self.ok("<trt:GetAudioSources/>").find("trt:AudioSources", NS)
        self.assertEqual((src.get("token"), src.findtext("tt:Channels", namespaces=NS)), ("AudioSource_1", "1"))
        p = self.profiles()[0]
        self.assertEqual(p.find("tt:AudioEncoderConfiguration", NS).get("token"), "AudioEncoderConfig_1")
        self.assertEqual(p.find("tt:AudioSourceConfiguration", NS).get("token"), "AudioSourceConfig_1")
        opts = self.ok("<trt:GetAudioEncoderConfigurationOptions/>").findall("trt:Options/tt:Options", NS)
        self.assertEqual([o.findtext("tt:Encoding", namespaces=NS) for o in opts], ["G711", "AAC"])
        cfg = self.ok("<trt:GetAudioEncoderConfiguration><trt:ConfigurationToken>AudioEncoderConfig_1"
                      "</trt:ConfigurationToken></trt:GetAudioEncoderConfiguration>").find("trt:Configuration", NS)
        body = ("<trt:SetAudioEncoderConfiguration>%s<trt:ForcePersistence>true</trt:ForcePersistence>"
                "</trt:SetAudioEncoderConfiguration>")
        cfg.find("tt:Bitrate", NS).text = "48"  # not in the list
        self.assertFault(body % etree.tostring(cfg).decode(), SENDER, "InvalidArgVal", "ConfigModify")
        cfg.find("tt:Bitrate", NS).text = "32"
        cfg.find("tt:Encoding", NS).text = "AAC"
        self.ok(body % etree.tostring(cfg).decode())
        got = self.ok("<trt:GetAudioEncoderConfiguration><trt:ConfigurationToken>AudioEncoderConfig_1"
                      "</trt:ConfigurationToken></trt:GetAudioEncoderConfiguration>").find("trt:Configuration", NS)
        self.assertEqual((got.findtext("tt:Encoding", namespaces=NS), got.findtext("tt:Bitrate", namespaces=NS)),
                         ("AAC", "32"))
        asc_opts = self.ok("<trt:GetAudioSourceConfigurationOptions/>").find("trt:Options", NS)
        self.assertEqual([t.text for t in asc_opts.findall("tt:InputTokensAvailable", NS)], ["AudioSource_1"])
        self.assertEqual(len(self.ok("<trt:GetAudioSourceConfigurations/>").findall("trt:Configurations", NS)), 1)
        comp = self.ok("<trt:GetCompatibleAudioEncoderConfigurations><trt:ProfileToken>Profile_2</trt:ProfileToken>"
                       "</trt:GetCompatibleAudioEncoderConfigurations>")
        self.assertEqual(len(comp.findall("trt:Configurations", NS)), 1)
        set_asc = ('<trt:SetAudioSourceConfiguration><trt:Configuration token="AudioSourceConfig_1">'
                   "<tt:Name>%s</tt:Name><tt:UseCount>2</tt:UseCount><tt:SourceToken>%s</tt:SourceToken>"
                   "</trt:Configuration><trt:ForcePersistence>true</trt:ForcePersistence>"
                   "</trt:SetAudioSourceConfiguration>")
        self.assertFault(set_asc % ("Mic", "NoSuchSource"), SENDER, "InvalidArgVal", "ConfigModify")
        self.ok(set_asc % ("Mic", "AudioSource_1"))
        asc = self.ok("<trt:GetAudioSourceConfiguration><trt:ConfigurationToken>AudioSourceConfig_1"
                      "</trt:ConfigurationToken></trt:GetAudioSourceConfiguration>").find("trt:Configuration", NS)
        self.assertEqual(asc.findtext("tt:Name", namespaces=NS), "Mic")
        # Remove/add audio on a fixed profile; the source stays while the encoder depends on it.
        remove = ("<trt:Remove{0}Configuration><trt:ProfileToken>Profile_2</trt:ProfileToken>"
                  "</trt:Remove{0}Configuration>")
        self.assertFault(remove.format("AudioSource"), RECEIVER, "Action", "ConfigurationConflict")
        self.ok(remove.format("AudioEncoder"))
        self.ok(remove.format("AudioSource"))
        self.ok("<trt:AddAudioSourceConfiguration><trt:ProfileToken>Profile_2</trt:ProfileToken><trt:ConfigurationToken>"
                "AudioSourceConfig_1</trt:ConfigurationToken></trt:AddAudioSourceConfiguration>")
        self.assertFault("<trt:AddAudioEncoderConfiguration><trt:ProfileToken>Profile_2</trt:ProfileToken>"
                         "<trt:ConfigurationToken>nope</trt:ConfigurationToken></trt:AddAudioEncoderConfiguration>",
                         SENDER, "InvalidArgVal", "NoConfig")

    def test_multicast(self):
        uri = self.ok(stream_uri_body("Profile_1", "RTP-Multicast", "UDP")).findtext("trt:MediaUri/tt:Uri",
                                                                                     namespaces=NS)
        self.assertEqual(uri, "rtsp://%s:8554/Profile_1" % HOST)
        for op in ("StartMulticastStreaming", "StartMulticastStreaming", "StopMulticastStreaming",
                   "StopMulticastStreaming"):
            self.ok("<trt:%s><trt:ProfileToken>Profile_1</trt:ProfileToken></trt:%s>" % (op, op))
        self.assertFault("<trt:StartMulticastStreaming><trt:ProfileToken>x</trt:ProfileToken>"
                         "</trt:StartMulticastStreaming>", SENDER, "InvalidArgVal", "NoProfile")
        # A multicast group can be set now; a unicast address cannot.
        self.ok(self.set_vec_body("VideoEncoder_2", mcast="239.1.2.3"))
        self.assertFault(self.set_vec_body("VideoEncoder_2", mcast="10.1.2.3"), SENDER, "InvalidArgVal",
                         "ConfigModify")

    def test_snapshot_off(self):
        caps = self.ok("<trt:GetServiceCapabilities/>").find("trt:Capabilities", NS)
        self.assertEqual(caps.get("SnapshotUri"), "false")
        self.assertFault("<trt:GetSnapshotUri><trt:ProfileToken>Profile_1</trt:ProfileToken></trt:GetSnapshotUri>",
                         RECEIVER, "ActionNotSupported")


class TestCameraDescription(unittest.TestCase):
    """A bad [media] stops start-up with a message naming the key."""

    def test_inconsistent_config_is_refused(self):
        srv = Server(sections={"media": {"stream1.resolution": "800x600"}})
        self.addCleanup(srv.close)
        with self.assertRaises(Exception):
            srv.start()
        self.assertIn("media.stream1.resolution", srv.stderr_text())

    def test_h265_stream_is_hidden_from_ver10(self):
        with Server(sections={"media": {"stream2.encoding": "H265", "stream2.encodings": "H265"}}) as srv:
            helper = MediaCase()
            helper.srv = srv
            self.assertEqual([p.get("token") for p in helper.profiles(srv)], ["Profile_1"])
            cfgs = helper.ok("<trt:GetVideoEncoderConfigurations/>", srv).findall("trt:Configurations", NS)
            self.assertEqual([c.get("token") for c in cfgs], ["VideoEncoder_1"])


class TestRealClients(MediaCase):
    def test_npm_onvif_client(self):
        npm_dir = NPM_DIR
        node = npm_node()
        baseline = settle_fds(self.srv)
        run = subprocess.run([node, os.path.join(npm_dir, "client.js"), HOST, str(self.srv.port)], cwd=npm_dir,
                             capture_output=True, timeout=60)
        self.assertEqual(run.returncode, 0, run.stdout.decode() + run.stderr.decode())
        out = json.loads(run.stdout.decode().strip().splitlines()[-1])
        self.assertEqual(out["errors"], [])
        self.assertEqual(out["mediaUri"], "http://%s:%d%s" % (HOST, self.srv.port, MEDIA_PATH))
        self.assertEqual([(p["token"], p["encoding"]) for p in out["profiles"]],
                         [("Profile_1", "H264"), ("Profile_2", "H264")])
        self.assertEqual(out["streamUris"], {"Profile_1": "rtsp://%s:8554/Profile_1" % HOST,
                                             "Profile_2": "rtsp://%s:8554/Profile_2" % HOST})
        self.assertEqual(out["snapshotUris"]["Profile_2"],
                         "http://%s:%d/onvif/snapshot/Profile_2" % (HOST, self.srv.port))
        self.assertLessEqual(wait_fd_baseline(self.srv, baseline), baseline, "server fds did not return to baseline")

    def test_python_zeep_client(self):
        import zeep.exceptions
        client = zeep_client("onvif/ver10/media/wsdl/media.wsdl")
        service = client.create_service("{http://www.onvif.org/ver10/media/wsdl}MediaBinding",
                                        "http://%s:%d%s" % (HOST, self.srv.port, MEDIA_PATH))
        profiles = service.GetProfiles()
        self.assertEqual([p.token for p in profiles], ["Profile_1", "Profile_2"])
        self.assertEqual(profiles[1].VideoEncoderConfiguration.Resolution.Width, 640)
        uri = service.GetStreamUri(StreamSetup={"Stream": "RTP-Unicast", "Transport": {"Protocol": "RTSP"}},
                                   ProfileToken="Profile_1")
        self.assertEqual(uri.Uri, "rtsp://%s:8554/Profile_1" % HOST)
        options = service.GetVideoEncoderConfigurationOptions(ConfigurationToken="VideoEncoder_2")
        self.assertEqual(options.JPEG.ResolutionsAvailable[1].Width, 320)
        with self.assertRaises(zeep.exceptions.Fault) as ctx:
            service.GetProfile(ProfileToken="missing")
        self.assertEqual([q.localname for q in ctx.exception.subcodes], ["InvalidArgVal", "NoProfile"])


class TestClientCaptures(MediaCase):
    """The Body of every Media request real clients sent (tests/data/client-captures:
    Home Assistant, Frigate, npm onvif, libonvif, python-zeep), re-sent with a fresh
    UsernameToken, gets the Response with what the request asked for. The captures
    name the peer camera's profiles Profile_0 and Profile_1, so this camera uses
    those tokens."""

    MEDIA = {"stream1.profile_token": "Profile_0", "stream2.profile_token": "Profile_1"}

    def check_answer(self, request, el):
        op = etree.QName(request).localname
        token = request.findtext("trt:ProfileToken", namespaces=NS)
        if op == "GetProfiles":
            self.assertEqual([p.get("token") for p in el.findall("trt:Profiles", NS)], ["Profile_0", "Profile_1"])
        elif op == "GetProfile":
            self.assertEqual(el.find("trt:Profile", NS).get("token"), token)
        elif op == "GetStreamUri":
            self.assertRegex(el.findtext("trt:MediaUri/tt:Uri", namespaces=NS) or "", r"^rtsp://[^/]+/%s$" % token)
        elif op == "GetSnapshotUri":
            self.assertRegex(el.findtext("trt:MediaUri/tt:Uri", namespaces=NS) or "",
                             r"^http://[^/]+/onvif/snapshot/%s$" % token)
        elif op == "GetVideoSources":
            self.assertEqual([v.get("token") for v in el.findall("trt:VideoSources", NS)], ["VideoSource_1"])
        elif op == "GetServiceCapabilities":
            self.assertEqual(el.find("trt:Capabilities", NS).get("SnapshotUri"), "true")
        else:
            self.fail("no answer check for the captured %s" % op)

    def test_captured_media_requests(self):
        files = sorted(glob.glob(os.path.join(CAPTURES, "*", "*.http")))
        self.assertGreater(len(files), 100, "client captures missing under %s" % CAPTURES)
        seen = 0
        for path in files:
            with open(path, "rb") as f:
                raw = f.read()
            if b" /onvif/media_service" not in raw.split(b"\r\n", 1)[0]:
                continue
            body = raw.split(b"\r\n\r\n", 1)[1]
            request = body_child(body)
            seen += 1
            with self.subTest(capture=os.path.relpath(path, CAPTURES)):
                el = self.ok(etree.tostring(request).decode())
                self.assertEqual(el.tag, request.tag + "Response")
                self.check_answer(request, el)
        self.assertEqual(seen, 30)


if __name__ == "__main__":
    unittest.main()
