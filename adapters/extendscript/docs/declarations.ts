// Parses the .d.ts files of one app version (syntax only, one ts.createSourceFile per file)
// and gathers their top-level declarations by name. All of these files declare into one
// global scope, so same-named declarations across files are one symbol (declaration merging).
import { basename, dirname } from "node:path";
import ts from "typescript";

/** Which file a declaration came from: the app's own index.d.ts or one of the shared files. */
export type Origin = "app" | "global" | "javascript" | "scriptui" | "xmp";

export type DeclarationNode =
  | ts.ClassDeclaration
  | ts.InterfaceDeclaration
  | ts.EnumDeclaration
  | ts.TypeAliasDeclaration
  | ts.FunctionDeclaration
  | ts.VariableDeclaration;

export interface Declaration {
  name: string;
  node: DeclarationNode;
  sf: ts.SourceFile;
  origin: Origin;
}

const SHARED_ORIGINS: Record<string, Origin> = {
  "global.d.ts": "global",
  "JavaScript.d.ts": "javascript",
  // ExternalObject and CSXSEvent are core ExtendScript objects, documented with the language.
  "PlugPlugExternalObject.d.ts": "javascript",
  "ScriptUI.d.ts": "scriptui",
  "XMPScript.d.ts": "xmp",
};

// Declared in JavaScript.d.ts only so the TypeScript compiler works without its own lib;
// they are not part of ExtendScript.
const COMPILER_PLUMBING = new Set([
  "CallableFunction",
  "NewableFunction",
  "IArguments",
  "Partial",
  "Readonly",
  "Pick",
  "Record",
]);

export function originOf(path: string): Origin {
  return basename(dirname(path)) === "shared" ? (SHARED_ORIGINS[basename(path)] ?? "javascript") : "app";
}

/** Declarations by name, in file order (shared files first, so the app's merge onto them). */
export function parseDeclarations(
  files: ReadonlyArray<{ path: string; text: string }>,
): Map<string, Declaration[]> {
  const byName = new Map<string, Declaration[]>();
  const add = (name: string, node: DeclarationNode, sf: ts.SourceFile, origin: Origin): void => {
    if (origin === "javascript" && COMPILER_PLUMBING.has(name)) return;
    const list = byName.get(name);
    if (list) list.push({ name, node, sf, origin });
    else byName.set(name, [{ name, node, sf, origin }]);
  };
  for (const file of files) {
    // Parent pointers are needed to find a variable's JSDoc on its statement.
    const sf = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const origin = originOf(file.path);
    for (const statement of sf.statements) {
      if (
        (ts.isClassDeclaration(statement) || ts.isFunctionDeclaration(statement)) &&
        statement.name !== undefined
      ) {
        add(statement.name.text, statement, sf, origin);
      } else if (
        ts.isInterfaceDeclaration(statement) ||
        ts.isEnumDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement)
      ) {
        add(statement.name.text, statement, sf, origin);
      } else if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          if (ts.isIdentifier(declaration.name)) add(declaration.name.text, declaration, sf, origin);
        }
      }
    }
  }
  return byName;
}
