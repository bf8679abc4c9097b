"""Events service against the real binary: pull points (long poll, limits,
concurrent pulls, renew/unsubscribe, expiry, filters, synchronization
points), Basic Notification push (good, dead, hanging, garbage consumers;
https:// consumers with certificate verification), consumer policy, bounded
resources and fd stability."""
import datetime
import tempfile
import threading
import time
import unittest

from lxml import etree

from harness import (DEVICE_PATH, EVENTS_PATH, NS, Conn, Server, body_child, call, fault_info, settle_fds,
                     wait_fd_baseline)
from device_support import assert_time_answer
from events_support import (CONCRETE_SET, DECL, ENS, ITEM_FILTER, QUIET, BadConsumer, EventsServerCase, GoodConsumer,
                            create_pull, dead_consumer_url, drain, ecall, fault_subcodes, inject, messages, pull, subscribe,
                            tls_server_context)
from transport_support import make_cert

MOTION = "tns1:VideoSource/MotionAlarm"
CELL = "tns1:RuleEngine/CellMotionDetector/Motion"
INPUT = "tns1:Device/Trigger/DigitalInput"
RELAY = "tns1:Device/Trigger/Relay"  # the default camera's Relay_1
# The default camera's tampering detectors (test_tampering.py).
TAMPERING = ["tns1:VideoSource/%s/ImagingService" % k
             for k in ("ImageTooBlurry", "ImageTooDark", "ImageTooBright", "GlobalSceneChange")]
RESOURCE_UNKNOWN = "{http://docs.oasis-open.org/wsrf/r-2}ResourceUnknownFault"


EventsCase = EventsServerCase


