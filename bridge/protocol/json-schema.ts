// Builds the JSON Schema that panels written in other languages validate against.
import { z } from "zod";
import { PROTOCOL_VERSION, protocolSchemas } from "./messages.js";

export function protocolJsonSchema(): Record<string, unknown> {
  const defs: Record<string, unknown> = {};
  for (const [direction, messages] of Object.entries(protocolSchemas)) {
    for (const [name, schema] of Object.entries(messages)) {
      defs[`${direction}.${name}`] = z.toJSONSchema(schema, { target: "draft-2020-12" });
    }
  }
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: `Scriptwright host protocol v${PROTOCOL_VERSION}`,
    description:
      "Generated from bridge/protocol/messages.ts by `npm run gen:schema`; do not edit by hand. " +
      "Panel → bridge: hello, then result/event frames. Bridge → panel: welcome or error, then run/cancel.",
    $defs: defs,
  };
}

export function protocolJsonSchemaText(): string {
  return `${JSON.stringify(protocolJsonSchema(), null, 2)}\n`;
}
