// Imaging service (ONVIF Imaging spec, imaging.wsdl ver20): the imaging
// settings of the video source, their options, and the focus motor. The
// handlers translate between the wire and imaging::ImagingModel, which
// validates, runs the apply hook and persists. Imaging presets are offered
// when the camera description has some ([imaging] presetN.*; capability
// Presets); without, the preset operations answer ter:ActionNotSupported.
#include <string>

#include "core/validate.hpp"
#include "daemon/request_context.hpp"
#include "gsoap_onvifH.h"
#include "imaging/imaging_model.hpp"
#include "services/device_soap.hpp"
#include "services/service_registry.hpp"
#include "soap/element_xml.hpp"
#include "soap/faults.hpp"

namespace {

using namespace gsoap_onvif;
using onvif::imaging::ImagingModel;
using onvif::imaging::Range;
using onvif::imaging::Settings;
using onvif::services::device::soapValue;
using onvif::soap::ErrorKind;
using onvif::soap::fault;

ImagingModel* model(struct soap* soap) {
  return onvif::daemon::requestContext(soap).daemon->imaging;
}

// Imaging spec, every operation: an unknown VideoSourceToken is
// env:Sender/ter:InvalidArgVal/ter:NoSource. Returns 0 when the token is known.
int checkSource(struct soap* soap, const std::string& token) {
  ImagingModel* m = model(soap);
  if (!m) return fault(soap, ErrorKind::NoImagingForSource);
  if (token != m->description().video_source) return fault(soap, ErrorKind::NoSource);
  return 0;
}

int fail(struct soap* soap, const onvif::imaging::Status& st) {
  return fault(soap, st.kind, st.detail.empty() ? nullptr : st.detail.c_str());
}

tt__FloatRange* floatRange(struct soap* soap, const Range& r) {
  auto* out = soap_new_tt__FloatRange(soap);
  out->Min = r.min;
  out->Max = r.max;
  return out;
}

// The string form of a generated enum value, and back (gSOAP's converters).
template <typename E>
bool parseEnum(struct soap* soap, const std::string& text, E* out,
               int (*s2e)(struct soap*, const char*, E*)) {
  return s2e(soap, text.c_str(), out) == SOAP_OK;
}

// --- settings: model <-> tt:ImagingSettings20 -----------------------------------

float* level(struct soap* soap, const Settings& s, const char* name) {
  auto it = s.levels.find(name);
  return it == s.levels.end() ? nullptr : soapValue(soap, it->second);
}

const std::string* mode(const Settings& s, const char* name) {
  auto it = s.modes.find(name);
  return it == s.modes.end() ? nullptr : &it->second;
}

tt__ImagingSettings20* toWire(struct soap* soap, const Settings& s) {
  auto* out = soap_new_tt__ImagingSettings20(soap);
  out->Brightness = level(soap, s, "brightness");
  out->ColorSaturation = level(soap, s, "color_saturation");
  out->Contrast = level(soap, s, "contrast");
  out->Sharpness = level(soap, s, "sharpness");
  if (const std::string* m = mode(s, "ir_cut_filter")) {
    out->IrCutFilter = soapValue(soap, tt__IrCutFilterMode__AUTO);
    parseEnum(soap, *m, out->IrCutFilter, soap_s2tt__IrCutFilterMode);
  }
  if (s.ir_cut_auto && !s.ir_cut_auto->empty()) {
    out->Extension = soap_new_tt__ImagingSettingsExtension20(soap);
    out->Extension->Extension = soap_new_tt__ImagingSettingsExtension202(soap);
    for (const auto& a : *s.ir_cut_auto) {
      auto* item = soap_new_tt__IrCutFilterAutoAdjustment(soap);
      item->BoundaryType = a.boundary_type;
      if (a.offset) item->BoundaryOffset = soapValue(soap, *a.offset);
      if (a.response_ms)
        item->ResponseTime =
            onvif::services::device::soapString(soap, onvif::imaging::durationText(*a.response_ms));
      out->Extension->Extension->IrCutFilterAutoAdjustment.push_back(item);
    }
  }
  if (const std::string* m = mode(s, "backlight_compensation")) {
    out->BacklightCompensation = soap_new_tt__BacklightCompensation20(soap);
    parseEnum(soap, *m, &out->BacklightCompensation->Mode, soap_s2tt__BacklightCompensationMode);
    out->BacklightCompensation->Level = level(soap, s, "backlight_compensation_level");
  }
  if (const std::string* m = mode(s, "wide_dynamic_range")) {
    out->WideDynamicRange = soap_new_tt__WideDynamicRange20(soap);
    parseEnum(soap, *m, &out->WideDynamicRange->Mode, soap_s2tt__WideDynamicMode);
    out->WideDynamicRange->Level = level(soap, s, "wide_dynamic_range_level");
  }
  if (const std::string* m = mode(s, "white_balance")) {
    out->WhiteBalance = soap_new_tt__WhiteBalance20(soap);
    parseEnum(soap, *m, &out->WhiteBalance->Mode, soap_s2tt__WhiteBalanceMode);
    out->WhiteBalance->CrGain = level(soap, s, "white_balance_cr_gain");
    out->WhiteBalance->CbGain = level(soap, s, "white_balance_cb_gain");
  }
  if (const std::string* m = mode(s, "exposure")) {
    out->Exposure = soap_new_tt__Exposure20(soap);
    parseEnum(soap, *m, &out->Exposure->Mode, soap_s2tt__ExposureMode);
    out->Exposure->ExposureTime = level(soap, s, "exposure_time");
    out->Exposure->Gain = level(soap, s, "exposure_gain");
  }
  if (const std::string* m = mode(s, "focus")) {
    out->Focus = soap_new_tt__FocusConfiguration20(soap);
    parseEnum(soap, *m, &out->Focus->AutoFocusMode, soap_s2tt__AutoFocusMode);
    out->Focus->DefaultSpeed = level(soap, s, "focus_default_speed");
  }
  return out;
}

// The request as a partial update: only the fields present. Fields the
// model has no name for (Exposure windows and limits, focus limits, the
// extensions) are never offered, so their presence makes the request
// invalid (Imaging spec "SetImagingSettings": ter:SettingsInvalid).
bool fromWire(struct soap* soap, const tt__ImagingSettings20& in, Settings* out) {
  auto put = [out](const char* name, const float* v) {
    if (v) out->levels[name] = *v;
  };
  put("brightness", in.Brightness);
  put("color_saturation", in.ColorSaturation);
  put("contrast", in.Contrast);
  put("sharpness", in.Sharpness);
  if (in.IrCutFilter) out->modes["ir_cut_filter"] = soap_tt__IrCutFilterMode2s(soap, *in.IrCutFilter);
  if (const auto* b = in.BacklightCompensation) {
    out->modes["backlight_compensation"] = soap_tt__BacklightCompensationMode2s(soap, b->Mode);
    put("backlight_compensation_level", b->Level);
  }
  if (const auto* w = in.WideDynamicRange) {
    out->modes["wide_dynamic_range"] = soap_tt__WideDynamicMode2s(soap, w->Mode);
    put("wide_dynamic_range_level", w->Level);
  }
  if (const auto* w = in.WhiteBalance) {
    out->modes["white_balance"] = soap_tt__WhiteBalanceMode2s(soap, w->Mode);
    put("white_balance_cr_gain", w->CrGain);
    put("white_balance_cb_gain", w->CbGain);
  }
  if (const auto* e = in.Exposure) {
    out->modes["exposure"] = soap_tt__ExposureMode2s(soap, e->Mode);
    put("exposure_time", e->ExposureTime);
    put("exposure_gain", e->Gain);
    if (e->Priority || e->Window || e->MinExposureTime || e->MaxExposureTime || e->MinGain || e->MaxGain ||
        e->MinIris || e->MaxIris || e->Iris)
      return false;
  }
  if (const auto* f = in.Focus) {
    out->modes["focus"] = soap_tt__AutoFocusMode2s(soap, f->AutoFocusMode);
    put("focus_default_speed", f->DefaultSpeed);
    if (f->NearLimit || f->FarLimit) return false;
  }
  if (const auto* x = in.Extension) {
    if (x->ImageStabilization) return false;
    if (const auto* x2 = x->Extension) {
      if (!x2->IrCutFilterAutoAdjustment.empty()) {
        // The list replaces the current one; checked against the options by the model.
        out->ir_cut_auto.emplace();
        for (const tt__IrCutFilterAutoAdjustment* a : x2->IrCutFilterAutoAdjustment) {
          if (!a || a->Extension) return false;
          onvif::imaging::IrCutAutoAdjustment item;
          item.boundary_type = a->BoundaryType;
          if (a->BoundaryOffset) item.offset = *a->BoundaryOffset;
          long long ms = -1;
          if (a->ResponseTime) item.response_ms = onvif::core::parseDuration(*a->ResponseTime, &ms) ? ms : -1;
          out->ir_cut_auto->push_back(item);
        }
      }
      if (x2->Extension &&
          (x2->Extension->ToneCompensation || x2->Extension->Defogging || x2->Extension->NoiseReduction))
        return false;
    }
  }
  return true;
}

// --- options -------------------------------------------------------------------

const Range* range(const onvif::imaging::Description& d, const char* name) {
  auto it = d.ranges.find(name);
  return it == d.ranges.end() ? nullptr : &it->second;
}

tt__FloatRange* optRange(struct soap* soap, const onvif::imaging::Description& d, const char* name) {
  const Range* r = range(d, name);
  return r ? floatRange(soap, *r) : nullptr;
}

template <typename E>
std::vector<E> enumList(struct soap* soap, const onvif::imaging::Description& d, const char* name,
                        int (*s2e)(struct soap*, const char*, E*)) {
  std::vector<E> out;
  auto it = d.modes.find(name);
  if (it == d.modes.end()) return out;
  for (const std::string& m : it->second) {
    E e;
    if (parseEnum(soap, m, &e, s2e)) out.push_back(e);
  }
  return out;
}

tt__ImagingOptions20* options(struct soap* soap, const onvif::imaging::Description& d) {
  auto* o = soap_new_tt__ImagingOptions20(soap);
  o->Brightness = optRange(soap, d, "brightness");
  o->ColorSaturation = optRange(soap, d, "color_saturation");
  o->Contrast = optRange(soap, d, "contrast");
  o->Sharpness = optRange(soap, d, "sharpness");
  o->IrCutFilterModes = enumList(soap, d, "ir_cut_filter", soap_s2tt__IrCutFilterMode);
  if (!d.ir_cut_auto.boundary_types.empty()) {
    auto* adj = soap_new_tt__IrCutFilterAutoAdjustmentOptions(soap);
    adj->BoundaryType = d.ir_cut_auto.boundary_types;
    adj->BoundaryOffset = soapValue(soap, d.ir_cut_auto.offset);
    if (d.ir_cut_auto.response_ms) {
      adj->ResponseTimeRange = soap_new_tt__DurationRange(soap);
      adj->ResponseTimeRange->Min = onvif::imaging::durationText(d.ir_cut_auto.response_ms->first);
      adj->ResponseTimeRange->Max = onvif::imaging::durationText(d.ir_cut_auto.response_ms->second);
    }
    o->Extension = soap_new_tt__ImagingOptions20Extension(soap);
    o->Extension->Extension = soap_new_tt__ImagingOptions20Extension2(soap);
    o->Extension->Extension->IrCutFilterAutoAdjustment = adj;
  }
  if (d.modes.count("backlight_compensation")) {
    o->BacklightCompensation = soap_new_tt__BacklightCompensationOptions20(soap);
    o->BacklightCompensation->Mode =
        enumList(soap, d, "backlight_compensation", soap_s2tt__BacklightCompensationMode);
    o->BacklightCompensation->Level = optRange(soap, d, "backlight_compensation_level");
  }
  if (d.modes.count("wide_dynamic_range")) {
    o->WideDynamicRange = soap_new_tt__WideDynamicRangeOptions20(soap);
    o->WideDynamicRange->Mode = enumList(soap, d, "wide_dynamic_range", soap_s2tt__WideDynamicMode);
    o->WideDynamicRange->Level = optRange(soap, d, "wide_dynamic_range_level");
  }
  if (d.modes.count("white_balance")) {
    o->WhiteBalance = soap_new_tt__WhiteBalanceOptions20(soap);
    o->WhiteBalance->Mode = enumList(soap, d, "white_balance", soap_s2tt__WhiteBalanceMode);
    o->WhiteBalance->YrGain = optRange(soap, d, "white_balance_cr_gain");
    o->WhiteBalance->YbGain = optRange(soap, d, "white_balance_cb_gain");
  }
  if (d.modes.count("exposure")) {
    o->Exposure = soap_new_tt__ExposureOptions20(soap);
    o->Exposure->Mode = enumList(soap, d, "exposure", soap_s2tt__ExposureMode);
    o->Exposure->ExposureTime = optRange(soap, d, "exposure_time");
    o->Exposure->Gain = optRange(soap, d, "exposure_gain");
  }
  if (d.modes.count("focus")) {
    o->Focus = soap_new_tt__FocusOptions20(soap);
    o->Focus->AutoFocusModes = enumList(soap, d, "focus", soap_s2tt__AutoFocusMode);
    o->Focus->DefaultSpeed = optRange(soap, d, "focus_default_speed");
  }
  return o;
}

// Imaging spec "GetServiceCapabilities": every attribute stated; Presets
// when the camera describes imaging presets (AdaptablePreset: presets are
// the manufacturer's, SetImagingSettings does not change them).
timg__Capabilities* capabilities(struct soap* soap) {
  auto* caps = soap_new_timg__Capabilities(soap);
  ImagingModel* m = model(soap);
  caps->ImageStabilization = soapValue(soap, false);
  caps->Presets = soapValue(soap, m != nullptr && !m->description().presets.empty());
  caps->AdaptablePreset = soapValue(soap, false);
  return caps;
}

}  // namespace

