"""The cross-built daemon under qemu-user, over loopback.

For every cross build folder present (build-<triplet>, -size, -core, -core-size;
triplets from $CROSS_TRIPLETS, default aarch64-linux-gnu; or $ONVIFD_CROSS, one
binary), the binary runs under `qemu-<arch>` (cross_support.qemu_prefix_args) and answers
GetSystemDateAndTime, GetDeviceInformation with the administrator's
UsernameToken, and GetProfiles. A missing qemu-user with a build present is a
failure, because then the build was never proven to run. With no cross build
the suite skips when run by hand and fails under CI and `make cross-test`
(prerequisites.missing); scripts/run-tests (`make test`) leaves it out, since
the cross build is made after the native tests.

  make CROSS=aarch64-linux-gnu && make cross-test
"""
import os
import shutil
import unittest

import harness
from cross_support import CrossServer, qemu_for
from harness import ADMIN, MEDIA_PATH, NS, body_child, call
from prerequisites import missing

TRIPLETS = os.environ.get("CROSS_TRIPLETS", "aarch64-linux-gnu arm-linux-gnueabihf mipsel-linux-gnu").split()
FLAVOURS = ("", "-size", "-core", "-core-size")


def cross_binaries():
    """[(label, triplet, path)] of the cross-built binaries present."""
    one = os.environ.get("ONVIFD_CROSS")
    if one:
        triplet = os.environ.get("CROSS_TRIPLET", TRIPLETS[0])
        return [(os.path.basename(os.path.dirname(one)) or one, triplet, one)]
    found = []
    for triplet in TRIPLETS:
        for flavour in FLAVOURS:
            folder = "build-%s%s" % (triplet, flavour)
            path = os.path.join(harness.REPO, folder, "onvifd")
            if os.access(path, os.X_OK):
                found.append((folder, triplet, path))
    return found


BINARIES = cross_binaries()


class CrossBuildUnderQemu(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not BINARIES:
            missing("no cross build present (run `make CROSS=aarch64-linux-gnu`; looked for build-{%s}{%s}/onvifd)"
                    % (",".join(TRIPLETS), ",".join(FLAVOURS)))

    def each_server(self):
        for label, triplet, path in BINARIES:
            qemu = qemu_for(triplet)
            self.assertIsNotNone(shutil.which(qemu), "%s is built but %s is missing: apt-get install qemu-user"
                                 % (label, qemu))
            self.assertTrue(os.path.isdir("/usr/" + triplet) or os.path.isdir("/lib/" + triplet),
                            "no %s libc for qemu to load: install libc6:ARCH or g++-%s" % (triplet, triplet))
            yield label, CrossServer(path, triplet)

    def test_device_basics_and_profiles(self):
        for label, server in self.each_server():
            with self.subTest(build=label), server as srv:
                # Pre-authentication operation (Core 5.9.4.3): anonymous.
                resp = call(srv.port, "<tds:GetSystemDateAndTime/>", auth=None)
                self.assertEqual(resp.status, 200, resp.body[:300])
                child = body_child(resp.body)
                self.assertEqual(child.tag, "{%s}GetSystemDateAndTimeResponse" % NS["tds"])
                year = child.find("tds:SystemDateAndTime/tt:UTCDateTime/tt:Date/tt:Year", NS)
                self.assertIsNotNone(year, resp.body[:400])
                self.assertGreaterEqual(int(year.text), 2020)

                resp = call(srv.port, "<tds:GetDeviceInformation/>", auth=ADMIN)
                self.assertEqual(resp.status, 200, resp.body[:300])
                child = body_child(resp.body)
                self.assertEqual(child.findtext("tds:Manufacturer", namespaces=NS),
                                 harness.TEST_DEVICE["manufacturer"])
                self.assertEqual(child.findtext("tds:SerialNumber", namespaces=NS),
                                 harness.TEST_DEVICE["serial_number"])

                resp = call(srv.port, "<trt:GetProfiles/>", path=MEDIA_PATH, auth=ADMIN)
                # Every flavour binds Media (SERVICES=core is Device, Media, Events).
                self.assertEqual(resp.status, 200, resp.body[:300])
                child = body_child(resp.body)
                self.assertEqual(child.tag, "{%s}GetProfilesResponse" % NS["trt"])
                profiles = child.findall("trt:Profiles", NS)
                self.assertGreaterEqual(len(profiles), 1, resp.body[:400])
                self.assertTrue(all(p.get("token") for p in profiles))
                self.assertEqual(srv.stop(), 0, "%s did not exit cleanly on SIGTERM" % label)


if __name__ == "__main__":
    unittest.main()
