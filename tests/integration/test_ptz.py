"""Integration tests of the PTZ service (ver20) against the real binary:
every operation with its success path and its faults (named after the PTZ
device test specification's test case IDs), the simulated head's motion as
clients see it through GetStatus, presets and home persisted across a
restart, the PTZ configuration in media profiles, the hooks (argv, failure,
timeout), and the requests Home Assistant and Frigate send.

Run: cd tests/integration && /usr/bin/python3 -m unittest -v test_ptz
"""
import datetime
import glob
import os
import stat
import tempfile
import threading
import time
import unittest

from lxml import etree

from events_support import ENS, QUIET, create_pull, drain, ecall, messages, pull
from harness import (DEVICE_PATH, IMAGING_PATH, MEDIA2_PATH, MEDIA_PATH, NS, PTZ_PATH, Server, body_child, call,
                     fault_info)
from prerequisites import capture_path

TT = "{%s}" % NS["tt"]
SENDER = "{%s}Sender" % NS["env"]
RECEIVER = "{%s}Receiver" % NS["env"]
FOV = "http://www.onvif.org/ver10/tptz/PanTiltSpaces/TranslationSpaceFov"
PT_GENERIC_POS = "http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace"
PT_DEGREES = "http://www.onvif.org/ver10/tptz/PanTiltSpaces/SphericalPositionSpaceDegrees"
PT_GENERIC_TRANS = "http://www.onvif.org/ver10/tptz/PanTiltSpaces/TranslationGenericSpace"
WAIT_S = 10.0  # bound of every wait for the head to arrive


def ter(name):
    return "{%s}%s" % (NS["ter"], name)


def capture_bodies(folder):
    """(file name, request line, Body child element) of every request in a
    capture folder of tests/data/client-captures."""
    out = []
    for path in sorted(glob.glob(os.path.join(capture_path(folder), "*.http"))):
        with open(path, "rb") as f:
            raw = f.read()
        out.append((os.path.basename(path), raw.split(b"\r\n", 1)[0], body_child(raw.split(b"\r\n\r\n", 1)[1])))
    return out


class PtzCase(unittest.TestCase):
    """One server per class; PTZ / MEDIA / SECTIONS override the config."""

    PTZ = {}
    MEDIA = {}
    SECTIONS = {}
    PROFILE = "Profile_1"

    @classmethod
    def setUpClass(cls):
        sections = dict(cls.SECTIONS)
        if cls.MEDIA:
            sections["media"] = dict(cls.MEDIA)
        if cls.PTZ:
            sections["ptz"] = dict(cls.PTZ)
        state_dir = tempfile.TemporaryDirectory(prefix="onvifd-ptz-state-")
        cls.addClassCleanup(state_dir.cleanup)
        sections["state"] = {"path": os.path.join(state_dir.name, "state.ini")}
        cls.sections = sections
        cls.srv = Server(sections=sections)
        cls.addClassCleanup(cls.srv.close)
        cls.srv.start()

    def restart(self):
        """A new process on the same settings file."""
        self.srv.stop()
        self.srv.close()
        srv = Server(sections=self.sections)
        type(self).addClassCleanup(srv.close)
        srv.start()
        type(self).srv = srv

    def ptz(self, body, srv=None):
        return call((srv or self.srv).port, body, path=PTZ_PATH)

    def ok(self, body, srv=None, path=PTZ_PATH):
        resp = call((srv or self.srv).port, body, path=path)
        self.assertEqual(resp.status, 200, resp.body[:1500])
        el = body_child(resp.body)
        self.assertTrue(el.tag.endswith("Response"), el.tag)
        return el

    def assertFault(self, body, code, *subcodes, srv=None, path=PTZ_PATH):
        resp = call((srv or self.srv).port, body, path=path)
        info = fault_info(resp.body)
        self.assertEqual(info["code"], code, info)
        self.assertEqual(info["subcodes"][:len(subcodes)], [ter(s) for s in subcodes], info)
        self.assertEqual(resp.status, 400 if code == SENDER else 500)
        return info

    # -- requests
    def status(self, profile=None, srv=None):
        st = self.ok("<tptz:GetStatus><tptz:ProfileToken>%s</tptz:ProfileToken></tptz:GetStatus>"
                     % (profile or self.PROFILE), srv).find("tptz:PTZStatus", NS)
        pt = st.find("tt:Position/tt:PanTilt", NS)
        zoom = st.find("tt:Position/tt:Zoom", NS)
        return {"pan": float(pt.get("x")), "tilt": float(pt.get("y")), "space": pt.get("space"),
                "zoom": float(zoom.get("x")) if zoom is not None else None,
                "pt_state": st.findtext("tt:MoveStatus/tt:PanTilt", namespaces=NS),
                "zoom_state": st.findtext("tt:MoveStatus/tt:Zoom", namespaces=NS),
                "error": st.findtext("tt:Error", namespaces=NS), "utc": st.findtext("tt:UtcTime", namespaces=NS)}

    def wait_idle(self, srv=None, timeout=WAIT_S):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            s = self.status(srv=srv)
            if s["pt_state"] == "IDLE" and s["zoom_state"] in (None, "IDLE"):
                return s
            time.sleep(0.05)
        self.fail("the head did not stop within %.0f s" % timeout)

    def absolute(self, pan=None, tilt=None, zoom=None, space="", speed=None, profile=None):
        pos = ""
        if pan is not None:
            pos += '<tt:PanTilt x="%s" y="%s"%s/>' % (pan, tilt, ' space="%s"' % space if space else "")
        if zoom is not None:
            pos += '<tt:Zoom x="%s"/>' % zoom
        sp = "<tptz:Speed>%s</tptz:Speed>" % speed if speed else ""
        return ("<tptz:AbsoluteMove><tptz:ProfileToken>%s</tptz:ProfileToken><tptz:Position>%s</tptz:Position>%s"
                "</tptz:AbsoluteMove>" % (profile or self.PROFILE, pos, sp))

    def relative(self, x=None, y=None, zoom=None, space="", speed=None, profile=None):
        tr = ""
        if x is not None:
            tr += '<tt:PanTilt x="%s" y="%s"%s/>' % (x, y, ' space="%s"' % space if space else "")
        if zoom is not None:
            tr += '<tt:Zoom x="%s"/>' % zoom
        sp = "<tptz:Speed>%s</tptz:Speed>" % speed if speed else ""
        return ("<tptz:RelativeMove><tptz:ProfileToken>%s</tptz:ProfileToken><tptz:Translation>%s</tptz:Translation>"
                "%s</tptz:RelativeMove>" % (profile or self.PROFILE, tr, sp))

    def continuous(self, x=None, y=None, zoom=None, timeout=None, profile=None):
        v = ""
        if x is not None:
            v += '<tt:PanTilt x="%s" y="%s"/>' % (x, y)
        if zoom is not None:
            v += '<tt:Zoom x="%s"/>' % zoom
        t = "<tptz:Timeout>%s</tptz:Timeout>" % timeout if timeout else ""
        return ("<tptz:ContinuousMove><tptz:ProfileToken>%s</tptz:ProfileToken><tptz:Velocity>%s</tptz:Velocity>%s"
                "</tptz:ContinuousMove>" % (profile or self.PROFILE, v, t))

    def stop(self, pan_tilt=None, zoom=None, profile=None):
        parts = ""
        if pan_tilt is not None:
            parts += "<tptz:PanTilt>%s</tptz:PanTilt>" % ("true" if pan_tilt else "false")
        if zoom is not None:
            parts += "<tptz:Zoom>%s</tptz:Zoom>" % ("true" if zoom else "false")
        return "<tptz:Stop><tptz:ProfileToken>%s</tptz:ProfileToken>%s</tptz:Stop>" % (profile or self.PROFILE, parts)

    def set_preset(self, name=None, token=None, srv=None):
        body = "<tptz:SetPreset><tptz:ProfileToken>%s</tptz:ProfileToken>" % self.PROFILE
        if name is not None:
            body += "<tptz:PresetName>%s</tptz:PresetName>" % name
        if token is not None:
            body += "<tptz:PresetToken>%s</tptz:PresetToken>" % token
        return body + "</tptz:SetPreset>"

    def presets(self, srv=None):
        el = self.ok("<tptz:GetPresets><tptz:ProfileToken>%s</tptz:ProfileToken></tptz:GetPresets>" % self.PROFILE, srv)
        return {p.get("token"): p for p in el.findall("tptz:Preset", NS)}

    def goto_home(self):
        self.ok(self.absolute(0, 0, 0, speed='<tt:PanTilt x="1" y="1"/><tt:Zoom x="1"/>'))
        self.wait_idle()


