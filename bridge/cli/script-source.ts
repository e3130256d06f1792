// Where a command's script comes from: --file, --code, or - (stdin); exactly one.
import { readFileSync } from "node:fs";
import { CliError, EXIT } from "./exit-codes.js";

export async function readScript(
  dash: string | undefined,
  options: { file?: string; code?: string },
): Promise<string> {
  if (dash !== undefined && dash !== "-")
    throw new CliError(`unexpected argument "${dash}" (use --file, --code or -)`, EXIT.usage);
  const given = [options.file !== undefined, options.code !== undefined, dash === "-"].filter(Boolean).length;
  if (given !== 1)
    throw new CliError("give the script exactly one way: --file F, --code C, or - for stdin", EXIT.usage);
  if (options.code !== undefined) return options.code;
  if (options.file !== undefined) {
    try {
      return readFileSync(options.file, "utf8");
    } catch (error) {
      throw new CliError(`cannot read ${options.file}: ${(error as Error).message}`, EXIT.usage);
    }
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
