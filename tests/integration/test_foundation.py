"""Integration tests of the foundation: the device operations that work,
the fault for bound operations that do not, the HTTP connection policy
(keep-alive, limits, timeouts, abuse) and the process lifecycle.

Each class starts its own onvifd (tests/integration/harness.py) with the
config it needs. Every test asserts observable behaviour; every wait is
bounded. Run: /usr/bin/python3 -m unittest discover -s tests/integration
"""
import asyncio
import datetime
import glob
import os
import re
import select
import signal
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.parse

from harness import (ADMIN, DEVICE_PATH, HOST, MEDIA_PATH, NS, PTZ_PATH, SOAP11_CT, SOAP12_CT, TEST_DEVICE,
                     Conn, PeerClosed, Server, binary_path, body_child, build_request, call,
                     fault_info, parse_envelope, post, settle_fds, soap11, soap12, username_token, wait_fd_baseline)
from prerequisites import CAPTURES

GSDT = "<tds:GetSystemDateAndTime/>"
TDS = "{%s}" % NS["tds"]
TT = "{%s}" % NS["tt"]
SENDER = "{%s}Sender" % NS["env"]
RECEIVER = "{%s}Receiver" % NS["env"]
ACTION_NOT_SUPPORTED = "{%s}ActionNotSupported" % NS["ter"]


class ServerCase(unittest.TestCase):
    """Base: one server per class, started with SERVER config overrides.

    After the server is up, a few requests (some concurrent) warm it up and
    the fd count they settle to is the baseline that assertHealthy() expects
    the server to return to."""

    SERVER = {}
    DEVICE = {}
    SECTIONS = {}

    @classmethod
    def setUpClass(cls):
        cls.srv = Server(server=cls.SERVER, device=cls.DEVICE, sections=cls.SECTIONS)
        cls.addClassCleanup(cls.srv.close)
        cls.srv.start()
        conns = [Conn(cls.srv.port) for _ in range(4)]
        for c in conns:
            call(cls.srv.port, GSDT, conn=c)
        for c in conns:
            c.close()
        call(cls.srv.port, GSDT)
        cls.baseline = settle_fds(cls.srv)

    def fd_listing(self):
        fds = []
        for name in os.listdir("/proc/%d/fd" % self.srv.pid):
            try:
                fds.append("%s->%s" % (name, os.readlink("/proc/%d/fd/%s" % (self.srv.pid, name))))
            except OSError:
                pass
        return ", ".join(sorted(fds))

    def assertServerAlive(self):
        self.assertTrue(self.srv.alive(), "server exited (code %s); stderr:\n%s"
                        % (self.srv.proc.poll(), self.srv.stderr_text()))

    def assertGsdtOk(self, resp):
        self.assertEqual(resp.status, 200, resp.body[:500])
        self.assertEqual(body_child(resp.body).tag, TDS + "GetSystemDateAndTimeResponse")

    def assertHealthy(self, fd_timeout=3.0):
        """The server answers GetSystemDateAndTime on a new connection and its
        fd count returns to the baseline (no leaked sockets)."""
        self.assertServerAlive()
        self.assertGsdtOk(call(self.srv.port, GSDT))
        count = wait_fd_baseline(self.srv, self.baseline, fd_timeout)
        self.assertLessEqual(count, self.baseline, "server holds %d fds, baseline %d: %s"
                             % (count, self.baseline, self.fd_listing()))

    def assertFault(self, resp, code=None, subcode=None):
        self.assertTrue(400 <= resp.status < 600, "status %d for a fault" % resp.status)
        info = fault_info(resp.body)
        if code is not None:
            self.assertEqual(info["code"], code, info)
        if subcode is not None:
            self.assertIn(subcode, info["subcodes"], info)
        return info

    def assertClientError(self, resp, what):
        """Rejected as the client's fault: HTTP 400/415, or a SOAP fault whose
        code is Sender (with a 4xx/5xx status)."""
        if resp.status in (400, 415) and b"Envelope" not in resp.body:
            return
        self.assertTrue(400 <= resp.status < 600, "%s: status %d, body %r" % (what, resp.status, resp.body[:300]))
        info = fault_info(resp.body)
        self.assertEqual(info["code"], SENDER, "%s must be a Sender fault, got %s" % (what, info))


def element_text(el, path):
    found = el.find(path, NS)
    return None if found is None else (found.text or "")


# --- operations ------------------------------------------------------------------

