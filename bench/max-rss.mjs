// Preloaded (`node --import`) into each process the CLI start-up bench spawns: at exit, appends
// the process's peak resident set size (KiB) to the file $SCRIPTWRIGHT_BENCH_RSS names.
import { appendFileSync } from "node:fs";

const file = process.env.SCRIPTWRIGHT_BENCH_RSS;
if (file) process.on("exit", () => appendFileSync(file, `${process.resourceUsage().maxRSS}\n`));
