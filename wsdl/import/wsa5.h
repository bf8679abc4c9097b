// WS-Addressing 2005/08 types for the ONVIF bindings module (gsoap_onvif).
//
// wsdl2h always answers the event WSDL's import of
// http://www.w3.org/2005/08/addressing with `#import "wsa5.h"`. gSOAP's own
// wsa5.h also declares the SOAP_ENV__Fault operation and extends the SOAP
// Header; inside a C++-namespaced module both collide with the global module
// that owns Header and Fault (wsdl/wsdd_module.h). soapcpp2 finds this file
// first on its import path (-I wsdl/import:...), so the ONVIF module gets only
// the schema types the bindings use: the endpoint reference of WS-Notification
// (ConsumerReference, SubscriptionReference, ...). The header elements live in
// wsdl/wsdd_module.h.

//gsoap wsa5 schema namespace: http://www.w3.org/2005/08/addressing
//gsoap wsa5 schema elementForm: qualified
//gsoap wsa5 schema attributeForm: unqualified

typedef struct wsa5__EndpointReferenceType wsa5__EndpointReferenceType;
typedef struct wsa5__ReferenceParametersType wsa5__ReferenceParametersType;
typedef struct wsa5__MetadataType wsa5__MetadataType;

/// wsa5:ReferenceParametersType: any elements, kept as DOM.
struct wsa5__ReferenceParametersType
{
  $int __size;
  xsd__anyType *__any;
  @xsd__anyAttribute __anyAttribute;
};

/// wsa5:MetadataType: any elements, kept as DOM.
struct wsa5__MetadataType
{
  $int __size;
  xsd__anyType *__any;
  @xsd__anyAttribute __anyAttribute;
};

/// wsa5:EndpointReferenceType
struct wsa5__EndpointReferenceType
{
  char *Address 1;
  struct wsa5__ReferenceParametersType *ReferenceParameters 0;
  struct wsa5__MetadataType *Metadata 0;
  $int __size;
  xsd__anyType *__any;
  @xsd__anyAttribute __anyAttribute;
};

typedef struct wsa5__EndpointReferenceType _wsa5__EndpointReference;
