"""Tampering events (Imaging spec "Events"/"Tampering"; Imaging device test
specification IMAGING-4-1-1..4): tns1:VideoSource/<kind>/ImagingService
property topics listed in GetEventProperties with the spec's message
description, Initialized on subscription, Changed when firmware raises them
through the control socket (`onvifd event tamper ...`) or the simulator
changes them, Deleted; only the kinds the configuration names."""
import time
import unittest

from harness import NS, body_child
from events_support import CONCRETE_SET, EventsServerCase, create_pull, ecall, inject, messages, pull

WSTOP = "http://docs.oasis-open.org/wsn/t-1"
XS = "http://www.w3.org/2001/XMLSchema"
KINDS = ("ImageTooBlurry", "ImageTooDark", "ImageTooBright", "GlobalSceneChange")


def topic(kind):
    return "tns1:VideoSource/%s/ImagingService" % kind


def qname(el, text):
    prefix, local = text.split(":", 1)
    return "{%s}%s" % (el.nsmap.get(prefix), local)


def topic_set(port):
    el = body_child(ecall(port, "<tev:GetEventProperties/>").body)
    return el.find("{%s}TopicSet" % WSTOP)


def tamper_topic(topics, kind):
    """The <ImagingService> topic element under tns1:VideoSource/<kind>, or None."""
    video = topics.find("{http://www.onvif.org/ver10/topics}VideoSource")
    if video is None:
        return None
    for el in video:
        if isinstance(el.tag, str) and el.tag.split("}")[-1] == kind:
            for sub in el:
                if isinstance(sub.tag, str) and sub.tag.split("}")[-1] == "ImagingService":
                    return sub
    return None


def pull_point(port, kinds):
    """A pull point filtered on these kinds' topics (ConcreteSet, as the test specification does)."""
    expr = "|".join(topic(k) for k in kinds)
    path, _ = create_pull(port, '<tev:Filter><wsnt:TopicExpression Dialect="%s" '
                                'xmlns:tns1="http://www.onvif.org/ver10/topics">%s</wsnt:TopicExpression></tev:Filter>'
                                % (CONCRETE_SET, expr))
    return path


def pull_until(port, path, count, timeout_s=10):
    got = []
    deadline = time.monotonic() + timeout_s
    while len(got) < count and time.monotonic() < deadline:
        got += messages(pull(port, path, timeout="PT1S"))
    return got


TamperingCase = EventsServerCase


class TestDefaultCamera(TamperingCase):
    """The virtual camera (simulated host, tampering = auto): all four kinds."""

    def check_kind(self, kind):
        # GetEventProperties: the topic with the Imaging spec's message
        # description (test specification Annex A.3).
        el = tamper_topic(topic_set(self.port), kind)
        self.assertIsNotNone(el, kind)
        self.assertEqual(el.get("{%s}topic" % WSTOP), "true")
        desc = el.find("tt:MessageDescription", NS)
        self.assertEqual(desc.get("IsProperty"), "true")
        src = desc.findall("tt:Source/tt:SimpleItemDescription", NS)
        self.assertEqual([(s.get("Name"), qname(s, s.get("Type"))) for s in src],
                         [("Source", "{%s}ReferenceToken" % NS["tt"])])
        data = desc.findall("tt:Data/tt:SimpleItemDescription", NS)
        self.assertEqual([(d.get("Name"), qname(d, d.get("Type"))) for d in data], [("State", "{%s}boolean" % XS)])
        # A pull point on that topic: the current state as Initialized (Annex A.4 items), then each change.
        path = pull_point(self.port, [kind])
        first = pull_until(self.port, path, 1)
        self.assertEqual(first, [(topic(kind), "Initialized", {"Source": "VideoSource_1", "State": "false"})])
        self.assertInjected("tamper", kind, "on")
        self.assertInjected("motion", "on")  # another topic: filtered out
        self.assertInjected("tamper", kind, "off", "VideoSource_1")
        got = pull_until(self.port, path, 2)
        self.assertEqual(got, [(topic(kind), "Changed", {"Source": "VideoSource_1", "State": "true"}),
                               (topic(kind), "Changed", {"Source": "VideoSource_1", "State": "false"})])
        self.assertEqual(messages(pull(self.port, path, timeout="PT0S")), [])

    def test_IMAGING_4_1_1_image_too_blurry(self):
        self.check_kind("ImageTooBlurry")

    def test_IMAGING_4_1_2_image_too_dark(self):
        self.check_kind("ImageTooDark")

    def test_IMAGING_4_1_3_image_too_bright(self):
        self.check_kind("ImageTooBright")

    def test_IMAGING_4_1_4_global_scene_change(self):
        self.check_kind("GlobalSceneChange")

    def test_EVENT_3_1_25_synchronization_point_repeats_the_tampering_state(self):
        path = pull_point(self.port, ["ImageTooBright"])
        self.assertEqual(len(pull_until(self.port, path, 1)), 1)
        self.assertInjected("tamper", "ImageTooBright", "on")
        self.assertEqual(pull_until(self.port, path, 1)[0][1], "Changed")
        self.assertEqual(ecall(self.port, "<tev:SetSynchronizationPoint/>", path=path).status, 200)
        self.assertEqual(pull_until(self.port, path, 1),
                         [(topic("ImageTooBright"), "Initialized", {"Source": "VideoSource_1", "State": "true"})])
        self.assertInjected("tamper", "ImageTooBright", "off")

    def test_property_deleted_then_created_again(self):
        # Core spec "Property Events": Deleted carries no Data; a property that
        # comes back is announced as Initialized (its creation).
        path = pull_point(self.port, KINDS)
        self.assertEqual(len(pull_until(self.port, path, 4)), 4)
        self.assertInjected("tamper", "GlobalSceneChange", "deleted")
        self.assertEqual(pull_until(self.port, path, 1),
                         [(topic("GlobalSceneChange"), "Deleted", {"Source": "VideoSource_1"})])
        # A new subscriber no longer learns it.
        other = pull_point(self.port, ["GlobalSceneChange"])
        self.assertEqual(messages(pull(self.port, other, timeout="PT1S")), [])
        self.assertInjected("tamper", "GlobalSceneChange", "on")
        expected = [(topic("GlobalSceneChange"), "Initialized", {"Source": "VideoSource_1", "State": "true"})]
        self.assertEqual(pull_until(self.port, path, 1), expected)
        self.assertEqual(pull_until(self.port, other, 1), expected)
        self.assertInjected("tamper", "GlobalSceneChange", "off")

    def test_control_command_errors_are_clear(self):
        for args, text in ((("tamper", "ImageTooDim", "on"),
                            "unknown tampering kind 'ImageTooDim' (events.tampering: ImageTooBlurry, ImageTooDark, "
                            "ImageTooBright, GlobalSceneChange)"),
                           (("tamper", "ImageTooDark", "maybe"), "usage: tamper KIND on|off|deleted [VIDEO_SOURCE]"),
                           (("tamper", "ImageTooDark"), "usage: tamper KIND on|off|deleted [VIDEO_SOURCE]"),
                           (("tamper", "ImageTooDark", "on", "VideoSource_7"),
                            "unknown video source 'VideoSource_7' (events.video_source: VideoSource_1)")):
            r = inject(self.srv, *args)
            self.assertEqual(r.returncode, 1, args)
            self.assertEqual(r.stderr.strip(), "onvifd event: error: " + text)


