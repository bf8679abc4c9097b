#include "platform/blocking_region.hpp"

namespace onvif::platform {
namespace {
thread_local BlockingObserver* tlObserver = nullptr;
}  // namespace

void setThreadBlockingObserver(BlockingObserver* observer) {
  tlObserver = observer;
}

BlockingRegion::BlockingRegion() : observer_(tlObserver) {
  if (observer_) observer_->enterBlocking();
}

BlockingRegion::~BlockingRegion() {
  if (observer_) observer_->leaveBlocking();
}

}  // namespace onvif::platform