class TestDeviceOperations(ServerCase):
    """The six working operations answer 200 with the right element, and the
    values come from the config ([device] in harness.TEST_DEVICE)."""

    def op(self, body_xml):
        resp = call(self.srv.port, body_xml)
        self.assertEqual(resp.status, 200, resp.body[:500])
        self.assertTrue(resp.header("content-type", "").startswith("application/soap+xml"), resp.headers)
        return body_child(resp.body)

    def test_get_system_date_and_time(self):
        el = self.op(GSDT)
        self.assertEqual(el.tag, TDS + "GetSystemDateAndTimeResponse")
        utc = el.find("tds:SystemDateAndTime/tt:UTCDateTime", NS)
        self.assertIsNotNone(utc, "no UTCDateTime")
        got = datetime.datetime(*(int(element_text(utc, p)) for p in
                                  ("tt:Date/tt:Year", "tt:Date/tt:Month", "tt:Date/tt:Day",
                                   "tt:Time/tt:Hour", "tt:Time/tt:Minute", "tt:Time/tt:Second")),
                                tzinfo=datetime.timezone.utc)
        skew = abs((got - datetime.datetime.now(datetime.timezone.utc)).total_seconds())
        self.assertLess(skew, 60, "device UTC time %s is %.0f s off the host clock" % (got, skew))
        self.assertIn(element_text(el, "tds:SystemDateAndTime/tt:DateTimeType"), ("Manual", "NTP"))

    def test_get_device_information_comes_from_config(self):
        el = self.op("<tds:GetDeviceInformation/>")
        self.assertEqual(el.tag, TDS + "GetDeviceInformationResponse")
        for field, key in (("Manufacturer", "manufacturer"), ("Model", "model"),
                           ("FirmwareVersion", "firmware_version"), ("SerialNumber", "serial_number"),
                           ("HardwareId", "hardware_id")):
            self.assertEqual(element_text(el, "tds:" + field), TEST_DEVICE[key], field)

    def check_services(self, include_capability):
        el = self.op("<tds:GetServices><tds:IncludeCapability>%s</tds:IncludeCapability></tds:GetServices>"
                     % ("true" if include_capability else "false"))
        self.assertEqual(el.tag, TDS + "GetServicesResponse")
        services = el.findall("tds:Service", NS)
        self.assertTrue(services, "GetServices lists no service")
        by_ns = {element_text(s, "tds:Namespace"): s for s in services}
        self.assertIn(NS["tds"], by_ns, "device service missing from GetServices")
        for ns, service in by_ns.items():
            xaddr = urllib.parse.urlparse(element_text(service, "tds:XAddr"))
            self.assertEqual((xaddr.hostname, xaddr.port), (HOST, self.srv.port), "XAddr of %s" % ns)
            self.assertIsNotNone(service.find("tds:Version/tt:Major", NS), "Version of %s" % ns)
            caps = service.find("tds:Capabilities", NS)
            if include_capability:
                self.assertIsNotNone(caps, "IncludeCapability=true but %s has no Capabilities" % ns)
                self.assertEqual(len(caps), 1, "Capabilities of %s must wrap one element" % ns)
            else:
                self.assertIsNone(caps, "IncludeCapability=false but %s has Capabilities" % ns)
        self.assertEqual(urllib.parse.urlparse(element_text(by_ns[NS["tds"]], "tds:XAddr")).path, DEVICE_PATH)
        return by_ns

    def test_get_services_with_capability(self):
        by_ns = self.check_services(True)
        inner = by_ns[NS["tds"]].find("tds:Capabilities/tds:Capabilities", NS)
        self.assertIsNotNone(inner, "device service capabilities must be a tds:Capabilities element")

    def test_get_services_without_capability(self):
        self.check_services(False)

    def test_get_service_capabilities(self):
        el = self.op("<tds:GetServiceCapabilities/>")
        self.assertEqual(el.tag, TDS + "GetServiceCapabilitiesResponse")
        for part in ("Network", "Security", "System"):
            self.assertIsNotNone(el.find("tds:Capabilities/tds:" + part, NS), part)

    def test_get_capabilities(self):
        el = self.op("<tds:GetCapabilities><tds:Category>All</tds:Category></tds:GetCapabilities>")
        self.assertEqual(el.tag, TDS + "GetCapabilitiesResponse")
        xaddr = urllib.parse.urlparse(element_text(el, "tds:Capabilities/tt:Device/tt:XAddr") or "")
        self.assertEqual((xaddr.hostname, xaddr.port, xaddr.path), (HOST, self.srv.port, DEVICE_PATH))

    def test_get_wsdl_url(self):
        el = self.op("<tds:GetWsdlUrl/>")
        self.assertEqual(el.tag, TDS + "GetWsdlUrlResponse")
        url = urllib.parse.urlparse(element_text(el, "tds:WsdlUrl") or "")
        self.assertIn(url.scheme, ("http", "https"))
        self.assertTrue(url.netloc)

    def test_unimplemented_bound_operations_fault(self):
        for path, body in ((PTZ_PATH, "<tptz:GetPresetTours><tptz:ProfileToken>Profile_1</tptz:ProfileToken>"
                                      "</tptz:GetPresetTours>"),
                           (MEDIA_PATH, "<trt:GetVideoSourceModes><trt:VideoSourceToken>VideoSource_1"
                                        "</trt:VideoSourceToken></trt:GetVideoSourceModes>")):
            with self.subTest(body=body):
                resp = call(self.srv.port, body, path=path)
                self.assertIn(resp.status, (400, 500))
                self.assertFault(resp, RECEIVER, ACTION_NOT_SUPPORTED)

    def test_soap11_envelope(self):
        resp = post(self.srv.port, DEVICE_PATH, soap11("<tds:GetDeviceInformation/>", username_token(*ADMIN)),
                    {"Content-Type": SOAP11_CT,
                     "SOAPAction": '"http://www.onvif.org/ver10/device/wsdl/GetDeviceInformation"'})
        self.assertEqual(resp.status, 200, resp.body[:500])
        root, el = parse_envelope(resp.body)
        self.assertEqual(root.tag, "{%s}Envelope" % NS["soap11"], "a SOAP 1.1 request needs a SOAP 1.1 answer")
        self.assertTrue(resp.header("content-type", "").startswith("text/xml"), resp.headers)
        self.assertEqual(element_text(el, "tds:Manufacturer"), TEST_DEVICE["manufacturer"])

    def test_dispatch_ignores_soapaction(self):
        action = "http://www.onvif.org/ver10/device/wsdl/GetSystemDateAndTime"
        resp = post(self.srv.port, DEVICE_PATH, soap12("<tds:GetDeviceInformation/>", username_token(*ADMIN)),
                    {"Content-Type": '%s; action="%s"' % (SOAP12_CT, action), "SOAPAction": '"%s"' % action})
        self.assertEqual(resp.status, 200)
        self.assertEqual(body_child(resp.body).tag, TDS + "GetDeviceInformationResponse")

    def test_dispatch_by_qualified_name(self):
        # Right local name, wrong namespace: not the ONVIF operation.
        resp = call(self.srv.port, '<GetDeviceInformation xmlns="urn:example:not-onvif"/>')
        self.assertFault(resp)
        # Default-namespace form of the real one (what npm onvif sends).
        resp = call(self.srv.port, '<GetDeviceInformation xmlns="%s"/>' % NS["tds"])
        self.assertEqual(resp.status, 200)
        self.assertEqual(body_child(resp.body).tag, TDS + "GetDeviceInformationResponse")


