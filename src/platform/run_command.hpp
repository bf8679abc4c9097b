#pragma once
// The media apply hook's call shape over the one child-process runner
// (platform/hook.hpp): same fork/execv, argument vector, /dev/null stdin,
// captured output, clean signal state, process-group kill at the deadline.
#include <string>
#include <vector>

#include "platform/hook.hpp"

namespace onvif::platform {

struct CommandResult {
  bool ok = false;      // ran and exited with status 0
  std::string problem;  // why not (with the program's output), for the log
};

// argv[0] is the absolute program path (not searched in PATH).
inline CommandResult runCommand(const std::vector<std::string>& argv, int timeout_ms) {
  HookResult r = runHook(argv, timeout_ms);
  CommandResult out;
  out.ok = r.ok;
  out.problem = r.error;
  if (!r.ok && !r.output.empty()) out.problem += "; output: " + r.output;
  return out;
}

}  // namespace onvif::platform
