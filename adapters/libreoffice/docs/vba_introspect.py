"""Live introspection of the Excel object model that LibreOffice implements for VBA.

Runs inside LibreOffice's Python (or any Python-UNO process connected to it), wrapped by the
Python kit: the TypeScript side appends one final expression, ``list_names()`` or
``describe(params["names"])``, whose value is plain JSON data shaped like bridge/docs/model.ts
(``Entry``).

Sources, all read from the running office so the result is exact for its version:
- the UNO type descriptions of the ``ooo.vba`` modules (interfaces with their attributes and
  methods, constants groups with their values); UNO carries no documentation text, so the
  only prose here is short generated lines saying where a member comes from;
- for WorksheetFunction, whose functions UNO resolves at run time: the formula compiler's
  English function names (what LibreOffice's WorksheetFunction accepts) with the argument
  names, optional flags and descriptions from Calc's own function list.

Names are the ones a VBA user writes: ``ooo.vba.excel.XRange`` becomes ``Range``.
"""

import uno

# Searched in this order; a name already taken by an earlier module gets the library prefix.
MODULES = (
    ("ooo.vba.excel", "Excel"),
    ("ooo.vba", "VBA"),
    ("ooo.vba.msforms", "MSForms"),
    ("ooo.vba.office", "Office"),
    ("ooo.vba.stdole", "stdole"),
)
GLOBALS_INTERFACE = "ooo.vba.excel.XGlobals"
WORKSHEET_FUNCTION_INTERFACE = "ooo.vba.excel.XWorksheetFunction"
LISTED_CLASSES = ("INTERFACE", "CONSTANTS", "ENUM")

SCALARS = {
    "ANY": "Variant",
    "BOOLEAN": "Boolean",
    "BYTE": "Byte",
    "SHORT": "Integer",
    "UNSIGNED_SHORT": "Integer",
    "LONG": "Long",
    "UNSIGNED_LONG": "Long",
    "HYPER": "LongLong",
    "UNSIGNED_HYPER": "LongLong",
    "FLOAT": "Single",
    "DOUBLE": "Double",
    "CHAR": "String",
    "STRING": "String",
    "TYPE": "Type",
}


def _type_class(name):
    return uno.Enum("com.sun.star.uno.TypeClass", name)


def _context():
    """The office's component context: the runner's global ``ctx`` when it has one."""
    try:
        return ctx  # noqa: F821 -- defined by the LibreOffice runner (or the test harness)
    except NameError:
        return uno.getComponentContext()


def _type_manager(context):
    return context.getValueByName("/singletons/com.sun.star.reflection.theTypeDescriptionManager")


def _office_version(context):
    provider = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.configuration.ConfigurationProvider", context
    )
    node = uno.createUnoStruct("com.sun.star.beans.PropertyValue")
    node.Name = "nodepath"
    node.Value = "/org.openoffice.Setup/Product"
    access = provider.createInstanceWithArguments("com.sun.star.configuration.ConfigurationAccess", (node,))
    return access.getByName("ooSetupVersionAboutBox") or access.getByName("ooSetupVersion")


def _listed_types(manager):
    """(full UNO name, type class name) of every listed type, module by module, sorted."""
    depth = uno.Enum("com.sun.star.reflection.TypeDescriptionSearchDepth", "ONE")
    classes = tuple(_type_class(name) for name in LISTED_CLASSES)
    found = []
    for module, _library in MODULES:
        enumeration = manager.createTypeDescriptionEnumeration(module, classes, depth)
        names = []
        while enumeration.hasMoreElements():
            description = enumeration.nextTypeDescription()
            names.append((description.getName(), description.getTypeClass().value))
        found.extend(sorted(names))
    return found


def _short_name(full_name, type_class):
    short = full_name.rsplit(".", 1)[-1]
    # Interfaces are XRange, XWorksheet…; constants groups already have their VBA names.
    if type_class == "INTERFACE" and len(short) > 1 and short[0] == "X" and short[1].isupper():
        short = short[1:]
    return short


