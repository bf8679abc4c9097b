"""Helpers for test_events.py: event service requests, pull point addresses,
the control-socket injector, and small push consumers (good, hanging,
garbage; plain or TLS) on loopback. Every wait is bounded."""
import os
import socket
import ssl
import subprocess
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

from lxml import etree

from harness import (EVENTS_PATH, NS, Conn, Server, binary_path, body_child, fault_info, post, soap12,
                     username_token, ADMIN)

WSNT = "http://docs.oasis-open.org/wsn/b-2"
WSA = "http://www.w3.org/2005/08/addressing"
ENS = dict(NS, wsnt=WSNT, wsa=WSA)
DECL = 'xmlns:wsnt="%s" xmlns:wsa="%s"' % (WSNT, WSA)
CONCRETE_SET = "http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet"
ITEM_FILTER = "http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter"
# Quiet server: no simulator, so a test sees only the events it raises.
QUIET = {"simulator_period_s": "0", "tampering_simulator_period_s": "0"}


class EventsServerCase(unittest.TestCase):
    """One onvifd per test class with the simulators off (QUIET) unless EVENTS
    says otherwise; SERVER and DEVICE are its [server] and [device] sections."""
    EVENTS = {}
    SERVER = {}
    DEVICE = {}

    @classmethod
    def setUpClass(cls):
        cls.srv = Server(server=cls.SERVER, device=cls.DEVICE, sections={"events": dict(QUIET, **cls.EVENTS)})
        cls.addClassCleanup(cls.srv.close)
        cls.srv.start()
        cls.port = cls.srv.port

    def assertInjected(self, *args):
        r = inject(self.srv, *args)
        self.assertEqual(r.returncode, 0, r.stderr)


def ecall(port, body_xml, path=EVENTS_PATH, timeout=10.0, conn=None, auth=ADMIN):
    header = username_token(*auth) if auth else ""
    return post(port, path, soap12(body_xml, header), conn=conn, timeout=timeout)


def create_pull(port, inner="", conn=None):
    """CreatePullPointSubscription; returns (subscription path, response element)."""
    resp = ecall(port, "<tev:CreatePullPointSubscription %s>%s</tev:CreatePullPointSubscription>" % (DECL, inner),
                 conn=conn)
    assert resp.status == 200, resp.body[:600]
    el = body_child(resp.body)
    address = el.find("tev:SubscriptionReference/wsa:Address", ENS).text.strip()
    return urlparse(address).path, el


def pull(port, path, timeout="PT5S", limit=100, conn=None, io_timeout=15.0):
    return ecall(port, "<tev:PullMessages><tev:Timeout>%s</tev:Timeout><tev:MessageLimit>%d</tev:MessageLimit>"
                 "</tev:PullMessages>" % (timeout, limit), path=path, timeout=io_timeout, conn=conn)


def messages(resp):
    """[(topic, operation, {item name: value})] of a PullMessagesResponse."""
    el = body_child(resp.body)
    assert el.tag == "{%s}PullMessagesResponse" % NS["tev"], resp.body[:800]
    out = []
    for holder in el.findall("wsnt:NotificationMessage", ENS):
        out.append(notification(holder))
    return out


def notification(holder):
    topic = holder.find("wsnt:Topic", ENS).text.strip()
    msg = holder.find("wsnt:Message/tt:Message", ENS)
    items = {i.get("Name"): i.get("Value") for i in msg.iter("{%s}SimpleItem" % NS["tt"])}
    return topic, msg.get("PropertyOperation"), items


def drain(port, path):
    """Pulls what is queued (the Initialized properties) without waiting long."""
    for _ in range(20):
        got = messages(pull(port, path, timeout="PT0S"))
        if not got:
            return


def fault_subcodes(resp):
    return fault_info(resp.body)["subcodes"]


