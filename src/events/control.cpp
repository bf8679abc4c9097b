#include "events/control.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "core/log.hpp"
#include "events/filter.hpp"
#include "events/sources.hpp"
#include "platform/sys.hpp"

namespace onvif::events {
namespace {

constexpr std::size_t kMaxLine = 4096;
constexpr std::size_t kMaxItems = 16;
constexpr int kIoTimeoutMs = 1000;

bool onOff(const std::string& s, bool* out) {
  if (s == "on" || s == "true" || s == "1") return *out = true, true;
  if (s == "off" || s == "false" || s == "0") return *out = false, true;
  return false;
}

bool known(const std::vector<std::string>& list, const std::string& token) {
  for (const auto& t : list)
    if (t == token) return true;
  return false;
}

bool sockaddrFor(const std::string& path, sockaddr_un* addr, std::string* error) {
  memset(addr, 0, sizeof *addr);
  addr->sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof addr->sun_path) {
    *error = "control socket path empty or too long: " + path;
    return false;
  }
  memcpy(addr->sun_path, path.c_str(), path.size());
  return true;
}

// Reads until LF within the deadline; false on timeout, EOF first, or overlong.
// What came after the LF goes to `rest` when given.
bool readLine(int fd, std::string* line, std::string* rest = nullptr) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kIoTimeoutMs);
  char buf[512];
  while (line->find('\n') == std::string::npos) {
    int left = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now())
            .count());
    if (left <= 0 || line->size() > kMaxLine) return false;
    pollfd p{fd, POLLIN, 0};
    int r = sys::ops().poll(&p, 1, left);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    ssize_t n = sys::ops().recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    line->append(buf, static_cast<std::size_t>(n));
  }
  const std::size_t lf = line->find('\n');
  if (rest) *rest = line->substr(lf + 1);
  line->resize(lf);
  return true;
}

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= line.size()) {
    std::size_t e = line.find(sep, pos);
    if (e == std::string::npos) e = line.size();
    out.push_back(line.substr(pos, e - pos));
    pos = e + 1;
  }
  return out;
}

// `watch`: what followed the "ok" line, then the stream, to stdout until the
// daemon closes it.
int copyStream(int fd, const std::string& rest) {
  if (!rest.empty() && fwrite(rest.data(), 1, rest.size(), stdout) != rest.size()) return 1;
  fflush(stdout);
  char buf[4096];
  for (;;) {
    ssize_t n = sys::ops().recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n == 0 ? 0 : 1;
    if (fwrite(buf, 1, static_cast<std::size_t>(n), stdout) != static_cast<std::size_t>(n)) return 1;
    fflush(stdout);
  }
}

}  // namespace

