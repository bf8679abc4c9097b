#include "server/worker_pool.hpp"

#include "core/log.hpp"
#include "server/connection.hpp"

namespace onvif::server {

WorkerPool::WorkerPool(int min_threads, int max_threads, ProcessorFactory factory, DoneFn done)
    : max_threads_(max_threads), factory_(std::move(factory)), done_(std::move(done)) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (int i = 0; i < min_threads; ++i) spawnLocked();
}

WorkerPool::~WorkerPool() { stop(); }

void WorkerPool::spawnLocked() {
  threads_.emplace_back([this] { run(); });
}

void WorkerPool::submit(Connection* c) {
  std::lock_guard<std::mutex> lock(mutex_);
  queue_.push_back(c);
  if (idle_ < static_cast<int>(queue_.size()) && static_cast<int>(threads_.size()) < max_threads_) spawnLocked();
  wake_.notify_one();
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
  std::unique_ptr<Processor> processor = factory_();
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
    processor->process(*c, shutting_down_.load());
    done_(c);
    lock.lock();
    --busy_;
  }
}

}  // namespace onvif::server
