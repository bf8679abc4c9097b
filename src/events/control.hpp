#pragma once
// The local control interface through which camera firmware (and tests)
// raise events: a Unix stream socket (mode 0660: file permissions are the
// access check), one command per connection, one line each way:
//   request:  arguments separated by TAB, ending in LF
//   answer:   "ok" or "error: <what is wrong>", LF
// Commands (also the `onvifd event ...` command line):
//   motion on|off                 tns1:VideoSource/MotionAlarm + CellMotionDetector/Motion
//   input TOKEN on|off            tns1:Device/Trigger/DigitalInput
//   relay TOKEN active|inactive   tns1:Device/Trigger/Relay
//   tamper KIND on|off|deleted [VIDEO_SOURCE]
//                                 tns1:VideoSource/KIND/ImagingService
//   raw TOPIC [property=initialized|changed|deleted] [source.N=V] [key.N=V] [data.N=V] ...
//   ping
//   watch [TOPIC_EXPRESSION]      keeps the connection: "ok", then every event published
//                                 (matching the ConcreteSet expression) as one
//                                 wsnt:NotificationMessage line, the live properties
//                                 first; for the camera's RTSP server (metadata
//                                 streams) and other local consumers
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/config.hpp"
#include "events/broker.hpp"
#include "events/event_sink.hpp"
#include "platform/unique_fd.hpp"

namespace onvif::events {

// Turns one command into the messages to publish; false with `error` set.
bool parseCommand(const std::vector<std::string>& args, const core::EventsConfig& config,
                  std::vector<EventMessage>* out, std::string* error);

class ControlSocket {
 public:
  ControlSocket(const core::EventsConfig& config, Broker* sink);
  ~ControlSocket();  // stops the thread, removes the socket file
  ControlSocket(const ControlSocket&) = delete;
  ControlSocket& operator=(const ControlSocket&) = delete;
  bool start(const std::string& path, std::string* error);

  // Another subsystem's command word (e.g. "ptz"): the handler gets the
  // whole command and answers ok (true) or explains (false, error).
  using Command = std::function<bool(const std::vector<std::string>& args, std::string* error)>;
  void addCommand(const std::string& word, Command handler);

 private:
  void run();
  void serveOne(platform::UniqueFd client);
  // Hands `client` to the broker as an event stream (taken only on success).
  bool startWatch(const std::vector<std::string>& args, platform::UniqueFd& client, std::string* error);

  core::EventsConfig config_;
  Broker* sink_;
  std::string path_;
  platform::UniqueFd listener_;
  platform::UniqueFd wake_;  // eventfd: stop
  std::thread thread_;
  std::mutex commands_mutex_;
  std::map<std::string, Command> commands_;
};

// `onvifd event [--config FILE] [--socket PATH] COMMAND...`: sends one
// command to a running daemon. Returns the process exit code.
int eventCommandMain(int argc, char** argv);

}  // namespace onvif::events
