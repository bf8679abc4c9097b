"""Running a cross-built onvifd under qemu-user, for test_cross and
scripts/footprint: the qemu command line for a triplet and a harness.Server
that starts the binary through it."""
import os
import stat
import tempfile

import harness
from harness import Server

# qemu-user translating the whole program makes start-up slower than native.
CROSS_START_TIMEOUT_S = 30.0


def qemu_for(triplet):
    return "qemu-" + triplet.split("-")[0]


def qemu_prefix_args(triplet, folder):
    """With Debian multiarch libc6:ARCH present, run against the host root (no -L):
    `-L /usr/TRIPLET` would pair the cross toolchain's ld.so (libc6-ARCH-cross)
    with multiarch's libc.so.6 (another glibc build) and the first
    pthread_create spins forever (qemu 7.2, glibc 2.36). Without multiarch libc,
    the cross toolchain's sysroot is the only one there is."""
    args = "" if os.path.exists("/lib/%s/libc.so.6" % triplet) else " -L /usr/%s" % triplet
    # A private sysroot (scripts/cross-sysroot) holds the target's gSOAP/OpenSSL/zlib.
    sysroot = os.path.join(folder, "sysroot")
    if os.path.isdir(sysroot):
        args += " -E LD_LIBRARY_PATH=%s" % ":".join(
            os.path.join(sysroot, d, triplet) for d in ("usr/lib", "lib"))
    return args


class CrossServer(Server):
    """harness.Server running the binary through a qemu-user wrapper script.
    The wrapper execs, so the pid (signals, /proc/PID/fd) is qemu's = the server's."""

    def __init__(self, binary, triplet, **kw):
        super().__init__(**kw)
        self._wrapdir = tempfile.TemporaryDirectory(prefix="onvifd-cross-")
        self.wrapper = os.path.join(self._wrapdir.name, "onvifd")
        with open(self.wrapper, "w", encoding="utf-8") as f:
            f.write('#!/bin/sh\nexec %s%s %s "$@"\n' % (qemu_for(triplet), qemu_prefix_args(triplet, os.path.dirname(binary)),
                                                      binary))
        os.chmod(self.wrapper, stat.S_IRWXU)

    def start(self):
        saved = (os.environ.get("ONVIFD"), harness.START_TIMEOUT_S)
        os.environ["ONVIFD"] = self.wrapper
        harness.START_TIMEOUT_S = max(harness.START_TIMEOUT_S, CROSS_START_TIMEOUT_S)
        try:
            return super().start()
        finally:
            harness.START_TIMEOUT_S = saved[1]
            if saved[0] is None:
                del os.environ["ONVIFD"]
            else:
                os.environ["ONVIFD"] = saved[0]

    def close(self):
        try:
            super().close()
        finally:
            self._wrapdir.cleanup()