bool parseCommand(const std::vector<std::string>& args, const core::EventsConfig& config,
                  std::vector<EventMessage>* out, std::string* error) {
  out->clear();
  if (args.empty() || args[0].empty())
    return *error = "no command (motion, input, relay, tamper, raw, ping)", false;
  const std::string& cmd = args[0];
  bool state = false;
  if (cmd == "ping") return args.size() == 1 || (*error = "ping takes no arguments", false);
  if (cmd == "motion") {
    if (args.size() != 2 || !onOff(args[1], &state)) return *error = "usage: motion on|off", false;
    out->push_back(motionAlarm(config, state, PropertyOperation::Changed));
    out->push_back(cellMotion(config, state, PropertyOperation::Changed));
    return true;
  }
  if (cmd == "input") {
    if (args.size() != 3 || !onOff(args[2], &state)) return *error = "usage: input TOKEN on|off", false;
    if (!known(config.digital_inputs, args[1]))
      return *error = "unknown digital input '" + args[1] + "' (events.digital_inputs)", false;
    out->push_back(digitalInput(args[1], state, PropertyOperation::Changed));
    return true;
  }
  if (cmd == "relay") {
    if (args.size() != 3 || (args[2] != "active" && args[2] != "inactive"))
      return *error = "usage: relay TOKEN active|inactive", false;
    if (!known(config.relays, args[1]))
      return *error = "unknown relay '" + args[1] + "' (events.relays)", false;
    out->push_back(relay(args[1], args[2] == "active", PropertyOperation::Changed));
    return true;
  }
  if (cmd == "tamper") {
    // Deleted: the detector stopped (Core spec "Property Events"); a later
    // on/off creates the property again (the broker sends it as Initialized).
    const bool deleted = args.size() >= 3 && args[2] == "deleted";
    if (args.size() < 3 || args.size() > 4 || (!deleted && !onOff(args[2], &state)))
      return *error = "usage: tamper KIND on|off|deleted [VIDEO_SOURCE]", false;
    if (!known(config.tampering, args[1])) {
      std::string kinds;
      for (const auto& k : config.tampering) kinds += (kinds.empty() ? "" : ", ") + k;
      return *error = "unknown tampering kind '" + args[1] +
                      "' (events.tampering: " + (kinds.empty() ? std::string("none") : kinds) + ")",
             false;
    }
    const std::string& source = args.size() == 4 ? args[3] : config.video_source;
    if (source != config.video_source)
      return *error =
                 "unknown video source '" + source + "' (events.video_source: " + config.video_source + ")",
             false;
    out->push_back(tampering(args[1], source, !deleted && state,
                             deleted ? PropertyOperation::Deleted : PropertyOperation::Changed));
    if (deleted) out->back().data.clear();
    return true;
  }
  if (cmd == "raw") {
    if (args.size() < 2)
      return *error = "usage: raw TOPIC [property=OP] [source.N=V] [key.N=V] [data.N=V]...", false;
    EventMessage m;
    m.topic = args[1];
    if (m.topic.compare(0, 5, "tns1:") != 0 || topicSegments(m.topic).empty() || m.topic.size() > 256)
      return *error = "topic must look like tns1:Name/Name...", false;
    for (std::size_t i = 2; i < args.size(); ++i) {
      const std::string& a = args[i];
      std::size_t eq = a.find('=');
      if (eq == std::string::npos) return *error = "expected NAME=VALUE, got '" + a + "'", false;
      std::string name = a.substr(0, eq), value = a.substr(eq + 1);
      if (name == "property") {
        if (value == "initialized")
          m.operation = PropertyOperation::Initialized;
        else if (value == "changed")
          m.operation = PropertyOperation::Changed;
        else if (value == "deleted")
          m.operation = PropertyOperation::Deleted;
        else
          return *error = "property must be initialized, changed or deleted", false;
        continue;
      }
      std::size_t dot = name.find('.');
      std::string group = name.substr(0, dot), item = dot == std::string::npos ? "" : name.substr(dot + 1);
      std::vector<SimpleItem>* list = group == "source" ? &m.source
                                      : group == "key"  ? &m.key
                                      : group == "data" ? &m.data
                                                        : nullptr;
      if (!list || item.empty() || item.size() > 64 || value.size() > 256)
        return *error = "expected source.NAME=VALUE, key.NAME=VALUE or data.NAME=VALUE, got '" + a + "'",
               false;
      if (list->size() >= kMaxItems) return *error = "too many items", false;
      list->push_back({item, value});
    }
    out->push_back(std::move(m));
    return true;
  }
  *error = "unknown command '" + cmd + "' (motion, input, relay, tamper, raw, ping)";
  return false;
}

ControlSocket::ControlSocket(const core::EventsConfig& config, Broker* sink) : config_(config), sink_(sink) {}

ControlSocket::~ControlSocket() {
  if (thread_.joinable()) {
    uint64_t one = 1;
    if (sys::ops().write(wake_.get(), &one, sizeof one) < 0) LOG_WARN("events: control socket wake failed");
    thread_.join();
  }
  if (listener_) sys::ops().unlink(path_.c_str());
}

bool ControlSocket::start(const std::string& path, std::string* error) {
  sockaddr_un addr;
  if (!sockaddrFor(path, &addr, error)) return false;
  // A socket file left by a previous run is replaced; anything else is not ours.
  struct stat st;
  if (lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) {
      *error = "control socket path exists and is not a socket: " + path;
      return false;
    }
    sys::ops().unlink(path.c_str());
  }
  platform::UniqueFd fd(sys::ops().socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd) return *error = std::string("control socket: ") + strerror(errno), false;
  mode_t old = umask(0117);  // created 0660
  int rc = sys::ops().bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  umask(old);
  if (rc != 0 || sys::ops().listen(fd.get(), 16) != 0) {
    *error = "control socket " + path + ": " + strerror(errno);
    return false;
  }
  wake_.reset(sys::ops().eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!wake_) {
    sys::ops().unlink(path.c_str());
    return *error = std::string("eventfd: ") + strerror(errno), false;
  }
  path_ = path;
  listener_ = std::move(fd);
  thread_ = std::thread([this] { run(); });
  return true;
}

