#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "platform/signals.hpp"

int main(int argc, char** argv) {
  // As onvifd's main does before any thread starts: servers and hooks under
  // test run in this process and must see the daemon's signal state.
  onvif::platform::blockDaemonSignals();
  doctest::Context context(argc, argv);
  return context.run();
}