class TestPullPoint(EventsCase):
    def test_service_is_listed_with_capabilities(self):
        resp = call(self.port, "<tds:GetServices><tds:IncludeCapability>true</tds:IncludeCapability></tds:GetServices>")
        root = body_child(resp.body)
        ns = [s.findtext("tds:Namespace", namespaces=NS) for s in root.findall("tds:Service", NS)]
        self.assertIn(NS["tev"], ns)
        resp = ecall(self.port, "<tev:GetServiceCapabilities/>")
        caps = body_child(resp.body).find("tev:Capabilities", NS)
        self.assertEqual(caps.get("MaxPullPoints"), "16")
        self.assertEqual(caps.get("PersistentNotificationStorage"), "false")

    def test_legacy_get_capabilities_has_events_xaddr(self):
        for category in ("All", "Events"):
            resp = call(self.port, "<tds:GetCapabilities><tds:Category>%s</tds:Category></tds:GetCapabilities>"
                        % category)
            caps = body_child(resp.body).find("tds:Capabilities/tt:Events", NS)
            self.assertIsNotNone(caps, resp.body[:800])
            self.assertEqual(caps.findtext("tt:XAddr", namespaces=NS), "http://127.0.0.1:%d%s" % (self.port, EVENTS_PATH))
            self.assertEqual(caps.findtext("tt:WSPullPointSupport", namespaces=NS), "true")

    def test_event_properties_list_configured_topics(self):
        el = body_child(ecall(self.port, "<tev:GetEventProperties/>").body)
        topics = el.find("{http://docs.oasis-open.org/wsn/t-1}TopicSet")
        names = {e.tag for e in topics.iter() if e.get("{http://docs.oasis-open.org/wsn/t-1}topic") == "true"}
        self.assertTrue({"MotionAlarm", "Motion", "DigitalInput", "ProcessorUsage", "Profile"} <= names, names)
        dialects = [d.text for d in el.findall("wsnt:TopicExpressionDialect", ENS)]
        self.assertIn(CONCRETE_SET, dialects)

    def test_initialized_properties_then_long_poll_returns_on_injection(self):
        path, el = create_pull(self.port, "<tev:InitialTerminationTime>PT60S</tev:InitialTerminationTime>")
        self.assertTrue(el.findtext("wsnt:TerminationTime", namespaces=ENS).endswith("Z"))
        first = messages(pull(self.port, path, timeout="PT0S"))
        self.assertEqual({(t, op) for t, op, _ in first},
                         {(MOTION, "Initialized"), (CELL, "Initialized"), (INPUT, "Initialized"),
                          (RELAY, "Initialized")} | {(t, "Initialized") for t in TAMPERING})
        result = {}
        t = threading.Thread(target=lambda: result.update(r=pull(self.port, path, timeout="PT60S", io_timeout=70)))
        t.start()
        time.sleep(0.3)
        self.assertInjected("motion", "on")
        t.join(70)
        got = messages(result["r"])
        self.assertEqual([(tp, op) for tp, op, _ in got], [(MOTION, "Changed"), (CELL, "Changed")])
        self.assertEqual(got[0][2], {"Source": "VideoSource_1", "State": "true"})

    def test_timeout_honoured_with_zero_messages(self):
        path, _ = create_pull(self.port)
        drain(self.port, path)
        start = time.monotonic()
        resp = pull(self.port, path, timeout="PT1S")
        self.assertEqual(messages(resp), [])
        # "The device shall not return a response with zero messages prior to reaching the Timeout."
        self.assertGreaterEqual(time.monotonic() - start, 0.95)

    def test_message_limit_and_order(self):
        path, _ = create_pull(self.port)
        drain(self.port, path)
        for i in range(5):
            self.assertInjected("raw", "tns1:Monitoring/Test", "data.N=%d" % i)
        seen = []
        for expect in (2, 2, 1):
            got = messages(pull(self.port, path, timeout="PT1S", limit=2))
            self.assertEqual(len(got), expect)
            seen += [items["N"] for _, _, items in got]
        self.assertEqual(seen, ["0", "1", "2", "3", "4"])

    def test_too_long_timeout_is_pullmessages_fault(self):
        path, _ = create_pull(self.port)
        resp = pull(self.port, path, timeout="PT1H")
        self.assertNotEqual(resp.status, 200)
        detail = etree.fromstring(resp.body).find(".//tev:PullMessagesFaultResponse", NS)
        self.assertIsNotNone(detail, resp.body[:800])
        self.assertEqual(detail.findtext("tev:MaxTimeout", namespaces=NS), "PT300S")
        self.assertEqual(detail.findtext("tev:MaxMessageLimit", namespaces=NS), "100")

    def test_second_concurrent_pull_is_refused(self):
        path, _ = create_pull(self.port)
        drain(self.port, path)
        result = {}
        t = threading.Thread(target=lambda: result.update(r=pull(self.port, path, timeout="PT30S", io_timeout=40)))
        t.start()
        second = None
        for _ in range(50):  # until the first one is waiting
            second = pull(self.port, path, timeout="PT0S")
            if second.status != 200:
                break
            time.sleep(0.05)
        self.assertIn("{http://docs.oasis-open.org/wsn/b-2}UnableToGetMessagesFault", fault_subcodes(second))
        self.assertInjected("motion", "off")
        t.join(40)
        self.assertEqual(len(messages(result["r"])), 2)

    def test_renew_and_unsubscribe_touch_only_that_subscription(self):
        a, _ = create_pull(self.port)
        b, _ = create_pull(self.port)
        self.assertNotEqual(a, b)
        resp = ecall(self.port, "<wsnt:Unsubscribe %s/>" % DECL, path=a)
        self.assertEqual(resp.status, 200, resp.body[:500])
        gone = pull(self.port, a, timeout="PT0S")
        self.assertIn(RESOURCE_UNKNOWN, fault_subcodes(gone))
        # Core spec "SOAP Fault Messages": WS-BaseNotification faults are receiver faults, HTTP 500.
        self.assertEqual(gone.status, 500)
        self.assertEqual(fault_info(gone.body)["code"], "{%s}Receiver" % NS["env"])
        stamp = etree.fromstring(gone.body).find(".//{http://docs.oasis-open.org/wsrf/r-2}ResourceUnknownFault/"
                                                 "{http://docs.oasis-open.org/wsrf/bf-2}Timestamp")
        self.assertTrue(stamp is not None and stamp.text.endswith("Z"), gone.body[-600:])
        self.assertIn(RESOURCE_UNKNOWN, fault_subcodes(ecall(self.port, "<wsnt:Unsubscribe %s/>" % DECL, path=a)))
        resp = ecall(self.port, "<wsnt:Renew %s><wsnt:TerminationTime>PT120S</wsnt:TerminationTime></wsnt:Renew>"
                     % DECL, path=b)
        self.assertEqual(resp.status, 200, resp.body[:500])
        el = body_child(resp.body)
        self.assertTrue(el.findtext("wsnt:CurrentTime", namespaces=ENS).endswith("Z"))
        # The renewed pull point answers, and its termination is the renewed one.
        pulled = body_child(pull(self.port, b, timeout="PT0S").body)
        self.assertEqual(pulled.tag, "{%s}PullMessagesResponse" % NS["tev"])
        left = (parse_utc(pulled.findtext("tev:TerminationTime", namespaces=NS))
                - parse_utc(pulled.findtext("tev:CurrentTime", namespaces=NS))).total_seconds()
        self.assertTrue(100 <= left <= 121, left)
        self.assertIn(RESOURCE_UNKNOWN, fault_subcodes(pull(self.port, EVENTS_PATH + "/sub/0000", timeout="PT0S")))

    def test_expired_subscription_is_unknown(self):
        path, _ = create_pull(self.port, "<tev:InitialTerminationTime>PT1S</tev:InitialTerminationTime>")
        resp = None
        for _ in range(40):
            time.sleep(0.1)
            resp = ecall(self.port, "<tev:SetSynchronizationPoint/>", path=path)
            if resp.status != 200:
                break
        self.assertIn(RESOURCE_UNKNOWN, fault_subcodes(resp))

    def test_initial_termination_in_the_past_is_refused(self):
        resp = ecall(self.port, "<tev:CreatePullPointSubscription><tev:InitialTerminationTime>2001-01-01T00:00:00Z"
                     "</tev:InitialTerminationTime></tev:CreatePullPointSubscription>")
        self.assertIn("{http://docs.oasis-open.org/wsn/b-2}UnacceptableInitialTerminationTimeFault",
                      fault_subcodes(resp))
        # WS-BN: the fault names the termination times the device would accept.
        self.assertIsNotNone(etree.fromstring(resp.body).find(".//wsnt:MaximumTime", ENS), resp.body[-600:])

    def test_topic_and_content_filters(self):
        path, _ = create_pull(
            self.port,
            '<tev:Filter><wsnt:TopicExpression Dialect="%s">tns1:Device//.|tns1:Monitoring//.</wsnt:TopicExpression>'
            '<wsnt:MessageContent Dialect="%s">boolean(//tt:SimpleItem[@Name="N" and @Value="keep"]) or '
            'boolean(//tt:SimpleItem[@Name="InputToken"])</wsnt:MessageContent></tev:Filter>'
            % (CONCRETE_SET, ITEM_FILTER))
        drain(self.port, path)
        self.assertInjected("motion", "on")
        self.assertInjected("raw", "tns1:Monitoring/Test", "data.N=drop")
        self.assertInjected("raw", "tns1:Monitoring/Test", "data.N=keep")
        self.assertInjected("input", "DigitalInput_1", "on")
        got = messages(pull(self.port, path, timeout="PT1S"))
        self.assertEqual([(t, i.get("N")) for t, _, i in got], [("tns1:Monitoring/Test", "keep"), (INPUT, None)])

    def test_filter_faults(self):
        resp = ecall(self.port, '<tev:CreatePullPointSubscription %s><tev:Filter><wsnt:TopicExpression '
                     'Dialect="urn:nope">tns1:A</wsnt:TopicExpression></tev:Filter></tev:CreatePullPointSubscription>'
                     % DECL)
        self.assertIn("{http://docs.oasis-open.org/wsn/b-2}TopicExpressionDialectUnknownFault", fault_subcodes(resp))
        resp = ecall(self.port, '<tev:CreatePullPointSubscription %s><tev:Filter><wsnt:MessageContent '
                     'Dialect="%s">boolean(</wsnt:MessageContent></tev:Filter></tev:CreatePullPointSubscription>'
                     % (DECL, ITEM_FILTER))
        self.assertIn("{http://docs.oasis-open.org/wsn/b-2}InvalidMessageContentExpressionFault",
                      fault_subcodes(resp))

    def test_changed_only_and_synchronization_point(self):
        path, _ = create_pull(self.port, "<tev:SubscriptionPolicy><tev:ChangedOnly>true</tev:ChangedOnly>"
                                         "</tev:SubscriptionPolicy>")
        self.assertEqual(messages(pull(self.port, path, timeout="PT0S")), [])
        resp = ecall(self.port, "<tev:SetSynchronizationPoint/>", path=path)
        self.assertEqual(resp.status, 200, resp.body[:500])
        got = messages(pull(self.port, path, timeout="PT1S"))
        self.assertEqual(sorted(t for t, op, _ in got if op == "Initialized"), sorted([CELL, INPUT, MOTION, RELAY] + TAMPERING))

    def test_media_configuration_change_reaches_a_pull_point(self):
        path, _ = create_pull(self.port, '<tev:Filter><wsnt:TopicExpression Dialect="%s">tns1:Configuration//.'
                                         "</wsnt:TopicExpression></tev:Filter>" % CONCRETE_SET)
        resp = call(self.port, "<trt:CreateProfile><trt:Name>EventsTest</trt:Name><trt:Token>ev_test</trt:Token>"
                               "</trt:CreateProfile>", path="/onvif/media_service")
        self.assertEqual(resp.status, 200, resp.body[:500])
        resp = pull(self.port, path, timeout="PT5S")
        got = messages(resp)
        self.assertIn(("tns1:Configuration/Profile", {"Token": "ev_test"}), [(t, i) for t, _, i in got])
        # Media spec "Configuration Change": the profile itself rides as Data ElementItem "Configuration".
        items = body_child(resp.body).findall(".//tt:Message/tt:Data/tt:ElementItem", ENS)
        self.assertEqual([i.get("Name") for i in items], ["Configuration"])
        profile = items[0].find("tt:Configuration", ENS)
        self.assertEqual(profile.get("token"), "ev_test")
        self.assertEqual(profile.find("tt:Name", ENS).text, "EventsTest")
        resp = call(self.port, "<trt:GetVideoEncoderConfiguration><trt:ConfigurationToken>VideoEncoder_2"
                               "</trt:ConfigurationToken></trt:GetVideoEncoderConfiguration>", path="/onvif/media_service")
        cfg = body_child(resp.body).find("trt:Configuration", NS)
        cfg.find("tt:RateControl/tt:FrameRateLimit", NS).text = "10"
        cfg.find("tt:H264/tt:GovLength", NS).text = "20"
        cfg.tag = "{%s}Configuration" % NS["trt"]
        resp = call(self.port, "<trt:SetVideoEncoderConfiguration>%s<trt:ForcePersistence>true</trt:ForcePersistence>"
                               "</trt:SetVideoEncoderConfiguration>" % etree.tostring(cfg).decode(),
                    path="/onvif/media_service")
        self.assertEqual(resp.status, 200, resp.body[:800])
        resp = pull(self.port, path, timeout="PT5S")
        configs = [m for m in body_child(resp.body).findall(".//tt:Message", ENS)
                   if m.find("tt:Source/tt:SimpleItem[@Value='VideoEncoder_2']", ENS) is not None]
        self.assertEqual(len(configs), 1, resp.body[:1500])
        enc = configs[0].find("tt:Data/tt:ElementItem[@Name='Configuration']/tt:Configuration", ENS)
        self.assertEqual(enc.find("tt:RateControl/tt:FrameRateLimit", ENS).text, "10")
        self.assertEqual(enc.find("tt:H264/tt:GovLength", ENS).text, "20")
        call(self.port, "<trt:DeleteProfile><trt:ProfileToken>ev_test</trt:ProfileToken></trt:DeleteProfile>",
             path="/onvif/media_service")

    def test_control_socket_survives_abuse(self):
        import os
        import socket
        import stat
        sock_path = os.path.join(self.srv._tmp.name, "onvifd-events.sock")
        self.assertEqual(stat.S_IMODE(os.stat(sock_path).st_mode) & 0o007, 0)  # no access for others
        baseline = settle_fds(self.srv)
        idle = socket.socket(socket.AF_UNIX)
        idle.connect(sock_path)  # says nothing: dropped after the 1 s read limit
        flood = socket.socket(socket.AF_UNIX)
        flood.settimeout(5)
        flood.connect(sock_path)
        flood.sendall(b"x" * 10000)
        self.assertTrue(flood.recv(200).startswith(b"error:"))
        flood.close()
        self.assertEqual(idle.recv(200)[:6], b"error:")
        idle.close()
        r = inject(self.srv, "ping")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertLessEqual(wait_fd_baseline(self.srv, baseline), baseline)

    def test_bad_control_command_gets_clear_error(self):
        r = inject(self.srv, "input", "NoSuchInput", "on")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("NoSuchInput", r.stderr)


