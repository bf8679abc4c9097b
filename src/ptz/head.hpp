#pragma once
// The kinematics of a PTZ head, computed lazily from timestamps: no thread
// moves it. Each axis (pan, tilt, zoom) is at a position that follows its
// last command: a velocity (until a deadline or a limit) or a target
// (reached at a speed). Positions are in the generic spaces: pan and tilt
// -1..1, zoom 0..1; speeds in generic units per second. Time is seconds on
// any monotonic clock the caller chooses (tests pass their own).
namespace onvif::ptz {

class Axis {
 public:
  Axis(double min, double max, double position);

  double position(double now) const;
  bool moving(double now) const;
  // When a target move arrives (the last command's time otherwise).
  double arrival() const;
  double min() const { return min_; }
  double max() const { return max_; }

  // Each command starts from where the axis is at `now`.
  // Moves at `velocity` units/s until `until` (a time) or a limit.
  void velocity(double now, double velocity, double until);
  // Moves towards `target` (clamped to the limits) at `speed` units/s (> 0).
  void target(double now, double target, double speed);
  void stop(double now);
  // Jumps (a position reported by firmware).
  void set(double now, double position);

 private:
  enum class Mode { Idle, Velocity, Target };
  double clamp(double v) const;
  double min_, max_;
  Mode mode_ = Mode::Idle;
  double start_pos_;
  double start_time_ = 0;
  double velocity_ = 0;  // Velocity
  double until_ = 0;     // Velocity: end time
  double target_ = 0;    // Target
  double speed_ = 0;     // Target
};

struct HeadPosition {
  double pan = 0, tilt = 0, zoom = 0;
};

struct Head {
  Axis pan{-1, 1, 0};
  Axis tilt{-1, 1, 0};
  Axis zoom{0, 1, 0};

  HeadPosition position(double now) const {
    return {pan.position(now), tilt.position(now), zoom.position(now)};
  }
  bool panTiltMoving(double now) const { return pan.moving(now) || tilt.moving(now); }
  bool zoomMoving(double now) const { return zoom.moving(now); }
  double arrival() const;
};

}  // namespace onvif::ptz