namespace onvif::services {

std::string imagingCapabilitiesXml(struct ::soap* soap) {
  return onvif::soap::elementXml(*capabilities(soap), "timg:Capabilities");
}

}  // namespace onvif::services

namespace gsoap_onvif {

// Imaging spec "GetServiceCapabilities". Access class PRE_AUTH.
int __timg__GetServiceCapabilities(struct soap* soap, _timg__GetServiceCapabilities*,
                                   _timg__GetServiceCapabilitiesResponse& response) {
  response.Capabilities = capabilities(soap);
  return SOAP_OK;
}

// Imaging spec "GetImagingSettings". Access class READ_MEDIA.
int __timg__GetImagingSettings(struct soap* soap, _timg__GetImagingSettings* request,
                               _timg__GetImagingSettingsResponse& response) {
  if (!request) return fault(soap, ErrorKind::InvalidArgs);
  if (int err = checkSource(soap, request->VideoSourceToken)) return err;
  response.ImagingSettings = toWire(soap, model(soap)->settings());
  return SOAP_OK;
}

// Imaging spec "GetOptions": every adjustable parameter with its range or modes.
// Access class READ_MEDIA.
int __timg__GetOptions(struct soap* soap, _timg__GetOptions* request, _timg__GetOptionsResponse& response) {
  if (!request) return fault(soap, ErrorKind::InvalidArgs);
  if (int err = checkSource(soap, request->VideoSourceToken)) return err;
  response.ImagingOptions = options(soap, model(soap)->description());
  return SOAP_OK;
}

// Imaging spec "SetImagingSettings": a partial update; what the request
// leaves out keeps its value. Anything outside GetOptions is
// env:Sender/ter:InvalidArgVal/ter:SettingsInvalid and changes nothing.
// Access class ACTUATE.
int __timg__SetImagingSettings(struct soap* soap, _timg__SetImagingSettings* request,
                               _timg__SetImagingSettingsResponse&) {
  if (!request || !request->ImagingSettings) return fault(soap, ErrorKind::InvalidArgs);
  if (int err = checkSource(soap, request->VideoSourceToken)) return err;
  Settings partial;
  if (!fromWire(soap, *request->ImagingSettings, &partial))
    return fault(soap, ErrorKind::SettingsInvalid, "The request sets a parameter the device does not offer");
  onvif::imaging::Status st = model(soap)->set(partial);
  return st.ok ? SOAP_OK : fail(soap, st);
}

// Imaging spec "GetMoveOptions": the Move kinds of the focus motor; empty
// when there is none. Access class READ_MEDIA.
int __timg__GetMoveOptions(struct soap* soap, _timg__GetMoveOptions* request,
                           _timg__GetMoveOptionsResponse& response) {
  if (!request) return fault(soap, ErrorKind::InvalidArgs);
  if (int err = checkSource(soap, request->VideoSourceToken)) return err;
  const onvif::imaging::Description& d = model(soap)->description();
  response.MoveOptions = soap_new_tt__MoveOptions20(soap);
  if (d.absolute) {
    response.MoveOptions->Absolute = soap_new_tt__AbsoluteFocusOptions(soap);
    response.MoveOptions->Absolute->Position = floatRange(soap, d.position);
    response.MoveOptions->Absolute->Speed = floatRange(soap, d.speed);
  }
  if (d.relative) {
    float span = d.position.max - d.position.min;
    response.MoveOptions->Relative = soap_new_tt__RelativeFocusOptions20(soap);
    response.MoveOptions->Relative->Distance = floatRange(soap, Range{-span, span});
    response.MoveOptions->Relative->Speed = floatRange(soap, d.speed);
  }
  if (d.continuous) {
    response.MoveOptions->Continuous = soap_new_tt__ContinuousFocusOptions(soap);
    response.MoveOptions->Continuous->Speed = floatRange(soap, Range{-d.speed.max, d.speed.max});
  }
  return SOAP_OK;
}

// Imaging spec "Move": exactly one of Absolute, Relative, Continuous.
// Access class ACTUATE.
int __timg__Move(struct soap* soap, _timg__Move* request, _timg__MoveResponse&) {
  if (!request || !request->Focus) return fault(soap, ErrorKind::InvalidArgs);
  if (int err = checkSource(soap, request->VideoSourceToken)) return err;
  const tt__FocusMove& f = *request->Focus;
  int kinds = (f.Absolute != nullptr) + (f.Relative != nullptr) + (f.Continuous != nullptr);
  if (kinds != 1)
    return fault(soap, ErrorKind::InvalidArgVal, "Exactly one of Absolute, Relative, Continuous");
  onvif::imaging::Status st;
  using onvif::imaging::MoveKind;
  if (f.Absolute) {
    st = model(soap)->move(MoveKind::Absolute, f.Absolute->Position,
                           f.Absolute->Speed ? std::optional<float>(*f.Absolute->Speed) : std::nullopt);
  } else if (f.Relative) {
    st = model(soap)->move(MoveKind::Relative, f.Relative->Distance,
                           f.Relative->Speed ? std::optional<float>(*f.Relative->Speed) : std::nullopt);
  } else {
    st = model(soap)->move(MoveKind::Continuous, f.Continuous->Speed, std::nullopt);
  }
  return st.ok ? SOAP_OK : fail(soap, st);
}

// Imaging spec "Stop". Access class ACTUATE.
int __timg__Stop(struct soap* soap, _timg__Stop* request, _timg__StopResponse&) {
  if (!request) return fault(soap, ErrorKind::InvalidArgs);
  if (int err = checkSource(soap, request->VideoSourceToken)) return err;
  if (!model(soap)->description().hasMotor())
    return fault(soap, ErrorKind::ActionNotSupported, "The video source has no focus motor");
  model(soap)->stop();
  return SOAP_OK;
}

// Imaging spec "GetStatus": focus position and MoveStatus (MOVING until
// the simulated lens arrives). Access class READ_MEDIA.
int __timg__GetStatus(struct soap* soap, _timg__GetStatus* request, _timg__GetStatusResponse& response) {
  if (!request) return fault(soap, ErrorKind::InvalidArgs);
  if (int err = checkSource(soap, request->VideoSourceToken)) return err;
  response.Status = soap_new_tt__ImagingStatus20(soap);
  if (!model(soap)->description().hasMotor()) return SOAP_OK;
  onvif::imaging::FocusState s = model(soap)->focus();
  response.Status->FocusStatus20 = soap_new_tt__FocusStatus20(soap);
  response.Status->FocusStatus20->Position = s.position;
  response.Status->FocusStatus20->MoveStatus = s.moving ? tt__MoveStatus__MOVING : tt__MoveStatus__IDLE;
  return SOAP_OK;
}

namespace {

// Imaging spec "Imaging Presets": a device without the ImagingPresets
// capability need not support the preset operations.
int checkPresets(struct soap* soap, const std::string& token) {
  if (int err = checkSource(soap, token)) return err;
  if (model(soap)->description().presets.empty())
    return fault(soap, ErrorKind::ActionNotSupported, "The video source has no imaging presets");
  return 0;
}

timg__ImagingPreset* presetToWire(struct soap* soap, const onvif::imaging::Preset& p) {
  auto* out = soap_new_timg__ImagingPreset(soap);
  out->token = p.token;
  out->type = p.type;
  out->Name = p.name;
  return out;
}

}  // namespace

// Imaging spec "GetPresets": every preset of the video source. Access class READ_MEDIA.
int __timg__GetPresets(struct soap* soap, _timg__GetPresets* request, _timg__GetPresetsResponse& response) {
  if (!request) return fault(soap, ErrorKind::InvalidArgs);
  if (int err = checkPresets(soap, request->VideoSourceToken)) return err;
  for (const auto& p : model(soap)->description().presets) response.Preset.push_back(presetToWire(soap, p));
  return SOAP_OK;
}

// Imaging spec "GetCurrentPreset": the preset last applied, empty when none
// was or the settings no longer match it. Access class READ_MEDIA.
int __timg__GetCurrentPreset(struct soap* soap, _timg__GetCurrentPreset* request,
                             _timg__GetCurrentPresetResponse& response) {
  if (!request) return fault(soap, ErrorKind::InvalidArgs);
  if (int err = checkPresets(soap, request->VideoSourceToken)) return err;
  if (const onvif::imaging::Preset* p = model(soap)->currentPreset())
    response.Preset = presetToWire(soap, *p);
  return SOAP_OK;
}

// Imaging spec "SetCurrentPreset": the device "shall adjust the video source
// settings to match those values defined by the specified Imaging Preset"
// (apply hook, persisted, like SetImagingSettings). An unknown preset is
// env:Sender/ter:InvalidArgVal/ter:NoToken. Access class ACTUATE.
int __timg__SetCurrentPreset(struct soap* soap, _timg__SetCurrentPreset* request,
                             _timg__SetCurrentPresetResponse&) {
  if (!request) return fault(soap, ErrorKind::InvalidArgs);
  if (int err = checkPresets(soap, request->VideoSourceToken)) return err;
  onvif::imaging::Status st = model(soap)->applyPreset(request->PresetToken);
  return st.ok ? SOAP_OK : fail(soap, st);
}

}  // namespace gsoap_onvif
