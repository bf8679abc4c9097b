// onvifd: command line, configuration, and the server's lifetime.
#include <getopt.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "connection_plugin.hpp"
#include "core/config.hpp"
#include "core/log.hpp"
#include "daemon/daemon_state.hpp"
#include "daemon/soap_processor.hpp"
#include "discovery/announcer.hpp"
#include "discovery/discovery_view.hpp"
#include "events/control.hpp"
#include "events/events_setup.hpp"
#include "imaging/imaging_model.hpp"
#include "io/io_model.hpp"
#include "media/media_model.hpp"
#include "platform/signals.hpp"
#include "ptz/control_command.hpp"
#include "ptz/ptz_model.hpp"
#include "security/security.hpp"
#include "server/server.hpp"
#include "services/device_state.hpp"
#include "services/media_snapshot.hpp"
#include "services/service_registry.hpp"
#include "state/identity.hpp"
#include "state/settings_store.hpp"
#include "stdsoap2.h"
#include "transport/network_protocols.hpp"

#ifndef ONVIFD_VERSION
#define ONVIFD_VERSION "0.1.0"
#endif

namespace {

void usage(FILE* out) {
  fprintf(
      out,
      "usage: onvifd [options]\n"
      "  -c, --config FILE         configuration file (overrides the embedded default)\n"
      "  -b, --bind ADDRESS        listen address (IPv4/IPv6 literal, '*' for all)\n"
      "  -p, --port PORT           listen port (0 = any free port)\n"
      "  -f, --foreground          stay in the foreground (the only mode; for init scripts)\n"
      "  -l, --log-level LEVEL     error, warn, info (default) or debug\n"
      "      --syslog              log to syslog instead of stderr\n"
      "      --print-default-config  print the embedded configuration and exit\n"
      "  -h, --help                this text\n"
      "  -V, --version             version\n"
      "       onvifd event [--config FILE | --socket PATH] COMMAND   raise an event (--help)\n"
      "       onvifd ptz [--config FILE | --socket PATH] status PAN TILT ZOOM [moving|idle [moving|idle]]\n"
      "Signals: SIGTERM/SIGINT stop gracefully, SIGUSR1 logs connection statistics.\n");
}

}  // namespace

