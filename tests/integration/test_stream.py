"""The virtual camera really streams: onvifd with the reference stream
server (scripts/stream-server) as its apply hook. Every profile's
GetStreamUri plays in ffprobe with the advertised codec and resolution over
RTSP/TCP, RTP/UDP and the HTTP tunnel; a SetVideoEncoderConfiguration
reaches the stream; a configuration the stream server refuses leaves the old
one (in onvifd and on the wire). Test names follow the Real Time Streaming
device test specification where they do what one of its cases does.

Needs scripts/install-deps --stream (GStreamer, ffprobe); `make test` runs it.
Run: cd tests/integration && /usr/bin/python3 -m unittest -v test_stream
"""
import os
import struct
import subprocess
import threading
import time
import unittest
import urllib.parse

from harness import (DEVICE_PATH, HOST, MEDIA2_PATH, MEDIA_PATH, NS, Conn, binary_path, build_request, settle_fds,
                     wait_fd_baseline)
from security_support import digest_authorization, parse_challenges
from stream_support import (FFPROBE_CODEC, RtspClient, ffprobe, media_ok, metadata_documents, rtsp_status,
                            start_camera, stream_uri_body, ver10_profiles)


class StreamCase(unittest.TestCase):
    """One stream server and one onvifd per class (starting them costs ~2 s)."""

    MEDIA = {}
    EVENTS = {}
    USERS_FILE = False

    @classmethod
    def setUpClass(cls):
        users_file = None
        sections = {"events": dict(cls.EVENTS)} if cls.EVENTS else {}
        if cls.USERS_FILE:
            import tempfile
            cls.users_dir = tempfile.TemporaryDirectory(prefix="stream-users-")
            cls.addClassCleanup(cls.users_dir.cleanup)
            users_file = os.path.join(cls.users_dir.name, "users.htdigest")
            sections["security"] = {"users_file": users_file}
        cls.users_file = users_file
        cls.stream, cls.srv = start_camera(cls, media=cls.MEDIA, sections=sections, users_file=users_file)

    def uri(self, profile, protocol="RTSP"):
        el = media_ok(self, self.srv.port, stream_uri_body(profile, protocol))
        return el.findtext("trt:MediaUri/tt:Uri", namespaces=NS)

    def assertUriPlays(self, uri, profile, encoding, width, height, transport):
        """ffprobe plays `uri` with one video stream of this codec and size; returns that stream."""
        url = self.stream.rtsp_for(uri)
        code, streams, err = ffprobe(url, transport)
        self.assertEqual(code, 0, "%s %s: %s\nstream server:\n%s" % (url, transport, err,
                                                                     "\n".join(self.stream.lines[-20:])))
        video = [s for s in streams if s.get("codec_type") == "video"]
        self.assertEqual(len(video), 1, streams)
        self.assertEqual(video[0]["codec_name"], FFPROBE_CODEC[encoding], (profile, video[0]))
        self.assertEqual((video[0]["width"], video[0]["height"]), (width, height), (profile, video[0]))
        return video

    def assertPlays(self, profile, encoding, width, height, protocol="RTSP", transport="tcp", h264_profile=None):
        video = self.assertUriPlays(self.uri(profile, protocol), profile, encoding, width, height, transport)
        if h264_profile:
            # x264's Baseline is Constrained Baseline, a subset of what was asked.
            self.assertIn(h264_profile, video[0].get("profile", ""), (profile, video[0]))
        return video[0]

    def set_encoder(self, token, **changes):
        cfg = media_ok(self, self.srv.port, "<trt:GetVideoEncoderConfiguration><trt:ConfigurationToken>%s"
                       "</trt:ConfigurationToken></trt:GetVideoEncoderConfiguration>" % token).find(
                           "trt:Configuration", NS)
        paths = {"width": "tt:Resolution/tt:Width", "height": "tt:Resolution/tt:Height",
                 "encoding": "tt:Encoding", "gov": "tt:H264/tt:GovLength", "profile": "tt:H264/tt:H264Profile",
                 "bitrate": "tt:RateControl/tt:BitrateLimit"}
        for key, value in changes.items():
            cfg.find(paths[key], NS).text = str(value)
        from lxml import etree
        return ("<trt:SetVideoEncoderConfiguration>%s<trt:ForcePersistence>true</trt:ForcePersistence>"
                "</trt:SetVideoEncoderConfiguration>" % etree.tostring(cfg).decode())


class TestDefaultCameraStreams(StreamCase):
    def test_RTSS_1_1_43_every_profile_plays_over_rtsp_tcp(self):
        profiles = ver10_profiles(self, self.srv.port)
        self.assertGreaterEqual(len(profiles), 2)
        for token, encoding, width, height, h264_profile in profiles:
            with self.subTest(profile=token):
                self.assertPlays(token, encoding, width, height, h264_profile=h264_profile)

    def test_RTSS_1_1_42_every_profile_plays_through_the_http_tunnel(self):
        for token, encoding, width, height, _ in ver10_profiles(self, self.srv.port):
            with self.subTest(profile=token):
                self.assertPlays(token, encoding, width, height, protocol="HTTP", transport="http")

    def test_RTSS_1_1_41_h264_over_rtp_udp(self):
        token, encoding, width, height, _ = ver10_profiles(self, self.srv.port)[0]
        self.assertPlays(token, encoding, width, height, protocol="RTSP", transport="udp")

    def test_refused_configuration_keeps_the_old_stream(self):
        # A change onvifd accepts but the encoder cannot make: the hook fails,
        # the mount keeps its configuration.
        before = ver10_profiles(self, self.srv.port)[1]
        self.assertEqual(self.stream.hook("video-encoder", "VideoEncoder_2", "encoding=MPEG4",
                                          "resolution=640x360"), 1)
        self.assertEqual(self.stream.hook("video-encoder", "VideoEncoder_2", "encoding=H264",
                                          "resolution=641x"), 1)
        self.assertPlays(before[0], before[1], before[2], before[3])


