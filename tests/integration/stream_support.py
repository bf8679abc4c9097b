"""Helpers for test_stream.py: the reference stream server
(scripts/stream-server) started beside onvifd, ffprobe on a stream URI,
and GetStreamUri through ver10 (and Media2 when the device offers it).

The stream server listens on a free port; start_camera gives onvifd URI
templates with that port (the default camera's, with 8554 replaced), so the
URIs GetStreamUri returns are played as they are; rtsp_for only adds
credentials and writes the tunnel's http:// as the rtsp:// that ffprobe's
-rtsp_transport http expects."""
import json
import os
import re
import signal
import subprocess
import tempfile
import time
import urllib.parse

from harness import HOST, MEDIA_PATH, NS, REPO, Server, StderrLines, body_child, call

STREAM_SERVER = os.path.join(REPO, "scripts", "stream-server")
HOOK = os.path.join(REPO, "scripts", "stream-server-hook")
FFPROBE = "/usr/bin/ffprobe"
FFPROBE_TIMEOUT_S = 20
START_TIMEOUT_S = 20


class StreamServer(StderrLines):
    """scripts/stream-server on 127.0.0.1 with a free RTSP port, its control
    socket and the users file in a temporary folder; it watches onvifd's
    events on events_socket (the onvifd of start_camera listens there)."""

    def __init__(self, users_file=None):
        self.tmp = tempfile.TemporaryDirectory(prefix="stream-test-")
        self.socket = os.path.join(self.tmp.name, "stream-server.sock")
        self.events_socket = os.path.join(self.tmp.name, "onvifd-events.sock")
        self.users_file = users_file
        self.init_lines()
        self.proc = None
        self.port = None

    def start(self):
        cmd = [STREAM_SERVER, "--port", "0", "--control", self.socket, "--events-socket", self.events_socket]
        if self.users_file:
            cmd += ["--users-file", self.users_file]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, start_new_session=True)
        self.read_stderr()
        line = self.wait_line(r"listening on rtsp://127\.0\.0\.1:(\d+)/", START_TIMEOUT_S)
        if line is None:
            self.stop()
            raise AssertionError("stream server did not start:\n" + "\n".join(self.lines[-30:]))
        self.port = int(re.search(r":(\d+)/", line).group(1))
        deadline = time.monotonic() + START_TIMEOUT_S
        while not os.path.exists(self.socket) and time.monotonic() < deadline:
            time.sleep(0.05)
        return self

    def hook(self, *argv):
        """Runs the apply hook program by hand; returns its exit status."""
        env = dict(os.environ, STREAM_SERVER_SOCKET=self.socket)
        return subprocess.run([HOOK] + list(argv), env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=30).returncode

    def rtsp_for(self, uri, user=None, password=None):
        """The URI (with credentials); http:// (the tunnel URI) becomes
        rtsp:// for ffprobe's -rtsp_transport http. It must name this server."""
        u = urllib.parse.urlsplit(uri)
        if (u.hostname, u.port) != (HOST, self.port):
            raise AssertionError("%s does not name the stream server at %s:%d" % (uri, HOST, self.port))
        netloc = "%s:%d" % (u.hostname, u.port)
        if user is not None:
            netloc = "%s:%s@%s" % (urllib.parse.quote(user, safe=""), urllib.parse.quote(password, safe=""), netloc)
        return urllib.parse.urlunsplit(("rtsp", netloc, u.path, u.query, ""))

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        if self.proc and self.proc.stderr:
            self.proc.stderr.close()
        self.tmp.cleanup()


def start_camera(testcase_cls, media=None, sections=None, users_file=None):
    """Stream server, then onvifd with the stream server as its apply hook
    (apply_hook_at_start); both are stopped by the class cleanup."""
    stream = StreamServer(users_file=users_file)
    testcase_cls.addClassCleanup(stream.stop)
    stream.start()
    sections = dict(sections or {})
    sections["events"] = dict({"control_socket": stream.events_socket}, **sections.get("events", {}))
    templates = {}
    for slot in ("stream1", "stream2"):  # the default camera's templates, on this server's port
        for key, scheme in (("rtsp_uri", "rtsp"), ("http_uri", "http"), ("multicast_uri", "rtsp")):
            templates["%s.%s" % (slot, key)] = "%s://{host}:%d/{profile}" % (scheme, stream.port)
    sections["media"] = dict(templates, apply_hook=HOOK, apply_hook_at_start="true")
    sections["media"].update(media or {})
    old = os.environ.get("STREAM_SERVER_SOCKET")
    os.environ["STREAM_SERVER_SOCKET"] = stream.socket  # onvifd passes its environment to the hook
    try:
        srv = Server(sections=sections)
        testcase_cls.addClassCleanup(srv.close)
        srv.start()
    finally:
        if old is None:
            os.environ.pop("STREAM_SERVER_SOCKET", None)
        else:
            os.environ["STREAM_SERVER_SOCKET"] = old
    # The stream server's event watch connects once onvifd is up: wait for
    # it, so tests that count onvifd's descriptors start from a settled state.
    if stream.wait_line(r"watching events on ", START_TIMEOUT_S) is None:
        raise AssertionError("the stream server did not watch onvifd's events:\n" + "\n".join(stream.lines[-30:]))
    return stream, srv


