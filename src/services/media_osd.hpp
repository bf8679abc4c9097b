#pragma once
// Text OSDs on the wire, shared by Media ver10 (media_osd.cpp) and Media2
// (media2_osd.cpp): both services read and change the same OSD objects of
// the camera model (src/media/osd.*). Each returns SOAP_OK or the fault.
#include <string>
#include <vector>

#include "gsoap_onvifH.h"

namespace onvif::services::osd {

// The OSDs, filtered by OSD token and/or video source configuration token
// (NoConfig for one that does not exist).
int list(struct ::soap* soap, const std::string* osd_token, const std::string* vsc_token,
         std::vector<gsoap_onvif::tt__OSDConfiguration*>* out);
int options(struct ::soap* soap, const std::string& vsc_token,
            gsoap_onvif::tt__OSDConfigurationOptions** out);
// `element` names the operation in the ActionNotSupported answer of a camera without OSD.
int create(struct ::soap* soap, const char* element, const gsoap_onvif::tt__OSDConfiguration* in,
           std::string* token);
int set(struct ::soap* soap, const gsoap_onvif::tt__OSDConfiguration* in);
int remove(struct ::soap* soap, const std::string& token);

}  // namespace onvif::services::osd
