// soapcpp2 input for the global gSOAP module: WS-Discovery 2005/04 plus the
// SOAP Header and Fault that every module of the binary shares.
//
// Why two modules: WS-Discovery 2005/04 (gSOAP's wsdd10.h) rides on
// WS-Addressing 2004/08 (wsa.h), the event bindings on WS-Addressing 2005/08
// (wsa5.h); both import files declare the SOAP_ENV__Fault operation, so one
// soapcpp2 run cannot take both ("SOAP_ENV__Fault already declared").
// The ONVIF bindings are therefore generated into the C++ namespace
// gsoap_onvif (soapcpp2 -q), which leaves the SOAP Header and Fault to a single
// global module: this one. gSOAP's plugins (wsddapi, wsaapi, wsseapi) read
// soap->header, so the header declared here carries every field they and our
// handlers use:
//   - WS-Discovery AppSequence and WS-Addressing 2004/08 (from wsdd10.h),
//   - WS-Security (from wsse.h),
//   - the WS-Addressing 2005/08 header elements that ONVIF event clients send
//     (declared below: only the header elements, as simple values; the event
//     bindings keep gSOAP's full wsa5.h types inside gsoap_onvif).
#import "wsdd10.h"
#import "wsse.h"

//gsoap wsa5 schema namespace: http://www.w3.org/2005/08/addressing
//gsoap wsa5 schema elementForm: qualified
//gsoap wsa5 schema attributeForm: unqualified

typedef char *_wsa5__MessageID;
typedef char *_wsa5__To;
typedef char *_wsa5__Action;

/// wsa5:RelatesTo: the MessageID a reply answers.
struct wsa5__RelatesToType
{
  char *__item;
  @char *RelationshipType;
};
typedef struct wsa5__RelatesToType _wsa5__RelatesTo;

/// wsa5:ReplyTo: only the address is used; reference parameters are kept as
/// literal XML so that nothing a client sends is lost.
struct wsa5__EndpointReferenceType
{
  char *Address;
  _XML __any;
};
typedef struct wsa5__EndpointReferenceType _wsa5__ReplyTo;

mutable struct SOAP_ENV__Header
{
                 _wsa5__MessageID  wsa5__MessageID 0;
                 _wsa5__RelatesTo *wsa5__RelatesTo 0;
  mustUnderstand _wsa5__ReplyTo   *wsa5__ReplyTo   0;
  mustUnderstand _wsa5__To         wsa5__To        0;
  mustUnderstand _wsa5__Action     wsa5__Action    0;
};
