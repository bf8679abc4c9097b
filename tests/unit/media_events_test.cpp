// The Media handlers publish the spec's configuration-change events through
// the daemon's EventSink, and only for changes that happened. The handlers
// are called directly, on a gSOAP context of their own.
#include <doctest/doctest.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "daemon/request_context.hpp"
#include "events/event_sink.hpp"
#include "gsoap_onvifH.h"
#include "media/media_model.hpp"
#include "state/settings_store.hpp"

using namespace onvif;

namespace {

class RecordingSink : public events::EventSink {
 public:
  void publish(const events::EventMessage& m) override {
    std::lock_guard<std::mutex> lock(mutex_);
    messages.push_back(m);
  }
  std::vector<events::EventMessage> messages;

 private:
  std::mutex mutex_;
};

struct Fixture {
  core::Config config;
  state::SettingsStore store;
  std::unique_ptr<media::MediaModel> model;
  RecordingSink sink;
  daemon::DaemonState daemon;
  daemon::RequestContext ctx;
  struct soap* soap = soap_new1(SOAP_C_UTFSTRING);

  Fixture() {
    std::string error;
    REQUIRE(core::loadConfig("", &config, &error));
    model = media::setupMedia(config.media, &store, &error);
    REQUIRE(model);
    daemon.config = &config;
    daemon.media = model.get();
    daemon.events = &sink;
    ctx.daemon = &daemon;
    ctx.base_url = "http://192.0.2.1:8080";
    soap->user = &ctx;
  }
  ~Fixture() {
    soap_destroy(soap);
    soap_end(soap);
    soap_free(soap);
  }
};

}  // namespace

TEST_CASE("media events: profile and encoder changes are published with the changed token") {
  Fixture f;
  using namespace gsoap_onvif;
  // Each change is published twice: the Media2 topic, then the ver10 one.
  auto ver10 = [&] {
    std::vector<events::EventMessage> out;
    for (const auto& m : f.sink.messages)
      if (m.topic.rfind("tns1:Configuration/", 0) == 0) out.push_back(m);
    return out;
  };
  _trt__CreateProfile create;
  create.Name = "Extra";
  _trt__CreateProfileResponse created;
  REQUIRE(__trt__CreateProfile(f.soap, &create, created) == SOAP_OK);
  REQUIRE(f.sink.messages.size() == 2);
  CHECK(f.sink.messages[0].topic == "tns1:Media/ProfileChanged");
  REQUIRE(f.sink.messages[0].source.size() == 1);
  CHECK(f.sink.messages[0].source[0].value == created.Profile->token);
  REQUIRE(ver10().size() == 1);
  CHECK(ver10()[0].topic == "tns1:Configuration/Profile");
  REQUIRE(ver10()[0].source.size() == 1);
  CHECK(ver10()[0].source[0].name == "Token");
  CHECK(ver10()[0].source[0].value == created.Profile->token);

  _trt__GetVideoEncoderConfiguration get;
  get.ConfigurationToken = "VideoEncoder_2";
  _trt__GetVideoEncoderConfigurationResponse got;
  REQUIRE(__trt__GetVideoEncoderConfiguration(f.soap, &get, got) == SOAP_OK);
  _trt__SetVideoEncoderConfiguration set;
  set.Configuration = got.Configuration;
  set.Configuration->RateControl->FrameRateLimit = 10;
  _trt__SetVideoEncoderConfigurationResponse setResponse;
  REQUIRE(__trt__SetVideoEncoderConfiguration(f.soap, &set, setResponse) == SOAP_OK);
  REQUIRE(f.sink.messages.size() == 4);
  CHECK(f.sink.messages[2].topic == "tns1:Media/ConfigurationChanged");
  REQUIRE(f.sink.messages[2].source.size() == 2);
  CHECK(f.sink.messages[2].source[0].value == "VideoEncoder_2");
  CHECK(f.sink.messages[2].source[1].name == "Type");
  CHECK(f.sink.messages[2].source[1].value == "VideoEncoder");
  REQUIRE(ver10().size() == 2);
  CHECK(ver10()[1].topic == "tns1:Configuration/VideoEncoderConfiguration");
  CHECK(ver10()[1].source[0].value == "VideoEncoder_2");
  CHECK(f.model->snapshot().findVideoEncoder("VideoEncoder_2")->framerate == 10);

  // Refused: nothing changes, nothing is published.
  set.Configuration->RateControl->FrameRateLimit = 99;
  CHECK(__trt__SetVideoEncoderConfiguration(f.soap, &set, setResponse) != SOAP_OK);
  _trt__DeleteProfile del;
  del.ProfileToken = "Profile_1";
  _trt__DeleteProfileResponse deleted;
  CHECK(__trt__DeleteProfile(f.soap, &del, deleted) != SOAP_OK);
  CHECK(f.sink.messages.size() == 4);

  _trt__AddMetadataConfiguration add;
  add.ProfileToken = created.Profile->token;
  add.ConfigurationToken = "MetadataConfig_1";
  _trt__AddMetadataConfigurationResponse added;
  REQUIRE(__trt__AddMetadataConfiguration(f.soap, &add, added) == SOAP_OK);
  REQUIRE(ver10().size() == 3);
  CHECK(ver10()[2].topic == "tns1:Configuration/Profile");
}

TEST_CASE("media events: Media2 off, ver10 topics only") {
  Fixture f;
  f.config.media.media2 = false;
  std::string error;
  f.model = media::setupMedia(f.config.media, &f.store, &error);
  REQUIRE(f.model);
  f.daemon.media = f.model.get();
  using namespace gsoap_onvif;
  _trt__CreateProfile create;
  create.Name = "Extra";
  _trt__CreateProfileResponse created;
  REQUIRE(__trt__CreateProfile(f.soap, &create, created) == SOAP_OK);
  REQUIRE(f.sink.messages.size() == 1);
  CHECK(f.sink.messages[0].topic == "tns1:Configuration/Profile");
}

TEST_CASE("media events: no event service, no crash") {
  Fixture f;
  f.daemon.events = nullptr;
  gsoap_onvif::_trt__CreateProfile create;
  create.Name = "Quiet";
  gsoap_onvif::_trt__CreateProfileResponse created;
  CHECK(gsoap_onvif::__trt__CreateProfile(f.soap, &create, created) == SOAP_OK);
  CHECK(f.sink.messages.empty());
}
