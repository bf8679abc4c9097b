"""DeviceIO service (DeviceIO spec, deviceio.wsdl ver10) through the real
binary: capabilities, sources with the Media service's tokens, relay
outputs shared with the Device service, digital inputs and their events,
serial ports and video outputs as a device without them, persistence.
Test names follow the DeviceIO device test specification's case IDs."""
import time
import unittest

from harness import DEVICE_PATH, DEVICEIO_PATH, NS, Server, call
from device_support import HookDir, PersistentServer, assert_fault, ok
from events_support import QUIET, create_pull, drain, inject, messages, pull
from imaging_support import mcall

RELAY = "Relay_1"
INPUT = "DigitalInput_1"


def relay_settings_body(token, mode="Monostable", delay="PT2S", idle="closed", path="tmd"):
    if path == "tmd":
        return ("<tmd:SetRelayOutputSettings><tmd:RelayOutput token=\"%s\"><tt:Properties><tt:Mode>%s</tt:Mode>"
                "<tt:DelayTime>%s</tt:DelayTime><tt:IdleState>%s</tt:IdleState></tt:Properties></tmd:RelayOutput>"
                "</tmd:SetRelayOutputSettings>" % (token, mode, delay, idle))
    return ("<tds:SetRelayOutputSettings><tds:RelayOutputToken>%s</tds:RelayOutputToken><tds:Properties>"
            "<tt:Mode>%s</tt:Mode><tt:DelayTime>%s</tt:DelayTime><tt:IdleState>%s</tt:IdleState></tds:Properties>"
            "</tds:SetRelayOutputSettings>" % (token, mode, delay, idle))


def relay_state_body(token, state):
    return ("<tds:SetRelayOutputState><tds:RelayOutputToken>%s</tds:RelayOutputToken><tds:LogicalState>%s"
            "</tds:LogicalState></tds:SetRelayOutputState>" % (token, state))


def relays(testcase, srv, path):
    el = ok(testcase, call(srv.port, "<tds:GetRelayOutputs/>", path=path))
    return {r.get("token"): (r.find("tt:Properties/tt:Mode", NS).text, r.find("tt:Properties/tt:DelayTime", NS).text,
                             r.find("tt:Properties/tt:IdleState", NS).text) for r in el.findall("tds:RelayOutputs", NS)}


