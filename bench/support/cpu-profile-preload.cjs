// Loaded with NODE_OPTIONS="--require …" into the app under benchmark (node refuses --cpu-prof in
// NODE_OPTIONS), and into the standalone simulator. In those servers only (server.js, the app's;
// server.ts, the simulator's, run by tsx): SIGUSR2 starts V8's CPU profiler, the next SIGUSR2
// stops it and writes KASSA_CPU_PROFILE_DIR/server.<pid>.<n>.cpuprofile, so a profile holds
// just the stretch the benchmark marks and none of the start-up.
const { writeFileSync } = require("node:fs");
const path = require("node:path");
const inspector = require("node:inspector");

const dir = process.env.KASSA_CPU_PROFILE_DIR;
if (dir && /^server\.[jt]s$/.test(path.basename(process.argv[1] ?? ""))) {
  const session = new inspector.Session();
  session.connect();
  let running = false;
  let written = 0;
  process.on("SIGUSR2", () => {
    if (!running) {
      session.post("Profiler.enable", () => session.post("Profiler.start"));
      running = true;
      return;
    }
    running = false;
    session.post("Profiler.stop", (error, result) => {
      if (error) return console.error(`CPU profile failed: ${error.message}`);
      writeFileSync(path.join(dir, `server.${process.pid}.${++written}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