# --- replay of real clients' requests ------------------------------------------------

PRE_AUTH_OPS = ("GetSystemDateAndTime", "GetCapabilities", "GetServices", "GetServiceCapabilities")
REPLAY_OPS = ("GetSystemDateAndTime", "GetDeviceInformation", "GetCapabilities", "GetServices",
              "GetServiceCapabilities")


def capture_files():
    files = []
    for op in REPLAY_OPS:
        files += glob.glob(os.path.join(CAPTURES, "*", "[0-9][0-9]-%s.http" % op))
    ok = []
    for path in sorted(files):
        with open(path, "rb") as f:
            if f.readline().split(b" ")[1:2] == [DEVICE_PATH.encode()]:
                ok.append(path)
    return ok


def rewrite_host_port(raw, port):
    """Rewrites the port in the Host header only (the body is untouched, so
    Content-Length stays right)."""
    head, sep, body = raw.partition(b"\r\n\r\n")
    head = re.sub(rb"(?im)^(Host:\s*[^\r\n:]+):\d+$", rb"\g<1>:%d" % port, head)
    return head + sep + body


class TestCaptureReplay(ServerCase):
    """Requests recorded from real ONVIF clients, replayed byte for byte (only
    the Host header's port is rewritten): 200, the right response element, and
    the connection handling the client asked for.

    The recorded UsernameTokens were created between 16:37 and 16:41 UTC on
    2026-11-26: the server judges Created against a clock shifted to then
    ([security] token_time_offset_s). The agsh Digest retries carry an
    Authorization for the capture proxy's nonce, which this server never
    issued: for a protected operation the right answer is a new challenge."""

    SECTIONS = {"security": {"token_time_offset_s": int(
        datetime.datetime(2026, 11, 26, 16, 39, tzinfo=datetime.timezone.utc).timestamp() - time.time())}}

    def replay(self, path):
        with open(path, "rb") as f:
            raw = f.read()
        op = re.match(r"\d\d-(\w+)\.http$", os.path.basename(path)).group(1)
        wants_close = re.search(rb"(?im)^Connection:\s*close\s*$", raw.partition(b"\r\n\r\n")[0]) is not None
        head = raw.partition(b"\r\n\r\n")[0]
        foreign_digest = re.search(rb"(?im)^Authorization:\s*Digest", head) is not None
        with Conn(self.srv.port) as c:
            c.send(rewrite_host_port(raw, self.srv.port))
            resp = c.read_response()
            if foreign_digest and op not in PRE_AUTH_OPS:
                self.assertEqual(resp.status, 401, resp.body[:800])
                self.assertIn("Digest", resp.header("www-authenticate", ""))
                return
            self.assertEqual(resp.status, 200, resp.body[:800])
            self.assertTrue(resp.header("content-type", "").startswith("application/soap+xml"), resp.headers)
            el = body_child(resp.body)
            self.assertEqual(el.tag, TDS + op + "Response")
            device = "http://%s:%d%s" % (HOST, self.srv.port, DEVICE_PATH)
            if op == "GetDeviceInformation":
                self.assertEqual(element_text(el, "tds:SerialNumber"), TEST_DEVICE["serial_number"])
            elif op == "GetSystemDateAndTime":
                year = el.findtext("tds:SystemDateAndTime/tt:UTCDateTime/tt:Date/tt:Year", namespaces=NS)
                self.assertEqual(int(year or 0), datetime.datetime.now(datetime.timezone.utc).year, resp.body[:800])
            elif op == "GetCapabilities":
                self.assertEqual(el.findtext("tds:Capabilities/tt:Device/tt:XAddr", namespaces=NS), device)
            elif op == "GetServices":
                services = {s.findtext("tds:Namespace", namespaces=NS): s.findtext("tds:XAddr", namespaces=NS)
                            for s in el.findall("tds:Service", NS)}
                self.assertEqual(services.get(NS["tds"]), device, services)
            elif op == "GetServiceCapabilities":
                self.assertIsNotNone(el.find("tds:Capabilities/tds:Network", NS), resp.body[:800])
            if wants_close:
                self.assertTrue(resp.connection_close(), "client sent Connection: close; response %s" % resp.headers)
                self.assertTrue(c.closed_by_peer(2.0), "server kept the connection after Connection: close")
            else:
                self.assertFalse(resp.connection_close(), resp.headers)
                self.assertIn("timeout", resp.keep_alive_params(), resp.headers)
                self.assertFalse(c.closed_by_peer(0.2), "server closed a keep-alive connection at once")

    @classmethod
    def add_tests(cls):
        files = capture_files()
        for path in files:
            name = "test_replay_%s_%s" % (os.path.basename(os.path.dirname(path)).replace("-", "_"),
                                          os.path.basename(path)[:-5].replace("-", "_"))
            setattr(cls, name, lambda self, p=path: self.replay(p))
        if not files:
            def test_replay_captures_present(self):
                self.fail("no replayable captures under %s" % CAPTURES)
            cls.test_replay_captures_present = test_replay_captures_present