class TestShutdown(unittest.TestCase):
    def test_sigterm_ends_a_waiting_long_poll_promptly(self):
        with Server(sections={"events": QUIET}) as srv:
            path, _ = create_pull(srv.port)
            drain(srv.port, path)
            result = {}

            def poll():
                try:
                    result["r"] = pull(srv.port, path, timeout="PT120S", io_timeout=130)
                except Exception as e:  # the connection may close instead
                    result["e"] = e
            t = threading.Thread(target=poll)
            t.start()
            time.sleep(0.5)
            # stop() waits at most STOP_TIMEOUT_S (5 s); a poll that held
            # shutdown would make it return None after killing the server.
            self.assertEqual(srv.stop(), 0)
            t.join(10)
            self.assertFalse(t.is_alive())


class TestLimits(EventsCase):
    # 1 always-running worker, at most 3: pull points are capped at 2 so
    # that long polls can never take the last worker.
    SERVER = {"workers": 1, "max_workers": 3}

    def test_max_pull_points_and_long_polls_do_not_block_others(self):
        caps = body_child(ecall(self.port, "<tev:GetServiceCapabilities/>").body).find("tev:Capabilities", NS)
        self.assertEqual(caps.get("MaxPullPoints"), "2")
        paths = [create_pull(self.port)[0] for _ in range(2)]
        resp = ecall(self.port, "<tev:CreatePullPointSubscription/>")
        self.assertIn("{http://docs.oasis-open.org/wsn/bw-2}UnableToCreatePullPointFault", fault_subcodes(resp))
        for p in paths:
            drain(self.port, p)
        results = []
        threads = [threading.Thread(target=lambda p=p: results.append(pull(self.port, p, timeout="PT30S",
                                                                           io_timeout=40))) for p in paths]
        for t in threads:
            t.start()
        time.sleep(0.5)
        for _ in range(5):  # both polls hold a worker; the last one still answers
            assert_time_answer(self, call(self.port, "<tds:GetSystemDateAndTime/>"))
        self.assertInjected("motion", "on")
        for t in threads:
            t.join(40)
        self.assertEqual([len(messages(r)) for r in results], [2, 2])
        for p in paths:
            ecall(self.port, "<wsnt:Unsubscribe %s/>" % DECL, path=p)


