#include "platform/unique_fd.hpp"

#include "platform/sys.hpp"

namespace onvif::platform {

int UniqueFd::reset(int fd) {
  int old = std::exchange(fd_, fd);
  return old >= 0 ? sys::ops().close(old) : 0;
}

}  // namespace onvif::platform
