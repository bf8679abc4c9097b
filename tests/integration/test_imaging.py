"""Imaging service (Imaging spec, imaging.wsdl ver20) through the real
binary: settings, options, partial updates as Home Assistant sends them,
faults, the simulated focus motor, the apply hook, persistence, and the
service's place in GetServices / GetCapabilities. Test names follow the
Imaging device test specification's case IDs."""
import time
import unittest

from harness import DEVICE_PATH, IMAGING_PATH, NS, Server, body_child, call
from device_support import HookDir, PersistentServer, assert_fault, ok
from imaging_support import SOURCE, capture_body, flat, icall, settings

HA = "home-assistant-ptz-imaging"


def set_body(inner, token=SOURCE):
    return ("<timg:SetImagingSettings><timg:VideoSourceToken>%s</timg:VideoSourceToken>"
            "<timg:ImagingSettings>%s</timg:ImagingSettings></timg:SetImagingSettings>" % (token, inner))


def token_body(op, token=SOURCE, extra=""):
    return "<timg:%s><timg:VideoSourceToken>%s</timg:VideoSourceToken>%s</timg:%s>" % (op, token, extra, op)


def move_body(inner, token=SOURCE):
    return token_body("Move", token, "<timg:Focus>%s</timg:Focus>" % inner)


class ImagingCase(unittest.TestCase):
    SECTIONS = {}

    @classmethod
    def setUpClass(cls):
        cls.srv = Server(sections=cls.SECTIONS)
        cls.addClassCleanup(cls.srv.close)
        cls.srv.start()

    def get(self, body):
        return ok(self, icall(self.srv, body))

    def status(self):
        st = self.get(token_body("GetStatus")).find("timg:Status/tt:FocusStatus20", NS)
        return float(st.find("tt:Position", NS).text), st.find("tt:MoveStatus", NS).text