class TestControlWatch(EventsCase):
    """`onvifd event watch`: every published event as one wsnt:NotificationMessage line, for local programs."""

    def watch(self, *expression):
        import os
        import subprocess
        from harness import binary_path
        sock = os.path.join(self.srv._tmp.name, "onvifd-events.sock")
        proc = subprocess.Popen([binary_path(), "event", "--socket", sock, "watch"] + list(expression),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, bufsize=0)
        self.addCleanup(lambda: (proc.kill(), proc.wait(5), proc.stdout.close(), proc.stderr.close()))
        return proc

    def read_lines(self, proc, count, timeout=5.0):
        import select
        lines, deadline = [], time.monotonic() + timeout
        while len(lines) < count and time.monotonic() < deadline:
            ready, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                break
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(etree.fromstring(line))
        return lines

    def test_watch_streams_live_properties_then_each_event(self):
        proc = self.watch("tns1:VideoSource//.")
        # The current state of the motion alarm and the four tampering alarms, as Initialized.
        first = self.read_lines(proc, 5)
        wsnt = "{http://docs.oasis-open.org/wsn/b-2}"
        self.assertEqual(sorted(n.findtext(wsnt + "Topic") for n in first), sorted([MOTION] + TAMPERING))
        note = [n for n in first if n.findtext(wsnt + "Topic") == MOTION][0]
        self.assertEqual(note.tag, wsnt + "NotificationMessage")
        self.assertEqual(note.findtext(wsnt + "Topic"), MOTION)
        self.assertEqual(note.find(wsnt + "Topic").get("Dialect"), CONCRETE_SET)
        msg = note.find(wsnt + "Message/tt:Message", NS)
        self.assertEqual(msg.get("PropertyOperation"), "Initialized")
        t0 = time.monotonic()
        self.assertInjected("motion", "on")  # also raises CELL, which the expression leaves out
        self.assertInjected("relay", "Relay_1", "active")
        got = self.read_lines(proc, 1)
        self.assertLess(time.monotonic() - t0, 1.0)
        self.assertEqual(len(got), 1)
        self.assertEqual(got[0].findtext(wsnt + "Topic"), MOTION)
        msg = got[0].find(wsnt + "Message/tt:Message", NS)
        self.assertEqual(msg.get("PropertyOperation"), "Changed")
        self.assertEqual(msg.find("tt:Data/tt:SimpleItem", NS).get("Value"), "true")
        self.assertEqual(self.read_lines(proc, 1, timeout=0.5), [])  # nothing else matched

    def test_watch_refuses_a_bad_expression_and_the_stream_ends_with_its_reader(self):
        bad = self.watch("not a topic//")
        self.assertEqual(bad.wait(5), 1)
        self.assertIn(b"not a ConcreteSet topic expression", bad.stderr.read())
        baseline = settle_fds(self.srv)
        proc = self.watch()
        self.assertGreaterEqual(len(self.read_lines(proc, 1)), 1)
        proc.kill()
        proc.wait(5)
        self.assertLessEqual(wait_fd_baseline(self.srv, baseline), baseline)


