#pragma once
// Worker threads that answer framed requests. Starts `min_threads` and keeps
// that many available for requests: a handler about to wait on something
// other than the CPU (a long-polling PullMessages, a hook command) opens a
// platform::BlockingRegion, and while it waits the pool may grow, up to `max_threads`,
// so a slow handler never blocks other clients while there is room. Busy
// threads that compute do not make it grow: more threads than cores only
// add context switches (under 16 keep-alive connections the old rule, "grow
// while the queue is longer than the idle threads", ran ~25 threads on 2
// cores).
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "platform/blocking_region.hpp"
#include "server/processor.hpp"

namespace onvif::server {

struct Connection;

class WorkerPool : private platform::BlockingObserver {
 public:
  using ProcessorFactory = std::function<std::unique_ptr<Processor>()>;
  using DoneFn = std::function<void(Connection*)>;

  WorkerPool(int min_threads, int max_threads, ProcessorFactory factory, DoneFn done);
  ~WorkerPool();  // stop() + join
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void submit(Connection* c);
  // Later responses say Connection: close.
  void setShuttingDown() { shutting_down_.store(true); }
  // Finishes the jobs in hand, hands queued ones back unprocessed, joins.
  void stop();
  int threadCount();
  int busyCount();

 private:
  // platform::BlockingObserver, installed on each worker thread: a worker
  // inside a platform::BlockingRegion does not count as available.
  void enterBlocking() override;
  void leaveBlocking() override;
  void run();
  void spawnLocked();
  // A queued request may need a new thread: none idle, and fewer than
  // min_threads not blocked.
  bool shouldGrowLocked() const;

  const int min_threads_;
  const int max_threads_;
  ProcessorFactory factory_;
  DoneFn done_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Connection*> queue_;
  std::vector<std::thread> threads_;
  int idle_ = 0;
  int busy_ = 0;
  int blocked_ = 0;  // workers inside a BlockingRegion
  bool stopping_ = false;
  std::atomic<bool> shutting_down_{false};
};

}  // namespace onvif::server
