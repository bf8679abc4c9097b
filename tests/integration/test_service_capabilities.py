"""What Media2, PTZ, Imaging and DeviceIO say they do is what they do.

The capabilities are enumerated from the official schema of each service's
GetServiceCapabilities (every attribute of its Capabilities type and of the
types of its child elements), so none is missed: an attribute the device
states is its claim, one it leaves out claims the schema default (false for a
boolean without one, "absent" otherwise), and a child element it leaves out
claims that nothing of it is supported. Each is probed by behaviour, and a
capability without a probe fails the test. Each service runs under two
configurations that change the answers (MEDIA2-7-1-1, PTZ-8-1-1,
IMAGING-3-1-1 and DeviceIO "Get Device IO Service Capabilities" check the
response; here the response is checked against what the device does), and
under each the service's GetServices(IncludeCapability=true) entry equals
its GetServiceCapabilities (MEDIA2-7-1-2, PTZ-8-1-2, IMAGING-3-1-2).
"""
import os
import socket
import ssl
import time
import unittest

from lxml import etree

import harness
from capability_support import canonical, not_supported, snapshot_is_jpeg
from device_support import HookDir, assert_fault, ok
from harness import DEVICEIO_PATH, IMAGING_PATH, MEDIA2_PATH, NS, PTZ_PATH, Server, call, fault_info
from prerequisites import wsdl_cache_or_missing

XS = "http://www.w3.org/2001/XMLSchema"
ABSENT = "absent"


def absent(testcase, resp, what):
    """None when the operation behind an unclaimed feature answers
    ter:ActionNotSupported; an answer means the feature exists, and then
    its capability needs a real probe here."""
    if not_supported(resp):
        return None
    testcase.fail("%s answered (HTTP %d): the capability needs its probe" % (what, resp.status))


class SchemaTypes:
    """The complex types of one service WSDL's schema, by name."""

    def __init__(self, wsdl):
        path = os.path.join(wsdl_cache_or_missing(), wsdl)
        doc = etree.parse(path, etree.XMLParser(no_network=True, resolve_entities=False))
        self.types = {ct.get("name"): ct for ct in doc.iter("{%s}complexType" % XS) if ct.get("name")}

    def attributes(self, type_name):
        """[(name, xs type, default)] of a complex type's own attributes."""
        ct = self.types[type_name]
        return [(a.get("name"), a.get("type"), a.get("default")) for a in ct.iter("{%s}attribute" % XS)
                if a.get("name")]

    def elements(self, type_name):
        """[(name, type local name)] of the child elements whose type this schema defines."""
        ct = self.types[type_name]
        out = []
        for e in ct.iter("{%s}element" % XS):
            local = (e.get("type") or "").split(":")[-1]
            if e.get("name") and local in self.types:
                out.append((e.get("name"), local))
        return out


def claims(types, type_name, el):
    """{capability name: claimed string} of el (a Capabilities element, or
    None when absent) against its schema type; child elements recurse. An
    absent child element is claimed as ABSENT under its own name."""
    out = {}
    for name, xs_type, default in types.attributes(type_name):
        value = None if el is None else el.get(name)
        if value is None:
            value = default if default is not None else ("false" if xs_type == "xs:boolean" else ABSENT)
        out[name] = value.strip()
    for name, child_type in types.elements(type_name):
        child = None if el is None else el.find("{%s}%s" % (etree.QName(el).namespace, name))
        if child is None:
            out[name] = ABSENT
        else:
            out.update(claims(types, child_type, child))
    return out


def as_claim(got):
    if isinstance(got, bool):
        return "true" if got else "false"
    return ABSENT if got is None else str(got)


def check_service(testcase, types, type_name, caps, probes):
    """Every capability of caps probed; returns {name: claim} checked."""
    claimed = claims(types, type_name, caps)
    probes.claimed = claimed
    for name, value in claimed.items():
        probe = getattr(probes, name, None)
        testcase.assertIsNotNone(probe, "no behaviour probe for capability %s" % name)
        with testcase.subTest(capability=name, claimed=value):
            testcase.assertEqual(value, as_claim(probe()))
    # Everything the device said is among what was probed.
    for el in caps.iter():
        for name in el.attrib:
            testcase.assertIn(name, claimed, "%s states %s, which its schema does not have" % (el.tag, name))
    return claimed


def assert_get_services_consistent(testcase, srv, ns, path, caps):
    """GetServices(IncludeCapability=true) gives the service's XAddr and
    exactly the capabilities its GetServiceCapabilities answered (caps)."""
    services = ok(testcase, call(srv.port, "<tds:GetServices><tds:IncludeCapability>true</tds:IncludeCapability>"
                                           "</tds:GetServices>"))
    entry = [s for s in services.findall("tds:Service", NS) if s.findtext("tds:Namespace", namespaces=NS) == ns]
    testcase.assertEqual(len(entry), 1, "GetServices lists %s once" % ns)
    testcase.assertEqual(entry[0].findtext("tds:XAddr", namespaces=NS), "http://%s:%d%s" % (harness.HOST, srv.port, path))
    advertised = [c for c in entry[0].find("tds:Capabilities", NS) if isinstance(c.tag, str)]
    testcase.assertEqual([canonical(c) for c in advertised], [canonical(caps)])


class ConsistencyMixin:
    """The GetServices entry of the service under test equals its capabilities."""
    NAMESPACE = PATH = None

    def check_consistency(self):
        assert_get_services_consistent(self, self.srv, self.NAMESPACE, self.PATH, self.capabilities())


# --- Media2 -----------------------------------------------------------------

