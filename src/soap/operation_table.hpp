#pragma once
// The operations this binary binds, generated from the WSDLs by
// scripts/gen-operations into the build folder (operations.cpp).
#include <cstddef>

namespace onvif::soap {

struct BoundOperation {
  const char* element;  // qualified name of the request element, e.g. "tds:GetServices"
  const char* symbol;   // generated handler symbol, e.g. "__tds__GetServices"
};

extern const BoundOperation kBoundOperations[];
extern const std::size_t kBoundOperationCount;

}  // namespace onvif::soap
