"""Helpers for test_imaging.py and test_deviceio.py: calls to the Imaging and
DeviceIO services as answers or faults, and the recorded client requests
(tests/data/client-captures)."""
import re

from harness import DEVICEIO_PATH, IMAGING_PATH, NS, call
from prerequisites import read_capture
from device_support import assert_fault, ok

SOURCE = "VideoSource_1"


def icall(srv, body):
    return call(srv.port, body, path=IMAGING_PATH)


def mcall(srv, body):
    return call(srv.port, body, path=DEVICEIO_PATH)


def capture_body(folder, name):
    """The SOAP Body content of a recorded request (the client's own bytes)."""
    text = read_capture(folder, name).decode("utf-8")
    m = re.search(r"<([\w.-]+:)?Body>(.*)</([\w.-]+:)?Body>", text, re.S)
    return m.group(2)


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