# tr2:ConfigurationEnumeration, and the operation that lists each type's configurations.
CONFIG_LISTS = [
    ("VideoSource", "tr2:GetVideoSourceConfigurations"),
    ("AudioSource", "tr2:GetAudioSourceConfigurations"),
    ("VideoEncoder", "tr2:GetVideoEncoderConfigurations"),
    ("AudioEncoder", "tr2:GetAudioEncoderConfigurations"),
    ("Analytics", "tr2:GetAnalyticsConfigurations"),
    ("PTZ", "tptz:GetConfigurations"),
    ("Metadata", "tr2:GetMetadataConfigurations"),
    ("AudioOutput", "tr2:GetAudioOutputConfigurations"),
    ("AudioDecoder", "tr2:GetAudioDecoderConfigurations"),
    ("Receiver", None),  # the Receiver service, which this device does not have
]


class Media2Probes:
    """What the Media2 service and the RTSP server behind its URIs do."""

    PROFILE = "Profile_1"

    def __init__(self, testcase, srv, stream):
        self.t, self.srv, self.stream = testcase, srv, stream

    def call(self, body, path=MEDIA2_PATH):
        return call(self.srv.port, body, path=path)

    def stream_uri(self, protocol, profile=PROFILE):
        return self.call("<tr2:GetStreamUri><tr2:Protocol>%s</tr2:Protocol><tr2:ProfileToken>%s</tr2:ProfileToken>"
                         "</tr2:GetStreamUri>" % (protocol, profile))

    def rtsp_client(self, protocol="RtspUnicast", encoding="H264", **kw):
        """An RtspClient on the profile's URI for protocol. The reference
        stream server answers 503 while it tears down the media of a client
        that just left: retried for a few seconds."""
        from stream_support import RtspClient
        deadline = time.monotonic() + 5
        while True:
            try:
                return RtspClient(self.stream.port, self.rtsp_path(protocol), encoding, **kw)
            except AssertionError as e:
                if ": 503" not in str(e) or time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def rtsp_path(self, protocol="RtspUnicast"):
        uri = ok(self.t, self.stream_uri(protocol)).findtext("tr2:Uri", namespaces=NS)
        return "/" + uri.split("/", 3)[3]

    def _delete_profile(self, token):
        ok(self.t, self.call("<tr2:DeleteProfile><tr2:Token>%s</tr2:Token></tr2:DeleteProfile>" % token))

    # -- ProfileCapabilities
    def MaximumNumberOfProfiles(self):
        """Profiles in all once CreateProfile answers ter:MaxNVTProfiles
        (fixed ones included)."""
        created = []
        try:
            for i in range(70):
                resp = self.call("<tr2:CreateProfile><tr2:Name>probe%d</tr2:Name></tr2:CreateProfile>" % i)
                if resp.status != 200:
                    self.t.assertIn("{%s}MaxNVTProfiles" % NS["ter"], fault_info(resp.body)["subcodes"])
                    break
                created.append(ok(self.t, resp).findtext("tr2:Token", namespaces=NS))
            return len(ok(self.t, self.call("<tr2:GetProfiles/>")).findall("tr2:Profiles", NS))
        finally:
            for token in created:
                self._delete_profile(token)

    def ConfigurationsSupported(self):
        """The types whose first configuration AddConfiguration puts into a
        new profile (GetProfiles Type=All shows it there); the claim when
        the same set, else what was seen."""
        token = ok(self.t, self.call("<tr2:CreateProfile><tr2:Name>types</tr2:Name></tr2:CreateProfile>")).findtext(
            "tr2:Token", namespaces=NS)
        try:
            added = []
            for kind, op in CONFIG_LISTS:
                if op is None:
                    continue
                path = PTZ_PATH if op.startswith("tptz:") else MEDIA2_PATH
                listing = self.call("<%s/>" % op, path=path)
                if listing.status != 200:
                    continue
                first = next((c for c in ok(self.t, listing) if isinstance(c.tag, str) and c.get("token")), None)
                if first is None:
                    continue
                resp = self.call("<tr2:AddConfiguration><tr2:ProfileToken>%s</tr2:ProfileToken><tr2:Configuration>"
                                 "<tr2:Type>%s</tr2:Type><tr2:Token>%s</tr2:Token></tr2:Configuration>"
                                 "</tr2:AddConfiguration>" % (token, kind, first.get("token")))
                if resp.status == 200:
                    added.append(kind)
            profile = ok(self.t, self.call("<tr2:GetProfiles><tr2:Token>%s</tr2:Token><tr2:Type>All</tr2:Type>"
                                           "</tr2:GetProfiles>" % token)).find("tr2:Profiles", NS)
            shown = {etree.QName(c).localname for c in profile.find("tr2:Configurations", NS)}
            self.t.assertEqual(set(added), shown, "AddConfiguration answered OK, GetProfiles shows otherwise")
        finally:
            self._delete_profile(token)
        claimed = self.claimed["ConfigurationsSupported"].split()
        return self.claimed["ConfigurationsSupported"] if set(claimed) == set(added) else " ".join(added)

    # -- StreamingCapabilities
    def RTSPStreaming(self):
        """An RtspUnicast URI whose DESCRIBE has a video track, played."""
        if self.stream_uri("RtspUnicast").status != 200:
            return False
        client = self.rtsp_client()
        try:
            return "m=video" in client.sdp and client.rtp(5.0) is not None
        finally:
            client.sock.close()

    def RTPMulticast(self):
        """An RtspMulticast URI whose SETUP for multicast is answered with a group."""
        if self.stream_uri("RtspMulticast").status != 200:
            return False
        client = self.rtsp_client("RtspMulticast", transport="RTP/AVP;multicast")
        try:
            return "multicast" in client.transport and "destination=239." in client.transport
        finally:
            client.sock.close()

    def RTP_RTSP_TCP(self):
        """RTP interleaved in the RTSP connection: SETUP, PLAY, and a packet."""
        client = self.rtsp_client()
        try:
            return client.rtp(5.0) is not None
        finally:
            client.sock.close()

    def NonAggregateControl(self):
        """PLAY on the track's control URI (Streaming "Stream control")."""
        client = self.rtsp_client()
        try:
            control = client.track_control("H264")
            track = control if control.startswith("rtsp://") else client.base.rstrip("/") + "/" + control
            status, _, _ = client.request("PLAY", track, {})
            return status == 200
        finally:
            client.sock.close()

    def _websocket_upgrade(self, host, port, path):
        """True when an RTSP-over-WebSocket upgrade (Streaming 5.1.1.5) is answered 101."""
        req = ("GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
               "Sec-WebSocket-Protocol: rtsp.onvif.org\r\n\r\n" % (path, host, port))
        with socket.create_connection((host, port), timeout=5) as s:
            s.sendall(req.encode())
            return s.recv(4096).startswith(b"HTTP/1.1 101")

    def RTSPWebSocketUri(self):
        """The claimed URI answers the upgrade; without a claim neither the
        device's web server nor the stream server's HTTP tunnel does."""
        claimed = self.claimed["RTSPWebSocketUri"]
        if claimed != ABSENT:
            host, _, port = claimed.split("/")[2].rpartition(":")
            path = "/" + claimed.split("/", 3)[3] if claimed.count("/") >= 3 else "/"
            return claimed if self._websocket_upgrade(host.strip("[]"), int(port or 80), path) else None
        tunnel = ok(self.t, self.stream_uri("RtspOverHttp")).findtext("tr2:Uri", namespaces=NS)
        if self._websocket_upgrade(harness.HOST, self.srv.port, "/") or \
                self._websocket_upgrade(harness.HOST, self.stream.port, "/" + tunnel.split("/", 3)[3]):
            return "a WebSocket upgrade answered"
        return None

    def AutoStartMulticast(self):
        """StartMulticastStreaming and StopMulticastStreaming are taken
        (Media2 spec: a device claiming it shall support them)."""
        results = [self.call("<tr2:%s><tr2:ProfileToken>%s</tr2:ProfileToken></tr2:%s>" % (op, self.PROFILE, op))
                   for op in ("StartMulticastStreaming", "StopMulticastStreaming")]
        if all(not_supported(r) for r in results):
            return False
        for r in results:
            ok(self.t, r)
        return True

    def SecureRTSPStreaming(self):
        """An RtspsUnicast URI whose server completes a TLS handshake."""
        resp = self.stream_uri("RtspsUnicast")
        if resp.status != 200:
            return False
        uri = ok(self.t, resp).findtext("tr2:Uri", namespaces=NS)
        host, _, port = uri.split("/")[2].rpartition(":")
        ctx = ssl.create_default_context()
        ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
        try:
            with socket.create_connection((host.strip("[]"), int(port or 322)), timeout=5) as raw:
                with ctx.wrap_socket(raw):
                    return True
        except (OSError, ssl.SSLError):
            return False

    # -- Capabilities2
    def SnapshotUri(self):
        """GetSnapshotUri answers a URI, and a GET of it (HTTP Digest) is a JPEG."""
        resp = self.call("<tr2:GetSnapshotUri><tr2:ProfileToken>%s</tr2:ProfileToken></tr2:GetSnapshotUri>"
                         % self.PROFILE)
        if not_supported(resp):
            return False
        return snapshot_is_jpeg(self.srv.port, ok(self.t, resp).findtext("tr2:Uri", namespaces=NS))

    def _video_source_configuration(self):
        return ok(self.t, self.call("<tr2:GetVideoSourceConfigurations/>")).find("tr2:Configurations", NS)

    def Rotation(self):
        """SetVideoSourceConfiguration with Rotate ON 180 is taken and kept."""
        cfg = self._video_source_configuration()
        cfg.tag = "{%s}Configuration" % NS["tr2"]
        for old in cfg.findall("tt:Extension", NS):
            cfg.remove(old)
        rotate = etree.SubElement(etree.SubElement(cfg, "{%s}Extension" % NS["tt"]), "{%s}Rotate" % NS["tt"])
        etree.SubElement(rotate, "{%s}Mode" % NS["tt"]).text = "ON"
        etree.SubElement(rotate, "{%s}Degree" % NS["tt"]).text = "180"
        resp = self.call("<tr2:SetVideoSourceConfiguration>%s</tr2:SetVideoSourceConfiguration>"
                         % etree.tostring(cfg).decode())
        if resp.status != 200:
            return False
        now = self._video_source_configuration()
        return now.findtext("tt:Extension/tt:Rotate/tt:Mode", namespaces=NS) == "ON"

    def VideoSourceMode(self):
        """GetVideoSourceModes lists modes, and SetVideoSourceMode takes the current one."""
        resp = self.call("<tr2:GetVideoSourceModes><tr2:VideoSourceToken>VideoSource_1</tr2:VideoSourceToken>"
                         "</tr2:GetVideoSourceModes>")
        if not_supported(resp):
            return False
        modes = ok(self.t, resp).findall("tr2:VideoSourceModes", NS)
        current = [m.get("token") for m in modes if m.findtext("tr2:Enabled", namespaces=NS) == "true"] or \
                  [m.get("token") for m in modes]
        if not current:
            return False
        return self.call("<tr2:SetVideoSourceMode><tr2:VideoSourceToken>VideoSource_1</tr2:VideoSourceToken>"
                         "<tr2:VideoSourceModeToken>%s</tr2:VideoSourceModeToken></tr2:SetVideoSourceMode>"
                         % current[0]).status == 200

    def _create_osd(self, text):
        vsc = self._video_source_configuration().get("token")
        resp = self.call("<tr2:CreateOSD><tr2:OSD token=\"probe\"><tt:VideoSourceConfigurationToken>%s"
                         "</tt:VideoSourceConfigurationToken><tt:Type>Text</tt:Type><tt:Position><tt:Type>UpperLeft"
                         "</tt:Type></tt:Position>%s</tr2:OSD></tr2:CreateOSD>" % (vsc, text))
        if resp.status != 200:
            self.t.assertTrue(not_supported(resp), resp.body[:400])
            return None
        token = ok(self.t, resp).findtext("tr2:OSDToken", namespaces=NS)
        self.t.addCleanup(lambda: self.call("<tr2:DeleteOSD><tr2:OSDToken>%s</tr2:OSDToken></tr2:DeleteOSD>" % token))
        return ok(self.t, self.call("<tr2:GetOSDs><tr2:OSDToken>%s</tr2:OSDToken></tr2:GetOSDs>" % token)).find(
            "tr2:OSDs", NS)

    def OSD(self):
        osd = self._create_osd("<tt:TextString><tt:Type>Plain</tt:Type><tt:PlainText>probe</tt:PlainText>"
                               "</tt:TextString>")
        return osd is not None and osd.findtext("tt:TextString/tt:PlainText", namespaces=NS) == "probe"

    def TemporaryOSDText(self):
        """A text OSD with IsPersistentText false is created and says so."""
        osd = self._create_osd('<tt:TextString IsPersistentText="false"><tt:Type>Plain</tt:Type>'
                               "<tt:PlainText>for now</tt:PlainText></tt:TextString>")
        return osd is not None and osd.find("tt:TextString", NS).get("IsPersistentText") == "false"

    def Mask(self):
        """GetMaskOptions gives options and CreateMask makes a mask."""
        vsc = self._video_source_configuration().get("token")
        options = self.call("<tr2:GetMaskOptions><tr2:ConfigurationToken>%s</tr2:ConfigurationToken>"
                            "</tr2:GetMaskOptions>" % vsc)
        create = self.call("<tr2:CreateMask><tr2:Mask><tr2:ConfigurationToken>%s</tr2:ConfigurationToken>"
                           "<tr2:Polygon><tt:Point x=\"-0.5\" y=\"-0.5\"/><tt:Point x=\"0.5\" y=\"-0.5\"/>"
                           "<tt:Point x=\"0\" y=\"0.5\"/></tr2:Polygon><tr2:Type>Color</tr2:Type>"
                           "<tr2:Enabled>true</tr2:Enabled></tr2:Mask></tr2:CreateMask>" % vsc)
        if not_supported(options) and not_supported(create):
            return False
        return options.status == 200 and create.status == 200

    def SourceMask(self):
        """Masks kept per video source: none without masks at all. With
        masks, a probe must show one created on one video source
        configuration on the others of the same source."""
        if not self.Mask():
            return False
        self.t.fail("masks exist: SourceMask needs its probe")

    def WebRTC(self):
        """WebRTC configurations: none without GetWebRTCConfigurations."""
        return absent(self.t, self.call("<tr2:GetWebRTCConfigurations/>"), "GetWebRTCConfigurations")

    def WebRTC_codecs(self):
        return self.WebRTC()

    def AudioClipCapabilities(self):
        return absent(self.t, self.call("<tr2:GetAudioClips/>"), "GetAudioClips")

    def MulticastAudioDecoderCapabilities(self):
        return absent(self.t, self.call("<tr2:GetMulticastAudioDecoderConfigurations/>"),
                      "GetMulticastAudioDecoderConfigurations")


