"""What the device says it does is what it does.

Every capability the Device service reports is checked against behaviour
under several configurations (IPv6 listener on/off, HTTPS on/off, a
simulated or a real device with and without hooks): a capability without a
probe here fails the test, so a new one cannot slip in unchecked. And every
service GetServices lists answers GetServiceCapabilities with exactly the
capabilities GetServices(IncludeCapability=true) gives for it (DEVICE-1-1-19,
EVENT-5-1-2 and the same check for every other service in the table).
"""
import socket
import ssl
import tempfile
import unittest

import harness
from device_support import HookDir, assert_fault, ok
from harness import DEVICE_PATH, NS, Server, call, fault_info, post, soap12
from security_support import digest_authorization, parse_challenges
from transport_support import client_context, https_port, make_cert, tls_sections

GSDT = "<tds:GetSystemDateAndTime/>"


def not_supported(resp):
    """True when the answer is env:Receiver / ter:ActionNotSupported."""
    if resp.status == 200:
        return False
    subcodes = [s.split("}")[-1] for s in fault_info(resp.body)["subcodes"]]
    return subcodes[:1] == ["ActionNotSupported"]


def canonical(el):
    """An element as (tag, attributes, text, children), prefixes and
    whitespace aside, for comparing two serialisations."""
    attrs = tuple(sorted((k, v.strip()) for k, v in el.attrib.items()))
    children = tuple(canonical(c) for c in el if isinstance(c.tag, str))
    return (el.tag, attrs, (el.text or "").strip(), children)


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
        return self.call("<tds:GetUsers/>").status == 200

    def _challenges(self):
        return parse_challenges(post(self.srv.port, DEVICE_PATH, soap12("<tds:GetUsers/>")))

    def HttpDigest(self):
        """An HTTP Digest request (each offered algorithm) is answered."""
        challenges = self._challenges()
        for alg in challenges:
            auth = digest_authorization(self._challenges()[alg], *harness.ADMIN, "POST", DEVICE_PATH)
            if post(self.srv.port, DEVICE_PATH, soap12("<tds:GetUsers/>"), headers={"Authorization": auth}).status != 200:
                return False
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
        return self.call("<tds:GetSystemLog><tds:LogType>System</tds:LogType></tds:GetSystemLog>").status == 200

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
    """The embedded default: host changes are recorded, and claimed."""

    DEVICE = {"auxiliary_commands": "tt:IRLamp|On, tt:IRLamp|Off"}

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
    own GetServiceCapabilities, field by field."""

    @classmethod
    def setUpClass(cls):
        cls.srv = Server(sections={"discovery": {"port": "0"}})
        cls.addClassCleanup(cls.srv.close)
        cls.srv.start()

    def test_DEVICE_1_1_19_EVENT_5_1_2_GetServices_capabilities_equal_GetServiceCapabilities(self):
        services = ok(self, call(self.srv.port, "<tds:GetServices><tds:IncludeCapability>true"
                                                "</tds:IncludeCapability></tds:GetServices>"))
        listed = services.findall("tds:Service", NS)
        self.assertGreaterEqual(len(listed), 3)
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


if __name__ == "__main__":
    unittest.main()