class TestReconfiguration(StreamCase):
    def test_RTSS_1_1_46_jpeg_resolution_reaches_the_stream(self):
        self.assertPlays("Profile_2", "H264", 640, 360)
        media_ok(self, self.srv.port, self.set_encoder("VideoEncoder_2", encoding="JPEG", width=320, height=240))
        self.assertPlays("Profile_2", "JPEG", 320, 240)
        self.assertPlays("Profile_2", "JPEG", 320, 240, protocol="HTTP", transport="http")

    def test_RTSS_1_1_48_h264_resolution_and_profile_reach_the_stream(self):
        media_ok(self, self.srv.port, self.set_encoder("VideoEncoder_1", width=1280, height=720, profile="Main",
                                                       gov=10, bitrate=1024))
        self.assertPlays("Profile_1", "H264", 1280, 720, h264_profile="Main")


class Media2StreamCase(StreamCase):
    def media2(self, body):
        return media_ok(self, self.srv.port, body, path=MEDIA2_PATH)

    def uri2(self, profile, protocol):
        return self.media2("<tr2:GetStreamUri><tr2:Protocol>%s</tr2:Protocol><tr2:ProfileToken>%s</tr2:ProfileToken>"
                           "</tr2:GetStreamUri>" % (protocol, profile)).findtext("tr2:Uri", namespaces=NS)

    def media2_profiles(self):
        """[(token, encoding, width, height)] of the Media2 profiles with a video encoder, as advertised."""
        out = []
        for p in self.media2("<tr2:GetProfiles><tr2:Type>VideoEncoder</tr2:Type></tr2:GetProfiles>").findall(
                "tr2:Profiles", NS):
            vec = p.find("tr2:Configurations/tr2:VideoEncoder", NS)
            if vec is not None:
                out.append((p.get("token"), vec.findtext("tt:Encoding", namespaces=NS),
                            int(vec.findtext("tt:Resolution/tt:Width", namespaces=NS)),
                            int(vec.findtext("tt:Resolution/tt:Height", namespaces=NS))))
        return out

    def assertPlays2(self, profile, encoding, width, height, protocol="RtspUnicast", transport="tcp"):
        self.assertUriPlays(self.uri2(profile, protocol), profile, encoding, width, height, transport)

    def set_vec2(self, token, **changes):
        from lxml import etree
        cfg = self.media2("<tr2:GetVideoEncoderConfigurations><tr2:ConfigurationToken>%s</tr2:ConfigurationToken>"
                          "</tr2:GetVideoEncoderConfigurations>" % token).find("tr2:Configurations", NS)
        for key, value in changes.items():
            if key in ("GovLength", "Profile"):
                cfg.set(key, str(value))
            else:
                cfg.find({"encoding": "tt:Encoding", "width": "tt:Resolution/tt:Width",
                          "height": "tt:Resolution/tt:Height", "bitrate": "tt:RateControl/tt:BitrateLimit"}[key],
                         NS).text = str(value)
        cfg.tag = "{%s}Configuration" % NS["tr2"]
        self.media2("<tr2:SetVideoEncoderConfiguration>%s</tr2:SetVideoEncoderConfiguration>"
                    % etree.tostring(cfg).decode())


class TestMedia2Streams(Media2StreamCase):
    def test_MEDIA2_RTSS_1_1_3_every_media2_profile_plays_over_rtsp_tcp(self):
        profiles = self.media2_profiles()
        self.assertGreaterEqual(len(profiles), 2)
        for token, encoding, width, height in profiles:
            with self.subTest(profile=token):
                self.assertPlays2(token, encoding, width, height)

    def test_MEDIA2_RTSS_1_1_2_every_media2_profile_plays_through_the_http_tunnel(self):
        for token, encoding, width, height in self.media2_profiles():
            with self.subTest(profile=token):
                self.assertTrue(self.uri2(token, "RtspOverHttp").startswith("http://"))
                self.assertPlays2(token, encoding, width, height, protocol="RtspOverHttp", transport="http")

    def test_MEDIA2_RTSS_1_1_1_over_rtp_udp(self):
        token, encoding, width, height = self.media2_profiles()[1]
        self.assertPlays2(token, encoding, width, height, transport="udp")


