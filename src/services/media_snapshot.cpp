// The JPEG behind GetSnapshotUri (Media spec "GetSnapshotUri": "a JPEG
// snapshot ... with HTTP GET"), served on onvifd's own port at
// /onvif/snapshot/<profile token>. gSOAP hands every GET to soap->fget;
// this handler answers ours and leaves every other path to gSOAP's 405.
// Same authentication and access class as GetSnapshotUri: HTTP Digest,
// READ_MEDIA (Core spec default access policy). The response goes out
// through the connection plugin like any SOAP answer (its Connection and
// Keep-Alive headers, send timeout, graceful close).
#include "services/media_snapshot.hpp"

#include <cstring>

#include "core/log.hpp"
#include "daemon/request_context.hpp"
#include "media/media_model.hpp"
#include "media/snapshot.hpp"
#include "security/security.hpp"
#include "stdsoap2.h"

namespace onvif::services {
namespace {

constexpr const char kPrefix[] = "/onvif/snapshot/";

// A short text answer (404, 503): Content-Type text/plain.
int answerText(struct soap* soap, int status, const char* text) {
  soap->http_content = "text/plain; charset=utf-8";
  if (soap_response(soap, SOAP_FILE + status) || soap_send(soap, text) || soap_end_send(soap))
    return soap_closesock(soap);
  return SOAP_OK;
}

}  // namespace

int serveSnapshotGet(struct soap* soap) {
  const char* path = soap->path;
  if (std::strncmp(path, kPrefix, sizeof kPrefix - 1) != 0) return SOAP_GET_METHOD;  // gSOAP's 405
  std::string token = path + sizeof kPrefix - 1;
  std::size_t query = token.find('?');
  if (query != std::string::npos) token.resize(query);
  onvif::daemon::RequestContext& ctx = onvif::daemon::requestContext(soap);
  const media::MediaModel* model = ctx.daemon ? ctx.daemon->media : nullptr;
  if (!model || (model->camera().snapshot_command.empty() && model->camera().snapshot_file.empty()))
    return answerText(soap, 404, "no snapshots on this device\n");
  if (!security::authorizeGet(soap, ctx.daemon ? ctx.daemon->security : nullptr, soap->socket,
                              security::AccessClass::ReadMedia))
    return SOAP_OK;
  media::Snapshot shot = media::takeSnapshot(model->camera(), model->snapshot(), token);
  switch (shot.error) {
    case media::SnapshotError::None: break;
    case media::SnapshotError::NoProfile: return answerText(soap, 404, "no such profile\n");
    case media::SnapshotError::Failed:
    case media::SnapshotError::TooLarge:
      LOG_WARN("snapshot of %s: %s", token.c_str(), shot.problem.c_str());
      return answerText(soap, 503, "the snapshot could not be taken\n");
  }
  soap->http_content = "image/jpeg";
  if (soap_response(soap, SOAP_FILE) || soap_send_raw(soap, shot.jpeg.data(), shot.jpeg.size()) ||
      soap_end_send(soap))
    return soap_closesock(soap);
  return SOAP_OK;
}

}  // namespace onvif::services
