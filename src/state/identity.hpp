#pragma once
// The device's identity that must never change once made: its endpoint
// reference (Core spec "Endpoint reference": a urn:uuid that stays the same
// across reboots and network changes). Kept in the settings area "identity",
// which a factory default keeps.
#include <string>

#include "state/settings_store.hpp"

namespace onvif::state {

constexpr const char* kIdentityArea = "identity";

// The stored urn:uuid:..., made (random, RFC 4122 version 4) and stored on
// first use. Empty with `error` set if it could not be stored.
std::string ensureEndpointReference(SettingsStore* store, std::string* error);

// A fresh RFC 4122 version-4 UUID, lower-case, without "urn:uuid:".
std::string randomUuid();

}  // namespace onvif::state