class TestConfiguredKinds(TamperingCase):
    """A camera whose firmware detects only two kinds lists only those."""
    DEVICE = {"host": "real"}
    EVENTS = {"tampering": "ImageTooDark, GlobalSceneChange"}

    def test_only_configured_kinds_are_listed_and_raised(self):
        topics = topic_set(self.port)
        listed = [k for k in KINDS if tamper_topic(topics, k) is not None]
        self.assertEqual(listed, ["ImageTooDark", "GlobalSceneChange"])
        path, _ = create_pull(self.port)
        first = [m for m in pull_until(self.port, path, 6) if "/ImagingService" in m[0]]
        self.assertEqual(sorted(first), sorted((topic(k), "Initialized", {"Source": "VideoSource_1", "State": "false"})
                                               for k in ("ImageTooDark", "GlobalSceneChange")))
        r = inject(self.srv, "tamper", "ImageTooBlurry", "on")
        self.assertEqual(r.returncode, 1)
        self.assertIn("unknown tampering kind 'ImageTooBlurry' (events.tampering: ImageTooDark, GlobalSceneChange)",
                      r.stderr)


class TestRealCameraWithoutTampering(TamperingCase):
    """A real camera that names no kinds claims none (tampering = auto)."""
    DEVICE = {"host": "real"}

    def test_no_tampering_topics(self):
        topics = topic_set(self.port)
        self.assertEqual([k for k in KINDS if tamper_topic(topics, k) is not None], [])
        r = inject(self.srv, "tamper", "ImageTooDark", "on")
        self.assertEqual(r.returncode, 1)
        self.assertIn("(events.tampering: none)", r.stderr)


class TestSimulator(TamperingCase):
    """The tampering simulator: one kind changes each period, in turn."""
    EVENTS = {"tampering": "ImageTooBlurry, ImageTooDark", "tampering_simulator_period_s": "1"}

    def test_simulator_cycles_through_the_kinds(self):
        path = pull_point(self.port, KINDS)
        got = pull_until(self.port, path, 2 + 3, timeout_s=15)
        self.assertEqual(sorted(got[:2]), sorted((topic(k), "Initialized", {"Source": "VideoSource_1", "State": "false"})
                                                 for k in ("ImageTooBlurry", "ImageTooDark")))
        self.assertEqual(got[2:5], [(topic("ImageTooBlurry"), "Changed", {"Source": "VideoSource_1", "State": "true"}),
                                    (topic("ImageTooBlurry"), "Changed", {"Source": "VideoSource_1", "State": "false"}),
                                    (topic("ImageTooDark"), "Changed", {"Source": "VideoSource_1", "State": "true"})])


if __name__ == "__main__":
    unittest.main()
