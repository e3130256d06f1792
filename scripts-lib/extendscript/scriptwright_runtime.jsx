// biome-ignore-all lint: ExtendScript is ES3 (var, function expressions, no JSON); modern rewrites would break it.
// biome-ignore-all format: the formatter would add trailing commas, which ES3 rejects.
// Scriptwright runtime for ExtendScript hosts (After Effects, Premiere through CEP).
// The ExtendScript kit (adapters/extendscript/kit) inlines this file into every wrapped
// script, inside one IIFE: the only name it declares, __scriptwright_v1, stays local to that
// run, so nothing is left in the host's session-long global scope.
// It must run on any ES3 engine: no JSON, no Array.prototype.map/forEach/indexOf, no
// Object.keys, no trailing commas, no reserved words as property names.
// It returns the result envelope as a string:
//   {"$scriptwright":1,"ok":true,"value":...,"logs":"..."}
//   {"$scriptwright":1,"ok":false,"error":{"message":...,"type":...,"line":...,"column":...,"stack":...},"logs":"..."}
function __scriptwright_v1(userFn, epilogueFn, params, options) {
  var toStr = Object.prototype.toString;
  var hasOwn = Object.prototype.hasOwnProperty;
  var maxLogChars = options.maxLogChars;
  var maxValueChars = options.maxValueChars;
  var maxItems = options.maxItems;
  var maxDepth = options.maxDepth;
  var hostApp = typeof app !== "undefined" && app ? app : null;
  var dollar = typeof $ !== "undefined" && $ ? $ : null;

  var ESCAPES = { "\"": "\\\"", "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t" };
  var NEEDS_ESCAPE = /[\u0000-\u001f"\\\u007f-\uffff]/g;

  function hex4(code) {
    var h = code.toString(16);
    while (h.length < 4) h = "0" + h;
    return h;
  }

  function escapeChar(ch) {
    if (hasOwn.call(ESCAPES, ch)) return ESCAPES[ch];
    return "\\u" + hex4(ch.charCodeAt(0));
  }

  function quote(s) {
    return "\"" + String(s).replace(NEEDS_ESCAPE, escapeChar) + "\"";
  }

  function classOf(v) {
    return toStr.call(v).slice(8, -1);
  }

  function safeGet(obj, key) {
    try {
      return obj[key];
    } catch (e) {
      return undefined;
    }
  }

  /** The ExtendScript class name (reflect.name) when the object has one, else null. */
  function reflectName(v) {
    var r = safeGet(v, "reflect");
    if (r === null || r === undefined) return null;
    var n = safeGet(r, "name");
    return typeof n === "string" && n !== "" ? n : null;
  }

  function functionName(f) {
    var n = safeGet(f, "name");
    if (typeof n === "string" && n !== "") return n;
    var m = /function\s+([A-Za-z_$][\w$]*)/.exec(String(f));
    return m ? m[1] : "anonymous";
  }

  function errorText(e) {
    try {
      if (e !== null && typeof e === "object" && e.message !== undefined) return String(e.message);
      return String(e);
    } catch (inner) {
      return "(unprintable error)";
    }
  }

  /** Serialises a value to JSON text within `limit` characters (roughly: markers may add a little). */
  function serialize(value, limit) {
    var out = [];
    var size = 0;
    var stack = [];

    function emit(s) {
      out.push(s);
      size += s.length;
    }

    function full() {
      return size >= limit;
    }

    function emitString(s) {
      var room = limit - size;
      if (room < 0) room = 0;
      if (s.length > room) {
        emit(quote(s.slice(0, room) + "... [" + (s.length - room) + " more characters]"));
      } else {
        emit(quote(s));
      }
    }

    function onStack(v) {
      for (var i = 0; i < stack.length; i++) {
        if (stack[i] === v) return true;
      }
      return false;
    }

    function emitRef(typeName, v) {
      emit("{\"$ref\":" + quote(typeName));
      var keys = ["name", "id", "index", "fsName", "length"];
      for (var i = 0; i < keys.length; i++) {
        var x = safeGet(v, keys[i]);
        var t = typeof x;
        if (t === "string" || (t === "number" && isFinite(x)) || t === "boolean") {
          emit("," + quote(keys[i]) + ":");
          if (t === "string") emitString(x);
          else emit(String(x));
        }
      }
      emit("}");
    }

    function emitArray(v, depth) {
      var length = v.length;
      emit("[");
      stack.push(v);
      for (var i = 0; i < length; i++) {
        if (i > 0) emit(",");
        if (i >= maxItems) {
          emit("{\"$more\":" + (length - i) + "}");
          break;
        }
        if (full()) {
          emit("{\"$truncated\":" + (length - i) + "}");
          break;
        }
        emitValue(safeGet(v, i), depth + 1);
      }
      stack.pop();
      emit("]");
    }

    function emitObject(v, depth) {
      var count = 0;
      var skipped = 0;
      emit("{");
      stack.push(v);
      for (var k in v) {
        if (!hasOwn.call(v, k)) continue;
        var x = safeGet(v, k);
        if (typeof x === "function") continue;
        if (count >= maxItems || full()) {
          skipped++;
          continue;
        }
        if (count > 0) emit(",");
        emit(quote(k) + ":");
        emitValue(x, depth + 1);
        count++;
      }
      if (skipped > 0) emit((count > 0 ? "," : "") + "\"$more\":" + skipped);
      stack.pop();
      emit("}");
    }

    function emitValue(v, depth) {
      if (v === null || v === undefined) return emit("null");
      var t = typeof v;
      if (t === "boolean") return emit(v ? "true" : "false");
      if (t === "number") return emit(isFinite(v) ? String(v) : "null");
      if (t === "string") return emitString(v);
      if (t === "function") return emit("{\"$function\":" + quote(functionName(v)) + "}");
      if (t === "xml") return emitString(String(v.toXMLString()));
      var cls = classOf(v);
      if (cls === "String" || cls === "Number" || cls === "Boolean") return emitValue(v.valueOf(), depth);
      if (cls === "Date" || cls === "RegExp") return emitString(String(v));
      if (cls === "Error") {
        emit("{\"$error\":");
        emitString(String(safeGet(v, "name") || "Error"));
        emit(",\"message\":");
        emitString(errorText(v));
        return emit("}");
      }
      var rname = reflectName(v);
      if (rname !== null && rname !== "Object" && rname !== "Array") return emitRef(rname, v);
      if (onStack(v)) return emit("{\"$cycle\":" + quote(cls) + "}");
      if (depth >= maxDepth) return emit("{\"$depth\":" + quote(cls) + "}");
      if (cls === "Array") return emitArray(v, depth);
      return emitObject(v, depth);
    }

    emitValue(value, 0);
    return out.join("");
  }

  // ---- logs ------------------------------------------------------------------------
  var logParts = [];
  var logSize = 0;
  var logsCut = false;

  function addLog(text) {
    if (logsCut) return;
    if (logSize + text.length > maxLogChars) {
      var room = maxLogChars - logSize;
      if (room > 0) logParts.push(text.slice(0, room));
      logParts.push("\n... [logs truncated at " + maxLogChars + " characters]\n");
      logSize = maxLogChars;
      logsCut = true;
      return;
    }
    logParts.push(text);
    logSize += text.length;
  }

  function log() {
    var parts = [];
    for (var i = 0; i < arguments.length; i++) {
      var a = arguments[i];
      parts.push(typeof a === "string" ? a : serialize(a, maxLogChars));
    }
    addLog(parts.join(" ") + "\n");
  }

  // ---- errors ----------------------------------------------------------------------
  // A stack frame with a position: V8 "    at f (file:12:5)", SpiderMonkey "f@file:12:5".
  var FRAME = /^(\s*at |[^\s]*@)[^\n]*?:(\d+):(\d+)\)?\s*$/;

  function isUserLine(line) {
    return line >= options.userFirstLine && line <= options.userLastLine;
  }

  /** Undoes the `return (` the wrapper inserted before the final expression. */
  function userColumn(line, column) {
    if (line !== options.returnLine || column < options.returnColumn) return column;
    if (column < options.returnColumn + options.returnShift) return options.returnColumn;
    return column - options.returnShift;
  }

  function describeError(e) {
    var err = { message: errorText(e), type: null, line: null, column: null, stack: null };
    if (e === null || typeof e !== "object") {
      err.type = typeof e === "string" ? null : typeof e;
      return err;
    }
    var name = safeGet(e, "name");
    if (typeof name === "string" && name !== "") err.type = name;
    var line = safeGet(e, "line");
    if (typeof line === "number" && line > 0) err.line = line;
    var stack = safeGet(e, "stack");
    if (typeof stack === "string" && stack !== "") {
      // Keep the message and the frames in the user's code; wrapper and host frames go.
      var kept = [];
      var lines = stack.split("\n");
      for (var i = 0; i < lines.length; i++) {
        var m = FRAME.exec(lines[i]);
        if (!m) {
          if (kept.length === 0 || !/^\s*at /.test(lines[i])) kept.push(lines[i]);
          continue;
        }
        var frameLine = Number(m[2]);
        if (!isUserLine(frameLine)) continue;
        kept.push(lines[i]);
        if (err.line === null) {
          err.line = frameLine;
          err.column = userColumn(frameLine, Number(m[3]));
        }
      }
      err.stack = kept.join("\n");
    }
    if (err.line !== null && !isUserLine(err.line)) {
      err.line = null;
      err.column = null;
    }
    return err;
  }

  function errorJson(err) {
    var parts = ["\"message\":" + quote(err.message)];
    if (err.type !== null) parts.push("\"type\":" + quote(err.type));
    if (err.line !== null) parts.push("\"line\":" + err.line);
    if (err.column !== null) parts.push("\"column\":" + err.column);
    if (err.stack !== null) parts.push("\"stack\":" + quote(err.stack));
    return "{" + parts.join(",") + "}";
  }

  // ---- run -------------------------------------------------------------------------
  var result;
  var failure = null;
  var undoOpen = false;
  var dialogsSuppressed = false;
  var writelnPatched = false;
  var originalWriteln = null;

  if (dollar) {
    try {
      originalWriteln = dollar.writeln;
      var captureWriteln = function () {
        var parts = [];
        for (var i = 0; i < arguments.length; i++) parts.push(String(arguments[i]));
        addLog(parts.join("") + "\n");
      };
      dollar.writeln = captureWriteln;
      writelnPatched = dollar.writeln === captureWriteln;
    } catch (patchError) {
      writelnPatched = false;
    }
  }

  try {
    if (hostApp) {
      try {
        if (hostApp.beginSuppressDialogs) {
          hostApp.beginSuppressDialogs();
          dialogsSuppressed = true;
        }
      } catch (suppressError) {
        dialogsSuppressed = false;
      }
      if (hostApp.beginUndoGroup) {
        hostApp.beginUndoGroup("Scriptwright");
        undoOpen = true;
      }
    }
    result = userFn(log, params);
  } catch (e) {
    failure = describeError(e);
  } finally {
    if (epilogueFn) {
      try {
        epilogueFn(log, params);
      } catch (epilogueError) {
        if (failure === null) {
          failure = describeError(epilogueError);
          failure.message = "the run's epilogue failed: " + failure.message;
          failure.line = null;
          failure.column = null;
        }
      }
    }
    if (undoOpen) {
      try {
        hostApp.endUndoGroup();
      } catch (undoError) {
        undoOpen = false;
      }
    }
    if (dialogsSuppressed) {
      try {
        hostApp.endSuppressDialogs(false);
      } catch (dialogsError) {
        dialogsSuppressed = false;
      }
    }
    if (writelnPatched) {
      try {
        dollar.writeln = originalWriteln;
      } catch (restoreError) {
        writelnPatched = false;
      }
    }
  }

  var head = "{\"$scriptwright\":1,";
  if (failure === null) {
    try {
      var valueJson = serialize(result, maxValueChars);
      return head + "\"ok\":true,\"value\":" + valueJson + ",\"logs\":" + quote(logParts.join("")) + "}";
    } catch (serializeError) {
      failure = describeError(serializeError);
      failure.message = "the script ran, but its value could not be serialised: " + failure.message;
      failure.type = "SerializationError";
      failure.line = null;
      failure.column = null;
    }
  }
  return head + "\"ok\":false,\"error\":" + errorJson(failure) + ",\"logs\":" + quote(logParts.join("")) + "}";
}
