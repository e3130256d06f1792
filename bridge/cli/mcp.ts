// `scriptwright mcp`: the MCP server over stdio, for Claude Code, Claude Desktop, Cursor and
// other MCP clients. It forwards to the running bridge, or starts one.
import { adapters, languageKits } from "../../adapters/registry.js";
import { DEFAULT_PORT } from "../discovery.js";
import { parseHeadlessSpecs } from "../managed/headless-spec.js";
import { serveStdio } from "../mcp/stdio.js";
import { CliError, EXIT } from "./exit-codes.js";

export interface McpOptions {
  dataDir: string;
  app?: string;
  autoApprove?: boolean;
  port?: string;
  headless: string[];
}

export async function mcp(options: McpOptions): Promise<void> {
  if (options.app && !adapters.has(options.app)) {
    throw new CliError(
      `unknown app "${options.app}" (known: ${[...adapters.keys()].join(", ")})`,
      EXIT.usage,
    );
  }
  const port = options.port === undefined ? DEFAULT_PORT : Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliError(`--port takes a number from 0 to 65535, got "${options.port}"`, EXIT.usage);
  // Checked now only when given: `auto` cannot be wrong, and finding the apps it names takes
  // longer than the rest of the start-up (the bridge, if one is started, looks for them itself).
  if (options.headless.length) parseHeadlessSpecs(options.headless, adapters);
  const headless = options.headless.length ? options.headless : ["auto"];
  await serveStdio({
    dataDir: options.dataDir,
    approval: options.autoApprove ? "auto" : "ask",
    defaultApp: options.app,
    port,
    headless,
    adapters,
    kits: languageKits,
  });
}
