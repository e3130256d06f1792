// Macro parameters in the panel, as pure functions (no DOM), so Node tests can check them:
// - formModel: a macro's JSON Schema → the fields of its run form;
// - collectParams: what the person typed into those fields → the params object to send;
// - buildSchema: the rows of the "Save as macro" parameter editor → a JSON Schema.

export const MACRO_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
export const PARAM_TYPES = ["string", "number", "integer", "boolean"];

/** Why a macro name is not valid, or null when it is. */
export function macroNameProblem(name) {
  if (!name) return "Give the macro a name.";
  if (!MACRO_NAME.test(name))
    return "The name takes lowercase letters, digits, '.', '_' and '-', starts with a letter or digit, at most 64 characters.";
  return null;
}

/**
 * The run form for a macro's parameter schema: one field per property, in the schema's order.
 * kind: "text" | "number" | "integer" | "checkbox" | "select" | "json".
 */
export function formModel(schema) {
  const properties = schema && typeof schema === "object" ? (schema.properties ?? {}) : {};
  const required = new Set(Array.isArray(schema?.required) ? schema.required : []);
  return Object.entries(properties).map(([name, prop]) => {
    const spec = prop && typeof prop === "object" ? prop : {};
    const type = Array.isArray(spec.type) ? spec.type.find((t) => t !== "null") : spec.type;
    const field = {
      name,
      label: typeof spec.title === "string" && spec.title ? spec.title : name,
      kind: kindOf(spec, type),
      required: required.has(name),
      description: typeof spec.description === "string" ? spec.description : "",
    };
    if (field.kind === "select") {
      field.options = spec.enum.map((value) => ({ value, label: String(value) }));
      const index = spec.enum.findIndex((value) => sameValue(value, spec.default));
      field.initial = index >= 0 ? String(index) : field.required ? "0" : "";
    } else if (field.kind === "checkbox") {
      field.initial = spec.default === true;
    } else if (field.kind === "json") {
      field.initial = spec.default !== undefined ? JSON.stringify(spec.default) : "";
    } else {
      field.initial = spec.default !== undefined && spec.default !== null ? String(spec.default) : "";
    }
    if (field.kind === "number" || field.kind === "integer") {
      // (draft 2020-12: exclusiveMinimum/Maximum are numbers of their own)
      const min = firstNumber(spec.minimum, spec.exclusiveMinimum);
      const max = firstNumber(spec.maximum, spec.exclusiveMaximum);
      if (min !== undefined) {
        field.min = min;
        if (min !== spec.minimum) field.minExclusive = true;
      }
      if (max !== undefined) {
        field.max = max;
        if (max !== spec.maximum) field.maxExclusive = true;
      }
      field.step = field.kind === "integer" ? "1" : "any";
    }
    if (field.kind === "text") {
      if (typeof spec.minLength === "number") field.minLength = spec.minLength;
      if (typeof spec.maxLength === "number") field.maxLength = spec.maxLength;
    }
    return field;
  });
}

/** The hint under a field: its description, range and kind ("how many · 1 to 100 · whole number"). */
export function fieldHint(field) {
  const parts = [];
  if (field.description) parts.push(field.description);
  const low =
    field.min === undefined ? null : `${field.minExclusive ? "more than" : "at least"} ${field.min}`;
  const high =
    field.max === undefined ? null : `${field.maxExclusive ? "less than" : "at most"} ${field.max}`;
  if (low && high && !field.minExclusive && !field.maxExclusive) parts.push(`${field.min} to ${field.max}`);
  else if (low || high) parts.push([low, high].filter(Boolean).join(", "));
  if (field.kind === "integer") parts.push("whole number");
  if (field.kind === "json") parts.push("JSON");
  return parts.join(" · ");
}

/** The field a bridge error message is about: `"name"` quoted, else the name as a word. */
export function fieldNamedIn(fields, message) {
  const quoted = fields.find((field) => message.includes(`"${field.name}"`));
  if (quoted) return quoted;
  return fields.find((field) => {
    const escaped = field.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return new RegExp(`(^|[^A-Za-z0-9_])${escaped}([^A-Za-z0-9_]|$)`).test(message);
  });
}

