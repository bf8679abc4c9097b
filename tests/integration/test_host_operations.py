"""Relays and auxiliary commands as host operations, like the Device
service's host settings (test_capabilities.py RealDeviceWithoutHooks):
on a real device ([device] host = real) without the hook that carries one
out, the operation is refused with env:Receiver ter:ActionNotSupported
(Core spec "Generic faults"), nothing is stored or published, and the
capabilities do not claim it; with the hook, the hook runs with its
arguments; on the simulated device (make run) it is recorded and answered.
Covers SetRelayOutputState and SetRelayOutputSettings (Device and DeviceIO
services), the Device service's SendAuxiliaryCommand and the PTZ node's,
and the PTZ moves: a real device without [ptz] hook_move has no PTZ service
at all (a move would reach no head), one with it runs every move through it."""
import unittest

from lxml import etree

from device_support import HookDir, PersistentServer, assert_fault, ok
from events_support import QUIET, create_pull, drain, messages, pull
from harness import DEVICE_PATH, DEVICEIO_PATH, EVENTS_PATH, MEDIA2_PATH, MEDIA_PATH, NS, PTZ_PATH, call

RELAY = "Relay_1"  # the embedded configuration's relay output
PTZ_PROFILE = "Profile_1"
SECTIONS = {"events": dict(QUIET), "ptz": {"enabled": "true"}}


def relay_state(token, state):
    return ("<tds:SetRelayOutputState><tds:RelayOutputToken>%s</tds:RelayOutputToken><tds:LogicalState>%s"
            "</tds:LogicalState></tds:SetRelayOutputState>" % (token, state))


def relay_settings(token, path):
    if path == DEVICEIO_PATH:
        return ("<tmd:SetRelayOutputSettings><tmd:RelayOutput token=\"%s\"><tt:Properties><tt:Mode>Monostable"
                "</tt:Mode><tt:DelayTime>PT1S</tt:DelayTime><tt:IdleState>closed</tt:IdleState></tt:Properties>"
                "</tmd:RelayOutput></tmd:SetRelayOutputSettings>" % token)
    return ("<tds:SetRelayOutputSettings><tds:RelayOutputToken>%s</tds:RelayOutputToken><tds:Properties>"
            "<tt:Mode>Monostable</tt:Mode><tt:DelayTime>PT1S</tt:DelayTime><tt:IdleState>closed</tt:IdleState>"
            "</tds:Properties></tds:SetRelayOutputSettings>" % token)


def device_aux(command):
    return ("<tds:SendAuxiliaryCommand><tds:AuxiliaryCommand>%s</tds:AuxiliaryCommand></tds:SendAuxiliaryCommand>"
            % command)


def ptz_aux(command):
    return ("<tptz:SendAuxiliaryCommand><tptz:ProfileToken>%s</tptz:ProfileToken><tptz:AuxiliaryData>%s"
            "</tptz:AuxiliaryData></tptz:SendAuxiliaryCommand>" % (PTZ_PROFILE, command))


def ptz_op(name, inner=""):
    return "<tptz:%s><tptz:ProfileToken>%s</tptz:ProfileToken>%s</tptz:%s>" % (name, PTZ_PROFILE, inner, name)


# Every kind of move a client can ask for, and what hook_move gets for it
# (docs/ptz.md "Firmware"; the node is PTZNode_1).
MOVES = [
    ("ContinuousMove", ptz_op("ContinuousMove", '<tptz:Velocity><tt:PanTilt x="0.5" y="0"/></tptz:Velocity>'
                                                "<tptz:Timeout>PT5S</tptz:Timeout>"), "continuous"),
    ("Stop", ptz_op("Stop"), "stop"),
    ("AbsoluteMove", ptz_op("AbsoluteMove", '<tptz:Position><tt:PanTilt x="0.2" y="-0.2"/></tptz:Position>'),
     "absolute"),
    ("RelativeMove", ptz_op("RelativeMove", '<tptz:Translation><tt:PanTilt x="0.1" y="0"/></tptz:Translation>'),
     "absolute"),
    ("GotoHomePosition", ptz_op("GotoHomePosition"), "absolute"),
]


