"""Users, authentication and the access policy (Core spec "Security",
"User-based access control"; docs/security.md), through the real server."""
import datetime
import os
import subprocess
import tempfile
import time
import unittest

from harness import (ADMIN, DEVICE_PATH, HOST, MEDIA_PATH, NS, TEST_DEVICE, Conn, Server, binary_path, body_child,
                     call, config_text, fault_info, post, soap12, username_token)
from prerequisites import read_capture, zeep_client
from security_support import (POLICY, ConnFrom, access_table, digest_authorization, op_body, parse_challenges,
                              set_port, with_header, without_header)

TDS = "{%s}" % NS["tds"]
TRT = "{%s}" % NS["trt"]
TT = "{%s}" % NS["tt"]
NOT_AUTHORIZED = "{%s}NotAuthorized" % NS["ter"]
SENDER = "{%s}Sender" % NS["env"]
LEVEL_USERS = {"Operator": ("op1", "op-pass-1"), "User": ("user1", "user-pass-1")}
CT = "application/soap+xml; charset=utf-8"


def create_users_xml(users):
    return "<tds:CreateUsers>%s</tds:CreateUsers>" % "".join(
        "<tds:User><tt:Username>%s</tt:Username><tt:Password>%s</tt:Password><tt:UserLevel>%s</tt:UserLevel>"
        "</tds:User>" % u for u in users)


def is_not_authorized(resp):
    if resp.status not in (400, 401):
        return False
    try:
        info = fault_info(resp.body)
    except AssertionError:
        return False
    return info["code"] == SENDER and NOT_AUTHORIZED in info["subcodes"]


class SecurityCase(unittest.TestCase):
    SECTIONS = {"security": {"free_failures": 1000}}

    @classmethod
    def setUpClass(cls):
        cls.srv = Server(sections=cls.SECTIONS)
        cls.addClassCleanup(cls.srv.close)
        cls.srv.start()

    def assertNotAuthorized(self, resp, status=400):
        self.assertEqual(resp.status, status, resp.body[:600])
        self.assertTrue(is_not_authorized(resp), resp.body[:600])

    def assertOk(self, resp, op):
        """A 200 with the operation's response; returns its element."""
        self.assertEqual(resp.status, 200, resp.body[:600])
        el = body_child(resp.body)
        self.assertEqual(el.tag, TDS + op + "Response")
        return el

    def assertDeviceInformation(self, resp):
        """GetDeviceInformation answered with the configured device's values."""
        el = self.assertOk(resp, "GetDeviceInformation")
        self.assertEqual(el.findtext(TDS + "SerialNumber"), TEST_DEVICE["serial_number"])
        self.assertEqual(el.findtext(TDS + "Manufacturer"), TEST_DEVICE["manufacturer"])
        return el


