"""Helpers for the transport suite: a TLS variant of harness.Conn, a
development certificate, and a way to run foundation test classes over TLS."""
import os
import re
import socket
import ssl
import subprocess

import harness
from harness import HOST, IO_TIMEOUT_S, REPO


def make_cert(directory, name="dev"):
    """A fresh self-signed pair in directory (scripts/make-dev-cert)."""
    sub = os.path.join(directory, name)
    subprocess.run([os.path.join(REPO, "scripts", "make-dev-cert"), sub], check=True,
                   stdout=subprocess.DEVNULL, timeout=30)
    return os.path.join(sub, "dev-cert.pem"), os.path.join(sub, "dev-key.pem")


def client_context(cafile=None, minimum=ssl.TLSVersion.TLSv1_2, maximum=None):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = minimum
    if maximum is not None:
        ctx.maximum_version = maximum
    if cafile:
        ctx.load_verify_locations(cafile)
        ctx.check_hostname = False  # the pair names 127.0.0.1; checked by IP in test_verified_handshake
    else:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    return ctx


class TlsConn(harness.Conn):
    """harness.Conn over TLS: the same request/response/close helpers."""

    context = client_context()

    def __init__(self, port, host=HOST, timeout=IO_TIMEOUT_S):
        raw = socket.create_connection((host, port), timeout=timeout)
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = self.context.wrap_socket(raw, server_hostname=host)
        self.port = port
        self.buf = b""
        self.timeout = timeout

    def closed_by_peer(self, timeout):
        try:
            return super().closed_by_peer(timeout)
        except (ssl.SSLError, OSError):
            return True


def https_port(srv):
    line = srv.wait_line(r"listening on https://127\.0\.0\.1:(\d+)/")
    if line is None:
        raise harness.ServerError("no https listening line:\n" + srv.stderr_text())
    return int(re.search(r"listening on https://127\.0\.0\.1:(\d+)/", line).group(1))


def tls_sections(cert, key, **extra):
    section = {"https": "true", "https_port": "0", "certificate": cert, "private_key": key}
    section.update({k: str(v) for k, v in extra.items()})
    return {"transport": section}


class OverTls:
    """Mixin for a foundation ServerCase subclass: the same tests, over TLS.
    The server listens on HTTP and HTTPS; srv.port is the HTTPS port and
    harness.Conn (used by call/post and the tests) speaks TLS meanwhile."""

    TLS_EXTRA = {}

    @classmethod
    def setUpClass(cls):
        import tempfile
        cls._certdir = tempfile.TemporaryDirectory(prefix="onvifd-tls-")
        cls.addClassCleanup(cls._certdir.cleanup)
        cert, key = make_cert(cls._certdir.name)
        cls._patched = []
        for module in cls.PATCH_MODULES:
            cls._patched.append((module, module.Conn))
            module.Conn = TlsConn
        cls.addClassCleanup(cls._unpatch)
        cls.srv = harness.Server(server=cls.SERVER, device=cls.DEVICE,
                                 sections=tls_sections(cert, key, **cls.TLS_EXTRA))
        cls.addClassCleanup(cls.srv.close)
        cls.srv.start()
        cls.srv.port = https_port(cls.srv)
        conns = [TlsConn(cls.srv.port) for _ in range(4)]
        for c in conns:
            harness.call(cls.srv.port, "<tds:GetSystemDateAndTime/>", conn=c)
        for c in conns:
            c.close()
        harness.call(cls.srv.port, "<tds:GetSystemDateAndTime/>")
        cls.baseline = harness.settle_fds(cls.srv)

    @classmethod
    def _unpatch(cls):
        for module, original in cls._patched:
            module.Conn = original
