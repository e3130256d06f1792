"""Live introspection of the running Blender's Python API, for Scriptwright's docs.

Runs inside Blender, wrapped by the Python kit: the TypeScript side appends one final
expression, ``list_names()`` or ``describe(params["names"])``, whose value is plain JSON
data shaped like bridge/docs/model.ts (``Entry``). Every struct, operator and member is
described on its own: one that raises is left out, never the whole batch.
"""

import inspect
import math
import re

import bpy

TYPES_PREFIX = "bpy.types."
OPS_PREFIX = "bpy.ops."
CONTEXT_ENTRY = "bpy.context"

# Registered UI and operator classes are thousands of near-empty structs; operators are
# documented under bpy.ops instead. Menus stay: scripts append to them by class name.
SKIPPED_BASES = frozenset({"Panel", "Header", "UIList", "Operator", "Macro"})

MAX_ENUM_VALUES = 60
MAX_SIGNATURE_ENUM_IDS = 8
MAX_DESCRIPTION_CHARS = 800
MAX_ARRAY_DEFAULT_ITEMS = 16
# Range bounds at or beyond these are the type's limits, not worth printing.
HUGE_FLOAT = 1e30
HUGE_INT = 2**31 - 2

SCALAR_TYPES = {"BOOLEAN": "bool", "INT": "int", "FLOAT": "float", "STRING": "str"}
VECTOR_SUBTYPES = frozenset({"TRANSLATION", "DIRECTION", "VELOCITY", "ACCELERATION", "XYZ", "XYZ_LENGTH"})


# ---------------------------------------------------------------------------
# Text helpers


def clean_text(text, limit=MAX_DESCRIPTION_CHARS):
    """One paragraph of plain text: reST roles and literals unwrapped, whitespace folded."""
    if not isinstance(text, str):
        return ""
    text = re.sub(r":[a-z]+:`~?([^`]+)`", r"\1", text)
    text = re.sub(r"``([^`]+)``", r"\1", text)
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "..."
    return text


def join_sentences(*parts):
    parts = [part for part in parts if part]
    text = ""
    for part in parts:
        if text and text[-1] not in ".!?:)":
            text += "."
        text = (text + " " + part).strip()
    return text


def with_description(target, text):
    text = clean_text(text)
    if text:
        target["description"] = text
    return target


def format_float(value):
    if not math.isfinite(value):
        return repr(value)
    # RNA floats are single precision: 7 significant digits round-trip them.
    text = "%.7g" % value
    return text if "e" in text or "." in text else text + ".0"


def format_scalar(value):
    if isinstance(value, bool):
        return repr(value)
    if isinstance(value, float):
        return format_float(value)
    return repr(value)


def nest(values, dimensions):
    """Splits a flat default array into rows for matrices (array_dimensions like (4, 4, 0))."""
    if len(dimensions) < 2:
        return values
    size = len(values) // dimensions[0]
    return [nest(values[i * size : (i + 1) * size], dimensions[1:]) for i in range(dimensions[0])]


def format_array(values):
    if isinstance(values, list):
        inner = ", ".join(format_array(value) for value in values)
        return "(%s,)" % inner if len(values) == 1 else "(%s)" % inner
    return format_scalar(values)


# ---------------------------------------------------------------------------
# RNA properties (struct properties, function parameters, operator properties)


def array_dimensions(prop):
    dims = [d for d in tuple(getattr(prop, "array_dimensions", ())) if d]
    length = getattr(prop, "array_length", 0)
    if len(dims) > 1:
        return dims
    return [length] if length else []


def mathutils_class(prop, dims):
    """The mathutils type Blender returns for a float array of this subtype, if any."""
    if prop.type != "FLOAT" or not dims:
        return None
    subtype, length = prop.subtype, dims[0] if len(dims) == 1 else 0
    if subtype == "MATRIX" and len(dims) == 2:
        return "Matrix"
    if subtype in VECTOR_SUBTYPES and 2 <= length <= 4:
        return "Vector"
    if subtype in ("EULER", "QUATERNION") and length in (3, 4):
        return "Euler" if length == 3 else "Quaternion"
    if subtype in ("COLOR", "COLOR_GAMMA") and length == 3:
        return "Color"
    return None


