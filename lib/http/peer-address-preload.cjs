// `node --require ./peer-address-preload.cjs server.js` (scripts/start.mjs, the Dockerfile): stamps
// every request from the very first, before Next listens. Next starts listening before the app's
// own start-up code (instrumentation.ts) runs, and requests that arrived meanwhile were not stamped.
"use strict";
require("./peer-address-stamp.cjs").installPeerAddressStamp();
