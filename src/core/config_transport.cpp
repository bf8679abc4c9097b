#include "core/config_fields.hpp"

namespace onvif::core {

// [transport]: HTTPS, HTTP compression, IPv6.
void addTransportFields(FieldTable&) {}

}  // namespace onvif::core