class TestHomeAssistantPattern(EventsCase):
    def test_500_rounds_over_keepalive_then_fds_back_to_baseline(self):
        baseline = settle_fds(self.srv)
        conn = Conn(self.port, timeout=10)
        errors = 0
        try:
            for i in range(500):
                if i % 19 == 0:  # 5 requests a round; reconnect well before keepalive_max_requests
                    conn.close()
                    conn = Conn(self.port, timeout=10)
                path, _ = create_pull(self.port, "<tev:InitialTerminationTime>PT600S</tev:InitialTerminationTime>",
                                      conn=conn)
                ok = ecall(self.port, "<tev:SetSynchronizationPoint/>", path=path, conn=conn).status == 200
                got = messages(pull(self.port, path, timeout="PT60S", limit=100, conn=conn))
                ok = ok and len(got) >= 3
                ok = ok and ecall(self.port, "<wsnt:Renew %s><wsnt:TerminationTime>PT600S</wsnt:TerminationTime>"
                                  "</wsnt:Renew>" % DECL, path=path, conn=conn).status == 200
                ok = ok and ecall(self.port, "<wsnt:Unsubscribe %s/>" % DECL, path=path, conn=conn).status == 200
                errors += 0 if ok else 1
        finally:
            conn.close()
        self.assertEqual(errors, 0)
        self.assertLessEqual(wait_fd_baseline(self.srv, baseline), baseline)


class TestPush(EventsCase):
    EVENTS = {"push_allow_loopback": "true", "push_connect_timeout_ms": "500", "push_io_timeout_ms": "1000",
              "push_retries": "1", "push_retry_backoff_ms": "50"}

    def test_notify_reaches_consumer_and_bad_consumers_hurt_nobody(self):
        baseline = settle_fds(self.srv)
        good = GoodConsumer()
        bad = [BadConsumer("hang"), BadConsumer("garbage"), BadConsumer("reset")]
        try:
            urls = [dead_consumer_url()] + [b.url for b in bad] + [good.url]
            subs = []
            for url in urls:
                resp = subscribe(self.port, url, "<wsnt:InitialTerminationTime>PT60S</wsnt:InitialTerminationTime>")
                self.assertEqual(resp.status, 200, resp.body[:600])
                el = body_child(resp.body)
                self.assertTrue(el.findtext("wsnt:TerminationTime", namespaces=ENS).endswith("Z"))
                addr = el.find("wsnt:SubscriptionReference/wsa:Address", ENS).text
                subs.append("/" + addr.split("/", 3)[3])
            pull_path, _ = create_pull(self.port)
            drain(self.port, pull_path)
            # Initialized properties arrive at the good consumer first.
            self.assertTrue(good.wait_for(lambda n: {(t, op) for t, op, _ in n} >= {(MOTION, "Initialized")}))
            for i in range(3):
                self.assertInjected("motion", "on" if i % 2 == 0 else "off")
                got = messages(pull(self.port, pull_path, timeout="PT10S"))
                self.assertEqual(len(got), 2)  # the pull point is unaffected by the bad consumers
                assert_time_answer(self, call(self.port, "<tds:GetSystemDateAndTime/>"))
            self.assertTrue(good.wait_for(lambda n: [i.get("State") for t, op, i in n if op == "Changed"
                                                     and t == MOTION] == ["true", "false", "true"]),
                            good.notifications)
            # The consumer keeps connections alive, so Notify requests share them.
            self.assertGreaterEqual(good.requests, 4)
            self.assertLess(len(good.peers), good.requests)
            for p in subs:
                resp = ecall(self.port, "<wsnt:Unsubscribe %s/>" % DECL, path=p)
                self.assertEqual(resp.status, 200, resp.body[:300])
            ecall(self.port, "<wsnt:Unsubscribe %s/>" % DECL, path=pull_path)
        finally:
            for b in bad:
                b.close()
            good.close()
        # Senders end within the push timeouts; every socket they opened is closed.
        self.assertLessEqual(wait_fd_baseline(self.srv, baseline, timeout=10), baseline)

    def test_renew_and_termination(self):
        good = GoodConsumer()
        try:
            resp = subscribe(self.port, good.url, "<wsnt:InitialTerminationTime>PT1S</wsnt:InitialTerminationTime>")
            path = "/" + body_child(resp.body).find("wsnt:SubscriptionReference/wsa:Address", ENS).text.split("/", 3)[3]
            resp = ecall(self.port, "<wsnt:Renew %s><wsnt:TerminationTime>PT2S</wsnt:TerminationTime></wsnt:Renew>"
                         % DECL, path=path)
            self.assertEqual(resp.status, 200, resp.body[:300])
            # Without further renewal it terminates: its manager then answers ResourceUnknown.
            for _ in range(60):
                time.sleep(0.1)
                resp = ecall(self.port, "<tev:SetSynchronizationPoint/>", path=path)
                if resp.status != 200:
                    break
            self.assertIn(RESOURCE_UNKNOWN, fault_subcodes(resp))
        finally:
            good.close()


