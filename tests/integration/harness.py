"""Test harness: runs the real onvifd binary on a loopback port and talks to it.

Used by the integration suites (test_*.py beside this file). Standard library
plus lxml only; every wait here is bounded in time and every loop in count.

  with Server(server={"keepalive_timeout_s": 2}) as srv:
      resp = post(srv.port, DEVICE_PATH, soap12("<tds:GetSystemDateAndTime/>"))
      assert resp.status == 200
      srv.stats()["accepted"]

The binary is $ONVIFD, else $BUILD/onvifd, else build/onvifd (relative paths
are taken from the repository root).
"""
import datetime
import gzip
import os
import re
import select
import signal
import socket
import struct
import subprocess
import tempfile
import threading
import time
import zlib

from lxml import etree

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HOST = "127.0.0.1"

# Bounds. Generous enough for a sanitizer build on a busy 2-core machine,
# small enough that a broken server fails a test instead of hanging the suite.
START_TIMEOUT_S = float(os.environ.get("ONVIFD_START_TIMEOUT", "10"))
STOP_TIMEOUT_S = 5.0
IO_TIMEOUT_S = 5.0
FD_SETTLE_S = 3.0

DEVICE_PATH = "/onvif/device_service"
MEDIA_PATH = "/onvif/media_service"
MEDIA2_PATH = "/onvif/media2_service"
EVENTS_PATH = "/onvif/events_service"
PTZ_PATH = "/onvif/ptz_service"
IMAGING_PATH = "/onvif/imaging_service"
DEVICEIO_PATH = "/onvif/deviceio_service"

NS = {
    "env": "http://www.w3.org/2003/05/soap-envelope",
    "soap11": "http://schemas.xmlsoap.org/soap/envelope/",
    "tds": "http://www.onvif.org/ver10/device/wsdl",
    "trt": "http://www.onvif.org/ver10/media/wsdl",
    "tr2": "http://www.onvif.org/ver20/media/wsdl",
    "tev": "http://www.onvif.org/ver10/events/wsdl",
    "tptz": "http://www.onvif.org/ver20/ptz/wsdl",
    "timg": "http://www.onvif.org/ver20/imaging/wsdl",
    "tmd": "http://www.onvif.org/ver10/deviceIO/wsdl",
    "tt": "http://www.onvif.org/ver10/schema",
    "ter": "http://www.onvif.org/ver10/error",
}
SOAP12_CT = "application/soap+xml; charset=utf-8"
SOAP11_CT = "text/xml; charset=utf-8"

# Distinctive values, so a test can tell the config's from the defaults.
TEST_DEVICE = {
    "manufacturer": "Harness Optics GmbH",
    "model": "HX-1234 Test Model",
    "firmware_version": "9.8.7-harness",
    "serial_number": "SN-HARNESS-0042",
    "hardware_id": "hw-harness-77",
}


def binary_path():
    path = os.environ.get("ONVIFD")
    if not path:
        path = os.path.join(os.environ.get("BUILD") or "build", "onvifd")
    return path if os.path.isabs(path) else os.path.join(REPO, path)


# --- the server process -------------------------------------------------------

class ServerError(Exception):
    pass


def config_text(server=None, device=None, sections=None):
    """INI text: [server] bind/port for loopback, then the overrides;
    sections: {"events": {"key": "value"}, ...} for any other section."""
    lines = ["# written by tests/integration/harness.py", "[server]", "bind = %s" % HOST, "port = 0"]
    lines += ["%s = %s" % kv for kv in (server or {}).items()]
    lines += ["", "[device]"]
    lines += ["%s = %s" % kv for kv in dict(TEST_DEVICE, **(device or {})).items()]
    for name, keys in (sections or {}).items():
        lines += ["", "[%s]" % name] + ["%s = %s" % kv for kv in keys.items()]
    return "\n".join(lines) + "\n"


