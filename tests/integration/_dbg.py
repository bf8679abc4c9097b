import unittest, sys
import test_service_capabilities as T
class D(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        from stream_support import start_camera
        cls.stream, cls.srv = start_camera(cls, media={}, sections={"discovery": {"port": "0"}})
    def test(self):
        p = T.Media2Probes(self, self.srv, self.stream)
        p.claimed = {}
        for name in sys.argv[1:]:
            try:
                print(name, getattr(p, name)(), flush=True)
            except Exception as e:
                print(name, "EXC", e); print("\n".join(self.stream.lines[-15:]))
unittest.main(argv=["x"])
