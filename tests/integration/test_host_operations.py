"""Relays and auxiliary commands as host operations, like the Device
service's host settings (test_capabilities.py RealDeviceWithoutHooks):
on a real device ([device] host = real) without the hook that carries one
out, the operation is refused with env:Receiver ter:ActionNotSupported
(Core spec "Generic faults"), nothing is stored or published, and the
capabilities do not claim it; with the hook, the hook runs with its
arguments; on the simulated device (make run) it is recorded and answered.
Covers SetRelayOutputState and SetRelayOutputSettings (Device and DeviceIO
services), the Device service's SendAuxiliaryCommand and the PTZ node's."""
import unittest

from device_support import HookDir, PersistentServer, assert_fault, ok
from events_support import QUIET, create_pull, drain, messages, pull
from harness import DEVICE_PATH, DEVICEIO_PATH, NS, PTZ_PATH, call

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
        self.ps = PersistentServer(device={"host": "real", "auxiliary_commands": "tt:IRLamp|On"},
                                   sections=SECTIONS)
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
        sections = dict(SECTIONS, ptz={"enabled": "true", "hook_auxiliary": cls.hooks.hook("ptz_aux")})
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

    def test_startup_log_does_not_list_them(self):
        line = self.srv.wait_line(r"host = real; refused for want of a hook: ", timeout=1)
        self.assertIsNotNone(line)
        for name in ("SetRelayOutputState", "SendAuxiliaryCommand"):
            self.assertNotIn(name, line)


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
