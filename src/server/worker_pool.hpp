#pragma once
// Worker threads that answer framed requests. Starts `min_threads`, grows to
// `max_threads` while every thread is busy (a long-polling PullMessages holds
// one), so a slow handler never blocks other clients while there is room.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "server/processor.hpp"

namespace onvif::server {

struct Connection;

class WorkerPool {
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
  void run();
  void spawnLocked();

  const int max_threads_;
  ProcessorFactory factory_;
  DoneFn done_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Connection*> queue_;
  std::vector<std::thread> threads_;
  int idle_ = 0;
  int busy_ = 0;
  bool stopping_ = false;
  std::atomic<bool> shutting_down_{false};
};

}  // namespace onvif::server