void ControlSocket::run() {
  for (;;) {
    pollfd fds[2] = {{listener_.get(), POLLIN, 0}, {wake_.get(), POLLIN, 0}};
    int r = sys::ops().poll(fds, 2, -1);
    if (r < 0 && errno != EINTR) return;
    if (fds[1].revents) return;
    if (!(fds[0].revents & POLLIN)) continue;
    platform::UniqueFd client(sys::ops().accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (client) serveOne(std::move(client));
  }
}

void ControlSocket::addCommand(const std::string& word, Command handler) {
  std::lock_guard<std::mutex> lock(commands_mutex_);
  commands_[word] = std::move(handler);
}

bool ControlSocket::startWatch(const std::vector<std::string>& args, platform::UniqueFd& client,
                               std::string* error) {
  if (args.size() > 2) return *error = "usage: watch [TOPIC_EXPRESSION]", false;
  SubscriptionFilter filter;
  if (args.size() == 2) {
    TopicFilter topics;
    if (topics.parse(kConcreteSetDialect, args[1]) != FilterError::None)
      return *error = "not a ConcreteSet topic expression: '" + args[1] + "'", false;
    filter.topics.push_back(std::move(topics));
  }
  switch (sink_->createStream(std::move(filter), std::move(client), "ok\n")) {
    case Broker::Status::Ok: return true;
    case Broker::Status::Full:
      return *error = "too many event streams (" + std::to_string(Broker::kMaxStreams) + ")", false;
    default: return *error = "shutting down", false;
  }
}

void ControlSocket::serveOne(platform::UniqueFd client) {
  const int fd = client.get();
  std::string line, error, reply = "ok\n";
  std::vector<EventMessage> messages;
  Command other;
  std::vector<std::string> args;
  const bool read = readLine(fd, &line);
  if (read) {
    args = split(line, '\t');
    std::lock_guard<std::mutex> lock(commands_mutex_);
    auto it = commands_.find(args[0]);
    if (it != commands_.end()) other = it->second;
  }
  if (!read) {
    reply = "error: expected one command line within 1 s, at most 4096 bytes\n";
  } else if (args[0] == "watch") {
    if (startWatch(args, client, &error)) return;  // the stream thread answers "ok"
    reply = "error: " + error + "\n";
  } else if (other) {
    if (!other(args, &error)) reply = "error: " + error + "\n";
  } else if (!parseCommand(args, config_, &messages, &error)) {
    reply = "error: " + error + "\n";
  } else {
    sink_->publishAll(messages);
  }
  // Best effort, bounded: a local client that does not read loses its answer.
  pollfd p{fd, POLLOUT, 0};
  if (sys::ops().poll(&p, 1, kIoTimeoutMs) > 0 &&
      sys::ops().send(fd, reply.data(), reply.size(), MSG_NOSIGNAL) < 0)
    LOG_DEBUG("events: control reply not sent: %s", strerror(errno));
}

int eventCommandMain(int argc, char** argv) {
  // argv[0] is "event".
  std::string configPath, socketPath;
  int i = 1;
  for (; i < argc; ++i) {
    std::string a = argv[i];
    if ((a == "--config" || a == "-c") && i + 1 < argc)
      configPath = argv[++i];
    else if (a == "--socket" && i + 1 < argc)
      socketPath = argv[++i];
    else if (a == "--help" || a == "-h") {
      printf(
          "usage: onvifd event [--config FILE | --socket PATH] COMMAND\n"
          "  motion on|off\n  input TOKEN on|off\n  relay TOKEN active|inactive\n"
          "  tamper ImageTooBlurry|ImageTooDark|ImageTooBright|GlobalSceneChange on|off|deleted "
          "[VIDEO_SOURCE]\n"
          "  raw TOPIC [property=initialized|changed|deleted] [source.N=V] [key.N=V] [data.N=V]...\n"
          "  ping\n  watch [TOPIC_EXPRESSION]   print every event as it is published, one per line\n");
      return 0;
    } else
      break;
  }
  if (i >= argc) {
    fprintf(stderr, "onvifd event: no command (try --help)\n");
    return 2;
  }
  if (socketPath.empty()) {
    core::Config config;
    std::string error;
    if (!core::loadConfig(configPath, &config, &error)) {
      fprintf(stderr, "onvifd event: configuration error: %s\n", error.c_str());
      return 2;
    }
    socketPath = config.events.control_socket;
    if (socketPath.empty()) {
      fprintf(stderr, "onvifd event: no events.control_socket configured\n");
      return 2;
    }
  }
  std::string line;
  for (int k = i; k < argc; ++k) {
    if (k > i) line += '\t';
    line += argv[k];
  }
  line += '\n';
  sockaddr_un addr;
  std::string error;
  if (!sockaddrFor(socketPath, &addr, &error)) {
    fprintf(stderr, "onvifd event: %s\n", error.c_str());
    return 2;
  }
  platform::UniqueFd fd(sys::ops().socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd || sys::ops().connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    fprintf(stderr, "onvifd event: cannot connect to %s: %s\n", socketPath.c_str(), strerror(errno));
    return 1;
  }
  if (sys::ops().send(fd.get(), line.data(), line.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(line.size())) {
    fprintf(stderr, "onvifd event: send failed: %s\n", strerror(errno));
    return 1;
  }
  std::string reply, rest;
  if (!readLine(fd.get(), &reply, &rest)) {
    fprintf(stderr, "onvifd event: no answer from the daemon\n");
    return 1;
  }
  if (reply == "ok" && std::string(argv[i]) == "watch") return copyStream(fd.get(), rest);
  if (reply == "ok") return 0;
  fprintf(stderr, "onvifd event: %s\n", reply.c_str());
  return 1;
}

}  // namespace onvif::events
