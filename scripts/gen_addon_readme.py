#!/usr/bin/env python3
"""Build each addon's README.rst from its ``readme/`` fragments, in OCA's layout.

    scripts/gen_addon_readme.py                 write every addons/*/README.rst that changed
    scripts/gen_addon_readme.py --check         exit 1 and name the README.rst files that are
                                                missing or differ from their fragments
    scripts/gen_addon_readme.py PATH ...        only the addons those paths belong to (a path
                                                outside any addon means every addon)

OCA's ``oca-gen-addon-readme`` is not published on PyPI, so this script renders the same
layout: the manifest's name as title, badges (maturity when the manifest has a
``development_status``, licence, repository), the description, a table of contents, the
fragments in OCA's order, the bug tracker and the credits (authors and maintainers from the
manifest, contributors and other credits from their fragments).

Markdown fragments are converted to reStructuredText by pandoc, the way OCA's tool does. The
pandoc release changes the output, so every machine must run the same one: the one bundled in
``pypandoc-binary`` (pinned in requirements-dev.txt), checked against PANDOC_VERSION below.
Each README.rst is then parsed by docutils; any warning or error fails.
The output depends only on the fragments, the manifest keys it shows and this script: the same
input gives byte-identical files.
"""

import argparse
import ast
import io
import os
import re
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

from docutils.core import publish_string
from docutils.utils import SystemMessage, column_width

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ROOT / "addons"
SCRIPT = Path(__file__).resolve().relative_to(ROOT).as_posix()
FRAGMENTS_DIR = "readme"
# The branch the repository badge and links point to.
BRANCH = "main"
# The pandoc that pypandoc-binary (requirements-dev.txt) bundles; change both together and
# regenerate every README.rst.
PANDOC_VERSION = "3.9"
# GitHub Flavored Markdown without raw HTML (the README.rst may not pass HTML through) and
# without automatic anchors on headings (targets nothing refers to), as OCA converts it.
MARKDOWN_FORMAT = "gfm-raw_html-gfm_auto_identifiers"

# OCA's fragments, in the order of the README; level 3 fragments sit under "Credits".
# (name, section title, level)
FRAGMENTS = [
    ("DESCRIPTION", None, 2),
    ("CONTEXT", "Use Cases / Context", 2),
    ("INSTALL", "Installation", 2),
    ("CONFIGURE", "Configuration", 2),
    ("USAGE", "Usage", 2),
    ("DEVELOP", "Development", 2),
    ("ROADMAP", "Known issues / Roadmap", 2),
    ("HISTORY", "Changelog", 2),
    ("CONTRIBUTORS", "Contributors", 3),
    ("CREDITS", "Other credits", 3),
]
FRAGMENT_LEVELS = {name: level for name, _title, level in FRAGMENTS}

GNU_LICENCES = {
    "AGPL-3": "https://www.gnu.org/licenses/agpl-3.0-standalone.html",
    "LGPL-3": "https://www.gnu.org/licenses/lgpl-3.0-standalone.html",
    "GPL-3": "https://www.gnu.org/licenses/gpl-3.0-standalone.html",
    "GPL-3 or any later version": "https://www.gnu.org/licenses/gpl-3.0-standalone.html",
    "GPL-2": "https://www.gnu.org/licenses/old-licenses/gpl-2.0-standalone.html",
    "GPL-2 or any later version": "https://www.gnu.org/licenses/old-licenses/gpl-2.0-standalone.html",
}
MATURITY_COLOURS = {
    "alpha": ("Alpha", "red"),
    "beta": ("Beta", "yellow"),
    "production/stable": ("Production/Stable", "green"),
    "mature": ("Mature", "brightgreen"),
}
MATURITY_URL = "https://odoo-community.org/page/development-status"

# Those of docutils' settings that make a README.rst fail on any warning, and keep it from
# reading files or passing raw HTML through (as PyPI's and OCA's renderers do).
DOCUTILS_SETTINGS = {
    "halt_level": 2,
    "report_level": 2,
    "file_insertion_enabled": False,
    "raw_enabled": False,
    "output_encoding": "unicode",
}


class ReadmeError(Exception):
    """A fragment or a manifest that cannot make a valid README.rst."""


