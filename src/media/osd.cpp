#include "media/osd.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "core/log.hpp"

namespace onvif::media {
namespace {

bool listed(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool printable(const std::string& text) {
  // The text reaches the settings file and the hook's argv: no control
  // characters (UTF-8 bytes >= 0x80 are fine).
  return std::none_of(text.begin(), text.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

bool needsDate(const std::string& type) {
  return type == "Date" || type == "DateAndTime";
}
bool needsTime(const std::string& type) {
  return type == "Time" || type == "DateAndTime";
}

std::string coordinate(float v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", static_cast<double>(v));
  return buf;
}

}  // namespace

const std::vector<std::string>& osdTextTypes() {
  static const std::vector<std::string> v{"Plain", "Date", "Time", "DateAndTime"};
  return v;
}
const std::vector<std::string>& osdPositions() {
  static const std::vector<std::string> v{"UpperLeft", "UpperRight", "LowerLeft", "LowerRight", "Custom"};
  return v;
}
const std::vector<std::string>& osdDateFormats() {
  static const std::vector<std::string> v{"yyyy-MM-dd",    "M/d/yyyy",     "MM/dd/yyyy",
                                          "dd/MM/yyyy",    "yyyy/MM/dd",   "dddd, MMMM dd, yyyy",
                                          "MMMM dd, yyyy", "dd MMMM, yyyy"};
  return v;
}
const std::vector<std::string>& osdTimeFormats() {
  static const std::vector<std::string> v{"HH:mm:ss", "H:mm:ss", "hh:mm:ss tt", "h:mm:ss tt"};
  return v;
}

Status completeAndValidateOsd(const MediaState& state, Osd* osd) {
  if (!state.findVideoSource(osd->video_source)) return Status::fail(soap::ErrorKind::NoConfig);
  if (!listed(osdTextTypes(), osd->text_type))
    return Status::fail(soap::ErrorKind::ConfigModify, "unsupported OSD text type");
  if (!listed(osdPositions(), osd->position))
    return Status::fail(soap::ErrorKind::ConfigModify, "unsupported OSD position");
  if (osd->position == "Custom" && (!(osd->x >= -1 && osd->x <= 1) || !(osd->y >= -1 && osd->y <= 1)))
    return Status::fail(soap::ErrorKind::ConfigModify, "custom OSD position outside [-1, 1]");
  if (osd->position != "Custom") osd->x = osd->y = 0;
  // Media spec "CreateOSD": values the request leaves out "may be adapted to
  // the appropriate value by the device".
  if (needsDate(osd->text_type) && osd->date_format.empty()) osd->date_format = osdDateFormats().front();
  if (needsTime(osd->text_type) && osd->time_format.empty()) osd->time_format = osdTimeFormats().front();
  if (!needsDate(osd->text_type)) osd->date_format.clear();
  if (!needsTime(osd->text_type)) osd->time_format.clear();
  if (!osd->date_format.empty() && !listed(osdDateFormats(), osd->date_format))
    return Status::fail(soap::ErrorKind::ConfigModify, "unsupported OSD date format");
  if (!osd->time_format.empty() && !listed(osdTimeFormats(), osd->time_format))
    return Status::fail(soap::ErrorKind::ConfigModify, "unsupported OSD time format");
  if (osd->text_type != "Plain") osd->plain_text.clear();
  if (osd->plain_text.size() > kMaxOsdText || !printable(osd->plain_text))
    return Status::fail(soap::ErrorKind::ConfigModify, "OSD text too long or not printable");
  return Status{};
}

int osdCount(const MediaState& state, const std::string& video_source) {
  return static_cast<int>(std::count_if(state.osds.begin(), state.osds.end(),
                                        [&](const Osd& o) { return o.video_source == video_source; }));
}

Change describe(const Osd& o) {
  Change c{"osd", o.token, {}};
  c.args = {"video_source=" + o.video_source, "text_type=" + o.text_type, "position=" + o.position};
  if (o.position == "Custom") {
    c.args.push_back("x=" + coordinate(o.x));
    c.args.push_back("y=" + coordinate(o.y));
  }
  if (!o.date_format.empty()) c.args.push_back("date_format=" + o.date_format);
  if (!o.time_format.empty()) c.args.push_back("time_format=" + o.time_format);
  if (o.text_type == "Plain") c.args.push_back("text=" + o.plain_text);
  return c;
}

void encodeOsds(const MediaState& st, state::Section* s) {
  std::vector<std::string> tokens;
  for (const Osd& o : st.osds) {
    tokens.push_back(o.token);
    const std::string p = "osd." + o.token + ".";
    (*s)[p + "video_source"] = o.video_source;
    (*s)[p + "text_type"] = o.text_type;
    (*s)[p + "text"] = o.plain_text;
    (*s)[p + "date_format"] = o.date_format;
    (*s)[p + "time_format"] = o.time_format;
    (*s)[p + "position"] = o.position;
    (*s)[p + "x"] = coordinate(o.x);
    (*s)[p + "y"] = coordinate(o.y);
    (*s)[p + "persistent_text"] = o.persistent_text ? "true" : "false";
  }
  state::setList(s, "osds", tokens);
  (*s)["next_osd_number"] = std::to_string(st.next_osd_number);
}

void decodeOsds(const Camera& camera, const state::Section& s, MediaState* st) {
  st->osds.clear();
  for (const std::string& token : state::getList(s, "osds")) {
    if (!validToken(token) || st->findOsd(token)) continue;
    const std::string p = "osd." + token + ".";
    Osd o;
    o.token = token;
    o.video_source = state::getString(s, p + "video_source", "");
    o.text_type = state::getString(s, p + "text_type", "Plain");
    o.persistent_text = state::getBool(s, p + "persistent_text", true);
    o.plain_text = o.persistent_text ? state::getString(s, p + "text", "") : std::string();
    o.date_format = state::getString(s, p + "date_format", "");
    o.time_format = state::getString(s, p + "time_format", "");
    o.position = state::getString(s, p + "position", "UpperLeft");
    o.x = std::strtof(state::getString(s, p + "x", "0").c_str(), nullptr);
    o.y = std::strtof(state::getString(s, p + "y", "0").c_str(), nullptr);
    if (!completeAndValidateOsd(*st, &o).ok || osdCount(*st, o.video_source) >= camera.osd_max) {
      LOG_WARN("media settings: stored OSD %s no longer fits the camera; dropped", token.c_str());
      continue;
    }
    st->osds.push_back(o);
  }
  long long next = state::getInt(s, "next_osd_number", 1);
  st->next_osd_number = next < 1 || next > 1000000000LL ? 1 : static_cast<int>(next);
}

}  // namespace onvif::media
