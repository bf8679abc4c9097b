#include "server/worker_pool.hpp"

#include "core/log.hpp"
#include "server/connection.hpp"

namespace onvif::server {

WorkerPool::WorkerPool(int min_threads, int max_threads, ProcessorFactory factory, DoneFn done)
    : min_threads_(min_threads),
      max_threads_(max_threads),
      factory_(std::move(factory)),
      done_(std::move(done)) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (int i = 0; i < min_threads; ++i) spawnLocked();
}

WorkerPool::~WorkerPool() {
  stop();
}

void WorkerPool::spawnLocked() {
  threads_.emplace_back([this] { run(); });
}

void WorkerPool::submit(Connection* c) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(c);
    if (shouldGrowLocked()) spawnLocked();
  }
  // Outside the lock: a worker woken while the reactor still held it would
  // only block on the mutex again (one more futex round trip per request).
  wake_.notify_one();
}

bool WorkerPool::shouldGrowLocked() const {
  const int threads = static_cast<int>(threads_.size());
  return !stopping_ && !queue_.empty() && idle_ < static_cast<int>(queue_.size()) &&
         threads - blocked_ < min_threads_ && threads < max_threads_;
}

void WorkerPool::enterBlocking() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++blocked_;
  if (shouldGrowLocked()) spawnLocked();
}

void WorkerPool::leaveBlocking() {
  std::lock_guard<std::mutex> lock(mutex_);
  --blocked_;
}

void WorkerPool::stop() {
  std::vector<std::thread> threads;
  std::deque<Connection*> unprocessed;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    threads.swap(threads_);
    unprocessed.swap(queue_);
  }
  wake_.notify_all();
  for (auto& t : threads) t.join();
  for (Connection* c : unprocessed) {
    c->close_after = true;
    done_(c);
  }
}

int WorkerPool::threadCount() {
  std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<int>(threads_.size());
}

int WorkerPool::busyCount() {
  std::lock_guard<std::mutex> lock(mutex_);
  return busy_;
}

void WorkerPool::run() {
  platform::setThreadBlockingObserver(this);
  // Made on the first request, not at start: a processor holds a gSOAP
  // context (~165 kB, a third of it touched by soap_init), and an idle
  // camera's pool should cost only its threads (idle RSS).
  std::unique_ptr<Processor> processor;
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    ++idle_;
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    --idle_;
    if (stopping_) return;
    Connection* c = queue_.front();
    queue_.pop_front();
    ++busy_;
    lock.unlock();
    if (!processor) processor = factory_();
    processor->process(*c, shutting_down_.load());
    done_(c);
    lock.lock();
    --busy_;
  }
}

}  // namespace onvif::server
