"""What the capability probes of every service share: how an unsupported
operation answers, a prefix-free form of an element for comparing two
serialisations, and the fetch of a snapshot URI."""
import harness
from harness import fault_info
from security_support import digest_authorization, parse_challenges


def not_supported(resp):
    """True when the answer is the fault of an operation the device does
    not support: env:Receiver ter:ActionNotSupported (Core spec "Generic
    faults"; also what an operation without a handler answers)."""
    if resp.status == 200:
        return False
    subcodes = [s.split("}")[-1] for s in fault_info(resp.body)["subcodes"]]
    return bool(subcodes) and subcodes[0] == "ActionNotSupported"


def canonical(el):
    """An element as (tag, attributes, text, children), prefixes and
    whitespace aside."""
    attrs = tuple(sorted((k, v.strip()) for k, v in el.attrib.items()))
    return (el.tag, attrs, (el.text or "").strip(), tuple(canonical(c) for c in el if isinstance(c.tag, str)))


def snapshot_is_jpeg(port, uri):
    """A GET of the snapshot URI (answering the HTTP Digest challenge with
    the administrator) is a 200 whose body is a JPEG."""
    path = "/" + uri.split("/", 3)[3]

    def get(conn, header=None):
        conn.send(harness.build_request(port, path, None, {"Authorization": header} if header else {},
                                        method="GET"))
        return conn.read_response(method="GET")

    with harness.Conn(port, timeout=10) as conn:
        got = get(conn)
        if got.status == 401:
            got = get(conn, digest_authorization(parse_challenges(got)["MD5"], *harness.ADMIN, "GET", path))
    return got.status == 200 and got.body[:2] == b"\xff\xd8"
