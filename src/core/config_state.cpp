#include "core/config_fields.hpp"

namespace onvif::core {

// [state]: persistent settings file.
void addStateFields(FieldTable& t) {
  t["state.path"] = textField(&Config::state, &StateConfig::path, 4096);
}

}  // namespace onvif::core
