"""Profile T, declared only when true: walks the mandatory feature list of
the Profiles Conformance test specification's "Profile T Support Check"
against the running default camera, and checks that the device lists
onvif://www.onvif.org/Profile/T in its scopes exactly when every feature is
there (and names what is missing otherwise)."""
import unittest

from harness import DEVICE_PATH, EVENTS_PATH, MEDIA_PATH, NS, Server, body_child, call
from device_support import ok
from events_support import ENS

PROFILE_T = "onvif://www.onvif.org/Profile/T"
MEDIA2_NS = "http://www.onvif.org/ver20/media/wsdl"
TAMPERING = ["tns1:VideoSource/%s/ImagingService" % k
             for k in ("ImageTooBlurry", "ImageTooDark", "ImageTooBright", "GlobalSceneChange")]


def topic_paths(topic_set):
    """tns1:A/B/C for every topic leaf of a wstop:TopicSet."""
    out = []

    def walk(el, prefix):
        for child in el:
            if not isinstance(child.tag, str) or child.tag.startswith("{%s}" % NS["tt"]):
                continue
            name = child.tag.split("}")[-1]
            path = (prefix + "/" if prefix else "tns1:") + name
            if child.get("{http://docs.oasis-open.org/wsn/t-1}topic") == "true":
                out.append(path)
            walk(child, path)

    walk(topic_set, "")
    return out


def missing_features(testcase, srv):
    """The Profile T Support Check's mandatory features the device lacks."""
    port = srv.port
    missing = []
    services = ok(testcase, call(port, "<tds:GetServices><tds:IncludeCapability>true</tds:IncludeCapability>"
                                       "</tds:GetServices>"))
    namespaces = [s.find("tds:Namespace", NS).text for s in services.findall("tds:Service", NS)]
    for name, ns in (("Media2 service", MEDIA2_NS), ("Imaging service", NS["timg"]),
                     ("DeviceIO service", NS["tmd"]), ("Event service", NS["tev"])):
        if ns not in namespaces:
            missing.append(name)
    dev = ok(testcase, call(port, "<tds:GetServiceCapabilities/>")).find("tds:Capabilities", NS)
    if dev.find("tds:Security", NS).get("HttpDigest") != "true":
        missing.append("HTTP Digest")
    if dev.find("tds:System", NS).get("DiscoveryResolve") != "true":
        missing.append("WS-Discovery")
    for op in ("GetDiscoveryMode", "GetScopes", "GetHostname", "GetDNS", "GetNetworkInterfaces",
               "GetNetworkProtocols", "GetNetworkDefaultGateway", "GetDeviceInformation", "GetUsers", "GetWsdlUrl"):
        if call(port, "<tds:%s/>" % op).status != 200:
            missing.append(op)
    ev = ok(testcase, call(port, "<tev:GetServiceCapabilities/>", path=EVENTS_PATH)).find("tev:Capabilities", NS)
    if int(ev.get("MaxPullPoints", "0")) < 2:
        missing.append("two pull points")
    props = ok(testcase, call(port, "<tev:GetEventProperties/>", path=EVENTS_PATH))
    topics = topic_paths(props.find("wstop:TopicSet", dict(ENS, wstop="http://docs.oasis-open.org/wsn/t-1")))
    # "Check that at least one Tampering Event is supported by the DUT."
    if not any(topic in topics for topic in TAMPERING):
        missing.append("tampering event")
    if "tns1:VideoSource/MotionAlarm" not in topics:
        missing.append("tns1:VideoSource/MotionAlarm")
    if MEDIA2_NS in namespaces:
        caps = ok(testcase, call(port, "<tr2:GetServiceCapabilities/>", path="/onvif/media2_service"))
        c = caps.find("tr2:Capabilities", NS)
        if c is None or c.get("SnapshotUri") != "true":
            missing.append("JPEG snapshot (Media2)")
        if c is None or c.find("tr2:ProfileCapabilities", NS) is None:
            missing.append("MaximumNumberOfProfiles (Media2)")
    return missing


class TestProfileT(unittest.TestCase):

    def scopes(self, srv):
        el = ok(self, call(srv.port, "<tds:GetScopes/>"))
        return [s.find("tt:ScopeItem", NS).text for s in el.findall("tds:Scopes", NS)]

    def test_profile_t_scope_only_when_every_mandatory_feature_is_there(self):
        with Server() as srv:
            missing = missing_features(self, srv)
            claimed = PROFILE_T in self.scopes(srv)
            if missing:
                self.assertFalse(claimed, "Profile T claimed, but missing: %s" % ", ".join(missing))
            else:
                self.assertTrue(claimed, "every Profile T feature is there, but the scope is not listed")

    def test_default_camera_claims_profile_t(self):
        # The default camera serves Media2, Imaging and DeviceIO and raises
        # all four tampering events (simulated), so the walk finds nothing
        # missing and the scope is listed.
        with Server() as srv:
            self.assertEqual(missing_features(self, srv), [])
            self.assertIn(PROFILE_T, self.scopes(srv))
            props = ok(self, call(srv.port, "<tev:GetEventProperties/>", path=EVENTS_PATH))
            topics = topic_paths(props.find("wstop:TopicSet", dict(ENS, wstop="http://docs.oasis-open.org/wsn/t-1")))
            self.assertEqual([t for t in TAMPERING if t in topics], TAMPERING)

    def test_one_tampering_kind_is_enough(self):
        with Server(sections={"events": {"tampering": "GlobalSceneChange"}}) as srv:
            self.assertEqual(missing_features(self, srv), [])
            self.assertIn(PROFILE_T, self.scopes(srv))

    def test_no_profile_t_without_imaging_or_tampering(self):
        for device, sections, lacking in (({}, {"imaging": {"enabled": "false"}}, "Imaging service"),
                                          ({}, {"events": {"tampering": ""}}, "tampering event"),
                                          # a real camera names its tampering detectors, or has none
                                          ({"host": "real"}, {}, "tampering event")):
            with Server(device=device, sections=sections) as srv:
                self.assertNotIn(PROFILE_T, self.scopes(srv), sections)
                self.assertIn(lacking, missing_features(self, srv), sections)


if __name__ == "__main__":
    unittest.main()
