// Media service ver10: text OSDs (Media spec "OSD"). With [media] osd_max 0
// the camera has no OSD: empty lists, NoConfig for every OSD token, options
// that allow none, CreateOSD ter:ActionNotSupported. Otherwise clients
// create, change and delete text OSDs (plain, date, time, date and time)
// on the video source configuration; every change goes through the media
// model (validate, apply hook, persist). Get* READ_MEDIA, the rest ACTUATE.
#include "services/media_osd.hpp"

#include <algorithm>

#include "media/osd.hpp"
#include "services/device_soap.hpp"
#include "services/media_wire.hpp"
#include "soap/faults.hpp"
#include "soap/unsupported_operation.hpp"

namespace onvif::services::osd {

using namespace gsoap_onvif;

namespace {

using onvif::media::MediaState;
using onvif::media::Osd;
using onvif::media::Status;
using onvif::services::device::soapString;
using onvif::services::media_wire::fail;
using onvif::services::media_wire::model;
using onvif::services::media_wire::newBool;
using onvif::services::media_wire::newInt;
using onvif::soap::ErrorKind;

tt__OSDConfiguration* toWire(struct soap* soap, const Osd& o) {
  auto* w = soap_new_tt__OSDConfiguration(soap);
  w->token = o.token;
  w->VideoSourceConfigurationToken = soap_new_tt__OSDReference(soap);
  w->VideoSourceConfigurationToken->__item = o.video_source;
  w->Type = tt__OSDType__Text;
  w->Position = soap_new_tt__OSDPosConfiguration(soap);
  w->Position->Type = o.position;
  if (o.position == "Custom") {
    w->Position->Pos = soap_new_tt__Vector(soap);
    w->Position->Pos->x = o.x;
    w->Position->Pos->y = o.y;
  }
  auto* t = soap_new_tt__OSDTextConfiguration(soap);
  t->Type = o.text_type;
  if (!o.date_format.empty()) t->DateFormat = soapString(soap, o.date_format);
  if (!o.time_format.empty()) t->TimeFormat = soapString(soap, o.time_format);
  if (o.text_type == "Plain") t->PlainText = soapString(soap, o.plain_text);
  t->IsPersistentText = newBool(soap, o.persistent_text);
  w->TextString = t;
  return w;
}

// The request's OSD over `current` (the token and what the request leaves
// out stay). Image OSDs and positions without a type cannot be expressed.
Status fromWire(const tt__OSDConfiguration& in, Osd* out) {
  if (in.Type != tt__OSDType__Text || in.Image)
    return Status::fail(ErrorKind::ConfigModify, "only text OSDs are supported");
  if (in.VideoSourceConfigurationToken) out->video_source = in.VideoSourceConfigurationToken->__item;
  if (in.Position) {
    out->position = in.Position->Type;
    if (in.Position->Pos) {
      out->x = in.Position->Pos->x;
      out->y = in.Position->Pos->y;
    }
  }
  if (!in.TextString) return Status::fail(ErrorKind::ConfigModify, "a text OSD needs TextString");
  const tt__OSDTextConfiguration& t = *in.TextString;
  if (t.Type != out->text_type) {  // another kind of text: the old formats do not carry over
    out->date_format.clear();
    out->time_format.clear();
  }
  out->text_type = t.Type;
  if (t.DateFormat) out->date_format = *t.DateFormat;
  if (t.TimeFormat) out->time_format = *t.TimeFormat;
  if (t.PlainText) out->plain_text = *t.PlainText;
  // Media spec "CreateOSD": a missing IsPersistentText means true.
  out->persistent_text = t.IsPersistentText ? *t.IsPersistentText : true;
  return Status{};
}

// The request's OSD over `out`, completed and checked against `state`
// (CreateOSD and SetOSD).
Status readOsd(const MediaState& state, const tt__OSDConfiguration& in, Osd* out) {
  Status w = fromWire(in, out);
  return w.ok ? onvif::media::completeAndValidateOsd(state, out) : w;
}

}  // namespace

int list(struct ::soap* soap, const std::string* osd_token, const std::string* vsc_token,
         std::vector<tt__OSDConfiguration*>* out) {
  const MediaState st = model(soap).snapshot();
  if (vsc_token && !st.findVideoSource(*vsc_token)) return fail(soap, ErrorKind::NoConfig);
  if (osd_token && !st.findOsd(*osd_token)) return fail(soap, ErrorKind::NoConfig);
  for (const Osd& o : st.osds)
    if ((!vsc_token || o.video_source == *vsc_token) && (!osd_token || o.token == *osd_token))
      out->push_back(toWire(soap, o));
  return SOAP_OK;
}

int options(struct ::soap* soap, const std::string& vsc_token, tt__OSDConfigurationOptions** out) {
  onvif::media::MediaModel& m = model(soap);
  const MediaState st = m.snapshot();
  if (!st.findVideoSource(vsc_token)) return fail(soap, ErrorKind::NoConfig);
  const int max = m.camera().osd_max;
  auto* o = soap_new_tt__OSDConfigurationOptions(soap);
  o->MaximumNumberOfOSDs = soap_new_tt__MaximumNumberOfOSDs(soap);
  o->MaximumNumberOfOSDs->Total = max;
  o->MaximumNumberOfOSDs->Image = newInt(soap, 0);
  o->MaximumNumberOfOSDs->PlainText = newInt(soap, max);
  o->MaximumNumberOfOSDs->Date = newInt(soap, max);
  o->MaximumNumberOfOSDs->Time = newInt(soap, max);
  o->MaximumNumberOfOSDs->DateAndTime = newInt(soap, max);
  o->Type.push_back(tt__OSDType__Text);
  if (max == 0) {
    o->PositionOption.push_back("Custom");
  } else {
    o->PositionOption = onvif::media::osdPositions();
    o->TextOption = soap_new_tt__OSDTextOptions(soap);
    o->TextOption->Type = onvif::media::osdTextTypes();
    o->TextOption->DateFormat = onvif::media::osdDateFormats();
    o->TextOption->TimeFormat = onvif::media::osdTimeFormats();
  }
  *out = o;
  return SOAP_OK;
}

int create(struct ::soap* soap, const char* element, const tt__OSDConfiguration* in, std::string* token) {
  onvif::media::MediaModel& m = model(soap);
  if (m.camera().osd_max == 0) return onvif::soap::unsupportedOperation(soap, element);
  if (!in) return fail(soap, ErrorKind::ConfigModify);
  Status s = m.update([&](MediaState& st, onvif::media::Change* change) {
    Osd o;
    Status v = readOsd(st, *in, &o);
    if (!v.ok) return v;
    if (onvif::media::osdCount(st, o.video_source) >= m.camera().osd_max)
      return Status::fail(ErrorKind::MaxOSDs);
    do {
      o.token = "OSD_" + std::to_string(st.next_osd_number++);
    } while (st.findOsd(o.token));
    *token = o.token;
    st.osds.push_back(o);
    *change = onvif::media::describe(o);
    return Status{};
  });
  return s.ok ? SOAP_OK : fail(soap, s);
}

int set(struct ::soap* soap, const tt__OSDConfiguration* in) {
  if (!in) return fail(soap, ErrorKind::ConfigModify);
  onvif::media::MediaModel& m = model(soap);
  Status s = m.update([&](MediaState& st, onvif::media::Change* change) {
    Osd* current = st.findOsd(in->token);
    if (!current) return Status::fail(ErrorKind::NoConfig);
    Osd next = *current;
    Status v = readOsd(st, *in, &next);
    if (!v.ok) return v;
    // Moving it to another video source configuration must respect that one's limit.
    if (next.video_source != current->video_source &&
        onvif::media::osdCount(st, next.video_source) >= m.camera().osd_max)
      return Status::fail(ErrorKind::ConfigModify, "the target video source configuration has no OSD left");
    *current = next;
    *change = onvif::media::describe(next);
    return Status{};
  });
  return s.ok ? SOAP_OK : fail(soap, s);
}

int remove(struct ::soap* soap, const std::string& token) {
  Status s = model(soap).update([&](MediaState& st, onvif::media::Change* change) {
    auto it = std::find_if(st.osds.begin(), st.osds.end(), [&](const Osd& o) { return o.token == token; });
    if (it == st.osds.end()) return Status::fail(ErrorKind::NoConfig);
    *change = {"osd-deleted", it->token, {}};
    st.osds.erase(it);
    return Status{};
  });
  return s.ok ? SOAP_OK : fail(soap, s);
}

}  // namespace onvif::services::osd

