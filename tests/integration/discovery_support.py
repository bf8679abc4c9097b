"""WS-Discovery helpers for test_discovery.py: Probe/Resolve envelopes, a UDP
client on loopback, and a multicast listener joined on lo. Every wait is
bounded; every socket is closed by the caller (context managers)."""
import socket
import time
import uuid

from lxml import etree

GROUP = "239.255.255.250"
LOOPBACK = "127.0.0.1"

NS = {
    "s": "http://www.w3.org/2003/05/soap-envelope",
    "a": "http://schemas.xmlsoap.org/ws/2004/08/addressing",
    "d": "http://schemas.xmlsoap.org/ws/2005/04/discovery",
}
DEVICE_NS = "http://www.onvif.org/ver10/device/wsdl"
NETWORK_NS = "http://www.onvif.org/ver10/network/wsdl"
ANONYMOUS = "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous"
MATCH_STRCMP = "http://schemas.xmlsoap.org/ws/2005/04/discovery/strcmp0"


def new_id():
    return "urn:uuid:%s" % uuid.uuid4()


def envelope(action, body, message_id, extra_ns=""):
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            "<s:Envelope xmlns:s=\"%s\" xmlns:a=\"%s\" xmlns:d=\"%s\"%s><s:Header>"
            "<a:Action s:mustUnderstand=\"1\">http://schemas.xmlsoap.org/ws/2005/04/discovery/%s</a:Action>"
            "<a:MessageID>%s</a:MessageID>"
            "<a:ReplyTo><a:Address>%s</a:Address></a:ReplyTo>"
            "<a:To s:mustUnderstand=\"1\">urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To>"
            "</s:Header><s:Body>%s</s:Body></s:Envelope>"
            % (NS["s"], NS["a"], NS["d"], extra_ns, action, message_id, ANONYMOUS, body)).encode()


def probe(message_id, types=None, scopes=None, match_by=None, extra_ns=""):
    """types: text of d:Types (prefixes declared in extra_ns, or tds/dn which
    this helper declares); scopes: list of URIs."""
    ns = " xmlns:tds=\"%s\" xmlns:dn=\"%s\"%s" % (DEVICE_NS, NETWORK_NS, extra_ns)
    inner = ""
    if types is not None:
        inner += "<d:Types>%s</d:Types>" % types
    if scopes is not None:
        attr = " MatchBy=\"%s\"" % match_by if match_by else ""
        inner += "<d:Scopes%s>%s</d:Scopes>" % (attr, " ".join(scopes))
    return envelope("Probe", "<d:Probe>%s</d:Probe>" % inner, message_id, ns)


def resolve(message_id, address):
    return envelope("Resolve", "<d:Resolve><a:EndpointReference><a:Address>%s</a:Address>"
                    "</a:EndpointReference></d:Resolve>" % address, message_id)


class Message:
    """One received WS-Discovery datagram, parsed."""

    def __init__(self, data, sender):
        self.raw = data
        self.sender = sender
        self.root = etree.fromstring(data)
        header = self.root.find("s:Header", NS)
        body = self.root.find("s:Body", NS)
        self.action = header.findtext("a:Action", namespaces=NS)
        self.message_id = header.findtext("a:MessageID", namespaces=NS)
        self.relates_to = header.findtext("a:RelatesTo", namespaces=NS)
        self.to = header.findtext("a:To", namespaces=NS)
        seq = header.find("d:AppSequence", NS)
        self.instance_id = int(seq.get("InstanceId")) if seq is not None else None
        self.message_number = int(seq.get("MessageNumber")) if seq is not None else None
        self.body = body[0] if len(body) else None
        self.kind = etree.QName(self.body).localname if self.body is not None else None
        # The match element (ProbeMatch/ResolveMatch) or the Hello/Bye itself.
        match = self.body
        if self.kind in ("ProbeMatches", "ResolveMatches") and len(self.body):
            match = self.body[0]
        self.match = match
        self.address = match.findtext("a:EndpointReference/a:Address", namespaces=NS) if match is not None else None
        self.scopes = (match.findtext("d:Scopes", default="", namespaces=NS) or "").split() if match is not None else []
        self.xaddrs = (match.findtext("d:XAddrs", default="", namespaces=NS) or "").split() if match is not None else []
        mv = match.findtext("d:MetadataVersion", namespaces=NS) if match is not None else None
        self.metadata_version = int(mv) if mv is not None else None
        self.types = []
        types_el = match.find("d:Types", NS) if match is not None else None
        if types_el is not None:
            for item in (types_el.text or "").split():
                prefix, _, local = item.rpartition(":")
                self.types.append((types_el.nsmap.get(prefix or None), local))


class UdpClient:
    """A UDP socket on 127.0.0.1 that can send unicast or multicast (via lo)."""

    def __init__(self, bind_port=0, join_group=False):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(LOOPBACK))
        self.sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
        self.sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 1)
        self.sock.bind(("" if join_group else LOOPBACK, bind_port))
        if join_group:
            self.sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                                 socket.inet_aton(GROUP) + socket.inet_aton(LOOPBACK))
        self.port = self.sock.getsockname()[1]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self.sock.close()

    def send(self, data, port, host=LOOPBACK):
        self.sock.sendto(data, (host, port))

    def send_multicast(self, data, port):
        self.sock.sendto(data, (GROUP, port))

    def receive(self, timeout):
        """Next parsable WS-Discovery message within timeout, or None."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                data, sender = self.sock.recvfrom(65536)
            except socket.timeout:
                return None
            try:
                return Message(data, sender)
            except (etree.XMLSyntaxError, AttributeError, TypeError, ValueError):
                continue  # someone else's datagram on a shared group port

    def wait_for(self, predicate, timeout, limit=500):
        """First message satisfying predicate; the others seen meanwhile in .seen."""
        deadline = time.monotonic() + timeout
        self.seen = []
        for _ in range(limit):
            msg = self.receive(max(0.0, deadline - time.monotonic()))
            if msg is None:
                return None
            self.seen.append(msg)
            if predicate(msg):
                return msg
        return None

    def collect(self, duration, limit=500):
        """Every message received within duration (bounded in count)."""
        out = []
        deadline = time.monotonic() + duration
        for _ in range(limit):
            msg = self.receive(max(0.0, deadline - time.monotonic()))
            if msg is None:
                break
            out.append(msg)
        return out


def free_udp_port():
    """A UDP port free right now on this host (for a server that must be
    listened to before it starts)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.bind(("", 0))
        return s.getsockname()[1]
    finally:
        s.close()
