#include "core/config_fields.hpp"

namespace onvif::core {

// [state]: persistent state file.
void addStateFields(FieldTable&) {}

}  // namespace onvif::core
