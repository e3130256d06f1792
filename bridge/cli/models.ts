// `scriptwright models`: what the model endpoint offers (its /v1/models), through the running
// bridge (its provider, endpoint and key) or, with no bridge or with --provider/--base-url, as
// a bridge started from this shell would see it. The one a new session would use is marked.
import { ModelError } from "../agent/model-error.js";
import type { ModelInfo } from "../agent/model-provider.js";
import { BridgeClient, BridgeHttpError } from "../client/bridge-client.js";
import { NoBridgeError } from "../discovery.js";
import { CliError, EXIT } from "./exit-codes.js";

export interface ModelsOptions {
  dataDir: string;
  json?: boolean;
  provider?: string;
  baseUrl?: string;
}

interface ModelList {
  provider: string;
  endpoint: string;
  model: string;
  models: ModelInfo[];
}

export async function models(options: ModelsOptions): Promise<number> {
  const list =
    (options.provider || options.baseUrl ? null : await fromBridge(options.dataDir)) ?? (await here(options));
  if (options.json) {
    process.stdout.write(`${JSON.stringify(list)}\n`);
    return EXIT.ok;
  }
  const lines = [
    `${list.provider} at ${list.endpoint}: ${list.models.length} model${list.models.length === 1 ? "" : "s"}`,
  ];
  for (const model of list.models) {
    const mark = model.id === list.model ? "*" : " ";
    const name = model.displayName && model.displayName !== model.id ? `  (${model.displayName})` : "";
    lines.push(`${mark} ${model.id}${name}`);
  }
  if (!list.model)
    lines.push(
      "",
      "No model is chosen yet: scriptwright config set model NAME (or --model, $SCRIPTWRIGHT_MODEL).",
    );
  else if (!list.models.some((model) => model.id === list.model))
    lines.push(
      "",
      `The model in use, ${list.model}, is not in this list: sessions will fail until another is chosen.`,
    );
  else lines.push("", "* the model new sessions use");
  process.stdout.write(`${lines.join("\n")}\n`);
  return EXIT.ok;
}

/** The running bridge's answer, or null when no bridge runs. */
async function fromBridge(dataDir: string): Promise<ModelList | null> {
  let client: BridgeClient;
  try {
    client = BridgeClient.fromDataDir(dataDir);
  } catch (error) {
    if (error instanceof NoBridgeError) return null;
    throw error;
  }
  try {
    return await client.get<ModelList>("/api/models");
  } catch (error) {
    if (error instanceof NoBridgeError) return null;
    if (error instanceof BridgeHttpError && error.code === "model")
      throw new CliError(error.message, EXIT.scriptError);
    throw error;
  }
}

/** As a bridge started from this shell (its environment, config.json, the flags given) would list them. */
async function here(options: ModelsOptions): Promise<ModelList> {
  const [{ resolveModelConfig }, { createModelProvider }] = await Promise.all([
    import("../agent/model-config.js"),
    import("../agent/model-provider.js"),
  ]);
  const flags = { provider: options.provider, baseUrl: options.baseUrl };
  const client = createModelProvider(resolveModelConfig({ flags, dataDir: options.dataDir }));
  try {
    const found = await client.listModels();
    return { provider: client.provider, endpoint: client.endpoint, model: client.model, models: found };
  } catch (error) {
    if (error instanceof ModelError) throw new CliError(error.message, EXIT.scriptError);
    throw error;
  }
}
