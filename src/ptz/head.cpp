#include "ptz/head.hpp"

#include <algorithm>
#include <cmath>

namespace onvif::ptz {

Axis::Axis(double min, double max, double position) : min_(min), max_(max) {
  start_pos_ = clamp(position);
}

double Axis::clamp(double v) const {
  return std::min(max_, std::max(min_, v));
}

double Axis::position(double now) const {
  double elapsed = std::max(0.0, now - start_time_);
  switch (mode_) {
    case Mode::Idle: return start_pos_;
    case Mode::Velocity:
      return clamp(start_pos_ + velocity_ * std::min(elapsed, std::max(0.0, until_ - start_time_)));
    case Mode::Target: {
      double distance = target_ - start_pos_;
      double travelled = speed_ * elapsed;
      if (travelled >= std::fabs(distance)) return target_;
      return start_pos_ + (distance < 0 ? -travelled : travelled);
    }
  }
  return start_pos_;
}

bool Axis::moving(double now) const {
  switch (mode_) {
    case Mode::Idle: return false;
    case Mode::Velocity: {
      if (now >= until_ || velocity_ == 0) return false;
      double p = position(now);
      // A velocity towards a limit ends there (PTZ spec, ContinuousMove:
      // "move to a reachable position along the border of its range").
      return !((velocity_ > 0 && p >= max_) || (velocity_ < 0 && p <= min_));
    }
    case Mode::Target: return position(now) != target_;
  }
  return false;
}

double Axis::arrival() const {
  if (mode_ != Mode::Target) return start_time_;
  return start_time_ + std::fabs(target_ - start_pos_) / speed_;
}

double Head::arrival() const {
  return std::max({pan.arrival(), tilt.arrival(), zoom.arrival()});
}

void Axis::velocity(double now, double velocity, double until) {
  start_pos_ = position(now);
  start_time_ = now;
  mode_ = velocity == 0 ? Mode::Idle : Mode::Velocity;
  velocity_ = velocity;
  until_ = until;
}

void Axis::target(double now, double target, double speed) {
  start_pos_ = position(now);
  start_time_ = now;
  target_ = clamp(target);
  speed_ = speed > 0 ? speed : 1e-9;
  mode_ = target_ == start_pos_ ? Mode::Idle : Mode::Target;
}

void Axis::stop(double now) {
  start_pos_ = position(now);
  start_time_ = now;
  mode_ = Mode::Idle;
}

void Axis::set(double now, double position) {
  start_pos_ = clamp(position);
  start_time_ = now;
  mode_ = Mode::Idle;
}

}  // namespace onvif::ptz