def _vba_names(listed):
    """Full UNO name -> the name a VBA user writes, unique across the listed modules."""
    libraries = dict(MODULES)
    names = {}
    taken = set()
    for full_name, type_class in listed:
        short = _short_name(full_name, type_class)
        if short in taken:
            short = libraries[full_name.rsplit(".", 1)[0]] + "." + short
        taken.add(short)
        names[full_name] = short
    return names


def _vba_type(description, names):
    """A UNO type description as a VBA type name (Variant, Long, Range, String()…)."""
    type_class = description.getTypeClass().value
    if type_class == "VOID":
        return None
    if type_class in SCALARS:
        return SCALARS[type_class]
    if type_class == "SEQUENCE":
        inner = _vba_type(description.getReferencedType(), names) or "Variant"
        return inner + "()"
    name = description.getName()
    if name == "com.sun.star.uno.XInterface":
        return "Object"
    return names.get(name, name)


def _scalar(value):
    """A constant's value as source text."""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    if hasattr(value, "value"):  # a uno.Char or uno.Enum
        return str(value.value)
    return repr(value)


# ---------------------------------------------------------------------------
# Interfaces


def _own_members(description):
    members = []
    for member in description.getMembers():
        if member.getTypeClass().value == "INTERFACE_ATTRIBUTE":
            members.append(("attribute", member))
        else:
            members.append(("method", member))
    return members


def _vba_bases(description):
    """Base interfaces from the ooo.vba modules: their members are this object's members too."""
    bases = []
    for base in tuple(description.getBaseTypes()) + tuple(description.getOptionalBaseTypes()):
        if base.getName().startswith("ooo.vba."):
            bases.append(base)
    return bases


def _interface_members(description):
    """Own members first, then inherited ones, each name once; with the interface it came from."""
    seen_interfaces = set()
    collected = []

    def visit(interface):
        name = interface.getName()
        if name in seen_interfaces:
            return
        seen_interfaces.add(name)
        for kind, member in _own_members(interface):
            collected.append((name, kind, member))
        for base in _vba_bases(interface):
            visit(base)

    visit(description)
    return collected


def _parameter_entries(method, names):
    parameters = sorted(method.getParameters(), key=lambda p: p.getPosition())
    entries = []
    # In VBA mode LibreOffice Basic lets a call leave out trailing arguments only when every
    # one left out is of type any (sbunoobj.cxx): those are the optional ones.
    optional_from = len(parameters)
    while optional_from > 0 and parameters[optional_from - 1].getType().getTypeClass().value == "ANY":
        optional_from -= 1
    for index, parameter in enumerate(parameters):
        entry = {"name": parameter.getName(), "type": _vba_type(parameter.getType(), names) or "Variant"}
        if index >= optional_from:
            entry["optional"] = True
        if parameter.isOut():
            entry["description"] = "in/out (ByRef)" if parameter.isIn() else "out (ByRef)"
        entries.append(entry)
    return entries


def _signature(name, parameters, result):
    text = []
    for parameter in parameters:
        one = parameter["name"] + " As " + parameter["type"]
        text.append("[" + one + "]" if parameter.get("optional") else one)
    signature = name + "(" + ", ".join(text) + ")"
    return signature + (" As " + result if result else "")


def _accessor(method, names):
    """(property name, type, is setter) when UNO introspection turns this method into a property."""
    name = method.getMemberName()
    parameters = method.getParameters()
    result = _vba_type(method.getReturnType(), names)
    if name.startswith("get") and len(name) > 3 and not parameters and result:
        return name[3:], result, False
    if name.startswith("is") and len(name) > 2 and not parameters and result == "Boolean":
        return name[2:], result, False
    if name.startswith("set") and len(name) > 3 and len(parameters) == 1 and not result:
        return name[3:], _vba_type(parameters[0].getType(), names), True
    return None