# -- reading an addon ------------------------------------------------------------------------
def addon_dirs(paths):
    """The addons to render: those the paths belong to, or every addon with a readme/."""
    every = sorted(path.parent for path in ADDONS.glob(f"*/{FRAGMENTS_DIR}") if path.is_dir())
    if not paths:
        return every
    chosen = set()
    for path in paths:
        parts = Path(os.path.abspath(path)).relative_to(ROOT).parts if _inside(path, ROOT) else ()
        if len(parts) < 2 or parts[0] != ADDONS.name:
            # this script, or anything else outside an addon, may change every README.rst
            return every
        chosen.add(ADDONS / parts[1])
    return [addon for addon in every if addon in chosen]


def _inside(path, folder):
    try:
        Path(os.path.abspath(path)).relative_to(folder)
    except ValueError:
        return False
    return True


def read_manifest(addon):
    path = addon / "__manifest__.py"
    if not path.is_file():
        raise ReadmeError(f"{_rel(path)} is missing")
    return ast.literal_eval(path.read_text(encoding="utf-8"))


def read_fragments(addon):
    """{name: (format, text)} of the fragments in readme/; unknown fragment files fail."""
    folder = addon / FRAGMENTS_DIR
    fragments = {}
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.suffix not in (".md", ".rst") or path.name.startswith("."):
            continue
        name = path.stem
        if name not in FRAGMENT_LEVELS:
            known = ", ".join(f"{fragment}.md" for fragment, _title, _level in FRAGMENTS)
            raise ReadmeError(f"{_rel(path)}: not a readme fragment (known: {known})")
        if name in fragments:
            raise ReadmeError(f"{_rel(folder)}: both {name}.md and {name}.rst; keep one")
        text = path.read_text(encoding="utf-8")
        if text.strip():
            fragments[name] = (path.suffix, text)
    if "DESCRIPTION" not in fragments:
        raise ReadmeError(f"{_rel(folder)}/DESCRIPTION.md is missing or empty")
    return fragments


# -- Markdown to reStructuredText ----------------------------------------------------------------
_pypandoc = None


def pandoc():
    """pypandoc, running the pinned pandoc release; any other stops the script."""
    global _pypandoc
    if _pypandoc is not None:
        return _pypandoc
    try:
        import pypandoc  # noqa: PLC0415 - only the rendering needs it, not --help
    except ImportError:
        sys.exit("ERROR: pypandoc is missing: pip install -r requirements-dev.txt")
    bundled = Path(pypandoc.__file__).parent / "files" / "pandoc"
    if "PYPANDOC_PANDOC" not in os.environ and bundled.is_file():
        # the bundled pandoc, not whichever release the system has on its PATH
        os.environ["PYPANDOC_PANDOC"] = str(bundled)
    try:
        version = pypandoc.get_pandoc_version()
    except OSError as error:
        sys.exit(f"ERROR: no pandoc found ({error}): pip install -r requirements-dev.txt (pypandoc-binary)")
    if version != PANDOC_VERSION:
        sys.exit(
            f"ERROR: README.rst files are rendered with pandoc {PANDOC_VERSION} (pypandoc-binary in "
            f"requirements-dev.txt), found pandoc {version} at {pypandoc.get_pandoc_path()}: another "
            f"release renders them differently. pip install -r requirements-dev.txt"
        )
    _pypandoc = pypandoc
    return pypandoc


def to_rst(fragment_format, text, level):
    if fragment_format == ".rst":
        return text
    return pandoc().convert_text(
        text,
        to="rst",
        format=MARKDOWN_FORMAT,
        # a fragment's "##" is a subsection of its README section (one level deeper under Credits)
        extra_args=[f"--shift-heading-level-by={level - 2}"],
        sandbox=True,
    )


_IMAGE = re.compile(r"^(?P<lead>\s*\.\.\s+(?:\|[^|]+\|\s+)?(?:image|figure)::\s+)(?P<path>\S+)\s*$")


def fix_image_paths(rst):
    """Paths of images are relative to readme/ in a fragment, to the addon in README.rst."""
    lines = []
    for line in rst.split("\n"):
        match = _IMAGE.match(line)
        path = match and match.group("path")
        if path and "://" not in path and not path.startswith("/"):
            line = match.group("lead") + os.path.normpath(os.path.join(FRAGMENTS_DIR, path)).replace(os.sep, "/")
        lines.append(line)
    return "\n".join(lines)


