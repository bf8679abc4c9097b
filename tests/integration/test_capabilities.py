"""What the device says it does is what it does.

Every capability the Device service reports is checked against behaviour
under several configurations (IPv6 listener on/off, HTTPS on/off, a
simulated or a real device with and without hooks): a capability without a
probe here fails the test, so a new one cannot slip in unchecked. And every
service GetServices lists answers GetServiceCapabilities with exactly the
capabilities GetServices(IncludeCapability=true) gives for it (DEVICE-1-1-19,
EVENT-5-1-2 and the same check for every other service in the table).
"""
import os
import socket
import ssl
import tempfile
import unittest

import harness
from capability_support import canonical, not_supported, snapshot_is_jpeg
from device_support import HookDir, assert_fault, ok
from harness import DEVICE_PATH, NS, Server, call, fault_info, post, soap12
from security_support import digest_authorization, parse_challenges
from transport_support import client_context, https_port, make_cert, tls_sections

GSDT = "<tds:GetSystemDateAndTime/>"


class Probes:
    """Behaviour behind each capability, on one running server."""

    def __init__(self, testcase, srv, tls_port=None):
        self.t, self.srv, self.tls_port = testcase, srv, tls_port

    def call(self, body, auth=harness.ADMIN):
        return call(self.srv.port, body, auth=auth)

    # -- Network
    def IPFilter(self):
        return not not_supported(self.call(
            "<tds:SetIPAddressFilter><tds:IPAddressFilter><tt:Type>Deny</tt:Type></tds:IPAddressFilter>"
            "</tds:SetIPAddressFilter>"))

    def ZeroConfiguration(self):
        return not not_supported(self.call(
            "<tds:SetZeroConfiguration><tds:InterfaceToken>lo</tds:InterfaceToken><tds:Enabled>true</tds:Enabled>"
            "</tds:SetZeroConfiguration>"))

    def IPVersion6(self):
        try:
            with harness.Conn(self.srv.port, host="::1") as conn:
                return post(self.srv.port, DEVICE_PATH, soap12(GSDT), conn=conn).status == 200
        except OSError:
            return False

    def DynDNS(self):
        return not not_supported(self.call(
            "<tds:SetDynamicDNS><tds:Type>NoUpdate</tds:Type></tds:SetDynamicDNS>"))

    def Dot11Configuration(self):
        return not not_supported(self.call("<tds:GetDot11Capabilities/>"))

    def HostnameFromDHCP(self):
        return not not_supported(self.call(
            "<tds:SetHostnameFromDHCP><tds:FromDHCP>false</tds:FromDHCP></tds:SetHostnameFromDHCP>"))

    def NTP(self):
        """The number of servers SetNTP accepts (0: refused)."""
        def set_ntp(n):
            hosts = "".join("<tds:NTPManual><tt:Type>IPv4</tt:Type><tt:IPv4Address>192.0.2.%d</tt:IPv4Address>"
                            "</tds:NTPManual>" % (i + 1) for i in range(n))
            return self.call("<tds:SetNTP><tds:FromDHCP>false</tds:FromDHCP>%s</tds:SetNTP>" % hosts)
        first = set_ntp(1)
        if not_supported(first):
            return 0
        ok(self.t, first)
        n = 1
        while n < 64 and set_ntp(n + 1).status == 200:
            n += 1
        return n

    # -- Security
    def _tls(self, version):
        if self.tls_port is None:
            return False
        try:
            ctx = client_context(minimum=version, maximum=version)
            ctx.set_ciphers("ALL:@SECLEVEL=0")
            with socket.create_connection((harness.HOST, self.tls_port), timeout=3) as raw:
                with ctx.wrap_socket(raw, server_hostname=harness.HOST):
                    return True
        except (ssl.SSLError, OSError):
            return False

    def TLS1_0(self):
        return self._tls(ssl.TLSVersion.TLSv1)

    def TLS1_1(self):
        return self._tls(ssl.TLSVersion.TLSv1_1)

    def TLS1_2(self):
        return self._tls(ssl.TLSVersion.TLSv1_2)

    def OnboardKeyGeneration(self):
        return not not_supported(self.call("<tds:CreateCertificate/>"))

    def AccessPolicyConfig(self):
        return not not_supported(self.call("<tds:GetAccessPolicy/>"))

    def DefaultAccessPolicy(self):
        # READ_SYSTEM_SENSITIVE needs a user; PRE_AUTH does not.
        anonymous = self.call("<tds:GetUsers/>", auth=None)
        return anonymous.status != 200 and self.call(GSDT, auth=None).status == 200

    def Dot1X(self):
        return not not_supported(self.call("<tds:GetDot1XConfigurations/>"))

    def RemoteUserHandling(self):
        return not not_supported(self.call("<tds:GetRemoteUser/>"))

    def _token_accepted(self, value_type):
        """A request whose only credential is a token of this profile."""
        header = ('<wsse:Security xmlns:wsse="%s"><wsse:BinarySecurityToken ValueType="%s">AAAA'
                  "</wsse:BinarySecurityToken></wsse:Security>" % (harness.WSSE_NS, value_type))
        return post(self.srv.port, DEVICE_PATH, soap12("<tds:GetUsers/>", header)).status == 200

    def X_509Token(self):
        return self._token_accepted("http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3")

    def SAMLToken(self):
        return self._token_accepted("http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0")

    def KerberosToken(self):
        return self._token_accepted("http://docs.oasis-open.org/wss/oasis-wss-kerberos-token-profile-1.1#GSS_Kerberosv5_AP_REQ")

    def RELToken(self):
        return self._token_accepted("http://docs.oasis-open.org/wss/oasis-wss-rel-token-profile-1.0.pdf#license")

    def JsonWebToken(self):
        return self._token_accepted("urn:ietf:params:oauth:token-type:jwt")

    def UsernameToken(self):
        """A UsernameToken request is served (its user listed), a wrong password refused."""
        users = self.call("<tds:GetUsers/>")
        if users.status != 200:
            return False
        names = [u.findtext("tt:Username", namespaces=NS) for u in ok(self.t, users).findall("tds:User", NS)]
        return harness.ADMIN[0] in names and self.call("<tds:GetUsers/>", auth=(harness.ADMIN[0], "wrong")).status != 200

    def _challenges(self):
        return parse_challenges(post(self.srv.port, DEVICE_PATH, soap12("<tds:GetUsers/>")))

    def HttpDigest(self):
        """An HTTP Digest request (each offered algorithm) is answered."""
        challenges = self._challenges()
        for alg in challenges:
            auth = digest_authorization(self._challenges()[alg], *harness.ADMIN, "POST", DEVICE_PATH)
            resp = post(self.srv.port, DEVICE_PATH, soap12("<tds:GetUsers/>"), headers={"Authorization": auth})
            if resp.status != 200:
                return False
            users = [u.findtext("tt:Username", namespaces=NS) for u in ok(self.t, resp).findall("tds:User", NS)]
            self.t.assertIn(harness.ADMIN[0], users, "%s: GetUsers answered without its users" % alg)
        return bool(challenges)

    def HashingAlgorithms(self):
        """The Digest algorithms offered, in order of the challenges."""
        return " ".join(self._challenges())

    # The user limits: the claimed value is accepted and one more is refused
    # (the probe answers the claim when both hold, else what it saw).
    def _create(self, users):
        body = "".join("<tds:User><tt:Username>%s</tt:Username><tt:Password>%s</tt:Password>"
                       "<tt:UserLevel>User</tt:UserLevel></tds:User>" % u for u in users)
        return self.call("<tds:CreateUsers>%s</tds:CreateUsers>" % body)

    def _delete(self, names):
        ok(self.t, self.call("<tds:DeleteUsers>%s</tds:DeleteUsers>" %
                             "".join("<tds:Username>%s</tds:Username>" % n for n in names)))

    def MaxUserNameLength(self):
        claimed = int(self.claimed["MaxUserNameLength"])
        longest = "u" * claimed
        if self._create([(longest, "pw1")]).status != 200:
            return "refused at the claimed length"
        self._delete([longest])
        over = self._create([(longest + "u", "pw1")])
        return claimed if over.status != 200 else "accepted one more"

    def MaxPasswordLength(self):
        claimed = int(self.claimed["MaxPasswordLength"])
        if self._create([("pwlen", "p" * claimed)]).status != 200:
            return "refused at the claimed length"
        self._delete(["pwlen"])
        over = self._create([("pwlen", "p" * (claimed + 1))])
        return claimed if over.status != 200 else "accepted one more"

    def MaxUsers(self):
        claimed = int(self.claimed["MaxUsers"])
        existing = len(ok(self.t, self.call("<tds:GetUsers/>")).findall("tds:User", NS))
        names = ["limit%d" % i for i in range(claimed - existing)]
        if names and self._create([(n, "pw1") for n in names]).status != 200:
            return "refused below the claim"
        over = self._create([("limitover", "pw1")])
        if names:
            self._delete(names)
        return claimed if over.status != 200 else "accepted one more"

    # -- System
    def DiscoveryResolve(self):
        return self.srv.wait_line(r"discovery: listening on udp port", timeout=0.5) is not None

    DiscoveryBye = DiscoveryResolve

    def RemoteDiscovery(self):
        return not not_supported(self.call(
            "<tds:SetRemoteDiscoveryMode><tds:RemoteDiscoveryMode>Discoverable</tds:RemoteDiscoveryMode>"
            "</tds:SetRemoteDiscoveryMode>"))

    def SystemBackup(self):
        return not not_supported(self.call("<tds:GetSystemBackup/>"))

    def SystemLogging(self):
        """GetSystemLog answers the configured log file's text (the test
        case's SYSTEM_LOG_TEXT), else refuses."""
        resp = self.call("<tds:GetSystemLog><tds:LogType>System</tds:LogType></tds:GetSystemLog>")
        if resp.status != 200:
            return False
        text = ok(self.t, resp).findtext("tds:SystemLog/tt:String", namespaces=NS) or ""
        expected = getattr(self.t, "SYSTEM_LOG_TEXT", None)
        self.t.assertIsNotNone(expected, "a system log answered, but none is configured")
        return expected in text

    def HttpFirmwareUpgrade(self):
        return not not_supported(self.call("<tds:StartFirmwareUpgrade/>"))

    def HttpSystemBackup(self):
        return not not_supported(self.call("<tds:StartSystemRestore/>"))

    def _uri(self, name):
        el = ok(self.t, self.call("<tds:GetSystemUris/>"))
        return el.find(".//tds:%s" % name, NS) is not None or el.find(".//tt:%s" % name, NS) is not None

    def HttpSystemLogging(self):
        return self._uri("SystemLogUris")

    def HttpSupportInformation(self):
        return self._uri("SupportInfoUri")

    # -- Misc
    def AuxiliaryCommands(self):
        """The commands SendAuxiliaryCommand accepts, of those claimed."""
        accepted = [c for c in self.claimed["AuxiliaryCommands"].split()
                    if self.call("<tds:SendAuxiliaryCommand><tds:AuxiliaryCommand>%s</tds:AuxiliaryCommand>"
                                 "</tds:SendAuxiliaryCommand>" % c).status == 200]
        return " ".join(accepted)


