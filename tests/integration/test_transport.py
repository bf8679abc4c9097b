"""Transport: HTTPS (the foundation's keep-alive and abuse suites again over
TLS, handshake abuse, certificate reload), gzip both ways with the inflate
limit, IPv6 on ::1. Run: cd tests/integration && python3 -m unittest test_transport
"""
import gzip
import os
import shutil
import signal
import socket
import ssl
import time
import unittest

import harness
from device_support import assert_time_answer
import test_foundation as foundation
from harness import (DEVICE_PATH, HOST, NS, Conn, Server, body_child, build_request, call, post, settle_fds,
                     soap12, username_token, wait_fd_baseline)
from prerequisites import missing
from transport_support import OverTls, TlsConn, client_context, https_port, make_cert, tls_sections

GSDT = "<tds:GetSystemDateAndTime/>"
GET_SERVICES = "<tds:GetServices><tds:IncludeCapability>true</tds:IncludeCapability></tds:GetServices>"
TDS = "{%s}" % NS["tds"]

PATCH = (harness, foundation)


# --- the foundation suites over TLS ----------------------------------------------

class TestKeepAliveOverTls(OverTls, foundation.TestKeepAlive):
    PATCH_MODULES = PATCH

    # The pooled-client runs use http:// URLs of their own; the raw keep-alive
    # tests above them cover the TLS path.
    test_pool_aiohttp_2000_requests_with_idle_gaps = None
    test_pool_httpx_2000_requests_with_idle_gaps = None


class TestKeepAliveMaxOverTls(OverTls, foundation.TestKeepAliveMax):
    PATCH_MODULES = PATCH


class TestAbuseOverTls(OverTls, foundation.TestAbuse):
    PATCH_MODULES = PATCH
    # Raw TCP clients that never start a handshake are dropped on this deadline
    # (test_300_idle_connections expects the header timeout's bound).
    TLS_EXTRA = {"tls_handshake_timeout_ms": int(foundation.TestAbuse.HEADER_TIMEOUT_S * 1000)}

    def test_half_close_after_request(self):
        # As the foundation test, but Python's SSLSocket.shutdown() would drop
        # the TLS layer: half-close the TCP socket under it instead (a FIN
        # without close_notify, as many embedded clients do).
        with TlsConn(self.srv.port) as c:
            c.request(DEVICE_PATH, soap12("<tds:GetDeviceInformation/>", username_token("admin", "admin")))
            socket.socket.shutdown(c.sock, socket.SHUT_WR)
            resp = c.read_response()
            self.assertEqual(resp.status, 200)
            self.assertEqual(body_child(resp.body).tag, TDS + "GetDeviceInformationResponse")
            self.assertTrue(c.closed_by_peer(2.0), "server did not close after the client's FIN")
        self.assertHealthy()


# --- TLS specifics ------------------------------------------------------------------

class TlsCase(foundation.ServerCase):
    HANDSHAKE_MS = 1000

    @classmethod
    def setUpClass(cls):
        import tempfile
        cls.tmp = tempfile.TemporaryDirectory(prefix="onvifd-tls-")
        cls.addClassCleanup(cls.tmp.cleanup)
        cls.cert, cls.key = make_cert(cls.tmp.name)
        # The server reads these paths; reload tests replace the files.
        cls.cert_path = os.path.join(cls.tmp.name, "server-cert.pem")
        cls.key_path = os.path.join(cls.tmp.name, "server-key.pem")
        shutil.copy(cls.cert, cls.cert_path)
        shutil.copy(cls.key, cls.key_path)
        cls.srv = Server(sections=tls_sections(cls.cert_path, cls.key_path,
                                               tls_handshake_timeout_ms=cls.HANDSHAKE_MS))
        cls.addClassCleanup(cls.srv.close)
        cls.srv.start()
        cls.http_port = cls.srv.port
        cls.tls_port = https_port(cls.srv)
        call(cls.http_port, GSDT)
        call(cls.tls_port, GSDT, conn=TlsConn(cls.tls_port))
        cls.baseline = settle_fds(cls.srv)

    def tls_call(self, body, **kw):
        with TlsConn(self.tls_port, **kw) as c:
            return call(self.tls_port, body, conn=c)

    def assertBaseline(self):
        count = wait_fd_baseline(self.srv, self.baseline, 3.0 + self.HANDSHAKE_MS / 1000)
        self.assertLessEqual(count, self.baseline, self.fd_listing())


