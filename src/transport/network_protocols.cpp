#include "transport/network_protocols.hpp"

#include <cstdlib>

#include "state/settings_store.hpp"

namespace onvif::transport {
namespace {

bool isTls(const std::string& name) {
  return name == "HTTPS";
}

int parsePort(const std::string& text, int fallback) {
  char* end = nullptr;
  long n = strtol(text.c_str(), &end, 10);
  return !text.empty() && *end == '\0' && n >= 0 && n <= 65535 ? static_cast<int>(n) : fallback;
}

}  // namespace

NetworkProtocols::NetworkProtocols(state::SettingsStore* settings, Apply apply, LivePort live)
    : settings_(settings), apply_(std::move(apply)), live_(std::move(live)) {}

std::vector<Protocol> NetworkProtocols::get() const {
  std::vector<Protocol> out;
  for (bool tls : {false, true}) {
    Protocol p;
    p.name = tls ? "HTTPS" : "HTTP";
    int port = live_(tls);
    p.enabled = port >= 0;
    if (p.enabled) p.ports.push_back(port);
    out.push_back(p);
  }
  return out;
}

NetworkProtocols::Result NetworkProtocols::set(const std::vector<Protocol>& wanted, std::string* error) {
  std::lock_guard<std::mutex> lock(mutex_);
  // 1. Validate all of it.
  for (const Protocol& p : wanted) {
    if (p.name != "HTTP" && p.name != "HTTPS") {
      *error = "protocol " + p.name + " is not configurable here";
      return Result::UnknownProtocol;
    }
    if (p.enabled && (p.ports.size() != 1 || p.ports[0] < 1 || p.ports[0] > 65535)) {
      *error = p.name + ": exactly one port from 1 to 65535";
      return Result::InvalidPort;
    }
  }
  bool httpOn = live_(false) >= 0, httpsOn = live_(true) >= 0;
  for (const Protocol& p : wanted) (isTls(p.name) ? httpsOn : httpOn) = p.enabled;
  if (!httpOn && !httpsOn) {
    *error = "at least one of HTTP and HTTPS must stay enabled";
    return Result::CannotApply;
  }
  // 2. Apply; undo what was switched if a later step fails. Enabling goes
  // first so the device is never left without a listener.
  std::vector<Protocol> order;
  for (const Protocol& p : wanted)
    if (p.enabled) order.push_back(p);
  for (const Protocol& p : wanted)
    if (!p.enabled) order.push_back(p);
  std::vector<Protocol> undo;
  auto rollBack = [&] {
    for (auto it = undo.rbegin(); it != undo.rend(); ++it) {
      std::string ignored;
      apply_(isTls(it->name), it->enabled, it->enabled ? it->ports[0] : 0, &ignored);
    }
    return Result::CannotApply;
  };
  for (const Protocol& p : order) {
    const bool tls = isTls(p.name);
    const int before = live_(tls);
    if (!apply_(tls, p.enabled, p.enabled ? p.ports[0] : 0, error)) return rollBack();
    Protocol previous{p.name, before >= 0, {}};
    if (before >= 0) previous.ports.push_back(before);
    undo.push_back(previous);
  }
  // 3. Persist what is now live.
  state::Section stored = settings_ ? settings_->get(kArea) : state::Section{};
  for (const Protocol& p : get()) {
    const std::string key = isTls(p.name) ? "https" : "http";
    stored[key] = p.enabled ? "true" : "false";
    if (p.enabled) stored[key + "_port"] = std::to_string(p.ports[0]);
  }
  if (settings_ && !settings_->put(kArea, stored, error)) return rollBack();
  return Result::Ok;
}

void NetworkProtocols::applyStored(const state::SettingsStore& settings, core::Config* config,
                                   bool keep_http_port) {
  if (!settings.has(kArea)) return;
  state::Section s = settings.get(kArea);
  auto flag = [&](const char* key, bool* value) {
    auto it = s.find(key);
    if (it != s.end()) *value = it->second == "true";
  };
  flag("http", &config->transport.http_enabled);
  flag("https", &config->transport.https_enabled);
  if (s.count("http_port") && !keep_http_port)
    config->server.port = parsePort(s["http_port"], config->server.port);
  if (s.count("https_port"))
    config->transport.https_port = parsePort(s["https_port"], config->transport.https_port);
}

}  // namespace onvif::transport
