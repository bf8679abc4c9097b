#include "soap/response_namespaces.hpp"

#include "soap/namespaces.hpp"

namespace onvif::soap {

const char kResponseNamespacesPluginId[] = "onvifd-response-namespaces-1.0";

namespace {

struct PluginData {
  int (*fpreparefinalrecv)(struct ::soap*) = nullptr;  // the callback we chain to
  const ResponseNamespaces* pending = nullptr;         // tables for this response
  bool switched = false;                               // soap->namespaces is not the full table
};

PluginData* pluginData(struct ::soap* soap) {
  return static_cast<PluginData*>(soap_lookup_plugin(soap, kResponseNamespacesPluginId));
}

// soap_set_namespaces re-derives soap->version from the new table's first
// entry; gSOAP's own version handling stays in charge (the variant passed
// matches the request's version, and the full table matches either).
void setNamespaces(struct ::soap* soap, const struct Namespace* table) {
  const auto version = soap->version;
  soap_set_namespaces(soap, table);
  soap->version = version;
}

int requestRead(struct ::soap* soap) {
  PluginData* d = pluginData(soap);
  if (!d) return SOAP_PLUGIN_ERROR;
  if (d->fpreparefinalrecv) {
    int err = d->fpreparefinalrecv(soap);
    if (err) return err;
  }
  if (d->pending) {
    setNamespaces(soap, soap->version == 1 ? d->pending->soap11 : d->pending->soap12);
    d->pending = nullptr;
    d->switched = true;
  }
  return SOAP_OK;
}

int pluginCopy(struct ::soap*, struct soap_plugin* dst, struct soap_plugin* src) {
  auto* copy = new PluginData(*static_cast<PluginData*>(src->data));
  copy->pending = nullptr;
  copy->switched = false;
  dst->data = copy;
  return SOAP_OK;
}

void pluginDelete(struct ::soap*, struct soap_plugin* p) {
  delete static_cast<PluginData*>(p->data);
}

}  // namespace

int responseNamespacesPlugin(struct ::soap* soap, struct soap_plugin* p, void*) {
  auto* d = new PluginData();
  d->fpreparefinalrecv = soap->fpreparefinalrecv;
  p->id = kResponseNamespacesPluginId;
  p->data = d;
  p->fcopy = pluginCopy;
  p->fdelete = pluginDelete;
  soap->fpreparefinalrecv = requestRead;
  return SOAP_OK;
}

void useResponseNamespaces(struct ::soap* soap, const ResponseNamespaces* tables) {
  if (PluginData* d = pluginData(soap)) d->pending = tables;
}

void restoreRequestNamespaces(struct ::soap* soap) {
  PluginData* d = pluginData(soap);
  if (!d) return;
  d->pending = nullptr;
  if (d->switched) {
    setNamespaces(soap, namespaces);
    d->switched = false;
  }
}

}  // namespace onvif::soap
