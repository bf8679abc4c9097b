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
import unittest

from harness import NS
from stream_support import (FFPROBE_CODEC, ffprobe, media_ok, start_camera, stream_uri_body, ver10_profiles)


class StreamCase(unittest.TestCase):
    """One stream server and one onvifd per class (starting them costs ~2 s)."""

    MEDIA = {}

    @classmethod
    def setUpClass(cls):
        cls.stream, cls.srv = start_camera(cls, media=cls.MEDIA)

    def uri(self, profile, protocol="RTSP"):
        el = media_ok(self, self.srv.port, stream_uri_body(profile, protocol))
        return el.findtext("trt:MediaUri/tt:Uri", namespaces=NS)

    def assertPlays(self, profile, encoding, width, height, protocol="RTSP", transport="tcp", h264_profile=None):
        url = self.stream.rtsp_for(self.uri(profile, protocol))
        code, streams, err = ffprobe(url, transport)
        self.assertEqual(code, 0, "%s %s: %s\nstream server:\n%s" % (url, transport, err,
                                                                     "\n".join(self.stream.lines[-20:])))
        video = [s for s in streams if s.get("codec_type") == "video"]
        self.assertEqual(len(video), 1, streams)
        self.assertEqual(video[0]["codec_name"], FFPROBE_CODEC[encoding], (profile, video[0]))
        self.assertEqual((video[0]["width"], video[0]["height"]), (width, height), (profile, video[0]))
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

    def test_RTSS_1_1_44_set_synchronization_point(self):
        media_ok(self, self.srv.port, "<trt:SetSynchronizationPoint><trt:ProfileToken>Profile_1</trt:ProfileToken>"
                 "</trt:SetSynchronizationPoint>")

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


if __name__ == "__main__":
    unittest.main()
