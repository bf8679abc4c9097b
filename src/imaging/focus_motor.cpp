#include "imaging/focus_motor.hpp"

#include <algorithm>
#include <cmath>

namespace onvif::imaging {

FocusMotor::FocusMotor(float min, float max, float position)
    : min_(min), max_(max), start_position_(std::clamp(position, min, max)), target_(start_position_) {}

float FocusMotor::positionAt(Clock::time_point now) const {
  if (speed_ == 0) return start_position_;
  double elapsed = std::chrono::duration<double>(now - start_).count();
  double p = start_position_ + speed_ * elapsed;
  // The motor stops at its target (which lies within the range).
  return static_cast<float>(speed_ > 0 ? std::min<double>(p, target_) : std::max<double>(p, target_));
}

void FocusMotor::moveTo(float target, float speed, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mutex_);
  start_position_ = positionAt(now);
  start_ = now;
  target_ = std::clamp(target, min_, max_);
  if (target_ == start_position_ || speed <= 0) {
    speed_ = 0;
    return;
  }
  speed_ = target_ > start_position_ ? std::fabs(speed) : -std::fabs(speed);
}

void FocusMotor::moveContinuous(float signed_speed, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mutex_);
  start_position_ = positionAt(now);
  start_ = now;
  speed_ = signed_speed;
  target_ = signed_speed > 0 ? max_ : signed_speed < 0 ? min_ : start_position_;
  if (target_ == start_position_) speed_ = 0;
}

void FocusMotor::stop(Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mutex_);
  start_position_ = positionAt(now);
  target_ = start_position_;
  speed_ = 0;
}

FocusState FocusMotor::state(Clock::time_point now) const {
  std::lock_guard<std::mutex> lock(mutex_);
  FocusState s;
  s.position = positionAt(now);
  s.moving = speed_ != 0 && s.position != target_;
  return s;
}

}  // namespace onvif::imaging
