#pragma once
// The daemon's signals. SIGTERM, SIGINT, SIGUSR1 and SIGHUP are taken by the
// reactor through a signalfd, which works only while no thread has them
// unblocked; main blocks them once, before the first thread starts, so every
// thread inherits the mask. SIGPIPE is ignored (sends use MSG_NOSIGNAL; this
// covers gSOAP's and OpenSSL's own writes). Child processes get the default
// state back (platform/hook.cpp).
#include <signal.h>

namespace onvif::platform {

// The signals the reactor reads from its signalfd.
sigset_t daemonSignals();

// Blocks daemonSignals() in the calling thread and ignores SIGPIPE. Call
// once from main before any thread exists.
void blockDaemonSignals();

}  // namespace onvif::platform
