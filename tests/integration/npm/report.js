// What client.js and events.js share: they collect into `out` (with an
// `errors` list), and finish once, either when done or when `timeoutMs`
// passes ('timeout' is then an error), by printing `out` as one JSON line
// and exiting 1 if there were errors.
'use strict';

function reporter(out, timeoutMs) {
  const timer = setTimeout(() => {
    out.errors.push('timeout');
    finish();
  }, timeoutMs);
  function finish() {
    clearTimeout(timer);
    process.stdout.write(JSON.stringify(out) + '\n');
    process.exit(out.errors.length ? 1 : 0);
  }
  return finish;
}

module.exports = { reporter };
