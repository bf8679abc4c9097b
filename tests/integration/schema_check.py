"""Validates SOAP response elements against the official ONVIF schemas.

The schemas come from the WSDL cache that scripts/fetch-wsdl fills (wsdl/cache/,
or $WSDL_CACHE). If there is no cache but the pinned WSDLs are at hand
($ONVIF_WSDL_DIR, else ../shared/onvif-wsdl beside the repository), a private
cache is fetched from them into a temporary folder. Otherwise the schemas are
unavailable and SchemaUnavailable says why (tests skip on it).

Each service WSDL (wsdl/cache/ROOTS) embeds its xs:schema in wsdl:types; that
schema is compiled with lxml, its imports resolved to the cache's files (never
the network). An element is validated against the schema whose
targetNamespace is the element's namespace, so a new service's operations
need no change here.

libxml2 is stricter than the XSD spec's intent on one point: it rejects the
"Unique Particle Attribution" ambiguity of an optional element followed by
<xs:any namespace="##targetNamespace">, which onvif.xsd has (e.g.
VideoSourceConfigurationOptionsExtension2). Such a type is compiled with that
wildcard narrowed to ##other; .relaxed lists every type this was done to, so
the loosening is visible, and it only touches extension points.
"""
import atexit
import os
import re
import shutil
import subprocess
import sys
import tempfile

from lxml import etree

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
XS = "http://www.w3.org/2001/XMLSchema"
WSDL = "http://schemas.xmlsoap.org/wsdl/"
# Plain .xsd files in the cache, by namespace (for the SOAP envelope and faults).
STANDALONE = {"http://www.w3.org/2003/05/soap-envelope": "external/soap-envelope.xsd"}
MAX_RELAXATIONS = 20


class SchemaUnavailable(Exception):
    pass


def _parser():
    return etree.XMLParser(no_network=True, resolve_entities=False)


def find_cache():
    """Path of a WSDL cache with a ROOTS file; fetches a private one from
    ONVIF_WSDL_DIR if needed. Raises SchemaUnavailable."""
    cache = os.environ.get("WSDL_CACHE") or os.path.join(REPO, "wsdl", "cache")
    if os.path.isfile(os.path.join(cache, "ROOTS")):
        return cache
    source = os.environ.get("ONVIF_WSDL_DIR") or os.path.join(REPO, "..", "shared", "onvif-wsdl")
    if not os.path.isdir(source):
        raise SchemaUnavailable("no WSDL cache at %s and no pinned WSDLs at %s: run "
                                "ONVIF_WSDL_DIR=<dir> scripts/fetch-wsdl" % (cache, source))
    tmp = tempfile.mkdtemp(prefix="onvifd-wsdl-cache-")
    atexit.register(shutil.rmtree, tmp, True)
    env = dict(os.environ, ONVIF_WSDL_DIR=os.path.abspath(source), WSDL_CACHE=tmp)
    try:
        r = subprocess.run([sys.executable, os.path.join(REPO, "scripts", "fetch-wsdl")], env=env,
                           capture_output=True, timeout=120)
    except subprocess.TimeoutExpired:
        raise SchemaUnavailable("scripts/fetch-wsdl from %s took over 120 s" % source)
    if r.returncode != 0:
        raise SchemaUnavailable("scripts/fetch-wsdl from %s failed: %s" % (source, r.stderr.decode()[-500:]))
    return tmp


class SchemaSet:
    """Compiled schemas by target namespace, built lazily from a WSDL cache."""

    def __init__(self, cache=None):
        self.cache = cache or find_cache()
        self.relaxed = []           # (file, complex type) whose wildcard was narrowed
        self._compiled = {}         # namespace -> etree.XMLSchema
        self._sources = {}          # namespace -> (local path, index of the schema in wsdl:types or None)
        with open(os.path.join(self.cache, "ROOTS"), encoding="utf-8") as f:
            roots = [line.strip() for line in f if line.strip()]
        for local in roots:
            doc = etree.parse(os.path.join(self.cache, local), _parser())
            for i, schema in enumerate(doc.findall("{%s}types/{%s}schema" % (WSDL, XS))):
                self._sources.setdefault(schema.get("targetNamespace"), (local, i))
        for ns, local in STANDALONE.items():
            if os.path.isfile(os.path.join(self.cache, local)):
                self._sources.setdefault(ns, (local, None))
        # A private copy of the cache that compile-time fixes may edit.
        self._work = tempfile.mkdtemp(prefix="onvifd-schemas-")
        atexit.register(shutil.rmtree, self._work, True)
        shutil.copytree(self.cache, self._work, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("*.h", "*.log", "*.dat"))

    def namespaces(self):
        return sorted(self._sources)

    def schema_for(self, namespace):
        if namespace not in self._compiled:
            if namespace not in self._sources:
                raise KeyError("no schema in %s for namespace %s" % (self.cache, namespace))
            self._compiled[namespace] = self._compile(*self._sources[namespace])
        return self._compiled[namespace]

    def _schema_doc(self, local, index):
        path = os.path.join(self._work, local)
        doc = etree.parse(path, _parser())
        if index is None:
            return doc
        schema = doc.findall("{%s}types/{%s}schema" % (WSDL, XS))[index]
        # Serialising the embedded schema keeps the namespaces it inherits from
        # wsdl:definitions; base_url makes its relative imports resolve to the cache.
        return etree.ElementTree(etree.fromstring(etree.tostring(schema), _parser(), base_url=path))

    def _compile(self, local, index):
        for _ in range(MAX_RELAXATIONS):
            try:
                return etree.XMLSchema(self._schema_doc(local, index))
            except etree.XMLSchemaParseError as e:
                if not self._relax(e):
                    raise
        raise etree.XMLSchemaParseError("more than %d schema relaxations needed" % MAX_RELAXATIONS)

    def _relax(self, error):
        """Narrows ##targetNamespace wildcards in the complex type a
        non-determinism error names. Returns False if it cannot."""
        for entry in error.error_log:
            m = re.search(r"complex type '([^']+)': The content model is not determinist", entry.message)
            if not m or not entry.filename:
                continue
            with open(entry.filename, encoding="utf-8") as f:
                text = f.read()
            start = text.find('<xs:complexType name="%s"' % m.group(1))
            end = text.find("</xs:complexType>", start)
            if start < 0 or end < 0:
                return False
            part = text[start:end].replace('namespace="##targetNamespace"', 'namespace="##other"')
            if part == text[start:end]:
                return False
            with open(entry.filename, "w", encoding="utf-8") as f:
                f.write(text[:start] + part + text[end:])
            self.relaxed.append((os.path.relpath(entry.filename, self._work), m.group(1)))
            return True
        return False

    def validate(self, element):
        """Validates element (an lxml element, e.g. a SOAP Body's child) as a
        document of its own. Returns a list of error strings; empty if valid."""
        doc = etree.ElementTree(etree.fromstring(etree.tostring(element), _parser()))
        schema = self.schema_for(etree.QName(element).namespace)
        if schema.validate(doc):
            return []
        return ["line %d: %s" % (e.line, e.message) for e in schema.error_log]


_default = None


def default_schemas():
    """The process-wide SchemaSet (compiled once). Raises SchemaUnavailable."""
    global _default
    if _default is None:
        _default = SchemaSet()
    return _default
