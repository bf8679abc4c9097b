"""What the integration suites need from outside the test, and what it means
when a piece is missing.

- The client captures that tests replay are part of the repository
  (tests/data/client-captures): missing ones are a failure, never a skip.
- The npm `onvif` client is installed by `make test`'s set-up
  (scripts/install-deps, from the committed package-lock.json): missing, a
  failure.
- The official ONVIF schemas and WSDLs come the way `make regenerate` gets
  them: scripts/fetch-wsdl from $ONVIF_WSDL_DIR (default ../shared/onvif-wsdl
  beside the repository, or beside the main checkout for a git worktree), else
  from their official URLs.
- Anything else a test cannot control (a kernel without IPv6, a port held by
  another program, no schemas offline) may skip a test run by hand, with the
  reason, through missing(). Under CI (the CI environment variable) and under
  scripts/run-tests (which `make test` runs; it sets ONVIFD_TEST_STRICT=1)
  the same call fails instead: there, a skipped test would hide a regression.
"""
import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CAPTURES = os.environ.get("CLIENT_CAPTURES") or os.path.join(REPO, "tests", "data", "client-captures")
NPM_DIR = os.path.join(REPO, "tests", "integration", "npm")
NODE_MODULES = os.path.join(NPM_DIR, "node_modules")


def strict():
    """True under CI or scripts/run-tests: every prerequisite is required."""
    ci = os.environ.get("CI", "").strip().lower()
    return ci not in ("", "0", "false", "no") or os.environ.get("ONVIFD_TEST_STRICT") == "1"


def missing(reason):
    """An environmental prerequisite is missing: skips the test when run by
    hand, fails it under CI / make test. Never returns."""
    if strict():
        raise AssertionError("%s (required under CI and make test; a skip here would hide a regression)" % reason)
    raise unittest.SkipTest(reason)


def capture_path(folder, name=None):
    """Path of a recorded request (or of a capture folder); fails when it is
    not in the repository."""
    path = os.path.join(CAPTURES, folder) if name is None else os.path.join(CAPTURES, folder, name)
    if not os.path.exists(path):
        raise AssertionError("client capture %s is missing (tests/data/client-captures is part of the "
                             "repository; CLIENT_CAPTURES=%s)" % (path, CAPTURES))
    return path


def read_capture(folder, name):
    with open(capture_path(folder, name), "rb") as f:
        return f.read()


def npm_node():
    """The node binary, with the npm onvif package installed beside the
    scripts in tests/integration/npm; fails when either is missing (make
    test's set-up installs both)."""
    node = shutil.which("node")
    if not node:
        raise AssertionError("node is not installed (scripts/install-deps installs nodejs)")
    if not os.path.isdir(os.path.join(NODE_MODULES, "onvif")):
        raise AssertionError("the npm onvif package is not in %s: run scripts/install-deps "
                             "(npm ci from the committed package-lock.json)" % NODE_MODULES)
    return node


def _shared_candidates(sub):
    """<repository>/../shared/<sub>; for a git worktree also the main
    checkout's ../shared/<sub>."""
    out = [os.path.join(REPO, "..", "shared", sub)]
    try:
        common = subprocess.run(["git", "-C", REPO, "rev-parse", "--path-format=absolute", "--git-common-dir"],
                                capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        common = ""
    if common:
        out.append(os.path.join(os.path.dirname(common), "..", "shared", sub))
    return out


def wsdl_dir():
    """The pinned WSDL inputs ($ONVIF_WSDL_DIR, else ../shared/onvif-wsdl),
    or None when neither is at hand."""
    env = os.environ.get("ONVIF_WSDL_DIR")
    if env:
        return os.path.abspath(env)
    for candidate in _shared_candidates("onvif-wsdl"):
        if os.path.isdir(candidate):
            return os.path.abspath(candidate)
    return None


class WsdlUnavailable(Exception):
    pass


_cache = None


def wsdl_cache():
    """A WSDL cache as scripts/fetch-wsdl writes it (ROOTS, MANIFEST.tsv,
    onvif/<path>, external/<file>, imports rewritten to relative paths):
    $WSDL_CACHE or wsdl/cache when filled, else a private one fetched from
    wsdl_dir() or, without it, from the official URLs. Raises WsdlUnavailable."""
    global _cache
    if _cache:
        return _cache
    cache = os.environ.get("WSDL_CACHE") or os.path.join(REPO, "wsdl", "cache")
    if os.path.isfile(os.path.join(cache, "ROOTS")):
        _cache = cache
        return cache
    source = wsdl_dir()
    tmp = tempfile.mkdtemp(prefix="onvifd-wsdl-cache-")
    atexit.register(shutil.rmtree, tmp, True)
    env = dict(os.environ, WSDL_CACHE=tmp)
    env.pop("ONVIF_WSDL_DIR", None)
    if source:
        env["ONVIF_WSDL_DIR"] = source
    where = source or "the official URLs (no ONVIF_WSDL_DIR, no ../shared/onvif-wsdl)"
    try:
        r = subprocess.run([sys.executable, os.path.join(REPO, "scripts", "fetch-wsdl")], env=env,
                           capture_output=True, timeout=180)
    except subprocess.TimeoutExpired:
        raise WsdlUnavailable("scripts/fetch-wsdl from %s took over 180 s" % where)
    if r.returncode != 0:
        raise WsdlUnavailable("scripts/fetch-wsdl from %s failed: %s" % (where, r.stderr.decode()[-500:]))
    _cache = tmp
    return tmp


def wsdl_cache_or_missing():
    """wsdl_cache(), or missing() with the reason."""
    try:
        return wsdl_cache()
    except WsdlUnavailable as e:
        missing("official ONVIF schemas unavailable: %s" % e)


def zeep_client(wsdl, username="admin", password="admin", settings=None, **transport_args):
    """A python-zeep client for a WSDL of wsdl_cache() (e.g.
    "onvif/ver10/device/wsdl/devicemgmt.wsdl") with a digest UsernameToken
    (none when username is None). Offline: every import resolves to the
    cache, a network URL is refused."""
    try:
        import zeep
        import zeep.transports
        from zeep.wsse.username import UsernameToken
    except ImportError:
        missing("python3-zeep is not installed (scripts/install-deps installs it)")

    class OfflineTransport(zeep.transports.Transport):
        def load(self, url):
            if url.startswith(("http://", "https://")):
                raise IOError("the tests stay offline; %s should resolve to the WSDL cache" % url)
            return super().load(url)

    transport_args.setdefault("timeout", 10)
    wsse = UsernameToken(username, password, use_digest=True) if username is not None else None
    return zeep.Client(os.path.join(wsdl_cache_or_missing(), wsdl), wsse=wsse, settings=settings,
                       transport=OfflineTransport(**transport_args))