namespace gsoap_onvif {

namespace osd = onvif::services::osd;

// Media spec "GetOSDs": all OSDs, or those of one video source
// configuration (an empty list if it has none; NoConfig if it does not exist).
int __trt__GetOSDs(struct soap* soap, _trt__GetOSDs* request, _trt__GetOSDsResponse& response) {
  return osd::list(soap, nullptr, request ? request->ConfigurationToken : nullptr, &response.OSDs);
}

// Media spec "GetOSD".
int __trt__GetOSD(struct soap* soap, _trt__GetOSD* request, _trt__GetOSDResponse& response) {
  if (!request) return onvif::services::media_wire::fail(soap, onvif::soap::ErrorKind::NoConfig);
  std::vector<tt__OSDConfiguration*> found;
  int err = osd::list(soap, &request->OSDToken, nullptr, &found);
  if (err == SOAP_OK) response.OSD = found.front();
  return err;
}

// Media spec "GetOSDOptions": text OSDs only, every listed combination
// valid for SetOSD/CreateOSD. Total 0 when the camera has no OSD (the
// schema still wants one Type and one PositionOption).
int __trt__GetOSDOptions(struct soap* soap, _trt__GetOSDOptions* request,
                         _trt__GetOSDOptionsResponse& response) {
  if (!request) return onvif::services::media_wire::fail(soap, onvif::soap::ErrorKind::NoConfig);
  return osd::options(soap, request->ConfigurationToken, &response.OSDOptions);
}

// Media spec "CreateOSD": the device chooses the token; MaxOSDs past
// osd_max on that video source configuration. ActionNotSupported without OSD.
int __trt__CreateOSD(struct soap* soap, _trt__CreateOSD* request, _trt__CreateOSDResponse& response) {
  return osd::create(soap, "trt:CreateOSD", request ? request->OSD : nullptr, &response.OSDToken);
}

// Media spec "SetOSD": NoConfig for an unknown OSD, ConfigModify for values
// outside the options; nothing changes unless all of it is valid.
int __trt__SetOSD(struct soap* soap, _trt__SetOSD* request, _trt__SetOSDResponse&) {
  return osd::set(soap, request ? request->OSD : nullptr);
}

// Media spec "DeleteOSD": always persistent; NoConfig for an unknown token.
int __trt__DeleteOSD(struct soap* soap, _trt__DeleteOSD* request, _trt__DeleteOSDResponse&) {
  if (!request) return onvif::services::media_wire::fail(soap, onvif::soap::ErrorKind::NoConfig);
  return osd::remove(soap, request->OSDToken);
}

}  // namespace gsoap_onvif
