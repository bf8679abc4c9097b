#include "core/config_fields.hpp"

namespace onvif::core {

// [media]: camera description: sources, encoders, profiles, URIs.
void addMediaFields(FieldTable&) {}

}  // namespace onvif::core