class Media2CapabilityCase(ConsistencyMixin):
    NAMESPACE, PATH = NS["tr2"], MEDIA2_PATH
    MEDIA = {}
    SECTIONS = {}

    @classmethod
    def setUpClass(cls):
        from stream_support import start_camera
        cls.types = SchemaTypes("onvif/ver20/media/wsdl/media.wsdl")
        sections = dict({"discovery": {"port": "0"}}, **cls.SECTIONS)
        cls.stream, cls.srv = start_camera(cls, media=cls.MEDIA, sections=sections)

    def capabilities(self):
        el = ok(self, call(self.srv.port, "<tr2:GetServiceCapabilities/>", path=MEDIA2_PATH))
        return el.find("tr2:Capabilities", NS)

    def test_MEDIA2_7_1_1_every_capability_matches_behaviour(self):
        checked = check_service(self, self.types, "Capabilities2", self.capabilities(),
                                Media2Probes(self, self.srv, self.stream))
        self.assertGreaterEqual(len(checked), 18)

    def test_MEDIA2_7_1_2_GetServices_capabilities_equal_GetServiceCapabilities(self):
        self.check_consistency()


class Media2DefaultCamera(Media2CapabilityCase, unittest.TestCase):
    """The embedded default's camera: snapshots, OSDs, PTZ, no multicast, no audio."""

    def test_claims(self):
        caps = self.capabilities()
        self.assertEqual((caps.get("SnapshotUri"), caps.get("OSD"), caps.get("Mask")), ("true", "true", "false"))
        self.assertEqual(caps.find("tr2:ProfileCapabilities", NS).get("ConfigurationsSupported").split(),
                         ["VideoSource", "VideoEncoder", "PTZ", "Metadata"])
        self.assertEqual(caps.find("tr2:StreamingCapabilities", NS).get("RTPMulticast"), "false")


