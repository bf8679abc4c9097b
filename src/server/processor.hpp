#pragma once
// What a worker thread does with a connection whose buffer holds at least one
// complete request: answer it. One Processor per worker thread (each owns its
// own gSOAP context), so processors need no locking.
#include <memory>

namespace onvif::server {

struct Connection;

class Processor {
 public:
  virtual ~Processor() = default;
  // Answers the first framed request in c.buffer, consumes it, and sets
  // c.close_after when the connection must close after this response.
  virtual void process(Connection& c, bool shutting_down) = 0;
};

}  // namespace onvif::server