class TestConsumerPolicy(EventsCase):
    EVENTS = {"push_allow_loopback": "false"}

    def test_loopback_link_local_and_multicast_consumers_are_refused(self):
        for url in ("http://127.0.0.1:9/notify", "http://[::1]:9/", "http://169.254.10.10/", "http://224.0.0.1/",
                    "https://127.0.0.1:9/", "https://[::1]/", "https://169.254.10.10/", "ftp://192.0.2.1/",
                    "file:///etc/passwd"):
            resp = subscribe(self.port, url)
            self.assertIn("{http://docs.oasis-open.org/wsn/bw-2}SubscribeCreationFailedFault", fault_subcodes(resp),
                          url)


class TestPushLimit(EventsCase):
    EVENTS = {"push_allow_loopback": "true", "max_push_subscriptions": "1"}

    def test_max_push_subscriptions_and_seek_unsupported(self):
        good = GoodConsumer()
        try:
            first = subscribe(self.port, good.url)
            self.assertEqual(first.status, 200, first.body[:500])
            self.assertTrue(subscription_path(first).startswith(EVENTS_PATH + "/"), first.body[:800])
            resp = subscribe(self.port, good.url)
            self.assertIn("{http://docs.oasis-open.org/wsn/bw-2}SubscribeCreationFailedFault", fault_subcodes(resp))
            caps = body_child(ecall(self.port, "<tev:GetServiceCapabilities/>").body).find("tev:Capabilities", NS)
            self.assertEqual(caps.get("MaxNotificationProducers"), "1")
        finally:
            good.close()
        path, _ = create_pull(self.port)
        resp = ecall(self.port, "<tev:Seek><tev:UtcTime>2026-01-01T00:00:00Z</tev:UtcTime></tev:Seek>", path=path)
        self.assertIn("{%s}ActionNotSupported" % NS["ter"], fault_subcodes(resp))


def parse_utc(text):
    """An xs:dateTime in UTC (Z), fractional seconds allowed."""
    return datetime.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))


def subscription_path(resp):
    return "/" + body_child(resp.body).find("wsnt:SubscriptionReference/wsa:Address", ENS).text.split("/", 3)[3]


class TlsPushCase(EventsCase):
    """https:// consumers. Two self-signed pairs: 'trusted' (its certificate
    is the server's push_tls_ca_file) and 'stranger' (trusted by nobody)."""
    TLS_EVENTS = {"push_allow_loopback": "true", "push_connect_timeout_ms": "500", "push_io_timeout_ms": "1000",
                  "push_retries": "1", "push_retry_backoff_ms": "50"}
    CA = "trusted"

    @classmethod
    def setUpClass(cls):
        cls.certs = tempfile.TemporaryDirectory(prefix="onvifd-push-tls-")
        cls.addClassCleanup(cls.certs.cleanup)
        cls.trusted = make_cert(cls.certs.name, "trusted")
        cls.stranger = make_cert(cls.certs.name, "stranger")
        cls.EVENTS = dict(cls.TLS_EVENTS)
        if cls.CA:
            cls.EVENTS["push_tls_ca_file"] = getattr(cls, cls.CA)[0]
        super().setUpClass()

    def subscribe_ok(self, url):
        resp = subscribe(self.port, url, "<wsnt:InitialTerminationTime>PT60S</wsnt:InitialTerminationTime>")
        self.assertEqual(resp.status, 200, resp.body[:600])
        return subscription_path(resp)

    def unsubscribe(self, path):
        resp = ecall(self.port, "<wsnt:Unsubscribe %s/>" % DECL, path=path)
        self.assertEqual(resp.status, 200, resp.body[:300])