def ffprobe(url, transport="tcp", timeout=FFPROBE_TIMEOUT_S):
    """(exit status, [stream dicts], stderr) of ffprobe on url."""
    cmd = [FFPROBE, "-v", "error", "-fpsprobesize", "0", "-rtsp_transport", transport, "-show_entries",
           "stream=codec_name,codec_type,width,height,profile", "-of", "json", url]
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
    try:
        streams = json.loads(p.stdout or b"{}").get("streams", [])
    except ValueError:
        streams = []
    return p.returncode, streams, p.stderr.decode("utf-8", "replace")


def rtsp_status(port, path, user=None, password=None, timeout=5.0):
    """Status code of an RTSP DESCRIBE (with Digest when user is given),
    by hand, so a test sees the 401 itself rather than ffprobe's reading of it."""
    import socket
    url = "rtsp://%s:%d%s" % (HOST, port, path)

    def describe(sock, cseq, auth=None):
        req = "DESCRIBE %s RTSP/1.0\r\nCSeq: %d\r\nAccept: application/sdp\r\n" % (url, cseq)
        if auth:
            req += "Authorization: %s\r\n" % auth
        sock.sendall((req + "\r\n").encode())
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
        head = data.split(b"\r\n\r\n", 1)[0].decode("iso-8859-1")
        status = int(head.split(" ", 2)[1])
        return status, head

    with socket.create_connection((HOST, port), timeout=timeout) as s:
        status, head = describe(s, 1)
        if status != 401 or user is None or not re.search(r"WWW-Authenticate: Digest", head, re.I):
            return status
        return describe(s, 2, digest_header(head, "DESCRIBE", url, user, password))[0]


def media_ok(testcase, port, body, path=MEDIA_PATH, auth=("admin", "admin")):
    resp = call(port, body, path=path, auth=auth)
    testcase.assertEqual(resp.status, 200, resp.body[:800])
    return body_child(resp.body)


def stream_uri_body(profile, protocol="RTSP"):
    return ("<trt:GetStreamUri><trt:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream><tt:Transport><tt:Protocol>%s"
            "</tt:Protocol></tt:Transport></trt:StreamSetup><trt:ProfileToken>%s</trt:ProfileToken>"
            "</trt:GetStreamUri>" % (protocol, profile))


def ver10_profiles(testcase, port):
    """[(token, encoding, width, height, h264 profile or None)] of the ver10 profiles with video."""
    out = []
    for p in media_ok(testcase, port, "<trt:GetProfiles/>").findall("trt:Profiles", NS):
        vec = p.find("tt:VideoEncoderConfiguration", NS)
        if vec is None:
            continue
        out.append((p.get("token"), vec.findtext("tt:Encoding", namespaces=NS),
                    int(vec.findtext("tt:Resolution/tt:Width", namespaces=NS)),
                    int(vec.findtext("tt:Resolution/tt:Height", namespaces=NS)),
                    vec.findtext("tt:H264/tt:H264Profile", namespaces=NS)))
    return out


FFPROBE_CODEC = {"H264": "h264", "H265": "hevc", "JPEG": "mjpeg"}


def digest_header(head, method, url, user, password):
    """Authorization for an RTSP 401 response head (MD5 Digest, RFC 2069 form as RTSP uses)."""
    import hashlib
    m = re.search(r'WWW-Authenticate: Digest (.*)', head, re.I)
    params = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
    md5 = lambda t: hashlib.md5(t.encode()).hexdigest()  # noqa: E731
    ha1 = md5("%s:%s:%s" % (user, params["realm"], password))
    response = md5("%s:%s:%s" % (ha1, params["nonce"], md5("%s:%s" % (method, url))))
    return 'Digest username="%s", realm="%s", nonce="%s", uri="%s", response="%s"' % (
        user, params["realm"], params["nonce"], url, response)