class Media2SmallCamera(Media2CapabilityCase, unittest.TestCase):
    """No snapshots, no OSD, no PTZ; multicast and audio on; three profiles."""

    MEDIA = {"snapshot_uri": "", "osd_max": "0", "multicast": "true", "max_profiles": "3", "audio": "true"}
    SECTIONS = {"ptz": {"enabled": "false"}}

    def test_claims(self):
        caps = self.capabilities()
        self.assertEqual((caps.get("SnapshotUri"), caps.get("OSD"), caps.get("TemporaryOSDText")),
                         ("false", "false", "false"))
        profiles = caps.find("tr2:ProfileCapabilities", NS)
        self.assertEqual(profiles.get("MaximumNumberOfProfiles"), "3")
        self.assertEqual(set(profiles.get("ConfigurationsSupported").split()),
                         {"VideoSource", "AudioSource", "VideoEncoder", "AudioEncoder", "Metadata"})
        streaming = caps.find("tr2:StreamingCapabilities", NS)
        self.assertEqual((streaming.get("RTPMulticast"), streaming.get("AutoStartMulticast")), ("true", "true"))



# --- PTZ --------------------------------------------------------------------

class PtzProbes:
    """What the PTZ service and its (simulated) head do."""

    PROFILE = "Profile_1"

    def __init__(self, testcase, srv):
        self.t, self.srv = testcase, srv

    def call(self, body, path=PTZ_PATH):
        return call(self.srv.port, body, path=path)

    def _configuration(self):
        return ok(self.t, self.call("<tptz:GetConfigurations/>")).find("tptz:PTZConfiguration", NS)

    def _direction(self, kind, mode):
        """SetConfiguration with PTControlDirection/<kind> Mode; True when
        taken and GetConfiguration then shows it."""
        cfg = self._configuration()
        token = cfg.get("token")
        ext = cfg.find("tt:Extension", NS)
        if ext is None:
            ext = etree.SubElement(cfg, "{%s}Extension" % NS["tt"])
        direction = ext.find("tt:PTControlDirection", NS)
        if direction is None:
            direction = etree.Element("{%s}PTControlDirection" % NS["tt"])
            ext.insert(0, direction)
        el = direction.find("tt:%s" % kind, NS)
        if el is None:
            el = etree.Element("{%s}%s" % (NS["tt"], kind))
            direction.insert(0 if kind == "EFlip" else len(direction.findall("tt:EFlip", NS)), el)
        for child in list(el):
            el.remove(child)
        etree.SubElement(el, "{%s}Mode" % NS["tt"]).text = mode
        resp = self.call("<tptz:SetConfiguration>%s<tptz:ForcePersistence>true</tptz:ForcePersistence>"
                         "</tptz:SetConfiguration>" % etree.tostring(cfg).decode())
        if resp.status != 200:
            return False
        now = ok(self.t, self.call("<tptz:GetConfiguration><tptz:PTZConfigurationToken>%s"
                                   "</tptz:PTZConfigurationToken></tptz:GetConfiguration>" % token))
        return now.findtext("tptz:PTZConfiguration/tt:Extension/tt:PTControlDirection/tt:%s/tt:Mode" % kind,
                            namespaces=NS) == mode

    def _direction_options(self, kind):
        token = self._configuration().get("token")
        opts = ok(self.t, self.call("<tptz:GetConfigurationOptions><tptz:ConfigurationToken>%s"
                                    "</tptz:ConfigurationToken></tptz:GetConfigurationOptions>" % token))
        return [m.text for m in opts.findall("tptz:PTZConfigurationOptions/tt:PTControlDirection/tt:%s/tt:Mode"
                                             % kind, NS)]

    def _mode_probe(self, kind):
        """ON taken and shown (then OFF again), and offered by the options."""
        offered = "ON" in self._direction_options(kind)
        taken = self._direction(kind, "ON")
        if taken:
            self.t.assertTrue(self._direction(kind, "OFF"))
        self.t.assertEqual(offered, taken, "%s ON offered by the options iff SetConfiguration takes it" % kind)
        return taken

    def EFlip(self):
        return self._mode_probe("EFlip")

    def Reverse(self):
        return self._mode_probe("Reverse")

    def GetCompatibleConfigurations(self):
        """Answers configurations, every one of which the node has."""
        resp = self.call("<tptz:GetCompatibleConfigurations><tptz:ProfileToken>%s</tptz:ProfileToken>"
                         "</tptz:GetCompatibleConfigurations>" % self.PROFILE)
        if not_supported(resp):
            return False
        compatible = [c.get("token") for c in ok(self.t, resp).findall("tptz:PTZConfiguration", NS)]
        known = [c.get("token") for c in ok(self.t, self.call("<tptz:GetConfigurations/>")).findall(
            "tptz:PTZConfiguration", NS)]
        return bool(compatible) and set(compatible) <= set(known)

    def _status(self):
        return ok(self.t, self.call("<tptz:GetStatus><tptz:ProfileToken>%s</tptz:ProfileToken></tptz:GetStatus>"
                                    % self.PROFILE)).find("tptz:PTZStatus", NS)

    def MoveStatus(self):
        """GetStatus says MOVING during a ContinuousMove and IDLE after Stop."""
        ok(self.t, self.call("<tptz:ContinuousMove><tptz:ProfileToken>%s</tptz:ProfileToken><tptz:Velocity>"
                             '<tt:PanTilt x="0.5" y="0"/></tptz:Velocity></tptz:ContinuousMove>' % self.PROFILE))
        moving = self._status().findtext("tt:MoveStatus/tt:PanTilt", namespaces=NS)
        ok(self.t, self.call("<tptz:Stop><tptz:ProfileToken>%s</tptz:ProfileToken></tptz:Stop>" % self.PROFILE))
        deadline = time.monotonic() + 5
        idle = None
        while time.monotonic() < deadline and idle != "IDLE":
            idle = self._status().findtext("tt:MoveStatus/tt:PanTilt", namespaces=NS)
            time.sleep(0.05)
        return (moving, idle) == ("MOVING", "IDLE")

    def StatusPosition(self):
        """GetStatus reports the position an AbsoluteMove reaches."""
        ok(self.t, self.call("<tptz:AbsoluteMove><tptz:ProfileToken>%s</tptz:ProfileToken><tptz:Position>"
                             '<tt:PanTilt x="0.25" y="-0.5"/></tptz:Position></tptz:AbsoluteMove>' % self.PROFILE))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            pt = self._status().find("tt:Position/tt:PanTilt", NS)
            if pt is None:
                return False
            if abs(float(pt.get("x")) - 0.25) < 0.01 and abs(float(pt.get("y")) + 0.5) < 0.01:
                return True
            time.sleep(0.1)
        return False

    def MoveAndTrack(self):
        """The MoveAndTrack methods; None when the operation is refused."""
        resp = self.call("<tptz:MoveAndTrack><tptz:ProfileToken>%s</tptz:ProfileToken><tptz:ObjectID>1"
                         "</tptz:ObjectID></tptz:MoveAndTrack>" % self.PROFILE)
        return absent(self.t, resp, "MoveAndTrack")