class TestPushTls(TlsPushCase):
    def test_verified_consumer_receives_notify_over_kept_alive_tls(self):
        baseline = settle_fds(self.srv)
        good = GoodConsumer(tls=tls_server_context(*self.trusted))
        try:
            self.assertTrue(good.url.startswith("https://127.0.0.1:"))
            path = self.subscribe_ok(good.url)
            self.assertTrue(good.wait_for(lambda n: (MOTION, "Initialized") in {(t, op) for t, op, _ in n}),
                            self.srv.stderr_text())
            for i in range(3):
                self.assertInjected("motion", "on" if i % 2 == 0 else "off")
            self.assertTrue(good.wait_for(lambda n: [i.get("State") for t, op, i in n if op == "Changed"
                                                     and t == MOTION] == ["true", "false", "true"]),
                            good.notifications)
            # Notifies share TLS connections while the consumer keeps them alive.
            self.assertGreaterEqual(good.requests, 2)
            self.assertLess(good.handshakes, good.requests)
            self.assertEqual(good.handshake_failures, 0)
            self.unsubscribe(path)
        finally:
            good.close()
        self.assertLessEqual(wait_fd_baseline(self.srv, baseline, timeout=10), baseline)

    def test_untrusted_certificate_gets_nothing_and_costs_nothing(self):
        baseline = settle_fds(self.srv)
        stranger = GoodConsumer(tls=tls_server_context(*self.stranger))
        try:
            path = self.subscribe_ok(stranger.url)
            for i in range(3):
                self.assertInjected("motion", "on" if i % 2 == 0 else "off")
            # Every batch is tried (1 + push_retries handshakes each) and refused by the server.
            deadline = time.monotonic() + 10
            while stranger.handshake_failures < 4 and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertGreaterEqual(stranger.handshake_failures, 4)
            self.assertEqual(stranger.requests, 0)
            self.assertEqual(stranger.notifications, [])
            assert_time_answer(self, call(self.port, "<tds:GetSystemDateAndTime/>"))
            self.assertLessEqual(wait_fd_baseline(self.srv, baseline + 1, timeout=5), baseline + 1)
            self.unsubscribe(path)
        finally:
            stranger.close()
        self.assertTrue(self.srv.alive())
        self.assertLessEqual(wait_fd_baseline(self.srv, baseline, timeout=10), baseline)

    def test_consumers_aborting_or_stalling_the_handshake_leak_nothing(self):
        baseline = settle_fds(self.srv)
        bad = [BadConsumer("reset-after-hello", scheme="https"), BadConsumer("reset", scheme="https"),
               BadConsumer("hang", scheme="https"), BadConsumer("garbage", scheme="https")]
        good = GoodConsumer(tls=tls_server_context(*self.trusted))
        try:
            paths = [self.subscribe_ok(b.url) for b in bad] + [self.subscribe_ok(good.url)]
            for i in range(4):
                self.assertInjected("motion", "on" if i % 2 == 0 else "off")
            # The good consumer is not held up by the bad ones.
            self.assertTrue(good.wait_for(lambda n: len([1 for t, op, _ in n if op == "Changed" and t == MOTION]) == 4),
                            good.notifications)
            deadline = time.monotonic() + 10
            while min(b.accepted for b in bad) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertGreaterEqual(min(b.accepted for b in bad), 2, [b.accepted for b in bad])
            for p in paths:
                self.unsubscribe(p)
        finally:
            for b in bad:
                b.close()
            good.close()
        assert_time_answer(self, call(self.port, "<tds:GetSystemDateAndTime/>"))
        self.assertLessEqual(wait_fd_baseline(self.srv, baseline, timeout=10), baseline)


class TestPushTlsSystemStore(TlsPushCase):
    CA = None  # push_tls_ca_file empty: the system store, which knows neither pair

    def test_self_signed_consumer_is_refused_by_default(self):
        good = GoodConsumer(tls=tls_server_context(*self.trusted))
        try:
            self.subscribe_ok(good.url)
            deadline = time.monotonic() + 10
            while good.handshake_failures < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertGreaterEqual(good.handshake_failures, 2)
            self.assertEqual(good.requests, 0)
        finally:
            good.close()


class TestPushTlsNoVerify(TlsPushCase):
    CA = None
    TLS_EVENTS = dict(TlsPushCase.TLS_EVENTS, push_tls_verify="false")

    def test_verification_off_accepts_any_certificate(self):
        stranger = GoodConsumer(tls=tls_server_context(*self.stranger))
        try:
            self.subscribe_ok(stranger.url)
            self.assertTrue(stranger.wait_for(lambda n: len(n) >= 3), self.srv.stderr_text())  # Initialized
        finally:
            stranger.close()


class TestDefaultLoopbackPolicy(EventsCase):
    # The embedded default says auto: a loopback listener accepts loopback consumers.
    def test_auto_allows_loopback_on_loopback_listener(self):
        good = GoodConsumer()
        try:
            resp = subscribe(self.port, good.url)
            self.assertEqual(resp.status, 200, resp.body[:500])
            self.assertTrue(good.wait_for(lambda n: len(n) >= 3))  # the Initialized properties
        finally:
            good.close()


if __name__ == "__main__":
    unittest.main()


