#include "io/io_model.hpp"

#include <algorithm>

#include "core/log.hpp"
#include "core/validate.hpp"
#include "events/sources.hpp"
#include "platform/run_command.hpp"

namespace onvif::io {
namespace {

using soap::ErrorKind;

// Keys the Device service used for relay settings in its own area before
// this model existed; read once so an upgraded device keeps them.
constexpr const char* kLegacyArea = "device";

template <typename T>
T* find(std::vector<T>& list, const std::string& token) {
  for (T& item : list)
    if (item.token == token) return &item;
  return nullptr;
}

// Core spec "Generic faults": env:Receiver ter:ActionNotSupported, the
// answer of every host operation a real device has no hook for.
Status refusal() {
  return Status::fail(ErrorKind::ActionNotSupported,
                      "This device has no hook for its relay outputs ([device] host = real)");
}

}  // namespace

bool runHook(const std::vector<std::string>& argv, int timeout_ms) {
  platform::CommandResult r = platform::runCommand(argv, timeout_ms);
  if (!r.ok) LOG_WARN("io: hook %s failed: %s", argv[0].c_str(), r.problem.c_str());
  return r.ok;
}

IoModel::IoModel(const core::Config& config, state::SettingsStore* store, HookRunner hook)
    : store_(store),
      hook_(std::move(hook)),
      hook_relay_(config.device.hook_relay),
      hook_input_(config.device.hook_digital_input),
      relays_refused_(config.device.refusedWithout(config.device.hook_relay)) {
  for (const std::string& t : config.device.relay_outputs) relays_.push_back(Relay{t, {}, false});
  for (const std::string& t : config.events.digital_inputs) inputs_.push_back(DigitalInput{t, false});
}

void IoModel::load() {
  if (!store_) return;
  state::Section area = store_->get(kSettingsArea);
  state::Section legacy = store_->get(kLegacyArea);
  std::lock_guard<std::mutex> lock(mutex_);
  for (Relay& r : relays_) {
    const state::Section& from = area.count("relay." + r.token + ".mode") ? area : legacy;
    const std::string k = (&from == &area ? "relay." : "relay_") + r.token;
    r.settings.monostable = state::getString(from, k + ".mode", "Bistable") == "Monostable";
    std::string delay = state::getString(from, k + ".delay", "PT0S");
    long long ms = 0;
    r.settings.delay = onvif::core::parseDuration(delay, &ms) ? delay : "PT0S";
    r.settings.idle_closed = state::getString(from, k + ".idle", "open") == "closed";
    const bool stored_active = state::getString(area, "relay." + r.token + ".state", "inactive") == "active";
    if (relays_refused_) {
      // Nothing drives the relay: its stored state is kept as it is.
      r.active = stored_active;
      continue;
    }
    // A Monostable relay would have returned to idle meanwhile; a Bistable
    // one "remains in this state" (Core spec "SetRelayOutputSettings"),
    // across a restart too, so it is driven there again.
    if (!r.settings.monostable && stored_active) {
      if (runRelayHookLocked(r, true))
        r.active = true;
      else
        LOG_WARN("io: relay %s stays inactive: its hook failed at start-up", r.token.c_str());
    }
  }
  for (DigitalInput& in : inputs_)
    in.idle_closed = state::getString(area, "input." + in.token + ".idle", "open") == "closed";
}

std::vector<Relay> IoModel::relays() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return relays_refused_ ? std::vector<Relay>{} : relays_;
}

std::vector<DigitalInput> IoModel::inputs() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return inputs_;
}

bool IoModel::hasRelay(const std::string& token) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return !relays_refused_ &&
         std::any_of(relays_.begin(), relays_.end(), [&](const Relay& r) { return r.token == token; });
}

bool IoModel::hasInput(const std::string& token) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::any_of(inputs_.begin(), inputs_.end(), [&](const DigitalInput& i) { return i.token == token; });
}

bool IoModel::persistLocked(const std::vector<Relay>& relays, const std::vector<DigitalInput>& inputs) {
  if (!store_) return true;
  state::Section s;
  for (const Relay& r : relays) {
    const std::string k = "relay." + r.token;
    s[k + ".mode"] = r.settings.monostable ? "Monostable" : "Bistable";
    s[k + ".delay"] = r.settings.delay;
    s[k + ".idle"] = r.settings.idle_closed ? "closed" : "open";
    s[k + ".state"] = r.active ? "active" : "inactive";
  }
  for (const DigitalInput& in : inputs) s["input." + in.token + ".idle"] = in.idle_closed ? "closed" : "open";
  std::string error;
  if (store_->put(kSettingsArea, s, &error)) return true;
  LOG_ERROR("io: cannot persist [%s]: %s", kSettingsArea, error.c_str());
  return false;
}

