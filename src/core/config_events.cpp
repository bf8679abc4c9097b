#include <algorithm>

#include "core/config_fields.hpp"

namespace onvif::core {

namespace {

Setter loopbackPolicyField() {
  return [](Config& c, const std::string& v, std::string* problem) {
    if (v != "true" && v != "false" && v != "auto") {
      *problem = "expected true, false or auto";
      return false;
    }
    c.events.push_allow_loopback = v;
    return true;
  };
}

}  // namespace

// [events]: event service, push policy, control socket, simulator.
void addEventsFields(FieldTable& t) {
  auto E = &Config::events;
  t["events.max_pull_points"] = numberField(E, &EventsConfig::max_pull_points, 1, 1000);
  t["events.max_push_subscriptions"] = numberField(E, &EventsConfig::max_push_subscriptions, 0, 100);
  t["events.default_termination_s"] = numberField(E, &EventsConfig::default_termination_s, 10, 86400);
  t["events.max_termination_s"] = numberField(E, &EventsConfig::max_termination_s, 60, 86400 * 7);
  t["events.max_pull_timeout_s"] = numberField(E, &EventsConfig::max_pull_timeout_s, 60, 3600);
  t["events.max_message_limit"] = numberField(E, &EventsConfig::max_message_limit, 1, 10000);
  t["events.queue_limit"] = numberField(E, &EventsConfig::queue_limit, 1, 100000);
  t["events.push_allow_loopback"] = loopbackPolicyField();
  t["events.push_allow_link_local"] = boolField(E, &EventsConfig::push_allow_link_local);
  t["events.push_connect_timeout_ms"] = numberField(E, &EventsConfig::push_connect_timeout_ms, 100, 60000);
  t["events.push_io_timeout_ms"] = numberField(E, &EventsConfig::push_io_timeout_ms, 100, 60000);
  t["events.push_retries"] = numberField(E, &EventsConfig::push_retries, 0, 10);
  t["events.push_retry_backoff_ms"] = numberField(E, &EventsConfig::push_retry_backoff_ms, 10, 60000);
  t["events.push_tls_verify"] = boolField(E, &EventsConfig::push_tls_verify);
  t["events.push_tls_ca_file"] = textField(E, &EventsConfig::push_tls_ca_file, 4096);
  t["events.control_socket"] = textField(E, &EventsConfig::control_socket, 100);  // sun_path holds 107
  t["events.simulator_period_s"] = numberField(E, &EventsConfig::simulator_period_s, 0, 86400);
  t["events.video_source"] = textField(E, &EventsConfig::video_source, 64);
  t["events.video_source_configuration"] = textField(E, &EventsConfig::video_source_configuration, 64);
  t["events.analytics_configuration"] = textField(E, &EventsConfig::analytics_configuration, 64);
  t["events.motion_rule"] = textField(E, &EventsConfig::motion_rule, 64);
  t["events.digital_inputs"] = listField(E, &EventsConfig::digital_inputs, 32);
  t["events.relays"] = listField(E, &EventsConfig::relays, 32);
  t["events.extra_topics"] = [](Config& c, const std::string& v, std::string* problem) {
    if (!listField(&Config::events, &EventsConfig::extra_topics, 32)(c, v, problem)) return false;
    for (const auto& topic : c.events.extra_topics)
      if (topic.compare(0, 5, "tns1:") != 0 || topic.find("//") != std::string::npos || topic.back() == '/' ||
          topic.find_first_of(" <>&\"'") != std::string::npos) {
        *problem = "expected topics like tns1:Monitoring/ProcessorUsage (got '" + topic + "')";
        return false;
      }
    return true;
  };
  t["events.tampering"] = [](Config& c, const std::string& v, std::string* problem) {
    c.events.tampering_auto = v == "auto";
    if (c.events.tampering_auto) return c.events.tampering.clear(), true;
    if (!listField(&Config::events, &EventsConfig::tampering, 4)(c, v, problem)) return false;
    const auto& kinds = c.events.tampering;
    for (std::size_t i = 0; i < kinds.size(); ++i) {
      const std::string& kind = kinds[i];
      if (std::find(kinds.begin(), kinds.begin() + i, kind) != kinds.begin() + i) {
        *problem = "'" + kind + "' listed twice";
        return false;
      }
      if (kind != "ImageTooBlurry" && kind != "ImageTooDark" && kind != "ImageTooBright" &&
          kind != "GlobalSceneChange") {
        *problem =
            "expected auto or kinds out of ImageTooBlurry, ImageTooDark, ImageTooBright, GlobalSceneChange "
            "(got '" +
            kind + "')";
        return false;
      }
    }
    return true;
  };
  t["events.tampering_simulator_period_s"] = [](Config& c, const std::string& v, std::string* problem) {
    c.events.tampering_simulator_auto = v == "auto";
    if (c.events.tampering_simulator_auto) return c.events.tampering_simulator_period_s = 0, true;
    return numberField(&Config::events, &EventsConfig::tampering_simulator_period_s, 0, 86400)(c, v, problem);
  };
}

}  // namespace onvif::core