def property_type(prop):
    """Compact type text: float[3], str, enum, enum set, Object, bpy_prop_collection of Modifier."""
    kind = prop.type
    if kind in SCALAR_TYPES:
        return SCALAR_TYPES[kind] + "".join("[%d]" % d for d in array_dimensions(prop))
    if kind == "ENUM":
        return "enum set" if prop.is_enum_flag else "enum"
    fixed = getattr(prop, "fixed_type", None)
    name = fixed.identifier if fixed is not None else "bpy_struct"
    return "bpy_prop_collection of " + name if kind == "COLLECTION" else name


def enum_items(prop):
    try:
        return list(prop.enum_items) or list(prop.enum_items_static)
    except Exception:
        return []


def enum_item_text(item):
    label = clean_text(item.name, 120)
    description = clean_text(item.description)
    if label and description and label != description:
        return "%s: %s" % (label, description)
    return description or label


def enum_values(prop):
    """At most MAX_ENUM_VALUES items, and how many more there are."""
    items = enum_items(prop)
    values = []
    for item in items[:MAX_ENUM_VALUES]:
        values.append(with_description({"name": item.identifier}, enum_item_text(item)))
    return values, max(0, len(items) - MAX_ENUM_VALUES)


def property_default(prop):
    """Default as Python source text, or None when it means nothing (pointers, dynamic enums)."""
    kind = prop.type
    if kind in ("POINTER", "COLLECTION"):
        return None
    if kind == "ENUM":
        if prop.is_enum_flag:
            flags = sorted(prop.default_flag)
            return "{%s}" % ", ".join(repr(flag) for flag in flags) if flags else "set()"
        # Dynamic enums have no items here; reading their default only logs a warning.
        if not enum_items(prop):
            return None
        return repr(prop.default) if prop.default else None
    dims = array_dimensions(prop)
    if dims:
        values = list(prop.default_array)
        if not values or len(values) > MAX_ARRAY_DEFAULT_ITEMS:
            return None
        return format_array(nest(values, dims))
    return format_scalar(prop.default)


def numeric_range(prop):
    if prop.type not in ("INT", "FLOAT"):
        return None
    low, high = prop.hard_min, prop.hard_max
    limit = HUGE_FLOAT if prop.type == "FLOAT" else HUGE_INT
    if low <= -limit and high >= limit:
        return None
    return "[%s, %s]" % (bound_text(low, limit), bound_text(high, limit))


def bound_text(value, limit):
    if abs(value) >= limit:
        return "-inf" if value < 0 else "inf"
    return format_scalar(value)


def enum_ids_text(prop):
    ids = [item.identifier for item in enum_items(prop)]
    if not ids:
        return None
    shown = " | ".join(repr(i) for i in ids[:MAX_SIGNATURE_ENUM_IDS])
    return shown + (" | ..." if len(ids) > MAX_SIGNATURE_ENUM_IDS else "")


def type_details(prop):
    """The type with what a reader needs to use it: mathutils class, allowed ids, range."""
    text = property_type(prop)
    cls = mathutils_class(prop, array_dimensions(prop))
    if cls:
        text += " (mathutils.%s)" % cls
    if prop.type == "ENUM":
        ids = enum_ids_text(prop)
        if ids:
            text += " " + ids
    if prop.type == "COLLECTION" and getattr(prop, "srna", None) is not None:
        text += " (%s)" % prop.srna.identifier
    bounds = numeric_range(prop)
    if bounds:
        text += " in " + bounds
    return text


