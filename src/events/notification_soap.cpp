#include "events/notification_soap.hpp"

#include "events/filter.hpp"
#include "events/message_xml.hpp"
#include "gsoap_onvifH.h"

namespace onvif::events {

std::vector<gsoap_onvif::wsnt__NotificationMessageHolderType*> notificationHolders(
    struct ::soap* soap, const std::vector<Delivery>& deliveries, const std::string& subscription_address) {
  using namespace gsoap_onvif;
  std::vector<wsnt__NotificationMessageHolderType*> out;
  for (const Delivery& d : deliveries) {
    auto* holder = soap_new_wsnt__NotificationMessageHolderType(soap);
    auto* ref = soap_new_wsa5__EndpointReferenceType(soap);
    soap_default_wsa5__EndpointReferenceType(soap, ref);
    ref->Address = soap_strdup(soap, subscription_address.c_str());
    holder->SubscriptionReference = ref;
    holder->Topic = soap_new_wsnt__TopicExpressionType(soap);
    holder->Topic->Dialect = kConcreteSetDialect;
    holder->Topic->__item = d.message->topic;
    holder->Message.__any.soap = soap;
    holder->Message.__any.code = soap_strdup(soap, messageXml(d).c_str());
    out.push_back(holder);
  }
  return out;
}

}  // namespace onvif::events
