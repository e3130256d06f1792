import { writeFileSync } from "node:fs";
import { packagePath } from "../../adapters/shared/package-path.js";
import { protocolJsonSchemaText } from "./json-schema.js";

const target = packagePath("panels", "protocol.schema.json");
writeFileSync(target, protocolJsonSchemaText());
console.log(`wrote ${target}`);
