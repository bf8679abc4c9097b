#pragma once
// A simulated focus motor (Imaging spec "Focus operations"): the lens moves
// at a set speed towards a target, or continuously until Stop or the end of
// its range. Nothing runs in the background: the position is computed from
// the start time whenever someone asks, so the motor costs no thread.
#include <chrono>
#include <mutex>

namespace onvif::imaging {

struct FocusState {
  float position = 0;
  bool moving = false;
};

class FocusMotor {
 public:
  using Clock = std::chrono::steady_clock;
  FocusMotor(float min, float max, float position);

  // Speeds are positions per second, > 0; direction comes from the target
  // (absolute) or the sign (continuous). Targets are clamped to the range.
  void moveTo(float target, float speed, Clock::time_point now);
  void moveContinuous(float signed_speed, Clock::time_point now);
  void stop(Clock::time_point now);
  FocusState state(Clock::time_point now) const;

 private:
  float positionAt(Clock::time_point now) const;  // mutex_ held

  const float min_, max_;
  mutable std::mutex mutex_;
  float start_position_;
  float target_;
  float speed_ = 0;  // signed, positions per second; 0: at rest
  Clock::time_point start_;
};

}  // namespace onvif::imaging
