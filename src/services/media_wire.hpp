#pragma once
// Shared by the Media (ver10) handler files: the camera model reached from a
// request, the model <-> gSOAP translations, faults from model statuses,
// and configuration-change events. gSOAP types stop here: the model in
// src/media/ never sees them.
#include <string>

#include "daemon/request_context.hpp"
#include "gsoap_onvifH.h"
#include "media/media_model.hpp"

namespace onvif::services::media_wire {

using namespace gsoap_onvif;

media::MediaModel& model(struct ::soap* soap);

// Answers with the status's fault (and its detail text, when any).
int fail(struct ::soap* soap, const media::Status& status);
int fail(struct ::soap* soap, soap::ErrorKind kind);

// Publishes a Media spec "Configuration Change" event (section "Events"):
// the changed item's token as the Source "Token" simple item and its
// current configuration as the Data ElementItem "Configuration".
// Does nothing while the daemon has no event service.
void publishChange(struct ::soap* soap, const char* topic, const std::string& token);

// Visible through ver10: everything but encoders whose current encoding is
// H.265 and the profiles that contain them (ver10's tt:VideoEncoding has no
// H265); Media2 shows them all. Decided on the current state, so an encoder
// switched to H.265 through Media2 leaves ver10 until it is switched back.
bool visibleEncoder(const media::MediaState& state, const std::string& token);
bool visibleProfile(const media::MediaState& state, const media::Profile& profile);

bool* newBool(struct ::soap* soap, bool value);
int* newInt(struct ::soap* soap, int value);
tt__IntRange* newRange(struct ::soap* soap, const media::Range& range);
tt__IntRange* newRange(struct ::soap* soap, int min, int max);
std::string durationText(int seconds);
// xs:duration (PnDTnHnMnS, whole seconds) -> seconds; false if unparsable.
bool parseDuration(const std::string& text, int* seconds);

// Model -> wire.
tt__VideoSourceConfiguration* toWire(struct ::soap* soap, const media::MediaState& state,
                                     const media::VideoSourceConfig& c);
tt__VideoEncoderConfiguration* toWire(struct ::soap* soap, const media::MediaState& state,
                                      const media::VideoEncoderConfig& c);
tt__AudioSourceConfiguration* toWire(struct ::soap* soap, const media::MediaState& state,
                                     const media::AudioSourceConfig& c);
tt__AudioEncoderConfiguration* toWire(struct ::soap* soap, const media::MediaState& state,
                                      const media::AudioEncoderConfig& c);
tt__MetadataConfiguration* toWire(struct ::soap* soap, const media::MediaState& state,
                                  const media::MetadataConfig& c);
tt__Profile* toWire(struct ::soap* soap, const media::MediaState& state, const media::Profile& p);
// GetMetadataConfigurationOptions of both media services: the metadata
// stream carries no pan/tilt/zoom status or position.
tt__MetadataConfigurationOptions* metadataOptions(struct ::soap* soap);
tt__MulticastConfiguration* toWire(struct ::soap* soap, const media::Multicast& m);

// Wire -> model: the request's values over `current` (optional parts that
// are absent keep their current values). A value that cannot be expressed
// at all (a negative resolution, an IPv6 multicast group) fails with ConfigModify.
media::Status fromWire(const tt__MulticastConfiguration* in, media::Multicast* out);
media::Status fromWire(const tt__VideoEncoderConfiguration& in, media::VideoEncoderConfig* out);
media::Status fromWire(const tt__VideoSourceConfiguration& in, media::VideoSourceConfig* out);
media::Status fromWire(const tt__AudioEncoderConfiguration& in, media::AudioEncoderConfig* out);
media::Status fromWire(const tt__MetadataConfiguration& in, media::MetadataConfig* out);

}  // namespace onvif::services::media_wire
