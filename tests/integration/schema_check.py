"""Validates SOAP response elements against the official ONVIF schemas.

The schemas come from the WSDL cache that scripts/fetch-wsdl fills, found or
fetched the way `make regenerate` does it (prerequisites.wsdl_cache: wsdl/cache/
or $WSDL_CACHE, else a private cache from $ONVIF_WSDL_DIR or
../shared/onvif-wsdl, else from the official URLs). When none of them can be
had, a test run by hand skips and one under CI or `make test` fails
(prerequisites.missing).

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
import tempfile

from lxml import etree

from prerequisites import wsdl_cache_or_missing

XS = "http://www.w3.org/2001/XMLSchema"
WSDL = "http://schemas.xmlsoap.org/wsdl/"
# Plain .xsd files in the cache, by namespace (for the SOAP envelope and faults).
STANDALONE = {"http://www.w3.org/2003/05/soap-envelope": "external/soap-envelope.xsd"}
MAX_RELAXATIONS = 20


def _parser():
    return etree.XMLParser(no_network=True, resolve_entities=False)


class SchemaSet:
    """Compiled schemas by target namespace, built lazily from a WSDL cache."""

    def __init__(self, cache=None):
        self.cache = cache or wsdl_cache_or_missing()
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
    """The process-wide SchemaSet (compiled once); prerequisites.missing()
    when the schemas cannot be had."""
    global _default
    if _default is None:
        _default = SchemaSet()
    return _default