class TestAuthentication(SecurityCase):
    def test_pre_auth_answers_anonymous_and_with_a_bad_token(self):
        for body, op in (("<tds:GetSystemDateAndTime/>", "GetSystemDateAndTime"), ("<tds:GetWsdlUrl/>", "GetWsdlUrl"),
                         ("<tds:GetCapabilities/>", "GetCapabilities"),
                         ("<tds:GetServiceCapabilities/>", "GetServiceCapabilities")):
            with self.subTest(op=op):
                self.assertOk(call(self.srv.port, body, auth=None), op)
                self.assertOk(call(self.srv.port, body, auth=("admin", "wrong")), op)
                stale = username_token("admin", "admin", created="2001-01-01T00:00:00Z")
                self.assertOk(post(self.srv.port, DEVICE_PATH, soap12(body, stale)), op)

    def test_no_credentials_gets_a_digest_challenge(self):
        resp = call(self.srv.port, "<tds:GetDeviceInformation/>", auth=None)
        self.assertNotAuthorized(resp, 401)
        challenges = parse_challenges(resp)
        self.assertEqual(set(challenges), {"SHA-256", "MD5"})
        for c in challenges.values():
            self.assertEqual(c["realm"], "onvifd")
            self.assertIn("auth", c["qop"].split(","))
        names = [v for k, v in resp.header_list if k.lower() == "www-authenticate"]
        self.assertTrue(names[0].startswith("Digest algorithm=SHA-256"), "SHA-256 is offered first")

    def test_wrong_password_is_not_authorized_and_the_connection_stays(self):
        with Conn(self.srv.port) as c:
            self.assertNotAuthorized(call(self.srv.port, "<tds:GetDeviceInformation/>", conn=c, auth=("admin", "x")))
            self.assertNotAuthorized(call(self.srv.port, "<tds:GetDeviceInformation/>", conn=c, auth=("nobody", "x")))
            self.assertDeviceInformation(call(self.srv.port, "<tds:GetDeviceInformation/>", conn=c))

    def test_token_response_does_not_echo_the_security_header(self):
        resp = call(self.srv.port, "<tds:GetDeviceInformation/>")
        self.assertDeviceInformation(resp)
        self.assertNotIn(b"UsernameToken", resp.body)

    def test_stale_and_future_created_rejected(self):
        now = datetime.datetime.now(datetime.timezone.utc)
        for delta in (-600, 600):
            created = (now + datetime.timedelta(seconds=delta)).strftime("%Y-%m-%dT%H:%M:%SZ")
            with self.subTest(delta=delta):
                resp = post(self.srv.port, DEVICE_PATH,
                            soap12("<tds:GetDeviceInformation/>", username_token("admin", "admin", created=created)))
                self.assertNotAuthorized(resp)
        created = (now - datetime.timedelta(seconds=60)).strftime("%Y-%m-%dT%H:%M:%S+00:00")
        resp = post(self.srv.port, DEVICE_PATH,
                    soap12("<tds:GetDeviceInformation/>", username_token("admin", "admin", created=created)))
        self.assertDeviceInformation(resp)

    def test_token_without_nonce_or_created_rejected(self):
        token = username_token("admin", "admin")
        import re
        no_nonce = re.sub(r"<wsse:Nonce[^>]*>[^<]*</wsse:Nonce>", "", token)
        no_created = re.sub(r"<wsu:Created>[^<]*</wsu:Created>", "", token)
        for header in (no_nonce, no_created):
            self.assertNotAuthorized(post(self.srv.port, DEVICE_PATH, soap12("<tds:GetDeviceInformation/>", header)))

    def test_password_text_token(self):
        token = username_token("admin", "admin")
        import re
        created = re.search(r"<wsu:Created>([^<]*)<", token).group(1)
        text = re.sub(r'<wsse:Password Type="[^"]*">[^<]*</wsse:Password>',
                      '<wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-'
                      'profile-1.0#PasswordText">admin</wsse:Password>', token)
        self.assertIn(created, text)
        self.assertDeviceInformation(post(self.srv.port, DEVICE_PATH, soap12("<tds:GetDeviceInformation/>", text)))
        wrong = text.replace(">admin</wsse:Password>", ">admin2</wsse:Password>")
        self.assertNotAuthorized(post(self.srv.port, DEVICE_PATH, soap12("<tds:GetDeviceInformation/>", wrong)))

    def test_default_namespace_security_header(self):
        token = username_token("admin", "admin")
        import re
        bare = re.sub(r"<(/?)wsse:", r"<\1", token).replace('xmlns:wsse=', 'xmlns=')
        bare = bare.replace("<Security ", '<Security env:mustUnderstand="1" ')
        self.assertDeviceInformation(post(self.srv.port, DEVICE_PATH, soap12("<tds:GetDeviceInformation/>", bare)))


class TestReplay(SecurityCase):
    SECTIONS = {"security": {"free_failures": 1000}}

    def test_same_token_from_another_address_is_a_replay(self):
        header = username_token("admin", "admin")
        self.assertDeviceInformation(post(self.srv.port, DEVICE_PATH, soap12("<tds:GetDeviceInformation/>", header)))
        with ConnFrom(self.srv.port, "127.0.0.2") as c:
            resp = post(self.srv.port, DEVICE_PATH, soap12("<tds:GetDeviceInformation/>", header), conn=c)
        self.assertNotAuthorized(resp)

    def test_same_token_same_client_right_away_is_accepted(self):
        # libonvif repeats Nonce and Created within one second (client-captures README).
        header = username_token("admin", "admin")
        for _ in range(3):
            self.assertDeviceInformation(post(self.srv.port, DEVICE_PATH, soap12("<tds:GetDeviceInformation/>", header)))


