// One way to make an ajv for schemas that come from whoever saved a macro (a model, too): its
// `pattern` and `patternProperties` run on RE2 in linear time (bridge/security/linear-regex.ts),
// so no value can stall the bridge. ajv calls the engine once per pattern when it compiles a
// schema (`u`, its unicode flag, is RE2's default anyway).
import { Ajv2020 } from "ajv/dist/2020.js";
import { compileLinear } from "../security/linear-regex.js";

const linearRegExp = Object.assign((pattern: string) => compileLinear(pattern), {
  code: "compileLinear",
});

export function linearAjv(options: { useDefaults?: boolean } = {}): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    useDefaults: options.useDefaults ?? false,
    strict: false,
    code: { regExp: linearRegExp },
  });
  ajv.addFormat("date-time", (text: string) => !Number.isNaN(Date.parse(text)));
  return ajv;
}