class TestDefaultPtz(PtzCase):
    """The embedded default camera: a simulated head on both fixed profiles."""

    def test_PTZ_8_1_1_service_capabilities(self):
        caps = self.ok("<tptz:GetServiceCapabilities/>").find("tptz:Capabilities", NS)
        self.assertEqual(caps.get("MoveStatus"), "true")
        self.assertEqual(caps.get("StatusPosition"), "true")
        self.assertEqual(caps.get("GetCompatibleConfigurations"), "true")
        self.assertEqual(caps.get("EFlip"), "false")
        self.assertEqual(caps.get("Reverse"), "false")

    def test_PTZ_8_1_2_get_services_and_capabilities_list_ptz(self):
        el = self.ok("<tds:GetServices><tds:IncludeCapability>true</tds:IncludeCapability></tds:GetServices>",
                     path=DEVICE_PATH)
        services = {s.findtext("tds:Namespace", namespaces=NS): s for s in el.findall("tds:Service", NS)}
        ptz = services.get(NS["tptz"])
        self.assertIsNotNone(ptz, list(services))
        self.assertEqual(ptz.findtext("tds:XAddr", namespaces=NS), "http://127.0.0.1:%d%s" % (self.srv.port, PTZ_PATH))
        self.assertEqual(ptz.find("tds:Capabilities/tptz:Capabilities", NS).get("MoveStatus"), "true")
        # Home Assistant finds the PTZ service only through GetCapabilities.
        caps = self.ok("<tds:GetCapabilities><tds:Category>PTZ</tds:Category></tds:GetCapabilities>", path=DEVICE_PATH)
        self.assertEqual(caps.findtext("tds:Capabilities/tt:PTZ/tt:XAddr", namespaces=NS),
                         "http://127.0.0.1:%d%s" % (self.srv.port, PTZ_PATH))

    def test_PTZ_1_1_1_get_nodes(self):
        nodes = self.ok("<tptz:GetNodes/>").findall("tptz:PTZNode", NS)
        self.assertEqual([n.get("token") for n in nodes], ["PTZNode_1"])
        node = nodes[0]
        self.assertEqual(node.findtext("tt:MaximumNumberOfPresets", namespaces=NS), "16")
        self.assertEqual(node.findtext("tt:HomeSupported", namespaces=NS), "true")
        self.assertEqual(node.get("FixedHomePosition"), "false")
        self.assertEqual([a.text for a in node.findall("tt:AuxiliaryCommands", NS)], ["tt:Wiper|On", "tt:Wiper|Off"])
        spaces = node.find("tt:SupportedPTZSpaces", NS)
        uris = lambda kind: [s.findtext("tt:URI", namespaces=NS) for s in spaces.findall("tt:" + kind, NS)]
        self.assertEqual(uris("AbsolutePanTiltPositionSpace"), [PT_GENERIC_POS, PT_DEGREES])
        self.assertEqual(uris("RelativePanTiltTranslationSpace"), [FOV, PT_GENERIC_TRANS])
        self.assertTrue(uris("ContinuousPanTiltVelocitySpace"))
        self.assertTrue(uris("ContinuousZoomVelocitySpace"))
        self.assertTrue(uris("PanTiltSpeedSpace"))
        self.assertTrue(uris("ZoomSpeedSpace"))

    def test_PTZ_1_1_2_get_node(self):
        node = self.ok("<tptz:GetNode><tptz:NodeToken>PTZNode_1</tptz:NodeToken></tptz:GetNode>").find("tptz:PTZNode", NS)
        self.assertEqual(node.get("token"), "PTZNode_1")

    def test_PTZ_1_1_4_get_node_unknown_token(self):
        self.assertFault("<tptz:GetNode><tptz:NodeToken>NoSuchNode</tptz:NodeToken></tptz:GetNode>",
                         SENDER, "InvalidArgVal", "NoEntity")

    def test_PTZ_2_1_1_and_2_1_2_configurations(self):
        cfgs = self.ok("<tptz:GetConfigurations/>").findall("tptz:PTZConfiguration", NS)
        self.assertEqual([c.get("token") for c in cfgs], ["PTZConfig_1"])
        cfg = self.ok("<tptz:GetConfiguration><tptz:PTZConfigurationToken>PTZConfig_1</tptz:PTZConfigurationToken>"
                      "</tptz:GetConfiguration>").find("tptz:PTZConfiguration", NS)
        self.assertEqual(etree.tostring(cfg), etree.tostring(cfgs[0]))
        self.assertEqual(cfg.findtext("tt:NodeToken", namespaces=NS), "PTZNode_1")
        self.assertEqual(cfg.findtext("tt:UseCount", namespaces=NS), "2")
        self.assertEqual(cfg.findtext("tt:DefaultRelativePanTiltTranslationSpace", namespaces=NS), FOV)
        self.assertEqual(cfg.findtext("tt:DefaultPTZTimeout", namespaces=NS), "PT10S")
        self.assertFault("<tptz:GetConfiguration><tptz:PTZConfigurationToken>nope</tptz:PTZConfigurationToken>"
                         "</tptz:GetConfiguration>", SENDER, "InvalidArgVal", "NoConfig")

    def test_PTZ_2_1_3_configuration_options(self):
        opts = self.ok("<tptz:GetConfigurationOptions><tptz:ConfigurationToken>PTZConfig_1</tptz:ConfigurationToken>"
                       "</tptz:GetConfigurationOptions>").find("tptz:PTZConfigurationOptions", NS)
        self.assertEqual(opts.findtext("tt:PTZTimeout/tt:Min", namespaces=NS), "PT1S")
        self.assertEqual(opts.findtext("tt:PTZTimeout/tt:Max", namespaces=NS), "PT60S")
        self.assertIsNotNone(opts.find("tt:Spaces/tt:AbsoluteZoomPositionSpace", NS))
        self.assertFault("<tptz:GetConfigurationOptions><tptz:ConfigurationToken>nope</tptz:ConfigurationToken>"
                         "</tptz:GetConfigurationOptions>", SENDER, "InvalidArgVal", "NoConfig")

    def test_get_compatible_configurations(self):
        el = self.ok("<tptz:GetCompatibleConfigurations><tptz:ProfileToken>Profile_2</tptz:ProfileToken>"
                     "</tptz:GetCompatibleConfigurations>")
        self.assertEqual([c.get("token") for c in el.findall("tptz:PTZConfiguration", NS)], ["PTZConfig_1"])
        self.assertFault("<tptz:GetCompatibleConfigurations><tptz:ProfileToken>nope</tptz:ProfileToken>"
                         "</tptz:GetCompatibleConfigurations>", SENDER, "InvalidArgVal", "NoProfile")

    def test_profiles_hold_the_ptz_configuration(self):
        profiles = self.ok("<trt:GetProfiles/>", path=MEDIA_PATH).findall("trt:Profiles", NS)
        for p in profiles:
            cfg = p.find("tt:PTZConfiguration", NS)
            self.assertIsNotNone(cfg, p.get("token"))
            self.assertEqual(cfg.get("token"), "PTZConfig_1")
            self.assertEqual(cfg.findtext("tt:DefaultContinuousPanTiltVelocitySpace", namespaces=NS),
                             "http://www.onvif.org/ver10/tptz/PanTiltSpaces/VelocityGenericSpace")

    def test_PTZ_3_1_5_continuous_move_and_stop(self):
        self.goto_home()
        self.ok(self.continuous(0.5, 0))
        time.sleep(0.3)
        moving = self.status()
        self.assertEqual(moving["pt_state"], "MOVING")
        self.assertGreater(moving["pan"], 0)
        self.ok(self.stop())
        stopped = self.status()
        self.assertEqual(stopped["pt_state"], "IDLE")
        time.sleep(0.3)
        self.assertAlmostEqual(self.status()["pan"], stopped["pan"], places=5)

    def test_PTZ_3_1_4_continuous_move_ends_at_timeout(self):
        self.goto_home()
        start = time.monotonic()
        self.ok(self.continuous(1, 0, timeout="PT1S"))
        self.assertEqual(self.status()["pt_state"], "MOVING")
        end = self.wait_idle(timeout=5)
        self.assertGreaterEqual(time.monotonic() - start, 0.9)
        # 120 degrees/s over a 360 degree range is 0.667 generic units per second.
        self.assertAlmostEqual(end["pan"], 2 / 3, delta=0.02)
        time.sleep(0.2)
        self.assertEqual(self.status()["pan"], end["pan"])

    def test_continuous_move_stops_at_the_limit(self):
        self.goto_home()
        self.ok(self.continuous(0, -1, timeout="PT5S"))
        # tilt: 60 degrees/s over 90 degrees: 1.33 units/s, the limit -1 in 0.75 s
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline and self.status()["pt_state"] == "MOVING":
            time.sleep(0.05)
        s = self.status()
        self.assertEqual(s["pt_state"], "IDLE")
        self.assertEqual(s["tilt"], -1)

    def test_stop_pan_tilt_only_keeps_zoom_moving(self):
        self.goto_home()
        self.ok(self.continuous(0.5, 0, zoom=0.5, timeout="PT5S"))
        self.ok(self.stop(pan_tilt=True, zoom=False))
        s = self.status()
        self.assertEqual((s["pt_state"], s["zoom_state"]), ("IDLE", "MOVING"))
        self.ok(self.stop(pan_tilt=False, zoom=True))
        self.assertEqual(self.status()["zoom_state"], "IDLE")

    def test_PTZ_3_1_1_absolute_move_travels_and_arrives(self):
        self.goto_home()
        self.ok(self.absolute(0.5, -0.5, 0.5, speed='<tt:PanTilt x="0.5" y="0.5"/><tt:Zoom x="0.5"/>'))
        during = self.status()
        self.assertEqual(during["pt_state"], "MOVING")
        self.assertEqual(during["zoom_state"], "MOVING")
        end = self.wait_idle()
        self.assertAlmostEqual(end["pan"], 0.5, places=4)
        self.assertAlmostEqual(end["tilt"], -0.5, places=4)
        self.assertAlmostEqual(end["zoom"], 0.5, places=4)
        self.assertEqual(end["space"], PT_GENERIC_POS)

    def test_absolute_move_in_degrees(self):
        self.goto_home()
        self.ok(self.absolute(90, -45, space=PT_DEGREES, speed='<tt:PanTilt x="1" y="1"/>'))
        end = self.wait_idle()
        self.assertAlmostEqual(end["pan"], 0.5, places=4)
        self.assertAlmostEqual(end["tilt"], 0.0, places=4)

    def test_PTZ_3_1_2_absolute_move_faults(self):
        self.assertFault(self.absolute(1.5, 0), SENDER, "InvalidArgVal", "InvalidPosition")
        self.assertFault(self.absolute(zoom=2), SENDER, "InvalidArgVal", "InvalidPosition")
        self.assertFault(self.absolute(0, 10, space=PT_DEGREES), SENDER, "InvalidArgVal", "InvalidPosition")
        self.assertFault(self.absolute(0, 0, space="http://example.com/NoSuchSpace"),
                         SENDER, "InvalidArgVal", "SpaceNotSupported")
        self.assertFault(self.absolute(0, 0, speed='<tt:PanTilt x="2" y="1"/>'), SENDER, "InvalidArgVal", "InvalidSpeed")
        self.assertFault(self.absolute(0, 0, profile="nope"), SENDER, "InvalidArgVal", "NoProfile")

    def test_PTZ_3_1_3_relative_move(self):
        self.goto_home()
        self.ok(self.relative(0.25, -0.25, zoom=0.25, space=PT_GENERIC_TRANS,
                              speed='<tt:PanTilt x="1" y="1"/><tt:Zoom x="1"/>'))
        self.assertEqual(self.status()["pt_state"], "MOVING")
        end = self.wait_idle()
        self.assertAlmostEqual(end["pan"], 0.25, places=4)
        self.assertAlmostEqual(end["tilt"], -0.25, places=4)
        self.assertAlmostEqual(end["zoom"], 0.25, places=4)
        # Out of range ends at the border (PTZ spec RelativeMove).
        self.ok(self.relative(1, 0, space=PT_GENERIC_TRANS, speed='<tt:PanTilt x="1" y="1"/>'))
        self.assertEqual(self.wait_idle()["pan"], 1)

    def test_relative_move_in_fov_space_scales_with_zoom(self):
        self.goto_home()
        # default space is the FOV one: x=1 is half of the 60 degree view: 30 degrees = 1/6 generic
        self.ok(self.relative(1, 0, speed='<tt:PanTilt x="1" y="1"/>'))
        self.assertAlmostEqual(self.wait_idle()["pan"], 1 / 6, places=3)
        self.ok(self.absolute(0, 0, 1, speed='<tt:PanTilt x="1" y="1"/><tt:Zoom x="1"/>'))
        self.wait_idle()
        self.ok(self.relative(1, 0, space=FOV, speed='<tt:PanTilt x="1" y="1"/>'))
        self.assertAlmostEqual(self.wait_idle()["pan"], 1 / 60, places=3)

    def test_relative_move_faults(self):
        self.assertFault(self.relative(1.5, 0), SENDER, "InvalidArgVal", "InvalidTranslation")
        self.assertFault(self.relative(zoom=-2), SENDER, "InvalidArgVal", "InvalidTranslation")
        self.assertFault(self.relative(0, 0, space=PT_GENERIC_POS), SENDER, "InvalidArgVal", "SpaceNotSupported")

    def test_continuous_move_faults(self):
        self.assertFault(self.continuous(1.5, 0), SENDER, "InvalidArgVal", "InvalidVelocity")
        self.assertFault(self.continuous(zoom=-3), SENDER, "InvalidArgVal", "InvalidVelocity")
        self.assertFault(self.continuous(0.1, 0, timeout="PT600S"), SENDER, "InvalidArgVal", "TimeoutNotSupported")
        self.assertFault(self.continuous(0.1, 0, profile="nope"), SENDER, "InvalidArgVal", "NoProfile")
        self.assertFault(self.stop(profile="nope"), SENDER, "InvalidArgVal", "NoProfile")
        self.assertEqual(self.status()["pt_state"], "IDLE")

    def test_get_status_fields(self):
        s = self.status()
        self.assertIn(s["pt_state"], ("IDLE", "MOVING"))
        self.assertIsNone(s["error"])
        self.assertRegex(s["utc"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertFault("<tptz:GetStatus><tptz:ProfileToken>nope</tptz:ProfileToken></tptz:GetStatus>",
                         SENDER, "InvalidArgVal", "NoProfile")

    def test_PTZ_6_1_1_send_auxiliary_command(self):
        el = self.ok("<tptz:SendAuxiliaryCommand><tptz:ProfileToken>%s</tptz:ProfileToken><tptz:AuxiliaryData>"
                     "tt:Wiper|On</tptz:AuxiliaryData></tptz:SendAuxiliaryCommand>" % self.PROFILE)
        self.assertEqual(el.findtext("tptz:AuxiliaryResponse", namespaces=NS), "tt:Wiper|On")
        self.assertFault("<tptz:SendAuxiliaryCommand><tptz:ProfileToken>%s</tptz:ProfileToken><tptz:AuxiliaryData>"
                         "tt:IRLamp|On</tptz:AuxiliaryData></tptz:SendAuxiliaryCommand>" % self.PROFILE,
                         SENDER, "InvalidArgVal", "AuxiliaryDataNotSupported")

    def test_preset_tours_are_not_offered(self):
        self.assertFault("<tptz:GetPresetTours><tptz:ProfileToken>%s</tptz:ProfileToken></tptz:GetPresetTours>"
                         % self.PROFILE, RECEIVER, "ActionNotSupported")


class TestProfilesAndConfiguration(PtzCase):
    """Media ver10 Add/RemovePTZConfiguration and SetConfiguration, persisted across a restart."""

    def test_add_remove_ptz_configuration_and_no_ptz_profile(self):
        self.ok("<trt:CreateProfile><trt:Name>bare</trt:Name><trt:Token>Bare</trt:Token></trt:CreateProfile>",
                path=MEDIA_PATH)
        self.assertFault(self.continuous(0.1, 0, profile="Bare"), SENDER, "InvalidArgVal", "NoPTZProfile")
        self.assertFault("<tptz:GetStatus><tptz:ProfileToken>Bare</tptz:ProfileToken></tptz:GetStatus>",
                         SENDER, "InvalidArgVal", "NoPTZProfile")
        self.assertFault("<trt:AddPTZConfiguration><trt:ProfileToken>Bare</trt:ProfileToken><trt:ConfigurationToken>"
                         "nope</trt:ConfigurationToken></trt:AddPTZConfiguration>", SENDER, "InvalidArgVal", "NoConfig",
                         path=MEDIA_PATH)
        self.ok("<trt:AddPTZConfiguration><trt:ProfileToken>Bare</trt:ProfileToken><trt:ConfigurationToken>"
                "PTZConfig_1</trt:ConfigurationToken></trt:AddPTZConfiguration>", path=MEDIA_PATH)
        p = self.ok("<trt:GetProfile><trt:ProfileToken>Bare</trt:ProfileToken></trt:GetProfile>", path=MEDIA_PATH)
        self.assertEqual(p.find("trt:Profile/tt:PTZConfiguration", NS).get("token"), "PTZConfig_1")
        self.ok(self.stop(profile="Bare"))
        self.ok("<trt:RemovePTZConfiguration><trt:ProfileToken>Profile_2</trt:ProfileToken>"
                "</trt:RemovePTZConfiguration>", path=MEDIA_PATH)
        p = self.ok("<trt:GetProfile><trt:ProfileToken>Profile_2</trt:ProfileToken></trt:GetProfile>", path=MEDIA_PATH)
        self.assertIsNone(p.find("trt:Profile/tt:PTZConfiguration", NS))
        # survives a restart
        self.restart()
        p = self.ok("<trt:GetProfile><trt:ProfileToken>Bare</trt:ProfileToken></trt:GetProfile>", path=MEDIA_PATH)
        self.assertEqual(p.find("trt:Profile/tt:PTZConfiguration", NS).get("token"), "PTZConfig_1")
        p = self.ok("<trt:GetProfile><trt:ProfileToken>Profile_2</trt:ProfileToken></trt:GetProfile>", path=MEDIA_PATH)
        self.assertIsNone(p.find("trt:Profile/tt:PTZConfiguration", NS))
        self.ok("<trt:DeleteProfile><trt:ProfileToken>Bare</trt:ProfileToken></trt:DeleteProfile>", path=MEDIA_PATH)
        self.ok("<trt:AddPTZConfiguration><trt:ProfileToken>Profile_2</trt:ProfileToken><trt:ConfigurationToken>"
                "PTZConfig_1</trt:ConfigurationToken></trt:AddPTZConfiguration>", path=MEDIA_PATH)

    def config_body(self, **changes):
        cfg = self.ok("<tptz:GetConfiguration><tptz:PTZConfigurationToken>PTZConfig_1</tptz:PTZConfigurationToken>"
                      "</tptz:GetConfiguration>").find("tptz:PTZConfiguration", NS)
        for path, value in changes.items():
            el = cfg.find(path, NS)
            if isinstance(value, tuple):
                el.set(*value)
            else:
                el.text = value
        return ("<tptz:SetConfiguration>%s<tptz:ForcePersistence>true</tptz:ForcePersistence></tptz:SetConfiguration>"
                % etree.tostring(cfg).decode())

    def test_PTZ_2_1_9_set_configuration(self):
        before = self.config_body()
        self.ok(self.config_body(**{"tt:DefaultPTZTimeout": "PT20S", "tt:Name": "Renamed",
                                    "tt:DefaultRelativePanTiltTranslationSpace": PT_GENERIC_TRANS,
                                    "tt:DefaultAbsolutePantTiltPositionSpace": PT_DEGREES,
                                    "tt:DefaultPTZSpeed/tt:PanTilt": ("x", "0.25")}))
        self.restart()
        cfg = self.ok("<tptz:GetConfiguration><tptz:PTZConfigurationToken>PTZConfig_1</tptz:PTZConfigurationToken>"
                      "</tptz:GetConfiguration>").find("tptz:PTZConfiguration", NS)
        self.assertEqual(cfg.findtext("tt:DefaultPTZTimeout", namespaces=NS), "PT20S")
        self.assertEqual(cfg.findtext("tt:Name", namespaces=NS), "Renamed")
        self.assertEqual(cfg.findtext("tt:DefaultRelativePanTiltTranslationSpace", namespaces=NS), PT_GENERIC_TRANS)
        self.assertEqual(cfg.find("tt:DefaultPTZSpeed/tt:PanTilt", NS).get("x"), "0.25")
        # GetStatus reports in the default absolute space: degrees now
        self.assertEqual(self.status()["space"], PT_DEGREES)
        self.ok(before)
        self.assertEqual(self.status()["space"], PT_GENERIC_POS)

    def test_PTZ_2_1_10_set_configuration_faults(self):
        before = self.config_body()
        body = self.config_body()
        self.assertFault(body.replace('token="PTZConfig_1"', 'token="nope"'), SENDER, "InvalidArgVal", "NoConfig")
        for change in ({"tt:NodeToken": "OtherNode"}, {"tt:DefaultPTZTimeout": "PT61S"},
                       {"tt:DefaultContinuousPanTiltVelocitySpace": "http://example.com/space"},
                       {"tt:DefaultPTZSpeed/tt:Zoom": ("x", "1.5")}):
            with self.subTest(change=change):
                self.assertFault(self.config_body(**change), SENDER, "InvalidArgVal", "ConfigModify")
        self.assertEqual(self.config_body(), before)


class TestPresetsAndHome(PtzCase):
    PTZ = {"max_presets": "3"}

    def setUp(self):
        for token in self.presets():
            self.ok("<tptz:RemovePreset><tptz:ProfileToken>%s</tptz:ProfileToken><tptz:PresetToken>%s"
                    "</tptz:PresetToken></tptz:RemovePreset>" % (self.PROFILE, token))

    def test_PTZ_4_1_4_set_and_get_preset(self):
        self.ok(self.absolute(0.5, -0.5, 0.5, speed='<tt:PanTilt x="1" y="1"/><tt:Zoom x="1"/>'))
        self.wait_idle()
        token = self.ok(self.set_preset("Door")).findtext("tptz:PresetToken", namespaces=NS)
        p = self.presets()[token]
        self.assertEqual(p.findtext("tt:Name", namespaces=NS), "Door")
        self.assertAlmostEqual(float(p.find("tt:PTZPosition/tt:PanTilt", NS).get("x")), 0.5, places=4)
        self.assertAlmostEqual(float(p.find("tt:PTZPosition/tt:Zoom", NS).get("x")), 0.5, places=4)
        # update by token, without a name (a device shall accept that)
        self.ok(self.absolute(-0.5, -0.5, speed='<tt:PanTilt x="1" y="1"/>'))
        self.wait_idle()
        self.assertEqual(self.ok(self.set_preset(token=token)).findtext("tptz:PresetToken", namespaces=NS), token)
        self.assertAlmostEqual(float(self.presets()[token].find("tt:PTZPosition/tt:PanTilt", NS).get("x")), -0.5,
                               places=4)
        # persisted
        self.restart()
        self.assertEqual(self.presets()[token].findtext("tt:Name", namespaces=NS), "Door")

    def test_set_preset_faults(self):
        self.ok(self.set_preset("Door"))
        self.assertFault(self.set_preset("Door"), SENDER, "InvalidArgVal", "PresetExist")
        self.assertFault(self.set_preset("x" * 65), SENDER, "InvalidArgVal", "InvalidPresetName")
        self.assertFault(self.set_preset(token="Nope"), SENDER, "InvalidArgVal", "NoToken")
        self.ok(self.set_preset())
        self.ok(self.set_preset())
        self.assertFault(self.set_preset(), RECEIVER, "Action", "TooManyPresets")
        self.ok(self.continuous(0.2, 0, timeout="PT5S"))
        token = next(iter(self.presets()))
        self.assertFault(self.set_preset(token=token), RECEIVER, "Action", "MovingPTZ")
        self.ok(self.stop())

    def test_PTZ_4_1_5_goto_preset_reaches_the_position(self):
        self.ok(self.absolute(-0.4, -0.8, 0.2, speed='<tt:PanTilt x="1" y="1"/><tt:Zoom x="1"/>'))
        self.wait_idle()
        token = self.ok(self.set_preset("Gate")).findtext("tptz:PresetToken", namespaces=NS)
        self.goto_home()
        self.ok("<tptz:GotoPreset><tptz:ProfileToken>%s</tptz:ProfileToken><tptz:PresetToken>%s</tptz:PresetToken>"
                '<tptz:Speed><tt:PanTilt x="0.5" y="0.5"/><tt:Zoom x="0.5"/></tptz:Speed></tptz:GotoPreset>'
                % (self.PROFILE, token))
        self.assertEqual(self.status()["pt_state"], "MOVING")
        end = self.wait_idle()
        self.assertAlmostEqual(end["pan"], -0.4, places=4)
        self.assertAlmostEqual(end["tilt"], -0.8, places=4)
        self.assertAlmostEqual(end["zoom"], 0.2, places=4)
        self.assertFault("<tptz:GotoPreset><tptz:ProfileToken>%s</tptz:ProfileToken><tptz:PresetToken>Nope"
                         "</tptz:PresetToken></tptz:GotoPreset>" % self.PROFILE, SENDER, "InvalidArgVal", "NoToken")

    def test_PTZ_4_1_6_remove_preset(self):
        token = self.ok(self.set_preset("Tmp")).findtext("tptz:PresetToken", namespaces=NS)
        body = ("<tptz:RemovePreset><tptz:ProfileToken>%s</tptz:ProfileToken><tptz:PresetToken>%s</tptz:PresetToken>"
                "</tptz:RemovePreset>" % (self.PROFILE, token))
        self.ok(body)
        self.assertNotIn(token, self.presets())
        self.assertFault(body, SENDER, "InvalidArgVal", "NoToken")

    def test_PTZ_5_1_1_home_position_configurable(self):
        self.ok(self.absolute(0.3, -0.3, 0.3, speed='<tt:PanTilt x="1" y="1"/><tt:Zoom x="1"/>'))
        self.wait_idle()
        self.ok("<tptz:SetHomePosition><tptz:ProfileToken>%s</tptz:ProfileToken></tptz:SetHomePosition>" % self.PROFILE)
        self.goto_home()
        self.ok("<tptz:GotoHomePosition><tptz:ProfileToken>%s</tptz:ProfileToken></tptz:GotoHomePosition>" % self.PROFILE)
        end = self.wait_idle()
        self.assertAlmostEqual(end["pan"], 0.3, places=4)
        self.assertAlmostEqual(end["zoom"], 0.3, places=4)
        self.restart()
        self.ok("<tptz:GotoHomePosition><tptz:ProfileToken>%s</tptz:ProfileToken><tptz:Speed>"
                '<tt:PanTilt x="1" y="1"/></tptz:Speed></tptz:GotoHomePosition>' % self.PROFILE)
        self.assertAlmostEqual(self.wait_idle()["tilt"], -0.3, places=4)


class TestFixedHome(PtzCase):
    PTZ = {"fixed_home": "true", "home": "0.5,-0.5,0"}

    def test_PTZ_5_1_2_home_position_fixed(self):
        node = self.ok("<tptz:GetNodes/>").find("tptz:PTZNode", NS)
        self.assertEqual(node.get("FixedHomePosition"), "true")
        self.assertFault("<tptz:SetHomePosition><tptz:ProfileToken>%s</tptz:ProfileToken></tptz:SetHomePosition>"
                         % self.PROFILE, RECEIVER, "Action", "CannotOverwriteHome")
        self.ok("<tptz:GotoHomePosition><tptz:ProfileToken>%s</tptz:ProfileToken><tptz:Speed>"
                '<tt:PanTilt x="1" y="1"/></tptz:Speed></tptz:GotoHomePosition>' % self.PROFILE)
        end = self.wait_idle()
        self.assertAlmostEqual(end["pan"], 0.5, places=4)
        self.assertAlmostEqual(end["tilt"], -0.5, places=4)


PRESETS_TOPIC = "tns1:PTZController/PTZPresets/"


class TestPresetEvents(PtzCase):
    """PTZ spec "Events": the PTZPresets topics through a PullPoint subscriber
    (the device test specification names no test case for them)."""

    PTZ = {"max_presets": "3"}
    SECTIONS = {"events": QUIET}

    def setUp(self):
        for token in self.presets():
            self.ok("<tptz:RemovePreset><tptz:ProfileToken>%s</tptz:ProfileToken><tptz:PresetToken>%s"
                    "</tptz:PresetToken></tptz:RemovePreset>" % (self.PROFILE, token))
        self.goto_home()
        self.ok(self.absolute(-0.4, -0.8, 0.2, speed='<tt:PanTilt x="1" y="1"/><tt:Zoom x="1"/>'))
        self.wait_idle()
        self.token = self.ok(self.set_preset("Gate")).findtext("tptz:PresetToken", namespaces=NS)
        self.goto_home()
        self.sub, _ = create_pull(self.srv.port)
        drain(self.srv.port, self.sub)

    def goto_preset(self, speed="0.5"):
        self.ok("<tptz:GotoPreset><tptz:ProfileToken>%s</tptz:ProfileToken><tptz:PresetToken>%s</tptz:PresetToken>"
                '<tptz:Speed><tt:PanTilt x="%s" y="%s"/><tt:Zoom x="%s"/></tptz:Speed></tptz:GotoPreset>'
                % (self.PROFILE, self.token, speed, speed, speed))

    def preset_events(self, count, timeout=WAIT_S):
        """The next `count` PTZPresets events (bounded wait), then checks none else came."""
        got = []
        deadline = time.monotonic() + timeout
        while len(got) < count and time.monotonic() < deadline:
            got += [m for m in messages(pull(self.srv.port, self.sub, timeout="PT1S")) if m[0].startswith(PRESETS_TOPIC)]
        self.assertEqual(len(got), count, got)
        return got

    def assertPresetEvent(self, event, what):
        topic, operation, items = event
        self.assertEqual(topic, PRESETS_TOPIC + what)
        self.assertIsNone(operation)  # not a property event
        self.assertEqual(items, {"PTZConfigurationToken": "PTZConfig_1", "PresetToken": self.token,
                                 "PresetName": "Gate"})

    def test_goto_preset_invoked_then_reached(self):
        self.goto_preset()
        invoked = self.preset_events(1)[0]
        self.assertPresetEvent(invoked, "Invoked")
        self.assertEqual(self.status()["pt_state"], "MOVING")
        self.assertPresetEvent(self.preset_events(1)[0], "Reached")
        end = self.status()
        self.assertEqual(end["pt_state"], "IDLE")  # Reached comes when the head is there
        self.assertAlmostEqual(end["pan"], -0.4, places=4)

    def test_goto_preset_interrupted_by_stop_is_aborted(self):
        self.goto_preset(speed="0.05")
        self.ok(self.stop())
        invoked, aborted = self.preset_events(2)
        self.assertPresetEvent(invoked, "Invoked")
        self.assertPresetEvent(aborted, "Aborted")
        self.assertEqual(messages(pull(self.srv.port, self.sub, timeout="PT1S")), [])  # no Reached later

    def test_move_after_reached_is_left(self):
        self.goto_preset(speed="1")
        self.assertEqual([e[0] for e in self.preset_events(2)], [PRESETS_TOPIC + "Invoked", PRESETS_TOPIC + "Reached"])
        self.ok(self.relative(0.1, 0, space=PT_GENERIC_TRANS))
        self.assertPresetEvent(self.preset_events(1)[0], "Left")

    def test_home_position_is_no_preset(self):
        self.ok("<tptz:GotoHomePosition><tptz:ProfileToken>%s</tptz:ProfileToken></tptz:GotoHomePosition>"
                % self.PROFILE)
        self.wait_idle()
        self.assertEqual([m for m in messages(pull(self.srv.port, self.sub, timeout="PT1S"))
                          if m[0].startswith(PRESETS_TOPIC)], [])

    def test_topics_in_get_event_properties(self):
        topics = body_child(ecall(self.srv.port, "<tev:GetEventProperties/>").body).find("{http://docs.oasis-open.org/wsn/t-1}TopicSet")
        presets = topics.find("{http://www.onvif.org/ver10/topics}PTZController/PTZPresets")
        self.assertIsNotNone(presets, etree.tostring(topics)[:2000])
        self.assertEqual([c.tag for c in presets], ["Invoked", "Reached", "Aborted", "Left"])
        for leaf in presets:
            desc = leaf.find("tt:MessageDescription", ENS)
            self.assertNotEqual(desc.get("IsProperty"), "true")
            items = {i.get("Name"): i.get("Type") for i in desc.iter("{%s}SimpleItemDescription" % NS["tt"])}
            self.assertEqual(items, {"PTZConfigurationToken": "tt:ReferenceToken", "PresetToken": "tt:ReferenceToken",
                                     "PresetName": "tt:Name"})


class TestNoPtz(PtzCase):
    PTZ = {"enabled": "false"}

    def test_not_listed_and_not_answered(self):
        el = self.ok("<tds:GetServices><tds:IncludeCapability>false</tds:IncludeCapability></tds:GetServices>",
                     path=DEVICE_PATH)
        self.assertNotIn(NS["tptz"], [s.findtext("tds:Namespace", namespaces=NS) for s in el.findall("tds:Service", NS)])
        self.assertFault("<tds:GetCapabilities><tds:Category>PTZ</tds:Category></tds:GetCapabilities>",
                         RECEIVER, "ActionNotSupported", "NoSuchService", path=DEVICE_PATH)
        self.assertFault("<tptz:GetNodes/>", RECEIVER, "ActionNotSupported")
        for p in self.ok("<trt:GetProfiles/>", path=MEDIA_PATH).findall("trt:Profiles", NS):
            self.assertIsNone(p.find("tt:PTZConfiguration", NS))
        topics = etree.tostring(body_child(ecall(self.srv.port, "<tev:GetEventProperties/>").body))
        self.assertNotIn(b"PTZController", topics)


HOOK = r"""#!/bin/sh
# records its argv one per line, then behaves as $0.mode says
out="$0.log"
for a in "$@"; do printf '%s\n' "$a" >> "$out"; done
echo "--" >> "$out"
mode=$(cat "$0.mode" 2>/dev/null)
case "$mode" in
  fail) exit 3 ;;
  hang) sleep 30 ;;
esac
case "$2" in
  tt:*) echo "done $2" ;;
esac
exit 0
"""


class HookedPtzCase(PtzCase):
    """A PTZ case whose firmware is the HOOK script above: it logs each call
    (read with calls(), or take_calls() to read and forget) and behaves as
    mode() says."""

    @classmethod
    def hook_settings(cls, hook, tmpdir):
        return {"hook_move": hook}

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="onvifd-ptz-hook-")
        cls.addClassCleanup(cls.tmp.cleanup)
        cls.hook = os.path.join(cls.tmp.name, "hook")
        with open(cls.hook, "w") as f:
            f.write(HOOK)
        os.chmod(cls.hook, stat.S_IRWXU)
        cls.PTZ = cls.hook_settings(cls.hook, cls.tmp.name)
        super().setUpClass()

    def mode(self, m):
        with open(self.hook + ".mode", "w") as f:
            f.write(m)

    def calls(self):
        if not os.path.exists(self.hook + ".log"):
            return []
        with open(self.hook + ".log") as f:
            text = f.read()
        return [c.strip("\n").split("\n") for c in text.split("--\n") if c.strip("\n")]

    def take_calls(self):
        got = self.calls()
        if os.path.exists(self.hook + ".log"):
            os.unlink(self.hook + ".log")
        return got


class TestEFlipAndReverse(HookedPtzCase):
    """E-Flip turns the image, which only the firmware can do: a new mode
    reaches hook_move before it is stored (a failing hook refuses it), and a
    stored ON is passed again at start-up. Reverse is the model's: moves are
    turned round before they reach the hook."""

    @classmethod
    def hook_settings(cls, hook, tmpdir):
        return {"eflip": "true", "reverse": "true", "hook_move": hook}

    def direction_body(self, eflip, reverse):
        cfg = self.ok("<tptz:GetConfiguration><tptz:PTZConfigurationToken>PTZConfig_1</tptz:PTZConfigurationToken>"
                      "</tptz:GetConfiguration>").find("tptz:PTZConfiguration", NS)
        for old in cfg.findall("tt:Extension", NS):
            cfg.remove(old)
        direction = etree.SubElement(etree.SubElement(cfg, TT + "Extension"), TT + "PTControlDirection")
        etree.SubElement(etree.SubElement(direction, TT + "EFlip"), TT + "Mode").text = eflip
        etree.SubElement(etree.SubElement(direction, TT + "Reverse"), TT + "Mode").text = reverse
        return ("<tptz:SetConfiguration>%s<tptz:ForcePersistence>true</tptz:ForcePersistence></tptz:SetConfiguration>"
                % etree.tostring(cfg).decode())

    def directions(self):
        d = self.ok("<tptz:GetConfiguration><tptz:PTZConfigurationToken>PTZConfig_1</tptz:PTZConfigurationToken>"
                    "</tptz:GetConfiguration>").find("tptz:PTZConfiguration/tt:Extension/tt:PTControlDirection", NS)
        return d.findtext("tt:EFlip/tt:Mode", namespaces=NS), d.findtext("tt:Reverse/tt:Mode", namespaces=NS)

    def test_eflip_reaches_the_firmware_and_survives_a_restart(self):
        self.mode("")
        self.take_calls()
        self.ok(self.direction_body("ON", "OFF"))
        self.assertEqual(self.take_calls(), [["PTZNode_1", "eflip", "ON"]])
        self.assertEqual(self.directions(), ("ON", "OFF"))
        # The same mode again: nothing to tell.
        self.ok(self.direction_body("ON", "OFF"))
        self.assertEqual(self.take_calls(), [])
        # The firmware refuses: a fault, and the mode stays.
        self.mode("fail")
        self.assertFault(self.direction_body("OFF", "OFF"), RECEIVER, "Action")
        self.assertEqual(self.take_calls(), [["PTZNode_1", "eflip", "OFF"]])
        self.assertEqual(self.directions(), ("ON", "OFF"))
        self.mode("")
        # A restart tells the firmware the stored mode again.
        self.restart()
        self.assertEqual(self.take_calls(), [["PTZNode_1", "eflip", "ON"]])
        self.assertEqual(self.directions(), ("ON", "OFF"))
        self.ok(self.direction_body("OFF", "OFF"))
        self.assertEqual(self.take_calls(), [["PTZNode_1", "eflip", "OFF"]])

    def test_reverse_turns_the_moves_round(self):
        self.mode("")
        self.ok(self.direction_body("OFF", "ON"))
        self.take_calls()
        self.ok(self.continuous(0.5, -0.25, timeout="PT2S"))
        self.ok(self.stop())
        self.assertEqual(self.take_calls()[0], ["PTZNode_1", "continuous", "-0.5", "0.25", "-", "2000"])
        self.ok(self.direction_body("OFF", "OFF"))


class TestHooks(HookedPtzCase):
    """Moves and auxiliary commands reach the firmware as argv; a failing or
    hung hook is a fault within the hook timeout and changes nothing."""

    @classmethod
    def hook_settings(cls, hook, tmpdir):
        return {"hook_move": hook, "hook_auxiliary": hook, "hook_timeout_ms": "700",
                "auxiliary_commands": "tt:Wiper|On, tt:Say|it's \"a b\"; touch %s/pwned" % tmpdir}

    def setUp(self):
        self.mode("")
        if os.path.exists(self.hook + ".log"):
            os.unlink(self.hook + ".log")

    def test_move_arguments(self):
        self.ok(self.continuous(0.5, -0.25, timeout="PT2S"))
        self.ok(self.stop(pan_tilt=True, zoom=False))
        self.ok(self.absolute(zoom=0.5, speed='<tt:Zoom x="1"/>'))
        self.assertEqual(self.calls(), [["PTZNode_1", "continuous", "0.5", "-0.25", "-", "2000"],
                                        ["PTZNode_1", "stop", "pan_tilt"],
                                        ["PTZNode_1", "absolute", "-", "-", "0.5", "0.5", "0.5", "1", "absolute"]])

    def test_auxiliary_argv_is_not_a_shell(self):
        cmd = "tt:Say|it's \"a b\"; touch %s/pwned" % self.tmp.name
        el = self.ok("<tptz:SendAuxiliaryCommand><tptz:ProfileToken>%s</tptz:ProfileToken><tptz:AuxiliaryData>%s"
                     "</tptz:AuxiliaryData></tptz:SendAuxiliaryCommand>"
                     % (self.PROFILE, cmd.replace("&", "&amp;").replace('"', "&quot;")))
        self.assertEqual(self.calls(), [["PTZNode_1", cmd]])
        self.assertEqual(el.findtext("tptz:AuxiliaryResponse", namespaces=NS), "done " + cmd)
        self.assertFalse(os.path.exists(os.path.join(self.tmp.name, "pwned")))

    def test_failing_hook_is_a_fault_and_changes_nothing(self):
        before = self.status()
        self.mode("fail")
        self.assertFault(self.continuous(1, 1, timeout="PT2S"), RECEIVER, "Action")
        after = self.status()
        self.assertEqual(after["pt_state"], "IDLE")
        self.assertEqual((after["pan"], after["tilt"]), (before["pan"], before["tilt"]))

    def test_hung_hook_is_a_bounded_fault_and_other_clients_go_on(self):
        self.mode("hang")
        result = {}

        def slow():
            start = time.monotonic()
            result["resp"] = self.ptz(self.absolute(0.1, 0.1))
            result["took"] = time.monotonic() - start

        t = threading.Thread(target=slow)
        t.start()
        time.sleep(0.2)
        start = time.monotonic()
        self.status()  # another client is answered while the hook hangs
        self.assertLess(time.monotonic() - start, 0.5)
        t.join(10)
        self.assertFalse(t.is_alive())
        self.assertEqual(fault_info(result["resp"].body)["subcodes"][:1], [ter("Action")])
        self.assertLess(result["took"], 3)


class TestHomeAssistantRequests(PtzCase):
    """The PTZ requests Home Assistant's ONVIF integration sent
    (client-captures/home-assistant-ptz-imaging), re-sent with a fresh
    UsernameToken to a camera whose profiles carry the captured tokens."""

    MEDIA = {"stream1.profile_token": "Profile_0", "stream2.profile_token": "Profile_1"}
    PTZ = {"profiles": "Profile_0, Profile_1"}
    PROFILE = "Profile_0"

    def test_home_assistant_ptz_requests(self):
        self.ok(self.absolute(0.3, -0.2, 0.4))
        preset_position = [round(self.wait_idle()[k], 2) for k in ("pan", "tilt", "zoom")]
        self.assertEqual(preset_position, [0.3, -0.2, 0.4])
        token = self.ok(self.set_preset("Entrance")).findtext("tptz:PresetToken", namespaces=NS)
        seen = []
        for name, line, body in capture_bodies("home-assistant-ptz-imaging"):
            if b"/onvif/ptz_service" not in line and b"/onvif/media_service" not in line \
                    and b"/onvif/device_service" not in line:
                continue
            xml = etree.tostring(body).decode().replace("PresetToken_1", token)
            op = etree.QName(body).localname
            path = PTZ_PATH if b"ptz_service" in line else MEDIA_PATH if b"media_service" in line else DEVICE_PATH
            with self.subTest(capture=name):
                if op in ("RelativeMove", "AbsoluteMove", "GotoPreset"):
                    before = self.wait_idle()
                el = self.ok(xml, path=path)
                self.assertEqual(etree.QName(el).localname, op + "Response")
                seen.append(op)
                # The moves arrive where the request says (generic spaces).
                if op == "RelativeMove":
                    # No space given: the default, the FOV one, where x=-1 is half the view to the left
                    # (60 degrees wide at zoom 0, narrowed by the 10x zoom); tilt and zoom stay.
                    after = self.wait_idle()
                    half_view = 60 / (1 + 9 * before["zoom"]) / 2
                    self.assertAlmostEqual(after["pan"], before["pan"] - 0.1 * half_view / 180, places=4)
                    self.assertAlmostEqual(after["tilt"], before["tilt"], places=2)
                    self.assertAlmostEqual(after["zoom"], before["zoom"], places=2)
                if op == "AbsoluteMove":
                    after = self.wait_idle()
                    self.assertEqual([round(after[k], 2) for k in ("pan", "tilt", "zoom")], [-0.1, 0.0, 0.0])
                if op == "GotoPreset":
                    after = self.wait_idle()
                    self.assertEqual([round(after[k], 2) for k in ("pan", "tilt", "zoom")], preset_position)
                if op == "ContinuousMove":
                    self.assertEqual(self.status()["pt_state"], "MOVING")
                if op == "Stop":
                    self.assertEqual(self.status()["pt_state"], "IDLE")
                if op == "GetCapabilities":
                    self.assertIsNotNone(el.find("tds:Capabilities/tt:PTZ/tt:XAddr", NS))
                if op == "GetPresets":
                    self.assertIn(token, [p.get("token") for p in el.findall("tptz:Preset", NS)])
                if op == "SendAuxiliaryCommand":
                    self.assertTrue(el.findtext("tptz:AuxiliaryResponse", namespaces=NS).startswith("tt:Wiper|"))
        for op in ("GetPresets", "ContinuousMove", "Stop", "RelativeMove", "AbsoluteMove", "GotoPreset",
                   "SendAuxiliaryCommand"):
            self.assertIn(op, seen)


class TestNpmOnvifMedia2Requests(PtzCase):
    """npm onvif 0.8.3 on its Media2 path (client-captures/
    npm-onvif-ptz-imaging-media2): every request re-sent with a fresh
    UsernameToken, and each answer and its effect checked: the profiles,
    URIs, where each move ends, the presets it makes and removes, and the
    imaging settings it sets (25 sends Sharpness before IrCutFilter, out of
    schema order: taken, all four values)."""

    MEDIA = {"stream1.profile_token": "Profile_0", "stream2.profile_token": "Profile_1"}
    PTZ = {"profiles": "Profile_0, Profile_1"}
    PROFILE = "Profile_0"

    def position(self):
        st = self.wait_idle()
        return [round(st[k], 3) for k in ("pan", "tilt", "zoom")]

    def imaging(self):
        el = self.ok("<timg:GetImagingSettings><timg:VideoSourceToken>VideoSource_1</timg:VideoSourceToken>"
                     "</timg:GetImagingSettings>", path=IMAGING_PATH).find("timg:ImagingSettings", NS)
        return {k: el.findtext("tt:" + k, namespaces=NS) for k in ("Brightness", "Contrast", "Sharpness",
                                                                     "IrCutFilter", "Focus/tt:AutoFocusMode")}

    def test_npm_onvif_media2_ptz_imaging_requests(self):
        self.ok(self.absolute(0.3, -0.2, 0.4))
        preset_position = self.position()
        token = self.ok(self.set_preset("Entrance")).findtext("tptz:PresetToken", namespaces=NS)
        created = None
        paths = {b"/onvif/device_service": DEVICE_PATH, b"/onvif/media_service": MEDIA_PATH,
                 b"/onvif/media2_service": MEDIA2_PATH, b"/onvif/ptz_service": PTZ_PATH,
                 b"/onvif/imaging_service": IMAGING_PATH}
        replayed = []
        for name, line, body in capture_bodies("npm-onvif-ptz-imaging-media2"):
            path = paths[line.split(b" ")[1]]
            op = etree.QName(body).localname
            xml = etree.tostring(body).decode().replace("PresetToken_1", token)
            xml = xml.replace(">VideoSourceToken<", ">VideoSource_1<")
            if op == "RemovePreset":
                xml = xml.replace("PresetToken_3", created)
            with self.subTest(capture=name):
                before = self.status()
                before_imaging = self.imaging() if op == "SetImagingSettings" else None
                el = self.ok(xml, path=path)
                self.assertEqual(etree.QName(el).localname, op + "Response")
                replayed.append(op)
                self.check(name, op, el, before, before_imaging, token, preset_position)
                if op == "SetPreset":
                    created = el.findtext("tptz:PresetToken", namespaces=NS)
                    self.assertEqual(self.presets()[created].findtext("tt:Name", namespaces=NS), "agsh_preset")
        self.assertEqual(len(replayed), 27)
        self.assertNotIn(created, self.presets())  # 21 removed it
        self.assertIn(token, self.presets())

    def check(self, name, op, el, before, before_imaging, token, preset_position):
        mag = 1 + 9 * before["zoom"]  # the default 10x zoom
        if op == "GetSystemDateAndTime":
            year = el.findtext("tds:SystemDateAndTime/tt:UTCDateTime/tt:Date/tt:Year", namespaces=NS)
            self.assertEqual(int(year), datetime.datetime.now(datetime.timezone.utc).year)
        elif op == "GetServices":
            xaddrs = {s.findtext("tds:Namespace", namespaces=NS): s.findtext("tds:XAddr", namespaces=NS)
                      for s in el.findall("tds:Service", NS)}
            self.assertTrue(xaddrs[NS["tr2"]].endswith(MEDIA2_PATH))
            self.assertTrue(xaddrs[NS["tptz"]].endswith(PTZ_PATH))
            # IncludeCapability true: the Media2 entry carries its capabilities.
            self.assertIsNotNone(el.find("tds:Service/tds:Capabilities/tr2:Capabilities", NS))
        elif op == "GetProfiles":  # Media2, Type All
            profiles = el.findall("tr2:Profiles", NS)
            self.assertEqual([p.get("token") for p in profiles], ["Profile_0", "Profile_1"])
            first = profiles[0].find("tr2:Configurations", NS)
            self.assertEqual(first.find("tr2:VideoSource", NS).findtext("tt:SourceToken", namespaces=NS),
                             "VideoSource_1")
            self.assertIsNotNone(first.find("tr2:VideoEncoder", NS))
            self.assertIsNotNone(first.find("tr2:PTZ", NS))
        elif op == "GetVideoSources":  # Media1, also on the Media2 path
            self.assertEqual([v.get("token") for v in el.findall("trt:VideoSources", NS)], ["VideoSource_1"])
        elif op == "GetStreamUri":
            self.assertRegex(el.findtext("tr2:Uri", namespaces=NS), r"^rtsp://[^/]+/Profile_0$")
        elif op == "GetSnapshotUri":
            self.assertRegex(el.findtext("tr2:Uri", namespaces=NS), r"^http://[^/]+/onvif/snapshot/Profile_0$")
        elif op == "ContinuousMove":
            self.assertEqual(self.status()["pt_state"], "MOVING")
        elif op == "Stop":
            self.assertEqual(self.status()["pt_state"], "IDLE")
        elif op == "GetStatus":
            pt = el.find("tptz:PTZStatus/tt:Position/tt:PanTilt", NS)
            self.assertAlmostEqual(float(pt.get("x")), before["pan"], places=2)
            self.assertEqual(el.findtext("tptz:PTZStatus/tt:MoveStatus/tt:PanTilt", namespaces=NS), "IDLE")
        elif op == "AbsoluteMove":
            self.assertEqual(self.position(), [0.2, -0.1, 0.5])
        elif op == "RelativeMove":
            # x 0.1, y 0.05 in the default (FOV) space: fractions of half the view (60 x 34 degrees at
            # zoom 0); pan spans 360 degrees, tilt 90, over the generic -1..1.
            st = self.wait_idle()
            self.assertAlmostEqual(st["pan"], before["pan"] + 0.1 * (60 / mag) / 360, places=4)
            self.assertAlmostEqual(st["tilt"], before["tilt"] + 0.05 * (34 / mag) / 90, places=4)
            self.assertAlmostEqual(st["zoom"], before["zoom"], places=4)
        elif op == "GotoPreset":
            self.assertEqual(self.position(), preset_position)
        elif op == "GetPresets":
            self.assertIn(token, [p.get("token") for p in el.findall("tptz:Preset", NS)])
        elif op == "GotoHomePosition":
            self.assertEqual(self.position(), [0.0, 0.0, 0.0])
        elif op == "GetImagingSettings":
            got = {k: el.findtext("timg:ImagingSettings/tt:" + k, namespaces=NS) for k in ("Brightness", "IrCutFilter")}
            now = self.imaging()
            self.assertEqual(got, {"Brightness": now["Brightness"], "IrCutFilter": now["IrCutFilter"]})
        elif op == "SetImagingSettings":
            expected = dict(before_imaging)
            expected.update({"Brightness": "60", "Contrast": "55", "Sharpness": "40", "IrCutFilter": "AUTO"}
                            if name.startswith("25-") else {"Focus/tt:AutoFocusMode": "MANUAL", "IrCutFilter": "ON"})
            self.assertEqual({k: v.split(".")[0] if v else v for k, v in self.imaging().items()}, expected)
        elif op not in ("SetPreset", "RemovePreset"):  # checked by the caller
            self.fail("no answer check for the captured %s" % op)


class TestFrigateRequests(PtzCase):
    """Frigate's PTZ and focus calls (client-captures/frigate-ptz), every one
    answered, and the decisions frigate/ptz/onvif.py makes from the answers:
    pan/tilt, zoom, relative moves in the FOV space, absolute zoom,
    MoveStatus, focus."""

    MEDIA = {"stream1.profile_token": "Profile_0", "stream2.profile_token": "Profile_1"}
    PTZ = {"profiles": "Profile_0, Profile_1", "configuration_token": "PTZCfgToken"}
    PROFILE = "Profile_0"

    def test_frigate_startup_and_features(self):
        answers = {}
        token = self.ok(self.set_preset("Entrance")).findtext("tptz:PresetToken", namespaces=NS)
        replayed = 0
        for name, line, body in capture_bodies("frigate-ptz"):
            path = PTZ_PATH if b"ptz_service" in line else MEDIA_PATH if b"media_service" in line else \
                IMAGING_PATH if b"imaging_service" in line else DEVICE_PATH
            op = etree.QName(body).localname
            if path == IMAGING_PATH:
                op = "imaging " + op
            xml = etree.tostring(body).decode().replace("PresetToken_1", token)
            xml = xml.replace(">VideoSourceToken<", ">VideoSource_1<")
            with self.subTest(capture=name):
                el = self.ok(xml, path=path)
                self.assertEqual(etree.QName(el).localname, etree.QName(body).localname + "Response")
                answers.setdefault(op, el)
                replayed += 1
                if op == "RelativeMove" or op == "AbsoluteMove":
                    self.assertEqual(self.wait_idle()["pt_state"], "IDLE")
        # Frigate's profile choice: VideoEncoderConfiguration + PTZConfiguration with continuous spaces
        valid = [p for p in answers["GetProfiles"].findall("trt:Profiles", NS)
                 if p.find("tt:VideoEncoderConfiguration", NS) is not None
                 and p.find("tt:PTZConfiguration", NS) is not None
                 and p.find("tt:PTZConfiguration/tt:DefaultContinuousPanTiltVelocitySpace", NS) is not None]
        self.assertEqual(valid[0].get("token"), "Profile_0")
        cfg = valid[0].find("tt:PTZConfiguration", NS)
        features = []
        if cfg.findtext("tt:DefaultContinuousPanTiltVelocitySpace", namespaces=NS):
            features.append("pt")
        if cfg.findtext("tt:DefaultContinuousZoomVelocitySpace", namespaces=NS):
            features.append("zoom")
        if cfg.findtext("tt:DefaultRelativePanTiltTranslationSpace", namespaces=NS):
            features.append("pt-r")
        if cfg.findtext("tt:DefaultRelativeZoomTranslationSpace", namespaces=NS):
            features.append("zoom-r")
        if cfg.findtext("tt:DefaultAbsoluteZoomPositionSpace", namespaces=NS):
            features.append("zoom-a")
        spaces = answers["GetConfigurationOptions"].find("tptz:PTZConfigurationOptions/tt:Spaces", NS)
        fov = [s for s in spaces.findall("tt:RelativePanTiltTranslationSpace", NS)
               if "TranslationSpaceFov" in s.findtext("tt:URI", namespaces=NS)]
        if fov and cfg.findtext("tt:DefaultRelativePanTiltTranslationSpace", namespaces=NS):
            features.append("pt-r-fov")
        self.assertEqual(features, ["pt", "zoom", "pt-r", "zoom-r", "zoom-a", "pt-r-fov"])
        self.assertIsNotNone(spaces.find("tt:AbsoluteZoomPositionSpace/tt:XRange", NS))  # absolute_zoom_range
        self.assertEqual(answers["GetServiceCapabilities"].find("tptz:Capabilities", NS).get("MoveStatus"), "true")
        self.assertIn(answers["GetStatus"].findtext("tptz:PTZStatus/tt:MoveStatus/tt:PanTilt", namespaces=NS),
                      ("IDLE", "MOVING"))
        # Frigate offers focus, and stops it with every PTZ stop, once
        # GetImagingSettings has a Focus element.
        self.assertIsNotNone(answers["imaging GetImagingSettings"].find("timg:ImagingSettings/tt:Focus", NS))
        self.assertIn("imaging Move", answers)
        self.assertIn("imaging Stop", answers)
        self.assertEqual(replayed, 40)


class TestReportedPosition(PtzCase):
    """position = reported: GetStatus says what the firmware last reported
    through the control socket (`onvifd ptz status ...`), UNKNOWN before."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="onvifd-ptz-ctl-")
        cls.addClassCleanup(cls.tmp.cleanup)
        cls.socket = os.path.join(cls.tmp.name, "control.sock")
        cls.PTZ = {"position": "reported", "hook_move": "/bin/true"}
        cls.SECTIONS = {"events": {"control_socket": cls.socket}}
        super().setUpClass()

    def report(self, *args):
        import subprocess
        from harness import binary_path
        return subprocess.run([binary_path(), "ptz", "--socket", self.socket] + list(args),
                              capture_output=True, timeout=10)

    def test_reported_status(self):
        before = self.status()
        self.assertEqual((before["pt_state"], before["zoom_state"]), ("UNKNOWN", "UNKNOWN"))
        self.assertTrue(before["error"])
        r = self.report("status", "0.5", "-0.25", "0.75", "moving", "idle")
        self.assertEqual(r.returncode, 0, r.stderr)
        s = self.status()
        self.assertEqual((s["pan"], s["tilt"], s["zoom"]), (0.5, -0.25, 0.75))
        self.assertEqual((s["pt_state"], s["zoom_state"]), ("MOVING", "IDLE"))
        self.assertIsNone(s["error"])
        # moves go to the firmware (hook_move) and do not move the reported head
        self.ok(self.continuous(1, 0, timeout="PT1S"))
        time.sleep(0.3)
        self.assertEqual(self.status()["pan"], 0.5)
        bad = self.report("status", "2", "0", "0")
        self.assertNotEqual(bad.returncode, 0)
        self.assertIn(b"usage: ptz status", bad.stderr)
        self.assertEqual(self.report("status", "0", "0", "0").returncode, 0)
        self.assertEqual(self.status()["pt_state"], "IDLE")


class TestStatusHook(PtzCase):
    """position = reported with hook_status: each GetStatus asks the firmware."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="onvifd-ptz-status-")
        cls.addClassCleanup(cls.tmp.cleanup)
        hook = os.path.join(cls.tmp.name, "status")
        with open(hook, "w") as f:
            f.write('#!/bin/sh\n[ "$1" = PTZNode_1 ] || exit 1\ncat "$0.now"\n')
        os.chmod(hook, stat.S_IRWXU)
        cls.now = hook + ".now"
        cls.PTZ = {"position": "reported", "hook_move": "/bin/true", "hook_status": hook}
        super().setUpClass()

    def test_status_from_the_hook(self):
        with open(self.now, "w") as f:
            f.write("0.25 -0.5 0.5 moving moving\n")
        s = self.status()
        self.assertEqual((s["pan"], s["tilt"], s["zoom"], s["pt_state"], s["zoom_state"]),
                         (0.25, -0.5, 0.5, "MOVING", "MOVING"))
        with open(self.now, "w") as f:
            f.write("0.5 -0.5 0.5 idle idle\n")
        s = self.status()
        self.assertEqual((s["pan"], s["pt_state"], s["zoom_state"]), (0.5, "IDLE", "IDLE"))


if __name__ == "__main__":
    unittest.main()