class RtspClient:
    """A minimal RTSP client for one track, RTP interleaved in the RTSP TCP
    connection, so a test sees the packets themselves: DESCRIBE, SETUP of
    the track whose rtpmap names `encoding` (e.g. VND.ONVIF.METADATA, H264),
    PLAY, then rtp() yields (marker, timestamp, payload) as packets arrive.
    encoding None: DESCRIBE only (.sdp). Another `transport` (e.g.
    multicast): .transport is the server's answer, and rtp() reads nothing."""

    def __init__(self, port, path, encoding, user=None, password=None, timeout=10.0,
                 transport="RTP/AVP/TCP;unicast;interleaved=0-1"):
        import socket
        self.url = "rtsp://%s:%d%s" % (HOST, port, path)
        self.user, self.password = user, password
        self.sock = socket.create_connection((HOST, port), timeout=timeout)
        self.buf = b""
        self.cseq = 0
        self.session = None
        self.auth = None
        status, head, sdp = self.request("DESCRIBE", self.url, {"Accept": "application/sdp"})
        if status != 200:
            raise AssertionError("DESCRIBE %s: %d" % (self.url, status))
        self.sdp = sdp.decode("utf-8", "replace")
        base = re.search(r"^Content-Base:\s*(\S+)", head, re.I | re.M)
        self.base = base.group(1) if base else self.url + "/"
        if encoding is None:
            return  # DESCRIBE only: the SDP
        control = self.track_control(encoding)
        if control is None:
            raise AssertionError("no %s track in the SDP:\n%s" % (encoding, self.sdp))
        track_url = control if control.startswith("rtsp://") else self.base.rstrip("/") + "/" + control
        status, head, _ = self.request("SETUP", track_url, {"Transport": transport})
        if status != 200:
            raise AssertionError("SETUP %s: %d" % (track_url, status))
        self.transport = re.search(r"^Transport:\s*(.*?)\r?$", head, re.I | re.M).group(1)
        self.session = re.search(r"^Session:\s*([^;\r\n]+)", head, re.I | re.M).group(1).strip()
        status, _, _ = self.request("PLAY", self.url, {"Range": "npt=0-"})
        if status != 200:
            raise AssertionError("PLAY %s: %d" % (self.url, status))

    def track_control(self, encoding):
        """The a=control of the SDP media section whose rtpmap is `encoding`."""
        for section in re.split(r"\r?\nm=", self.sdp)[1:]:
            if re.search(r"a=rtpmap:\d+ %s/" % re.escape(encoding), section):
                m = re.search(r"a=control:(\S+)", section)
                return m.group(1) if m else None
        return None

    def _read_more(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise AssertionError("the RTSP server closed the connection")
        self.buf += chunk

    def _response(self):
        """Next RTSP response (skipping interleaved frames before it)."""
        while True:
            if self.buf.startswith(b"$"):
                self._frame()
                continue
            if b"\r\n\r\n" in self.buf:
                head, rest = self.buf.split(b"\r\n\r\n", 1)
                text = head.decode("iso-8859-1")
                length = re.search(r"^Content-Length:\s*(\d+)", text, re.I | re.M)
                n = int(length.group(1)) if length else 0
                while len(rest) < n:
                    self._read_more()
                    rest = self.buf.split(b"\r\n\r\n", 1)[1]
                self.buf = rest[n:]
                return int(text.split(" ", 2)[1]), text, rest[:n]
            self._read_more()

    def request(self, method, url, headers):
        for attempt in range(2):
            self.cseq += 1
            lines = ["%s %s RTSP/1.0" % (method, url), "CSeq: %d" % self.cseq]
            if self.session:
                lines.append("Session: %s" % self.session)
            if self.auth:
                lines.append("Authorization: %s" % digest_header(self.auth, method, url, self.user, self.password))
            lines += ["%s: %s" % kv for kv in headers.items()]
            self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
            status, head, body = self._response()
            if status == 401 and self.user is not None and attempt == 0:
                self.auth = head
                continue
            return status, head, body

    def _frame(self):
        """One interleaved frame from the buffer: (channel, data)."""
        while len(self.buf) < 4:
            self._read_more()
        channel, length = self.buf[1], int.from_bytes(self.buf[2:4], "big")
        while len(self.buf) < 4 + length:
            self._read_more()
        data, self.buf = self.buf[4:4 + length], self.buf[4 + length:]
        return channel, data

    def rtp(self, timeout):
        """(marker, timestamp, payload) of the next RTP packet on channel 0, or None after timeout s."""
        import time as _time
        deadline = _time.monotonic() + timeout
        while True:
            left = deadline - _time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                if not self.buf:
                    self._read_more()
                if not self.buf.startswith(b"$"):
                    self._response()  # e.g. an answer to a keep-alive; nothing expected
                    continue
                channel, data = self._frame()
            except OSError:
                return None
            if channel != 0 or len(data) < 12:
                continue  # RTCP
            cc = data[0] & 0x0F
            offset = 12 + 4 * cc
            if data[0] & 0x10:  # header extension
                offset += 4 + 4 * int.from_bytes(data[offset + 2:offset + 4], "big")
            payload = data[offset:]
            if data[0] & 0x20:  # padding
                payload = payload[:-payload[-1]]
            return bool(data[1] & 0x80), int.from_bytes(data[4:8], "big"), payload

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def metadata_documents(client, timeout):
    """Yields each complete tt:MetadataStream document (bytes) of a metadata
    track as it arrives, until `timeout` s passed without one."""
    parts = []
    while True:
        pkt = client.rtp(timeout)
        if pkt is None:
            return
        marker, _, payload = pkt
        parts.append(payload)
        if marker:  # Streaming spec: the marker bit ends a document
            yield b"".join(parts)
            parts = []