class DeviceCapabilityCase:
    """Mixin: start a server with SECTIONS/DEVICE/SERVER, read the device
    capabilities, probe each one."""

    DEVICE = None
    SECTIONS = None
    BIND = None  # [server] bind; the harness passes --bind 127.0.0.1 otherwise
    TLS = False

    @classmethod
    def setUpClass(cls):
        sections = dict(cls.SECTIONS or {})
        if cls.TLS:
            cls._certdir = tempfile.TemporaryDirectory(prefix="onvifd-caps-")
            cls.addClassCleanup(cls._certdir.cleanup)
            cert, key = make_cert(cls._certdir.name)
            sections.update(tls_sections(cert, key))
        sections.setdefault("discovery", {}).setdefault("port", "0")
        args = ["--bind", cls.BIND] if cls.BIND else []
        cls.srv = Server(device=cls.DEVICE, sections=sections, args=args)
        cls.addClassCleanup(cls.srv.close)
        cls.srv.start()
        cls.tls_port = https_port(cls.srv) if cls.TLS else None

    def capabilities(self):
        el = ok(self, call(self.srv.port, "<tds:GetServiceCapabilities/>"))
        return el.find("tds:Capabilities", NS)

    def test_every_device_capability_matches_behaviour(self):
        caps = self.capabilities()
        probes = Probes(self, self.srv, self.tls_port)
        probes.claimed = {name: value for part in caps for name, value in part.attrib.items()}
        checked = 0
        for part in caps:
            for name, value in part.attrib.items():
                probe = getattr(probes, name.replace(".", "_").replace("-", "_"), None)
                self.assertIsNotNone(probe, "no behaviour probe for capability %s/%s" % (part.tag, name))
                got = probe()
                with self.subTest(capability=name, claimed=value):
                    if isinstance(got, bool):
                        self.assertEqual(value, "true" if got else "false")
                    else:
                        self.assertEqual(value, str(got))
                    checked += 1
        self.assertGreater(checked, 30)

    def test_legacy_GetCapabilities_says_the_same(self):
        caps = self.capabilities()
        legacy = ok(self, call(self.srv.port, "<tds:GetCapabilities><tds:Category>Device</tds:Category>"
                                              "</tds:GetCapabilities>")).find("tds:Capabilities/tt:Device", NS)
        net, sec, sys_ = (caps.find("tds:" + p, NS) for p in ("Network", "Security", "System"))
        self.assertEqual(legacy.find("tt:Network/tt:IPVersion6", NS).text, net.get("IPVersion6"))
        self.assertEqual(legacy.find("tt:Security/tt:TLS1.2", NS).text, sec.get("TLS1.2"))
        self.assertEqual(legacy.find("tt:System/tt:SystemLogging", NS).text, sys_.get("SystemLogging"))
        self.assertEqual(legacy.find("tt:System/tt:DiscoveryBye", NS).text, sys_.get("DiscoveryBye"))


