// Event service (ONVIF Core spec "Event handling"): the event port
// (capabilities, event properties, CreatePullPointSubscription, Subscribe)
// at /onvif/events_service and, per subscription, the pull point and
// subscription manager (PullMessages, Renew, Unsubscribe,
// SetSynchronizationPoint) at /onvif/events_service/sub/<id>. The work is in
// src/events/ (broker, filters, push client); these handlers map requests
// and results. Access classes per the spec: READ_MEDIA, except
// GetServiceCapabilities (PRE_AUTH). Seek is left to the generated default
// (ter:ActionNotSupported): PersistentNotificationStorage is false.
#include <cstring>
#include <string>

#include "daemon/request_context.hpp"
#include "events/addressing.hpp"
#include "events/broker.hpp"
#include "events/consumer_policy.hpp"
#include "events/event_time.hpp"
#include "events/filter.hpp"
#include "events/notification_soap.hpp"
#include "events/sources.hpp"
#include "gsoap_onvifH.h"
#include "services/events_capabilities.hpp"
#include "services/service_registry.hpp"
#include "soap/element_xml.hpp"
#include "soap/faults.hpp"

namespace onvif::services {
namespace {

using namespace gsoap_onvif;
using events::Broker;
using soap::ErrorKind;

constexpr char kSubscriptionPath[] = "/onvif/events_service/sub/";
constexpr char kEventPort[] = "http://www.onvif.org/ver10/events/wsdl/EventPortType/";
constexpr char kPullPoint[] = "http://www.onvif.org/ver10/events/wsdl/PullPointSubscription/";
constexpr char kManager[] = "http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/";
constexpr char kProducer[] = "http://docs.oasis-open.org/wsn/bw-2/NotificationProducer/";

Broker* broker(struct ::soap* soap) {
  return onvif::daemon::requestContext(soap).daemon->event_broker;
}

// The WS-BaseNotification / WS-ResourceFramework fault element for the
// Detail (Core spec "Renew", "Unsubscribe": ResourceUnknownFaultResponse with
// Timestamp; WS-BN: an unacceptable termination time names the accepted range).
// The element is the fault table's second-level subcode.
std::string wsrfDetail(struct ::soap* soap, ErrorKind kind) {
  Broker* b = broker(soap);
  if (!b) return {};
  const auto now = b->now();
  const std::string stamp = "<wsrfbf:Timestamp>" + events::formatUtc(now, false) + "</wsrfbf:Timestamp>";
  const std::string element =
      onvif::soap::faultSpec(kind).subcode2 ? onvif::soap::faultSpec(kind).subcode2 : "";
  if (kind == ErrorKind::ResourceUnknown) return "<" + element + ">" + stamp + "</" + element + ">";
  if (kind != ErrorKind::UnacceptableInitialTerminationTime && kind != ErrorKind::UnacceptableTerminationTime)
    return {};
  auto max = now + std::chrono::seconds(b->options().config.max_termination_s);
  return std::string("<") + element + ">" + stamp + "<wsnt:MinimumTime>" + events::formatUtc(now, false) +
         "</wsnt:MinimumTime><wsnt:MaximumTime>" + events::formatUtc(max, false) + "</wsnt:MaximumTime></" +
         element + ">";
}

int eventsFault(struct ::soap* soap, ErrorKind kind, const char* detail = nullptr,
                const char* detail_xml = nullptr) {
  events::setAddressing(soap, events::kFaultAction);
  std::string wsrf;
  if (!detail_xml) {
    wsrf = wsrfDetail(soap, kind);
    if (!wsrf.empty()) detail_xml = wsrf.c_str();
  }
  return onvif::soap::fault(soap, kind, detail, detail_xml);
}

int ok(struct ::soap* soap, const char* prefix, const char* response) {
  events::setAddressing(soap, (std::string(prefix) + response).c_str());
  return SOAP_OK;
}

template <typename T>
T* value(struct ::soap* soap, T v) {
  T* p = static_cast<T*>(soap_malloc(soap, sizeof(T)));
  *p = v;
  return p;
}

time_t toTime(events::SystemTime t) {
  return std::chrono::system_clock::to_time_t(t);
}

// The subscription a request addresses: from the request path, else from
// the wsa:To header (clients that post every request to the service URL).
std::string subscriptionId(struct ::soap* soap) {
  auto idIn = [](const std::string& path) -> std::string {
    std::size_t at = path.find(kSubscriptionPath);
    if (at == std::string::npos) return {};
    std::string id = path.substr(at + strlen(kSubscriptionPath));
    std::size_t end = id.find_first_of("?#/");
    return end == std::string::npos ? id : id.substr(0, end);
  };
  std::string id = idIn(onvif::daemon::requestContext(soap).path);
  if (id.empty())
    if (const char* to = events::requestTo(soap)) id = idIn(to);
  return id;
}

std::string localName(const char* tag) {
  if (!tag) return {};
  const char* colon = strrchr(tag, ':');
  return colon ? colon + 1 : tag;
}

std::string attribute(const soap_dom_element& e, const char* name) {
  for (const soap_dom_attribute* a = e.atts; a; a = a->next)
    if (localName(a->name) == name) return a->text ? a->text : "";
  return {};
}

std::string text(const soap_dom_element& e) {
  std::string out = e.text ? e.text : "";
  for (const soap_dom_element* c = e.elts; c; c = c->next)
    if (c->text) out += c->text;
  return out;
}

// wsnt:Filter -> our filter; SOAP_OK or a fault.
int readFilter(struct ::soap* soap, const wsnt__FilterType* in, events::SubscriptionFilter* out) {
  if (!in) return SOAP_OK;
  for (const soap_dom_element& e : in->__any) {
    const std::string name = localName(e.name);
    if (name.empty()) continue;
    events::FilterError err;
    if (name == "TopicExpression") {
      events::TopicFilter t;
      err = t.parse(attribute(e, "Dialect"), text(e));
      if (err == events::FilterError::None) out->topics.push_back(std::move(t));
    } else if (name == "MessageContent") {
      events::ContentFilter c;
      err = c.parse(attribute(e, "Dialect"), text(e));
      if (err == events::FilterError::None) out->contents.push_back(std::move(c));
    } else {
      return eventsFault(soap, ErrorKind::InvalidFilterFault,
                         "Only TopicExpression and MessageContent filters are supported");
    }
    switch (err) {
      case events::FilterError::None: break;
      case events::FilterError::TopicDialectUnknown:
        return eventsFault(soap, ErrorKind::TopicExpressionDialectUnknown);
      case events::FilterError::InvalidTopic:
        return eventsFault(soap, ErrorKind::InvalidFilterFault, "Invalid topic expression");
      case events::FilterError::ContentDialectUnknown:
      case events::FilterError::InvalidContent:
        return eventsFault(soap, ErrorKind::InvalidMessageContentExpression);
    }
    if (out->topics.size() + out->contents.size() > 16)
      return eventsFault(soap, ErrorKind::InvalidFilterFault, "Too many filter expressions");
  }
  return SOAP_OK;
}

// InitialTerminationTime / Renew TerminationTime -> lifetime; SOAP_OK or a fault.
int readLifetime(struct ::soap* soap, const std::string* text, ErrorKind kind,
                 std::chrono::milliseconds* out) {
  Broker* b = broker(soap);
  if (!text) {
    *out = std::chrono::milliseconds(b->options().config.default_termination_s * 1000LL);
    return SOAP_OK;
  }
  const auto now = b->now();
  auto at = events::parseAbsoluteOrRelative(*text, now);
  if (!at) return eventsFault(soap, kind, "Not an xs:duration or xs:dateTime");
  auto lifetime = std::chrono::duration_cast<std::chrono::milliseconds>(*at - now);
  if (lifetime.count() <= 0) return eventsFault(soap, kind, "The termination time is in the past");
  *out = lifetime;
  return SOAP_OK;
}

std::string subscriptionPrefix(struct ::soap* soap) {
  return onvif::daemon::requestContext(soap).base_url + kSubscriptionPath;
}

int unknownSubscription(struct ::soap* soap) {
  return eventsFault(soap, ErrorKind::ResourceUnknown);
}

tev__Capabilities* eventsCapabilities(struct ::soap* soap) {
  auto* caps = soap_new_tev__Capabilities(soap);
  Broker* b = broker(soap);
  caps->WSSubscriptionPolicySupport = value(soap, true);  // tev:ChangedOnly
  caps->WSPausableSubscriptionManagerInterfaceSupport = value(soap, false);
  caps->MaxNotificationProducers = value(soap, b ? b->maxPushSubscriptions() : 0);
  caps->MaxPullPoints = value(soap, b ? b->maxPullPoints() : 0);
  caps->PersistentNotificationStorage = value(soap, false);
  return caps;
}

}  // namespace

gsoap_onvif::tt__EventCapabilities* legacyEventCapabilities(struct ::soap* soap,
                                                            const onvif::daemon::RequestContext& ctx) {
  auto* caps = soap_new_tt__EventCapabilities(soap);
  caps->XAddr = onvif::daemon::serviceUrl(ctx, "events");
  caps->WSSubscriptionPolicySupport = true;
  caps->WSPullPointSupport = true;
  caps->WSPausableSubscriptionManagerInterfaceSupport = false;
  return caps;
}

std::string eventsCapabilitiesXml(struct ::soap* soap) {
  return onvif::soap::elementXml(*eventsCapabilities(soap), "tev:Capabilities");
}

}  // namespace onvif::services