# -- the README.rst ----------------------------------------------------------------------------
def heading(title, char, overline=False):
    # docutils counts a wide (Chinese) character as two columns of the rule
    rule = char * column_width(title)
    return f"{rule}\n{title}\n{rule}\n" if overline else f"{title}\n{rule}\n"


def shields_text(text):
    """Text of a shields.io static badge: '-' and '_' are doubled, the rest URL-quoted."""
    return quote(text.replace("-", "--").replace("_", "__"), safe="")


def github_repository(manifest):
    """'org/repo' when the manifest's website is a GitHub repository, else None."""
    match = re.fullmatch(r"https?://github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?/?", manifest.get("website") or "")
    return f"{match.group(1)}/{match.group(2)}" if match else None


def badges(manifest, addon_path):
    """(image, target, alt) of each badge, as OCA shows them for a repository outside OCA."""
    result = []
    status = manifest.get("development_status")
    if status:
        if status.lower() not in MATURITY_COLOURS:
            raise ReadmeError(f"development_status {status!r} is not one of Alpha, Beta, Production/Stable, Mature")
        label, colour = MATURITY_COLOURS[status.lower()]
        image = f"https://img.shields.io/badge/maturity-{shields_text(label)}-{colour}.png"
        result.append((image, MATURITY_URL, label))
    licence = manifest.get("license")
    if licence:
        image = f"https://img.shields.io/badge/license-{shields_text(licence)}-blue.png"
        result.append((image, GNU_LICENCES.get(licence), f"License: {licence}"))
    repository = github_repository(manifest)
    if repository:
        image = f"https://img.shields.io/badge/github-{shields_text(repository)}-lightgray.png?logo=github"
        result.append((image, f"https://github.com/{repository}/tree/{BRANCH}/{addon_path}", repository))
    return result


def render(addon):
    """The text of ADDON/README.rst, validated by docutils."""
    manifest = read_manifest(addon)
    name = manifest.get("name")
    if not name:
        raise ReadmeError(f"{_rel(addon / '__manifest__.py')} has no name")
    addon_path = addon.relative_to(ROOT).as_posix()
    fragments = read_fragments(addon)
    rst = {
        fragment: fix_image_paths(to_rst(fragment_format, text, FRAGMENT_LEVELS[fragment])).strip("\n") + "\n"
        for fragment, (fragment_format, text) in fragments.items()
    }
    repository = github_repository(manifest)
    series = ".".join(str(manifest.get("version", "")).split(".")[:2])
    status = (manifest.get("development_status") or "").lower()

    out = [heading(name, "=", overline=True)]
    out.append(
        "..\n"
        f"   This file is generated by {SCRIPT} from readme/ and __manifest__.py:\n"
        "   edit those, then run the script; changes made here are overwritten.\n"
    )
    addon_badges = badges(manifest, addon_path)
    if addon_badges:
        lines = []
        for number, (image, target, alt) in enumerate(addon_badges, 1):
            lines.append(f".. |badge{number}| image:: {image}")
            if target:
                lines.append(f"    :target: {target}")
            lines.append(f"    :alt: {alt}")
        out.append("\n".join(lines) + "\n")
        out.append(" ".join(f"|badge{number}|" for number in range(1, len(addon_badges) + 1)) + "\n")
    out.append(rst["DESCRIPTION"])
    if status == "alpha":
        out.append(
            ".. IMPORTANT::\n"
            "   This is an alpha version: the data model and design can change at any time without\n"
            "   warning. Only for development or testing, not for production.\n"
            f"   `More details on development status <{MATURITY_URL}>`_\n"
        )
    out.append("**Table of contents**\n\n.. contents::\n   :local:\n")
    for fragment, title, level in FRAGMENTS:
        if level == 2 and title and fragment in rst:
            out.append(heading(title, "=") + "\n" + rst[fragment])

    out.append(heading("Bug Tracker", "="))
    if repository:
        body = quote(f"module: {addon.name}\nversion: {series}\n\n**Steps to reproduce**\n- ...\n\n"
                     "**Current behavior**\n\n**Expected behavior**", safe=":*.")
        out.append(
            f"Bugs are tracked on `GitHub Issues <https://github.com/{repository}/issues>`_.\n"
            "Please look there first whether your problem is already known; if it is not, a report\n"
            "with the steps that reproduce it is welcome:\n"
            f"`report a bug <https://github.com/{repository}/issues/new?body={body}>`_.\n"
        )
    elif manifest.get("website"):
        out.append(f"Bugs are tracked by the project: {manifest['website']}\n")
    else:
        out.append("Report bugs to the authors listed below.\n")

    out.append(heading("Credits", "="))
    authors = [author.strip() for author in manifest.get("author", "").split(",") if author.strip()]
    if authors:
        out.append(heading("Authors", "-") + "\n" + "".join(f"* {author}\n" for author in authors))
    for fragment, title, level in FRAGMENTS:
        if level == 3 and fragment in rst:
            out.append(heading(title, "-") + "\n" + rst[fragment])
    maintainers = manifest.get("maintainers") or []
    maintained = [heading("Maintainers", "-")]
    if maintainers:
        maintained.append(
            "\n".join(
                f".. |maintainer-{login}| image:: https://github.com/{login}.png?size=40px\n"
                f"    :target: https://github.com/{login}\n"
                f"    :alt: {login}"
                for login in maintainers
            )
            + "\n"
        )
        maintained.append(f"Current maintainer{'s' if len(maintainers) > 1 else ''}:\n")
        maintained.append(" ".join(f"|maintainer-{login}|" for login in maintainers) + "\n")
    if repository:
        maintained.append(
            f"This module is part of the `{repository} <https://github.com/{repository}/tree/{BRANCH}/"
            f"{addon_path}>`_ project on GitHub.\n"
        )
    elif manifest.get("website"):
        maintained.append(f"This module is part of the project at {manifest['website']}.\n")
    maintained.append("You are welcome to contribute.\n")
    out.append("\n".join(maintained))

    text = "\n".join(out)
    # no trailing blanks, one newline at the end: the repository's whitespace checks hold
    text = "\n".join(line.rstrip() for line in text.split("\n")).strip("\n") + "\n"
    validate(text, addon / "README.rst")
    return text