def inject(srv, *args):
    """Raises an event through the control socket with the real CLI."""
    sock = os.path.join(srv._tmp.name, "onvifd-events.sock")
    return subprocess.run([binary_path(), "event", "--socket", sock] + list(args), capture_output=True,
                          timeout=10, text=True)


def subscribe(port, consumer_url, inner=""):
    return ecall(port, "<wsnt:Subscribe %s><wsnt:ConsumerReference><wsa:Address>%s</wsa:Address>"
                 "</wsnt:ConsumerReference>%s</wsnt:Subscribe>" % (DECL, consumer_url, inner))


def tls_server_context(cert, key):
    """A server-side context for a TLS consumer with this certificate pair."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    return ctx


class GoodConsumer:
    """An HTTP consumer that records each Notify's notifications. With tls
    (an ssl.SSLContext from tls_server_context) it is an HTTPS consumer; each
    connection's handshake runs in its own thread, and failed ones are
    counted in handshake_failures."""

    def __init__(self, tls=None):
        self.notifications = []
        self.requests = 0
        self.handshakes = 0
        self.handshake_failures = 0
        self.peers = set()  # client (address, port) pairs: one per TCP connection
        self.cond = threading.Condition()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            timeout = 10

            def setup(self):
                if tls is not None:
                    self.request.settimeout(5)
                    try:
                        self.request.do_handshake()
                    except (ssl.SSLError, OSError):
                        with outer.cond:
                            outer.handshake_failures += 1
                            outer.cond.notify_all()
                        raise
                    with outer.cond:
                        outer.handshakes += 1
                super().setup()

            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(n)
                try:
                    root = etree.fromstring(body)
                    holders = root.findall(".//wsnt:NotificationMessage", ENS)
                    got = [notification(h) for h in holders]
                except etree.XMLSyntaxError:
                    got = [("unparsable", None, {})]
                with outer.cond:
                    outer.requests += 1
                    outer.peers.add(self.client_address)
                    outer.notifications.extend(got)
                    outer.cond.notify_all()
                self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *a):
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def get_request(self):
                sock, addr = super().get_request()
                if tls is not None:  # the handshake happens in the handler's thread (setup)
                    sock = tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
                return sock, addr

            def handle_error(self, request, client_address):
                pass  # failed handshakes are counted, not printed

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = "%s://127.0.0.1:%d/notify" % ("https" if tls is not None else "http", self.httpd.server_address[1])

    def wait_for(self, predicate, timeout=10.0):
        deadline = time.monotonic() + timeout
        with self.cond:
            while not predicate(self.notifications):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.cond.wait(left)
            return True

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class BadConsumer:
    """A TCP listener that accepts and then misbehaves: 'hang' reads and never
    answers, 'garbage' answers nonsense, 'reset' closes at once with RST,
    'reset-after-hello' reads the TLS ClientHello and then resets (an https
    consumer that aborts mid-handshake). scheme only changes the URL."""

    def __init__(self, mode, scheme="http"):
        self.mode = mode
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.url = "%s://127.0.0.1:%d/notify" % (scheme, self.sock.getsockname()[1])
        self.accepted = 0
        self.conns = []
        self.stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        for _ in range(100000):
            if self.stop:
                return
            try:
                c, _ = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            self.accepted += 1
            if self.mode == "hang":
                self.conns.append(c)  # never answered
            elif self.mode == "garbage":
                try:
                    c.recv(65536)
                    c.sendall(b"SPAM SPAM SPAM\r\n\x00\xff\r\n\r\n")
                except OSError:
                    pass
                c.close()
            else:  # reset, reset-after-hello
                if self.mode == "reset-after-hello":
                    c.settimeout(5)
                    try:
                        c.recv(65536)
                    except OSError:
                        pass
                c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                c.close()

    def close(self):
        self.stop = True
        self.thread.join(2)
        for c in self.conns:
            c.close()
        self.sock.close()


def dead_consumer_url():
    """A loopback port with nothing listening (connection refused)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return "http://127.0.0.1:%d/notify" % port