class TestHttps(TlsCase):
    def test_xaddrs_use_https_and_the_tls_port(self):
        resp = self.tls_call(GET_SERVICES)
        self.assertEqual(resp.status, 200, resp.body[:300])
        xaddrs = [e.text for e in body_child(resp.body).iter(TDS + "XAddr")]
        self.assertTrue(xaddrs)
        for x in xaddrs:
            self.assertTrue(x.startswith("https://127.0.0.1:%d/" % self.tls_port), x)
        # The same server answers plain HTTP with http:// XAddrs.
        plain = call(self.http_port, GET_SERVICES)
        for e in body_child(plain.body).iter(TDS + "XAddr"):
            self.assertTrue(e.text.startswith("http://127.0.0.1:%d/" % self.http_port), e.text)

    def test_verified_handshake_with_the_configured_certificate(self):
        ctx = client_context(cafile=self.cert_path)
        raw = socket.create_connection((HOST, self.tls_port), timeout=5)
        with ctx.wrap_socket(raw) as s:
            self.assertIn(s.version(), ("TLSv1.2", "TLSv1.3"))

    def test_tls_1_1_refused(self):
        ctx = client_context(minimum=ssl.TLSVersion.TLSv1, maximum=ssl.TLSVersion.TLSv1_1)
        try:
            ctx.set_ciphers("ALL:@SECLEVEL=0")
        except ssl.SSLError:
            pass
        raw = socket.create_connection((HOST, self.tls_port), timeout=5)
        with self.assertRaises((ssl.SSLError, ConnectionResetError)):
            with ctx.wrap_socket(raw):
                pass
        raw.close()
        self.assertHealthy()
        self.assertBaseline()

    def test_tls_1_2_works(self):
        old = TlsConn.context
        TlsConn.context = client_context(maximum=ssl.TLSVersion.TLSv1_2)
        try:
            with TlsConn(self.tls_port) as c:
                self.assertEqual(c.sock.version(), "TLSv1.2")
                assert_time_answer(self, call(self.tls_port, GSDT, conn=c))
        finally:
            TlsConn.context = old

    def test_abort_mid_handshake_leaks_nothing(self):
        # A ClientHello cut short, a TCP connection that never speaks, a
        # ClientHello then RST: every one is closed, with its SSL object.
        hello = bytes.fromhex("16030100c8010000c40303") + os.urandom(32)
        for i in range(30):
            s = socket.create_connection((HOST, self.tls_port), timeout=5)
            if i % 3 == 0:
                s.sendall(hello)
            elif i % 3 == 1:
                s.sendall(b"\x16\x03\x01")
            if i % 2:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            s.close()
        self.assertHealthy()
        self.assertBaseline()

    def test_silent_client_dropped_after_handshake_timeout(self):
        s = socket.create_connection((HOST, self.tls_port), timeout=5)
        try:
            s.settimeout(self.HANDSHAKE_MS / 1000 + 3.0)
            t0 = time.monotonic()
            data = s.recv(100)
            self.assertEqual(data, b"", "server sent bytes to a client that never said hello")
            self.assertGreaterEqual(time.monotonic() - t0, self.HANDSHAKE_MS / 1000 - 0.3)
        finally:
            s.close()
        self.assertBaseline()

    def test_plain_http_on_the_tls_port_is_dropped(self):
        with Conn(self.tls_port) as c:
            c.request(DEVICE_PATH, soap12(GSDT))
            self.assertTrue(c.closed_by_peer(3.0))
        self.assertHealthy()
        self.assertBaseline()

    def test_close_notify_before_fin(self):
        # Connection: close over TLS: the client sees close_notify (a clean
        # SSL EOF, no error), then the TCP close.
        with TlsConn(self.tls_port) as c:
            resp = post(self.tls_port, DEVICE_PATH, soap12(GSDT, username_token("admin", "admin")),
                        {"Connection": "close"}, conn=c)
            assert_time_answer(self, resp)
            self.assertTrue(resp.connection_close())
            c.sock.settimeout(3.0)
            self.assertEqual(c.sock.recv(100), b"")  # ssl.SSLEOFError would mean no close_notify
        self.assertBaseline()

    def test_gzip_over_tls(self):
        with TlsConn(self.tls_port) as c:
            c.request(DEVICE_PATH, soap12(GET_SERVICES, username_token("admin", "admin")),
                      {"Accept-Encoding": "gzip"})
            resp = c.read_response()  # harness.Conn inflates gzip bodies
            self.assertEqual(resp.header("content-encoding"), "gzip")
            self.assertEqual(body_child(resp.body).tag, TDS + "GetServicesResponse")