class PtzCapabilityCase(ConsistencyMixin):
    NAMESPACE, PATH = NS["tptz"], PTZ_PATH
    PTZ = {}

    @classmethod
    def setUpClass(cls):
        cls.types = SchemaTypes("onvif/ver20/ptz/wsdl/ptz.wsdl")
        cls.srv = Server(sections={"discovery": {"port": "0"}, "events": {"simulator_period_s": "0"},
                                   "ptz": dict({"enabled": "true"}, **cls.PTZ)})
        cls.addClassCleanup(cls.srv.close)
        cls.srv.start()

    def capabilities(self):
        return ok(self, call(self.srv.port, "<tptz:GetServiceCapabilities/>", path=PTZ_PATH)).find(
            "tptz:Capabilities", NS)

    def test_PTZ_8_1_1_every_capability_matches_behaviour(self):
        self.assertEqual(len(check_service(self, self.types, "Capabilities", self.capabilities(),
                                           PtzProbes(self, self.srv))), 6)

    def test_PTZ_8_1_2_GetServices_capabilities_equal_GetServiceCapabilities(self):
        self.check_consistency()


class PtzDefaultHead(PtzCapabilityCase, unittest.TestCase):
    def test_claims(self):
        caps = self.capabilities()
        self.assertEqual((caps.get("EFlip"), caps.get("Reverse"), caps.get("StatusPosition")),
                         ("false", "false", "true"))