class TestSubscriptionSchemas(EventsCase):
    """Responses on a subscription address (which test_schema.py's table cannot
    reach) validated against the official schemas."""
    EVENTS = {"push_allow_loopback": "true"}

    def test_subscription_responses_are_schema_valid(self):
        from schema_check import default_schemas
        schemas = default_schemas()
        path, _ = create_pull(self.port)
        responses = [pull(self.port, path, timeout="PT1S"),  # with the Initialized messages
                     ecall(self.port, "<tev:SetSynchronizationPoint/>", path=path),
                     ecall(self.port, "<wsnt:Renew %s><wsnt:TerminationTime>PT60S</wsnt:TerminationTime>"
                           "</wsnt:Renew>" % DECL, path=path),
                     pull(self.port, path, timeout="PT1H"),  # PullMessagesFaultResponse
                     ecall(self.port, "<wsnt:Unsubscribe %s/>" % DECL, path=path),
                     pull(self.port, path, timeout="PT1S")]  # ResourceUnknown
        good = GoodConsumer()
        try:
            responses.append(subscribe(self.port, good.url))
        finally:
            good.close()
        self.assertGreater(len(messages(responses[0])), 0)
        # WS-BaseNotification's own schema (wsnt:RenewResponse, ...) is not embedded in a WSDL.
        import os
        b2 = os.path.join(schemas.cache, "external", "b-2.xsd")
        wsnt_schema = etree.XMLSchema(etree.parse(b2))
        for resp in responses:
            el = body_child(resp.body)
            if etree.QName(el).namespace == ENS["wsnt"]:
                ok = wsnt_schema.validate(etree.ElementTree(etree.fromstring(etree.tostring(el))))
                errors = [str(e) for e in wsnt_schema.error_log] if not ok else []
            else:
                errors = schemas.validate(el)
            self.assertEqual(errors, [], "%s not schema-valid:\n%s\n%s" % (el.tag, "\n".join(errors[:10]),
                                                                          resp.body[:2000]))


class TestZeepClient(EventsCase):
    """python-zeep (what Home Assistant's onvif library is built on) driving
    the pull-point pattern from the official WSDL, with a digest UsernameToken."""

    def test_zeep_pull_point_round_trip(self):
        import zeep
        from prerequisites import zeep_client
        client = zeep_client("onvif/ver10/events/wsdl/event.wsdl", timeout=10, operation_timeout=40)
        tev = "{http://www.onvif.org/ver10/events/wsdl}"
        events = client.create_service(tev + "EventBinding", "http://127.0.0.1:%d%s" % (self.port, EVENTS_PATH))
        self.assertEqual(events.GetServiceCapabilities().MaxPullPoints, 16)
        sub = events.CreatePullPointSubscription(InitialTerminationTime="PT600S")
        address = sub.SubscriptionReference.Address._value_1
        pullpoint = client.create_service(tev + "PullPointSubscriptionBinding", address)
        manager = client.create_service(tev + "SubscriptionManagerBinding", address)
        initial = pullpoint.PullMessages(Timeout="PT1S", MessageLimit=100)
        self.assertEqual(len(initial.NotificationMessage), 8)  # motion, cell motion, input, relay, 4 tampering
        result = {}
        t = threading.Thread(target=lambda: result.update(r=pullpoint.PullMessages(Timeout="PT30S", MessageLimit=100)))
        t.start()
        time.sleep(0.3)
        self.assertInjected("input", "DigitalInput_1", "on")
        t.join(40)
        got = result["r"].NotificationMessage
        self.assertEqual([m.Topic._value_1 for m in got], [INPUT])
        renewed = manager.Renew(TerminationTime="PT120S")
        self.assertAlmostEqual((renewed.TerminationTime - renewed.CurrentTime).total_seconds(), 120, delta=2)
        manager.Unsubscribe()
        with self.assertRaises(zeep.exceptions.Fault):
            pullpoint.PullMessages(Timeout="PT1S", MessageLimit=1)


class TestNpmClient(EventsCase):
    """The npm `onvif` package (NVR-side JavaScript library) running its own
    event loop (CreatePullPointSubscription, PullMessages PT1M, Renew) until
    the simulator's motion arrives, then Unsubscribe."""
    EVENTS = {"simulator_period_s": "1"}

    def test_npm_onvif_event_loop_sees_simulated_motion(self):
        import json
        import os
        import subprocess
        from prerequisites import NPM_DIR as npm_dir, npm_node
        node = npm_node()
        baseline = settle_fds(self.srv)
        run = subprocess.run([node, os.path.join(npm_dir, "events.js"), "127.0.0.1", str(self.port)], cwd=npm_dir,
                             capture_output=True, timeout=60)
        self.assertEqual(run.returncode, 0, run.stdout.decode() + run.stderr.decode())
        out = json.loads(run.stdout.decode().strip().splitlines()[-1])
        self.assertEqual(out["errors"], [])
        self.assertTrue(out["unsubscribed"])
        initialized = [e for e in out["events"] if e["operation"] == "Initialized"]
        self.assertIn(MOTION, [e["topic"] for e in initialized])
        changed = [e for e in out["events"] if e["topic"] == MOTION and e["operation"] == "Changed"]
        self.assertEqual(changed[-1]["data"], {"State": "true"})
        self.assertEqual(changed[-1]["source"], {"Source": "VideoSource_1"})
        self.assertLessEqual(wait_fd_baseline(self.srv, baseline), baseline, "server fds did not return to baseline")