def property_member(prop):
    default = property_default(prop)
    notes = []
    if prop.type in SCALAR_TYPES and prop.subtype not in ("NONE", ""):
        notes.append("subtype " + prop.subtype)
    if default is not None:
        notes.append("default " + default)
    if prop.is_readonly:
        notes.append("readonly")
    signature = "%s: %s" % (prop.identifier, type_details(prop))
    if notes:
        signature += ", " + ", ".join(notes)
    member = {"name": prop.identifier, "kind": "property", "signature": signature, "type": property_type(prop)}
    member = with_description(member, prop.description)
    member["readonly"] = bool(prop.is_readonly)
    if prop.type == "ENUM":
        add_enum_values(member, prop)
    return member


def add_enum_values(member, prop):
    values, more = enum_values(prop)
    if values:
        member["values"] = values
    if more:
        member["description"] = join_sentences(member.get("description"), "%d more values not listed." % more)
    elif not values:
        member["description"] = join_sentences(member.get("description"), "Values depend on the context.")


def enum_param_text(prop):
    """Param has no `values` field: the allowed ids and their meaning go into its description."""
    values, more = enum_values(prop)
    if not values:
        return ""
    parts = ["%s (%s)" % (v["name"], v["description"]) if "description" in v else v["name"] for v in values]
    text = "Values: " + "; ".join(parts)
    return text + ("; and %d more." % more if more else ".")


def rna_param(prop, optional):
    param = {"name": prop.identifier, "type": type_details(prop)}
    description = clean_text(prop.description)
    if prop.type == "ENUM":
        description = join_sentences(description, enum_param_text(prop))
    if description:
        param["description"] = description
    if optional:
        param["optional"] = True
        default = property_default(prop)
        param["default"] = default if default is not None else "None"
    return param


# ---------------------------------------------------------------------------
# RNA functions


def function_member(func):
    inputs = [p for p in func.parameters if not p.is_output]
    outputs = [p for p in func.parameters if p.is_output]
    params = [rna_param(p, not p.is_required) for p in inputs]
    args = ", ".join(param_text(p) for p in params)
    returns = return_type(outputs)
    signature = "%s(%s)%s" % (func.identifier, args, " -> " + returns if returns else "")
    member = {"name": func.identifier, "kind": "method", "signature": signature}
    if returns:
        member["type"] = returns
    returned = "; ".join(clean_text(p.description) for p in outputs if clean_text(p.description))
    member = with_description(member, join_sentences(clean_text(func.description), returned and "Returns: " + returned))
    if not func.use_self:
        member["static"] = True
    member["params"] = params
    return member


def param_text(param):
    text = "%s: %s" % (param["name"], short_type(param["type"]))
    return text + " = " + param["default"] if "default" in param else text


def short_type(details):
    """Signatures stay one readable line: the long enum id list lives in the param."""
    return re.sub(r" '.*$", "", details) if details.startswith("enum") else details


def return_type(outputs):
    if not outputs:
        return None
    if len(outputs) == 1:
        return property_type(outputs[0])
    return "(%s)" % ", ".join("%s: %s" % (p.identifier, property_type(p)) for p in outputs)


# ---------------------------------------------------------------------------
# Members defined in Python (bpy_types.py): Object.children, Mesh.from_pydata, ...


def docstring_parts(doc):
    """Splits a reST docstring: (summary, {arg: text}, {arg: type}, property type, returns)."""
    doc = inspect.cleandoc(doc or "")
    summary = re.split(r"^\s*(?::|\.\. )", doc, maxsplit=1, flags=re.M)[0]
    args, types = {}, {}
    for match in re.finditer(r"^:arg (\w+):(.*?)(?=^:|^\.\. |\Z)", doc, re.M | re.S):
        args[match.group(1)] = clean_text(match.group(2), 300)
    for match in re.finditer(r"^:type (\w+):(.*)$", doc, re.M):
        types[match.group(1)] = clean_text(match.group(2), 120)
    own_type = re.search(r"^:type:(.*)$", doc, re.M)
    rtype = re.search(r"^:rtype:(.*)$", doc, re.M)
    return (
        clean_text(summary),
        args,
        types,
        clean_text(own_type.group(1), 120) if own_type else None,
        clean_text(rtype.group(1), 120) if rtype else None,
    )


