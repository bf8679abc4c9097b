"""Helpers for test_stream.py: the reference stream server
(scripts/stream-server) started beside onvifd, ffprobe on a stream URI,
and GetStreamUri through ver10 (and Media2 when the device offers it).

The stream server listens on a free port; the URIs onvifd returns name the
default 8554, so the tests put the server's real port into them
(rtsp_for) — everything else in the URI is what a client gets."""
import json
import os
import re
import signal
import subprocess
import tempfile
import threading
import time
import urllib.parse

from harness import HOST, MEDIA_PATH, NS, REPO, Server, body_child, call

STREAM_SERVER = os.path.join(REPO, "scripts", "stream-server")
HOOK = os.path.join(REPO, "scripts", "stream-server-hook")
FFPROBE = "/usr/bin/ffprobe"
FFPROBE_TIMEOUT_S = 20
START_TIMEOUT_S = 20


class StreamServer:
    """scripts/stream-server on 127.0.0.1 with a free RTSP port, its control
    socket and the users file in a temporary folder."""

    def __init__(self, users_file=None):
        self.tmp = tempfile.TemporaryDirectory(prefix="stream-test-")
        self.socket = os.path.join(self.tmp.name, "stream-server.sock")
        self.users_file = users_file
        self.lines = []
        self._cond = threading.Condition()
        self.proc = None
        self.port = None

    def start(self):
        cmd = [STREAM_SERVER, "--port", "0", "--control", self.socket]
        if self.users_file:
            cmd += ["--users-file", self.users_file]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()
        line = self.wait_line(r"listening on rtsp://127\.0\.0\.1:(\d+)/", START_TIMEOUT_S)
        if line is None:
            self.stop()
            raise AssertionError("stream server did not start:\n" + "\n".join(self.lines[-30:]))
        self.port = int(re.search(r":(\d+)/", line).group(1))
        deadline = time.monotonic() + START_TIMEOUT_S
        while not os.path.exists(self.socket) and time.monotonic() < deadline:
            time.sleep(0.05)
        return self

    def _read(self):
        for raw in iter(self.proc.stderr.readline, b""):
            with self._cond:
                self.lines.append(raw.decode("utf-8", "replace").rstrip("\n"))
                self._cond.notify_all()

    def wait_line(self, pattern, timeout, start=0):
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for line in self.lines[start:]:
                    if rx.search(line):
                        return line
                start = max(start, len(self.lines))
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    return None
                self._cond.wait(min(left, 0.2))

    def hook(self, *argv):
        """Runs the apply hook program by hand; returns its exit status."""
        env = dict(os.environ, STREAM_SERVER_SOCKET=self.socket)
        return subprocess.run([HOOK] + list(argv), env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=30).returncode

    def rtsp_for(self, uri, user=None, password=None):
        """The URI with this server's port (and credentials); http:// (the
        tunnel URI) becomes rtsp:// for ffprobe's -rtsp_transport http."""
        u = urllib.parse.urlsplit(uri)
        netloc = "%s:%d" % (u.hostname, self.port)
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
    sections["media"] = dict({"apply_hook": HOOK, "apply_hook_at_start": "true"}, **(media or {}))
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
    import hashlib
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
        if status != 401 or user is None:
            return status
        m = re.search(r'WWW-Authenticate: Digest (.*)', head, re.I)
        if not m:
            return status
        params = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
        md5 = lambda t: hashlib.md5(t.encode()).hexdigest()  # noqa: E731
        ha1 = md5("%s:%s:%s" % (user, params["realm"], password))
        response = md5("%s:%s:%s" % (ha1, params["nonce"], md5("DESCRIBE:%s" % url)))
        auth = 'Digest username="%s", realm="%s", nonce="%s", uri="%s", response="%s"' % (
            user, params["realm"], params["nonce"], url, response)
        return describe(s, 2, auth)[0]


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