TestCaptureReplay.add_tests()


# --- keep-alive --------------------------------------------------------------------

KEEPALIVE_S = 2
GAP_BELOW, GAP_ABOVE = 1.7, 2.3
POOL_REQUESTS = 2000
GAP_EVERY = 200
POOL_BUDGET_S = 40.0


def pool_schedule():
    """Request index -> idle gap before it, alternating just below and just
    above the server's keep-alive timeout."""
    gaps = {}
    for n, i in enumerate(range(GAP_EVERY, POOL_REQUESTS, GAP_EVERY)):
        gaps[i] = GAP_BELOW if n % 2 == 0 else GAP_ABOVE
    return gaps


class TestKeepAlive(ServerCase):
    SERVER = {"keepalive_timeout_s": KEEPALIVE_S, "keepalive_max_requests": 100}

    def test_keep_alive_advertised(self):
        with Conn(self.srv.port) as c:
            for i in range(3):
                resp = call(self.srv.port, GSDT, conn=c)
                self.assertGsdtOk(resp)
                self.assertFalse(resp.connection_close(), resp.headers)
                params = resp.keep_alive_params()
                self.assertEqual(params.get("timeout"), KEEPALIVE_S, resp.headers)
                self.assertIn("max", params, resp.headers)

    def test_idle_connection_closed_only_after_timeout(self):
        with Conn(self.srv.port) as c:
            self.assertGsdtOk(call(self.srv.port, GSDT, conn=c))
            t0 = time.monotonic()
            self.assertFalse(c.closed_by_peer(KEEPALIVE_S - 0.4), "closed before the advertised timeout")
            self.assertTrue(c.closed_by_peer(KEEPALIVE_S + 1.5 - (time.monotonic() - t0)),
                            "idle connection still open %.1f s after the advertised timeout" % 1.5)
            self.assertEqual(c.buf, b"", "server sent bytes on an idle connection")
        self.assertHealthy()

    def test_reuse_just_below_timeout(self):
        with Conn(self.srv.port) as c:
            self.assertGsdtOk(call(self.srv.port, GSDT, conn=c))
            time.sleep(GAP_BELOW)
            self.assertGsdtOk(call(self.srv.port, GSDT, conn=c))

    def test_client_connection_close(self):
        with Conn(self.srv.port) as c:
            resp = post(self.srv.port, DEVICE_PATH, soap12(GSDT), {"Connection": "close"}, conn=c)
            self.assertGsdtOk(resp)
            self.assertTrue(resp.connection_close(), resp.headers)
            self.assertTrue(c.closed_by_peer(2.0))

    def run_pool(self, client):
        """2000 sequential requests through a pooling client, with idle gaps;
        returns (errors, bad responses, keep-alive headers seen, stats delta)."""
        before = self.srv.stats()
        url = "http://%s:%d%s" % (HOST, self.srv.port, DEVICE_PATH)
        body = soap12(GSDT)
        gaps = pool_schedule()
        errors, bad, keepalive = [], [], set()

        def record(i, status, headers, data):
            if status != 200 or b"GetSystemDateAndTimeResponse" not in data:
                bad.append((i, status, data[:200]))
            if "close" not in headers.get("connection", "").lower():
                keepalive.add(headers.get("keep-alive"))

        async def with_aiohttp():
            import aiohttp
            # As Home Assistant's shared session: large pool, aiohttp's default
            # 15 s client-side keep-alive (longer than the server's).
            connector = aiohttp.TCPConnector(limit=4096, limit_per_host=100, enable_cleanup_closed=True)
            timeout = aiohttp.ClientTimeout(total=10)
            async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
                for i in range(POOL_REQUESTS):
                    if i in gaps:
                        await asyncio.sleep(gaps[i])
                    try:
                        async with session.post(url, data=body, headers={"Content-Type": SOAP12_CT}) as r:
                            data = await r.read()
                            record(i, r.status, {k.lower(): v for k, v in r.headers.items()}, data)
                    except (aiohttp.ClientError, asyncio.TimeoutError) as e:
                        errors.append((i, repr(e)))

        async def with_httpx():
            import httpx
            # As onvif-zeep-async (Home Assistant's ONVIF library): httpx with
            # idle connections expired after 4 s on the client side.
            limits = httpx.Limits(max_connections=100, max_keepalive_connections=10, keepalive_expiry=4.0)
            async with httpx.AsyncClient(limits=limits, timeout=10.0) as client:
                for i in range(POOL_REQUESTS):
                    if i in gaps:
                        await asyncio.sleep(gaps[i])
                    try:
                        r = await client.post(url, content=body, headers={"Content-Type": SOAP12_CT})
                        record(i, r.status_code, {k.lower(): v for k, v in r.headers.items()}, r.content)
                    except httpx.HTTPError as e:
                        errors.append((i, repr(e)))

        coro = with_aiohttp() if client == "aiohttp" else with_httpx()
        t0 = time.monotonic()
        asyncio.run(asyncio.wait_for(coro, POOL_BUDGET_S))
        elapsed = time.monotonic() - t0
        after = self.srv.stats()
        delta = {k: after.get(k, 0) - before.get(k, 0) for k in after}
        return errors, bad, keepalive, delta, elapsed

    def check_pool(self, client):
        errors, bad, keepalive, delta, elapsed = self.run_pool(client)
        self.assertEqual(errors, [], "%d client errors, first: %s" % (len(errors), errors[:5]))
        self.assertEqual(bad, [], "%d bad responses, first: %s" % (len(bad), bad[:3]))
        self.assertLess(elapsed, POOL_BUDGET_S)
        self.assertEqual({re.sub(r"\s", "", k or "").split(",")[0] for k in keepalive}, {"timeout=%d" % KEEPALIVE_S},
                         "Keep-Alive headers seen: %s" % keepalive)
        # The pool really reused connections (at most 100 requests each, plus
        # a new one after each long gap), and the server counted it.
        self.assertGreaterEqual(delta["accepted"], POOL_REQUESTS // 100)
        self.assertLessEqual(delta["accepted"], POOL_REQUESTS // 100 + len(pool_schedule()) + 5)
        self.assertGreaterEqual(delta["keepalive_reuses"], POOL_REQUESTS - delta["accepted"] - 5)
        self.assertHealthy()

    def test_pool_aiohttp_2000_requests_with_idle_gaps(self):
        self.check_pool("aiohttp")

    def test_pool_httpx_2000_requests_with_idle_gaps(self):
        self.check_pool("httpx")


class TestKeepAliveMax(ServerCase):
    SERVER = {"keepalive_timeout_s": 5, "keepalive_max_requests": 3}

    def test_close_after_max_requests(self):
        with Conn(self.srv.port) as c:
            for i in range(3):
                resp = call(self.srv.port, GSDT, conn=c)
                self.assertGsdtOk(resp)
                if i < 2:
                    self.assertFalse(resp.connection_close(), "response %d: %s" % (i + 1, resp.headers))
                    self.assertIn("max", resp.keep_alive_params())
            self.assertTrue(resp.connection_close(), "response 3 of max 3: %s" % resp.headers)
            self.assertTrue(c.closed_by_peer(2.0), "not closed after keepalive_max_requests")
        self.assertHealthy()


# --- abuse ------------------------------------------------------------------------

class TestAbuse(ServerCase):
    """Each test misbehaves, then checks that the server still answers and
    has released every socket (fd count back to the baseline)."""

    MAX_BYTES = 65536
    HEADER_TIMEOUT_S = 2.0
    SERVER = {"max_request_bytes": MAX_BYTES, "header_timeout_ms": 2000, "body_timeout_ms": 2000,
              "keepalive_timeout_s": 2}

    def post_on(self, data, headers=None):
        with Conn(self.srv.port) as c:
            c.request(DEVICE_PATH, data, headers)
            try:
                return c.read_response()
            except PeerClosed as e:
                self.fail("the server closed the connection instead of answering (%s)" % e)

    def test_malformed_xml(self):
        resp = self.post_on(b'<?xml version="1.0"?><env:Envelope xmlns:env="%s"><env:Body><tds:GetSystemDateAndTime'
                            % NS["env"].encode())
        self.assertClientError(resp, "malformed XML")
        self.assertHealthy()

    def test_non_xml_body(self):
        resp = self.post_on(b"hello, this is not XML at all\r\n")
        self.assertClientError(resp, "non-XML body")
        self.assertHealthy()

    def test_wrong_content_type(self):
        resp = self.post_on(soap12(GSDT), {"Content-Type": "application/json"})
        self.assertClientError(resp, "Content-Type application/json")
        self.assertHealthy()

    def test_unknown_operation_keeps_connection(self):
        with Conn(self.srv.port) as c:
            resp = call(self.srv.port, '<x:Frobnicate xmlns:x="urn:example:not-onvif"/>', conn=c)
            self.assertFault(resp)
            self.assertFalse(resp.connection_close(), resp.headers)
            self.assertGsdtOk(call(self.srv.port, GSDT, conn=c))
        self.assertHealthy()

    def test_body_just_under_limit(self):
        data = soap12(GSDT)
        data = data.replace(b"<env:Body>", b"<env:Body>" + b" " * (self.MAX_BYTES - 1024 - len(data)))
        self.assertGsdtOk(self.post_on(data))
        self.assertHealthy()

    def check_too_large(self, resp, c):
        self.assertEqual(resp.status, 413, resp.body[:300])
        self.assertTrue(resp.connection_close(), resp.headers)
        self.assertTrue(c.closed_by_peer(2.0), "connection open after 413")

    def test_body_over_limit(self):
        data = soap12(GSDT)
        data = data.replace(b"<env:Body>", b"<env:Body>" + b" " * (2 * self.MAX_BYTES))
        with Conn(self.srv.port) as c:
            try:
                c.request(DEVICE_PATH, data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server may answer before reading it all; the 413 must still be there
            self.check_too_large(c.read_response(), c)
        self.assertHealthy()

    def test_content_length_over_limit_answered_without_body(self):
        with Conn(self.srv.port) as c:
            c.send(build_request(self.srv.port, DEVICE_PATH, None,
                                 {"Content-Type": SOAP12_CT, "Content-Length": str(10 * self.MAX_BYTES)}))
            self.check_too_large(c.read_response(timeout=1.5), c)
        self.assertHealthy()

    def test_chunked_body_over_limit(self):
        chunk = b" " * 8192
        with Conn(self.srv.port) as c:
            c.send(build_request(self.srv.port, DEVICE_PATH, None,
                                 {"Content-Type": SOAP12_CT, "Transfer-Encoding": "chunked"}))
            try:
                for _ in range(2 * self.MAX_BYTES // len(chunk)):
                    c.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                c.send(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.check_too_large(c.read_response(), c)
        self.assertHealthy()

    def test_no_content_length(self):
        with Conn(self.srv.port) as c:
            c.send(build_request(self.srv.port, DEVICE_PATH, None, {"Content-Type": SOAP12_CT}) + soap12(GSDT))
            resp = c.read_response()
            self.assertIn(resp.status, (400, 411))
            self.assertTrue(resp.connection_close(), resp.headers)
            self.assertTrue(c.closed_by_peer(2.0), "connection open after %d" % resp.status)
        self.assertHealthy()

    def test_chunked_body(self):
        data = soap12(GSDT)
        chunks = b"".join(b"%x\r\n%s\r\n" % (len(data[i:i + 37]), data[i:i + 37]) for i in range(0, len(data), 37))
        with Conn(self.srv.port) as c:
            c.send(build_request(self.srv.port, DEVICE_PATH, None,
                                 {"Content-Type": SOAP12_CT, "Transfer-Encoding": "chunked"}))
            c.send(chunks + b"0\r\n\r\n")
            resp = c.read_response()
            self.assertGsdtOk(resp)
            self.assertFalse(resp.connection_close())
            self.assertGsdtOk(call(self.srv.port, GSDT, conn=c))
        self.assertHealthy()

    def test_slowloris_headers(self):
        """One header byte every 0.5 s: closed at header_timeout (2 s), not
        before, and not much after."""
        with Conn(self.srv.port) as c:
            t0 = time.monotonic()
            c.send(b"POST /onvif/device_service HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            closed_at = None
            for _ in range(12):  # 6 s at most
                try:
                    c.send(b"a")
                except (BrokenPipeError, ConnectionResetError):
                    closed_at = time.monotonic() - t0
                    break
                if c.closed_by_peer(0.5):
                    closed_at = time.monotonic() - t0
                    break
            self.assertIsNotNone(closed_at, "slow headers kept the connection open for 6 s")
            self.assertGreaterEqual(closed_at, self.HEADER_TIMEOUT_S - 0.3, "closed before header_timeout_ms")
            self.assertLessEqual(closed_at, self.HEADER_TIMEOUT_S + 1.0, "closed %.1f s late" % closed_at)
            if c.buf:
                self.assertTrue(c.buf.startswith(b"HTTP/1.1 408"), c.buf[:100])
        self.assertHealthy()

    def test_slow_body(self):
        """Headers complete, body stalls: 408 (or a close) by body_timeout_ms."""
        with Conn(self.srv.port) as c:
            t0 = time.monotonic()
            c.send(build_request(self.srv.port, DEVICE_PATH, None,
                                 {"Content-Type": SOAP12_CT, "Content-Length": "1000"}) + b"<env:Envelope")
            closed = c.closed_by_peer(2.0 + 1.5)
            elapsed = time.monotonic() - t0
            self.assertTrue(closed, "stalled body kept the connection open for 3.5 s")
            self.assertGreaterEqual(elapsed, 2.0 - 0.3)
            if c.buf:
                self.assertTrue(c.buf.startswith(b"HTTP/1.1 408"), c.buf[:100])
        self.assertHealthy()

    def test_client_reset_mid_request(self):
        for _ in range(10):
            c = Conn(self.srv.port)
            c.send(build_request(self.srv.port, DEVICE_PATH, None,
                                 {"Content-Type": SOAP12_CT, "Content-Length": "600"}) + soap12(GSDT)[:200])
            time.sleep(0.02)
            c.reset()
        self.assertHealthy()

    def test_client_reset_before_reading_response(self):
        body = soap12("<tds:GetServices><tds:IncludeCapability>true</tds:IncludeCapability></tds:GetServices>")
        for _ in range(20):
            c = Conn(self.srv.port)
            c.request(DEVICE_PATH, body)
            c.reset()
        self.assertHealthy()

    def test_half_close_after_request(self):
        with Conn(self.srv.port) as c:
            c.request(DEVICE_PATH, soap12("<tds:GetDeviceInformation/>", username_token(*ADMIN)))
            c.sock.shutdown(socket.SHUT_WR)
            resp = c.read_response()
            self.assertEqual(resp.status, 200)
            self.assertEqual(body_child(resp.body).tag, TDS + "GetDeviceInformationResponse")
            self.assertTrue(c.closed_by_peer(2.0), "server did not close after the client's FIN")
        self.assertHealthy()

    def test_pipelined_requests(self):
        ops = ("GetSystemDateAndTime", "GetDeviceInformation", "GetWsdlUrl")
        with Conn(self.srv.port) as c:
            c.send(b"".join(build_request(self.srv.port, DEVICE_PATH, soap12("<tds:%s/>" % op, username_token(*ADMIN)))
                            for op in ops))
            for op in ops:
                resp = c.read_response()
                self.assertEqual(resp.status, 200, op)
                self.assertEqual(body_child(resp.body).tag, TDS + op + "Response")
            self.assertEqual(c.buf, b"")
        self.assertHealthy()

    def test_300_idle_connections(self):
        n = 300
        socks = []
        try:
            for _ in range(n):
                socks.append(socket.create_connection((HOST, self.srv.port), timeout=5))
            deadline = time.monotonic() + 3.0
            while self.srv.fd_count() < self.baseline + n and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertGreaterEqual(self.srv.fd_count(), self.baseline + n, "server did not accept all %d" % n)
            t0 = time.monotonic()
            self.assertGsdtOk(call(self.srv.port, GSDT))
            self.assertLess(time.monotonic() - t0, 2.0, "slow answer while %d connections idle" % n)
            # Half are closed by the client, the rest must be closed by the server.
            for s in socks[:n // 2]:
                s.close()
            waiting = {s.fileno(): s for s in socks[n // 2:]}
            deadline = time.monotonic() + max(self.HEADER_TIMEOUT_S, 2) + 3.0
            for _ in range(1000):
                left = deadline - time.monotonic()
                if not waiting or left <= 0:
                    break
                ready, _, _ = select.select(list(waiting), [], [], left)
                for fd in ready:
                    try:
                        data = waiting[fd].recv(4096)
                    except ConnectionResetError:
                        data = b""
                    if not data:
                        del waiting[fd]  # closed by the server
                    elif not data.startswith(b"HTTP/1.1 408"):  # a 408 before the close is fine
                        self.fail("unexpected bytes on an idle connection: %r" % data[:100])
            self.assertEqual(len(waiting), 0, "%d idle connections still open" % len(waiting))
            self.assertGsdtOk(call(self.srv.port, GSDT))
        finally:
            for s in socks:
                s.close()
        self.assertHealthy()


class TestMaxConnections(ServerCase):
    SERVER = {"max_connections": 5, "keepalive_timeout_s": 10, "header_timeout_ms": 10000}

    def test_over_limit_closed_at_once(self):
        deadline = time.monotonic() + 3.0
        while time.monotonic() < deadline and self.srv.stats()["open"] > 0:
            time.sleep(0.1)  # the warm-up connections are gone
        conns = [Conn(self.srv.port) for _ in range(5)]
        try:
            for c in conns:
                self.assertGsdtOk(call(self.srv.port, GSDT, conn=c))
            with Conn(self.srv.port) as extra:
                self.assertTrue(extra.closed_by_peer(1.0), "connection past max_connections not closed at once")
            for c in conns:  # the 5 admitted ones still work
                self.assertGsdtOk(call(self.srv.port, GSDT, conn=c))
        finally:
            for c in conns:
                c.close()
        deadline = time.monotonic() + 3.0
        while time.monotonic() < deadline and self.srv.stats()["open"] > 0:
            time.sleep(0.1)
        self.assertHealthy()


# --- statistics --------------------------------------------------------------------

class TestStats(ServerCase):
    def wait_open(self, n, timeout=3.0):
        deadline = time.monotonic() + timeout
        stats = self.srv.stats()
        while stats["open"] != n and time.monotonic() < deadline:
            time.sleep(0.1)
            stats = self.srv.stats()
        return stats

    def test_stats_line_fields(self):
        stats = self.srv.stats()
        for field in ("open", "accepted", "closed", "keepalive_reuses", "timeouts", "errors"):
            self.assertIn(field, stats)
        self.assertEqual(stats["accepted"], stats["open"] + stats["closed"])

    def test_counts_follow_connections(self):
        before = self.wait_open(0)
        self.assertEqual(before["open"], 0)
        conns = [Conn(self.srv.port) for _ in range(5)]
        try:
            for c in conns:
                self.assertGsdtOk(call(self.srv.port, GSDT, conn=c))
                self.assertGsdtOk(call(self.srv.port, GSDT, conn=c))
            during = self.srv.stats()
            self.assertEqual(during["accepted"] - before["accepted"], 5)
            self.assertEqual(during["open"], 5)
            self.assertEqual(during["keepalive_reuses"] - before["keepalive_reuses"], 5)
        finally:
            for c in conns:
                c.close()
        after = self.wait_open(0)
        self.assertEqual(after["open"], 0)
        self.assertEqual(after["closed"] - before["closed"], 5)
        self.assertEqual(after["accepted"], before["accepted"] + 5)


# --- process lifecycle ---------------------------------------------------------------

def descendants(pid):
    found, todo = set(), [pid]
    for _ in range(1000):
        if not todo:
            break
        p = todo.pop()
        for task in glob.glob("/proc/%d/task/*/children" % p):
            try:
                with open(task) as f:
                    kids = [int(k) for k in f.read().split()]
            except OSError:
                continue
            for k in kids:
                if k not in found:
                    found.add(k)
                    todo.append(k)
    return found


class TestShutdown(unittest.TestCase):
    def stop_with_open_connections(self, sig):
        with Server(server={"shutdown_grace_ms": 1500, "keepalive_timeout_s": 30, "header_timeout_ms": 30000}) as srv:
            conns = []
            try:
                for i in range(50):
                    c = Conn(srv.port)
                    conns.append(c)
                    if i % 3 == 0:  # idle after a complete request
                        call(srv.port, GSDT, conn=c)
                    elif i % 3 == 1:  # half a request
                        c.send(b"POST /onvif/device_service HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                    # else: connected, nothing sent
                kids = descendants(srv.pid)
                t0 = time.monotonic()
                srv.proc.send_signal(sig)
                try:
                    code = srv.proc.wait(2.0)
                except subprocess.TimeoutExpired:
                    self.fail("server still running 2 s after signal %d with 50 connections; stderr:\n%s"
                              % (sig, srv.stderr_text()))
                elapsed = time.monotonic() - t0
                self.assertEqual(code, 0, "exit code after signal %d; stderr:\n%s" % (sig, srv.stderr_text()))
                self.assertLess(elapsed, 2.0)
                for k in kids:
                    self.assertFalse(os.path.exists("/proc/%d" % k), "child %d left running" % k)
                with self.assertRaises(OSError):
                    socket.create_connection((HOST, srv.port), timeout=1).close()
            finally:
                for c in conns:
                    c.close()

    def test_sigterm_with_50_open_connections(self):
        self.stop_with_open_connections(signal.SIGTERM)

    def test_sigint_exits_cleanly(self):
        self.stop_with_open_connections(signal.SIGINT)


class TestCommandLine(unittest.TestCase):
    def run_binary(self, *args, timeout=10):
        return subprocess.run([binary_path()] + list(args), stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=timeout)

    def test_version(self):
        r = self.run_binary("--version")
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout.decode(), r"^onvifd \S+")

    def test_help(self):
        r = self.run_binary("--help")
        self.assertEqual(r.returncode, 0)
        for option in ("--config", "--port", "--bind", "--foreground", "--log-level", "--print-default-config"):
            self.assertIn(option, r.stdout.decode())

    def test_printed_default_config_is_loadable(self):
        r = self.run_binary("--print-default-config")
        self.assertEqual(r.returncode, 0)
        text = r.stdout.decode()
        for key in ("max_connections", "max_request_bytes", "header_timeout_ms", "keepalive_timeout_s",
                    "manufacturer", "serial_number"):
            self.assertRegex(text, r"(?m)^%s\s*=" % key)
        with Server(config=text) as srv:
            el = body_child(call(srv.port, "<tds:GetDeviceInformation/>").body)
            default_manufacturer = re.search(r"(?m)^manufacturer\s*=\s*(.*?)\s*$", text).group(1)
            self.assertEqual(el.find("tds:Manufacturer", NS).text, default_manufacturer)

    def test_bad_config_names_file_line_and_field(self):
        cases = [("port = banana", "server.port"), ("keepalive_timeout_s = -5", "server.keepalive_timeout_s"),
                 ("no_such_key = 1", "no_such_key")]
        for line, field in cases:
            with self.subTest(line=line), tempfile.TemporaryDirectory() as tmp:
                path = os.path.join(tmp, "bad.conf")
                with open(path, "w") as f:
                    f.write("# comment\n[server]\nbind = 127.0.0.1\n%s\n" % line)
                r = self.run_binary("--foreground", "--config", path, "--port", "0", timeout=10)
                err = r.stderr.decode()
                self.assertNotEqual(r.returncode, 0, err)
                self.assertIn(path, err)
                self.assertRegex(err, r"\b4\b", "line number 4 missing: %s" % err)
                self.assertIn(field, err)

    def test_missing_config_file(self):
        r = self.run_binary("--foreground", "--config", "/nonexistent/onvifd.conf", "--port", "0")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("/nonexistent/onvifd.conf", r.stderr.decode())


if __name__ == "__main__":
    unittest.main()
