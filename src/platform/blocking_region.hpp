#pragma once
// A thread about to wait on something other than the CPU (a child process, a
// long poll, a deliberate delay) opens a BlockingRegion for the wait. Whoever
// runs the thread may be told (the server's worker pool then counts the
// thread as unavailable and may start another, so a slow handler never
// blocks other clients). Lives here, below the server, so that platform code
// (hooks, child processes) and every subsystem can say "I wait" without
// knowing who listens.
namespace onvif::platform {

// Told when a thread it was installed on enters and leaves a region.
class BlockingObserver {
 public:
  virtual ~BlockingObserver() = default;
  virtual void enterBlocking() = 0;
  virtual void leaveBlocking() = 0;
};

// Installs `observer` for the calling thread (nullptr: none). The worker
// pool does this on each of its threads.
void setThreadBlockingObserver(BlockingObserver* observer);

// While one exists on a thread with an observer, that thread counts as
// waiting. Harmless on any other thread.
class BlockingRegion {
 public:
  BlockingRegion();
  ~BlockingRegion();
  BlockingRegion(const BlockingRegion&) = delete;
  BlockingRegion& operator=(const BlockingRegion&) = delete;

 private:
  BlockingObserver* observer_;
};

}  // namespace onvif::platform
