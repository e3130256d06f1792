// Finding soffice and a Python that can run the LibreOffice runner, on fake installs in a
// temporary folder: explicit overrides win (and a wrong one means "not installed"), and
// LibreOffice's bundled Python comes before the system's.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findSoffice, findUnoPython, hasUno } from "../adapters/libreoffice/find.js";
import { launchLibreOffice, libreOfficeRunnerScript } from "../adapters/libreoffice/index.js";

const root = mkdtempSync(join(tmpdir(), "sw-lo-find-"));

function executable(path: string, body = "#!/bin/sh\nexit 0\n"): string {
  writeFileSync(path, body);
  chmodSync(path, 0o755);
  return path;
}

describe("finding LibreOffice", () => {
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("takes $SCRIPTWRIGHT_SOFFICE as given, and a wrong one as not installed", () => {
    const soffice = executable(join(root, "my-soffice"));
    expect(findSoffice({ SCRIPTWRIGHT_SOFFICE: soffice, PATH: "" }, "linux")).toBe(soffice);
    expect(findSoffice({ SCRIPTWRIGHT_SOFFICE: join(root, "missing"), PATH: "" }, "linux")).toBeNull();
  });

  it("finds soffice on PATH, else nothing on Linux", () => {
    const bin = join(root, "bin");
    mkdirSync(bin);
    const soffice = executable(join(bin, "soffice"));
    expect(findSoffice({ PATH: bin }, "linux")).toBe(soffice);
    expect(findSoffice({ PATH: join(root, "empty") }, "linux")).toBeNull();
  });

  it("prefers LibreOffice's bundled Python next to the real soffice (through a symlink)", () => {
    const program = join(root, "install", "program");
    mkdirSync(program, { recursive: true });
    const soffice = executable(join(program, "soffice"));
    const bundled = executable(join(program, "python"));
    const link = join(root, "soffice-link");
    symlinkSync(soffice, link);
    expect(findUnoPython(link, { PATH: "" }, "linux")).toBe(bundled);
  });

  it("takes $SCRIPTWRIGHT_LIBREOFFICE_PYTHON as given, and a wrong one as none", () => {
    const python = executable(join(root, "uno-python"));
    const soffice = executable(join(root, "soffice-alone"));
    expect(findUnoPython(soffice, { SCRIPTWRIGHT_LIBREOFFICE_PYTHON: python }, "linux")).toBe(python);
    expect(
      findUnoPython(soffice, { SCRIPTWRIGHT_LIBREOFFICE_PYTHON: join(root, "nope") }, "linux"),
    ).toBeNull();
  });

  it("checks that a system Python can import uno before using it", () => {
    expect(hasUno(executable(join(root, "fails"), "#!/bin/sh\nexit 1\n"))).toBe(false);
    expect(hasUno(executable(join(root, "works"), "#!/bin/sh\nexit 0\n"))).toBe(true);
  });

  it("launches the runner with the uno Python; the token goes in the environment, never the arguments", () => {
    const python = executable(join(root, "launch-python"));
    const previous = process.env.SCRIPTWRIGHT_LIBREOFFICE_PYTHON;
    process.env.SCRIPTWRIGHT_LIBREOFFICE_PYTHON = python;
    try {
      const launch = launchLibreOffice("/opt/lo/soffice", {
        bridgeUrl: "ws://127.0.0.1:7821/ws/host",
        token: "secret-token",
        name: "libreoffice-headless-1",
        instance: "abc",
        file: "-odd name.xlsx",
      });
      expect(launch.command).toBe(python);
      expect(launch.args.slice(0, 3)).toEqual([libreOfficeRunnerScript, "--soffice", "/opt/lo/soffice"]);
      expect(launch.args).toContain("--instance");
      expect(launch.args.at(-1)).toMatch(/^\/.*-odd name\.xlsx$/);
      expect(launch.args.join(" ")).not.toContain("secret-token");
      expect(launch.env).toEqual({ SCRIPTWRIGHT_TOKEN: "secret-token" });
    } finally {
      if (previous === undefined) delete process.env.SCRIPTWRIGHT_LIBREOFFICE_PYTHON;
      else process.env.SCRIPTWRIGHT_LIBREOFFICE_PYTHON = previous;
    }
  });
});
