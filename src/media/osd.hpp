#pragma once
// Text OSDs (Media spec "OSD"): what the camera offers, the checks a
// requested OSD must pass, and how OSDs travel to the apply hook and the
// settings store. The firmware draws them; onvifd keeps and validates them.
#include <string>
#include <vector>

#include "media/media_model.hpp"

namespace onvif::media {

// The options GetOSDOptions advertises; every combination is valid input
// for SetOSD/CreateOSD (Media spec "GetOSDOptions").
const std::vector<std::string>& osdTextTypes();    // Plain, Date, Time, DateAndTime
const std::vector<std::string>& osdPositions();    // the corners and Custom
const std::vector<std::string>& osdDateFormats();  // the schema's predefined ones
const std::vector<std::string>& osdTimeFormats();
constexpr std::size_t kMaxOsdText = 256;

// Fills what the request may leave out (a Date OSD without DateFormat gets
// the first format), then checks the rest: text type, position, Custom
// coordinates in [-1, 1], formats from the lists, plain text printable and
// at most kMaxOsdText bytes, an existing video source configuration.
// Fails with ConfigModify (NoConfig for an unknown video source).
Status completeAndValidateOsd(const MediaState& state, Osd* osd);

// The OSDs on one video source configuration.
int osdCount(const MediaState& state, const std::string& video_source);

// Hook arguments: what = "osd", token, key=value for each field.
Change describe(const Osd& osd);

// Settings-store keys (prefix "osd.<token>.") and back. A stored OSD that no
// longer validates is dropped with a warning; a text that is not persistent
// is cleared, as the spec asks of IsPersistentText=false at reboot.
void encodeOsds(const MediaState& state, state::Section* section);
void decodeOsds(const Camera& camera, const state::Section& section, MediaState* state);

}  // namespace onvif::media
