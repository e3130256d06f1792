// Reads a secret the way no other user can see it: piped on stdin, or typed (or pasted) at a
// prompt that echoes nothing. Never from argv, which every user of the machine can list.
import { CliError, EXIT } from "./exit-codes.js";

/** Bracketed-paste markers a terminal may wrap pasted text in (ESC [200~ … ESC [201~). */
const PASTE_MARKERS = ["\u001b[200~", "\u001b[201~"];

export async function readSecret(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let text = "";
    stdin.setEncoding("utf8");
    for await (const chunk of stdin) text += chunk;
    return text.trim();
  }
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding("utf8");
  stdin.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = "";
      const finish = (done: () => void) => {
        stdin.off("data", onData);
        done();
      };
      const onData = (chunk: string) => {
        for (const char of PASTE_MARKERS.reduce((text, marker) => text.replaceAll(marker, ""), chunk)) {
          if (char === "\r" || char === "\n" || char === "\u0004") return finish(() => resolve(value.trim()));
          if (char === "\u0003") return finish(() => reject(new CliError("cancelled", 130)));
          if (char === "\u007f" || char === "\b") value = value.slice(0, -1);
          else if (char >= " ") value += char;
        }
      };
      stdin.on("data", onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    process.stderr.write("\n");
  }
}

/** A secret given on the command line: refused, without repeating it, with the way that works. */
export function refuseSecretArgument(name: string): never {
  throw new CliError(
    `${name} is not taken from the command line, where other users can see it (ps): run \`scriptwright config set ${name}\` and paste it at the prompt, or pipe it in: \`printenv ANTHROPIC_API_KEY | scriptwright config set ${name}\``,
    EXIT.usage,
  );
}