class PtzHeadWithEFlipAndReverse(PtzCapabilityCase, unittest.TestCase):
    PTZ = {"eflip": "true", "reverse": "true"}

    def test_claims(self):
        caps = self.capabilities()
        self.assertEqual((caps.get("EFlip"), caps.get("Reverse")), ("true", "true"))


# A head whose firmware reports: hook_move keeps the commanded state in a
# file, hook_status prints it ("PAN TILT ZOOM moving|idle moving|idle").
FIRMWARE_MOVE = r"""#!/bin/sh
state="$(dirname "$0")/state"
[ -f "$state" ] || echo "0 0 0 idle idle" > "$state"
read pan tilt zoom pt z < "$state"
case "$2" in
  absolute) [ "$3" = - ] || pan=$3; [ "$4" = - ] || tilt=$4; [ "$5" = - ] || zoom=$5; pt=idle; z=idle ;;
  continuous) [ "$3" = - ] || pt=moving; [ "$5" = - ] || z=moving ;;
  stop) pt=idle; z=idle ;;
esac
echo "$pan $tilt $zoom $pt $z" > "$state"
"""
FIRMWARE_STATUS = r"""#!/bin/sh
state="$(dirname "$0")/state"
[ -f "$state" ] || echo "0 0 0 idle idle" > "$state"
cat "$state"
"""


class PtzReportedHead(PtzCapabilityCase, unittest.TestCase):
    """position = reported: the position and move status are the
    firmware's (hook_status), moves go to hook_move."""

    @classmethod
    def setUpClass(cls):
        import stat
        import tempfile
        cls.firmware = tempfile.TemporaryDirectory(prefix="onvifd-ptz-firmware-")
        cls.addClassCleanup(cls.firmware.cleanup)
        hooks = {}
        for name, text in (("move", FIRMWARE_MOVE), ("status", FIRMWARE_STATUS)):
            hooks[name] = os.path.join(cls.firmware.name, name)
            with open(hooks[name], "w") as f:
                f.write(text)
            os.chmod(hooks[name], stat.S_IRWXU)
        cls.PTZ = {"position": "reported", "hook_move": hooks["move"], "hook_status": hooks["status"]}
        super().setUpClass()

    def test_claims(self):
        caps = self.capabilities()
        self.assertEqual((caps.get("MoveStatus"), caps.get("StatusPosition")), ("true", "true"))


# --- Imaging ----------------------------------------------------------------

SOURCE = "VideoSource_1"


class ImagingProbes:
    def __init__(self, testcase, srv):
        self.t, self.srv = testcase, srv

    def call(self, body):
        return call(self.srv.port, body, path=IMAGING_PATH)

    def _op(self, op, extra=""):
        return self.call("<timg:%s><timg:VideoSourceToken>%s</timg:VideoSourceToken>%s</timg:%s>"
                         % (op, SOURCE, extra, op))

    def _level(self, name):
        return float(ok(self.t, self._op("GetImagingSettings")).findtext("timg:ImagingSettings/tt:" + name,
                                                                         namespaces=NS))

    def _set_level(self, name, value):
        ok(self.t, self._op("SetImagingSettings", "<timg:ImagingSettings><tt:%s>%s</tt:%s></timg:ImagingSettings>"
                                                  % (name, value, name)))

    def _apply(self, token):
        ok(self.t, self._op("SetCurrentPreset", "<timg:PresetToken>%s</timg:PresetToken>" % token))

    def ImageStabilization(self):
        """GetOptions offers it and SetImagingSettings takes it."""
        offered = ok(self.t, self._op("GetOptions")).find("timg:ImagingOptions/tt:Extension/tt:ImageStabilization",
                                                           NS) is not None
        resp = self._op("SetImagingSettings", "<timg:ImagingSettings><tt:Extension><tt:ImageStabilization>"
                                              "<tt:Mode>OFF</tt:Mode></tt:ImageStabilization></tt:Extension>"
                                              "</timg:ImagingSettings>")
        self.t.assertEqual(offered, resp.status == 200, "ImageStabilization offered iff SetImagingSettings takes it")
        return offered

    def _presets(self):
        resp = self._op("GetPresets")
        if not_supported(resp):
            return None
        return [p.get("token") for p in ok(self.t, resp).findall("timg:Preset", NS)]

    def Presets(self):
        """GetPresets lists presets, SetCurrentPreset applies one and
        GetCurrentPreset names it."""
        presets = self._presets()
        if presets is None:
            for op in ("GetCurrentPreset", "SetCurrentPreset"):
                self.t.assertTrue(not_supported(self._op(op, "<timg:PresetToken>x</timg:PresetToken>"
                                                         if op.startswith("Set") else "")), op)
            return False
        for token in presets:
            ok(self.t, self._op("SetCurrentPreset", "<timg:PresetToken>%s</timg:PresetToken>" % token))
            current = ok(self.t, self._op("GetCurrentPreset")).find("timg:Preset", NS)
            self.t.assertEqual(getattr(current, "attrib", {}).get("token"), token)
        return bool(presets)

    def AdaptablePreset(self):
        """SetImagingSettings changes the active preset (Imaging spec
        "SetImagingSettings"): a level the preset sets, changed while it is
        active, is kept when the preset is applied again. A preset that
        brings back its own value is not adaptable; when every change sticks,
        the presets are adaptable only if the changed one stays current."""
        presets = self._presets()
        if not presets:
            return False
        for token in presets:
            for name in ("Brightness", "Contrast", "ColorSaturation", "Sharpness"):
                self._apply(token)
                own = self._level(name)
                changed = 23.0 if own != 23.0 else 77.0
                self._set_level(name, changed)
                still_current = ok(self.t, self._op("GetCurrentPreset")).find("timg:Preset", NS) is not None
                self._apply(token)
                if self._level(name) == own:
                    return False
        if still_current:
            return True
        self.t.fail("no imaging preset sets Brightness, Contrast, ColorSaturation or Sharpness: "
                    "AdaptablePreset needs another probe")


