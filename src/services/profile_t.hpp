#pragma once
// Whether this daemon provides what ONVIF Profile T requires, so that the
// onvif://www.onvif.org/Profile/T scope is claimed only when true (Profiles
// Conformance test specification, "Profile T Support Check": a device that
// lists the scope is tested against every mandatory feature).
#include <string>
#include <vector>

#include "daemon/request_context.hpp"

namespace onvif::services {

// The mandatory features this daemon lacks, as short names; empty: Profile T.
std::vector<std::string> profileTMissing(const daemon::DaemonState& daemon);

}  // namespace onvif::services