function kindOf(spec, type) {
  if (Array.isArray(spec.enum) && spec.enum.length > 0) return "select";
  if (type === "boolean") return "checkbox";
  if (type === "integer") return "integer";
  if (type === "number") return "number";
  if (type === "string" || type === undefined) return "text";
  return "json"; // object, array: typed as JSON
}

function firstNumber(...values) {
  return values.find((value) => typeof value === "number" && Number.isFinite(value));
}

function sameValue(a, b) {
  return a === b || (a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b));
}

/**
 * The params object from the form's raw values (`values[name]`: the input's string, a select's
 * option index, a checkbox's boolean). Empty fields are left out, so the bridge (which validates)
 * reports a missing required one by name; numbers are sent as typed, even out of range, for the
 * same reason. Returns {params} or {problem: {name, message}} when a value cannot be read at all.
 */
export function collectParams(fields, values) {
  const params = {};
  for (const field of fields) {
    const raw = values[field.name];
    if (field.kind === "checkbox") {
      params[field.name] = raw === true;
      continue;
    }
    if (raw === undefined || raw === null || raw === "") continue;
    if (field.kind === "select") {
      const option = field.options[Number(raw)];
      if (option) params[field.name] = option.value;
    } else if (field.kind === "number" || field.kind === "integer") {
      const number = Number(raw);
      if (!Number.isFinite(number))
        return { problem: { name: field.name, message: `${field.name}: not a number` } };
      params[field.name] = number;
    } else if (field.kind === "json") {
      try {
        params[field.name] = JSON.parse(raw);
      } catch {
        return { problem: { name: field.name, message: `${field.name}: not valid JSON` } };
      }
    } else {
      params[field.name] = raw;
    }
  }
  return { params };
}

/**
 * The parameter schema from the editor's rows `{name, type, default, description}` (all strings
 * as typed). A parameter without a default is required. Returns {schema} (undefined when there
 * are no rows) or {problem: {row, field, message}} naming the row (0-based) and field at fault.
 */
export function buildSchema(rows) {
  const properties = {};
  const required = [];
  for (const [row, entry] of rows.entries()) {
    const name = (entry.name ?? "").trim();
    const at = `Parameter ${row + 1}`;
    if (!name) return { problem: { row, field: "name", message: `${at}: give it a name.` } };
    if (!PARAM_NAME.test(name))
      return {
        problem: {
          row,
          field: "name",
          message: `${at}: "${name}" is not a valid name (letters, digits and '_', not starting with a digit).`,
        },
      };
    if (Object.hasOwn(properties, name))
      return { problem: { row, field: "name", message: `${at}: "${name}" is used twice.` } };
    const type = PARAM_TYPES.includes(entry.type) ? entry.type : "string";
    const prop = { type };
    const description = (entry.description ?? "").trim();
    if (description) prop.description = description;
    const text = entry.default ?? "";
    if (text.trim() === "") {
      required.push(name);
    } else {
      const parsed = parseDefault(text, type);
      if (parsed.problem)
        return { problem: { row, field: "default", message: `${at} (${name}): ${parsed.problem}` } };
      prop.default = parsed.value;
    }
    properties[name] = prop;
  }
  if (rows.length === 0) return { schema: undefined };
  const schema = { type: "object", properties };
  if (required.length) schema.required = required;
  return { schema };
}

function parseDefault(text, type) {
  const trimmed = text.trim();
  if (type === "string") return { value: text };
  if (type === "boolean") {
    if (/^(true|yes|1)$/i.test(trimmed)) return { value: true };
    if (/^(false|no|0)$/i.test(trimmed)) return { value: false };
    return { problem: "the default of a boolean is true or false." };
  }
  const number = Number(trimmed);
  if (!Number.isFinite(number)) return { problem: `the default "${trimmed}" is not a number.` };
  if (type === "integer" && !Number.isInteger(number))
    return { problem: `the default "${trimmed}" is not a whole number.` };
  return { value: number };
}
