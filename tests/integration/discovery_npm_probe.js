// Second WS-Discovery client for test_discovery.py: the npm "onvif"
// package's Discovery, bound to the loopback interface. It always probes
// 239.255.255.250:3702. Prints one JSON line: [{urn, xaddrs}, ...].
const onvif = require('onvif');

const timeout = Number(process.argv[2] || 3000);
onvif.Discovery.on('error', () => {});  // others' datagrams on a shared port
onvif.Discovery.probe({device: 'lo', timeout: timeout, resolve: false}, (err, found) => {
  if (err) {
    console.log(JSON.stringify({error: String(err)}));
    return;
  }
  console.log(JSON.stringify(found.map((c) => {
    const m = (c.probeMatches && c.probeMatches.probeMatch) || {};
    return {urn: m.endpointReference && m.endpointReference.address, xaddrs: m.XAddrs, types: m.types};
  })));
});