class TestDeviceIoDefaultCamera(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.srv = Server(sections={"events": QUIET})
        cls.addClassCleanup(cls.srv.close)
        cls.srv.start()

    def get(self, body):
        return ok(self, mcall(self.srv, body))

    def test_DEVICEIO_1_1_1_service_capabilities(self):
        caps = self.get("<tmd:GetServiceCapabilities/>").find("tmd:Capabilities", NS)
        # Attributes at their schema default (0, false) may be left out.
        self.assertEqual({k: caps.get(k, "false" if k == "DigitalInputOptions" else "0") for k in ("VideoSources", "VideoOutputs", "AudioSources", "AudioOutputs",
                                                   "RelayOutputs", "DigitalInputs", "SerialPorts",
                                                   "DigitalInputOptions")},
                         {"VideoSources": "1", "VideoOutputs": "0", "AudioSources": "0", "AudioOutputs": "0",
                          "RelayOutputs": "1", "DigitalInputs": "1", "SerialPorts": "0",
                          "DigitalInputOptions": "true"})

    def test_listed_in_get_services_and_get_capabilities(self):
        el = ok(self, call(self.srv.port, "<tds:GetServices><tds:IncludeCapability>true</tds:IncludeCapability>"
                                          "</tds:GetServices>"))
        services = {s.find("tds:Namespace", NS).text: s for s in el.findall("tds:Service", NS)}
        svc = services["http://www.onvif.org/ver10/deviceIO/wsdl"]
        self.assertEqual(svc.find("tds:XAddr", NS).text, "http://127.0.0.1:%d%s" % (self.srv.port, DEVICEIO_PATH))
        self.assertEqual(svc.find("tds:Capabilities/tmd:Capabilities", NS).get("RelayOutputs"), "1")
        el = ok(self, call(self.srv.port, "<tds:GetCapabilities><tds:Category>All</tds:Category></tds:GetCapabilities>"))
        dio = el.find("tds:Capabilities/tt:Extension/tt:DeviceIO", NS)
        self.assertEqual(dio.find("tt:XAddr", NS).text, "http://127.0.0.1:%d%s" % (self.srv.port, DEVICEIO_PATH))
        self.assertEqual([dio.find("tt:" + k, NS).text for k in ("VideoSources", "RelayOutputs")], ["1", "1"])
        self.assertEqual(el.find("tds:Capabilities/tt:Device/tt:IO/tt:InputConnectors", NS).text, "1")

    def test_DEVICEIO_5_1_1_source_tokens_equal_media(self):
        media = ok(self, call(self.srv.port, "<trt:GetVideoSources/>", path="/onvif/media_service"))
        media_tokens = [v.get("token") for v in media.findall("trt:VideoSources", NS)]
        tokens = [t.text for t in self.get("<tmd:GetVideoSources/>").findall("tmd:Token", NS)]
        self.assertEqual(tokens, media_tokens)
        self.assertEqual(len(self.get("<tmd:GetAudioSources/>")), 0)  # the default camera has no audio
        self.assertEqual(len(self.get("<tmd:GetAudioOutputs/>")), 0)

    def test_DEVICEIO_video_outputs_and_serial_ports_as_a_device_without_them(self):
        self.assertEqual(len(self.get("<tmd:GetVideoOutputs/>")), 0)
        self.assertEqual(len(self.get("<tmd:GetSerialPorts/>")), 0)
        assert_fault(self, mcall(self.srv, "<tmd:GetVideoOutputConfiguration><tmd:VideoOutputToken>v"
                                           "</tmd:VideoOutputToken></tmd:GetVideoOutputConfiguration>"),
                     "InvalidArgVal", "NoVideoOutput", code="Sender")
        assert_fault(self, mcall(self.srv, "<tmd:GetSerialPortConfiguration><tmd:SerialPortToken>s"
                                           "</tmd:SerialPortToken></tmd:GetSerialPortConfiguration>"),
                     "InvalidArgVal", "InvalidSerialPort", code="Sender")

    def test_DEVICEIO_1_1_2_relay_outputs_and_options(self):
        self.assertEqual(list(relays(self, self.srv, DEVICEIO_PATH)), [RELAY])
        opts = self.get("<tmd:GetRelayOutputOptions/>").findall("tmd:RelayOutputOptions", NS)
        self.assertEqual([o.get("token") for o in opts], [RELAY])
        self.assertEqual(sorted(m.text for m in opts[0].findall("tmd:Mode", NS)), ["Bistable", "Monostable"])
        one = self.get("<tmd:GetRelayOutputOptions><tmd:RelayOutputToken>%s</tmd:RelayOutputToken>"
                       "</tmd:GetRelayOutputOptions>" % RELAY)
        self.assertEqual(len(one.findall("tmd:RelayOutputOptions", NS)), 1)
        assert_fault(self, mcall(self.srv, "<tmd:GetRelayOutputOptions><tmd:RelayOutputToken>nope"
                                           "</tmd:RelayOutputToken></tmd:GetRelayOutputOptions>"),
                     "InvalidArgVal", "RelayToken")

    def test_DEVICEIO_relay_faults(self):
        assert_fault(self, mcall(self.srv, relay_settings_body("nope")), "InvalidArgVal", "RelayToken", code="Sender")
        assert_fault(self, mcall(self.srv, relay_settings_body(RELAY, delay="PT48H")), "InvalidArgVal", "ModeError",
                     code="Sender")
        assert_fault(self, mcall(self.srv, relay_state_body("nope", "active")), "InvalidArgVal", "RelayToken")

    def test_DEVICEIO_digital_inputs(self):
        inputs = self.get("<tmd:GetDigitalInputs/>").findall("tmd:DigitalInputs", NS)
        self.assertEqual([(i.get("token"), i.get("IdleState")) for i in inputs], [(INPUT, "open")])
        opts = self.get("<tmd:GetDigitalInputConfigurationOptions><tmd:Token>%s</tmd:Token>"
                        "</tmd:GetDigitalInputConfigurationOptions>" % INPUT)
        self.assertEqual(sorted(e.text for e in opts.findall("tmd:DigitalInputOptions/tmd:IdleState", NS)),
                         ["closed", "open"])
        assert_fault(self, mcall(self.srv, "<tmd:GetDigitalInputConfigurationOptions><tmd:Token>nope</tmd:Token>"
                                           "</tmd:GetDigitalInputConfigurationOptions>"), "InvalidArgVal", "NoConfig")
        # All or none: one unknown token, nothing changes.
        assert_fault(self, mcall(self.srv, "<tmd:SetDigitalInputConfigurations><tmd:DigitalInputs token=\"%s\" "
                                           "IdleState=\"closed\"/><tmd:DigitalInputs token=\"nope\" IdleState=\"closed\"/>"
                                           "</tmd:SetDigitalInputConfigurations>" % INPUT),
                     "InvalidArgVal", "NoConfig", code="Sender")
        inputs = self.get("<tmd:GetDigitalInputs/>").findall("tmd:DigitalInputs", NS)
        self.assertEqual(inputs[0].get("IdleState"), "open")

    def test_DEVICEIO_digital_input_event_reaches_pullpoint(self):
        path, _ = create_pull(self.srv.port, "<tev:Filter><wsnt:TopicExpression Dialect=\"http://www.onvif.org/"
                                             "ver10/tev/topicExpression/ConcreteSet\">tns1:Device/Trigger/DigitalInput"
                                             "</wsnt:TopicExpression></tev:Filter>")
        got = messages(pull(self.srv.port, path, timeout="PT1S"))
        self.assertIn(("tns1:Device/Trigger/DigitalInput", "Initialized", {"InputToken": INPUT, "LogicalState": "false"}),
                      got)
        r = inject(self.srv, "input", INPUT, "on")
        self.assertEqual(r.returncode, 0, r.stderr)
        got = messages(pull(self.srv.port, path, timeout="PT5S"))
        self.assertEqual(got, [("tns1:Device/Trigger/DigitalInput", "Changed",
                                {"InputToken": INPUT, "LogicalState": "true"})])


class TestRelaySharedWithDevice(unittest.TestCase):
    """One relay model: what DeviceIO sets the Device service reports, and the reverse."""

    def test_relay_state_and_settings_shared_events_hooks_restart(self):
        hooks = HookDir()
        self.addCleanup(hooks.close)
        ps = PersistentServer(sections={"events": dict(QUIET), "device": {"hook_relay": hooks.hook("relay"),
                                        "hook_digital_input": hooks.hook("input")}})
        self.addCleanup(ps.close)
        srv = ps.start()
        ok(self, mcall(srv, relay_settings_body(RELAY, "Monostable", "PT2S", "closed")))
        self.assertEqual(relays(self, srv, DEVICE_PATH)[RELAY], ("Monostable", "PT2S", "closed"))
        ok(self, call(srv.port, relay_settings_body(RELAY, "Bistable", "PT0S", "open", path="tds")))
        self.assertEqual(relays(self, srv, DEVICEIO_PATH)[RELAY], ("Bistable", "PT0S", "open"))
        # Relay state through either path: hook, then tns1:Device/Trigger/Relay.
        path, _ = create_pull(srv.port)
        drain(srv.port, path)
        ok(self, call(srv.port, relay_state_body(RELAY, "active"), path=DEVICEIO_PATH))
        ok(self, call(srv.port, relay_state_body(RELAY, "inactive"), path=DEVICE_PATH))
        self.assertEqual(hooks.calls("relay"), [[RELAY, "active", "Bistable", "0", "open"],
                                                [RELAY, "inactive", "Bistable", "0", "open"]])
        got = [m for m in messages(pull(srv.port, path, timeout="PT2S")) if m[0] == "tns1:Device/Trigger/Relay"]
        self.assertEqual(got, [("tns1:Device/Trigger/Relay", "Changed", {"RelayToken": RELAY, "LogicalState": "active"}),
                               ("tns1:Device/Trigger/Relay", "Changed",
                                {"RelayToken": RELAY, "LogicalState": "inactive"})])
        ok(self, mcall(srv, relay_settings_body(RELAY, "Monostable", "PT1.5S", "closed")))
        ok(self, mcall(srv, "<tmd:SetDigitalInputConfigurations><tmd:DigitalInputs token=\"%s\" IdleState=\"closed\"/>"
                            "</tmd:SetDigitalInputConfigurations>" % INPUT))
        self.assertEqual(hooks.calls("input"), [[INPUT, "closed"]])
        # Settings survive a restart.
        srv = ps.restart()
        self.assertEqual(relays(self, srv, DEVICE_PATH)[RELAY], ("Monostable", "PT1.5S", "closed"))
        el = ok(self, mcall(srv, "<tmd:GetDigitalInputs/>"))
        self.assertEqual(el.find("tmd:DigitalInputs", NS).get("IdleState"), "closed")


class TestMonostableAndStoredRelayState(unittest.TestCase):
    """Core spec and DeviceIO spec "SetRelayOutputSettings": a Monostable relay returns to its
    idle state after DelayTime; a Bistable one remains in its state, across a restart too."""

    def relay_events(self, srv, path, want, seconds=5):
        got, deadline = [], time.monotonic() + seconds
        while len(got) < want and time.monotonic() < deadline:
            got += [m for m in messages(pull(srv.port, path, timeout="PT1S")) if m[0] == "tns1:Device/Trigger/Relay"]
        return [(m[1], m[2]["LogicalState"]) for m in got]

    def test_DEVICEIO_monostable_relay_returns_to_idle_after_delay_time(self):
        hooks = HookDir()
        self.addCleanup(hooks.close)
        srv = Server(sections={"events": dict(QUIET), "device": {"hook_relay": hooks.hook("relay")}})
        self.addCleanup(srv.close)
        srv.start()
        ok(self, mcall(srv, relay_settings_body(RELAY, "Monostable", "PT0.5S", "open")))
        path, _ = create_pull(srv.port)
        drain(srv.port, path)
        # Once through DeviceIO, once through the Device service: the same relay, the same timer.
        for n, service in enumerate((DEVICEIO_PATH, DEVICE_PATH)):
            start = time.monotonic()
            ok(self, call(srv.port, relay_state_body(RELAY, "active"), path=service))
            got = self.relay_events(srv, path, 2)
            self.assertGreaterEqual(time.monotonic() - start, 0.5)
            self.assertEqual(got, [("Changed", "active"), ("Changed", "inactive")], service)
            self.assertEqual(hooks.calls("relay")[2 * n:], [[RELAY, "active", "Monostable", "500", "open"],
                                                            [RELAY, "inactive", "Monostable", "500", "open"]])
        # Set again before expiry: the delay counts from the latest set.
        ok(self, call(srv.port, relay_state_body(RELAY, "active"), path=DEVICEIO_PATH))
        time.sleep(0.3)
        ok(self, call(srv.port, relay_state_body(RELAY, "active"), path=DEVICE_PATH))
        time.sleep(0.35)
        self.assertEqual(hooks.calls("relay")[-1][1], "active")  # 0.65 s after the first set: still active
        self.assertEqual(self.relay_events(srv, path, 2), [("Changed", "active"), ("Changed", "inactive")])
        # Set inactive before expiry: no return left to run.
        ok(self, call(srv.port, relay_state_body(RELAY, "active"), path=DEVICE_PATH))
        ok(self, call(srv.port, relay_state_body(RELAY, "inactive"), path=DEVICEIO_PATH))
        time.sleep(0.8)
        self.assertEqual(len(hooks.calls("relay")), 9)
        self.assertEqual(self.relay_events(srv, path, 2), [("Changed", "active"), ("Changed", "inactive")])

    def test_DEVICEIO_bistable_relay_state_survives_a_restart(self):
        hooks = HookDir()
        self.addCleanup(hooks.close)
        ps = PersistentServer(sections={"events": dict(QUIET), "device": {"hook_relay": hooks.hook("relay")}})
        self.addCleanup(ps.close)
        srv = ps.start()
        ok(self, call(srv.port, relay_state_body(RELAY, "active"), path=DEVICEIO_PATH))
        srv = ps.restart()
        # The relay is driven active again at start-up, and a new subscriber
        # of either service's event source sees it active.
        self.assertEqual(hooks.calls("relay")[-1], [RELAY, "active", "Bistable", "0", "open"])
        path, _ = create_pull(srv.port)
        got = [m for m in messages(pull(srv.port, path, timeout="PT1S")) if m[0] == "tns1:Device/Trigger/Relay"]
        self.assertEqual([(m[1], m[2]["LogicalState"]) for m in got], [("Initialized", "active")])
        # Setting it inactive through the Device service is stored too.
        ok(self, call(srv.port, relay_state_body(RELAY, "inactive"), path=DEVICE_PATH))
        calls = len(hooks.calls("relay"))
        srv = ps.restart()
        self.assertEqual(len(hooks.calls("relay")), calls)  # idle after power-up: nothing to drive
        path, _ = create_pull(srv.port)
        got = [m for m in messages(pull(srv.port, path, timeout="PT1S")) if m[0] == "tns1:Device/Trigger/Relay"]
        self.assertEqual([(m[1], m[2]["LogicalState"]) for m in got], [("Initialized", "inactive")])


if __name__ == "__main__":
    unittest.main()