class TestMedia2H265(Media2StreamCase):
    """The main stream switched to H.265 through Media2 (ver10 cannot name it)."""

    def test_MEDIA2_RTSS_1_1_10_h265_plays_with_the_advertised_size(self):
        self.set_vec2("VideoEncoder_1", encoding="H265", Profile="Main", width=1280, height=720)
        profiles = dict((t, (e, w, h)) for t, e, w, h in self.media2_profiles())
        self.assertEqual(profiles["Profile_1"], ("H265", 1280, 720))
        self.assertPlays2("Profile_1", "H265", 1280, 720)
        # MEDIA2_RTSS_1_1_9: the same through the HTTP tunnel.
        self.assertPlays2("Profile_1", "H265", 1280, 720, protocol="RtspOverHttp", transport="http")
        # Back to H.264 at full size: the next client sees that.
        self.set_vec2("VideoEncoder_1", encoding="H264", Profile="High", width=1920, height=1080)
        self.assertPlays2("Profile_1", "H264", 1920, 1080)


class TestRefusedReconfiguration(StreamCase):
    """A change onvifd accepts but the stream server cannot make (JPEG over
    RTP needs sizes in multiples of 8): the apply hook fails, the client gets
    ter:Action, onvifd keeps the old configuration and the old stream plays on."""

    MEDIA = {"stream2.resolutions": "640x360, 320x240, 322x242"}

    def test_refused_set_video_encoder_configuration_keeps_the_old_stream(self):
        from harness import call, fault_info
        self.assertPlays("Profile_2", "H264", 640, 360)
        resp = call(self.srv.port, self.set_encoder("VideoEncoder_2", encoding="JPEG", width=322, height=242),
                    path="/onvif/media_service")
        self.assertEqual(resp.status, 500, resp.body[:500])
        self.assertIn("{http://www.onvif.org/ver10/error}Action", fault_info(resp.body)["subcodes"])
        self.assertIsNotNone(self.stream.wait_line(r"refused video-encoder VideoEncoder_2: JPEG over RTP", 5))
        self.assertEqual(ver10_profiles(self, self.srv.port)[1][1:4], ("H264", 640, 360))
        self.assertPlays("Profile_2", "H264", 640, 360)

def h264_key_frame(payload):
    """True when an H.264 RTP payload (RFC 6184) starts or holds an IDR slice."""
    nal = payload[0] & 0x1F
    if nal == 5:
        return True
    if nal == 28:  # FU-A: the start fragment names the type
        return bool(payload[1] & 0x80) and (payload[1] & 0x1F) == 5
    if nal == 24:  # STAP-A: 16-bit size, NAL unit, ...
        i = 1
        while i + 2 < len(payload):
            size = int.from_bytes(payload[i:i + 2], "big")
            if payload[i + 2] & 0x1F == 5:
                return True
            i += 2 + size
    return False


def h265_key_frame(payload):
    """True when an H.265 RTP payload (RFC 7798) starts or holds an IRAP picture (IDR, CRA, BLA)."""
    kind = (payload[0] >> 1) & 0x3F
    if 16 <= kind <= 21:
        return True
    if kind == 49:  # fragmentation unit: the start fragment names the type
        return bool(payload[2] & 0x80) and 16 <= (payload[2] & 0x3F) <= 21
    if kind == 48:  # aggregation packet: 16-bit size, NAL unit, ...
        i = 2
        while i + 2 < len(payload):
            size = int.from_bytes(payload[i:i + 2], "big")
            if 16 <= (payload[i + 2] >> 1) & 0x3F <= 21:
                return True
            i += 2 + size
    return False


class KeyFrames:
    """Key frames read from a video track's RTP packets (RtspClient)."""

    KEY_FRAME = staticmethod(h264_key_frame)

    def next_key_frame(self, client, timeout):
        """Seconds until the next key frame (a key-frame packet with a new RTP
        timestamp: x264 cuts a frame into several slices), or None after timeout."""
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            pkt = client.rtp(timeout - (time.monotonic() - t0))
            if pkt is None:
                return None
            _, timestamp, payload = pkt
            if payload and self.KEY_FRAME(payload) and timestamp != getattr(self, "key_timestamp", None):
                self.key_timestamp = timestamp
                return time.monotonic() - t0
        return None


class TestSynchronizationPoint(KeyFrames, StreamCase):
    """SetSynchronizationPoint forces a key frame: with a 10 s GOP, one comes within a second of the call."""

    MEDIA = {"stream2.gov_length": "150"}  # 15 fps: a key frame every 10 s

    def test_RTSS_1_1_44_set_synchronization_point_forces_a_key_frame(self):
        client = RtspClient(self.stream.port, "/Profile_2", "H264")
        self.addCleanup(client.close)
        self.assertIsNotNone(self.next_key_frame(client, 12), "no key frame at the start of the stream")
        # Past the first key frame's packets; then none for 2 s (the GOP is 10 s)...
        self.assertIsNone(self.next_key_frame(client, 2.0), "key frames come without being asked for")
        media_ok(self, self.srv.port, "<trt:SetSynchronizationPoint><trt:ProfileToken>Profile_2</trt:ProfileToken>"
                 "</trt:SetSynchronizationPoint>")
        # ...and one within a second of SetSynchronizationPoint.
        self.assertIsNotNone(self.next_key_frame(client, 1.0), "no key frame within 1 s of SetSynchronizationPoint")


