#include "core/config_fields.hpp"

namespace onvif::core {

// [events]: event service, push policy, control socket, simulator.
void addEventsFields(FieldTable&) {}

}  // namespace onvif::core