class TestImagingDefaultCamera(ImagingCase):
    """The embedded default camera: every parameter offered, a focus motor."""

    def test_IMAGING_3_1_1_service_capabilities(self):
        caps = self.get("<timg:GetServiceCapabilities/>").find("timg:Capabilities", NS)
        self.assertEqual({k: caps.get(k) for k in ("ImageStabilization", "Presets", "AdaptablePreset")},
                         {"ImageStabilization": "false", "Presets": "true", "AdaptablePreset": "false"})

    def test_IMAGING_3_1_2_get_services_lists_imaging_with_capabilities(self):
        el = ok(self, call(self.srv.port, "<tds:GetServices><tds:IncludeCapability>true</tds:IncludeCapability>"
                                          "</tds:GetServices>"))
        services = {s.find("tds:Namespace", NS).text: s for s in el.findall("tds:Service", NS)}
        svc = services["http://www.onvif.org/ver20/imaging/wsdl"]
        self.assertEqual(svc.find("tds:XAddr", NS).text, "http://127.0.0.1:%d%s" % (self.srv.port, IMAGING_PATH))
        caps = svc.find("tds:Capabilities/timg:Capabilities", NS)
        self.assertEqual(caps.get("Presets"), "true")

    def test_get_capabilities_lists_imaging_xaddr(self):
        for category in ("All", "Imaging"):
            el = ok(self, call(self.srv.port, "<tds:GetCapabilities><tds:Category>%s</tds:Category>"
                                              "</tds:GetCapabilities>" % category))
            self.assertEqual(el.find("tds:Capabilities/tt:Imaging/tt:XAddr", NS).text,
                             "http://127.0.0.1:%d%s" % (self.srv.port, IMAGING_PATH))

    def test_IMAGING_1_1_1_get_imaging_settings(self):
        got = flat(settings(self, self.srv))
        self.assertEqual(float(got["Brightness"]), 50)
        self.assertEqual(got["IrCutFilter"], "AUTO")
        self.assertEqual(got["BacklightCompensation/Mode"], "OFF")
        self.assertEqual(got["WideDynamicRange/Mode"], "OFF")
        self.assertEqual(got["WhiteBalance/Mode"], "AUTO")
        self.assertEqual(got["Exposure/Mode"], "AUTO")
        self.assertEqual(got["Focus/AutoFocusMode"], "AUTO")

    def test_IMAGING_1_1_3_get_options(self):
        opts = self.get(token_body("GetOptions")).find("timg:ImagingOptions", NS)
        self.assertEqual([opts.find("tt:Brightness/tt:" + k, NS).text for k in ("Min", "Max")], ["0", "100"])
        self.assertEqual([e.text for e in opts.findall("tt:IrCutFilterModes", NS)], ["ON", "OFF", "AUTO"])
        self.assertEqual([e.text for e in opts.findall("tt:Focus/tt:AutoFocusModes", NS)], ["AUTO", "MANUAL"])
        self.assertEqual([e.text for e in opts.findall("tt:WhiteBalance/tt:Mode", NS)], ["AUTO", "MANUAL"])
        self.assertIsNotNone(opts.find("tt:Exposure/tt:ExposureTime", NS))

    def test_IMAGING_1_1_16_settings_within_options(self):
        opts = self.get(token_body("GetOptions")).find("timg:ImagingOptions", NS)
        got = settings(self, self.srv)
        for name in ("Brightness", "ColorSaturation", "Contrast", "Sharpness"):
            lo, hi = (float(opts.find("tt:%s/tt:%s" % (name, k), NS).text) for k in ("Min", "Max"))
            self.assertTrue(lo <= float(got.find("tt:" + name, NS).text) <= hi, name)
        self.assertIn(got.find("tt:IrCutFilter", NS).text,
                      [e.text for e in opts.findall("tt:IrCutFilterModes", NS)])

    def test_IMAGING_1_1_10_11_12_unknown_source(self):
        for body in (token_body("GetImagingSettings", "NoSuchSource"), token_body("GetOptions", "NoSuchSource"),
                     set_body("<tt:Brightness>10</tt:Brightness>", "NoSuchSource")):
            assert_fault(self, icall(self.srv, body), "InvalidArgVal", "NoSource", code="Sender")

    def test_IMAGING_2_1_15_to_18_unknown_source_focus(self):
        for body in (token_body("GetMoveOptions", "Nope"), move_body("<tt:Continuous><tt:Speed>0.5</tt:Speed>"
                                                                     "</tt:Continuous>", "Nope"),
                     token_body("GetStatus", "Nope"), token_body("Stop", "Nope")):
            assert_fault(self, icall(self.srv, body), "InvalidArgVal", "NoSource", code="Sender")

    def test_IMAGING_2_1_1_get_move_options(self):
        mo = self.get(token_body("GetMoveOptions")).find("timg:MoveOptions", NS)
        self.assertEqual([mo.find("tt:Absolute/tt:Position/tt:" + k, NS).text for k in ("Min", "Max")], ["0", "1"])
        self.assertEqual([mo.find("tt:Relative/tt:Distance/tt:" + k, NS).text for k in ("Min", "Max")], ["-1", "1"])
        self.assertEqual([mo.find("tt:Continuous/tt:Speed/tt:" + k, NS).text for k in ("Min", "Max")], ["-1", "1"])