class TestCertificateReload(TlsCase):
    def test_sighup_reloads_without_dropping_connections(self):
        before = self.srv.stats()
        with TlsConn(self.tls_port) as kept:
            assert_time_answer(self, call(self.tls_port, GSDT, conn=kept))
            old_cert = kept.sock.getpeercert(binary_form=True)
            new_cert, new_key = make_cert(self.tmp.name, "second")
            shutil.copy(new_cert, self.cert_path)
            shutil.copy(new_key, self.key_path)
            start = len(self.srv.lines)
            os.kill(self.srv.pid, signal.SIGHUP)
            self.assertIsNotNone(self.srv.wait_line("TLS certificate reloaded", start=start))
            # The established connection goes on with its session...
            assert_time_answer(self, call(self.tls_port, GSDT, conn=kept))
            self.assertEqual(kept.sock.getpeercert(binary_form=True), old_cert)
            # ...and a new one gets the new certificate.
            with TlsConn(self.tls_port) as fresh:
                self.assertNotEqual(fresh.sock.getpeercert(binary_form=True), old_cert)
                with open(new_cert, "rb") as f:
                    self.assertEqual(fresh.sock.getpeercert(binary_form=True), ssl.PEM_cert_to_DER_cert(f.read().decode()))
                assert_time_answer(self, call(self.tls_port, GSDT, conn=fresh))
        self.assertEqual(self.srv.stats()["recv_errors"], before["recv_errors"])

    def test_bad_files_keep_the_old_certificate(self):
        with open(self.key_path, "rb") as f:
            good_key = f.read()
        with open(self.key_path, "wb") as f:
            f.write(b"not a key\n")
        try:
            start = len(self.srv.lines)
            os.kill(self.srv.pid, signal.SIGHUP)
            self.assertIsNotNone(self.srv.wait_line("TLS reload failed", start=start))
            assert_time_answer(self, self.tls_call(GSDT))
        finally:
            with open(self.key_path, "wb") as f:
                f.write(good_key)


class TestHttpsConfig(unittest.TestCase):
    def test_missing_certificate_is_a_start_error(self):
        srv = Server(sections={"transport": {"https": "true", "certificate": "/nonexistent.pem",
                                             "private_key": "/nonexistent.key"}})
        with self.assertRaises(harness.ServerError) as ctx:
            srv.start()
        srv.close()
        self.assertIn("nonexistent", str(ctx.exception))


# --- gzip --------------------------------------------------------------------------

