#pragma once
// The device's relay outputs and digital inputs, free of gSOAP types: one
// model for the Device service's relay operations (Core spec "IO") and the
// DeviceIO service (DeviceIO spec "Relay Outputs", "Digital Inputs"), so
// both show the same state. Tokens come from the configuration ([device]
// relay_outputs, [events] digital_inputs); what clients set is kept in the
// settings area "io". A relay change runs [device] hook_relay, a digital
// input change [device] hook_digital_input; a failing hook changes nothing.
// Relay state changes are published as tns1:Device/Trigger/Relay. A
// Monostable relay set active returns to inactive after its DelayTime by
// itself (Core spec and DeviceIO spec "SetRelayOutputSettings"), through
// the same hook and with the same event; one timer serves all relays.
// The logical state is kept in the settings area too: a Bistable relay is
// set again at start-up, a Monostable one starts idle.
// A real device ([device] host = real) without hook_relay cannot switch its
// relays: it lists none (so the capabilities count none), refuses
// SetRelayOutputState and SetRelayOutputSettings with ter:ActionNotSupported
// whatever the token, and leaves what is stored untouched. A simulated one
// without the hook records the state (the virtual camera's relays).
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "events/event_sink.hpp"
#include "platform/timer.hpp"
#include "soap/faults.hpp"
#include "state/settings_store.hpp"

namespace onvif::io {

constexpr const char* kSettingsArea = "io";

struct RelaySettings {
  bool monostable = false;
  std::string delay = "PT0S";  // xs:duration, at most a day
  bool idle_closed = false;
  bool operator==(const RelaySettings& o) const {
    return monostable == o.monostable && delay == o.delay && idle_closed == o.idle_closed;
  }
};

struct Relay {
  std::string token;
  RelaySettings settings;
  bool active = false;  // last logical state set
};

struct DigitalInput {
  std::string token;
  bool idle_closed = false;  // tt:DigitalIdleState
};

struct Status {
  bool ok = true;
  soap::ErrorKind kind = soap::ErrorKind::ActionFailed;
  std::string detail;
  static Status fail(soap::ErrorKind k, std::string d = {}) { return {false, k, std::move(d)}; }
};

// Runs a hook (argv[0] = the program); false when it failed. Replaceable in unit tests.
using HookRunner = std::function<bool(const std::vector<std::string>& argv)>;
bool runHook(const std::vector<std::string>& argv, int timeout_ms);

class IoModel {
 public:
  IoModel(const core::Config& config, state::SettingsStore* store, HookRunner hook);

  // Stored settings (and those the device area kept before) over the
  // defaults; a Bistable relay stored active is set active again (hook;
  // not when the relays are refused).
  void load();
  // Also publishes the restored active relays, so subscribers see them.
  void setEvents(events::EventSink* events);
  // Cancels pending Monostable returns and joins the timer; call before
  // the event sink goes away.
  void stop() { timer_.stop(); }

  // The relays clients can switch: none when they are refused.
  std::vector<Relay> relays() const;
  std::vector<DigitalInput> inputs() const;
  bool hasRelay(const std::string& token) const;
  bool hasInput(const std::string& token) const;

  // Unknown token -> ter:RelayToken; a delay that is no duration of at most
  // a day -> ter:ModeError (DeviceIO spec "SetRelayOutputSettings").
  Status setRelaySettings(const std::string& token, const RelaySettings& settings);
  // Hook argv: hook_relay TOKEN active|inactive MODE DELAY_MS IDLE.
  // Monostable and active: the return to inactive is (re)scheduled
  // DelayTime from now; any other state set cancels a pending return.
  Status setRelayState(const std::string& token, bool active);
  // All or none (DeviceIO spec "SetDigitalInputConfigurations"): an unknown
  // token -> ter:NoConfig, and nothing changes.
  Status setInputs(const std::vector<DigitalInput>& inputs);

 private:
  bool persistLocked(const std::vector<Relay>& relays, const std::vector<DigitalInput>& inputs);
  bool runRelayHookLocked(const Relay& r, bool active);
  void applyLocked(Relay& r, bool active);  // state, persisted, event when changed
  void returnToIdle(const std::string& token, unsigned generation);

  state::SettingsStore* store_;
  HookRunner hook_;
  std::string hook_relay_, hook_input_;
  const bool relays_refused_;  // a real device without hook_relay
  events::EventSink* events_ = nullptr;
  mutable std::mutex mutex_;  // held across hooks: changes are serialised
  std::vector<Relay> relays_;
  std::vector<DigitalInput> inputs_;
  std::map<std::string, unsigned> generation_;  // per relay: a newer state set voids a due return
  platform::Timer timer_;                       // last: stopped and joined before the rest goes
};

}  // namespace onvif::io
