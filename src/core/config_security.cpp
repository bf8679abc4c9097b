#include "core/config_fields.hpp"

namespace onvif::core {

// [security]: users, authentication and access policy.
void addSecurityFields(FieldTable&) {}

}  // namespace onvif::core