class TestGzip(foundation.ServerCase):
    SERVER = {"max_request_bytes": 262144}

    @classmethod
    def setUpClass(cls):
        cls.srv = Server(server=cls.SERVER, sections={"transport": {"gzip_min_bytes": "2000",
                                                                    "max_inflated_bytes": "200000"}})
        cls.addClassCleanup(cls.srv.close)
        cls.srv.start()
        call(cls.srv.port, GSDT)
        cls.baseline = settle_fds(cls.srv)

    def send(self, body, headers):
        with Conn(self.srv.port) as c:
            c.request(DEVICE_PATH, body, headers)
            return c.read_response()

    def request(self, body_xml):
        return soap12(body_xml, username_token("admin", "admin"))

    def assertServices(self, resp, port=None):
        """resp is the GetServices answer of the server on port: its
        services and their XAddrs, the same whatever the encoding."""
        self.assertEqual(resp.status, 200, resp.body[:300])
        el = body_child(resp.body)
        self.assertEqual(el.tag, TDS + "GetServicesResponse")
        got = {s.findtext("tds:Namespace", namespaces=NS): s.findtext("tds:XAddr", namespaces=NS)
               for s in el.findall("tds:Service", NS)}
        base = "http://%s:%d" % (HOST, port or self.srv.port)
        self.assertEqual(got[NS["tds"]], base + DEVICE_PATH)
        self.assertEqual(got[NS["trt"]], base + "/onvif/media_service")
        self.assertGreaterEqual(len(got), 5, got)
        self.assertEqual(len(el.findall("tds:Service/tds:Capabilities", NS)), len(got))  # IncludeCapability

    def test_large_response_gzipped_when_accepted(self):
        resp = self.send(self.request(GET_SERVICES), {"Accept-Encoding": "gzip, deflate"})
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.header("content-encoding"), "gzip", resp.headers)
        plain = resp.body  # harness.Conn inflates gzip bodies
        self.assertGreater(len(plain), 2000)
        if resp.header("content-length"):
            self.assertLess(int(resp.header("content-length")), len(plain) // 2)
        self.assertServices(resp)
        # The same document a client without gzip gets.
        self.assertEqual(plain, self.send(self.request(GET_SERVICES), {}).body)

    def test_not_gzipped_without_accept_encoding(self):
        resp = self.send(self.request(GET_SERVICES), {})
        self.assertIsNone(resp.header("content-encoding"))
        self.assertServices(resp)

    def test_response_under_the_minimum_not_gzipped(self):
        with Server(sections={"transport": {"gzip_min_bytes": "100000"}}) as srv:
            with Conn(srv.port) as c:
                c.request(DEVICE_PATH, self.request(GET_SERVICES), {"Accept-Encoding": "gzip"})
                resp = c.read_response()
        self.assertEqual(resp.status, 200)
        self.assertLess(len(resp.body), 100000)
        self.assertIsNone(resp.header("content-encoding"), resp.headers)
        self.assertServices(resp, srv.port)

    def test_gzip_off(self):
        with Server(sections={"transport": {"gzip": "false"}}) as srv:
            with Conn(srv.port) as c:
                c.request(DEVICE_PATH, self.request(GET_SERVICES), {"Accept-Encoding": "gzip"})
                resp = c.read_response()
            self.assertIsNone(resp.header("content-encoding"), resp.headers)
            self.assertServices(resp, srv.port)

    def test_gzipped_request_accepted(self):
        resp = self.send(gzip.compress(self.request(GET_SERVICES)), {"Content-Encoding": "gzip"})
        self.assertServices(resp)

    def test_gzip_both_ways_on_one_keepalive_connection(self):
        with Conn(self.srv.port) as c:
            for _ in range(3):
                c.request(DEVICE_PATH, gzip.compress(self.request(GET_SERVICES)),
                          {"Content-Encoding": "gzip", "Accept-Encoding": "gzip"})
                resp = c.read_response()
                self.assertEqual(resp.status, 200)
                self.assertFalse(resp.connection_close())
                self.assertEqual(resp.header("content-encoding"), "gzip")
                self.assertServices(resp)

    def test_zip_bomb_gets_413_and_the_server_stays_well(self):
        envelope = self.request(GET_SERVICES)
        cut = envelope.index(b"</tds:GetServices>")
        bomb = gzip.compress(envelope[:cut] + b" " * (20 << 20) + envelope[cut:], 9)
        self.assertLess(len(bomb), 262144)
        with Conn(self.srv.port) as c:
            c.request(DEVICE_PATH, bomb, {"Content-Encoding": "gzip"})
            resp = c.read_response()
            self.assertEqual(resp.status, 413, resp.body[:300])
            # The stream stays in sync: the same connection still works.
            if not resp.connection_close():
                c.request(DEVICE_PATH, self.request(GSDT))
                assert_time_answer(self, c.read_response())
        self.assertHealthy()

    def test_corrupt_gzip_is_a_client_error(self):
        resp = self.send(b"\x1f\x8b\x08\x00garbage-not-deflate" * 10, {"Content-Encoding": "gzip"})
        self.assertTrue(400 <= resp.status < 500, resp.status)
        self.assertHealthy()


# --- IPv6 --------------------------------------------------------------------------

def ipv6_loopback():
    try:
        s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        s.bind(("::1", 0))
        s.close()
        return True
    except OSError:
        return False


ALLOW_DEFAULT_PASSWORD = {"security": {"allow_default_password": "true"}}


class TestIpv6(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not ipv6_loopback():
            # A host (or container) without ::1: nothing the device can change.
            missing("no IPv6 loopback on this host")

    def test_request_over_ipv6_loopback_with_bracketed_xaddrs(self):
        # (security's loopback check reads server.bind as one address; a
        # list of loopback addresses is loopback too, but until it says so
        # the default password must be allowed explicitly.)
        with Server(args=("--bind", "127.0.0.1, ::1"), sections=ALLOW_DEFAULT_PASSWORD) as srv:
            self.assertIsNotNone(srv.wait_line(r"listening on http://\[::1\]:%d/" % srv.port))
            with Conn(srv.port, host="::1") as c:
                c.request(DEVICE_PATH, soap12(GET_SERVICES, username_token("admin", "admin")), {"Host": "[::1]:%d" % srv.port})
                resp = c.read_response()
            self.assertEqual(resp.status, 200, resp.body[:300])
            xaddrs = [e.text for e in body_child(resp.body).iter(TDS + "XAddr")]
            self.assertTrue(xaddrs)
            for x in xaddrs:
                self.assertTrue(x.startswith("http://[::1]:%d/" % srv.port), x)
            # IPv4 still answers on the same port.
            assert_time_answer(self, call(srv.port, GSDT))

    def test_ipv6_off_skips_ipv6_addresses(self):
        with Server(args=("--bind", "127.0.0.1, ::1"),
                    sections=dict(ALLOW_DEFAULT_PASSWORD, transport={"ipv6": "false"})) as srv:
            time.sleep(0.2)
            self.assertFalse(any("[::1]" in line for line in srv.lines), srv.lines)
            with self.assertRaises(OSError):
                socket.create_connection(("::1", srv.port), timeout=2).close()


# --- Get/SetNetworkProtocols move the live listeners ---------------------------------

def _free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class TestNetworkProtocols(unittest.TestCase):
    """Core spec "SetNetworkProtocols": the device service switches the
    transport's HTTPS listener at run time; GetNetworkProtocols reports it."""

    def protocols(self, port):
        resp = call(port, "<tds:GetNetworkProtocols/>")
        self.assertEqual(resp.status, 200, resp.body[:300])
        out = {}
        for p in body_child(resp.body).findall("tds:NetworkProtocols", NS):
            out[p.find("tt:Name", NS).text] = (p.find("tt:Enabled", NS).text,
                                               [e.text for e in p.findall("tt:Port", NS)])
        return out

    def set_https(self, port, enabled, https_port):
        return call(port, "<tds:SetNetworkProtocols><tds:NetworkProtocols><tt:Name>HTTPS</tt:Name>"
                          "<tt:Enabled>%s</tt:Enabled><tt:Port>%d</tt:Port></tds:NetworkProtocols>"
                          "</tds:SetNetworkProtocols>" % ("true" if enabled else "false", https_port))

    def test_switch_https_off_and_on_again(self):
        import tempfile
        with tempfile.TemporaryDirectory(prefix="onvifd-np-") as tmp:
            cert, key = make_cert(tmp)
            with Server(sections=tls_sections(cert, key)) as srv:
                tls_port = https_port(srv)
                self.assertEqual(self.protocols(srv.port)["HTTPS"], ("true", [str(tls_port)]))
                resp = self.set_https(srv.port, False, tls_port)
                self.assertEqual(resp.status, 200, resp.body[:400])
                self.assertEqual(self.protocols(srv.port)["HTTPS"][0], "false")
                with self.assertRaises(OSError):
                    with TlsConn(tls_port) as c:
                        call(tls_port, GSDT, conn=c)
                new_port = _free_port()
                resp = self.set_https(srv.port, True, new_port)
                self.assertEqual(resp.status, 200, resp.body[:400])
                self.assertEqual(self.protocols(srv.port)["HTTPS"], ("true", [str(new_port)]))
                with TlsConn(new_port) as c:
                    assert_time_answer(self, call(new_port, GSDT, conn=c))
                # The HTTP listener this request came in on was never touched.
                assert_time_answer(self, call(srv.port, GSDT))


if __name__ == "__main__":
    unittest.main()
