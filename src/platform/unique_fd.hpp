#pragma once
// Move-only owner of a file descriptor. reset() is idempotent: the fd is
// closed exactly once and the holder then reads as invalid (-1), so a second
// close is harmless by construction. Closing goes through the sys layer.
#include <utility>

namespace onvif::platform {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  explicit operator bool() const { return valid(); }

  // Gives up ownership without closing.
  int release() { return std::exchange(fd_, -1); }
  // Closes the current fd (if any) and takes `fd`. Returns close()'s result
  // (0 when nothing was open); the fd is released even if close fails,
  // because retrying close on Linux may close an fd reused by another thread.
  int reset(int fd = -1);

 private:
  int fd_ = -1;
};

}  // namespace onvif::platform