class ImagingCapabilityCase(ConsistencyMixin):
    NAMESPACE, PATH = NS["timg"], IMAGING_PATH
    IMAGING = {}

    @classmethod
    def setUpClass(cls):
        cls.types = SchemaTypes("onvif/ver20/imaging/wsdl/imaging.wsdl")
        cls.srv = Server(sections={"discovery": {"port": "0"}, "events": {"simulator_period_s": "0"},
                                   "imaging": cls.IMAGING})
        cls.addClassCleanup(cls.srv.close)
        cls.srv.start()

    def capabilities(self):
        return ok(self, call(self.srv.port, "<timg:GetServiceCapabilities/>", path=IMAGING_PATH)).find(
            "timg:Capabilities", NS)

    def test_IMAGING_3_1_1_every_capability_matches_behaviour(self):
        self.assertEqual(len(check_service(self, self.types, "Capabilities", self.capabilities(),
                                           ImagingProbes(self, self.srv))), 3)

    def test_IMAGING_3_1_2_GetServices_capabilities_equal_GetServiceCapabilities(self):
        self.check_consistency()


class ImagingWithPresets(ImagingCapabilityCase, unittest.TestCase):
    def test_claims(self):
        self.assertEqual(self.capabilities().get("Presets"), "true")


class ImagingWithoutPresets(ImagingCapabilityCase, unittest.TestCase):
    IMAGING = {"preset1.token": "", "preset2.token": "", "preset3.token": ""}

    def test_claims(self):
        self.assertEqual(self.capabilities().get("Presets"), "false")


# --- DeviceIO ---------------------------------------------------------------

class DeviceIoProbes:
    def __init__(self, testcase, srv):
        self.t, self.srv = testcase, srv

    def call(self, body):
        return call(self.srv.port, body, path=DEVICEIO_PATH)

    def _count(self, op, child, each=None):
        """How many children a listing has (0 when refused)."""
        resp = self.call("<tmd:%s/>" % op)
        if resp.status != 200:
            self.t.assertTrue(not_supported(resp), resp.body[:400])
            return 0
        items = ok(self.t, resp).findall(child, NS)
        for item in items:
            if each:
                each(item)
        return len(items)

    def VideoSources(self):
        """Tokens of GetVideoSources, each a Media video source."""
        media = {el.text for el in ok(self.t, call(self.srv.port, "<tr2:GetVideoSourceConfigurations/>",
                                                   path=MEDIA2_PATH)).findall("tr2:Configurations/tt:SourceToken", NS)}
        return self._count("GetVideoSources", "tmd:Token", lambda t: self.t.assertIn(t.text, media))

    def VideoOutputs(self):
        return self._count("GetVideoOutputs", "tmd:VideoOutputs")

    def AudioSources(self):
        return self._count("GetAudioSources", "tmd:Token")

    def AudioOutputs(self):
        return self._count("GetAudioOutputs", "tmd:Token")

    def RelayOutputs(self):
        """Relays of GetRelayOutputs (tds elements in the DeviceIO WSDL),
        each of which SetRelayOutputState drives."""
        resp = self.call("<tds:GetRelayOutputs/>")
        if not_supported(resp):
            return 0
        relays = [r.get("token") for r in ok(self.t, resp).findall("tds:RelayOutputs", NS)]
        for token in relays:
            for state in ("active", "inactive"):
                ok(self.t, self.call("<tds:SetRelayOutputState><tds:RelayOutputToken>%s</tds:RelayOutputToken>"
                                     "<tds:LogicalState>%s</tds:LogicalState></tds:SetRelayOutputState>"
                                     % (token, state)))
        return len(relays)

    def SerialPorts(self):
        return self._count("GetSerialPorts", "tmd:SerialPort")

    def DigitalInputs(self):
        return self._count("GetDigitalInputs", "tmd:DigitalInputs")

    def _inputs(self):
        return {i.get("token"): i.get("IdleState") for i in
                ok(self.t, self.call("<tmd:GetDigitalInputs/>")).findall("tmd:DigitalInputs", NS)}

    def DigitalInputOptions(self):
        """The idle state of an input is configurable: the options offer
        both, and SetDigitalInputConfigurations changes what
        GetDigitalInputs says (then it is put back)."""
        inputs = self._inputs()
        if not inputs:
            return False
        token, idle = next(iter(inputs.items()))
        resp = self.call("<tmd:GetDigitalInputConfigurationOptions><tmd:Token>%s</tmd:Token>"
                         "</tmd:GetDigitalInputConfigurationOptions>" % token)
        if not_supported(resp):
            return False
        offered = {e.text for e in ok(self.t, resp).findall("tmd:DigitalInputOptions/tmd:IdleState", NS)}
        other = "closed" if idle == "open" else "open"

        def set_idle(state):
            return self.call('<tmd:SetDigitalInputConfigurations><tmd:DigitalInputs token="%s" IdleState="%s"/>'
                             "</tmd:SetDigitalInputConfigurations>" % (token, state))
        if other not in offered or set_idle(other).status != 200:
            return False
        changed = self._inputs()[token] == other
        ok(self.t, set_idle(idle))
        return changed