class TestImagingSet(ImagingCase):
    """Changes; each test starts from what the previous ones left, so each
    compares against a fresh read."""

    def test_IMAGING_1_1_14_set_imaging_settings(self):
        ok(self, icall(self.srv, set_body(
            "<tt:Brightness>20</tt:Brightness><tt:ColorSaturation>30</tt:ColorSaturation>"
            "<tt:Contrast>40</tt:Contrast><tt:Exposure><tt:Mode>MANUAL</tt:Mode><tt:ExposureTime>2000"
            "</tt:ExposureTime><tt:Gain>6</tt:Gain></tt:Exposure><tt:Sharpness>60</tt:Sharpness>"
            "<tt:WideDynamicRange><tt:Mode>ON</tt:Mode><tt:Level>70</tt:Level></tt:WideDynamicRange>"
            "<tt:WhiteBalance><tt:Mode>MANUAL</tt:Mode><tt:CrGain>100</tt:CrGain><tt:CbGain>90</tt:CbGain>"
            "</tt:WhiteBalance>")))
        got = flat(settings(self, self.srv))
        expect = {"Brightness": 20, "ColorSaturation": 30, "Contrast": 40, "Sharpness": 60,
                  "Exposure/ExposureTime": 2000, "Exposure/Gain": 6, "WideDynamicRange/Level": 70,
                  "WhiteBalance/CrGain": 100, "WhiteBalance/CbGain": 90}
        self.assertEqual({k: float(got[k]) for k in expect}, expect)
        self.assertEqual((got["Exposure/Mode"], got["WideDynamicRange/Mode"], got["WhiteBalance/Mode"]),
                         ("MANUAL", "ON", "MANUAL"))

    def test_IMAGING_1_1_8_invalid_settings_change_nothing(self):
        before = flat(settings(self, self.srv))
        for inner in ("<tt:Brightness>101</tt:Brightness>",
                      "<tt:Contrast>7</tt:Contrast><tt:Sharpness>-1</tt:Sharpness>",
                      "<tt:BacklightCompensation><tt:Mode>ON</tt:Mode><tt:Level>11</tt:Level>"
                      "</tt:BacklightCompensation>",
                      "<tt:Focus><tt:AutoFocusMode>MANUAL</tt:AutoFocusMode><tt:NearLimit>1</tt:NearLimit></tt:Focus>",
                      "<tt:Exposure><tt:Mode>AUTO</tt:Mode><tt:Iris>1</tt:Iris></tt:Exposure>"):
            assert_fault(self, icall(self.srv, set_body(inner)), "InvalidArgVal", "SettingsInvalid", code="Sender")
        self.assertEqual(flat(settings(self, self.srv)), before)

    def test_home_assistant_partial_updates_keep_other_fields(self):
        """Home Assistant's IR lamp and autofocus switches, replayed from the
        recording: each sends one field; every other field keeps its value."""
        for name, path, value in (("12-SetImagingSettings.http", "IrCutFilter", "OFF"),
                                  ("14-SetImagingSettings.http", "IrCutFilter", "ON"),
                                  ("22-SetImagingSettings.http", "Focus/AutoFocusMode", "MANUAL"),
                                  ("21-SetImagingSettings.http", "Focus/AutoFocusMode", "AUTO")):
            before = flat(settings(self, self.srv))
            body = capture_body(HA, name).replace(">VideoSourceToken<", ">%s<" % SOURCE)
            ok(self, icall(self.srv, body))
            after = flat(settings(self, self.srv))
            self.assertEqual(after[path], value, name)
            before[path] = value
            self.assertEqual(after, before, name)

    def test_recorded_non_enum_value_is_refused(self):
        # 16-SetImagingSettings restores "On", copied from another device's
        # answer: not a tt:IrCutFilterMode, so the request is invalid.
        before = flat(settings(self, self.srv))
        body = capture_body(HA, "16-SetImagingSettings.http").replace(">VideoSourceToken<", ">%s<" % SOURCE)
        resp = icall(self.srv, body)
        self.assertNotEqual(resp.status, 200)
        self.assertEqual(flat(settings(self, self.srv)), before)


