"""`make install DESTDIR=… PREFIX=…`: what lands where, and that it runs.

Installs the build under test ($BUILD, default build) into a temporary
DESTDIR, then checks the layout, that the installed default configuration is
the daemon's commented default and starts the installed binary, that the
systemd unit and the init script point at the installed paths, and that the
init script starts, reports and stops the daemon.
"""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

import harness
from device_support import assert_time_answer
from harness import Server, call
from prerequisites import missing

MAKE_TIMEOUT_S = 120


def build_dir():
    b = os.environ.get("BUILD") or "build"
    return b if os.path.isabs(b) else os.path.join(harness.REPO, b)


class Install(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Run by hand, this suite needs make and a build it can install from;
        # under make test both are there by construction.
        if not shutil.which("make"):
            missing("make is not installed")
        binary = os.path.join(build_dir(), "onvifd")
        if not os.access(binary, os.X_OK):
            missing("no server binary at %s (build it first)" % binary)
        cls.tmp = tempfile.TemporaryDirectory(prefix="onvifd-install-")
        cls.root = os.path.join(cls.tmp.name, "root")
        # The variables that made this folder (build[-san][-core][-size]), so that
        # make sees the same flags and only installs instead of relinking.
        name = os.path.basename(build_dir().rstrip("/"))
        flavour = (["SANITIZE=address,undefined"] if "-san" in name else []) + \
                  (["SERVICES=core"] if "-core" in name else []) + (["SIZE=1"] if name.endswith("-size") else [])
        proc = subprocess.run(["make", "--no-print-directory", "install", "BUILD=%s" % build_dir(),
                               "DESTDIR=%s" % cls.root, "PREFIX=/usr"] + flavour, cwd=harness.REPO,
                              capture_output=True, text=True, timeout=MAKE_TIMEOUT_S)
        if proc.returncode != 0:
            raise AssertionError("make install failed:\n%s%s" % (proc.stdout[-2000:], proc.stderr[-2000:]))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def path(self, p):
        return os.path.join(self.root, p.lstrip("/"))

    def test_layout(self):
        for p, mode in (("/usr/sbin/onvifd", 0o755), ("/etc/onvifd/onvifd.conf", 0o644),
                        ("/lib/systemd/system/onvifd.service", 0o644), ("/etc/init.d/onvifd", 0o755),
                        ("/usr/share/doc/onvifd/deployment.md", 0o644)):
            st = os.stat(self.path(p))
            self.assertEqual(st.st_mode & 0o777, mode, p)
        # Installed stripped: no symbol table left.
        out = subprocess.run(["readelf", "-S", self.path("/usr/sbin/onvifd")], capture_output=True, text=True).stdout
        self.assertNotIn(".symtab", out)

    def test_the_reference_stream_server_is_not_installed(self):
        # A development component of the virtual camera: a camera brings its own RTSP server.
        installed = [os.path.join(d, f) for d, _, files in os.walk(self.root) for f in files]
        self.assertTrue(installed)
        for name in ("stream-server", "stream-server-hook", "run-camera", "stream-figures"):
            self.assertEqual([p for p in installed if os.path.basename(p) == name], [], name)
        with open(self.path("/etc/onvifd/onvifd.conf")) as f:
            self.assertNotIn("stream-server-hook", f.read())

    def test_config_is_the_commented_default_and_starts_the_daemon(self):
        with open(self.path("/etc/onvifd/onvifd.conf")) as f:
            text = f.read()
        printed = subprocess.run([self.path("/usr/sbin/onvifd"), "--print-default-config"],
                                 capture_output=True, text=True, check=True).stdout
        self.assertEqual(text, printed)
        self.assertIn("[server]", text)
        self.assertGreater(sum(1 for line in text.splitlines() if line.startswith("#")), 5)
        os.environ["ONVIFD"] = self.path("/usr/sbin/onvifd")
        try:
            with Server(config=text) as srv:  # harness adds --port 0 --bind 127.0.0.1
                assert_time_answer(self, call(srv.port, "<tds:GetSystemDateAndTime/>", auth=None))
                self.assertEqual(srv.stop(), 0)
        finally:
            del os.environ["ONVIFD"]

    def test_unit_and_script_name_the_installed_paths(self):
        with open(self.path("/lib/systemd/system/onvifd.service")) as f:
            unit = f.read()
        self.assertIn("ExecStart=/usr/sbin/onvifd --foreground --syslog --config /etc/onvifd/onvifd.conf", unit)
        self.assertIn("StateDirectory=onvifd", unit)
        self.assertNotRegex(unit, r"@[A-Z]+@")
        with open(self.path("/etc/init.d/onvifd")) as f:
            script = f.read()
        self.assertIn("DAEMON=/usr/sbin/onvifd", script)
        self.assertIn("CONFIG=/etc/onvifd/onvifd.conf", script)
        self.assertNotRegex(script, r"@[A-Z]+@")
        subprocess.run(["sh", "-n", self.path("/etc/init.d/onvifd")], check=True)

    def test_init_script_starts_reports_and_stops(self):
        # The script with its paths pointed into the temporary root.
        work = os.path.join(self.tmp.name, "init")
        os.makedirs(work, exist_ok=True)
        port = harness_free_port()
        conf = os.path.join(work, "onvifd.conf")
        with open(conf, "w") as f:
            f.write(harness.config_text().replace("port = 0", "port = %d" % port))
        pidfile = os.path.join(work, "onvifd.pid")
        with open(self.path("/etc/init.d/onvifd")) as f:
            script = f.read()
        script = re.sub(r"(?m)^DAEMON=.*", "DAEMON=%s" % self.path("/usr/sbin/onvifd"), script)
        script = re.sub(r"(?m)^CONFIG=.*", "CONFIG=%s" % conf, script)
        script = re.sub(r"(?m)^STATE_DIR=.*", "STATE_DIR=%s" % os.path.join(work, "state"), script)
        script = re.sub(r"(?m)^PIDFILE=.*", "PIDFILE=%s" % pidfile, script)
        init = os.path.join(work, "onvifd.init")
        with open(init, "w") as f:
            f.write(script)
        os.chmod(init, 0o755)
        run = lambda *a: subprocess.run([init] + list(a), capture_output=True, text=True, timeout=30)
        try:
            self.assertEqual(run("start").returncode, 0)
            # Bounded wait for the listener (the script backgrounds the daemon).
            for _ in range(100):
                try:
                    resp = call(port, "<tds:GetSystemDateAndTime/>", auth=None)
                    break
                except OSError:
                    import time
                    time.sleep(0.05)
            else:
                self.fail("daemon started by the init script never answered")
            assert_time_answer(self, resp)
            status = run("status")
            self.assertEqual(status.returncode, 0)
            self.assertIn("running", status.stdout)
            self.assertEqual(run("stop").returncode, 0)
            self.assertFalse(os.path.exists(pidfile))
            self.assertEqual(run("status").returncode, 3)
        finally:
            if os.path.exists(pidfile):
                with open(pidfile) as f:
                    pid = int(f.read().strip() or 0)
                if pid > 0:
                    try:
                        os.kill(pid, 9)
                    except ProcessLookupError:
                        pass


def harness_free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


if __name__ == "__main__":
    unittest.main()
