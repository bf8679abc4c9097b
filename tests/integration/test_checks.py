"""The repository checks that `make test` runs besides the tests: each passes
on the tree as it is and fails on a copy with a planted mistake (a check
that cannot fail is no check).

scripts/check-layers: every include points down the layer order of
docs/layers.md.

Handler binding: a handler file compiled as the Makefile compiles it
(-Wmissing-declarations -Werror) fails when a handler's name or signature
does not match the declaration soapcpp2 generated, instead of leaving the
weak ActionNotSupported default bound (docs/generated-code.md).
"""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable


def run(argv):
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)


class TreeCopy:
    """src/, plugins/, docs/ and scripts/ of the repository in a temporary directory."""

    def __enter__(self):
        self.dir = tempfile.mkdtemp(prefix="onvifd-checks-")
        for sub in ("src", "plugins", "docs", "scripts"):
            shutil.copytree(os.path.join(TOP, sub), os.path.join(self.dir, sub))
        return self

    def __exit__(self, *exc):
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, rel):
        return os.path.join(self.dir, rel)

    def append(self, rel, text):
        with open(self.path(rel), "a") as f:
            f.write(text)

    def write(self, rel, text):
        os.makedirs(os.path.dirname(self.path(rel)), exist_ok=True)
        with open(self.path(rel), "w") as f:
            f.write(text)


class LayersCheck(unittest.TestCase):
    CHECK = os.path.join(TOP, "scripts", "check-layers")

    def check(self, root=None):
        return run([PYTHON, self.CHECK] + ([root] if root else []))

    def test_tree_passes(self):
        r = self.check()
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertIn("every include points down", r.stdout)

    def test_copy_passes_unchanged(self):
        with TreeCopy() as t:
            r = self.check(t.dir)
            self.assertEqual(r.returncode, 0, r.stdout)

    def test_upward_include_fails(self):
        # core is the lowest layer; the daemon's composition is near the top.
        with TreeCopy() as t:
            t.append("src/core/log.hpp", '\n#include "daemon/daemon_state.hpp"\n')
            r = self.check(t.dir)
            self.assertEqual(r.returncode, 1, r.stdout)
            self.assertIn('src/core/log.hpp', r.stdout)
            self.assertIn("'daemon' is a layer above 'core'", r.stdout)

    def test_services_include_from_a_model_fails(self):
        with TreeCopy() as t:
            t.append("src/events/broker.cpp", '\n#include "services/service_registry.hpp"\n')
            r = self.check(t.dir)
            self.assertEqual(r.returncode, 1, r.stdout)
            self.assertIn("'services' is a layer above 'events'", r.stdout)

    def test_sibling_include_fails(self):
        with TreeCopy() as t:
            t.append("src/media/media_model.hpp", '\n#include "events/event_sink.hpp"\n')
            r = self.check(t.dir)
            self.assertEqual(r.returncode, 1, r.stdout)
            self.assertIn("'events' is a sibling of 'media'", r.stdout)

    def test_folder_outside_the_order_fails(self):
        with TreeCopy() as t:
            t.write("src/newthing/thing.hpp", '#pragma once\n#include "core/log.hpp"\n')
            r = self.check(t.dir)
            self.assertEqual(r.returncode, 1, r.stdout)
            self.assertIn("folder 'newthing' is not in the layer order", r.stdout)


class HandlerBinding(unittest.TestCase):
    """Plants handler definitions into a copy of a handler file and compiles
    it with the command make uses for the real one."""

    HANDLER_FILE = "src/services/device_scopes.cpp"

    @classmethod
    def setUpClass(cls):
        build = os.path.abspath(os.environ.get("BUILD") or os.path.join(TOP, "build"))
        if not os.path.exists(os.path.join(build, "gen", "gsoap_onvifH.h")):
            raise AssertionError("no generated code in %s (build first, or set BUILD)" % build)
        obj = os.path.join(build, "obj", cls.HANDLER_FILE[:-4] + ".o")
        # -W: as if the source had changed, so make prints the command even
        # when the object is up to date; -n: print only.
        r = run(["make", "-s", "-n", "-C", TOP, "BUILD=" + build, "-W", cls.HANDLER_FILE, obj])
        lines = [l for l in r.stdout.splitlines() if ("-c " + cls.HANDLER_FILE) in l]
        if len(lines) != 1:
            raise AssertionError("no compile command for %s in make -n:\n%s" % (cls.HANDLER_FILE, r.stdout))
        cls.argv = shlex.split(lines[0])
        with open(os.path.join(TOP, cls.HANDLER_FILE)) as f:
            cls.source = f.read()

    def compile_with(self, planted):
        """Compiles the handler file with `planted` appended; returns the result."""
        with tempfile.TemporaryDirectory(prefix="onvifd-handler-") as d:
            src = os.path.join(d, os.path.basename(self.HANDLER_FILE))
            with open(src, "w") as f:
                f.write(self.source + planted)
            argv = []
            skip = False
            for a in self.argv:
                if skip:
                    skip = False
                    continue
                if a in ("-o", "-MF", "-MT", "-MQ"):
                    skip = True
                    continue
                if a in ("-MMD", "-MP", "-MD", "-c"):
                    continue
                argv.append(src if a == self.HANDLER_FILE else a)
            argv.append("-fsyntax-only")
            env = dict(os.environ, LC_ALL="C")  # the compiler's messages in English
            return subprocess.run(argv, cwd=TOP, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True, timeout=300)

    def test_make_compiles_handlers_with_missing_declarations_as_errors(self):
        self.assertIn("-Wmissing-declarations", self.argv)
        self.assertIn("-Werror", self.argv)

    def test_correct_handler_compiles(self):
        # The control: the copy as it is compiles, so a failure below is the
        # planted definition's.
        r = self.compile_with("\n")
        self.assertEqual(r.returncode, 0, r.stdout)

    def assert_refused(self, planted, symbol):
        r = self.compile_with(planted)
        self.assertNotEqual(r.returncode, 0, "the planted handler compiled:\n" + planted)
        self.assertRegex(r.stdout, r"no previous declaration for .*" + re.escape(symbol))

    def test_misspelt_handler_fails(self):
        self.assert_refused(
            "\nnamespace gsoap_onvif {\n"
            "int __tds__GetScope(struct soap*, _tds__GetScopes*, _tds__GetScopesResponse&) { return SOAP_OK; }\n"
            "}  // namespace gsoap_onvif\n", "__tds__GetScope(")

    def test_wrong_signature_fails(self):
        # The response by pointer instead of by reference: an overload, not the handler.
        self.assert_refused(
            "\nnamespace gsoap_onvif {\n"
            "int __tds__GetDNS(struct soap*, _tds__GetDNS*, _tds__GetDNSResponse*) { return SOAP_OK; }\n"
            "}  // namespace gsoap_onvif\n", "__tds__GetDNS(")

    def test_handler_outside_the_generated_namespace_fails(self):
        self.assert_refused(
            "\nint __tds__GetDNS(struct soap*, gsoap_onvif::_tds__GetDNS*, gsoap_onvif::_tds__GetDNSResponse&) {\n"
            "  return SOAP_OK;\n}\n", "__tds__GetDNS(")


if __name__ == "__main__":
    unittest.main()