class StderrLines:
    """A child process's stderr, collected line by line in .lines by a
    background thread (read_stderr() once .proc is running); wait_line()
    waits for a line. Shared by every test helper that starts a program."""

    def init_lines(self):
        self.lines = []
        self._cond = threading.Condition()
        self._reader = None

    def read_stderr(self):
        self._reader = threading.Thread(target=self._read_stderr, daemon=True)
        self._reader.start()

    def _read_stderr(self):
        for raw in iter(self.proc.stderr.readline, b""):
            with self._cond:
                self.lines.append(raw.decode("utf-8", "replace").rstrip("\n"))
                self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    def wait_line(self, pattern, timeout=IO_TIMEOUT_S, start=0):
        """First stderr line at index >= start matching pattern, or None."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for line in self.lines[start:]:
                    if rx.search(line):
                        return line
                start = max(start, len(self.lines))
                left = deadline - time.monotonic()
                if left <= 0 or (self.proc.poll() is not None and not self._reader.is_alive()):
                    return None
                self._cond.wait(min(left, 0.2))

    def stderr_text(self):
        with self._cond:
            return "\n".join(self.lines[-80:])


class Server(StderrLines):
    """One onvifd process on 127.0.0.1 with a free port.

    server / device: config keys to set in [server] / [device] (device keys
    default to TEST_DEVICE). config: full config text instead (then no
    defaults are written). Stderr is collected line by line in .lines by a
    background thread; use .wait_line() to wait for one.
    """

    def __init__(self, server=None, device=None, config=None, log_level="info", args=(), sections=None):
        self.config = config if config is not None else config_text(server, device, sections)
        self.log_level = log_level
        self.args = list(args)
        self.proc = None
        self.port = None
        self.init_lines()
        self._tmp = None

    # -- lifecycle
    def start(self):
        binary = binary_path()
        if not os.access(binary, os.X_OK):
            raise ServerError("no executable server at %s (build it, or set ONVIFD or BUILD)" % binary)
        self._tmp = tempfile.TemporaryDirectory(prefix="onvifd-test-")
        cfg = os.path.join(self._tmp.name, "onvifd.conf")
        with open(cfg, "w", encoding="utf-8") as f:
            f.write(self.config)
        cmd = [binary, "--foreground", "--config", cfg, "--port", "0", "--bind", HOST,
               "--log-level", self.log_level] + self.args
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, cwd=self._tmp.name)
        self.read_stderr()
        line = self.wait_line(r"listening on http://127\.0\.0\.1:(\d+)/", timeout=START_TIMEOUT_S)
        if line is None:
            code = self.proc.poll()
            self.kill()
            raise ServerError("server did not print its listening line within %.0f s (exit %s); stderr:\n%s"
                              % (START_TIMEOUT_S, code, self.stderr_text()))
        self.port = int(re.search(r"listening on http://127\.0\.0\.1:(\d+)/", line).group(1))
        return self



    @property
    def pid(self):
        return self.proc.pid

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def fd_count(self):
        return len(os.listdir("/proc/%d/fd" % self.proc.pid))

    def stats(self, timeout=3.0):
        """Sends SIGUSR1 and returns the stats line's fields as {name: int}."""
        with self._cond:
            start = len(self.lines)
        os.kill(self.proc.pid, signal.SIGUSR1)
        line = self.wait_line(r"stats: ", timeout=timeout, start=start)
        if line is None:
            raise ServerError("no stats line within %.1f s of SIGUSR1; stderr:\n%s" % (timeout, self.stderr_text()))
        fields = line.split("stats: ", 1)[1]
        return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", fields)}

    def stop(self, timeout=STOP_TIMEOUT_S):
        """SIGTERM, then wait. Returns the exit code, or None if it did not exit
        within timeout (then it is killed)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None
        self._reader.join(2.0)
        return code

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5.0)
        if self._reader is not None:
            self._reader.join(2.0)

    def close(self):
        self.kill()
        if self.proc is not None and self.proc.stderr:
            self.proc.stderr.close()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.close()
            raise

    def __exit__(self, *exc):
        self.close()
        return False


def wait_fd_baseline(server, baseline, timeout=FD_SETTLE_S):
    """Polls fd_count() until it is <= baseline (bounded); returns the last count."""
    deadline = time.monotonic() + timeout
    count = server.fd_count()
    while count > baseline and time.monotonic() < deadline:
        time.sleep(0.05)
        count = server.fd_count()
    return count


def settle_fds(server, timeout=FD_SETTLE_S):
    """The server's fd count once it has stopped changing (for a baseline)."""
    deadline = time.monotonic() + timeout
    last = server.fd_count()
    while time.monotonic() < deadline:
        time.sleep(0.1)
        now = server.fd_count()
        if now == last:
            return now
        last = now
    return last