class TestStrictReplay(SecurityCase):
    SECTIONS = {"security": {"free_failures": 1000, "token_reuse_window_ms": 0}}

    def test_second_use_is_refused(self):
        header = username_token("admin", "admin")
        self.assertDeviceInformation(post(self.srv.port, DEVICE_PATH, soap12("<tds:GetDeviceInformation/>", header)))
        # The reuse window is 0 ms here; the cache compares with "later than".
        time.sleep(0.01)
        self.assertNotAuthorized(post(self.srv.port, DEVICE_PATH, soap12("<tds:GetDeviceInformation/>", header)))

    def test_re_encoded_nonce_is_the_same_token(self):
        import re
        header = username_token("admin", "admin")
        self.assertDeviceInformation(post(self.srv.port, DEVICE_PATH, soap12("<tds:GetDeviceInformation/>", header)))
        time.sleep(0.01)
        # Whitespace inside the Base64 text: same nonce bytes, same digest.
        padded = re.sub(r"(<wsse:Nonce[^>]*>)([^<]{4})", r"\1\2\n ", header)
        self.assertNotEqual(padded, header)
        self.assertNotAuthorized(post(self.srv.port, DEVICE_PATH, soap12("<tds:GetDeviceInformation/>", padded)))

    def test_refused_token_is_not_used_up(self):
        # Wrong HTTP Digest plus a valid token: 401, and the token stays usable.
        header = username_token("admin", "admin")
        data = soap12("<tds:GetDeviceInformation/>", header)
        challenge = parse_challenges(call(self.srv.port, "<tds:GetDeviceInformation/>", auth=None))["MD5"]
        bad = digest_authorization(challenge, "admin", "wrong", "POST", DEVICE_PATH)
        self.assertNotAuthorized(post(self.srv.port, DEVICE_PATH, data, {"Authorization": bad}), 401)
        self.assertDeviceInformation(post(self.srv.port, DEVICE_PATH, data))


