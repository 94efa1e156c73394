"""Repository tests: run without a database (pytest). The Odoo tests of each addon live in
``addons/<addon>/tests`` and run through ``scripts/test.sh``."""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ROOT / "addons"


def load_tools(addon):
    """Import ``addons/<addon>/tools`` as a plain package, without Odoo or the addon itself.

    The algorithms there are plain Python over plain data, so they are tested (and
    benchmarked) without a database.
    """
    name = f"_retail_tools_{addon}"
    if name in sys.modules:
        return sys.modules[name]
    init = ADDONS / addon / "tools" / "__init__.py"
    spec = importlib.util.spec_from_file_location(name, init, submodule_search_locations=[str(init.parent)])
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load_tool(addon, tool):
    load_tools(addon)
    return importlib.import_module(f"_retail_tools_{addon}.{tool}")
