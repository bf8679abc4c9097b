// Device service, discovery scopes (Core spec "Scopes", "GetScopes",
// "SetScopes", "AddScopes", "RemoveScopes"). Fixed scopes come from the
// configuration (discovery::standardScopes, [device] extra_scopes and, with
// name_location_fixed, name and location); Configurable ones are the
// client's, persisted in the "device" area. Every change goes to the
// discovery view at once, so WS-Discovery announces it.
#include <algorithm>
#include <string>
#include <vector>

#include "core/validate.hpp"
#include "daemon/request_context.hpp"
#include "gsoap_onvifH.h"
#include "services/device_state.hpp"
#include "soap/faults.hpp"

namespace onvif::services::device {
namespace {

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// Stores the new configurable list and publishes it.
bool storeScopes(const onvif::daemon::DaemonState& daemon, const std::vector<std::string>& configurable) {
  state::Section area = device::area(daemon, kSystemArea);
  area["scopes.set"] = "true";
  state::setList(&area, "scope", configurable);
  if (!store(daemon, kSystemArea, area)) return false;
  publishDiscovery(daemon);
  return true;
}

}  // namespace
}  // namespace onvif::services::device

namespace gsoap_onvif {

using onvif::daemon::requestContext;
using onvif::soap::ErrorKind;
using onvif::soap::fault;
namespace dev = onvif::services::device;

// Core spec "GetScopes": never empty (the Fixed scopes are mandatory).
// Access class READ_SYSTEM.
int __tds__GetScopes(struct soap* soap, _tds__GetScopes*, _tds__GetScopesResponse& response) {
  dev::Scopes scopes = dev::currentScopes(*onvif::daemon::requestContext(soap).daemon);
  for (const std::string& s : scopes.fixed) {
    auto* scope = soap_new_tt__Scope(soap);
    scope->ScopeDef = tt__ScopeDefinition__Fixed;
    scope->ScopeItem = s;
    response.Scopes.push_back(scope);
  }
  for (const std::string& s : scopes.configurable) {
    auto* scope = soap_new_tt__Scope(soap);
    scope->ScopeDef = tt__ScopeDefinition__Configurable;
    scope->ScopeItem = s;
    response.Scopes.push_back(scope);
  }
  return SOAP_OK;
}

// Core spec "SetScopes": replaces all Configurable scopes; Fixed ones stay
// (a Fixed scope repeated in the request is not stored twice). More than
// [device] max_scopes in total -> ter:TooManyScopes. Access class WRITE_SYSTEM.
int __tds__SetScopes(struct soap* soap, _tds__SetScopes* request, _tds__SetScopesResponse&) {
  const auto& daemon = *onvif::daemon::requestContext(soap).daemon;
  if (!request) return fault(soap, ErrorKind::InvalidArgs);
  std::lock_guard<std::mutex> lock(dev::settingsMutex());
  dev::Scopes scopes = dev::currentScopes(daemon);
  std::vector<std::string> configurable;
  for (const std::string& s : request->Scopes) {
    if (!onvif::core::isScopeUri(s)) return fault(soap, ErrorKind::InvalidArgVal, "Not a scope URI");
    if (dev::contains(scopes.fixed, s) || dev::contains(configurable, s)) continue;
    configurable.push_back(s);
  }
  if (scopes.fixed.size() + configurable.size() > static_cast<std::size_t>(daemon.config->device.max_scopes))
    return fault(soap, ErrorKind::TooManyScopes);
  if (!dev::storeScopes(daemon, configurable)) return fault(soap, ErrorKind::ActionFailed);
  return SOAP_OK;
}

// Core spec "AddScopes": adds Configurable scopes (ones already present are
// not added twice). Access class WRITE_SYSTEM.
int __tds__AddScopes(struct soap* soap, _tds__AddScopes* request, _tds__AddScopesResponse&) {
  const auto& daemon = *onvif::daemon::requestContext(soap).daemon;
  if (!request || request->ScopeItem.empty()) return fault(soap, ErrorKind::InvalidArgs);
  std::lock_guard<std::mutex> lock(dev::settingsMutex());
  dev::Scopes scopes = dev::currentScopes(daemon);
  for (const std::string& s : request->ScopeItem) {
    if (!onvif::core::isScopeUri(s)) return fault(soap, ErrorKind::InvalidArgVal, "Not a scope URI");
    if (dev::contains(scopes.fixed, s) || dev::contains(scopes.configurable, s)) continue;
    scopes.configurable.push_back(s);
  }
  if (scopes.fixed.size() + scopes.configurable.size() >
      static_cast<std::size_t>(daemon.config->device.max_scopes))
    return fault(soap, ErrorKind::TooManyScopes);
  if (!dev::storeScopes(daemon, scopes.configurable)) return fault(soap, ErrorKind::ActionFailed);
  return SOAP_OK;
}

// Core spec "RemoveScopes": all or nothing. A Fixed scope -> ter:FixedScope,
// one that does not exist -> ter:NoScope. The response repeats the removed
// items. Scopes are compared as exact strings. Access class WRITE_SYSTEM.
int __tds__RemoveScopes(struct soap* soap, _tds__RemoveScopes* request,
                        _tds__RemoveScopesResponse& response) {
  const auto& daemon = *onvif::daemon::requestContext(soap).daemon;
  if (!request || request->ScopeItem.empty()) return fault(soap, ErrorKind::InvalidArgs);
  std::lock_guard<std::mutex> lock(dev::settingsMutex());
  dev::Scopes scopes = dev::currentScopes(daemon);
  for (const std::string& s : request->ScopeItem) {
    if (dev::contains(scopes.fixed, s)) return fault(soap, ErrorKind::FixedScope);
    if (!dev::contains(scopes.configurable, s)) return fault(soap, ErrorKind::NoScope);
  }
  std::vector<std::string> remaining;
  for (const std::string& s : scopes.configurable)
    if (!dev::contains(request->ScopeItem, s)) remaining.push_back(s);
  if (!dev::storeScopes(daemon, remaining)) return fault(soap, ErrorKind::ActionFailed);
  response.ScopeItem = request->ScopeItem;
  return SOAP_OK;
}

}  // namespace gsoap_onvif