def _origin(owner_full, entry_full, names):
    return None if owner_full == entry_full else "Inherited from " + names.get(owner_full, owner_full) + "."


def _interface_entry(full_name, description, names):
    vba_name = names[full_name]
    members = []
    by_name = {}

    def add(member):
        if member["name"] in by_name:
            return
        by_name[member["name"]] = member
        members.append(member)

    collected = _interface_members(description)
    # UNO introspection (which LibreOffice Basic uses) reads getX()/setX() pairs as a property X.
    setters = set()
    for _owner, kind, member in collected:
        if kind == "method":
            accessor = _accessor(member, names)
            if accessor and accessor[2]:
                setters.add(accessor[0])
    for owner, kind, member in collected:
        origin = _origin(owner, full_name, names)
        if kind == "attribute":
            vba_type = _vba_type(member.getType(), names) or "Variant"
            entry = {
                "name": member.getMemberName(),
                "kind": "property",
                "signature": member.getMemberName() + " As " + vba_type,
                "type": vba_type,
                "readonly": bool(member.isReadOnly()),
            }
        else:
            accessor = _accessor(member, names)
            if accessor and accessor[2] and accessor[0] in by_name:
                continue
            if accessor and not accessor[2]:
                prop, vba_type, _setter = accessor
                entry = {
                    "name": prop,
                    "kind": "property",
                    "signature": prop + " As " + vba_type,
                    "type": vba_type,
                    "readonly": prop not in setters,
                }
                through = "Read through " + member.getMemberName() + "()"
                if prop in setters:
                    through += ", written through set" + prop + "()"
                origin = " ".join(part for part in (origin, through + ".") if part)
            else:
                parameters = _parameter_entries(member, names)
                result = _vba_type(member.getReturnType(), names)
                entry = {
                    "name": member.getMemberName(),
                    "kind": "method",
                    "signature": _signature(member.getMemberName(), parameters, result),
                    "params": parameters,
                }
                if result:
                    entry["type"] = result
        if origin:
            entry["description"] = origin
        add(entry)

    is_globals = full_name == GLOBALS_INTERFACE
    entry = {
        "name": vba_name,
        "kind": "global" if is_globals else "class",
        "group": "globals" if is_globals else "objects",
        "description": (
            "Names a VBA module can use without an object in front (UNO interface " + full_name + ")."
            if is_globals
            else "VBA object " + vba_name + " as LibreOffice implements it (UNO interface " + full_name + ")."
        ),
        "members": members,
    }
    bases = [names[base.getName()] for base in _vba_bases(description) if base.getName() in names]
    if bases:
        entry["extends"] = bases
    if full_name == WORKSHEET_FUNCTION_INTERFACE:
        for function in _worksheet_functions():
            add(function)
        entry["description"] += (
            " Its functions are Calc's, called by their English names (case does not matter);"
            " argument names and descriptions come from Calc's function list."
        )
    return entry


# ---------------------------------------------------------------------------
# WorksheetFunction: Calc's functions under their English names


def _spreadsheet():
    """(a spreadsheet document, whether we opened it): the formula compiler lives in one."""
    try:
        document = doc  # noqa: F821 -- the runner's open document, when it has one
    except NameError:
        document = None
    if document is not None and document.supportsService("com.sun.star.sheet.SpreadsheetDocument"):
        return document, False
    context = _context()
    frames = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    hidden = uno.createUnoStruct("com.sun.star.beans.PropertyValue")
    hidden.Name = "Hidden"
    hidden.Value = True
    return frames.loadComponentFromURL("private:factory/scalc", "_blank", 0, (hidden,)), True


def _function_descriptions(context):
    """Calc's function list: by opcode id for built-in functions, by name for add-in ones."""
    access = context.ServiceManager.createInstanceWithContext("com.sun.star.sheet.FunctionDescriptions", context)
    by_id = {}
    by_name = {}
    for index in range(access.getCount()):
        properties = {value.Name: value.Value for value in access.getByIndex(index)}
        by_name.setdefault(properties["Name"].upper(), properties)
        by_id.setdefault(properties["Id"], properties)
    return by_id, by_name