Status IoModel::setRelaySettings(const std::string& token, const RelaySettings& settings) {
  long long ms = 0;
  if (relays_refused_) return refusal();
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<Relay> next = relays_;
  Relay* r = find(next, token);
  if (!r) return Status::fail(ErrorKind::RelayToken);
  if (!onvif::core::parseDuration(settings.delay, &ms))
    return Status::fail(ErrorKind::ModeError, "DelayTime is not a duration of at most one day");
  r->settings = settings;
  if (!persistLocked(next, inputs_))
    return Status::fail(ErrorKind::ActionFailed, "The settings could not be stored");
  relays_ = std::move(next);
  return {};
}

void IoModel::setEvents(events::EventSink* events) {
  std::lock_guard<std::mutex> lock(mutex_);
  events_ = events;
  if (!events_ || relays_refused_) return;
  for (const Relay& r : relays_)
    if (r.active) events_->publish(events::relay(r.token, true, events::PropertyOperation::Changed));
}

bool IoModel::runRelayHookLocked(const Relay& r, bool active) {
  if (hook_relay_.empty()) return true;
  long long delay_ms = 0;
  onvif::core::parseDuration(r.settings.delay, &delay_ms);
  return hook_({hook_relay_, r.token, active ? "active" : "inactive",
                r.settings.monostable ? "Monostable" : "Bistable", std::to_string(delay_ms),
                r.settings.idle_closed ? "closed" : "open"});
}

void IoModel::applyLocked(Relay& r, bool active) {
  if (r.active == active) return;
  r.active = active;
  // The relay has switched: a store failure is logged, not answered as a
  // fault (which would claim it had not).
  persistLocked(relays_, inputs_);
  // DeviceIO spec "Relay Output Trigger": the Trigger event whenever the state changes.
  if (events_) events_->publish(events::relay(r.token, active, events::PropertyOperation::Changed));
}

Status IoModel::setRelayState(const std::string& token, bool active) {
  if (relays_refused_) return refusal();
  std::lock_guard<std::mutex> lock(mutex_);
  Relay* r = find(relays_, token);
  if (!r) return Status::fail(ErrorKind::RelayToken);
  if (!runRelayHookLocked(*r, active)) return Status::fail(ErrorKind::ActionFailed, "The relay hook failed");
  unsigned generation = ++generation_[token];
  applyLocked(*r, active);
  // Core spec "SetRelayOutputSettings": a Monostable relay "returns to its
  // idle state after the specified time" after the state is set; the time
  // counts from the latest set, and setting it inactive ends the wait.
  if (active && r->settings.monostable) {
    long long delay_ms = 0;
    onvif::core::parseDuration(r->settings.delay, &delay_ms);
    timer_.schedule(token, delay_ms, [this, token, generation] { returnToIdle(token, generation); });
  } else {
    timer_.cancel(token);
  }
  return {};
}

void IoModel::returnToIdle(const std::string& token, unsigned generation) {
  std::lock_guard<std::mutex> lock(mutex_);
  Relay* r = find(relays_, token);
  if (!r || generation_[token] != generation || !r->active) return;  // set again meanwhile
  if (!runRelayHookLocked(*r, false)) {
    LOG_WARN("io: Monostable relay %s stays active: its hook failed", token.c_str());
    return;
  }
  applyLocked(*r, false);
}

Status IoModel::setInputs(const std::vector<DigitalInput>& requested) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<DigitalInput> next = inputs_;
  for (const DigitalInput& in : requested) {
    DigitalInput* cur = find(next, in.token);
    if (!cur) return Status::fail(ErrorKind::NoConfig, ("Unknown digital input " + in.token).c_str());
    cur->idle_closed = in.idle_closed;
  }
  for (const DigitalInput& in : requested)
    if (!hook_input_.empty() && !hook_({hook_input_, in.token, in.idle_closed ? "closed" : "open"}))
      return Status::fail(ErrorKind::ActionFailed, "The digital input hook failed");
  if (!persistLocked(relays_, next))
    return Status::fail(ErrorKind::ActionFailed, "The settings could not be stored");
  inputs_ = std::move(next);
  return {};
}

}  // namespace onvif::io
