// The in-app runtime for UXP JavaScript, as source text: the wrapper (wrap.ts) embeds it
// in every run, so a host needs no setup and a reloaded plugin never runs stale helpers.
// It is plain ES2018 that any UXP (V8) engine runs; it must never contain a backtick or
// a dollar-brace, since it lives in a template literal here.
//
// `start(config, paramsJson, probe)` captures logs (log() and console.*) and returns the
// run context; `fail(error)` records an error, `finish(value)` restores the console and
// returns the envelope text:
//   {"$scriptwright":1,"ok":true,"value":<json>,"logs":"..."}
//   {"$scriptwright":1,"ok":false,"error":{"message","type","line","column","stack"},"logs":"..."}
// Positions are already the user's (1-based): the runtime measures the engine's own header
// lines for `new Function` with `probe` (an Error made on a known line of the wrapper)
// instead of assuming V8's two.
//
// Value markers (as in the Python runtime): {"$ref": Class, "name", "guid"} for app objects,
// {"$type", "$repr"} for functions, symbols and promises, {"$float": "nan"|"inf"|"-inf"},
// {"$int": digits} for big integers, {"$cycle": T}, {"$truncated": "depth", "$type"},
// {"$truncated": "size", "head", "length"}, {"$more": N}, {"$type", "$error"}.
export const RUNTIME_SOURCE = String.raw`(function () {
  "use strict";
  var ENVELOPE_VERSION = 1;
  var MAX_DEPTH = 8;
  var MAX_MESSAGE_CHARS = 4000;
  var MAX_STACK_CHARS = 16000;
  var MAX_REPR_CHARS = 300;
  var V8_FUNCTION_HEADER_LINES = 2;
  var FRAME = /<anonymous>:(\d+):(\d+)(\)?)\s*$/;
  var CONSOLE_METHODS = ["log", "info", "warn", "error", "debug"];
  var CONSOLE_STORE = "__scriptwright_console__";

  function safeString(value) {
    try {
      return String(value);
    } catch (e) {
      return "[unprintable]";
    }
  }

  function cap(text, limit) {
    return text.length > limit ? text.slice(0, limit) + "\u2026" : text;
  }

  function typeName(value) {
    if (value === null) return "null";
    var t = typeof value;
    if (t !== "object" && t !== "function") return t;
    try {
      var proto = Object.getPrototypeOf(value);
      if (proto === null) return "Object";
      var ctor = proto.constructor;
      if (typeof ctor === "function" && typeof ctor.name === "string" && ctor.name !== "") return ctor.name;
    } catch (e) {}
    try {
      return Object.prototype.toString.call(value).slice(8, -1) || "Object";
    } catch (e) {
      return "Object";
    }
  }

  function readProperty(obj, key) {
    try {
      return obj[key];
    } catch (e) {
      return undefined;
    }
  }

  function isPlainObject(obj) {
    var proto = Object.getPrototypeOf(obj);
    return proto === null || proto === Object.prototype;
  }

  function guidText(guid) {
    if (typeof guid === "string") return guid;
    if (guid === null || typeof guid !== "object") return undefined;
    try {
      var text = guid.toString();
      return typeof text === "string" && text.indexOf("[object") !== 0 ? text : undefined;
    } catch (e) {
      return undefined;
    }
  }

  function keyText(key) {
    if (typeof key === "string") return key;
    if (key === null || (typeof key !== "object" && typeof key !== "function")) return safeString(key);
    var name = readProperty(key, "name");
    return typeof name === "string" ? typeName(key) + " " + name : typeName(key);
  }

  function Encoder(maxChars, maxItems) {
    this.budget = maxChars;
    this.maxItems = maxItems;
    this.active = new Set();
  }

  Encoder.prototype.convert = function (value, depth) {
    var t = typeof value;
    if (value === null || value === undefined) {
      this.budget -= 4;
      return null;
    }
    if (t === "string") return this.string(value);
    if (t === "boolean") {
      this.budget -= 5;
      return value;
    }
    if (t === "number") {
      this.budget -= 12;
      if (isFinite(value)) return value;
      return { $float: value !== value ? "nan" : value > 0 ? "inf" : "-inf" };
    }
    if (t === "bigint") {
      var digits = value.toString();
      this.budget -= digits.length + 12;
      var asNumber = Number(value);
      return Number.isSafeInteger(asNumber) ? asNumber : { $int: digits };
    }
    if (t === "symbol") return this.opaque("symbol", safeString(value));
    if (t === "function") {
      var fname = readProperty(value, "name");
      return this.opaque("function", "function " + (typeof fname === "string" && fname ? fname : "(anonymous)"));
    }
    try {
      return this.object(value, depth);
    } catch (e) {
      this.budget -= 80;
      return { $type: typeName(value), $error: "could not serialise: " + cap(safeString(e && e.message), 200) };
    }
  };

  Encoder.prototype.string = function (text) {
    var n = text.length;
    if (n + 2 <= this.budget) {
      this.budget -= n + 2;
      return text;
    }
    var head = text.slice(0, Math.max(this.budget, 0));
    this.budget -= head.length + 60;
    return { $truncated: "size", head: head, length: n };
  };

  Encoder.prototype.opaque = function (type, repr) {
    var text = cap(repr, MAX_REPR_CHARS);
    this.budget -= text.length + type.length + 24;
    return { $type: type, $repr: text };
  };

  Encoder.prototype.object = function (obj, depth) {
    var self = this;
    if (Array.isArray(obj)) return this.container(obj, depth, function (d) { return self.indexed(obj, d); });
    if (ArrayBuffer.isView(obj) && typeof obj.length === "number") {
      return this.container(obj, depth, function (d) { return self.indexed(obj, d); });
    }
    if (obj instanceof Date) return this.string(isNaN(obj.getTime()) ? "Invalid Date" : obj.toISOString());
    if (obj instanceof RegExp) return this.string(safeString(obj));
    if (obj instanceof Error) {
      this.budget -= 40;
      return { $type: safeString(obj.name || typeName(obj)), message: cap(safeString(obj.message), MAX_MESSAGE_CHARS) };
    }
    if (typeof readProperty(obj, "then") === "function") {
      return this.opaque(typeName(obj), "a Promise: add await to get its value");
    }
    if (obj instanceof Map) {
      return this.container(obj, depth, function (d) {
        var pairs = [];
        obj.forEach(function (v, k) { pairs.push([keyText(k), v]); });
        return self.pairs(pairs, d);
      });
    }
    if (obj instanceof Set) {
      return this.container(obj, depth, function (d) { return self.indexed(Array.from(obj), d); });
    }
    if (isPlainObject(obj)) {
      return this.container(obj, depth, function (d) {
        return self.pairs(Object.keys(obj).map(function (k) { return [k, readProperty(obj, k)]; }), d);
      });
    }
    return this.reference(obj, depth);
  };

  // App objects (Premiere's Project, Sequence, ProjectItem, ...) become readable references.
  Encoder.prototype.reference = function (obj, depth) {
    var self = this;
    var type = typeName(obj);
    var ref = { $ref: type };
    var name = readProperty(obj, "name");
    if (typeof name === "string") ref.name = name;
    var guid = guidText(readProperty(obj, "guid"));
    if (guid !== undefined) ref.guid = guid;
    if (ref.name === undefined && ref.guid === undefined) {
      var keys = Object.keys(obj);
      if (keys.length > 0) {
        // A plain class of the script's own: its fields, labelled with the class.
        return this.container(obj, depth, function (d) {
          return self.pairs(
            [["$type", type]].concat(keys.map(function (k) { return [k, readProperty(obj, k)]; })),
            d,
          );
        });
      }
    }
    this.budget -= type.length + (ref.name ? ref.name.length : 0) + (ref.guid ? ref.guid.length : 0) + 32;
    return ref;
  };

  Encoder.prototype.container = function (obj, depth, items) {
    var type = typeName(obj);
    if (this.active.has(obj)) {
      this.budget -= type.length + 16;
      return { $cycle: type };
    }
    if (depth >= MAX_DEPTH) {
      this.budget -= type.length + 36;
      return { $truncated: "depth", $type: type };
    }
    this.active.add(obj);
    try {
      return items(depth + 1);
    } finally {
      this.active.delete(obj);
    }
  };

  Encoder.prototype.indexed = function (list, depth) {
    var out = [];
    this.budget -= 2;
    var count = list.length;
    for (var i = 0; i < count; i++) {
      if (i >= this.maxItems || this.budget <= 0) {
        out.push({ $more: count - i });
        break;
      }
      this.budget -= 1;
      out.push(this.convert(list[i], depth));
    }
    return out;
  };

  Encoder.prototype.pairs = function (pairs, depth) {
    var out = {};
    this.budget -= 2;
    for (var i = 0; i < pairs.length; i++) {
      if (i >= this.maxItems || this.budget <= 0) {
        out.$more = pairs.length - i;
        break;
      }
      var key = pairs[i][0];
      this.budget -= key.length + 4;
      out[key] = this.convert(pairs[i][1], depth);
    }
    return out;
  };

  function LogSink(limit) {
    this.parts = [];
    this.room = limit;
    this.dropped = 0;
  }

  LogSink.prototype.write = function (text) {
    if (this.room <= 0) {
      this.dropped += text.length;
      return;
    }
    if (text.length > this.room) {
      this.dropped += text.length - this.room;
      text = text.slice(0, this.room);
    }
    this.room -= text.length;
    this.parts.push(text);
  };

  LogSink.prototype.text = function () {
    var text = this.parts.join("");
    if (this.dropped > 0) {
      if (text !== "" && text.charAt(text.length - 1) !== "\n") text += "\n";
      text += "[... " + this.dropped + " more characters of logs dropped]\n";
    }
    return text;
  };

  function formatLogArgument(value) {
    if (typeof value === "string") return value;
    try {
      var converted = new Encoder(10000, 100).convert(value, 0);
      var text = JSON.stringify(converted);
      return typeof text === "string" ? text : safeString(value);
    } catch (e) {
      return safeString(value);
    }
  }

  function formatLogLine(args, prefix) {
    var parts = [];
    for (var i = 0; i < args.length; i++) parts.push(formatLogArgument(args[i]));
    return prefix + parts.join(" ") + "\n";
  }

  function measureHeader(probe, probeLine) {
    var stack = probe && typeof probe.stack === "string" ? probe.stack.split("\n") : [];
    for (var i = 0; i < stack.length; i++) {
      var match = FRAME.exec(stack[i]);
      if (match) return Number(match[1]) - probeLine;
    }
    return V8_FUNCTION_HEADER_LINES;
  }

  function start(config, paramsJson, probe) {
    var sink = new LogSink(config.maxLogChars);
    var header = measureHeader(probe, config.probeLine);
    var state = { failed: false, error: null, notes: [] };
    var store = globalThis[CONSOLE_STORE];
    // A run that never finished left the console captured: its saved originals are the real ones.
    var originals = store && store.originals ? store.originals : {};
    var target = typeof console === "object" && console !== null ? console : null;
    if (target) {
      if (!store || !store.originals) {
        for (var i = 0; i < CONSOLE_METHODS.length; i++) originals[CONSOLE_METHODS[i]] = target[CONSOLE_METHODS[i]];
      }
      globalThis[CONSOLE_STORE] = { originals: originals };
      CONSOLE_METHODS.forEach(function (method) {
        var prefix = method === "warn" ? "[warn] " : method === "error" ? "[error] " : "";
        try {
          target[method] = function () { sink.write(formatLogLine(arguments, prefix)); };
        } catch (e) {}
      });
    }

    function restoreConsole() {
      if (!target) return;
      for (var i = 0; i < CONSOLE_METHODS.length; i++) {
        try {
          target[CONSOLE_METHODS[i]] = originals[CONSOLE_METHODS[i]];
        } catch (e) {}
      }
      try {
        delete globalThis[CONSOLE_STORE];
      } catch (e) {}
    }

    function userLine(engineLine) {
      var line = engineLine - header - config.lineOffset;
      return line >= 1 && line <= config.userLines ? line : null;
    }

    function mapStack(stack) {
      var out = [];
      var lines = stack.split("\n");
      var inFrames = false;
      for (var i = 0; i < lines.length; i++) {
        var text = lines[i];
        if (/^\s+at /.test(text)) inFrames = true;
        if (!inFrames) {
          out.push(text);
          continue;
        }
        var match = FRAME.exec(text);
        if (!match) {
          out.push(text);
          continue;
        }
        var line = userLine(Number(match[1]));
        // The wrapper's own frames: nothing below them is the user's.
        if (line === null) break;
        out.push(text.slice(0, match.index) + "<script>:" + line + ":" + match[2] + match[3]);
      }
      var mapped = out.join("\n");
      if (mapped.length > MAX_STACK_CHARS) mapped = mapped.slice(0, MAX_STACK_CHARS) + "\n[... stack cut]";
      return mapped;
    }

    function describe(error) {
      var described = {};
      var isErrorLike = error !== null && typeof error === "object" && "message" in error;
      if (isErrorLike) {
        var message = safeString(readProperty(error, "message"));
        described.message = cap(message === "" ? "(no message)" : message, MAX_MESSAGE_CHARS);
        var name = readProperty(error, "name");
        described.type = typeof name === "string" && name !== "" ? name : typeName(error);
      } else {
        described.message = cap(formatLogArgument(error), MAX_MESSAGE_CHARS) || "(empty)";
        described.type = typeName(error);
      }
      var stack = isErrorLike ? readProperty(error, "stack") : undefined;
      if (typeof stack === "string") {
        var lines = stack.split("\n");
        for (var i = 0; i < lines.length; i++) {
          var match = FRAME.exec(lines[i]);
          if (!match) continue;
          var line = userLine(Number(match[1]));
          if (line !== null) {
            described.line = line;
            described.column = Number(match[2]);
            break;
          }
        }
        described.stack = mapStack(stack);
      }
      return described;
    }

    function envelope(ok, payload) {
      var result = { $scriptwright: ENVELOPE_VERSION, ok: ok };
      if (ok) result.value = payload;
      else result.error = payload;
      var logs = sink.text() + state.notes.join("");
      if (logs !== "") result.logs = logs;
      return JSON.stringify(result);
    }

    return {
      params: paramsJson === "null" ? null : JSON.parse(paramsJson),
      log: function log() {
        sink.write(formatLogLine(arguments, ""));
      },
      edit: edit,
      fail: function (error) {
        state.failed = true;
        state.error = describe(error);
      },
      epilogueFailed: function (error) {
        var described = describe(error);
        state.notes.push("[scriptwright: the epilogue failed: " + described.type + ": " + described.message + "]\n");
      },
      finish: function (value) {
        try {
          if (state.failed) return envelope(false, state.error);
          var converted;
          try {
            converted = new Encoder(config.maxValueChars, config.maxItems).convert(value, 0);
          } catch (e) {
            return envelope(false, {
              message: "the script ran, but its value could not be serialised: " + safeString(e && e.message),
              type: typeName(e),
            });
          }
          return envelope(true, converted);
        } finally {
          restoreConsole();
        }
      },
    };
  }

  // edit(project, (compound) => { compound.addAction(...) }, "Undo name"): one undo step, made
  // as Premiere 26.x wants it: project.lockedAccess(() => project.executeTransaction(...)), so
  // create*Action calls inside build run under the lock (required since 26.3). build must be
  // synchronous: await what it needs before calling edit.
  function edit(project, build, undoName) {
    if (!project || typeof project.lockedAccess !== "function" || typeof project.executeTransaction !== "function")
      throw new TypeError("edit(project, build, undoName): project must be a Premiere Project (await ppro.Project.getActiveProject())");
    if (typeof build !== "function")
      throw new TypeError("edit(project, build, undoName): build must be a function (compound) => { compound.addAction(...) }");
    var applied = false;
    var failure = null;
    project.lockedAccess(function () {
      applied = project.executeTransaction(function (compound) {
        var made;
        try {
          made = build(compound);
        } catch (e) {
          failure = e;
          throw e;
        }
        if (made && typeof made.then === "function") {
          failure = new TypeError("edit's build function must be synchronous: await what it needs before edit(), then make and add the actions without await");
          throw failure;
        }
      }, undoName === undefined ? "Scriptwright" : String(undoName));
    });
    if (failure) throw failure;
    if (applied === false) throw new Error("Premiere did not apply the edit (executeTransaction returned false)");
    return applied;
  }

  return { start: start };
})()`;