class Ipv6AndHttps(DeviceCapabilityCase, unittest.TestCase):
    BIND = "127.0.0.1, ::1"
    SECTIONS = {"transport": {"ipv6": "true"}}
    TLS = True

    def test_claims(self):
        caps = self.capabilities()
        self.assertEqual(caps.find("tds:Network", NS).get("IPVersion6"), "true")
        self.assertEqual(caps.find("tds:Security", NS).get("TLS1.2"), "true")
        self.assertEqual(caps.find("tds:Security", NS).get("DefaultAccessPolicy"), "true")


class Ipv6OffNoHttps(DeviceCapabilityCase, unittest.TestCase):
    BIND = "127.0.0.1, ::1"
    SECTIONS = {"transport": {"ipv6": "false"}}

    def test_claims(self):
        caps = self.capabilities()
        self.assertEqual(caps.find("tds:Network", NS).get("IPVersion6"), "false")
        self.assertEqual(caps.find("tds:Security", NS).get("TLS1.2"), "false")


class RealDeviceWithoutHooks(DeviceCapabilityCase, unittest.TestCase):
    DEVICE = {"host": "real"}

    def test_claims(self):
        net = self.capabilities().find("tds:Network", NS)
        self.assertEqual(net.get("HostnameFromDHCP"), "false")
        self.assertEqual(net.get("NTP"), "0")

    def test_host_changes_are_refused_and_nothing_is_stored(self):
        before = ok(self, call(self.srv.port, "<tds:GetHostname/>")).find(".//tt:Name", NS)
        refused = {
            "SetHostname": "<tds:SetHostname><tds:Name>refused-name</tds:Name></tds:SetHostname>",
            "SetHostnameFromDHCP": "<tds:SetHostnameFromDHCP><tds:FromDHCP>true</tds:FromDHCP></tds:SetHostnameFromDHCP>",
            "SetDNS": "<tds:SetDNS><tds:FromDHCP>false</tds:FromDHCP></tds:SetDNS>",
            "SetNTP": "<tds:SetNTP><tds:FromDHCP>false</tds:FromDHCP></tds:SetNTP>",
            "SetNetworkDefaultGateway": "<tds:SetNetworkDefaultGateway><tds:IPv4Address>192.0.2.1</tds:IPv4Address>"
                                        "</tds:SetNetworkDefaultGateway>",
            "SetNetworkInterfaces": "<tds:SetNetworkInterfaces><tds:InterfaceToken>lo</tds:InterfaceToken>"
                                    "<tds:NetworkInterface><tt:MTU>1500</tt:MTU></tds:NetworkInterface>"
                                    "</tds:SetNetworkInterfaces>",
            "SetSystemDateAndTime": "<tds:SetSystemDateAndTime><tds:DateTimeType>Manual</tds:DateTimeType>"
                                    "<tds:DaylightSavings>false</tds:DaylightSavings><tds:UTCDateTime><tt:Date><tt:Year>"
                                    "2030</tt:Year><tt:Month>1</tt:Month><tt:Day>1</tt:Day></tt:Date><tt:Time><tt:Hour>0"
                                    "</tt:Hour><tt:Minute>0</tt:Minute><tt:Second>0</tt:Second></tt:Time>"
                                    "</tds:UTCDateTime></tds:SetSystemDateAndTime>",
            "SetSystemFactoryDefault": "<tds:SetSystemFactoryDefault><tds:FactoryDefault>Soft</tds:FactoryDefault>"
                                       "</tds:SetSystemFactoryDefault>",
            "SystemReboot": "<tds:SystemReboot/>",
        }
        for name, body in refused.items():
            with self.subTest(operation=name):
                assert_fault(self, call(self.srv.port, body), "ActionNotSupported", code="Receiver")
        after = ok(self, call(self.srv.port, "<tds:GetHostname/>")).find(".//tt:Name", NS)
        self.assertEqual(getattr(after, "text", None), getattr(before, "text", None))
        self.assertIsNotNone(self.srv.wait_line(r"host = real; refused for want of a hook: SetSystemDateAndTime "
                                                r"SetHostname SetHostnameFromDHCP SetDNS SetNTP", timeout=1))