def relays(testcase, srv, path=DEVICE_PATH):
    """{token: (Mode, DelayTime, IdleState)} of GetRelayOutputs."""
    el = ok(testcase, call(srv.port, "<tds:GetRelayOutputs/>", path=path))
    return {r.get("token"): tuple(r.findtext("tt:Properties/tt:" + k, namespaces=NS)
                                  for k in ("Mode", "DelayTime", "IdleState"))
            for r in el.findall("tds:RelayOutputs", NS)}


def relay_events(srv, path, timeout="PT1S"):
    return [m for m in messages(pull(srv.port, path, timeout=timeout)) if m[0] == "tns1:Device/Trigger/Relay"]


def legacy_capabilities(testcase, srv):
    return ok(testcase, call(srv.port, "<tds:GetCapabilities><tds:Category>All</tds:Category>"
                                       "</tds:GetCapabilities>")).find("tds:Capabilities", NS)


def claimed(testcase, srv):
    """What the device claims about relays and auxiliary commands, everywhere it says it."""
    caps = ok(testcase, call(srv.port, "<tds:GetServiceCapabilities/>")).find("tds:Capabilities", NS)
    misc = caps.find("tds:Misc", NS)
    legacy = legacy_capabilities(testcase, srv)
    io = legacy.find("tt:Device/tt:IO", NS)
    deviceio = ok(testcase, call(srv.port, "<tmd:GetServiceCapabilities/>", path=DEVICEIO_PATH))
    node = ok(testcase, call(srv.port, "<tptz:GetNodes/>", path=PTZ_PATH)).find("tptz:PTZNode", NS)
    return {
        "device aux": (misc.get("AuxiliaryCommands") if misc is not None else None),
        "legacy aux": [c.text for c in io.findall("tt:Extension/tt:AuxiliaryCommands", NS)],
        "legacy relays": io.findtext("tt:RelayOutputs", namespaces=NS),
        "legacy deviceio relays": legacy.findtext("tt:Extension/tt:DeviceIO/tt:RelayOutputs", namespaces=NS),
        # An attribute at its schema default (0) may be left out (deviceio.wsdl).
        "deviceio relays": deviceio.find("tmd:Capabilities", NS).get("RelayOutputs", "0"),
        "ptz aux": [c.text for c in node.findall("tt:AuxiliaryCommands", NS)],
    }


class RealDeviceWithoutHooks(unittest.TestCase):
    """A real camera whose configuration forgot hook_relay and the auxiliary hooks."""

    def setUp(self):
        # Its head moves (hook_move), so the PTZ node's auxiliary commands are what is refused.
        self.hooks = HookDir()
        self.addCleanup(self.hooks.close)
        self.ps = PersistentServer(device={"host": "real", "auxiliary_commands": "tt:IRLamp|On"},
                                   sections=dict(SECTIONS, ptz={"enabled": "true",
                                                                "hook_move": self.hooks.hook("move")}))
        self.addCleanup(self.ps.close)
        self.srv = self.ps.start()

    def test_relays_are_refused_not_claimed_and_nothing_changes(self):
        path, _ = create_pull(self.srv.port)
        drain(self.srv.port, path)
        for service in (DEVICE_PATH, DEVICEIO_PATH):
            with self.subTest(service=service):
                self.assertEqual(relays(self, self.srv, service), {})
                assert_fault(self, call(self.srv.port, relay_state(RELAY, "active"), path=service),
                             "ActionNotSupported", code="Receiver")
                assert_fault(self, call(self.srv.port, relay_settings(RELAY, service), path=service),
                             "ActionNotSupported", code="Receiver")
        opts = ok(self, call(self.srv.port, "<tmd:GetRelayOutputOptions/>", path=DEVICEIO_PATH))
        self.assertEqual(opts.findall("tmd:RelayOutputOptions", NS), [])
        assert_fault(self, call(self.srv.port, "<tmd:GetRelayOutputOptions><tmd:RelayOutputToken>%s"
                                               "</tmd:RelayOutputToken></tmd:GetRelayOutputOptions>" % RELAY,
                                path=DEVICEIO_PATH), "InvalidArgVal", "RelayToken")
        said = claimed(self, self.srv)
        self.assertEqual((said["legacy relays"], said["legacy deviceio relays"], said["deviceio relays"]),
                         ("0", "0", "0"))
        self.assertEqual(relay_events(self.srv, path), [])
        # Nothing stored: the same state file on the simulated device shows the defaults.
        with open(self.ps.state_path) as f:
            self.assertNotIn("relay.", f.read())
        self.ps.device = {"host": "simulated"}
        srv = self.ps.restart()
        self.assertEqual(relays(self, srv), {RELAY: ("Bistable", "PT0S", "open")})

    def test_auxiliary_commands_are_refused_and_not_claimed(self):
        said = claimed(self, self.srv)
        self.assertEqual((said["device aux"], said["legacy aux"], said["ptz aux"]), (None, [], []))
        assert_fault(self, call(self.srv.port, device_aux("tt:IRLamp|On")), "ActionNotSupported", code="Receiver")
        assert_fault(self, call(self.srv.port, ptz_aux("tt:Wiper|On"), path=PTZ_PATH), "ActionNotSupported",
                     code="Receiver")

    def test_startup_log_lists_them_once(self):
        line = self.srv.wait_line(r"host = real; refused for want of a hook: ", timeout=1)
        self.assertIsNotNone(line)
        self.assertTrue(line.endswith(" SetRelayOutputState SetRelayOutputSettings SendAuxiliaryCommand "
                                      "PTZ.SendAuxiliaryCommand"), line)
        self.assertEqual(sum("refused for want of a hook" in s for s in self.srv.lines), 1)


