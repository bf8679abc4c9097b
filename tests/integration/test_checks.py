"""The repository checks that `make test` runs besides the tests: each passes
on the tree as it is and fails on a copy with a planted mistake (a check
that cannot fail is no check).

scripts/check-layers: every include points down the layer order of
docs/layers.md.
"""
import os
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


if __name__ == "__main__":
    unittest.main()