class TestFocusMotor(ImagingCase):

    def wait_idle(self, timeout=5.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pos, st = self.status()
            if st == "IDLE":
                return pos
            time.sleep(0.1)
        self.fail("focus still moving after %.0f s" % timeout)

    def test_IMAGING_2_1_3_absolute_move_and_2_1_11_status(self):
        self.wait_idle()
        ok(self, icall(self.srv, move_body("<tt:Absolute><tt:Position>0.9</tt:Position><tt:Speed>0.5</tt:Speed>"
                                           "</tt:Absolute>")))
        pos, st = self.status()
        self.assertEqual(st, "MOVING")
        self.assertAlmostEqual(self.wait_idle(), 0.9, places=4)
        # Imaging spec "Move": a focus move turns the autofocus off.
        self.assertEqual(flat(settings(self, self.srv))["Focus/AutoFocusMode"], "MANUAL")

    def test_IMAGING_2_1_5_relative_move(self):
        start = self.wait_idle()
        distance = -0.2 if start > 0.5 else 0.2
        ok(self, icall(self.srv, move_body("<tt:Relative><tt:Distance>%s</tt:Distance><tt:Speed>1</tt:Speed>"
                                           "</tt:Relative>" % distance)))
        self.assertAlmostEqual(self.wait_idle(), start + distance, places=4)

    def test_IMAGING_2_1_7_continuous_move_and_2_1_13_stop(self):
        ok(self, icall(self.srv, move_body("<tt:Absolute><tt:Position>0</tt:Position><tt:Speed>1</tt:Speed>"
                                           "</tt:Absolute>")))
        self.wait_idle()
        ok(self, icall(self.srv, move_body("<tt:Continuous><tt:Speed>0.1</tt:Speed></tt:Continuous>")))
        time.sleep(0.3)
        self.assertEqual(self.status()[1], "MOVING")
        ok(self, icall(self.srv, token_body("Stop")))
        pos, st = self.status()
        self.assertEqual(st, "IDLE")
        self.assertTrue(0 < pos < 0.5, pos)
        time.sleep(0.2)
        self.assertEqual(self.status(), (pos, "IDLE"))

    def test_IMAGING_2_1_4_6_8_invalid_moves(self):
        for inner in ("<tt:Absolute><tt:Position>1.5</tt:Position></tt:Absolute>",
                      "<tt:Absolute><tt:Position>0.5</tt:Position><tt:Speed>5</tt:Speed></tt:Absolute>",
                      "<tt:Relative><tt:Distance>2</tt:Distance></tt:Relative>",
                      "<tt:Relative><tt:Distance>0.1</tt:Distance><tt:Speed>0</tt:Speed></tt:Relative>",
                      "<tt:Continuous><tt:Speed>3</tt:Speed></tt:Continuous>"):
            assert_fault(self, icall(self.srv, move_body(inner)), "InvalidArgVal", "SettingsInvalid", code="Sender")
        assert_fault(self, icall(self.srv, move_body("")), "InvalidArgVal", code="Sender")


class TestImagingWithoutMotor(ImagingCase):
    """A camera with fixed focus and only some parameters."""
    SECTIONS = {"imaging": {"focus_move": "", "focus_modes": "AUTO", "focus_default_speed_range": "",
                            "sharpness_range": "", "exposure_modes": "", "exposure_time_range": "",
                            "exposure_gain_range": "", "ir_cut_auto_boundary_types": "",
                            "ir_cut_auto_adjustment": "", "preset1.token": "", "preset2.token": "",
                            "preset3.token": ""}}

    def test_IMAGING_2_1_10_unsupported_moves(self):
        self.assertEqual(len(self.get(token_body("GetMoveOptions")).find("timg:MoveOptions", NS)), 0)
        for inner in ("<tt:Absolute><tt:Position>0.5</tt:Position></tt:Absolute>",
                      "<tt:Relative><tt:Distance>0.1</tt:Distance></tt:Relative>",
                      "<tt:Continuous><tt:Speed>0.5</tt:Speed></tt:Continuous>"):
            assert_fault(self, icall(self.srv, move_body(inner)), "ActionNotSupported", code="Receiver")
        self.assertIsNone(self.get(token_body("GetStatus")).find("timg:Status/tt:FocusStatus20", NS))

    def test_options_and_settings_leave_out_what_is_not_offered(self):
        opts = self.get(token_body("GetOptions")).find("timg:ImagingOptions", NS)
        self.assertIsNone(opts.find("tt:Sharpness", NS))
        self.assertIsNone(opts.find("tt:Exposure", NS))
        self.assertIsNone(opts.find("tt:Focus/tt:DefaultSpeed", NS))
        got = flat(settings(self, self.srv))
        self.assertNotIn("Sharpness", got)
        self.assertNotIn("Exposure/Mode", got)
        assert_fault(self, icall(self.srv, set_body("<tt:Sharpness>10</tt:Sharpness>")), "InvalidArgVal",
                     "SettingsInvalid")
        assert_fault(self, icall(self.srv, set_body("<tt:Focus><tt:AutoFocusMode>MANUAL</tt:AutoFocusMode>"
                                                    "</tt:Focus>")), "InvalidArgVal", "SettingsInvalid")
        # No IR-cut filter AUTO adjustment either.
        self.assertIsNone(opts.find("tt:Extension", NS))
        self.assertFalse([k for k in got if "IrCutFilterAutoAdjustment" in k])
        assert_fault(self, icall(self.srv, set_body(ADJUSTMENT % "<tt:BoundaryType>Common</tt:BoundaryType>")),
                     "InvalidArgVal", "SettingsInvalid", code="Sender")

    def test_presets_not_offered_without_presets(self):
        caps = self.get("<timg:GetServiceCapabilities/>").find("timg:Capabilities", NS)
        self.assertEqual(caps.get("Presets"), "false")
        for body in (token_body("GetPresets"), token_body("GetCurrentPreset"),
                     token_body("SetCurrentPreset", extra="<timg:PresetToken>ImagingPreset_Day</timg:PresetToken>")):
            assert_fault(self, icall(self.srv, body), "ActionNotSupported", code="Receiver")


ADJUSTMENT = "<tt:Extension><tt:Extension><tt:IrCutFilterAutoAdjustment>%s</tt:IrCutFilterAutoAdjustment>" \
             "</tt:Extension></tt:Extension>"


def adjustments(settings_el):
    """[(BoundaryType, BoundaryOffset, ResponseTime)] of an ImagingSettings element."""
    return [(a.findtext("tt:BoundaryType", namespaces=NS), a.findtext("tt:BoundaryOffset", namespaces=NS),
             a.findtext("tt:ResponseTime", namespaces=NS))
            for a in settings_el.findall("tt:Extension/tt:Extension/tt:IrCutFilterAutoAdjustment", NS)]


def inner_xml(settings_el, replace_extension=None):
    """The children of an ImagingSettings element as request XML (what
    IMAGING-1-1-15 sends back as "other imaging parameters"), with the
    Extension replaced when given."""
    from lxml import etree
    out = ""
    for child in settings_el:
        if child.tag == "{%s}Extension" % NS["tt"] and replace_extension is not None:
            out += replace_extension
            replace_extension = None
        else:
            out += etree.tostring(child, encoding="unicode")
    return out + (replace_extension or "")


class TestIrCutAutoAdjustment(ImagingCase):
    """IR-cut filter AUTO with its adjustment (Imaging spec "IrCutFilterAutoAdjustment")."""

    def options(self):
        opts = self.get(token_body("GetOptions")).find("timg:ImagingOptions", NS)
        return opts.find("tt:Extension/tt:Extension/tt:IrCutFilterAutoAdjustment", NS)

    def test_IMAGING_1_1_3_get_options_ir_cut_auto_adjustment(self):
        adj = self.options()
        self.assertIsNotNone(adj)
        self.assertEqual([e.text for e in adj.findall("tt:BoundaryType", NS)], ["Common", "ToOn", "ToOff"])
        self.assertEqual(adj.findtext("tt:BoundaryOffset", namespaces=NS), "true")
        self.assertEqual([adj.findtext("tt:ResponseTimeRange/tt:" + k, namespaces=NS) for k in ("Min", "Max")],
                         ["PT0S", "PT60S"])

    def test_IMAGING_1_1_15_set_ir_cut_auto_adjustment(self):
        initial = settings(self, self.srv)
        self.assertEqual(adjustments(initial), [("Common", "0", "PT5S")])
        # BoundaryType other than the current one, with an offset and a response time; other parameters as read.
        body = inner_xml(initial, ADJUSTMENT % "<tt:BoundaryType>ToOn</tt:BoundaryType>"
                                               "<tt:BoundaryOffset>-0.5</tt:BoundaryOffset>"
                                               "<tt:ResponseTime>PT1.5S</tt:ResponseTime>")
        ok(self, icall(self.srv, set_body(body)))
        after = settings(self, self.srv)
        self.assertEqual(adjustments(after), [("ToOn", "-0.5", "PT1.5S")])
        self.assertEqual({k: v for k, v in flat(after).items() if "Extension" not in k},
                         {k: v for k, v in flat(initial).items() if "Extension" not in k})
        # Two items at once, then back to the initial settings.
        ok(self, icall(self.srv, set_body(ADJUSTMENT.replace("%s", "%s</tt:IrCutFilterAutoAdjustment>"
                                                             "<tt:IrCutFilterAutoAdjustment>%s")
                                          % ("<tt:BoundaryType>ToOn</tt:BoundaryType>",
                                             "<tt:BoundaryType>ToOff</tt:BoundaryType>"
                                             "<tt:ResponseTime>PT1M</tt:ResponseTime>"))))
        self.assertEqual(adjustments(settings(self, self.srv)), [("ToOn", None, None), ("ToOff", None, "PT60S")])
        ok(self, icall(self.srv, set_body(inner_xml(initial))))
        self.assertEqual(flat(settings(self, self.srv)), flat(initial))

    def test_IMAGING_1_1_16_adjustment_within_options(self):
        adj = self.options()
        types = [e.text for e in adj.findall("tt:BoundaryType", NS)]
        for boundary, offset, response in adjustments(settings(self, self.srv)):
            self.assertIn(boundary, types)
            if offset is not None:
                self.assertEqual(adj.findtext("tt:BoundaryOffset", namespaces=NS), "true")
                self.assertTrue(-1 <= float(offset) <= 1)

    def test_IMAGING_1_1_8_invalid_adjustment_changes_nothing(self):
        before = flat(settings(self, self.srv))
        for inner in ("<tt:BoundaryType>Sideways</tt:BoundaryType>",
                      "<tt:BoundaryType>ToOn</tt:BoundaryType><tt:BoundaryOffset>1.5</tt:BoundaryOffset>",
                      "<tt:BoundaryType>ToOn</tt:BoundaryType><tt:ResponseTime>PT2M</tt:ResponseTime>",
                      "<tt:BoundaryType>ToOn</tt:BoundaryType><tt:ResponseTime>soon</tt:ResponseTime>"):
            resp = icall(self.srv, set_body("<tt:Brightness>11</tt:Brightness>" + ADJUSTMENT % inner))
            assert_fault(self, resp, "InvalidArgVal", "SettingsInvalid", code="Sender")
        twice = ADJUSTMENT.replace("%s", "%s</tt:IrCutFilterAutoAdjustment><tt:IrCutFilterAutoAdjustment>%s") % (
            "<tt:BoundaryType>ToOn</tt:BoundaryType>", "<tt:BoundaryType>ToOn</tt:BoundaryType>")
        assert_fault(self, icall(self.srv, set_body(twice)), "InvalidArgVal", "SettingsInvalid", code="Sender")
        self.assertEqual(flat(settings(self, self.srv)), before)


class TestImagingPresets(ImagingCase):
    """Imaging presets of the default camera (Imaging spec "Imaging Presets")."""

    def presets(self):
        el = self.get(token_body("GetPresets"))
        return [(p.get("token"), p.get("type"), p.findtext("timg:Name", namespaces=NS))
                for p in el.findall("timg:Preset", NS)]

    def current(self):
        p = self.get(token_body("GetCurrentPreset")).find("timg:Preset", NS)
        return None if p is None else p.get("token")

    def test_get_presets(self):
        self.assertEqual(self.presets(), [("ImagingPreset_Day", "ClearWeather", "Day"),
                                          ("ImagingPreset_Night", "Night", "Night"),
                                          ("ImagingPreset_Indoor", "Indoor", "Indoor")])

    def test_set_current_preset_applies_its_settings_until_one_changes(self):
        before = flat(settings(self, self.srv))
        ok(self, icall(self.srv, token_body("SetCurrentPreset",
                                            extra="<timg:PresetToken>ImagingPreset_Night</timg:PresetToken>")))
        after = flat(settings(self, self.srv))
        self.assertEqual((after["IrCutFilter"], float(after["Brightness"]), float(after["Contrast"]),
                          float(after["ColorSaturation"])), ("OFF", 65, 40, 0))
        self.assertEqual(after["Sharpness"], before["Sharpness"])  # not part of the preset
        self.assertEqual(self.current(), "ImagingPreset_Night")
        ok(self, icall(self.srv, set_body("<tt:Sharpness>30</tt:Sharpness>")))
        self.assertEqual(self.current(), "ImagingPreset_Night")  # the preset still describes the settings
        ok(self, icall(self.srv, set_body("<tt:IrCutFilter>ON</tt:IrCutFilter>")))
        # "If the video source configuration does not match any of the existing Imaging Presets, the output
        # of GetCurrentPreset shall be Empty."
        self.assertIsNone(self.current())
        ok(self, icall(self.srv, token_body("SetCurrentPreset",
                                            extra="<timg:PresetToken>ImagingPreset_Indoor</timg:PresetToken>")))
        got = flat(settings(self, self.srv))
        self.assertEqual((got["IrCutFilter"], got["WideDynamicRange/Mode"], float(got["WideDynamicRange/Level"])),
                         ("AUTO", "ON", 60))
        self.assertEqual(self.current(), "ImagingPreset_Indoor")

    def test_preset_faults(self):
        before = flat(settings(self, self.srv))
        assert_fault(self, icall(self.srv, token_body("SetCurrentPreset",
                                                      extra="<timg:PresetToken>Nope</timg:PresetToken>")),
                     "InvalidArgVal", "NoToken", code="Sender")
        for body in (token_body("GetPresets", "Nope"), token_body("GetCurrentPreset", "Nope"),
                     token_body("SetCurrentPreset", "Nope", "<timg:PresetToken>ImagingPreset_Day</timg:PresetToken>")):
            assert_fault(self, icall(self.srv, body), "InvalidArgVal", "NoSource", code="Sender")
        self.assertEqual(flat(settings(self, self.srv)), before)


class TestImagingDisabled(ImagingCase):
    SECTIONS = {"imaging": {"enabled": "false"}}

    def test_not_listed_and_not_answered(self):
        el = ok(self, call(self.srv.port, "<tds:GetServices><tds:IncludeCapability>false</tds:IncludeCapability>"
                                          "</tds:GetServices>"))
        self.assertNotIn("http://www.onvif.org/ver20/imaging/wsdl",
                         [s.find("tds:Namespace", NS).text for s in el.findall("tds:Service", NS)])
        el = ok(self, call(self.srv.port, "<tds:GetCapabilities><tds:Category>All</tds:Category>"
                                          "</tds:GetCapabilities>"))
        self.assertIsNone(el.find("tds:Capabilities/tt:Imaging", NS))
        assert_fault(self, call(self.srv.port, "<tds:GetCapabilities><tds:Category>Imaging</tds:Category>"
                                               "</tds:GetCapabilities>"), "ActionNotSupported", "NoSuchService")
        assert_fault(self, icall(self.srv, token_body("GetImagingSettings")), "ActionNotSupported",
                     "NoImagingForSource", code="Receiver")


class TestImagingHookAndPersistence(unittest.TestCase):

    def test_hook_arguments_failure_and_restart(self):
        hooks = HookDir()
        self.addCleanup(hooks.close)
        good = hooks.hook("apply")
        bad = hooks.hook("refuse", status=3)
        ps = PersistentServer(sections={"media": {"apply_hook": good}})
        self.addCleanup(ps.close)
        srv = ps.start()
        ok(self, icall(srv, set_body("<tt:Brightness>33</tt:Brightness><tt:IrCutFilter>OFF</tt:IrCutFilter>")))
        call_args = hooks.calls("apply")[-1]
        self.assertEqual(call_args[:2], ["imaging", SOURCE])
        self.assertIn("brightness=33", call_args)
        self.assertIn("ir_cut_filter=OFF", call_args)
        self.assertIn("contrast=50", call_args)
        self.assertIn("ir_cut_auto=Common:0:PT5S", call_args)
        ok(self, icall(srv, set_body(ADJUSTMENT % "<tt:BoundaryType>ToOff</tt:BoundaryType>"
                                                  "<tt:ResponseTime>PT0.25S</tt:ResponseTime>")))
        self.assertIn("ir_cut_auto=ToOff::PT0.25S", hooks.calls("apply")[-1])
        ok(self, icall(srv, token_body("SetCurrentPreset",
                                       extra="<timg:PresetToken>ImagingPreset_Day</timg:PresetToken>")))
        self.assertIn("ir_cut_filter=ON", hooks.calls("apply")[-1])
        ok(self, icall(srv, set_body("<tt:Brightness>33</tt:Brightness>")))  # the Day preset says 50: not current
        # Settings, the adjustment and the last preset survive a restart.
        srv = ps.restart()
        got = settings(self, srv)
        self.assertEqual((float(flat(got)["Brightness"]), flat(got)["IrCutFilter"]), (33, "ON"))
        self.assertEqual(adjustments(got), [("ToOff", None, "PT0.25S")])
        self.assertIsNone(ok(self, icall(srv, token_body("GetCurrentPreset"))).find("timg:Preset", NS))
        ok(self, icall(srv, token_body("SetCurrentPreset",
                                       extra="<timg:PresetToken>ImagingPreset_Day</timg:PresetToken>")))
        srv = ps.restart()
        self.assertEqual(ok(self, icall(srv, token_body("GetCurrentPreset"))).find("timg:Preset", NS).get("token"),
                         "ImagingPreset_Day")
        ok(self, icall(srv, set_body("<tt:Brightness>33</tt:Brightness><tt:IrCutFilter>OFF</tt:IrCutFilter>")))
        # A failing hook changes nothing.
        ps.sections["media"]["apply_hook"] = bad
        srv = ps.restart()
        assert_fault(self, icall(srv, set_body("<tt:Brightness>80</tt:Brightness>")), "Action", code="Receiver")
        self.assertEqual(float(flat(settings(self, srv))["Brightness"]), 33)


if __name__ == "__main__":
    unittest.main()