class TestHttpDigest(SecurityCase):
    def challenge(self, alg):
        return parse_challenges(call(self.srv.port, "<tds:GetDeviceInformation/>", auth=None))[alg]

    def test_md5_and_sha256(self):
        for alg in ("MD5", "SHA-256"):
            with self.subTest(alg=alg):
                auth = digest_authorization(self.challenge(alg), "admin", "admin", "POST", DEVICE_PATH)
                resp = post(self.srv.port, DEVICE_PATH, soap12("<tds:GetDeviceInformation/>"), {"Authorization": auth})
                self.assertDeviceInformation(resp)

    def test_wrong_password_and_replayed_nonce_count(self):
        c = self.challenge("SHA-256")
        bad = digest_authorization(c, "admin", "nope", "POST", DEVICE_PATH)
        self.assertNotAuthorized(post(self.srv.port, DEVICE_PATH, soap12("<tds:GetDeviceInformation/>"),
                                      {"Authorization": bad}), 401)
        c = self.challenge("SHA-256")
        good = digest_authorization(c, "admin", "admin", "POST", DEVICE_PATH, nc=1)
        self.assertDeviceInformation(post(self.srv.port, DEVICE_PATH, soap12("<tds:GetDeviceInformation/>"),
                                          {"Authorization": good}))
        # The same nonce count again is a replay (RFC 7616 3.3).
        self.assertNotAuthorized(post(self.srv.port, DEVICE_PATH, soap12("<tds:GetDeviceInformation/>"),
                                      {"Authorization": good}), 401)
        # An unknown server nonce is refused.
        c["nonce"] = "00000000000000000000"
        self.assertNotAuthorized(post(self.srv.port, DEVICE_PATH, soap12("<tds:GetDeviceInformation/>"),
                                      {"Authorization": digest_authorization(c, "admin", "admin", "POST",
                                                                             DEVICE_PATH)}), 401)

    def test_basic_is_not_accepted(self):
        import base64
        basic = "Basic " + base64.b64encode(b"admin:admin").decode()
        self.assertNotAuthorized(post(self.srv.port, DEVICE_PATH, soap12("<tds:GetDeviceInformation/>"),
                                      {"Authorization": basic}), 401)

    def assertProfiles(self, content):
        """A GetProfiles answer listing the harness camera's two profiles."""
        el = body_child(content)
        self.assertEqual(el.tag, TRT + "GetProfilesResponse", content[:300])
        self.assertEqual([p.get("token") for p in el.findall(TRT + "Profiles")], ["Profile_1", "Profile_2"])
        self.assertEqual(el.findtext(TRT + "Profiles/" + TT + "VideoEncoderConfiguration/" + TT + "Encoding"),
                         "H264")

    def test_httpx_digest_client(self):
        import httpx
        url = "http://%s:%d%s" % (HOST, self.srv.port, DEVICE_PATH)
        media = "http://%s:%d%s" % (HOST, self.srv.port, MEDIA_PATH)
        with httpx.Client(auth=httpx.DigestAuth("admin", "admin"), timeout=5) as client:
            for _ in range(3):
                r = client.post(url, content=soap12("<tds:GetDeviceInformation/>"), headers={"Content-Type": CT})
                self.assertEqual(r.status_code, 200, r.text[:300])
                self.assertEqual(body_child(r.content).findtext(TDS + "SerialNumber"), TEST_DEVICE["serial_number"])
            r = client.post(media, content=soap12("<trt:GetProfiles/>"), headers={"Content-Type": CT})
            self.assertEqual(r.status_code, 200, r.text[:300])
            self.assertProfiles(r.content)
        with httpx.Client(auth=httpx.DigestAuth("admin", "bad"), timeout=5) as client:
            r = client.post(url, content=soap12("<tds:GetDeviceInformation/>"), headers={"Content-Type": CT})
            self.assertEqual(r.status_code, 401)
            self.assertIn(NOT_AUTHORIZED, fault_info(r.content)["subcodes"], r.text[:300])

    def test_requests_digest_client(self):
        import requests
        from requests.auth import HTTPDigestAuth
        url = "http://%s:%d%s" % (HOST, self.srv.port, MEDIA_PATH)
        r = requests.post(url, data=soap12("<trt:GetProfiles/>"), headers={"Content-Type": CT},
                          auth=HTTPDigestAuth("admin", "admin"), timeout=5)
        self.assertEqual(r.status_code, 200, r.text[:300])
        self.assertProfiles(r.content)
        # requests answered the challenge with the password, not by chance: a
        # wrong one gets the spec's NotAuthorized.
        r = requests.post(url, data=soap12("<trt:GetProfiles/>"), headers={"Content-Type": CT},
                          auth=HTTPDigestAuth("admin", "wrong"), timeout=5)
        self.assertEqual(r.status_code, 401)

    def test_digest_and_no_credentials_alternate_on_one_connection(self):
        # A request without an Authorization header is parsed without the
        # Digest plugin's per-request work (docs/security.md); nothing of an
        # earlier request's Digest may carry over to it, and the Digest path
        # must still work after it, on the same keep-alive connection.
        body = soap12("<tds:GetDeviceInformation/>")
        conn = Conn(self.srv.port)
        try:
            conn.request(DEVICE_PATH, body)
            first = conn.read_response()
            self.assertNotAuthorized(first, 401)
            c = parse_challenges(first)["SHA-256"]
            conn.request(DEVICE_PATH, body, {"Authorization": digest_authorization(c, "admin", "admin", "POST",
                                                                                   DEVICE_PATH, nc=1)})
            self.assertDeviceInformation(conn.read_response())
            conn.request(DEVICE_PATH, body)
            self.assertNotAuthorized(conn.read_response(), 401)
            conn.request(DEVICE_PATH, body, {"Authorization": digest_authorization(c, "admin", "admin", "POST",
                                                                                   DEVICE_PATH, nc=2)})
            self.assertDeviceInformation(conn.read_response())
            conn.request(DEVICE_PATH, soap12("<tds:GetDeviceInformation/>", username_token(*ADMIN)))
            self.assertDeviceInformation(conn.read_response())
        finally:
            conn.close()

    def test_both_http_and_token_are_checked(self):
        good = digest_authorization(self.challenge("MD5"), "admin", "admin", "POST", DEVICE_PATH)
        resp = post(self.srv.port, DEVICE_PATH,
                    soap12("<tds:GetDeviceInformation/>", username_token("admin", "wrong")), {"Authorization": good})
        self.assertNotAuthorized(resp, 400)