def _worksheet_functions():
    context = _context()
    by_id, by_name = _function_descriptions(context)
    document, opened = _spreadsheet()
    try:
        mapper = document.createInstance("com.sun.star.sheet.FormulaOpCodeMapper")
        english = uno.getConstantByName("com.sun.star.sheet.FormulaLanguage.ENGLISH")
        functions = uno.getConstantByName("com.sun.star.sheet.FormulaMapGroup.FUNCTIONS")
        mappings = mapper.getAvailableMappings(english, functions)
    finally:
        if opened:
            document.close(True)
    described = {}
    for mapping in mappings:
        name = mapping.Name
        if not name or name in described:
            continue
        # External (add-in) functions share one opcode: they are found by their name.
        properties = by_name.get(name) if isinstance(mapping.Token.Data, str) and mapping.Token.Data else None
        if properties is None:
            properties = by_id.get(mapping.Token.OpCode)
            if properties is not None and properties["Name"].upper() != name:
                properties = by_name.get(name, properties)
        if properties is None:
            continue  # an operator or internal opcode Calc does not offer as a function
        described[name] = _function_member(name, properties)
    return [described[name] for name in sorted(described)]


def _function_member(name, properties):
    parameters = []
    for argument in properties.get("Arguments") or ():
        parameter = {"name": " ".join(argument.Name.split()) or "value", "type": "Variant"}
        if argument.IsOptional:
            parameter["optional"] = True
        text = " ".join(argument.Description.split())
        if text:
            parameter["description"] = text
        parameters.append(parameter)
    member = {
        "name": name,
        "kind": "method",
        "signature": _signature(name, parameters, "Variant"),
        "type": "Variant",
        "params": parameters,
    }
    text = " ".join((properties.get("Description") or "").split())
    if text:
        member["description"] = text
    return member


# ---------------------------------------------------------------------------
# Constants and enums


def _constants_entry(full_name, description, names):
    members = []
    for constant in description.getConstants():
        name = constant.getName().rsplit(".", 1)[-1]
        value = _scalar(constant.getConstantValue())
        members.append({"name": name, "kind": "enum-value", "signature": name + " = " + value, "value": value})
    return _enum_entry(full_name, names, members, "constants group")


def _enum_type_entry(full_name, description, names):
    members = []
    for name, value in zip(description.getEnumNames(), description.getEnumValues()):
        members.append({"name": name, "kind": "enum-value", "signature": name + " = " + str(value), "value": str(value)})
    return _enum_entry(full_name, names, members, "enum")


def _enum_entry(full_name, names, members, what):
    return {
        "name": names[full_name],
        "kind": "enum",
        "group": "enums",
        "description": "VBA constants " + names[full_name] + " as LibreOffice defines them (UNO " + what + " " + full_name + ").",
        "members": members,
    }


# ---------------------------------------------------------------------------
# Entry points


def list_names():
    context = _context()
    listed = _listed_types(_type_manager(context))
    return {"version": _office_version(context), "names": [name for name, _type_class in listed]}


def describe(requested):
    context = _context()
    manager = _type_manager(context)
    names = _vba_names(_listed_types(manager))
    entries = []
    for full_name in requested:
        if full_name not in names:
            continue
        try:
            entries.append(_describe_one(manager, full_name, names))
        except Exception as error:  # noqa: BLE001 -- one type that fails must not sink the batch
            # Not an Entry: the bridge counts it as skipped instead of failing the whole sync.
            entries.append({"name": full_name, "error": str(error)})
    return entries


def _describe_one(manager, full_name, names):
    description = manager.getByHierarchicalName(full_name)
    type_class = description.getTypeClass().value
    if type_class == "INTERFACE":
        return _interface_entry(full_name, description, names)
    if type_class == "CONSTANTS":
        return _constants_entry(full_name, description, names)
    return _enum_type_entry(full_name, description, names)