class RealDeviceWithHooks(DeviceCapabilityCase, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.hooks = HookDir()
        cls.addClassCleanup(cls.hooks.close)
        cls.DEVICE = {"host": "real", "hook_hostname": cls.hooks.hook("hostname"), "hook_ntp": cls.hooks.hook("ntp")}
        super().setUpClass()

    def test_hooked_operations_run_their_hook(self):
        net = self.capabilities().find("tds:Network", NS)
        self.assertEqual(net.get("HostnameFromDHCP"), "true")
        ok(self, call(self.srv.port, "<tds:SetHostname><tds:Name>hooked-name</tds:Name></tds:SetHostname>"))
        self.assertIn(["set", "hooked-name"], self.hooks.calls("hostname"))
        # DNS has no hook here: refused.
        assert_fault(self, call(self.srv.port, "<tds:SetDNS><tds:FromDHCP>false</tds:FromDHCP></tds:SetDNS>"),
                     "ActionNotSupported")


class SimulatedDevice(DeviceCapabilityCase, unittest.TestCase):
    """The embedded default: host changes are recorded, and claimed; a
    system log file is configured."""

    SYSTEM_LOG_TEXT = "probe: the system log line GetSystemLog must answer"

    @classmethod
    def setUpClass(cls):
        cls._logdir = tempfile.TemporaryDirectory(prefix="onvifd-caps-log-")
        cls.addClassCleanup(cls._logdir.cleanup)
        log = os.path.join(cls._logdir.name, "system.log")
        with open(log, "w") as f:
            f.write("older line\n%s\n" % cls.SYSTEM_LOG_TEXT)
        cls.DEVICE = {"auxiliary_commands": "tt:IRLamp|On, tt:IRLamp|Off", "system_log": log}
        super().setUpClass()

    def test_claims(self):
        self.assertEqual(self.capabilities().find("tds:System", NS).get("SystemLogging"), "true")

    def test_host_changes_are_recorded(self):
        net = self.capabilities().find("tds:Network", NS)
        self.assertEqual(net.get("HostnameFromDHCP"), "true")
        self.assertEqual(net.get("NTP"), "8")
        ok(self, call(self.srv.port, "<tds:SetHostname><tds:Name>recorded-name</tds:Name></tds:SetHostname>"))
        name = ok(self, call(self.srv.port, "<tds:GetHostname/>")).find(".//tt:Name", NS).text
        self.assertEqual(name, "recorded-name")
        self.assertIsNotNone(self.srv.wait_line(r"host = simulated; recorded only", timeout=1))


class ServiceCapabilitiesConsistency(unittest.TestCase):
    """DEVICE-1-1-19, EVENT-5-1-2 and the same for every listed service: the
    capabilities in GetServices(IncludeCapability=true) equal the service's
    own GetServiceCapabilities, field by field. Every service this binary
    binds is on (PTZ needs [ptz] enabled), so none is left out."""

    @classmethod
    def setUpClass(cls):
        cls.srv = Server(sections={"discovery": {"port": "0"}, "ptz": {"enabled": "true"}})
        cls.addClassCleanup(cls.srv.close)
        cls.srv.start()

    def test_DEVICE_1_1_19_EVENT_5_1_2_GetServices_capabilities_equal_GetServiceCapabilities(self):
        services = ok(self, call(self.srv.port, "<tds:GetServices><tds:IncludeCapability>true"
                                                "</tds:IncludeCapability></tds:GetServices>"))
        listed = services.findall("tds:Service", NS)
        self.assertEqual(sorted(s.findtext("tds:Namespace", namespaces=NS) for s in listed),
                         sorted(NS[p] for p in ("tds", "trt", "tr2", "tev", "tptz", "timg", "tmd")))
        for service in listed:
            ns = service.find("tds:Namespace", NS).text
            with self.subTest(service=ns):
                holder = service.find("tds:Capabilities", NS)
                self.assertIsNotNone(holder, "no capabilities for %s" % ns)
                advertised = [c for c in holder if isinstance(c.tag, str)]
                self.assertEqual(len(advertised), 1)
                path = "/" + service.find("tds:XAddr", NS).text.split("/", 3)[3]
                resp = post(self.srv.port, path, soap12(
                    '<GetServiceCapabilities xmlns="%s"/>' % ns, harness.username_token(*harness.ADMIN)))
                answered = ok(self, resp).find("{%s}Capabilities" % ns)
                self.assertIsNotNone(answered, resp.body[:500])
                self.assertEqual(canonical(advertised[0]), canonical(answered))


# --- Media (ver10) and Events: every attribute of their GetServiceCapabilities
# against behaviour, the same way (a new attribute without a probe fails).

def check_claims(testcase, caps, probes):
    """Probes every attribute of caps (an element and its descendants); the
    probe's answer must be the claim. Returns how many were checked."""
    probes.claimed = {name: value for el in caps.iter() for name, value in el.attrib.items()}
    checked = 0
    for el in caps.iter():
        for name, value in el.attrib.items():
            probe = getattr(probes, name, None)
            testcase.assertIsNotNone(probe, "no behaviour probe for capability %s/%s" % (el.tag, name))
            got = probe()
            with testcase.subTest(capability=name, claimed=value):
                testcase.assertEqual(value, ("true" if got else "false") if isinstance(got, bool) else str(got))
            checked += 1
    return checked


class MediaProbes:
    """What the ver10 Media service and the RTSP server behind its stream
    URIs do (the reference stream server of the virtual camera)."""

    PROFILE = "Profile_1"

    def __init__(self, testcase, srv, stream):
        self.t, self.srv, self.stream = testcase, srv, stream

    def call(self, body, auth=harness.ADMIN):
        return call(self.srv.port, body, path=harness.MEDIA_PATH, auth=auth)

    def stream_uri(self, stream="RTP-Unicast", protocol="RTSP"):
        """The answer to GetStreamUri (the response), for the first profile."""
        return self.call("<trt:GetStreamUri><trt:StreamSetup><tt:Stream>%s</tt:Stream><tt:Transport><tt:Protocol>%s"
                         "</tt:Protocol></tt:Transport></trt:StreamSetup><trt:ProfileToken>%s</trt:ProfileToken>"
                         "</trt:GetStreamUri>" % (stream, protocol, self.PROFILE))

    def rtsp_path(self):
        uri = ok(self.t, self.stream_uri()).findtext("trt:MediaUri/tt:Uri", namespaces=NS)
        return "/" + uri.split("/", 3)[3]

    def rtsp_client(self, path, encoding="H264", **kw):
        """An RtspClient on path. The reference stream server answers 503
        for a moment after a client left: retried for a few seconds."""
        import time
        from stream_support import RtspClient
        deadline = time.monotonic() + 5
        while True:
            try:
                return RtspClient(self.stream.port, path, encoding, **kw)
            except AssertionError as e:
                if ": 503" not in str(e) or time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    # -- StreamingCapabilities
    def RTPMulticast(self):
        """An RTP-Multicast URI whose RTSP SETUP for multicast is answered with a group."""
        resp = self.stream_uri("RTP-Multicast", "UDP")
        if resp.status != 200:
            return False
        path = "/" + ok(self.t, resp).findtext("trt:MediaUri/tt:Uri", namespaces=NS).split("/", 3)[3]
        client = self.rtsp_client(path, transport="RTP/AVP;multicast")
        try:
            return "multicast" in client.transport and "destination=239." in client.transport
        finally:
            client.sock.close()

    def RTP_TCP(self):
        # tt:TransportProtocol TCP: RTP over TCP without RTSP (Streaming 5.1.1.2).
        return self.stream_uri("RTP-Unicast", "TCP").status == 200

    def RTP_RTSP_TCP(self):
        """RTP interleaved in the RTSP connection: SETUP, PLAY, and a packet."""
        client = self.rtsp_client(self.rtsp_path())
        try:
            return client.rtp(5.0) is not None
        finally:
            client.sock.close()

    def NonAggregateControl(self):
        """PLAY sent to the track's control URI (Streaming "Stream control")."""
        client = self.rtsp_client(self.rtsp_path())
        try:
            control = client.track_control("H264")
            track = control if control.startswith("rtsp://") else client.base.rstrip("/") + "/" + control
            status, _, _ = client.request("PLAY", track, {})
            return status == 200
        finally:
            client.sock.close()

    def NoRTSPStreaming(self):
        """The stream URI's DESCRIBE has no video (or is refused; a
        passing 503 is retried)."""
        try:
            client = self.rtsp_client(self.rtsp_path(), None)
        except AssertionError:
            return True
        client.sock.close()
        return "m=video" not in client.sdp

    # -- ProfileCapabilities
    def MaximumNumberOfProfiles(self):
        """The number of profiles at which CreateProfile says MaxNVTProfiles."""
        created = []
        try:
            for i in range(70):
                resp = self.call("<trt:CreateProfile><trt:Name>probe%d</trt:Name></trt:CreateProfile>" % i)
                if resp.status != 200:
                    self.t.assertIn("{%s}MaxNVTProfiles" % NS["ter"], fault_info(resp.body)["subcodes"])
                    break
                created.append(ok(self.t, resp).find("trt:Profile", NS).get("token"))
            return len(ok(self.t, self.call("<trt:GetProfiles/>")).findall("trt:Profiles", NS))
        finally:
            for token in created:
                ok(self.t, self.call("<trt:DeleteProfile><trt:ProfileToken>%s</trt:ProfileToken></trt:DeleteProfile>"
                                     % token))

    # -- Capabilities
    def SnapshotUri(self):
        """GetSnapshotUri answers a URI, and a GET of it (HTTP Digest) is a JPEG."""
        resp = self.call("<trt:GetSnapshotUri><trt:ProfileToken>%s</trt:ProfileToken></trt:GetSnapshotUri>"
                         % self.PROFILE)
        if not_supported(resp):
            return False
        return snapshot_is_jpeg(self.srv.port, ok(self.t, resp).findtext("trt:MediaUri/tt:Uri", namespaces=NS))

    def Rotation(self):
        """SetVideoSourceConfiguration with a rotation is taken and kept."""
        cfg = ok(self.t, self.call("<trt:GetVideoSourceConfigurations/>")).find("trt:Configurations", NS)
        from lxml import etree
        cfg.tag = "{%s}Configuration" % NS["trt"]
        for old in cfg.findall("tt:Extension", NS):
            cfg.remove(old)
        ext = etree.SubElement(cfg, "{%s}Extension" % NS["tt"])
        rotate = etree.SubElement(ext, "{%s}Rotate" % NS["tt"])
        etree.SubElement(rotate, "{%s}Mode" % NS["tt"]).text = "ON"
        etree.SubElement(rotate, "{%s}Degree" % NS["tt"]).text = "180"
        resp = self.call("<trt:SetVideoSourceConfiguration>%s<trt:ForcePersistence>true</trt:ForcePersistence>"
                         "</trt:SetVideoSourceConfiguration>" % etree.tostring(cfg).decode())
        if resp.status != 200:
            return False
        now = ok(self.t, self.call("<trt:GetVideoSourceConfiguration><trt:ConfigurationToken>%s"
                                   "</trt:ConfigurationToken></trt:GetVideoSourceConfiguration>" % cfg.get("token")))
        return now.findtext("trt:Configuration/tt:Extension/tt:Rotate/tt:Mode", namespaces=NS) == "ON"

    def VideoSourceMode(self):
        return not not_supported(self.call("<trt:GetVideoSourceModes><trt:VideoSourceToken>VideoSource_1"
                                           "</trt:VideoSourceToken></trt:GetVideoSourceModes>"))

    def _create_osd(self, text):
        vsc = ok(self.t, self.call("<trt:GetVideoSourceConfigurations/>")).find("trt:Configurations", NS).get("token")
        resp = self.call("<trt:CreateOSD><trt:OSD token=\"probe\"><tt:VideoSourceConfigurationToken>%s"
                         "</tt:VideoSourceConfigurationToken><tt:Type>Text</tt:Type><tt:Position><tt:Type>UpperLeft"
                         "</tt:Type></tt:Position>%s</trt:OSD></trt:CreateOSD>" % (vsc, text))
        if resp.status != 200:
            return None
        token = ok(self.t, resp).findtext("trt:OSDToken", namespaces=NS)
        self.t.addCleanup(lambda: self.call("<trt:DeleteOSD><trt:OSDToken>%s</trt:OSDToken></trt:DeleteOSD>" % token))
        return token

    def OSD(self):
        token = self._create_osd("<tt:TextString><tt:Type>Plain</tt:Type><tt:PlainText>probe</tt:PlainText>"
                                 "</tt:TextString>")
        if token is None:
            return False
        got = ok(self.t, self.call("<trt:GetOSD><trt:OSDToken>%s</trt:OSDToken></trt:GetOSD>" % token))
        return got.findtext("trt:OSD/tt:TextString/tt:PlainText", namespaces=NS) == "probe"

    def TemporaryOSDText(self):
        """A text OSD with IsPersistentText false is created and says so."""
        token = self._create_osd('<tt:TextString IsPersistentText="false"><tt:Type>Plain</tt:Type>'
                                 "<tt:PlainText>for now</tt:PlainText></tt:TextString>")
        if token is None:
            return False
        got = ok(self.t, self.call("<trt:GetOSD><trt:OSDToken>%s</trt:OSDToken></trt:GetOSD>" % token))
        return got.find("trt:OSD/tt:TextString", NS).get("IsPersistentText") == "false"

    def EXICompression(self):
        """A client that asks for EXI gets it (or plain XML when there is none)."""
        resp = post(self.srv.port, harness.MEDIA_PATH,
                    soap12("<trt:GetProfiles/>", harness.username_token(*harness.ADMIN)),
                    headers={"Accept": "application/exi, application/soap+xml", "Accept-Encoding": "exi"})
        return "exi" in resp.header("content-type", "") or "exi" in resp.header("content-encoding", "")


class MediaCapabilityCase:
    """Mixin: the virtual camera (onvifd and the reference stream server)
    with MEDIA; every ver10 Media capability against behaviour."""

    MEDIA = {}

    @classmethod
    def setUpClass(cls):
        from stream_support import start_camera
        cls.stream, cls.srv = start_camera(cls, media=cls.MEDIA, sections={"discovery": {"port": "0"}})

    def capabilities(self):
        el = ok(self, call(self.srv.port, "<trt:GetServiceCapabilities/>", path=harness.MEDIA_PATH))
        return el.find("trt:Capabilities", NS)

    def test_every_media_capability_matches_behaviour(self):
        self.assertEqual(check_claims(self, self.capabilities(), MediaProbes(self, self.srv, self.stream)), 12)

    def test_legacy_GetCapabilities_says_the_same(self):
        caps = self.capabilities()
        legacy = ok(self, call(self.srv.port, "<tds:GetCapabilities><tds:Category>Media</tds:Category>"
                                              "</tds:GetCapabilities>")).find("tds:Capabilities/tt:Media", NS)
        streaming = caps.find("trt:StreamingCapabilities", NS)
        for name in ("RTPMulticast", "RTP_TCP", "RTP_RTSP_TCP"):
            with self.subTest(capability=name):
                self.assertEqual(legacy.findtext("tt:StreamingCapabilities/tt:" + name, namespaces=NS),
                                 streaming.get(name))
        self.assertEqual(legacy.findtext("tt:Extension/tt:ProfileCapabilities/tt:MaximumNumberOfProfiles",
                                         namespaces=NS),
                         caps.find("trt:ProfileCapabilities", NS).get("MaximumNumberOfProfiles"))


class MediaDefaultCamera(MediaCapabilityCase, unittest.TestCase):
    """The embedded default's camera: snapshots, OSDs, no multicast."""

    def test_claims(self):
        caps = self.capabilities()
        self.assertEqual((caps.get("SnapshotUri"), caps.get("OSD"), caps.get("Rotation")), ("true", "true", "false"))
        self.assertEqual(caps.find("trt:StreamingCapabilities", NS).get("RTPMulticast"), "false")


class MediaSmallCamera(MediaCapabilityCase, unittest.TestCase):
    """No snapshot URI, no OSD, multicast on, three profiles at most."""

    MEDIA = {"snapshot_uri": "", "osd_max": "0", "multicast": "true", "max_profiles": "3"}

    def test_claims(self):
        caps = self.capabilities()
        self.assertEqual((caps.get("SnapshotUri"), caps.get("OSD"), caps.get("TemporaryOSDText")),
                         ("false", "false", "false"))
        self.assertEqual(caps.find("trt:StreamingCapabilities", NS).get("RTPMulticast"), "true")
        self.assertEqual(caps.find("trt:ProfileCapabilities", NS).get("MaximumNumberOfProfiles"), "3")


class EventProbes:
    """What the Event service does."""

    def __init__(self, testcase, srv):
        self.t, self.srv = testcase, srv

    def call(self, body, path=harness.EVENTS_PATH):
        from events_support import ecall
        return ecall(self.srv.port, body, path=path)

    def _on_pull_point(self, use, inner=""):
        """use(path) on a new pull point, which is unsubscribed right after
        (the limits are probed on the same server)."""
        from events_support import DECL, create_pull, ecall
        path, _ = create_pull(self.srv.port, inner)
        try:
            return use(path)
        finally:
            ecall(self.srv.port, "<wsnt:Unsubscribe %s/>" % DECL, path=path)

    def _initialized(self, path):
        from events_support import messages, pull
        return [m for m in messages(pull(self.srv.port, path, timeout="PT1S")) if m[1] == "Initialized"]

    def WSSubscriptionPolicySupport(self):
        """tev:ChangedOnly keeps the Initialized messages a plain pull point gets."""
        plain = self._on_pull_point(self._initialized)
        self.t.assertTrue(plain, "a pull point without a policy gets the Initialized messages")
        changed_only = self._on_pull_point(self._initialized, "<tev:SubscriptionPolicy><tev:ChangedOnly>true"
                                                              "</tev:ChangedOnly></tev:SubscriptionPolicy>")
        return not changed_only

    def WSPullPointSupport(self):
        return self._on_pull_point(lambda path: path.startswith(harness.EVENTS_PATH))

    def WSPausableSubscriptionManagerInterfaceSupport(self):
        from events_support import DECL
        return self._on_pull_point(lambda path: not not_supported(
            self.call("<wsnt:PauseSubscription %s/>" % DECL, path=path)))

    def PersistentNotificationStorage(self):
        # Stored notifications are read with Seek on a pull point.
        return self._on_pull_point(lambda path: not not_supported(
            self.call("<tev:Seek><tev:UtcTime>2026-01-01T00:00:00Z</tev:UtcTime></tev:Seek>", path=path)))

    def _count_until_refused(self, create, limit):
        made = []
        for _ in range(limit):
            resp = create()
            if resp.status != 200:
                break
            made.append(resp)
        return made

    def MaxPullPoints(self):
        """Pull points CreatePullPointSubscription makes before it refuses."""
        from events_support import DECL, ecall
        made = self._count_until_refused(lambda: self.call(
            "<tev:CreatePullPointSubscription><tev:InitialTerminationTime>PT60S</tev:InitialTerminationTime>"
            "</tev:CreatePullPointSubscription>"), int(self.claimed["MaxPullPoints"]) + 2)
        for resp in made:
            ecall(self.srv.port, "<wsnt:Unsubscribe %s/>" % DECL, path=subscription_path_of(resp))
        return len(made)

    def MaxNotificationProducers(self):
        """Push subscriptions (WS-BaseNotification Subscribe) accepted before a refusal."""
        from events_support import DECL, GoodConsumer, ecall, subscribe
        consumer = GoodConsumer()
        try:
            made = self._count_until_refused(lambda: subscribe(self.srv.port, consumer.url),
                                             int(self.claimed["MaxNotificationProducers"]) + 2)
            for resp in made:
                ecall(self.srv.port, "<wsnt:Unsubscribe %s/>" % DECL, path=subscription_path_of(resp))
        finally:
            consumer.close()
        return len(made)


class EventCapabilityCase:
    EVENTS = {}

    @classmethod
    def setUpClass(cls):
        events = dict({"push_allow_loopback": "true", "simulator_period_s": "0"}, **cls.EVENTS)
        cls.srv = Server(sections={"events": events, "discovery": {"port": "0"}})
        cls.addClassCleanup(cls.srv.close)
        cls.srv.start()

    def capabilities(self):
        el = ok(self, call(self.srv.port, "<tev:GetServiceCapabilities/>", path=harness.EVENTS_PATH))
        return el.find("tev:Capabilities", NS)

    def test_every_event_capability_matches_behaviour(self):
        self.assertEqual(check_claims(self, self.capabilities(), EventProbes(self, self.srv)), 5)

    def test_legacy_GetCapabilities_matches_behaviour(self):
        legacy = ok(self, call(self.srv.port, "<tds:GetCapabilities><tds:Category>Events</tds:Category>"
                                              "</tds:GetCapabilities>")).find("tds:Capabilities/tt:Events", NS)
        probes = EventProbes(self, self.srv)
        for el in legacy:
            name = etree_localname(el)
            if name == "XAddr":
                self.assertEqual(el.text, "http://%s:%d%s" % (harness.HOST, self.srv.port, harness.EVENTS_PATH))
                continue
            with self.subTest(capability=name):
                self.assertEqual(el.text, "true" if getattr(probes, name)() else "false")


def etree_localname(el):
    return el.tag.split("}")[-1]


def subscription_path_of(resp):
    """The path of the subscription a CreatePullPointSubscription or
    Subscribe response names."""
    from harness import body_child
    address = next(e for e in body_child(resp.body).iter() if isinstance(e.tag, str) and e.tag.endswith("}Address"))
    return "/" + address.text.strip().split("/", 3)[3]


class EventsDefault(EventCapabilityCase, unittest.TestCase):
    EVENTS = {"max_pull_points": "4", "max_push_subscriptions": "3"}

    def test_claims(self):
        caps = self.capabilities()
        self.assertEqual((caps.get("MaxPullPoints"), caps.get("MaxNotificationProducers")), ("4", "3"))


class EventsWithoutPush(EventCapabilityCase, unittest.TestCase):
    """max_push_subscriptions = 0: no WS-BaseNotification push at all."""
    EVENTS = {"max_pull_points": "2", "max_push_subscriptions": "0"}

    def test_claims(self):
        self.assertEqual(self.capabilities().get("MaxNotificationProducers"), "0")


if __name__ == "__main__":
    unittest.main()