def python_property_member(name, prop):
    summary, _, _, own_type, _ = docstring_parts(prop.fget.__doc__ if prop.fget else prop.__doc__)
    member = {"name": name, "kind": "property", "signature": name}
    if own_type:
        member["type"] = own_type
        member["signature"] += ": " + own_type
    member = with_description(member, summary)
    member["readonly"] = prop.fset is None
    if member["readonly"]:
        member["signature"] += ", readonly"
    return member


def python_method_member(name, func, static, bound):
    """`bound`: the first parameter is self or cls, which callers never pass."""
    summary, args, types, _, rtype = docstring_parts(func.__doc__)
    signature = inspect.signature(func)
    passed = list(signature.parameters.values())[1 if bound else 0 :]
    params = [python_param(p, args.get(p.name), types.get(p.name)) for p in passed]
    text = str(signature.replace(parameters=passed, return_annotation=inspect.Signature.empty))
    member = {"name": name, "kind": "method", "signature": name + text}
    if rtype:
        member["type"] = rtype
        member["signature"] += " -> " + rtype
    member = with_description(member, summary)
    if static:
        member["static"] = True
    member["params"] = params
    return member


def python_param(param, description, type_text):
    result = {"name": param.name}
    if type_text:
        result["type"] = type_text
    if description:
        result["description"] = description
    if param.default is not inspect.Parameter.empty:
        result["optional"] = True
        result["default"] = repr(param.default)
    return result


def python_member(name, value):
    if isinstance(value, property):
        return python_property_member(name, value)
    if isinstance(value, classmethod):
        return python_method_member(name, value.__func__, True, True)
    if isinstance(value, staticmethod):
        return python_method_member(name, value.__func__, True, False)
    if inspect.isfunction(value):
        return python_method_member(name, value, False, True)
    return None


def python_classes(cls, base_cls):
    """Classes of bpy_types.py between cls and its RNA base's class (mixins included)."""
    for klass in cls.__mro__:
        if klass is base_cls or klass is object:
            break
        if klass.__module__ == "bpy_types":
            yield klass


def python_members(cls, base_cls, taken):
    members = []
    for klass in python_classes(cls, base_cls):
        for name, value in klass.__dict__.items():
            if name.startswith("_") or name in taken:
                continue
            member = safely(python_member, name, value)
            if member is not None:
                taken.add(name)
                members.append(member)
    return members


# ---------------------------------------------------------------------------
# Structs (bpy.types)


def safely(build, *args):
    try:
        return build(*args)
    except Exception:
        return None


def struct_rna(name):
    cls = getattr(bpy.types, name, None)
    return cls, getattr(cls, "bl_rna", None)


def is_ui_or_operator(rna):
    base = rna.base
    while base is not None:
        if base.identifier in SKIPPED_BASES:
            return True
        base = base.base
    return False


def struct_names():
    names = []
    for name in dir(bpy.types):
        _, rna = safely(struct_rna, name) or (None, None)
        if rna is not None and not safely(is_ui_or_operator, rna):
            names.append(name)
    return names


def own_items(collection, inherited):
    return [item for item in collection if item.identifier not in inherited and item.identifier != "rna_type"]


def describe_struct(name):
    cls, rna = struct_rna(name)
    if rna is None:
        return None
    base = rna.base
    inherited_props = {p.identifier for p in base.properties} if base else set()
    inherited_funcs = {f.identifier for f in base.functions} if base else set()
    members = [m for m in (safely(property_member, p) for p in own_items(rna.properties, inherited_props)) if m]
    members += [m for m in (safely(function_member, f) for f in own_items(rna.functions, inherited_funcs)) if m]
    base_cls = getattr(bpy.types, base.identifier, None) if base else None
    members += python_members(cls, base_cls, {m["name"] for m in members})
    entry = {"name": TYPES_PREFIX + name, "kind": "class", "group": "types"}
    entry = with_description(entry, rna.description)
    if base is not None:
        entry["extends"] = [TYPES_PREFIX + base.identifier]
    entry["members"] = members
    return entry