int main(int argc, char** argv) {
  using namespace onvif;
  // gSOAP's soap_init would otherwise initialise OpenSSL for every context
  // (RAND_load_file, OPENSSL_init_crypto), TLS used or not: 3 MB of
  // libcrypto resident before the first request. OpenSSL 1.1+ initialises
  // itself on first use (a digest, a TLS context); its random generator
  // seeds itself from the OS.
  soap_ssl_noinit();
  if (argc > 1 && std::string(argv[1]) == "event") return events::eventCommandMain(argc - 1, argv + 1);
  if (argc > 1 && std::string(argv[1]) == "ptz") {
    // `onvifd ptz [--config FILE | --socket PATH] status ...` is the event
    // command's client with "ptz" as the command word.
    std::vector<char*> args{argv[1]};
    int i = 2;
    for (; i + 1 < argc && (std::string(argv[i]) == "--config" || std::string(argv[i]) == "-c" ||
                            std::string(argv[i]) == "--socket");
         i += 2)
      args.insert(args.end(), {argv[i], argv[i + 1]});
    args.push_back(argv[1]);
    args.insert(args.end(), argv + i, argv + argc);
    return events::eventCommandMain(static_cast<int>(args.size()), args.data());
  }
  std::string configPath, bindOverride, portOverride;
  enum { kPrintDefault = 1000, kSyslog };
  static const option kOptions[] = {
      {"config", required_argument, nullptr, 'c'},
      {"bind", required_argument, nullptr, 'b'},
      {"port", required_argument, nullptr, 'p'},
      {"foreground", no_argument, nullptr, 'f'},
      {"log-level", required_argument, nullptr, 'l'},
      {"syslog", no_argument, nullptr, kSyslog},
      {"print-default-config", no_argument, nullptr, kPrintDefault},
      {"help", no_argument, nullptr, 'h'},
      {"version", no_argument, nullptr, 'V'},
      {nullptr, 0, nullptr, 0},
  };
  int opt;
  while ((opt = getopt_long(argc, argv, "c:b:p:fl:hV", kOptions, nullptr)) != -1) {
    switch (opt) {
      case 'c': configPath = optarg; break;
      case 'b': bindOverride = optarg; break;
      case 'p': portOverride = optarg; break;
      case 'f': break;
      case 'l': {
        log::Level level;
        if (!log::parseLevel(optarg, &level)) {
          fprintf(stderr, "onvifd: --log-level: expected error, warn, info or debug\n");
          return 2;
        }
        log::setLevel(level);
        break;
      }
      case kSyslog: log::useSyslog(true); break;
      case kPrintDefault: fputs(core::defaultConfigText(), stdout); return 0;
      case 'h': usage(stdout); return 0;
      case 'V': printf("onvifd %s\n", ONVIFD_VERSION); return 0;
      default: usage(stderr); return 2;
    }
  }
  if (optind < argc) {
    fprintf(stderr, "onvifd: unexpected argument '%s'\n", argv[optind]);
    return 2;
  }

  // Before any thread starts (events, workers, discovery), so every thread
  // inherits the mask and the reactor's signalfd sees these signals.
  platform::blockDaemonSignals();

  core::Config config;
  std::string error;
  if (!core::loadConfig(configPath, &config, &error)) {
    fprintf(stderr, "onvifd: configuration error: %s\n", error.c_str());
    return 1;
  }
  std::string overrides;
  if (!bindOverride.empty()) overrides += "[server]\nbind = " + bindOverride + "\n";
  if (!portOverride.empty()) overrides += "[server]\nport = " + portOverride + "\n";
  if (!overrides.empty() && !core::parseConfig(overrides, "<command line>", &config, &error)) {
    fprintf(stderr, "onvifd: %s\n", error.c_str());
    return 2;
  }

  state::SettingsStore settings(config.state.path);
  std::string settingsWarning;
  if (!settings.load(&error, &settingsWarning)) {
    fprintf(stderr, "onvifd: settings: %s\n", error.c_str());
    return 1;
  }
  if (!settingsWarning.empty()) LOG_WARN("settings: %s", settingsWarning.c_str());
  onvif::daemon::DaemonState daemon;
  onvif::daemon::DeviceClock deviceClock;
  discovery::DiscoveryView discoveryView;
  transport::NetworkProtocols::applyStored(settings, &config, !portOverride.empty());  // (transport)
  daemon.config = &config;
  daemon.started_at = std::chrono::system_clock::now();
  daemon.settings = &settings;
  daemon.clock = &deviceClock;
  daemon.discovery_view = &discoveryView;
  daemon.endpoint_reference = state::ensureEndpointReference(&settings, &error);
  if (daemon.endpoint_reference.empty()) {
    fprintf(stderr, "onvifd: settings: %s\n", error.c_str());
    return 1;
  }
  discoveryView.set(discovery::standardScopes(config), true);
  services::device::setupDevice(&daemon);  // stored scopes, discovery mode, clock
  auto securityState = security::setupSecurity(config, &settings, &error);
  if (!securityState) {
    fprintf(stderr, "onvifd: security: %s\n", error.c_str());
    return 1;
  }
  daemon.security = securityState.get();
  // PTZ: only when configured, its handlers are in this build (SERVICES=core has none)
  // and its moves reach a head (ptz::offersPtz).
  std::unique_ptr<ptz::PtzModel> ptzModel;
  error.clear();
  if (services::operationBound("tptz:GetNodes")) ptzModel = ptz::setupPtz(config, &settings, &error);
  if (!ptzModel && !error.empty()) {
    fprintf(stderr, "onvifd: configuration error: %s\n", error.c_str());
    return 1;
  }
  daemon.ptz = ptzModel.get();
  std::unique_ptr<media::MediaModel> mediaModel =
      ptzModel ? media::setupMedia(config.media, &settings, &error, config.ptz.configuration_token,
                                   config.ptz.profiles)
               : media::setupMedia(config.media, &settings, &error);
  if (!mediaModel) {
    fprintf(stderr, "onvifd: configuration error: %s\n", error.c_str());
    return 1;
  }
  daemon.media = mediaModel.get();
  // Imaging: only when configured and its handlers are in this build (SERVICES=core has none).
  std::unique_ptr<imaging::ImagingModel> imagingModel;
  if (services::operationBound("timg:GetImagingSettings")) {
    imagingModel = imaging::setupImaging(config, &settings, &error);
    if (!imagingModel && !error.empty()) {
      fprintf(stderr, "onvifd: configuration error: %s\n", error.c_str());
      return 1;
    }
  }
  daemon.imaging = imagingModel.get();
  io::IoModel ioModel(config, &settings, [&config](const std::vector<std::string>& argv) {
    return io::runHook(argv, config.device.hook_timeout_ms);
  });
  ioModel.load();
  daemon.io = &ioModel;
  auto eventsRuntime = events::setupEvents(
      config, [&deviceClock] { return deviceClock.now(); }, &error);
  if (!eventsRuntime) {
    fprintf(stderr, "onvifd: events: %s\n", error.c_str());
    return 1;
  }
  daemon.events = eventsRuntime->broker();
  daemon.event_broker = eventsRuntime->broker();
  ioModel.setEvents(daemon.events);
  // Pending Monostable returns publish events: the timer stops first.
  struct IoStop {
    io::IoModel* model;
    ~IoStop() { model->stop(); }
  } ioStop{&ioModel};
  // The PTZ preset events; their timer stops before the events runtime goes.
  struct PtzEvents {
    ptz::PtzModel* model;
    ~PtzEvents() {
      if (model) model->stopEvents();
    }
  } ptzEvents{ptzModel.get()};
  if (ptzModel) ptzModel->setEvents(daemon.events);
  if (eventsRuntime->control()) {
    ptz::PtzModel* ptz = ptzModel.get();
    eventsRuntime->control()->addCommand("ptz", [ptz](const std::vector<std::string>& args, std::string* e) {
      return ptz::controlCommand(ptz, args, e);
    });
  }
  services::device::publishDiscovery(daemon);  // scopes that depend on the services now present

  server::Server server(config.server, [&config, &daemon]() -> std::unique_ptr<server::Processor> {
    return std::make_unique<onvif::daemon::SoapProcessor>(config.server, &daemon, services::serveSnapshotGet);
  });
  // (transport: HTTPS and IPv6 listeners; ports switchable by SetNetworkProtocols)
  server.setTransport(config.transport);
  transport::NetworkProtocols protocols(
      &settings,
      [&server](bool tls, bool on, int port, std::string* e) { return server.reconfigure(tls, on, port, e); },
      [&server](bool tls) { return tls ? server.httpsPort() : server.httpPort(); });
  daemon.protocols = &protocols;
  server.on_stats = [] { LOG_INFO("stats: %s", plugins::counters().line().c_str()); };
  server.on_shutdown = [&eventsRuntime] { eventsRuntime->beginStop(); };  // wake long polls
  if (!server.start(&error)) {
    LOG_ERROR("cannot start: %s", error.c_str());
    return 1;
  }
  for (const std::string& url : server.urls())
    LOG_INFO("listening on %s (%s %s)", url.c_str(), config.device.manufacturer.c_str(),
             config.device.model.c_str());
  auto announcer =
      discovery::startDiscovery(config, &discoveryView, daemon.endpoint_reference, server.port());
  daemon.discovery = announcer.get();
  server.run();
  daemon.discovery = nullptr;  // the workers are gone; the announcer goes next
  LOG_INFO("stopped; %s", plugins::counters().line().c_str());
  return 0;
}
