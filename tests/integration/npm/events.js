// Drives the npm `onvif` package's event loop against onvifd the way an NVR
// does: `cam.on('event')` makes it CreatePullPointSubscription, then
// PullMessages (Timeout PT1M) and Renew in a loop. Waits until the
// simulator's motion turns on (a Changed tns1:VideoSource/MotionAlarm with
// State true), unsubscribes, and prints one JSON object with what it saw.
// usage: node events.js HOST PORT
'use strict';
const { Cam } = require('onvif');
const { reporter } = require('./report');

const [host, port] = process.argv.slice(2);
const out = { events: [], errors: [], unsubscribed: false };
const finish = reporter(out, 30000);

// SimpleItems of a Source or Data group as {Name: Value}.
function items(group) {
  const list = group && group.simpleItem ? [].concat(group.simpleItem) : [];
  const result = {};
  for (const item of list) if (item && item.$) result[item.$.Name] = String(item.$.Value);
  return result;
}

const cam = new Cam({ hostname: host, port: Number(port), username: 'admin', password: 'admin', timeout: 10000 },
  function (err) {
    if (err) {
      out.errors.push('connect: ' + (err.message || String(err)));
      return finish();
    }
    cam.on('eventsError', (e) => out.errors.push('eventsError: ' + (e && e.message ? e.message : String(e))));
    cam.on('event', function (message) {
      const topic = message.topic && (message.topic._ || message.topic);
      const msg = message.message && message.message.message;
      const op = msg && msg.$ ? msg.$.PropertyOperation : undefined;
      const event = { topic: String(topic), operation: op, source: items(msg && msg.source), data: items(msg && msg.data) };
      out.events.push(event);
      if (event.topic.endsWith('VideoSource/MotionAlarm') && op === 'Changed' && event.data.State === 'true') {
        cam.removeAllListeners('event');
        cam.unsubscribe(function (e) {
          if (e) out.errors.push('unsubscribe: ' + e.message);
          else out.unsubscribed = true;
          finish();
        });
      }
    });
  });
