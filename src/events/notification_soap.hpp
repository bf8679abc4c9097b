#pragma once
// Builds wsnt:NotificationMessage holders (for PullMessagesResponse and
// Notify) from queued deliveries, in the gSOAP context's memory.
#include <string>
#include <vector>

#include "events/subscription.hpp"

struct soap;
namespace gsoap_onvif {
class wsnt__NotificationMessageHolderType;
}

namespace onvif::events {

std::vector<gsoap_onvif::wsnt__NotificationMessageHolderType*> notificationHolders(
    struct ::soap* soap, const std::vector<Delivery>& deliveries, const std::string& subscription_address);

}  // namespace onvif::events
