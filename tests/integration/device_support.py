"""Helpers for test_device.py: answers as elements, fault checks, hook
scripts, a server whose state file survives a restart, and an offline zeep
client for the device service."""
import os
import stat
import tempfile

from harness import DEVICE_PATH, NS, Server, body_child, call, fault_info, username_token
from prerequisites import zeep_client

TDS = NS["tds"]
TT = NS["tt"]
TER = NS["ter"]


def ok(testcase, resp):
    """Asserts a 200 answer and returns its Body child."""
    testcase.assertEqual(resp.status, 200, resp.body[:800])
    return body_child(resp.body)


def assert_time_answer(testcase, resp, within_s=300):
    """Asserts a GetSystemDateAndTime answer whose UTC time is the host's
    (within within_s): the request was served, not merely answered 200."""
    import datetime
    el = ok(testcase, resp)
    testcase.assertEqual(el.tag, "{%s}GetSystemDateAndTimeResponse" % TDS, resp.body[:600])
    utc = el.find("tds:SystemDateAndTime/tt:UTCDateTime", NS)
    testcase.assertIsNotNone(utc, resp.body[:600])
    told = datetime.datetime(*(int(utc.findtext("tt:Date/tt:" + f, namespaces=NS)) for f in ("Year", "Month", "Day")),
                             *(int(utc.findtext("tt:Time/tt:" + f, namespaces=NS)) for f in ("Hour", "Minute", "Second")),
                             tzinfo=datetime.timezone.utc)
    now = datetime.datetime.now(datetime.timezone.utc)
    testcase.assertLess(abs((told - now).total_seconds()), within_s, "device time %s, host %s" % (told, now))
    return el


def assert_fault(testcase, resp, *subcodes, code=None):
    """Asserts a SOAP fault whose subcodes start with `subcodes` (ter: local names)."""
    info = fault_info(resp.body)
    got = [s.split("}")[-1] for s in info["subcodes"]]
    testcase.assertEqual(got[:len(subcodes)], list(subcodes), "%s\n%s" % (info, resp.body[:600]))
    if code:
        testcase.assertEqual(info["code"], "{%s}%s" % (NS["env"], code))
    return info


def texts(el, path):
    return [e.text for e in el.findall(path, NS)]


class HookDir:
    """A temp folder with hook scripts; each records its arguments, one line
    per call, tab-separated, in <name>.log, and exits with the given status."""

    def __init__(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="onvifd-hooks-")
        self.path = self._tmp.name

    def hook(self, name, status=0, stdout=""):
        script = os.path.join(self.path, name)
        log = script + ".log"
        with open(script, "w") as f:
            f.write('#!/bin/sh\nprintf "%%s\\t" "$@" >> "%s"\necho >> "%s"\n' % (log, log))
            if stdout:
                f.write("echo '%s'\n" % stdout)
            f.write("exit %d\n" % status)
        os.chmod(script, stat.S_IRWXU)
        return script

    def calls(self, name):
        log = os.path.join(self.path, name + ".log")
        if not os.path.exists(log):
            return []
        with open(log) as f:
            return [line[:-2].split("\t") if line.endswith("\t\n") else [] for line in f if line != "\n"]

    def close(self):
        self._tmp.cleanup()


class PersistentServer:
    """A Server whose state file lives outside the server's own temp folder,
    so a second start sees what the first one stored."""

    def __init__(self, device=None, sections=None):
        self._tmp = tempfile.TemporaryDirectory(prefix="onvifd-state-")
        self.state_path = os.path.join(self._tmp.name, "state.ini")
        self.device = device
        self.sections = dict(sections or {})
        self.sections.setdefault("state", {})["path"] = self.state_path
        self.srv = None

    def start(self):
        self.srv = Server(device=self.device, sections=self.sections)
        self.srv.start()
        return self.srv

    def restart(self):
        self.assert_stopped_cleanly()
        return self.start()

    def assert_stopped_cleanly(self):
        code = self.srv.stop()
        self.srv.close()
        if code != 0:
            raise AssertionError("server exit status %r" % code)

    def close(self):
        if self.srv:
            self.srv.close()
        self._tmp.cleanup()


def device_time(srv):
    """The device's UTC clock, read anonymously (GetSystemDateAndTime is PRE_AUTH)."""
    import datetime
    resp = call(srv.port, "<tds:GetSystemDateAndTime/>", path=DEVICE_PATH, auth=None)
    utc = body_child(resp.body).find("tds:SystemDateAndTime/tt:UTCDateTime", NS)
    d, t = utc.find("tt:Date", NS), utc.find("tt:Time", NS)
    return datetime.datetime(*(int(d.find("tt:" + k, NS).text) for k in ("Year", "Month", "Day")),
                             *(int(t.find("tt:" + k, NS).text) for k in ("Hour", "Minute", "Second")))


def device_call(srv, body):
    """A device request signed as ONVIF clients do: the UsernameToken's
    Created comes from the device clock, which these tests set far away from
    the host's (SetSystemDateAndTime Manual)."""
    if body.startswith("<tds:GetSystemDateAndTime"):
        return call(srv.port, body, path=DEVICE_PATH)
    created = device_time(srv).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return call(srv.port, body, path=DEVICE_PATH, auth=None, header_xml=username_token("admin", "admin", created))


def zeep_device_client(port):
    """A python-zeep client for the device service from the official WSDL
    (offline, prerequisites.zeep_client), sending a UsernameToken for the
    default administrator."""
    client = zeep_client("onvif/ver10/device/wsdl/devicemgmt.wsdl", timeout=5)
    return client.create_service("{http://www.onvif.org/ver10/device/wsdl}DeviceBinding",
                                 "http://127.0.0.1:%d/onvif/device_service" % port)
