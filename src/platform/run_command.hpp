#pragma once
// Runs a hook program the way STYLE.md asks: fork/execv with an argument
// vector (never a shell), stdin/stdout on /dev/null, bounded in time. A
// program that outlives the timeout is killed (SIGKILL, with its process
// group, so children it started go too) and reaped.
#include <string>
#include <vector>

namespace onvif::platform {

struct CommandResult {
  bool ok = false;      // ran and exited with status 0
  std::string problem;  // why not, for the log and the fault text
};

// argv[0] is the program path (not searched in PATH).
CommandResult runCommand(const std::vector<std::string>& argv, int timeout_ms);

}  // namespace onvif::platform