# --- SOAP -----------------------------------------------------------------------

_DECLS = " ".join('xmlns:%s="%s"' % (p, u) for p, u in NS.items() if p not in ("env", "soap11"))


def soap12(body_xml, header_xml=""):
    header = "<env:Header>%s</env:Header>" % header_xml if header_xml else ""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<env:Envelope xmlns:env="%s" %s>%s'
            "<env:Body>%s</env:Body></env:Envelope>" % (NS["env"], _DECLS, header, body_xml)).encode()


def soap11(body_xml, header_xml=""):
    header = "<s:Header>%s</s:Header>" % header_xml if header_xml else ""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<s:Envelope xmlns:s="%s" %s>%s'
            "<s:Body>%s</s:Body></s:Envelope>" % (NS["soap11"], _DECLS, header, body_xml)).encode()


def parse_envelope(body):
    """Parses a response body; returns (envelope element, first Body child)."""
    root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
    if etree.QName(root).localname != "Envelope" or etree.QName(root).namespace not in (NS["env"], NS["soap11"]):
        raise AssertionError("not a SOAP envelope: %r" % body[:200])
    soap_ns = etree.QName(root).namespace
    bodies = root.findall("{%s}Body" % soap_ns)
    if len(bodies) != 1:
        raise AssertionError("envelope has %d Body elements" % len(bodies))
    children = [c for c in bodies[0] if isinstance(c.tag, str)]
    if not children:
        raise AssertionError("empty SOAP Body: %r" % body[:300])
    return root, children[0]


def body_child(body):
    return parse_envelope(body)[1]


def qname(el):
    """'{ns}local' of an element."""
    return el.tag


def _resolve_qname_text(el, text):
    text = (text or "").strip()
    prefix, _, local = text.rpartition(":")
    return "{%s}%s" % (el.nsmap.get(prefix or None, ""), local)


def fault_info(body):
    """For a SOAP 1.2 or 1.1 fault body: {'code': '{ns}local', 'subcodes':
    ['{ns}local', ...], 'reason': str}. Raises AssertionError if not a fault."""
    _, child = parse_envelope(body)
    ns = etree.QName(child).namespace
    if etree.QName(child).localname != "Fault" or ns not in (NS["env"], NS["soap11"]):
        raise AssertionError("not a SOAP Fault: %s" % child.tag)
    if ns == NS["env"]:
        value = child.find("env:Code/env:Value", NS)
        code = _resolve_qname_text(value, value.text) if value is not None else None
        subcodes = []
        sub = child.find("env:Code/env:Subcode", NS)
        for _ in range(10):  # nesting is bounded in practice; so is this loop
            if sub is None:
                break
            v = sub.find("env:Value", NS)
            if v is not None:
                subcodes.append(_resolve_qname_text(v, v.text))
            sub = sub.find("env:Subcode", NS)
        reason = " ".join(t.text or "" for t in child.findall("env:Reason/env:Text", NS))
    else:
        fc = child.find("faultcode")
        code = _resolve_qname_text(fc, fc.text) if fc is not None else None
        subcodes = []
        fs = child.find("faultstring")
        reason = fs.text if fs is not None else ""
    return {"code": code, "subcodes": subcodes, "reason": reason}


# --- raw HTTP ---------------------------------------------------------------------

