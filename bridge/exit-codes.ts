// The CLI's exit codes: a contract with the scripts that call it, and with `scriptwright mcp`,
// which runs `serve` as a child and reads how it ended. Below the CLI, so both can name them.
export const EXIT = { ok: 0, scriptError: 1, usage: 2, noBridge: 3, timeout: 4 } as const;
