#include "platform/run_command.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "server/worker_pool.hpp"

namespace onvif::platform {
namespace {

void sleepMs(int ms) {
  timespec ts{ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {
  }
}

}  // namespace

CommandResult runCommand(const std::vector<std::string>& args, int timeout_ms) {
  CommandResult result;
  if (args.empty() || args[0].empty()) {
    result.problem = "no program";
    return result;
  }
  // Everything the child needs is prepared before fork: after fork in a
  // threaded process the child may only call async-signal-safe functions.
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) {
    result.problem = std::string("fork: ") + strerror(errno);
    return result;
  }
  if (pid == 0) {
    // Its own process group, so a timeout also kills what a hook script started.
    setpgid(0, 0);
    int devnull = open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      dup2(devnull, 0);
      dup2(devnull, 1);
      if (devnull > 2) close(devnull);
    }
    // Our sockets are all close-on-exec; stderr stays so hooks can log.
    execv(argv[0], argv.data());
    _exit(127);
  }
  // Poll for the exit in small steps; the loop is bounded by the timeout.
  // A hook may take seconds: the worker pool may start another thread.
  server::WorkerPool::BlockingRegion waiting;
  const int step_ms = 5;
  int waited = 0;
  int status = 0;
  for (;;) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) {
      result.problem = std::string("waitpid: ") + strerror(errno);
      return result;
    }
    if (waited >= timeout_ms) {
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);  // in case it had not reached setpgid yet
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      result.problem = "did not finish within " + std::to_string(timeout_ms) + " ms";
      return result;
    }
    sleepMs(step_ms);
    waited += step_ms;
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    result.ok = true;
  } else if (WIFEXITED(status)) {
    result.problem = WEXITSTATUS(status) == 127 ? "could not be run (exit 127)"
                                                : "exited with status " + std::to_string(WEXITSTATUS(status));
  } else {
    result.problem = "killed by signal " + std::to_string(WTERMSIG(status));
  }
  return result;
}

}  // namespace onvif::platform