namespace gsoap_onvif {

using namespace onvif::services;
using onvif::soap::ErrorKind;

// Core spec "Get Service Capabilities" (events). Access class PRE_AUTH.
int __tev__GetServiceCapabilities(struct soap* soap, _tev__GetServiceCapabilities*,
                                  _tev__GetServiceCapabilitiesResponse& response) {
  response.Capabilities = eventsCapabilities(soap);
  return ok(soap, kEventPort, "GetServiceCapabilitiesResponse");
}

// Core spec "Get event properties". Access class READ_MEDIA.
int __tev__GetEventProperties(struct soap* soap, _tev__GetEventProperties*,
                              _tev__GetEventPropertiesResponse& response) {
  Broker* b = broker(soap);
  if (!b) return eventsFault(soap, ErrorKind::ActionNotSupported);
  response.TopicNamespaceLocation.push_back("http://www.onvif.org/onvif/ver10/topics/topicns.xml");
  response.wsnt__FixedTopicSet = true;
  response.wstop__TopicSet = soap_new_wstop__TopicSetType(soap);
  soap_dom_element topics(soap);
  const onvif::daemon::DaemonState* daemon = onvif::daemon::requestContext(soap).daemon;
  topics.code = soap_strdup(
      soap, onvif::events::topicSetXml(b->options().config, daemon->media != nullptr,
                                       onvif::services::media2Available(daemon), daemon->ptz != nullptr)
                .c_str());
  response.wstop__TopicSet->__any.push_back(topics);
  response.wsnt__TopicExpressionDialect.push_back(onvif::events::kConcreteSetDialect);
  response.wsnt__TopicExpressionDialect.push_back(onvif::events::kConcreteDialect);
  response.MessageContentFilterDialect.push_back(onvif::events::kItemFilterDialect);
  response.MessageContentSchemaLocation.push_back("http://www.onvif.org/onvif/ver10/schema/onvif.xsd");
  return ok(soap, kEventPort, "GetEventPropertiesResponse");
}

// Core spec "Create pull point subscription". Access class READ_MEDIA.
int __tev__CreatePullPointSubscription(struct soap* soap, _tev__CreatePullPointSubscription* request,
                                       _tev__CreatePullPointSubscriptionResponse& response) {
  Broker* b = broker(soap);
  if (!b) return eventsFault(soap, ErrorKind::UnableToCreatePullPoint);
  onvif::events::SubscriptionFilter filter;
  std::chrono::milliseconds lifetime;
  if (int rc = readFilter(soap, request ? request->Filter : nullptr, &filter)) return rc;
  if (int rc = readLifetime(soap, request ? request->InitialTerminationTime : nullptr,
                            ErrorKind::UnacceptableInitialTerminationTime, &lifetime))
    return rc;
  bool changedOnly = false;
  if (request && request->SubscriptionPolicy)
    for (const soap_dom_element& e : request->SubscriptionPolicy->__any)
      if (localName(e.name) == "ChangedOnly") changedOnly = text(e).find("true") != std::string::npos;
  Broker::Created created;
  switch (b->createPull(std::move(filter), changedOnly, lifetime, subscriptionPrefix(soap), &created)) {
    case Broker::Status::Ok: break;
    case Broker::Status::Full:
      return eventsFault(soap, ErrorKind::UnableToCreatePullPoint,
                         "The maximum number of pull points (MaxPullPoints) is reached");
    default: return eventsFault(soap, ErrorKind::UnableToCreatePullPoint);
  }
  soap_default_wsa5__EndpointReferenceType(soap, &response.SubscriptionReference);
  response.SubscriptionReference.Address = soap_strdup(soap, created.address.c_str());
  response.wsnt__CurrentTime = toTime(b->now());
  response.wsnt__TerminationTime = toTime(created.termination);
  return ok(soap, kEventPort, "CreatePullPointSubscriptionResponse");
}

// Core spec "Pull messages": a long poll. The worker waits on the
// subscription (at most one waiting pull per pull point, and MaxPullPoints is
// capped below the free workers, so waiting polls never starve other
// requests). Access class READ_MEDIA.
int __tev__PullMessages(struct soap* soap, _tev__PullMessages* request,
                        _tev__PullMessagesResponse& response) {
  Broker* b = broker(soap);
  const std::string id = subscriptionId(soap);
  if (!b || id.empty() || !request) return unknownSubscription(soap);
  const auto& cfg = b->options().config;
  auto timeoutMs = onvif::events::parseDurationMs(request->Timeout);
  if (!timeoutMs || *timeoutMs > cfg.max_pull_timeout_s * 1000LL) {
    // "PullMessagesFaultResponse ... shall contain the upper limits for both parameters."
    std::string detail = "<tev:PullMessagesFaultResponse><tev:MaxTimeout>PT" +
                         std::to_string(cfg.max_pull_timeout_s) + "S</tev:MaxTimeout><tev:MaxMessageLimit>" +
                         std::to_string(cfg.max_message_limit) +
                         "</tev:MaxMessageLimit></tev:PullMessagesFaultResponse>";
    return eventsFault(soap, ErrorKind::PullMessagesTooLong, nullptr, detail.c_str());
  }
  if (request->MessageLimit < 1)
    return eventsFault(soap, ErrorKind::InvalidArgVal, "MessageLimit must be at least 1");
  // More than we support: "return up to the supported messages", no fault.
  int limit = std::min(request->MessageLimit, cfg.max_message_limit);
  Broker::Pulled pulled;
  switch (b->pull(id, std::chrono::milliseconds(*timeoutMs), limit, soap->socket, &pulled)) {
    case Broker::Status::Ok: break;
    case Broker::Status::Busy: return eventsFault(soap, ErrorKind::UnableToGetMessages);
    default: return unknownSubscription(soap);
  }
  response.CurrentTime = toTime(b->now());
  response.TerminationTime = toTime(pulled.termination);
  response.wsnt__NotificationMessage =
      onvif::events::notificationHolders(soap, pulled.messages, subscriptionPrefix(soap) + id);
  return ok(soap, kPullPoint, "PullMessagesResponse");
}

// Core spec "SetSynchronizationPoint". Access class READ_MEDIA.
int __tev__SetSynchronizationPoint(struct soap* soap, _tev__SetSynchronizationPoint*,
                                   _tev__SetSynchronizationPointResponse&) {
  Broker* b = broker(soap);
  if (!b || b->synchronize(subscriptionId(soap)) != Broker::Status::Ok) return unknownSubscription(soap);
  return ok(soap, kPullPoint, "SetSynchronizationPointResponse");
}

// Core spec "Renew" (pull points and push subscriptions). Access class READ_MEDIA.
int __tev__Renew(struct soap* soap, _wsnt__Renew* request, _wsnt__RenewResponse& response) {
  Broker* b = broker(soap);
  const std::string id = subscriptionId(soap);
  if (!b || !b->exists(id)) return unknownSubscription(soap);
  std::chrono::milliseconds lifetime;
  if (int rc = readLifetime(soap, request ? request->TerminationTime : nullptr,
                            ErrorKind::UnacceptableTerminationTime, &lifetime))
    return rc;
  onvif::events::SystemTime termination;
  if (b->renew(id, lifetime, &termination) != Broker::Status::Ok) return unknownSubscription(soap);
  response.TerminationTime = toTime(termination);
  response.CurrentTime = value(soap, toTime(b->now()));
  return ok(soap, kManager, "RenewResponse");
}

// Core spec "Unsubscribe": ends this subscription only. Access class READ_MEDIA.
int __tev__Unsubscribe(struct soap* soap, _wsnt__Unsubscribe*, _wsnt__UnsubscribeResponse&) {
  Broker* b = broker(soap);
  if (!b || b->unsubscribe(subscriptionId(soap)) != Broker::Status::Ok) return unknownSubscription(soap);
  return ok(soap, kManager, "UnsubscribeResponse");
}

// Core spec "Basic Notification Interface": Subscribe with a consumer that
// receives Notify messages. Access class READ_MEDIA.
int __tev__Subscribe(struct soap* soap, _wsnt__Subscribe* request, _wsnt__SubscribeResponse& response) {
  Broker* b = broker(soap);
  if (!b || !request) return eventsFault(soap, ErrorKind::SubscribeCreationFailed);
  const char* address = request->ConsumerReference.Address;
  onvif::events::ConsumerUrl url;
  std::string problem;
  if (!address || !onvif::events::parseConsumerUrl(address, &url, &problem))
    return eventsFault(soap, ErrorKind::SubscribeCreationFailed,
                       problem.empty() ? "No consumer address" : problem.c_str());
  onvif::events::ConsumerPolicy policy;
  policy.allow_loopback = b->options().allow_loopback;
  policy.allow_link_local = b->options().config.push_allow_link_local;
  if (!onvif::events::literalHostAllowed(url.host, policy, &problem)) {
    problem = "Consumer address refused by the device's policy: " + problem;
    return eventsFault(soap, ErrorKind::SubscribeCreationFailed, problem.c_str());
  }
  onvif::events::SubscriptionFilter filter;
  std::chrono::milliseconds lifetime;
  if (int rc = readFilter(soap, request->Filter, &filter)) return rc;
  if (int rc = readLifetime(soap, request->InitialTerminationTime,
                            ErrorKind::UnacceptableInitialTerminationTime, &lifetime))
    return rc;
  Broker::Created created;
  switch (b->createPush(std::move(filter), address, lifetime, subscriptionPrefix(soap), &created)) {
    case Broker::Status::Ok: break;
    case Broker::Status::Full:
      return eventsFault(soap, ErrorKind::SubscribeCreationFailed,
                         "The maximum number of push subscriptions (MaxNotificationProducers) is reached");
    default: return eventsFault(soap, ErrorKind::SubscribeCreationFailed);
  }
  soap_default_wsa5__EndpointReferenceType(soap, &response.SubscriptionReference);
  response.SubscriptionReference.Address = soap_strdup(soap, created.address.c_str());
  response.CurrentTime = value(soap, toTime(b->now()));
  response.TerminationTime = value(soap, toTime(created.termination));
  return ok(soap, kProducer, "SubscribeResponse");
}

}  // namespace gsoap_onvif
