#include "core/config_fields.hpp"

namespace onvif::core {

// [discovery]: WS-Discovery.
void addDiscoveryFields(FieldTable&) {}

}  // namespace onvif::core