class DeviceIoCapabilityCase(ConsistencyMixin):
    NAMESPACE, PATH = NS["tmd"], DEVICEIO_PATH
    SECTIONS = {}

    @classmethod
    def setUpClass(cls):
        cls.types = SchemaTypes("onvif/ver10/deviceio.wsdl")
        sections = {"discovery": {"port": "0"}, "events": {"simulator_period_s": "0"}}
        for name, values in cls.SECTIONS.items():
            sections[name] = dict(sections.get(name, {}), **values)
        cls.srv = Server(sections=sections)
        cls.addClassCleanup(cls.srv.close)
        cls.srv.start()

    def capabilities(self):
        return ok(self, call(self.srv.port, "<tmd:GetServiceCapabilities/>", path=DEVICEIO_PATH)).find(
            "tmd:Capabilities", NS)

    def test_every_deviceio_capability_matches_behaviour(self):
        self.assertEqual(len(check_service(self, self.types, "Capabilities", self.capabilities(),
                                           DeviceIoProbes(self, self.srv))), 8)

    def test_GetServices_capabilities_equal_GetServiceCapabilities(self):
        self.check_consistency()

    def test_legacy_GetCapabilities_counts_match_behaviour(self):
        """GetCapabilities' tt:DeviceIO counts and tt:Device/tt:IO say what the probes see."""
        caps = ok(self, call(self.srv.port, "<tds:GetCapabilities><tds:Category>All</tds:Category>"
                                            "</tds:GetCapabilities>")).find("tds:Capabilities", NS)
        probes = DeviceIoProbes(self, self.srv)
        deviceio = caps.find("tt:Extension/tt:DeviceIO", NS)
        self.assertEqual(deviceio.findtext("tt:XAddr", namespaces=NS),
                         "http://%s:%d%s" % (harness.HOST, self.srv.port, DEVICEIO_PATH))
        for name in ("VideoSources", "VideoOutputs", "AudioSources", "AudioOutputs", "RelayOutputs"):
            with self.subTest(capability=name):
                self.assertEqual(deviceio.findtext("tt:" + name, namespaces=NS), str(getattr(probes, name)()))
        io = caps.find("tt:Device/tt:IO", NS)
        self.assertEqual(io.findtext("tt:InputConnectors", namespaces=NS), str(probes.DigitalInputs()))
        self.assertEqual(io.findtext("tt:RelayOutputs", namespaces=NS), str(probes.RelayOutputs()))


class DeviceIoDefaultCamera(DeviceIoCapabilityCase, unittest.TestCase):
    def test_claims(self):
        caps = self.capabilities()
        self.assertEqual((caps.get("RelayOutputs"), caps.get("DigitalInputs"), caps.get("DigitalInputOptions")),
                         ("1", "1", "true"))


class DeviceIoTwoRelaysNoInputsAudio(DeviceIoCapabilityCase, unittest.TestCase):
    SECTIONS = {"device": {"relay_outputs": "Relay_1, Relay_2"}, "events": {"digital_inputs": ""},
                "media": {"audio": "true"}}

    def test_claims(self):
        caps = self.capabilities()
        self.assertEqual((caps.get("RelayOutputs"), caps.get("AudioSources")), ("2", "1"))
        self.assertIn(caps.get("DigitalInputs"), (None, "0"))
        self.assertIn(caps.get("DigitalInputOptions"), (None, "false"))


class DeviceIoRealWithoutInputHook(DeviceIoCapabilityCase, unittest.TestCase):
    """A real device without hook_digital_input: idle states cannot reach
    the inputs, so DigitalInputOptions is false and the setting refused."""
    SECTIONS = {"device": {"host": "real"}}

    def test_claims_and_refusal(self):
        self.assertIn(self.capabilities().get("DigitalInputOptions"), (None, "false"))  # the schema default
        before = ok(self, call(self.srv.port, "<tmd:GetDigitalInputs/>", path=DEVICEIO_PATH))
        resp = call(self.srv.port, '<tmd:SetDigitalInputConfigurations><tmd:DigitalInputs token="DigitalInput_1" '
                                   'IdleState="closed"/></tmd:SetDigitalInputConfigurations>', path=DEVICEIO_PATH)
        assert_fault(self, resp, "ActionNotSupported", code="Receiver")
        after = ok(self, call(self.srv.port, "<tmd:GetDigitalInputs/>", path=DEVICEIO_PATH))
        self.assertEqual(etree.tostring(after), etree.tostring(before))
        self.assertIsNotNone(self.srv.wait_line(r"host = real; refused for want of a hook: .*"
                                                r"SetDigitalInputConfigurations", timeout=1))


class DeviceIoRealWithInputHook(DeviceIoCapabilityCase, unittest.TestCase):
    """The same with the hook: claimed, and the hook gets the idle state."""

    @classmethod
    def setUpClass(cls):
        cls.hooks = HookDir()
        cls.addClassCleanup(cls.hooks.close)
        cls.SECTIONS = {"device": {"host": "real", "hook_digital_input": cls.hooks.hook("input")}}
        super().setUpClass()

    def test_claims_and_hook(self):
        self.assertEqual(self.capabilities().get("DigitalInputOptions"), "true")
        ok(self, call(self.srv.port, '<tmd:SetDigitalInputConfigurations><tmd:DigitalInputs token="DigitalInput_1" '
                                     'IdleState="closed"/></tmd:SetDigitalInputConfigurations>', path=DEVICEIO_PATH))
        self.assertIn(["DigitalInput_1", "closed"], self.hooks.calls("input"))

if __name__ == "__main__":
    unittest.main()
