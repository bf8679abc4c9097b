"""Shared by scripts/footprint and scripts/bench (not a test).

Request bodies for the measured operations, a fast raw HTTP/1.1 keep-alive
client, and helpers that read a process's memory from /proc. The server
process itself is started through tests/integration/harness.py's Server, so
the configuration and the "listening on" handshake are the tests' own.
"""
import os
import re
import socket
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "tests", "integration"))
import harness  # noqa: E402  (path set just above)
from harness import ADMIN, NS, soap12, username_token  # noqa: E402,F401

# name: (path, body XML, needs a UsernameToken)
OPERATIONS = {
    "GetSystemDateAndTime": (harness.DEVICE_PATH, "<tds:GetSystemDateAndTime/>", False),
    "GetDeviceInformation": (harness.DEVICE_PATH, "<tds:GetDeviceInformation/>", True),
    "GetProfiles": (harness.MEDIA_PATH, "<trt:GetProfiles/>", True),
    # Media2 GetProfiles with every configuration (what NVRs and the npm
    # onvif package ask), beside ver10's.
    "Media2GetProfiles": (harness.MEDIA2_PATH, "<tr2:GetProfiles><tr2:Type>All</tr2:Type></tr2:GetProfiles>", True),
    "GetStreamUri": (harness.MEDIA_PATH, None, True),  # body needs a profile token
}


def stream_uri_body(profile_token):
    return ("<trt:GetStreamUri><trt:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream>"
            "<tt:Transport><tt:Protocol>RTSP</tt:Protocol></tt:Transport></trt:StreamSetup>"
            "<trt:ProfileToken>%s</trt:ProfileToken></trt:GetStreamUri>" % profile_token)


def envelope(body_xml, auth):
    """The request bytes; a fresh nonce and Created for every call when auth."""
    return soap12(body_xml, username_token(*auth) if auth else "")


def http_request(port, path, data, close=False):
    head = ("POST %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: %s\r\nContent-Length: %d\r\n%s\r\n"
            % (path, port, harness.SOAP12_CT, len(data), "Connection: close\r\n" if close else ""))
    return head.encode() + data


class RawClient:
    """One keep-alive HTTP/1.1 connection; responses must carry Content-Length
    (onvifd's do). Bounded: every read has a timeout."""

    def __init__(self, port, timeout=10.0):
        self.port = port
        self.timeout = timeout
        self.sock = None
        self.connect()

    def connect(self):
        self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def send(self, path, data):
        """Sends one request; reconnects first if the server ended the last
        exchange with Connection: close (server.keepalive_max_requests)."""
        if self.sock is None:
            self.connect()
        self.sock.sendall(http_request(self.port, path, data))

    def roundtrip(self, path, data):
        self.send(path, data)
        return self.read_response()

    def read_response(self):
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("peer closed before a response head")
            self.buf += chunk
        head, _, rest = self.buf.partition(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        m = re.search(rb"(?im)^content-length:\s*(\d+)", head)
        if not m:
            raise ConnectionError("response without Content-Length: %r" % head[:200])
        n = int(m.group(1))
        while len(rest) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("peer closed inside a response body")
            rest += chunk
        self.buf = rest[n:]
        if re.search(rb"(?im)^connection:\s*close", head):
            self.close()
        return status, head, rest[:n]

    def close(self):
        if self.sock is not None:
            self.sock.close()
            self.sock = None


def outcome(status, body):
    """'ok', or 'n/a (<fault subcode>)' for a SOAP fault (e.g. ActionNotSupported)."""
    if status == 200:
        return "ok"
    try:
        info = harness.fault_info(body)
        sub = info["subcodes"][-1] if info["subcodes"] else info["code"]
        return "n/a (%s)" % sub.split("}")[-1]
    except Exception:  # not even a fault: report the HTTP status
        return "n/a (HTTP %d)" % status


def first_profile_token(port):
    """The first media profile's token, or None when GetProfiles is not served."""
    client = RawClient(port)
    try:
        path, body, _ = OPERATIONS["GetProfiles"]
        status, _, resp = client.roundtrip(path, envelope(body, ADMIN))
    finally:
        client.close()
    if status != 200:
        return None
    child = harness.body_child(resp)
    prof = child.find("trt:Profiles", NS)
    return prof.get("token") if prof is not None else None


def proc_memory(pid):
    """{'rss_kb', 'pss_kb', 'anon_kb', 'file_kb', 'vm_kb', 'threads'} from /proc."""
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "RssAnon", "RssFile", "VmSize", "Threads"):
                out[k] = int(v.split()[0])
    pss = None
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except OSError:
        pass
    return {"rss_kb": out.get("VmRSS"), "pss_kb": pss, "anon_kb": out.get("RssAnon"),
            "file_kb": out.get("RssFile"), "vm_kb": out.get("VmSize"), "threads": out.get("Threads")}


def settle(seconds=0.3):
    time.sleep(seconds)
