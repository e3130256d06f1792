// SolidWorks' state through the runner's `swApp` (panels/windows-com), in Python. Bounded: at
// most 50 features are listed whatever the size of the tree; `moreFeatures` says the walk
// stopped early. Zero-argument members are read through `member()` because pywin32's late
// binding may invoke them on access (see panels/windows-com/scriptwright_solidworks.py).
export const solidworksStateProbe = `def __scriptwright_state(max_features=50):
    import inspect

    def member(obj, name):
        value = getattr(obj, name)
        return value() if inspect.ismethod(value) else value

    kinds = {1: "part", 2: "assembly", 3: "drawing"}
    state = {"revision": str(member(swApp, "RevisionNumber")), "document": None}
    doc = swApp.ActiveDoc
    if doc is None:
        return state
    doc_type = member(doc, "GetType")
    configuration = None
    if doc_type in (1, 2):  # drawings have sheets, not configurations
        active = doc.ConfigurationManager.ActiveConfiguration
        configuration = str(active.Name) if active is not None else None
    features = []
    feature = member(doc, "FirstFeature")
    while feature is not None and len(features) < max_features:
        features.append({"name": str(feature.Name), "type": str(member(feature, "GetTypeName2"))})
        feature = member(feature, "GetNextFeature")
    state["document"] = {
        "title": str(member(doc, "GetTitle")),
        "path": str(member(doc, "GetPathName")) or None,
        "type": kinds.get(doc_type, doc_type),
        "unsavedChanges": bool(member(doc, "GetSaveFlag")),
        "configuration": configuration,
        "topLevelFeatureCount": doc.FeatureManager.GetFeatureCount(True),
        "features": features,
        "moreFeatures": feature is not None,
        "selectedCount": doc.SelectionManager.GetSelectedObjectCount2(-1),
    }
    return state
__scriptwright_state()`;
