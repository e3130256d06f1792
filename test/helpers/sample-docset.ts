// A small hand-written reference for an imaginary app, to test the docs store without a
// real builder. Its long member exists to force paging.
import type { DocSet } from "../../adapters/shared/docs-model.js";

export function sampleDocSet(version = "2.0"): DocSet {
  return {
    app: "sampleapp",
    version,
    source: "hand-written test fixture",
    entries: [
      {
        name: "Scene",
        kind: "class",
        group: "classes",
        description: "A scene holds shapes. Scenes are saved in documents.",
        extends: ["Item"],
        members: [
          {
            name: "shapes",
            kind: "property",
            signature: "readonly shapes: ShapeCollection",
            type: "ShapeCollection",
            readonly: true,
            description: "The shapes in this scene.",
          },
          {
            name: "addCircle",
            kind: "method",
            signature: "addCircle(radius?: number): Circle",
            type: "Circle",
            description: "Creates a new circle shape in the scene.",
            params: [
              { name: "radius", type: "number", optional: true, description: "The radius in pixels." },
            ],
          },
          {
            name: "addCircle",
            kind: "method",
            signature: "addCircle(center: Point, radius: number): Circle",
            description: "Creates a circle at a point.",
          },
          {
            name: "render_to_file",
            kind: "method",
            signature: "render_to_file(path: string): void",
            description: "Renders the scene to an image file.",
          },
          { name: "notes", kind: "property", signature: "notes: string", description: "x".repeat(9000) },
        ],
      },
      {
        name: "Item",
        kind: "class",
        group: "classes",
        description: "Base of everything in a document.",
        members: [
          { name: "name", kind: "property", signature: "name: string", description: "The item's name." },
        ],
      },
      {
        name: "BlendMode",
        kind: "enum",
        group: "enums",
        description: "How a shape blends with those below it.",
        members: [
          { name: "NORMAL", kind: "enum-value", signature: "BlendMode.NORMAL = 1", value: "1" },
          {
            name: "MULTIPLY",
            kind: "enum-value",
            signature: "BlendMode.MULTIPLY = 2",
            value: "2",
            description: "Darkens.",
          },
        ],
      },
      {
        name: "app",
        kind: "global",
        group: "globals",
        description: "The running application.",
        members: [
          {
            name: "open",
            kind: "method",
            signature: "open(file: string): Scene",
            description: "Opens a document file.",
          },
        ],
      },
    ],
  };
}
