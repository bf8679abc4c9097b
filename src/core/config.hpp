#pragma once
// The daemon's configuration: what the camera is and how the server behaves.
// Loaded from the embedded default (default_config.cpp), then from a file
// that overrides any key. Format: INI-style `[section]` and `key = value`
// lines, `#` comments. Unknown sections or keys are errors, so a typo cannot
// silently leave a default in place.
#include <cstdint>
#include <string>

namespace onvif::core {

struct ServerConfig {
  std::string bind = "127.0.0.1";
  int port = 8080;
  int max_connections = 512;
  int64_t max_request_bytes = 1 << 20;
  int header_timeout_ms = 5000;
  int body_timeout_ms = 10000;
  int send_timeout_ms = 10000;
  int keepalive_timeout_s = 10;
  int keepalive_max_requests = 100;
  int workers = 4;       // worker threads always running
  int max_workers = 32;  // grows to this under load (long polls hold one)
  int shutdown_grace_ms = 1500;
};

struct DeviceConfig {
  std::string manufacturer;
  std::string model;
  std::string firmware_version;
  std::string serial_number;
  std::string hardware_id;
};

// Each area below is owned by one subsystem; its keys are declared in
// config_<area>.cpp and documented in default_config.cpp.

// Users, authentication, access policy (device & security issue).
struct SecurityConfig {
};

// Where client-set settings are persisted (device & security issue).
struct StateConfig {
  std::string path = "onvifd-state.ini";  // relative to the working directory
};

// Camera description: sources, encoders, profiles, URIs (media issue).
struct MediaConfig {
};

// Event service, push policy, local control socket, simulator (events issue).
struct EventsConfig {
};

// WS-Discovery (discovery issue).
struct DiscoveryConfig {
};

// HTTPS, compression, IPv6 (transport issue).
struct TransportConfig {
};

struct Config {
  ServerConfig server;
  DeviceConfig device;
  SecurityConfig security;
  StateConfig state;
  MediaConfig media;
  EventsConfig events;
  DiscoveryConfig discovery;
  TransportConfig transport;
};

// The embedded default configuration text (a virtual camera on loopback).
const char* defaultConfigText();

// Parses `text` on top of `config`. On error returns false and sets `error`
// to "<source>:<line>: <field>: <problem>".
bool parseConfig(const std::string& text, const std::string& source, Config* config,
                 std::string* error);

// Default config, then the file at `path` (if non-empty) over it.
bool loadConfig(const std::string& path, Config* config, std::string* error);

}  // namespace onvif::core
