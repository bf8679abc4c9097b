// Drives the npm `onvif` package (agsh/onvif) against onvifd the way an NVR
// does: connect (GetSystemDateAndTime, GetServices/GetCapabilities,
// GetProfiles, GetVideoSources), then GetStreamUri and GetSnapshotUri for
// every profile. Prints one JSON object with what the library saw.
// usage: node client.js HOST PORT
'use strict';
const { Cam } = require('onvif');
const { reporter } = require('./report');

const [host, port] = process.argv.slice(2);
const out = { profiles: [], streamUris: {}, snapshotUris: {}, errors: [] };
const finish = reporter(out, 20000);

const cam = new Cam({ hostname: host, port: Number(port), username: 'admin', password: 'admin', timeout: 10000 },
  function (err) {
    if (err) {
      out.errors.push('connect: ' + (err.message || String(err)));
      return finish();
    }
    out.mediaUri = cam.uri && cam.uri.media ? cam.uri.media.href : null;
    // Set when GetServices lists Media2 and the probe (GetProfiles) answered.
    out.media2Uri = cam.media2Support && cam.uri && cam.uri.media2 ? cam.uri.media2.href : null;
    out.videoSources = (Array.isArray(cam.videoSources) ? cam.videoSources : [cam.videoSources])
      .filter(Boolean).map((s) => s.$ && s.$.token);
    cam.getProfiles(function (err, profiles) {
      if (err) {
        out.errors.push('getProfiles: ' + err.message);
        return finish();
      }
      let pending = profiles.length * 2;
      if (!pending) return finish();
      const done = () => { if (--pending === 0) finish(); };
      for (const p of profiles) {
        const token = p.$.token;
        const vec = p.videoEncoderConfiguration;
        out.profiles.push({ token, name: p.name, encoding: vec && vec.encoding,
          width: vec && vec.resolution && vec.resolution.width });
        cam.getStreamUri({ protocol: 'RTSP', profileToken: token }, function (err, res) {
          if (err) out.errors.push('getStreamUri ' + token + ': ' + err.message);
          else out.streamUris[token] = res.uri;
          done();
        });
        cam.getSnapshotUri({ profileToken: token }, function (err, res) {
          if (err) out.errors.push('getSnapshotUri ' + token + ': ' + err.message);
          else out.snapshotUris[token] = res.uri;
          done();
        });
      }
    });
  });
