// The environment a managed host starts with: the bridge's own, minus the bridge's secrets.
// Scripts in a host can read its environment (and pass it to any process they start), so the
// model keys stay with the bridge; the token reaches the host only as its adapter hands it over
// (hostEnv), and the host takes it out of its environment before any script runs.

/** Variables that are the bridge's alone, whatever a host's adapter asks for. */
const BRIDGE_SECRETS = new Set(["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "OPENAI_API_KEY"]);
/** Scriptwright's own secrets, SCRIPTWRIGHT_TOKEN included: a host gets the token from `launch` only. */
const SCRIPTWRIGHT_SECRET = /^SCRIPTWRIGHT_(\w+_)?(TOKEN|KEY|SECRET|PASSWORD)$/;

/** Case-insensitive: Windows environment names are. */
export function isBridgeSecret(name: string): boolean {
  const upper = name.toUpperCase();
  return BRIDGE_SECRETS.has(upper) || SCRIPTWRIGHT_SECRET.test(upper);
}

/** `parent` without the bridge's secrets, then what the adapter's launch adds (its token). */
export function managedHostEnv(
  parent: NodeJS.ProcessEnv,
  launch: Readonly<Record<string, string>>,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(parent)) {
    if (!isBridgeSecret(name)) env[name] = value;
  }
  return { ...env, ...launch };
}
