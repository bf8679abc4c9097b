"""Helpers for test_security.py: HTTP Digest by hand (to pick the algorithm
and replay a nonce count), raw requests from another loopback address, the
access-class table read from its C++ source, and the capture files."""
import hashlib
import os
import re
import socket

from harness import HOST, IO_TIMEOUT_S, REPO, Conn, build_request

PREFIX_NS = {
    "tds": "http://www.onvif.org/ver10/device/wsdl",
    "trt": "http://www.onvif.org/ver10/media/wsdl",
    "tr2": "http://www.onvif.org/ver20/media/wsdl",
    "tev": "http://www.onvif.org/ver10/events/wsdl",
    "wsnt": "http://docs.oasis-open.org/wsn/b-2",
    "tptz": "http://www.onvif.org/ver20/ptz/wsdl",
    "timg": "http://www.onvif.org/ver20/imaging/wsdl",
    "tmd": "http://www.onvif.org/ver10/deviceIO/wsdl",
}

# Core spec "Default Access Policy Definition": who may use each class.
POLICY = {
    "PreAuth": {"Administrator", "Operator", "User", "Anonymous"},
    "ReadSystem": {"Administrator", "Operator", "User"},
    "ReadSystemSensitive": {"Administrator", "Operator"},
    "ReadSystemSecret": {"Administrator"},
    "WriteSystem": {"Administrator"},
    "Unrecoverable": {"Administrator"},
    "ReadMedia": {"Administrator", "Operator", "User"},
    "Actuate": {"Administrator", "Operator"},
}


def access_table():
    """[(element, class)] from src/security/access_classes.cpp."""
    with open(os.path.join(REPO, "src", "security", "access_classes.cpp"), encoding="utf-8") as f:
        return re.findall(r'\{"(\w+:\w+)", AccessClass::(\w+)\}', f.read())


def op_body(element):
    prefix, local = element.split(":")
    return '<%s xmlns="%s"/>' % (local, PREFIX_NS[prefix])


def set_port(raw, port):
    head, sep, body = raw.partition(b"\r\n\r\n")
    head = re.sub(rb"(?im)^(Host:\s*[^\r\n:]+)(:\d+)?$", rb"\g<1>:%d" % port, head)
    return head + sep + body


def without_header(raw, name):
    head, sep, body = raw.partition(b"\r\n\r\n")
    lines = [l for l in head.split(b"\r\n") if not l.lower().startswith(name.lower().encode() + b":")]
    return b"\r\n".join(lines) + sep + body


def with_header(raw, name, value):
    head, sep, body = raw.partition(b"\r\n\r\n")
    return head + ("\r\n%s: %s" % (name, value)).encode() + sep + body


class ConnFrom(Conn):
    """A Conn whose local address is `source` (another loopback address)."""

    def __init__(self, port, source, timeout=IO_TIMEOUT_S):
        self.sock = socket.create_connection((HOST, port), timeout=timeout, source_address=(source, 0))
        self.port = port
        self.buf = b""
        self.timeout = timeout


def parse_challenges(response):
    """{algorithm: {param: value}} from every WWW-Authenticate: Digest header."""
    out = {}
    for name, value in response.header_list:
        if name.lower() != "www-authenticate" or not value.startswith("Digest "):
            continue
        params = {k: a or b for k, a, b in re.findall(r'(\w+)=(?:"([^"]*)"|([^,\s]*))', value[7:])}
        out[params.get("algorithm", "MD5")] = params
    return out


def digest_authorization(challenge, user, password, method, uri, nc=1, cnonce="0a4f113b"):
    """RFC 7616 Authorization header value (qop=auth) for one challenge."""
    alg = challenge.get("algorithm", "MD5")
    h = (lambda s: hashlib.sha256(s.encode()).hexdigest()) if alg == "SHA-256" else \
        (lambda s: hashlib.md5(s.encode()).hexdigest())
    ncs = "%08x" % nc
    ha1 = h("%s:%s:%s" % (user, challenge["realm"], password))
    ha2 = h("%s:%s" % (method, uri))
    response = h("%s:%s:%s:%s:auth:%s" % (ha1, challenge["nonce"], ncs, cnonce, ha2))
    value = ('Digest username="%s", realm="%s", nonce="%s", uri="%s", algorithm=%s, qop=auth, nc=%s, '
             'cnonce="%s", response="%s"' % (user, challenge["realm"], challenge["nonce"], uri, alg, ncs, cnonce,
                                              response))
    if "opaque" in challenge:
        value += ', opaque="%s"' % challenge["opaque"]
    return value
