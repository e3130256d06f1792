// `scriptwright undo`: takes back the last run that changed a host's document (POST /api/undo).
// Exit 0 restored; 1 nothing restored (nothing to undo, the state is unknown and --force was not
// given, the app refused or failed, an app without checkpoints); 2 usage; 3 no bridge or no host.
import { BridgeClient, BridgeHttpError } from "../client/bridge-client.js";
import { EXIT } from "./exit-codes.js";

export interface UndoOptions {
  dataDir: string;
  app?: string;
  host?: string;
  force?: boolean;
  json?: boolean;
}

export async function undo(options: UndoOptions): Promise<number> {
  const client = BridgeClient.fromDataDir(options.dataDir);
  let answer: { message?: unknown };
  try {
    answer = await client.post<{ message?: unknown }>("/api/undo", {
      ...(options.app ? { app: options.app } : {}),
      ...(options.host ? { host: options.host } : {}),
      ...(options.force ? { force: true } : {}),
    });
  } catch (error) {
    if (!(error instanceof BridgeHttpError)) throw error;
    // Why nothing was restored is the command's answer, not a failure to reach the bridge.
    if (options.json)
      process.stdout.write(`${JSON.stringify({ error: { code: error.code, message: error.message } })}\n`);
    else process.stderr.write(`scriptwright: ${error.message}\n`);
    if (error.status === 404) return EXIT.noBridge;
    if (error.status === 400) return EXIT.usage;
    return EXIT.scriptError;
  }
  process.stdout.write(options.json ? `${JSON.stringify(answer)}\n` : `${String(answer.message)}\n`);
  return EXIT.ok;
}
