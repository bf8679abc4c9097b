#include "platform/hook.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>

#include "platform/blocking_region.hpp"
#include "platform/unique_fd.hpp"

namespace onvif::platform {
namespace {

// What the child needs, prepared before fork: after fork in a threaded
// process only async-signal-safe calls are allowed, so no allocation there.
struct ExecArgs {
  std::vector<std::string> storage;
  std::vector<char*> argv;
  explicit ExecArgs(const std::vector<std::string>& args) : storage(args) {
    for (std::string& s : storage) argv.push_back(&s[0]);
    argv.push_back(nullptr);
  }
};

void closeFrom(int lowest) {
#ifdef SYS_close_range
  if (syscall(SYS_close_range, static_cast<unsigned>(lowest), ~0U, 0) == 0) return;
#endif
  long max = sysconf(_SC_OPEN_MAX);
  if (max < 0 || max > 65536) max = 65536;
  for (int fd = lowest; fd < max; ++fd) close(fd);
}

// In the child: stdin /dev/null, stdout/stderr to out_fd (or /dev/null;
// stderr kept as it is with keep_stderr), nothing else open, default signal
// handling, own process group.
[[noreturn]] void execChild(const ExecArgs& args, int out_fd, int delay_ms, bool keep_stderr = false) {
  setpgid(0, 0);
  int null_fd = open("/dev/null", O_RDWR);
  if (null_fd < 0) _exit(126);
  dup2(null_fd, 0);
  dup2(out_fd >= 0 ? out_fd : null_fd, 1);
  if (!keep_stderr) dup2(out_fd >= 0 ? out_fd : null_fd, 2);
  closeFrom(3);
  // The daemon blocks its signals and ignores SIGPIPE (platform/signals.hpp);
  // both would survive execv. Handlers are reset by execv, ignored signals
  // are not, so every disposition goes back to the default.
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  // Fails harmlessly for KILL/STOP, and for glibc's own 32 and 33, which its
  // sigaction refuses: those stay as the daemon's parent left them (GNU make
  // ignores them for its children); no program uses them.
  for (int sig = 1; sig < NSIG; ++sig) sigaction(sig, &dfl, nullptr);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  if (delay_ms > 0) {
    timespec ts{delay_ms / 1000, (delay_ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
  }
  execv(args.argv[0], args.argv.data());
  _exit(127);
}

bool validArgv(const std::vector<std::string>& argv, std::string* error) {
  if (argv.empty() || argv[0].empty() || argv[0][0] != '/') {
    *error = "hook path must be absolute";
    return false;
  }
  for (const std::string& a : argv) {
    if (a.find('\0') != std::string::npos) {
      *error = "hook argument contains NUL";
      return false;
    }
  }
  if (access(argv[0].c_str(), X_OK) != 0) {
    *error = argv[0] + ": " + strerror(errno);
    return false;
  }
  return true;
}

pid_t waitChild(pid_t pid, int* status, int options) {
  pid_t r;
  do {
    r = waitpid(pid, status, options);
  } while (r < 0 && errno == EINTR);
  return r;
}

}  // namespace

HookResult runHook(const std::vector<std::string>& argv, int timeout_ms) {
  return runHook(argv, timeout_ms, HookOptions());
}

HookResult runHook(const std::vector<std::string>& argv, int timeout_ms, const HookOptions& options) {
  HookResult result;
  if (!validArgv(argv, &result.error)) return result;
  ExecArgs args(argv);
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    result.error = std::string("pipe: ") + strerror(errno);
    return result;
  }
  UniqueFd read_end(pipe_fds[0]);
  UniqueFd write_end(pipe_fds[1]);
  pid_t pid = fork();
  if (pid < 0) {
    result.error = std::string("fork: ") + strerror(errno);
    return result;
  }
  if (pid == 0) execChild(args, write_end.get(), 0, options.stdout_only);
  setpgid(pid, pid);  // also here, so the kill below cannot race the child's own call
  write_end.reset();
  // A device hook may take seconds: the worker pool may start another thread.
  platform::BlockingRegion waiting;

  // Read output until EOF or the deadline; then reap.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  char buf[16384];
  for (;;) {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      break;
    }
    pollfd p{read_end.get(), POLLIN, 0};
    int n = poll(&p, 1, static_cast<int>(left.count()));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) continue;  // timeout: loop re-checks the deadline
    ssize_t got = read(read_end.get(), buf, sizeof buf);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;  // EOF: the hook (and anything it started) closed its output
    const std::size_t len = static_cast<std::size_t>(got);
    if (options.stdout_only && result.output.size() + len > options.max_output) {
      result.output_truncated = true;
      break;
    }
    if (result.output.size() < options.max_output)
      result.output.append(buf, std::min(len, options.max_output - result.output.size()));
  }
  int status = 0;
  if (result.output_truncated) {
    kill(-pid, SIGKILL);
    waitChild(pid, &status, 0);
    result.output.clear();
    result.error = "output larger than " + std::to_string(options.max_output) + " bytes";
    return result;
  }
  if (result.timed_out) {
    kill(-pid, SIGKILL);
    waitChild(pid, &status, 0);
    result.error = "did not finish within " + std::to_string(timeout_ms) + " ms";
    return result;
  }
  // Output closed; the process should be exiting. Bound the wait as well.
  for (;;) {
    pid_t r = waitChild(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0) {
      result.error = std::string("waitpid: ") + strerror(errno);
      return result;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      kill(-pid, SIGKILL);
      waitChild(pid, &status, 0);
      result.timed_out = true;
      result.error = "did not finish within " + std::to_string(timeout_ms) + " ms";
      return result;
    }
    timespec ts{0, 10 * 1000000L};
    nanosleep(&ts, nullptr);
  }
  if (WIFEXITED(status)) {
    result.exit_status = WEXITSTATUS(status);
    result.ok = result.exit_status == 0;
    if (result.exit_status == 127)
      result.error = "could not execute " + argv[0];
    else if (!result.ok)
      result.error = "hook exited with status " + std::to_string(result.exit_status);
  } else {
    result.error = "hook killed by signal " + std::to_string(WTERMSIG(status));
  }
  return result;
}

bool spawnHookDetached(const std::vector<std::string>& argv, int delay_ms, std::string* error) {
  if (!validArgv(argv, error)) return false;
  ExecArgs args(argv);
  pid_t pid = fork();
  if (pid < 0) {
    *error = std::string("fork: ") + strerror(errno);
    return false;
  }
  if (pid == 0) {
    pid_t grandchild = fork();
    if (grandchild == 0) execChild(args, -1, delay_ms);
    _exit(grandchild < 0 ? 1 : 0);
  }
  int status = 0;
  waitChild(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    *error = "could not start the hook";
    return false;
  }
  return true;
}

}  // namespace onvif::platform
