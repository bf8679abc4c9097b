"""Helpers for test_imaging.py and test_deviceio.py: calls to the Imaging and
DeviceIO services as answers or faults, and the recorded client requests
(tests/data/client-captures when present, else the shared recordings)."""
import os
import re

from harness import DEVICEIO_PATH, IMAGING_PATH, NS, REPO, call
from device_support import assert_fault, ok

SOURCE = "VideoSource_1"
CAPTURE_DIRS = [os.path.join(REPO, "tests", "data", "client-captures"),
                os.environ.get("CLIENT_CAPTURES") or os.path.join(REPO, "..", "shared", "client-captures"),
                os.path.join(REPO, "..", "..", "shared", "client-captures")]  # from a git worktree


def icall(srv, body):
    return call(srv.port, body, path=IMAGING_PATH)


def mcall(srv, body):
    return call(srv.port, body, path=DEVICEIO_PATH)


def capture_body(folder, name):
    """The SOAP Body content of a recorded request (the client's own bytes)."""
    for base in CAPTURE_DIRS:
        path = os.path.join(base, folder, name)
        if os.path.exists(path):
            with open(path, "rb") as f:
                text = f.read().decode("utf-8")
            m = re.search(r"<([\w.-]+:)?Body>(.*)</([\w.-]+:)?Body>", text, re.S)
            return m.group(2)
    raise AssertionError("recorded request %s/%s not found under %s" % (folder, name, CAPTURE_DIRS))


def settings(testcase, srv, token=SOURCE):
    el = ok(testcase, icall(srv, "<timg:GetImagingSettings><timg:VideoSourceToken>%s</timg:VideoSourceToken>"
                                 "</timg:GetImagingSettings>" % token))
    return el.find("timg:ImagingSettings", NS)


def flat(settings_el):
    """{path: text} of every leaf of an ImagingSettings element."""
    out = {}

    def walk(el, prefix):
        children = list(el)
        if not children:
            out[prefix] = el.text
        for c in children:
            walk(c, (prefix + "/" if prefix else "") + c.tag.split("}")[-1])

    walk(settings_el, "")
    return out


__all__ = ["SOURCE", "icall", "mcall", "capture_body", "settings", "flat", "assert_fault", "ok"]