class TestGovLength(StreamCase):
    """GovLength reaches the encoder: key frames exactly GovLength frames apart in RTP time."""

    def key_frame_timestamps(self, client, count, timeout=15):
        stamps, t0 = [], time.monotonic()
        while len(stamps) < count and time.monotonic() - t0 < timeout:
            pkt = client.rtp(timeout - (time.monotonic() - t0))
            if pkt is None:
                break
            if pkt[2] and h264_key_frame(pkt[2]) and (not stamps or stamps[-1] != pkt[1]):
                stamps.append(pkt[1])
        return stamps

    def test_gov_length_reaches_the_stream(self):
        # Profile_2 runs at 15 fps: GovLength 6 puts a key frame every 0.4 s (36000 ticks of 90 kHz).
        media_ok(self, self.srv.port, self.set_encoder("VideoEncoder_2", gov=6))
        client = RtspClient(self.stream.port, "/Profile_2", "H264")
        self.addCleanup(client.close)
        stamps = self.key_frame_timestamps(client, 4)
        self.assertEqual(len(stamps), 4, stamps)
        gaps = [(b - a) % (1 << 32) for a, b in zip(stamps, stamps[1:])]
        self.assertEqual(gaps, [6 * 90000 // 15] * 3)

class TestBitrateLimit(Media2StreamCase):
    """BitrateLimit reaches the encoder: the payload bytes a client receives
    per second stay under a low limit (with x264's rate-control slack) and are
    several times more under a high one, set through either Media service."""

    SECONDS = 4.0

    def measured_kbps(self, profile):
        """Kilobits per second of RTP payload on the profile's video track, after the first key frame."""
        client = RtspClient(self.stream.port, "/" + profile, "H264")
        try:
            t0 = time.monotonic()
            while time.monotonic() - t0 < 10:  # start-up: the stream begins with a key frame
                pkt = client.rtp(10)
                self.assertIsNotNone(pkt, "no RTP from %s" % profile)
                if pkt[2] and h264_key_frame(pkt[2]):
                    break
            total, t0 = 0, time.monotonic()
            while time.monotonic() - t0 < self.SECONDS:
                pkt = client.rtp(self.SECONDS - (time.monotonic() - t0))
                if pkt is None:
                    break
                total += len(pkt[2])
            return total * 8 / 1000.0 / (time.monotonic() - t0)
        finally:
            client.close()

    def assertFollowsLimit(self, set_limit, low, high):
        set_limit(low)
        low_kbps = self.measured_kbps("Profile_2")
        set_limit(high)
        high_kbps = self.measured_kbps("Profile_2")
        self.assertLess(low_kbps, low * 1.5, (low_kbps, high_kbps))
        self.assertGreater(high_kbps, 3 * low_kbps, (low_kbps, high_kbps))

    def test_RTSS_1_1_47_bitrate_limit_reaches_the_stream(self):
        self.assertFollowsLimit(lambda kbps: media_ok(self, self.srv.port, self.set_encoder("VideoEncoder_2",
                                                                                           bitrate=kbps)),
                                LOW_KBPS, HIGH_KBPS)

    def test_media2_bitrate_limit_reaches_the_stream(self):
        self.assertFollowsLimit(lambda kbps: self.set_vec2("VideoEncoder_2", bitrate=kbps), LOW_KBPS, HIGH_KBPS)


# Profile_2 (640x360, 15 fps, limits 64-2048 kbit/s): the moving test pattern
# needs far more than the low limit and uses much of the high one.
LOW_KBPS, HIGH_KBPS = 128, 2048


class TestSynchronizationPointH265(KeyFrames, Media2StreamCase):
    """The same for the H.265 stream, through Media2."""

    KEY_FRAME = staticmethod(h265_key_frame)

    def test_MEDIA2_RTSS_1_1_11_set_synchronization_point_forces_an_h265_key_frame(self):
        # 25 fps and a GOP of 150: a key frame every 6 s.
        self.set_vec2("VideoEncoder_1", encoding="H265", Profile="Main", width=1280, height=720, GovLength=150)
        client = RtspClient(self.stream.port, "/Profile_1", "H265")
        self.addCleanup(client.close)
        self.assertIsNotNone(self.next_key_frame(client, 15), "no key frame at the start of the stream")
        self.assertIsNone(self.next_key_frame(client, 2.0), "key frames come without being asked for")
        self.media2("<tr2:SetSynchronizationPoint><tr2:ProfileToken>Profile_1</tr2:ProfileToken>"
                    "</tr2:SetSynchronizationPoint>")
        self.assertIsNotNone(self.next_key_frame(client, 1.0), "no key frame within 1 s of SetSynchronizationPoint")

class TestMulticast(Media2StreamCase):
    """RTP multicast when configured ([media] multicast = true): the URIs of
    both services, and an RTSP SETUP for multicast answered with the
    encoder's group, port and TTL. Receiving the packets is not tested: the
    RTSP server binds the group's port without SO_REUSEADDR, so no client on
    the same host can bind it (docs/streaming.md)."""

    MEDIA = {"multicast": "true"}

    @classmethod
    def setUpClass(cls):
        # The stream server's hook behind a wrapper that records what onvifd asks of it.
        import stat
        import tempfile
        from stream_support import HOOK
        cls.hook_dir = tempfile.TemporaryDirectory(prefix="stream-hook-")
        cls.addClassCleanup(cls.hook_dir.cleanup)
        cls.hook_log = os.path.join(cls.hook_dir.name, "hook.log")
        wrapper = os.path.join(cls.hook_dir.name, "hook")
        with open(wrapper, "w") as f:
            f.write('#!/bin/sh\necho "$*" >> "%s"\nexec "%s" "$@"\n' % (cls.hook_log, HOOK))
        os.chmod(wrapper, stat.S_IRWXU)
        cls.MEDIA = dict(cls.MEDIA, apply_hook=wrapper)
        super().setUpClass()

    def hook_lines(self):
        with open(self.hook_log) as f:
            return f.read().splitlines()

    def multicast_setup(self, uri):
        """(destination, port, ttl) of the RTSP SETUP answer for multicast on a stream URI."""
        path = urllib.parse.urlsplit(self.stream.rtsp_for(uri)).path
        client = RtspClient(self.stream.port, path, "H264", transport="RTP/AVP;multicast")
        try:
            fields = dict(f.partition("=")[::2] for f in client.transport.split(";"))
            self.assertIn("multicast", fields, client.transport)
            return fields.get("destination"), fields.get("port"), fields.get("ttl")
        finally:
            client.close()

    def ver10_multicast_uri(self, profile):
        return media_ok(self, self.srv.port, stream_uri_body(profile).replace("RTP-Unicast", "RTP-Multicast").replace(
            ">RTSP<", ">UDP<")).findtext("trt:MediaUri/tt:Uri", namespaces=NS)

    def test_RTSS_1_2_21_multicast_address_and_port_in_rtsp_setup(self):
        for uri in (self.ver10_multicast_uri("Profile_2"), self.uri2("Profile_2", "RtspMulticast")):
            with self.subTest(uri=uri):
                self.assertEqual(self.multicast_setup(uri), ("239.0.1.2", "40002-40003", "1"))

    def test_RTSS_1_2_20_changed_multicast_address_reaches_the_setup(self):
        from lxml import etree
        cfg = media_ok(self, self.srv.port, "<trt:GetVideoEncoderConfiguration><trt:ConfigurationToken>"
                       "VideoEncoder_1</trt:ConfigurationToken></trt:GetVideoEncoderConfiguration>").find(
                           "trt:Configuration", NS)
        cfg.find("tt:Multicast/tt:Address/tt:IPv4Address", NS).text = "239.0.1.9"
        cfg.find("tt:Multicast/tt:Port", NS).text = "40010"
        media_ok(self, self.srv.port, "<trt:SetVideoEncoderConfiguration>%s<trt:ForcePersistence>true"
                 "</trt:ForcePersistence></trt:SetVideoEncoderConfiguration>" % etree.tostring(cfg).decode())
        self.assertEqual(self.multicast_setup(self.ver10_multicast_uri("Profile_1")),
                         ("239.0.1.9", "40010-40011", "1"))

    def test_start_multicast_streaming_goes_through_the_stream_server(self):
        def send(op, path=MEDIA_PATH):
            prefix = "tr2" if path == MEDIA2_PATH else "trt"
            before = len(self.hook_lines())
            media_ok(self, self.srv.port, "<{0}:{1}><{0}:ProfileToken>Profile_2</{0}:ProfileToken></{0}:{1}>"
                     .format(prefix, op), path=path)
            return self.hook_lines()[before:]

        started = send("StartMulticastStreaming")
        self.assertEqual(len(started), 1, started)
        self.assertTrue(started[0].startswith("multicast-start Profile_2 "), started)
        self.assertIn("multicast=239.0.1.2:40002/1", started[0])
        # Already running: nothing to ask (Media2's Start is the same stream).
        self.assertEqual(send("StartMulticastStreaming", MEDIA2_PATH), [])
        stopped = send("StopMulticastStreaming")
        self.assertEqual(len(stopped), 1, stopped)
        self.assertTrue(stopped[0].startswith("multicast-stop Profile_2 "), stopped)
        # Stop of a stream not started succeeds and asks nothing (Media spec).
        self.assertEqual(send("StopMulticastStreaming", MEDIA2_PATH), [])
        self.assertIsNone(self.stream.wait_line(r"refused multicast", timeout=0.2))


class TestMetadataStream(StreamCase):
    """Profile T metadata streaming: the profile with a metadata configuration
    has a VND.ONVIF.METADATA track carrying the events onvifd publishes,
    once the configuration asks for events (Media2 SetMetadataConfiguration)."""

    EVENTS = {"simulator_period_s": "0"}  # only the events the test raises

    def media2(self, body):
        return media_ok(self, self.srv.port, body, path=MEDIA2_PATH)

    def set_events(self, on):
        from lxml import etree
        cfg = self.media2("<tr2:GetMetadataConfigurations/>").find("tr2:Configurations", NS)
        cfg.tag = "{%s}Configuration" % NS["tr2"]
        events = cfg.find("tt:Events", NS)
        if on and events is None:
            # tt:MetadataConfiguration's sequence: ..., Events, Analytics, Multicast, SessionTimeout, ...
            after = next(cfg.find("tt:" + n, NS) for n in ("Analytics", "Multicast", "SessionTimeout")
                         if cfg.find("tt:" + n, NS) is not None)
            after.addprevious(etree.Element("{%s}Events" % NS["tt"]))
        elif not on and events is not None:
            cfg.remove(events)
        self.media2("<tr2:SetMetadataConfiguration>%s</tr2:SetMetadataConfiguration>" % etree.tostring(cfg).decode())

    def stream_path(self, profile):
        uri = self.media2("<tr2:GetStreamUri><tr2:Protocol>RtspUnicast</tr2:Protocol><tr2:ProfileToken>%s"
                          "</tr2:ProfileToken></tr2:GetStreamUri>" % profile).findtext("tr2:Uri", namespaces=NS)
        return urllib.parse.urlsplit(uri).path

    def raise_event(self, *args):
        r = subprocess.run([binary_path(), "event", "--socket", self.stream.events_socket] + list(args),
                           capture_output=True, timeout=10, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)

    def motion_states(self, document):
        """[(topic, PropertyOperation, State or IsMotion)] of the events in one tt:MetadataStream document."""
        from lxml import etree
        root = etree.fromstring(document)
        self.assertEqual(root.tag, "{%s}MetadataStream" % NS["tt"], document[:300])
        out = []
        ns = dict(NS, wsnt="http://docs.oasis-open.org/wsn/b-2")
        for note in root.findall("tt:Event/wsnt:NotificationMessage", ns):
            msg = note.find("wsnt:Message/tt:Message", ns)
            value = msg.find("tt:Data/tt:SimpleItem", ns)
            out.append((note.findtext("wsnt:Topic", namespaces=ns), msg.get("PropertyOperation"),
                        value.get("Value") if value is not None else None))
        return out

    def wait_for(self, client, wanted, timeout):
        """Seconds until a document holds `wanted` (topic, operation, value), or None."""
        t0 = time.monotonic()
        for doc in metadata_documents(client, timeout):
            if wanted in self.motion_states(doc):
                return time.monotonic() - t0
            if time.monotonic() - t0 > timeout:
                return None
        return None

    def test_metadata_track_only_on_the_profile_with_a_metadata_configuration(self):
        profiles = self.media2("<tr2:GetProfiles><tr2:Type>All</tr2:Type></tr2:GetProfiles>").findall(
            "tr2:Profiles", NS)
        with_metadata = {p.get("token") for p in profiles if p.find("tr2:Configurations/tr2:Metadata", NS) is not None}
        self.assertEqual(with_metadata, {"Profile_1"})
        for p in profiles:
            client = RtspClient(self.stream.port, self.stream_path(p.get("token")), None)
            try:
                has = client.track_control("VND.ONVIF.METADATA") is not None
                self.assertEqual(has, p.get("token") in with_metadata, client.sdp)
                if has:
                    self.assertRegex(client.sdp, r"a=rtpmap:\d+ VND\.ONVIF\.METADATA/90000")
            finally:
                client.close()

    def test_MEDIA2_RTSS_4_1_3_motion_event_reaches_the_metadata_track_within_a_second(self):
        self.assertIsNotNone(self.stream.wait_line(r"watching events on ", 15), "\n".join(self.stream.lines))
        self.set_events(True)
        self.addCleanup(self.set_events, False)
        client = RtspClient(self.stream.port, self.stream_path("Profile_1"), "VND.ONVIF.METADATA")
        self.addCleanup(client.close)
        for _ in metadata_documents(client, 0.3):
            pass  # what was sent before: the first document, earlier events
        t0 = time.monotonic()
        self.raise_event("motion", "on")
        waited = self.wait_for(client, ("tns1:VideoSource/MotionAlarm", "Changed", "true"), 1.0)
        self.assertIsNotNone(waited, "no MotionAlarm State=true in the metadata track within 1 s")
        self.assertLess(time.monotonic() - t0, 1.0)
        # The cell motion detector's event of the same raise, and the next change.
        self.raise_event("motion", "off")
        self.assertIsNotNone(self.wait_for(client, ("tns1:VideoSource/MotionAlarm", "Changed", "false"), 1.0))

    def test_MEDIA2_RTSS_4_1_4_synchronization_point_starts_a_new_document(self):
        client = RtspClient(self.stream.port, self.stream_path("Profile_1"), "VND.ONVIF.METADATA")
        self.addCleanup(client.close)
        for _ in metadata_documents(client, 0.3):
            pass
        media_ok(self, self.srv.port, "<tr2:SetSynchronizationPoint><tr2:ProfileToken>Profile_1</tr2:ProfileToken>"
                 "</tr2:SetSynchronizationPoint>", path=MEDIA2_PATH)
        doc = next(metadata_documents(client, 1.0), None)
        self.assertIsNotNone(doc, "no new metadata document within 1 s of SetSynchronizationPoint")
        self.assertEqual(self.motion_states(doc), [])

    def test_MEDIA2_RTSS_4_1_1_and_4_1_2_events_over_rtp_udp_and_the_http_tunnel(self):
        """ffmpeg (another client) reads the metadata track over RTP/UDP and through the HTTP tunnel."""
        self.set_events(True)
        self.addCleanup(self.set_events, False)
        for protocol, transport in (("RtspUnicast", "udp"), ("RtspOverHttp", "http")):
            with self.subTest(transport=transport):
                uri = self.media2("<tr2:GetStreamUri><tr2:Protocol>%s</tr2:Protocol><tr2:ProfileToken>Profile_1"
                                  "</tr2:ProfileToken></tr2:GetStreamUri>" % protocol).findtext("tr2:Uri",
                                                                                              namespaces=NS)
                ffmpeg = subprocess.Popen(["ffmpeg", "-v", "error", "-rtsp_transport", transport, "-i",
                                           self.stream.rtsp_for(uri), "-map", "0:d", "-c", "copy", "-flush_packets",
                                           "1", "-f", "data", "-"], stdin=subprocess.DEVNULL,
                                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                out = bytearray()
                reader = threading.Thread(target=lambda: [out.extend(c) for c in iter(
                    lambda: ffmpeg.stdout.read1(65536), b"")], daemon=True)
                reader.start()
                wanted = ("tns1:VideoSource/MotionAlarm", "Changed", "true")
                states = []
                try:
                    # ffmpeg's start-up takes a while on a loaded machine: raise the
                    # event again each second until it shows (or 15 s passed).
                    deadline = time.monotonic() + 15
                    while wanted not in states and time.monotonic() < deadline:
                        self.raise_event("motion", "off")
                        self.raise_event("motion", "on")
                        time.sleep(1.0)
                        states = [s for doc in bytes(out).split(b"<?xml")[1:] if doc.rstrip().endswith(
                            b"</tt:MetadataStream>") for s in self.motion_states(b"<?xml" + doc)]
                finally:
                    ffmpeg.kill()  # its output is flushed per packet; a TERM may wait on the network
                    ffmpeg.wait(10)
                    reader.join(5)
                    err = ffmpeg.stderr.read()
                    ffmpeg.stdout.close()
                    ffmpeg.stderr.close()
                self.assertIn(wanted, states, err)
                self.assertIn(("tns1:VideoSource/MotionAlarm", "Changed", "false"), states)

    def test_no_events_in_the_track_while_the_configuration_has_none(self):
        self.assertIsNotNone(self.stream.wait_line(r"watching events on ", 15))
        self.set_events(False)
        client = RtspClient(self.stream.port, self.stream_path("Profile_1"), "VND.ONVIF.METADATA")
        self.addCleanup(client.close)
        self.raise_event("motion", "on")
        self.raise_event("motion", "off")
        self.assertIsNone(self.wait_for(client, ("tns1:VideoSource/MotionAlarm", "Changed", "true"), 1.5))


class TestDefaultMetadataEvents(StreamCase):
    """The default camera streams its events in the metadata track without
    being asked: its metadata configuration starts with Events (no filter),
    and the [events] simulator toggles the motion alarm every period."""

    # EVENTS: none set, the default configuration's simulator runs.

    def test_simulator_motion_event_in_the_metadata_track_without_a_soap_call(self):
        import configparser
        text = subprocess.run([binary_path(), "--print-default-config"], capture_output=True, text=True,
                              timeout=10, check=True).stdout
        ini = configparser.ConfigParser(interpolation=None, inline_comment_prefixes=None)
        ini.read_string(text)
        period = float(ini["events"]["simulator_period_s"])
        self.assertGreater(period, 0)
        client = RtspClient(self.stream.port, "/Profile_1", "VND.ONVIF.METADATA")
        self.addCleanup(client.close)
        t0 = time.monotonic()
        changed = None
        for doc in metadata_documents(client, period + 1):
            states = TestMetadataStream.motion_states(self, doc)
            if any(t == "tns1:VideoSource/MotionAlarm" and op == "Changed" for t, op, _ in states):
                changed = time.monotonic() - t0
                break
            if time.monotonic() - t0 > period + 1:
                break
        self.assertIsNotNone(changed, "no simulated MotionAlarm in the metadata track within %g s" % (period + 1))
        self.assertLess(changed, period + 1)


def jpeg_size(data):
    """(width, height) from a JPEG's SOF0/SOF2 segment."""
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            raise AssertionError("not a JPEG segment at %d" % i)
        marker, length = data[i + 1], struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            height, width = struct.unpack(">HH", data[i + 5:i + 9])
            return width, height
        i += 2 + length
    raise AssertionError("no SOF segment")


class SnapshotCase(StreamCase):
    def get(self, path, auth=None, conn=None):
        """GET with HTTP Digest (MD5) when auth = (user, password); one retry after the challenge."""
        def once(c, header=None):
            headers = {"Authorization": header} if header else {}
            c.send(build_request(self.srv.port, path, None, headers, method="GET"))
            return c.read_response(method="GET")
        with Conn(self.srv.port, timeout=10) as c:
            resp = once(c)
            if resp.status == 401 and auth:
                ch = parse_challenges(resp)["MD5"]
                resp = once(c, digest_authorization(ch, auth[0], auth[1], "GET", path))
            return resp

    def snapshot_path(self, profile):
        uri = media_ok(self, self.srv.port, "<trt:GetSnapshotUri><trt:ProfileToken>%s</trt:ProfileToken>"
                       "</trt:GetSnapshotUri>" % profile).findtext("trt:MediaUri/tt:Uri", namespaces=NS)
        prefix = "http://%s:%d" % (HOST, self.srv.port)
        self.assertTrue(uri.startswith(prefix), uri)
        return uri[len(prefix):]


class TestSnapshots(SnapshotCase):
    def test_snapshot_is_a_jpeg_of_the_profile_resolution(self):
        for token, _, width, height, _ in ver10_profiles(self, self.srv.port):
            with self.subTest(profile=token):
                resp = self.get(self.snapshot_path(token), auth=("admin", "admin"))
                self.assertEqual(resp.status, 200, resp.body[:300])
                self.assertEqual(resp.header("Content-Type"), "image/jpeg")
                self.assertEqual(jpeg_size(resp.body), (width, height))

    def test_snapshot_needs_digest_credentials(self):
        path = self.snapshot_path("Profile_2")
        resp = self.get(path)
        self.assertEqual(resp.status, 401)
        self.assertIn("MD5", parse_challenges(resp))
        self.assertEqual(self.get(path, auth=("admin", "wrong")).status, 401)
        self.assertEqual(self.get("/onvif/snapshot/NoSuchProfile", auth=("admin", "admin")).status, 404)
        # Other GETs keep gSOAP's answer.
        self.assertEqual(self.get("/onvif/device_service").status, 405)


class TestSnapshotFromCommand(SnapshotCase):
    """A cheap command source (cat of a JPEG), so 200 snapshots take a second."""

    @classmethod
    def setUpClass(cls):
        import subprocess
        import tempfile
        cls.jpeg_dir = tempfile.TemporaryDirectory(prefix="stream-jpeg-")
        cls.addClassCleanup(cls.jpeg_dir.cleanup)
        jpeg = os.path.join(cls.jpeg_dir.name, "frame.jpg")
        with open(jpeg, "wb") as f:
            subprocess.run(["/usr/bin/gst-launch-1.0", "-q", "videotestsrc", "num-buffers=1", "!",
                            "video/x-raw,width=64,height=48", "!", "jpegenc", "!", "fdsink", "fd=1"],
                           stdout=f, check=True, timeout=30)
        cls.MEDIA = {"snapshot_command": "/bin/cat " + jpeg}
        super().setUpClass()

    def test_fd_count_back_to_baseline_after_200_snapshots(self):
        path = self.snapshot_path("Profile_2")
        self.assertEqual(self.get(path, auth=("admin", "admin")).status, 200)
        baseline = settle_fds(self.srv)
        for _ in range(200):
            resp = self.get(path, auth=("admin", "admin"))
            self.assertEqual(resp.status, 200)
            self.assertEqual(jpeg_size(resp.body), (64, 48))
        self.assertLessEqual(wait_fd_baseline(self.srv, baseline), baseline)


class TestSnapshotSourceFails(SnapshotCase):
    MEDIA = {"snapshot_command": "/bin/false"}

    def test_failing_source_is_a_clean_503(self):
        t0 = time.monotonic()
        resp = self.get(self.snapshot_path("Profile_1"), auth=("admin", "admin"))
        self.assertEqual(resp.status, 503)
        self.assertEqual(resp.header("Content-Type", "").split(";")[0], "text/plain")
        self.assertLess(time.monotonic() - t0, 5)


class TestSnapshotSourceHangs(SnapshotCase):
    MEDIA = {"snapshot_command": "/bin/sleep 30", "snapshot_timeout_ms": "500"}

    def test_hanging_source_is_a_503_within_the_timeout(self):
        t0 = time.monotonic()
        resp = self.get(self.snapshot_path("Profile_1"), auth=("admin", "admin"))
        self.assertEqual(resp.status, 503)
        self.assertLess(time.monotonic() - t0, 4)


class TestRtspUsers(StreamCase):
    """RTSP Digest with the ONVIF users (Profile T), through [security] users_file."""

    USERS_FILE = True

    def test_users_file_holds_the_users_without_passwords(self):
        with open(self.users_file) as f:
            lines = f.read().splitlines()
        self.assertIn("admin:onvifd:" + __import__("hashlib").md5(b"admin:onvifd:admin").hexdigest(), lines)
        self.assertEqual(os.stat(self.users_file).st_mode & 0o777, 0o600)

    def test_rtsp_without_or_with_wrong_credentials_is_401(self):
        self.assertEqual(rtsp_status(self.stream.port, "/Profile_2"), 401)
        self.assertEqual(rtsp_status(self.stream.port, "/Profile_2", "admin", "wrong"), 401)
        self.assertEqual(rtsp_status(self.stream.port, "/Profile_2", "nobody", "admin"), 401)
        self.assertEqual(rtsp_status(self.stream.port, "/Profile_2", "admin", "admin"), 200)

    def test_created_user_plays_deleted_user_does_not(self):
        def device(body):
            from harness import call
            resp = call(self.srv.port, body, path=DEVICE_PATH)
            self.assertEqual(resp.status, 200, resp.body[:500])
        device("<tds:CreateUsers><tds:User><tt:Username>viewer1</tt:Username><tt:Password>pw-viewer1</tt:Password>"
               "<tt:UserLevel>User</tt:UserLevel></tds:User></tds:CreateUsers>")
        url = self.stream.rtsp_for(self.uri("Profile_2"), "viewer1", "pw-viewer1")
        code, streams, err = ffprobe(url)
        self.assertEqual(code, 0, err)
        self.assertEqual(rtsp_status(self.stream.port, "/Profile_2", "viewer1", "pw-viewer1"), 200)
        device("<tds:DeleteUsers><tds:Username>viewer1</tds:Username></tds:DeleteUsers>")
        self.assertEqual(rtsp_status(self.stream.port, "/Profile_2", "viewer1", "pw-viewer1"), 401)
        code, _, _ = ffprobe(url)
        self.assertNotEqual(code, 0)


if __name__ == "__main__":
    unittest.main()
