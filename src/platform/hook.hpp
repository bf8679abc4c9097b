#pragma once
// Runs the commands that change the host (set the clock, the host name,
// the network, reboot, ...) for the device service. fork + execv with an
// argument vector (never a shell), stdin from /dev/null, stdout+stderr
// captured (bounded), every other fd closed in the child, a deadline after
// which the hook's process group is killed. Callable from any worker thread.
#include <string>
#include <vector>

namespace onvif::platform {

struct HookResult {
  bool ok = false;       // exited with status 0 within the deadline
  int exit_status = -1;  // exit code, or -1 when killed / not started
  bool timed_out = false;
  std::string output;             // stdout and stderr, first 4 KiB (see HookOptions)
  std::string error;              // why it failed, for the log
  bool output_truncated = false;  // stdout_only: more than max_output (the program was killed)
};

struct HookOptions {
  std::size_t max_output = 4096;
  // Capture stdout only, whole (a program that writes a file, e.g. a JPEG, to
  // its stdout): stderr stays the daemon's, for the program's log lines, and
  // more than max_output bytes kill the program and fail.
  bool stdout_only = false;
};

// argv[0] is the absolute path of the executable.
HookResult runHook(const std::vector<std::string>& argv, int timeout_ms);
HookResult runHook(const std::vector<std::string>& argv, int timeout_ms, const HookOptions& options);

// Starts argv after delay_ms without waiting for it (SystemReboot must answer
// before the device goes down). A double fork leaves no zombie behind.
bool spawnHookDetached(const std::vector<std::string>& argv, int delay_ms, std::string* error);

}  // namespace onvif::platform