class RealDeviceWithHooks(unittest.TestCase):
    """The same camera with its hooks: claimed, and carried out through them."""

    @classmethod
    def setUpClass(cls):
        cls.hooks = HookDir()
        cls.addClassCleanup(cls.hooks.close)
        sections = dict(SECTIONS, ptz={"enabled": "true", "hook_auxiliary": cls.hooks.hook("ptz_aux"),
                                       "hook_move": cls.hooks.hook("move")})
        cls.ps = PersistentServer(device={"host": "real", "auxiliary_commands": "tt:IRLamp|On",
                                          "hook_relay": cls.hooks.hook("relay"),
                                          "hook_auxiliary": cls.hooks.hook("aux", stdout="lamp on")},
                                  sections=sections)
        cls.addClassCleanup(cls.ps.close)
        cls.srv = cls.ps.start()

    def test_relays_switch_through_the_hook(self):
        self.assertEqual(relays(self, self.srv), {RELAY: ("Bistable", "PT0S", "open")})
        said = claimed(self, self.srv)
        self.assertEqual((said["legacy relays"], said["legacy deviceio relays"], said["deviceio relays"]),
                         ("1", "1", "1"))
        path, _ = create_pull(self.srv.port)
        drain(self.srv.port, path)
        ok(self, call(self.srv.port, relay_state(RELAY, "active"), path=DEVICEIO_PATH))
        ok(self, call(self.srv.port, relay_state(RELAY, "inactive")))
        self.assertEqual(self.hooks.calls("relay"), [[RELAY, "active", "Bistable", "0", "open"],
                                                     [RELAY, "inactive", "Bistable", "0", "open"]])
        self.assertEqual([m[2]["LogicalState"] for m in relay_events(self.srv, path, "PT2S")],
                         ["active", "inactive"])

    def test_auxiliary_commands_run_their_hooks(self):
        said = claimed(self, self.srv)
        self.assertEqual((said["device aux"], said["legacy aux"], said["ptz aux"]),
                         ("tt:IRLamp|On", ["tt:IRLamp|On"], ["tt:Wiper|On", "tt:Wiper|Off"]))
        el = ok(self, call(self.srv.port, device_aux("tt:IRLamp|On")))
        self.assertEqual(el.findtext("tds:AuxiliaryCommandResponse", namespaces=NS), "lamp on")
        self.assertEqual(self.hooks.calls("aux"), [["tt:IRLamp|On"]])
        ok(self, call(self.srv.port, ptz_aux("tt:Wiper|On"), path=PTZ_PATH))
        self.assertEqual(self.hooks.calls("ptz_aux"), [["PTZNode_1", "tt:Wiper|On"]])

    def test_PTZ_moves_reach_the_hook(self):
        # A preset where the head stands (SetPreset is refused while it moves).
        token = ok(self, call(self.srv.port, ptz_op("SetPreset"), path=PTZ_PATH)).findtext("tptz:PresetToken",
                                                                                          namespaces=NS)
        before = len(self.hooks.calls("move"))
        for name, body, kind in MOVES:
            with self.subTest(operation=name):
                ok(self, call(self.srv.port, body, path=PTZ_PATH))
                calls = self.hooks.calls("move")[before:]
                self.assertEqual(len(calls), 1, calls)
                self.assertEqual(calls[0][:2], ["PTZNode_1", kind])
                if name == "GotoHomePosition":
                    self.assertEqual(calls[0][-1], "home")
                before += 1
        ok(self, call(self.srv.port, ptz_op("GotoPreset", "<tptz:PresetToken>%s</tptz:PresetToken>" % token),
                      path=PTZ_PATH))
        calls = self.hooks.calls("move")[before:]
        self.assertEqual([(c[:2], c[-1]) for c in calls], [(["PTZNode_1", "absolute"], "preset")])

    def test_startup_log_does_not_list_them(self):
        line = self.srv.wait_line(r"host = real; refused for want of a hook: ", timeout=1)
        self.assertIsNotNone(line)
        for name in ("SetRelayOutputState", "SendAuxiliaryCommand"):
            self.assertNotIn(name, line)
        self.assertFalse(any("no PTZ service" in s for s in self.srv.lines), self.srv.lines)


