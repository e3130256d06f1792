import { writeFileSync } from "node:fs";
import { packagePath } from "../paths.js";
import { protocolJsonSchemaText } from "./json-schema.js";

const target = packagePath("panels", "protocol.schema.json");
writeFileSync(target, protocolJsonSchemaText());
console.log(`wrote ${target}`);
