// (f) The MCP tool list's cost in context: names, descriptions and JSON input schemas as a
// client sends them to its model with every request, counted with the same tokenizer as (d),
// against a fixed-command design with one tool per operation (the 22-tool Blender list of
// agent-tokens.ts). The list comes from a real McpServer through the official client.
import { countTokens } from "@anthropic-ai/tokenizer";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { adapters, languageKits } from "../adapters/registry.js";
import type { McpBackend } from "../bridge/mcp/backend.js";
import { createMcpServer } from "../bridge/mcp/tools.js";
import { FIXED_TOOLS } from "./agent-tokens.js";

/** Listing tools calls nothing: every backend method is left unimplemented. */
const unused = (): never => {
  throw new Error("not used by tools/list");
};
const listOnlyBackend: McpBackend = {
  kits: languageKits,
  adapters,
  hosts: unused,
  run: unused,
  appState: unused,
  capture: unused,
  searchDocs: unused,
  readDoc: unused,
  listDocs: unused,
  macros: unused,
};

export async function mcpToolList(): Promise<{
  tools: Array<{ name: string; description: string; input_schema: unknown }>;
  instructions: string;
}> {
  const server = createMcpServer(listOnlyBackend);
  const client = new Client({ name: "bench", version: "1.0.0" });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  const { tools } = await client.listTools();
  const instructions = client.getInstructions() ?? "";
  await client.close();
  await server.close();
  // The shape a client passes to the Messages API.
  return {
    tools: tools.map((tool) => ({
      name: tool.name,
      description: tool.description ?? "",
      input_schema: tool.inputSchema,
    })),
    instructions,
  };
}

export async function benchMcpTokens(): Promise<string> {
  const { tools, instructions } = await mcpToolList();
  const mcp = countTokens(JSON.stringify(tools));
  const fixed = countTokens(JSON.stringify(FIXED_TOOLS));
  const serverInstructions = countTokens(instructions);
  return [
    "\n(f) MCP tool list in context (names + descriptions + input schemas, same tokenizer as (d))",
    `  fixed tools, one per operation (${FIXED_TOOLS.length} tools, baseline)  ${String(fixed).padStart(5)} tok`,
    `  scriptwright mcp (${tools.length} tools)                         ${String(mcp).padStart(5)} tok  (+ ${serverInstructions} tok server instructions)`,
    `  ratio: the fixed list is ${(fixed / mcp).toFixed(2)}× the MCP list, and covers only the operations it names`,
  ].join("\n");
}
