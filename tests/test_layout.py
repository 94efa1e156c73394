"""The addons keep the promises partners rely on: each installs alone, says what it is, and
speaks Chinese and English."""

import ast
import csv
import subprocess

import polib  # one of Odoo's own requirements
import pytest
from conftest import ADDONS, ROOT

FOUR = ["retail_pos", "retail_inventory", "retail_members", "retail_analytics"]
# Every addon over retail_base that installs alone: the four and the integrations beside them.
OVER_BASE = [*FOUR, "retail_einvoice", "retail_platform"]
# The demo chain: the one addon over all four, installed on purpose, never automatically.
DEMO = "retail_demo"
# The bridges: auto_install glue between two addons over retail_base, each with exactly what it joins.
BRIDGES = {
    "retail_members_analytics": {"retail_members", "retail_analytics"},
    "retail_inventory_analytics": {"retail_inventory", "retail_analytics"},
    "retail_pos_inventory": {"retail_pos", "retail_inventory"},
    "retail_platform_analytics": {"retail_platform", "retail_analytics"},
}
# Folders of the machines the suite is developed on; no committed file may name them.
MACHINE_PATHS = ["/" + "opt/odoo19", "/" + "work/main", "/" + "tmp/dev"]
OURS = sorted(path.name for path in ADDONS.iterdir() if (path / "__manifest__.py").is_file())


def manifest(addon):
    return ast.literal_eval((ADDONS / addon / "__manifest__.py").read_text())


def test_every_addon_exists_and_no_other():
    # base, the four, the two integrations, the demo chain and the bridges
    expected = sorted(["retail_base", *OVER_BASE, DEMO, *BRIDGES])
    assert len(expected) == 12
    assert OURS == expected, f"missing {set(expected) - set(OURS)}, unexpected {set(OURS) - set(expected)}"


def test_the_test_and_run_commands_know_every_addon_but_the_bridges():
    listed = subprocess.run(
        ["bash", "-c", 'source scripts/lib.sh && echo "${RETAIL_ADDONS[@]}"'], cwd=ROOT, capture_output=True,
        text=True, check=True,
    ).stdout.split()
    assert listed[0] == "retail_base" and listed[-1] == DEMO
    assert sorted(listed) == sorted(set(OURS) - set(BRIDGES))


@pytest.mark.parametrize("addon", OURS)
def test_manifest_is_complete(addon):
    data = manifest(addon)
    assert data["version"].startswith("19.0.") and len(data["version"].split(".")) == 5
    assert data["license"] == "LGPL-3"
    assert data["depends"], "depends must be complete"
    for path in data.get("data", []) + data.get("demo", []):
        assert (ADDONS / addon / path).is_file(), f"{addon}: {path} is listed but missing"


@pytest.mark.parametrize("addon", OVER_BASE)
def test_each_addon_over_base_depends_on_base_and_odoo_only(addon):
    depends = manifest(addon)["depends"]
    assert "retail_base" in depends
    others = set(depends) & (set(OURS) - {"retail_base"})
    assert not others, f"{addon} depends on {others}: glue between addons belongs in a bridge"
    assert not manifest(addon).get("auto_install")


def test_other_addons_are_auto_install_bridges_between_ours():
    for addon in OURS:
        if addon in OVER_BASE or addon in ("retail_base", DEMO):
            continue
        data = manifest(addon)
        assert data.get("auto_install") is True, f"{addon} is neither an addon over base nor an auto_install bridge"
        ours = set(data["depends"]) & set(OURS)
        assert ours <= set(OVER_BASE) and len(ours) == 2, f"{addon} must join two addons over base, and only them"


@pytest.mark.parametrize("bridge", sorted(BRIDGES))
def test_each_bridge_joins_exactly_its_two_addons(bridge):
    data = manifest(bridge)
    assert set(data["depends"]) == BRIDGES[bridge]
    assert data["auto_install"] is True