# ---------------------------------------------------------------------------
# Operators (bpy.ops)


def operator_modules():
    return [name for name in dir(bpy.ops) if not name.startswith("_")]


def operator_member(module, name):
    op = getattr(getattr(bpy.ops, module), name)
    path = "%s%s.%s" % (OPS_PREFIX, module, name)
    member = {"name": name, "kind": "operator", "signature": path + "()"}
    rna = safely(op.get_rna_type)
    if rna is None:
        return member
    props = [p for p in rna.properties if p.identifier != "rna_type"]
    params = [p for p in (safely(rna_param, prop, not prop.is_required) for prop in props) if p]
    # Every property, hidden ones too (e.g. modifier_apply's `modifier`), as Blender's own repr shows them.
    member["signature"] = "%s(%s)" % (path, ", ".join(operator_arg(p) for p in params))
    member = with_description(member, rna.description)
    member["params"] = params
    return member


def operator_arg(param):
    return "%s=%s" % (param["name"], param["default"]) if "default" in param else param["name"]


def describe_operators(module):
    # bpy.ops answers any attribute with an empty module: only listed ones exist.
    if module not in operator_modules():
        return None
    group = getattr(bpy.ops, module)
    members = [m for m in (safely(operator_member, module, name) for name in dir(group)) if m]
    return {"name": OPS_PREFIX + module, "kind": "operator-group", "group": "operators", "members": members}


# ---------------------------------------------------------------------------
# bpy.context: the screen-context members that are not RNA properties of Context


def value_type(value):
    rna = getattr(value, "bl_rna", None)
    if rna is not None:
        return rna.identifier
    if isinstance(value, (list, tuple)):
        inner = value_type(value[0]) if value else None
        return "sequence of " + inner if inner else "sequence"
    return None


def describe_context():
    rna = bpy.types.Context.bl_rna
    known = {p.identifier for p in rna.properties} | {f.identifier for f in rna.functions}
    members = []
    for name in sorted(dir(bpy.context)):
        if name.startswith("_") or name in known or name in ("bl_rna", "copy", "path_resolve", "temp_override"):
            continue
        kind = safely(value_type, safely(getattr, bpy.context, name))
        member = {"name": name, "kind": "property", "signature": "bpy.context.%s" % name, "readonly": True}
        if kind:
            member["type"] = kind
            member["signature"] += ": " + kind
        member["description"] = "Screen-context member: available depending on the editor, mode and selection."
        members.append(member)
    entry = {"name": CONTEXT_ENTRY, "kind": "global", "group": "globals", "extends": [TYPES_PREFIX + "Context"]}
    entry["description"] = "The current context. Members here are in addition to those of bpy.types.Context."
    entry["members"] = members
    return entry


# ---------------------------------------------------------------------------
# Entry points


def spread(names, among):
    """Places `names` evenly among `among`: operator groups are the biggest entries, so
    spreading them keeps every describe batch about the same size."""
    result = list(among)
    # From the last, so the positions computed for the earlier ones stay valid.
    for index in range(len(names) - 1, -1, -1):
        result.insert((index + 1) * len(among) // (len(names) + 1), names[index])
    return result


def list_names():
    types = [TYPES_PREFIX + name for name in struct_names()]
    groups = [OPS_PREFIX + module for module in operator_modules()] + [CONTEXT_ENTRY]
    return {"version": bpy.app.version_string, "names": spread(groups, types)}


def describe_name(name):
    if name == CONTEXT_ENTRY:
        return describe_context()
    if name.startswith(TYPES_PREFIX):
        return describe_struct(name[len(TYPES_PREFIX) :])
    if name.startswith(OPS_PREFIX):
        return describe_operators(name[len(OPS_PREFIX) :])
    return None


def describe(names):
    entries = []
    for name in names if isinstance(names, list) else []:
        entry = safely(describe_name, name) if isinstance(name, str) else None
        if entry is not None:
            entries.append(entry)
    return entries