class RealDeviceWithoutMoveHook(unittest.TestCase):
    """A real camera with [ptz] enabled but no hook_move: no move could reach
    a head, so there is no PTZ service, as with [ptz] enabled = false
    (test_ptz.py TestNoPtz), though its auxiliary commands have a hook.
    (position = reported without hook_move is a configuration error.)"""

    @classmethod
    def setUpClass(cls):
        cls.hooks = HookDir()
        cls.addClassCleanup(cls.hooks.close)
        sections = dict(SECTIONS, ptz={"enabled": "true", "hook_auxiliary": cls.hooks.hook("ptz_aux")})
        cls.ps = PersistentServer(device={"host": "real"}, sections=sections)
        cls.addClassCleanup(cls.ps.close)
        cls.srv = cls.ps.start()

    def test_no_PTZ_service_is_offered(self):
        services = ok(self, call(self.srv.port, "<tds:GetServices><tds:IncludeCapability>true</tds:IncludeCapability>"
                                                "</tds:GetServices>"))
        self.assertNotIn(NS["tptz"], [e.findtext("tds:Namespace", namespaces=NS)
                                      for e in services.findall("tds:Service", NS)])
        self.assertIsNone(legacy_capabilities(self, self.srv).find("tt:PTZ", NS))
        assert_fault(self, call(self.srv.port, "<tds:GetCapabilities><tds:Category>PTZ</tds:Category>"
                                               "</tds:GetCapabilities>"), "ActionNotSupported", "NoSuchService")

    def test_PTZ_operations_answer_ActionNotSupported(self):
        bodies = [(name, body) for name, body, _ in MOVES] + [
            ("GotoPreset", ptz_op("GotoPreset", "<tptz:PresetToken>1</tptz:PresetToken>")),
            ("GetNodes", "<tptz:GetNodes/>"), ("GetServiceCapabilities", "<tptz:GetServiceCapabilities/>"),
            ("GetStatus", ptz_op("GetStatus")), ("SendAuxiliaryCommand", ptz_aux("tt:Wiper|On"))]
        for name, body in bodies:
            with self.subTest(operation=name):
                assert_fault(self, call(self.srv.port, body, path=PTZ_PATH), "ActionNotSupported", code="Receiver")
        self.assertEqual(self.hooks.calls("ptz_aux"), [])

    def test_no_PTZ_configuration_in_profiles_or_events(self):
        profiles = ok(self, call(self.srv.port, "<trt:GetProfiles/>", path=MEDIA_PATH)).findall("trt:Profiles", NS)
        self.assertTrue(profiles)
        for p in profiles:
            self.assertIsNone(p.find("tt:PTZConfiguration", NS), p.get("token"))
        assert_fault(self, call(self.srv.port, "<trt:AddPTZConfiguration><trt:ProfileToken>%s</trt:ProfileToken>"
                                               "<trt:ConfigurationToken>PTZConfig_1</trt:ConfigurationToken>"
                                               "</trt:AddPTZConfiguration>" % PTZ_PROFILE, path=MEDIA_PATH),
                     "InvalidArgVal", "NoConfig")
        profiles2 = ok(self, call(self.srv.port, "<tr2:GetProfiles><tr2:Type>All</tr2:Type></tr2:GetProfiles>",
                                  path=MEDIA2_PATH)).findall("tr2:Profiles", NS)
        self.assertTrue(profiles2)
        for p in profiles2:
            self.assertIsNone(p.find("tr2:Configurations/tr2:PTZ", NS), p.get("token"))
        props = ok(self, call(self.srv.port, "<tev:GetEventProperties/>", path=EVENTS_PATH))
        self.assertNotIn(b"PTZController", etree.tostring(props))

    def test_startup_log_says_so_once(self):
        line = self.srv.wait_line(r"host = real; no PTZ service for want of \[ptz\] hook_move", timeout=1)
        self.assertIsNotNone(line, "\n".join(self.srv.lines))
        self.assertEqual(sum("no PTZ service" in s for s in self.srv.lines), 1)
        # The node's auxiliary commands go with the service: not listed as refused on their own.
        refused = self.srv.wait_line(r"host = real; refused for want of a hook: ", timeout=1)
        self.assertNotIn("PTZ.", refused)

    def test_the_simulated_device_keeps_its_PTZ(self):
        ps = PersistentServer(sections=dict(SECTIONS, ptz={"enabled": "true"}))
        self.addCleanup(ps.close)
        srv = ps.start()
        ok(self, call(srv.port, MOVES[2][1], path=PTZ_PATH))
        self.assertIsNotNone(ok(self, call(srv.port, "<trt:GetProfiles/>", path=MEDIA_PATH))
                             .find("trt:Profiles/tt:PTZConfiguration", NS))
        self.assertFalse(any("no PTZ service" in s for s in srv.lines), srv.lines)