def test_nothing_depends_on_a_bridge_but_the_demo_chain():
    bridges = {addon for addon in OURS if manifest(addon).get("auto_install")}
    assert bridges == set(BRIDGES), f"bridges without their entry in BRIDGES: {bridges - set(BRIDGES)}"
    for addon in OURS:
        if addon != DEMO:
            assert not bridges & set(manifest(addon)["depends"]), f"{addon} depends on a bridge"


def test_the_test_command_finds_the_bridges():
    found = subprocess.run(
        ["bash", "-c", "source scripts/lib.sh && retail_bridges"], cwd=ROOT, capture_output=True, text=True,
        check=True,
    ).stdout.split()
    assert sorted(found) == sorted(BRIDGES)


def test_the_demo_chain_sits_over_the_four_and_is_installed_on_purpose():
    data = manifest(DEMO)
    assert set(FOUR) <= set(data["depends"])
    assert not data.get("auto_install")
    for addon in OURS:
        assert addon == DEMO or DEMO not in manifest(addon)["depends"], f"{addon} depends on the demo chain"


@pytest.mark.parametrize("addon", OURS)
def test_addon_package_files(addon):
    folder = ADDONS / addon
    assert (folder / "pyproject.toml").read_text().count("whool") >= 1
    assert (folder / "static" / "description" / "icon.png").is_file()
    assert (folder / "readme" / "DESCRIPTION.md").is_file()
    assert (folder / "readme" / "CONTRIBUTORS.md").is_file()
    assert (folder / "i18n" / f"{addon}.pot").is_file()
    assert (folder / "i18n" / "zh_CN.po").is_file()


@pytest.mark.parametrize("addon", OURS)
def test_tests_init_imports_every_test_module(addon):
    tests = ADDONS / addon / "tests"
    if not tests.is_dir():
        pytest.fail(f"{addon} has no tests")
    imported = {
        alias.name
        for node in ast.walk(ast.parse((tests / "__init__.py").read_text()))
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    for module in tests.glob("test_*.py"):
        assert module.stem in imported, f"{addon}/tests/__init__.py does not import {module.stem}"


@pytest.mark.parametrize("addon", OURS)
def test_every_new_model_has_access_rules(addon):
    folder = ADDONS / addon
    models = set()
    for path in list(folder.glob("models/*.py")) + list(folder.glob("wizard/*.py")) + list(folder.glob("report/*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                attrs = {
                    target.id: stmt.value
                    for stmt in node.body if isinstance(stmt, ast.Assign)
                    for target in stmt.targets if isinstance(target, ast.Name)
                }
                name = attrs.get("_name")
                abstract = isinstance(attrs.get("_auto"), ast.Constant) and attrs["_auto"].value is False
                if isinstance(name, ast.Constant) and "AbstractModel" not in ast.unparse(node.bases):
                    models.add((name.value, abstract))
    access = folder / "security" / "ir.model.access.csv"
    rows = list(csv.DictReader(access.open())) if access.is_file() else []
    covered = {row["model_id:id"].split(".")[-1] for row in rows}
    for model, _abstract in models:
        assert "model_" + model.replace(".", "_") in covered, f"{addon}: {model} has no access rule"


def test_no_machine_paths_in_repository():
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split()
    for name in files:
        path = ROOT / name
        if not path.is_file() or path.suffix in {".png", ".jpg", ".xlsx", ".xls"}:
            continue
        text = path.read_text(errors="ignore")
        for machine_path in MACHINE_PATHS:
            assert machine_path not in text, f"{path} names a path of a machine: {machine_path}"


@pytest.mark.parametrize("addon", OURS)
def test_chinese_translation_is_complete(addon):
    template = polib.pofile(str(ADDONS / addon / "i18n" / f"{addon}.pot"))
    chinese = polib.pofile(str(ADDONS / addon / "i18n" / "zh_CN.po"))
    translated = {(entry.msgctxt, entry.msgid) for entry in chinese.translated_entries() if not entry.fuzzy}
    missing = [entry.msgid for entry in template if (entry.msgctxt, entry.msgid) not in translated]
    assert not missing, f"{addon}: {len(missing)} strings have no Chinese translation, e.g. {missing[:5]}"