class TestAccessMatrix(SecurityCase):
    """Every bound operation x every level, over WS-Security and HTTP Digest:
    refused exactly when the default policy says so. Write and unrecoverable
    operations are sent only to levels that must be refused (an Administrator
    would really change the device)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        resp = call(cls.srv.port, create_users_xml(
            [(u, p, level) for level, (u, p) in LEVEL_USERS.items()]))
        assert resp.status == 200, resp.body[:500]

    def cases(self):
        for element, cls_name in access_table():
            for level in ("Administrator", "Operator", "User", "Anonymous"):
                allowed = level in POLICY[cls_name]
                if allowed and cls_name in ("WriteSystem", "Unrecoverable") and level != "Anonymous":
                    continue
                yield element, cls_name, level, allowed

    def credentials(self, level):
        return ADMIN if level == "Administrator" else LEVEL_USERS.get(level)

    def test_matrix_ws_security(self):
        table = access_table()
        self.assertGreater(len(table), 300)
        checked = 0
        with Conn(self.srv.port) as c:
            for element, cls_name, level, allowed in self.cases():
                resp = call(self.srv.port, op_body(element), conn=c, auth=self.credentials(level))
                if resp.connection_close():
                    c.close()
                    c = Conn(self.srv.port)
                refused = is_not_authorized(resp)
                self.assertEqual(not refused, allowed, "%s (%s) as %s: %s %r" % (
                    element, cls_name, level, resp.status, resp.body[-300:]))
                checked += 1
        self.assertGreater(checked, 900)

    def test_matrix_http_digest(self):
        import httpx
        url = "http://%s:%d%s" % (HOST, self.srv.port, DEVICE_PATH)
        clients = {}
        for level in ("Administrator", "Operator", "User", "Anonymous"):
            creds = self.credentials(level)
            clients[level] = httpx.Client(auth=httpx.DigestAuth(*creds) if creds else None, timeout=5)
        try:
            for element, cls_name, level, allowed in self.cases():
                r = clients[level].post(url, content=soap12(op_body(element)), headers={"Content-Type": CT})
                refused = r.status_code in (400, 401) and b"NotAuthorized" in r.content
                self.assertEqual(not refused, allowed, "%s (%s) as %s: %s" % (element, cls_name, level,
                                                                              r.status_code))
                if level == "Anonymous" and not allowed:
                    self.assertEqual(r.status_code, 401)
        finally:
            for client in clients.values():
                client.close()

    def test_wrong_password_refused_for_every_protected_class(self):
        seen = set()
        for element, cls_name in access_table():
            if cls_name == "PreAuth" or cls_name in seen:
                continue
            seen.add(cls_name)
            self.assertNotAuthorized(call(self.srv.port, op_body(element), auth=("admin", "not-it")))


class TestUsers(SecurityCase):
    def get_users(self, auth=ADMIN):
        resp = call(self.srv.port, "<tds:GetUsers/>", auth=auth)
        self.assertOk(resp, "GetUsers")
        return {u.findtext(TT + "Username"): u.findtext(TT + "UserLevel") for u in body_child(resp.body)}, resp

    def assertFault(self, resp, subcode):
        info = fault_info(resp.body)
        self.assertIn("{%s}%s" % (NS["ter"], subcode), info["subcodes"], info)

    def test_crud_and_faults(self):
        users, resp = self.get_users()
        self.assertEqual(users, {"admin": "Administrator"})
        self.assertNotIn(b"<tt:Password", resp.body)
        self.assertEqual(call(self.srv.port, create_users_xml([("alice", "alice-pw", "Operator"),
                                                               ("bob", "bob-pw", "User")])).status, 200)
        users, resp = self.get_users()
        self.assertEqual(users, {"admin": "Administrator", "alice": "Operator", "bob": "User"})
        self.assertNotIn(b"alice-pw", resp.body)
        # The new users can log in, with their levels' rights.
        self.assertDeviceInformation(call(self.srv.port, "<tds:GetDeviceInformation/>", auth=("bob", "bob-pw")))
        self.assertNotAuthorized(call(self.srv.port, "<tds:GetUsers/>", auth=("alice", "alice-pw")))
        # Faults; each leaves the users as they were.
        for users_xml, subcode in (
                ([("carol", "pw", "User"), ("alice", "pw", "User")], "UsernameClash"),
                ([("x" * 40, "pw", "User")], "UsernameTooLong"),
                ([("carol", "p" * 65, "User")], "PasswordTooLong"),
                ([("carol", "pw", "Anonymous")], "AnonymousNotAllowed"),
                ([("u%d" % i, "pw", "User") for i in range(40)], "TooManyUsers")):
            with self.subTest(subcode=subcode):
                self.assertFault(call(self.srv.port, create_users_xml(users_xml)), subcode)
        self.assertEqual(set(self.get_users()[0]), {"admin", "alice", "bob"})
        self.assertFault(call(self.srv.port, "<tds:DeleteUsers><tds:Username>bob</tds:Username>"
                                             "<tds:Username>nobody</tds:Username></tds:DeleteUsers>"),
                         "UsernameMissing")
        self.assertFault(call(self.srv.port, "<tds:DeleteUsers><tds:Username>admin</tds:Username></tds:DeleteUsers>"),
                         "FixedUser")
        self.assertFault(call(self.srv.port, "<tds:SetUser><tds:User><tt:Username>admin</tt:Username>"
                                             "<tt:Password>admin</tt:Password><tt:UserLevel>User</tt:UserLevel>"
                                             "</tds:User></tds:SetUser>"), "FixedUser")
        self.assertFault(call(self.srv.port, "<tds:SetUser><tds:User><tt:Username>ghost</tt:Username>"
                                             "<tt:Password>x</tt:Password><tt:UserLevel>User</tt:UserLevel>"
                                             "</tds:User></tds:SetUser>"), "UsernameMissing")
        self.assertFault(call(self.srv.port, "<tds:SetUser><tds:User><tt:Username>bob</tt:Username>"
                                             "<tt:UserLevel>User</tt:UserLevel></tds:User></tds:SetUser>"),
                         "Password")
        self.assertEqual(set(self.get_users()[0]), {"admin", "alice", "bob"})
        # SetUser changes password and level; DeleteUsers removes.
        self.assertEqual(call(self.srv.port, "<tds:SetUser><tds:User><tt:Username>bob</tt:Username>"
                                             "<tt:Password>bob-new</tt:Password><tt:UserLevel>Operator</tt:UserLevel>"
                                             "</tds:User></tds:SetUser>").status, 200)
        self.assertNotAuthorized(call(self.srv.port, "<tds:GetDeviceInformation/>", auth=("bob", "bob-pw")))
        self.assertDeviceInformation(call(self.srv.port, "<tds:GetDeviceInformation/>", auth=("bob", "bob-new")))
        self.assertEqual(call(self.srv.port, "<tds:DeleteUsers><tds:Username>bob</tds:Username>"
                                             "<tds:Username>alice</tds:Username></tds:DeleteUsers>").status, 200)
        self.assertEqual(self.get_users()[0], {"admin": "Administrator"})
        self.assertNotAuthorized(call(self.srv.port, "<tds:GetDeviceInformation/>", auth=("bob", "bob-new")))


class TestPersistenceAndStartup(unittest.TestCase):
    def test_users_survive_a_restart(self):
        with tempfile.TemporaryDirectory(prefix="onvifd-sec-") as d:
            sections = {"state": {"path": os.path.join(d, "state.ini")}}
            with Server(sections=sections) as srv:
                self.assertEqual(call(srv.port, create_users_xml([("keeper", "keep-pw", "User")])).status, 200)
                self.assertEqual(call(srv.port, "<tds:SetUser><tds:User><tt:Username>admin</tt:Username>"
                                                "<tt:Password>new-admin-pw</tt:Password><tt:UserLevel>Administrator"
                                                "</tt:UserLevel></tds:User></tds:SetUser>").status, 200)
                self.assertEqual(srv.stop(), 0)
            self.assertEqual(os.stat(os.path.join(d, "state.ini")).st_mode & 0o777, 0o600)
            with Server(sections=sections) as srv:
                self.assertFalse(any("default password" in l for l in srv.lines), srv.lines)
                self.assertEqual(call(srv.port, "<tds:GetDeviceInformation/>", auth=("keeper", "keep-pw")).status,
                                 200)
                self.assertEqual(call(srv.port, "<tds:GetDeviceInformation/>").status, 400)  # admin/admin no more
                resp = call(srv.port, "<tds:GetUsers/>", auth=("admin", "new-admin-pw"))
                self.assertIn(b"keeper", resp.body)

    def test_default_password_warned_on_loopback_and_refused_elsewhere(self):
        with Server() as srv:
            self.assertTrue(any("default password" in l for l in srv.lines), srv.lines)
        with tempfile.TemporaryDirectory(prefix="onvifd-sec-") as d:
            cfg = os.path.join(d, "onvifd.conf")
            with open(cfg, "w") as f:
                f.write(config_text())
            # Refused before the listener is opened, so nothing is bound.
            p = subprocess.run([binary_path(), "--config", cfg, "--bind", "0.0.0.0", "--port", "0"], cwd=d,
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               timeout=10)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn(b"default password", p.stderr)


CAPTURE_TIME = datetime.datetime(2026, 11, 26, 16, 39, tzinfo=datetime.timezone.utc)


class TestClientCaptures(SecurityCase):
    """The recorded requests (tests/data/client-captures) with their own
    tokens, against a device clock shifted to the recording time. The
    captures name the peer camera's profiles Profile_0 and Profile_1, so this
    camera uses those tokens."""
    SECTIONS = {"security": {"token_time_offset_s": int(CAPTURE_TIME.timestamp() - time.time())},
                "media": {"stream1.profile_token": "Profile_0", "stream2.profile_token": "Profile_1"}}

    def replay(self, folder, name, conn=None, raw=None):
        raw = set_port(raw or read_capture(folder, name), self.srv.port)
        if conn is not None:
            conn.send(raw)
            return conn.read_response()
        with Conn(self.srv.port) as c:
            c.send(raw)
            return c.read_response()

    def test_ws_security_captures_accepted(self):
        for folder, name in (("home-assistant-onvif-zeep-async", "03-GetDeviceInformation.http"),
                             ("home-assistant-onvif-zeep-async", "20-GetDeviceInformation.http"),
                             ("npm-onvif-agsh", "05-GetDeviceInformation.http"),
                             ("python-zeep", "01-GetDeviceInformation.http"),
                             ("constructed-unifi-style", "01-GetDeviceInformation.http")):
            with self.subTest(capture=folder + "/" + name):
                self.assertDeviceInformation(self.replay(folder, name))
                # The same bytes from another address: a replay.
                with ConnFrom(self.srv.port, "127.0.0.2") as c:
                    self.assertNotAuthorized(self.replay(folder, name, conn=c))

    def test_libonvif_repeated_nonce_accepted_from_the_same_client(self):
        folder = "libonvif-onvif-util"
        self.assertDeviceInformation(self.replay(folder, "02-GetDeviceInformation.http"))
        # 04-06 carry the same Nonce and Created as 02, and are answered.
        answers = {}
        for name in ("04-GetProfiles.http", "05-GetProfile.http", "06-GetStreamUri.http"):
            with self.subTest(capture=name):
                resp = self.replay(folder, name)
                self.assertEqual(resp.status, 200, resp.body[:600])
                answers[name[3:-5]] = body_child(resp.body)
        self.assertEqual([p.get("token") for p in answers["GetProfiles"].findall(TRT + "Profiles")],
                         ["Profile_0", "Profile_1"])
        self.assertEqual(answers["GetProfile"].find(TRT + "Profile").get("token"), "Profile_0")
        uri = answers["GetStreamUri"].findtext(TRT + "MediaUri/" + TT + "Uri")
        self.assertRegex(uri or "", r"^rtsp://[^/]+/Profile_0$")
        # GetHostname with an empty user name: PRE_AUTH ignores the token.
        el = self.assertOk(self.replay(folder, "01-GetHostname.http"), "GetHostname")
        self.assertTrue(el.findtext(TDS + "HostnameInformation/" + TT + "Name"), "no host name")

    def test_agsh_digest_retry_keeps_its_token(self):
        folder = "npm-onvif-agsh-http-digest"
        raw = read_capture(folder, "10-GetDeviceInformation.http")
        # Its Authorization answers the capture proxy's nonce: a new challenge.
        resp = self.replay(folder, None, raw=raw)
        self.assertNotAuthorized(resp, 401)
        challenge = parse_challenges(resp)["SHA-256"]
        # agsh retries the byte-identical body (same token) with our nonce.
        auth = digest_authorization(challenge, "admin", "admin", "POST", DEVICE_PATH, nc=2, cnonce="707576eb")
        retry = with_header(without_header(raw, "Authorization"), "Authorization", auth)
        self.assertDeviceInformation(self.replay(folder, None, raw=retry))

    def test_home_assistant_time_request_with_a_token_is_pre_auth(self):
        # Home Assistant sends its (here, stale) token with these pre-auth
        # operations: they are answered, with content, not refused.
        before = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        el = self.assertOk(self.replay("home-assistant-onvif-zeep-async", "02-GetSystemDateAndTime.http"),
                           "GetSystemDateAndTime")
        after = datetime.datetime.now(datetime.timezone.utc)
        utc = el.find(TDS + "SystemDateAndTime/" + TT + "UTCDateTime")
        self.assertIsNotNone(utc, "no UTCDateTime")
        date, clock = utc.find(TT + "Date"), utc.find(TT + "Time")
        told = datetime.datetime(*(int(date.findtext(TT + f)) for f in ("Year", "Month", "Day")),
                                 *(int(clock.findtext(TT + f)) for f in ("Hour", "Minute", "Second")),
                                 tzinfo=datetime.timezone.utc)
        # The device clock is the host's (token_time_offset_s shifts only the
        # check of Created).
        self.assertTrue(before <= told <= after, "%s not within %s..%s" % (told, before, after))
        el = self.assertOk(self.replay("home-assistant-onvif-zeep-async", "01-GetCapabilities.http"),
                           "GetCapabilities")
        base = "http://127.0.0.1:%d/onvif/" % self.srv.port
        self.assertEqual(el.findtext(TDS + "Capabilities/" + TT + "Device/" + TT + "XAddr"), base + "device_service")
        self.assertEqual(el.findtext(TDS + "Capabilities/" + TT + "Media/" + TT + "XAddr"), base + "media_service")
        self.assertEqual(el.findtext(TDS + "Capabilities/" + TT + "Events/" + TT + "XAddr"), base + "events_service")


class TestZeepClient(SecurityCase):
    def test_zeep_username_token(self):
        import zeep
        settings = zeep.Settings(strict=False)
        service_url = "http://%s:%d%s" % (HOST, self.srv.port, DEVICE_PATH)
        wsdl = "onvif/ver10/device/wsdl/devicemgmt.wsdl"
        client = zeep_client(wsdl, settings=settings, timeout=5, operation_timeout=5)
        svc = client.create_service("{http://www.onvif.org/ver10/device/wsdl}DeviceBinding", service_url)
        info = svc.GetDeviceInformation()
        self.assertEqual(info.SerialNumber, "SN-HARNESS-0042")
        users = svc.GetUsers()
        self.assertEqual([u.Username for u in users], ["admin"])
        bad = zeep_client(wsdl, password="nope", settings=settings, timeout=5, operation_timeout=5).create_service(
            "{http://www.onvif.org/ver10/device/wsdl}DeviceBinding", service_url)
        with self.assertRaises(zeep.exceptions.Fault):
            bad.GetDeviceInformation()


if __name__ == "__main__":
    unittest.main()
