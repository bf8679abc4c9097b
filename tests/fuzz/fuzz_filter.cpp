// libFuzzer entry point: see fuzz_targets.hpp (filterExpression). Built by `make fuzz`.
#include "fuzz_targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return onvif::fuzz::filterExpression(data, size);
}