class SimulatedDevice(unittest.TestCase):
    """The virtual camera of make run: no hooks, everything recorded and answered."""

    def test_relays_and_auxiliary_commands_are_recorded(self):
        ps = PersistentServer(device={"auxiliary_commands": "tt:IRLamp|On"}, sections=SECTIONS)
        self.addCleanup(ps.close)
        srv = ps.start()
        said = claimed(self, srv)
        self.assertEqual((said["deviceio relays"], said["device aux"], said["ptz aux"]),
                         ("1", "tt:IRLamp|On", ["tt:Wiper|On", "tt:Wiper|Off"]))
        path, _ = create_pull(srv.port)
        drain(srv.port, path)
        ok(self, call(srv.port, relay_state(RELAY, "active")))
        self.assertEqual([m[2]["LogicalState"] for m in relay_events(srv, path, "PT2S")], ["active"])
        ok(self, call(srv.port, device_aux("tt:IRLamp|On")))
        el = ok(self, call(srv.port, ptz_aux("tt:Wiper|On"), path=PTZ_PATH))
        self.assertEqual(el.findtext("tptz:AuxiliaryResponse", namespaces=NS), "tt:Wiper|On")
        line = srv.wait_line(r"host = simulated; recorded only", timeout=1)
        self.assertIn("SetRelayOutputState SetRelayOutputSettings SendAuxiliaryCommand PTZ.SendAuxiliaryCommand",
                      line)
        # Recorded: the Bistable relay is active again after a restart.
        srv = ps.restart()
        path, _ = create_pull(srv.port)
        initial = [m for m in messages(pull(srv.port, path, timeout="PT0S")) if m[0] == "tns1:Device/Trigger/Relay"]
        self.assertIn(("tns1:Device/Trigger/Relay", "Initialized", {"RelayToken": RELAY, "LogicalState": "active"}),
                      initial)


if __name__ == "__main__":
    unittest.main()
