// npm run bench: every benchmark prints ratios against a baseline measured in the same run.

import { findOnPath } from "../adapters/find-executable.js";
import { benchAgentTokens } from "./agent-tokens.js";
import { benchBatch } from "./batch.js";
import { benchBlenderRoundTrip, benchBlenderUiRoundTrip } from "./blender-roundtrip.js";
import { benchBridgeOverhead } from "./bridge-overhead.js";
import { benchCapture } from "./capture.js";
import { benchCliStartup } from "./cli-startup.js";
import { benchDocsSearch } from "./docs-search.js";
import { benchMacroTests } from "./macro-tests.js";
import { benchMcpTokens } from "./mcp-tokens.js";
import { benchPythonLogCapture } from "./python-log-capture.js";

console.log(benchAgentTokens());
console.log(await benchMcpTokens());
console.log(await benchBridgeOverhead());
if (findOnPath("blender")) console.log(await benchBlenderRoundTrip());
else console.log("\n(b) Blender round trip: skipped, blender is not on PATH (npm run setup installs it)");
if (findOnPath("blender") && findOnPath("xvfb-run")) console.log(await benchBlenderUiRoundTrip());
else console.log("\n(h) Blender UI round trip: skipped, blender or xvfb-run is not on PATH (npm run setup)");
console.log(await benchDocsSearch());
if (findOnPath("blender")) console.log(await benchBatch());
else console.log("\n(e) Batch jobs: skipped, blender is not on PATH (npm run setup installs it)");
console.log(await benchCliStartup());
const python = findOnPath("python3");
if (python) console.log(benchPythonLogCapture(python));
else console.log("\n(j) Python log capture: skipped, python3 is not on PATH");
if (findOnPath("blender")) console.log(await benchMacroTests());
else console.log("\n(i) macro test: skipped, blender is not on PATH (npm run setup installs it)");
console.log(await benchCapture());
