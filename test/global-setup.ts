// CLI tests spawn the compiled CLI: make sure dist/ matches the sources first.
import { execFileSync } from "node:child_process";

export default function setup(): void {
  execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { stdio: "inherit" });
}
