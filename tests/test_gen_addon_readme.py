"""scripts/gen_addon_readme.py builds README.rst from readme/ fragments in OCA's layout, the
same bytes every time, and refuses what docutils would not render."""

import importlib.util

import pytest
from conftest import ROOT

MANIFEST = {
    "name": "Retail Sample",
    "version": "19.0.1.0.0",
    "license": "LGPL-3",
    "author": "Retail Suite Contributors",
    "website": "https://github.com/example/retail",
    "depends": ["base"],
}


@pytest.fixture
def gen(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("gen_addon_readme", ROOT / "scripts" / "gen_addon_readme.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "ROOT", tmp_path)
    monkeypatch.setattr(module, "ADDONS", tmp_path / "addons")
    return module


def make_addon(root, fragments, **manifest):
    addon = root / "addons" / "retail_sample"
    (addon / "readme").mkdir(parents=True)
    (addon / "__manifest__.py").write_text(repr({**MANIFEST, **manifest}))
    for name, text in fragments.items():
        (addon / "readme" / name).write_text(text)
    return addon


FRAGMENTS = {
    "DESCRIPTION.md": "Sells **things**.\n",
    "USAGE.md": "## At the till\n\nScan `barcodes`.\n",
    "CONFIGURE.md": "Set the store.\n",
    "HISTORY.md": "## 19.0.1.0.0\n\n- first release\n",
    "CONTRIBUTORS.md": "- Someone: design\n",
}


def test_sections_follow_oca_order(gen, tmp_path):
    addon = make_addon(tmp_path, FRAGMENTS)
    assert gen.main([]) == 0
    text = (addon / "README.rst").read_text()
    assert text.startswith("=============\nRetail Sample\n=============\n")
    assert "https://img.shields.io/badge/license-LGPL--3-blue.png" in text
    assert "maturity" not in text
    assert "runboat" not in text and "weblate" not in text
    titles = ["Sells **things**.", ".. contents::", "Configuration\n=====", "Usage\n=====",
              "At the till\n-----------", "Changelog\n=====", "Bug Tracker\n=====", "Credits\n=====",
              "Authors\n-----", "* Retail Suite Contributors", "Contributors\n-----", "- Someone: design",
              "Maintainers\n-----"]
    positions = [text.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "https://github.com/example/retail/issues" in text


def test_same_input_same_bytes_and_check_passes(gen, tmp_path):
    addon = make_addon(tmp_path, FRAGMENTS, development_status="Beta")
    assert gen.main([]) == 0
    first = (addon / "README.rst").read_bytes()
    assert b"maturity-Beta-yellow" in first
    (addon / "README.rst").unlink()
    assert gen.main([str(addon / "readme" / "USAGE.md")]) == 0
    assert (addon / "README.rst").read_bytes() == first
    assert gen.main(["--check"]) == 0


def test_check_names_stale_file_and_writes_nothing(gen, tmp_path, capsys):
    addon = make_addon(tmp_path, FRAGMENTS)
    assert gen.main([]) == 0
    (addon / "readme" / "USAGE.md").write_text("Scan again.\n")
    before = (addon / "README.rst").read_bytes()
    assert gen.main(["--check"]) == 1
    assert "addons/retail_sample/README.rst is out of date" in capsys.readouterr().err
    assert (addon / "README.rst").read_bytes() == before


def test_rendering_error_fails_and_writes_nothing(gen, tmp_path, capsys):
    addon = make_addon(tmp_path, {"DESCRIPTION.md": "Sells.\n", "USAGE.rst": "`never closed\n"})
    assert gen.main([]) == 1
    assert "addons/retail_sample/README.rst:" in capsys.readouterr().err
    assert not (addon / "README.rst").exists()


def test_unknown_fragment_is_refused(gen, tmp_path, capsys):
    make_addon(tmp_path, {"DESCRIPTION.md": "Sells.\n", "USEAGE.md": "typo\n"})
    assert gen.main(["--check"]) == 1
    assert "USEAGE.md: not a readme fragment" in capsys.readouterr().err