_DOCUTILS = threading.Lock()


def validate(text, path):
    """docutils parses the README.rst as PyPI and GitHub would; any warning fails."""
    # the message is raised below; docutils would print it as well
    warnings = io.StringIO()
    try:
        with _DOCUTILS:  # docutils keeps registries of roles and directives per process
            publish_string(
                text,
                source_path=_rel(path),
                writer_name="html5",
                settings_overrides={**DOCUTILS_SETTINGS, "warning_stream": warnings},
            )
    except SystemMessage as error:
        message = str(error)
        line = re.search(r":(\d+): \(", message)
        shown = ""
        if line:
            number = int(line.group(1))
            shown = f"\n  line {number} of the rendered file: {text.split(chr(10))[number - 1]!r}"
        where = f"\n  (the fragment that holds it is in {_rel(path.parent)}/{FRAGMENTS_DIR}/)"
        raise ReadmeError(message + shown + where) from None


def _rel(path):
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


# -- command line ------------------------------------------------------------------------------
def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 naming each README.rst that is missing or out of date")
    parser.add_argument("paths", nargs="*", help="files or folders of the addons to render (default: every addon)")
    args = parser.parse_args(argv)

    addons = addon_dirs(args.paths)
    if not addons:
        return 0
    if any(any((addon / FRAGMENTS_DIR).glob("*.md")) for addon in addons):
        pandoc()  # a missing or wrong pandoc stops the script once, before any rendering

    def attempt(addon):
        try:
            return addon, render(addon), None
        except ReadmeError as error:
            return addon, None, str(error)

    # pandoc starts once per Markdown fragment; the addons render side by side
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        results = list(pool.map(attempt, addons))

    failed = stale = False
    for addon, text, error in results:
        readme = addon / "README.rst"
        if error:
            print(f"ERROR: {error}", file=sys.stderr)
            failed = True
            continue
        current = readme.read_bytes() if readme.is_file() else None
        if current == text.encode("utf-8"):
            continue
        if args.check:
            state = "is missing" if current is None else "is out of date with its readme/ fragments"
            print(f"{_rel(readme)} {state}", file=sys.stderr)
            stale = True
        else:
            readme.write_bytes(text.encode("utf-8"))
            print(f"wrote {_rel(readme)}")
    if stale:
        print(f"Run {SCRIPT} to rebuild them, then commit the result.", file=sys.stderr)
    return 1 if failed or stale else 0


if __name__ == "__main__":
    sys.exit(main())