class Response:
    def __init__(self, status, reason, headers, body, raw_head, content_encoding=None):
        self.status = status
        self.reason = reason
        self.header_list = headers            # [(name, value)] as received
        self.headers = {}                     # lower-case name -> last value
        for k, v in headers:
            self.headers[k.lower()] = v
        self.body = body
        self.raw_head = raw_head
        self.content_encoding = content_encoding

    def __iter__(self):  # status, headers, body = post(...)
        return iter((self.status, self.headers, self.body))

    def header(self, name, default=None):
        return self.headers.get(name.lower(), default)

    def connection_close(self):
        return "close" in [t.strip().lower() for t in self.header("connection", "").split(",")]

    def keep_alive_params(self):
        """{'timeout': int, 'max': int} from a Keep-Alive header, or {}."""
        return {k.lower(): int(v) for k, v in re.findall(r"(\w+)\s*=\s*(\d+)", self.header("keep-alive", ""))}

    def __repr__(self):
        return "<Response %s %s, %d body bytes>" % (self.status, self.reason, len(self.body))


class PeerClosed(Exception):
    """The server closed the connection before a complete response."""


class Conn:
    """A raw HTTP/1.1 client connection that can be kept across requests."""

    def __init__(self, port, host=HOST, timeout=IO_TIMEOUT_S):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.port = port
        self.buf = b""
        self.timeout = timeout

    def send(self, data):
        self.sock.sendall(data)

    def request(self, path, data, headers=None, method="POST"):
        self.send(build_request(self.port, path, data, headers, method))

    def _fill(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            raise socket.timeout("no complete response within %.1f s (have %d bytes)" % (self.timeout, len(self.buf)))
        self.sock.settimeout(left)
        chunk = self.sock.recv(65536)
        if not chunk:
            raise PeerClosed("connection closed with %d bytes of an incomplete response: %r"
                             % (len(self.buf), self.buf[:200]))
        self.buf += chunk

    def read_response(self, timeout=None, method="POST"):
        deadline = time.monotonic() + (timeout or self.timeout)
        while b"\r\n\r\n" not in self.buf:
            if len(self.buf) > 65536:
                raise AssertionError("response headers over 64 KiB")
            self._fill(deadline)
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode("iso-8859-1").split("\r\n")
        m = re.match(r"HTTP/1\.[01] (\d{3})(?: (.*))?$", lines[0])
        if not m:
            raise AssertionError("bad status line %r" % lines[0])
        status, reason = int(m.group(1)), m.group(2) or ""
        headers = []
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if not sep:
                raise AssertionError("bad header line %r" % line)
            headers.append((name.strip(), value.strip()))
        hmap = {k.lower(): v for k, v in headers}
        if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
            body = b""
        elif "chunked" in hmap.get("transfer-encoding", "").lower():
            body = self._read_chunked(deadline)
        elif "content-length" in hmap:
            n = int(hmap["content-length"])
            while len(self.buf) < n:
                self._fill(deadline)
            body, self.buf = self.buf[:n], self.buf[n:]
        else:  # delimited by close
            for _ in range(100000):
                try:
                    self._fill(deadline)
                except PeerClosed:
                    break
            body, self.buf = self.buf, b""
        enc = hmap.get("content-encoding", "").strip().lower() or None
        if enc == "gzip":
            body = gzip.decompress(body)
        elif enc == "deflate":
            try:
                body = zlib.decompress(body)
            except zlib.error:
                body = zlib.decompress(body, -zlib.MAX_WBITS)
        return Response(status, reason, headers, body, head, enc)

    def _read_chunked(self, deadline):
        body = b""
        for _ in range(100000):
            while b"\r\n" not in self.buf:
                self._fill(deadline)
            line, self.buf = self.buf.split(b"\r\n", 1)
            size = int(line.split(b";")[0].strip(), 16)
            if size == 0:
                while b"\r\n" not in self.buf:  # trailers end with an empty line
                    self._fill(deadline)
                for _ in range(100):
                    trailer, self.buf = self.buf.split(b"\r\n", 1)
                    if not trailer:
                        return body
                    while b"\r\n" not in self.buf:
                        self._fill(deadline)
                raise AssertionError("too many trailers")
            while len(self.buf) < size + 2:
                self._fill(deadline)
            body += self.buf[:size]
            self.buf = self.buf[size + 2:]
        raise AssertionError("too many chunks")

    def closed_by_peer(self, timeout):
        """True if the server closes (EOF or RST) within timeout seconds
        without sending anything more; False if it stays open. Bytes that
        arrive are kept in .buf (and then this returns True only on a close)."""
        deadline = time.monotonic() + timeout
        for _ in range(10000):
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            r, _, _ = select.select([self.sock], [], [], left)
            if not r:
                return False
            try:
                chunk = self.sock.recv(65536)
            except (ConnectionResetError, BrokenPipeError):
                return True
            if not chunk:
                return True
            self.buf += chunk
        return False

    def reset(self):
        """Closes with SO_LINGER 0, so the kernel sends RST instead of FIN."""
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close()

    def close(self):
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def build_request(port, path, data, headers=None, method="POST"):
    """Request bytes. headers: dict or list of pairs; Host and Content-Type
    (SOAP 1.2) and Content-Length are added unless given. A header whose
    value is None is left out (e.g. {"Content-Length": None})."""
    pairs = list(headers.items()) if isinstance(headers, dict) else list(headers or [])
    names = {k.lower() for k, _ in pairs}
    if "host" not in names:
        pairs.insert(0, ("Host", "%s:%d" % (HOST, port)))
    if "content-type" not in names and data is not None:
        pairs.append(("Content-Type", SOAP12_CT))
    if "content-length" not in names and "transfer-encoding" not in names and data is not None:
        pairs.append(("Content-Length", str(len(data))))
    head = "%s %s HTTP/1.1\r\n" % (method, path)
    head += "".join("%s: %s\r\n" % (k, v) for k, v in pairs if v is not None)
    return head.encode("iso-8859-1") + b"\r\n" + (data or b"")


def post(port, path, data, headers=None, conn=None, timeout=IO_TIMEOUT_S):
    """One POST. Without conn it uses a fresh connection and closes it after
    the response; with conn (a Conn) it leaves that connection open."""
    if conn is not None:
        conn.request(path, data, headers)
        return conn.read_response(timeout)
    with Conn(port, timeout=timeout) as c:
        c.request(path, data, headers)
        return c.read_response(timeout)


# The embedded default configuration's administrator (see [security] there).
ADMIN = ("admin", "admin")


def username_token(user, password, created=None, nonce=None):
    """A WS-Security header with a UsernameToken PasswordDigest (Core spec
    "User-based access control"): Base64(SHA-1(nonce + created + password))."""
    import base64, hashlib
    created = created or datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    nonce = nonce if nonce is not None else os.urandom(16)
    digest = base64.b64encode(hashlib.sha1(nonce + created.encode() + password.encode()).digest()).decode()
    return ('<wsse:Security xmlns:wsse="%s" xmlns:wsu="%s"><wsse:UsernameToken>'
            "<wsse:Username>%s</wsse:Username>"
            '<wsse:Password Type="%s#PasswordDigest">%s</wsse:Password>'
            '<wsse:Nonce EncodingType="%s#Base64Binary">%s</wsse:Nonce>'
            "<wsu:Created>%s</wsu:Created></wsse:UsernameToken></wsse:Security>" % (
                WSSE_NS, WSU_NS, user, WSSE_PROFILE, digest, WSSE_MESSAGE, base64.b64encode(nonce).decode(), created))


WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
WSSE_PROFILE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"
WSSE_MESSAGE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0"


def call(port, body_xml, path=DEVICE_PATH, conn=None, auth=ADMIN, header_xml=""):
    """POSTs a SOAP 1.2 request with body_xml in its Body; returns the
    Response. auth: (user, password) sent as a UsernameToken (default: the
    default administrator), or None for an anonymous request."""
    if auth is not None:
        header_xml = username_token(*auth) + header_xml
    return post(port, path, soap12(body_xml, header_xml), conn=conn)
