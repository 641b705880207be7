"""The pinned environment: requirements.txt pins every import, and environment.yml installs exactly that file."""

from __future__ import annotations

import ast
import configparser
import importlib.metadata
import json
import re
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ROOT / "requirements.txt"
ENVIRONMENT = ROOT / "environment.yml"
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"


def normalise(name: str) -> str:
    """PEP 503 normal form: case-folded, runs of '-', '_' and '.' as one '-'."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pip_pins() -> dict[str, str]:
    pins = {}
    for number, line in enumerate(REQUIREMENTS.read_text().splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([0-9][A-Za-z0-9.+!-]*)", line)
        assert match, f"requirements.txt line {number}: {line!r} is not pinned as name==version"
        pins[normalise(match.group(1))] = match.group(2)
    return pins


def conda_environment() -> dict:
    return yaml.safe_load(ENVIRONMENT.read_text())


def test_requirements_pin_every_package_exactly() -> None:
    assert pip_pins(), "requirements.txt lists no package"


def test_environment_yml_takes_python_and_pip_from_conda_forge_and_every_package_from_requirements() -> None:
    """One list of pins for both paths: conda-forge gives Python 3.11 and pip, and pip installs requirements.txt
    (so no conda-forge build of a pinned version has to exist, and the two files cannot drift apart)."""
    environment = conda_environment()
    assert environment["name"] == "nato-russia-notebooks"
    assert environment["channels"] == ["conda-forge"]
    conda_packages = [entry for entry in environment["dependencies"] if not isinstance(entry, dict)]
    assert conda_packages == ["python=3.11", "pip"], f"only Python and pip come from conda-forge: {conda_packages}"
    pip_sections = [entry["pip"] for entry in environment["dependencies"] if isinstance(entry, dict)]
    assert pip_sections == [["-r requirements.txt", "-e ."]]
    # conda runs pip from the folder of environment.yml, so the relative path names this requirements.txt.
    assert (ENVIRONMENT.parent / "requirements.txt").resolve() == REQUIREMENTS.resolve()


def test_installed_versions_match_the_pins() -> None:
    wrong = {}
    for name, version in pip_pins().items():
        try:
            installed = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            installed = "not installed"
        if installed != version:
            wrong[name] = f"pinned {version}, installed {installed}"
    assert not wrong, f"the environment does not match requirements.txt (run `make`): {wrong}"


def python_sources() -> dict[str, str]:
    """Every piece of Python the project runs: the package, the tests and the notebooks' code cells."""
    sources = {str(p.relative_to(ROOT)): p.read_text() for p in sorted((ROOT / "src").rglob("*.py"))}
    sources |= {str(p.relative_to(ROOT)): p.read_text() for p in sorted((ROOT / "tests").rglob("*.py"))}
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(notebook.read_text())["cells"]
        for index, cell in enumerate(cells, start=1):
            if cell["cell_type"] == "code":
                code = "".join(cell["source"])
                # IPython magics and shell escapes are not Python.
                code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in code.splitlines())
                sources[f"{notebook.relative_to(ROOT)} cell {index}"] = code
    return sources


def imported_modules(code: str) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            modules |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module.split(".")[0])
    return modules


def test_every_import_is_pinned() -> None:
    pinned = set(pip_pins())
    local = {path.stem for path in (ROOT / "tests").glob("*.py")}  # conftest and helpers
    providers = importlib.metadata.packages_distributions()
    unpinned = {}
    for where, code in python_sources().items():
        for module in imported_modules(code):
            if module in sys.stdlib_module_names or module in local | {"nato_russia", "__future__"}:
                continue
            distributions = {normalise(d) for d in providers.get(module, [])}
            if not distributions & pinned:
                unpinned.setdefault(module, []).append(where)
    assert not unpinned, f"imported but not pinned in requirements.txt: {unpinned}"


def test_no_notebook_output_is_exempt_from_nbval() -> None:
    exempt = []
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for index, cell in enumerate(json.loads(notebook.read_text())["cells"], start=1):
            tags = {tag.lower() for tag in cell.get("metadata", {}).get("tags", [])}
            if "NBVAL_" in "".join(cell["source"]).upper() or any(tag.startswith("nbval") for tag in tags):
                exempt.append(f"{notebook.name} cell {index}")
    assert not exempt, f"nbval markers are not allowed (every output is compared): {exempt}"


def sanitizers() -> list[tuple[re.Pattern, str]]:
    config = configparser.ConfigParser()
    config.read(SANITIZE)
    return [(re.compile(config[section]["regex"]), config[section]["replace"]) for section in config.sections()]


def sanitize(text: str) -> str:
    for pattern, replacement in sanitizers():
        text = pattern.sub(replacement, text)
    return text


@pytest.mark.parametrize(
    ("here", "there"),
    [
        ("<Axes at 0x7f3a2c1b9d90>", "<Axes at 0x7fe01c0f8a10>"),
        ("/work/main/figures/03_timeline.png", "/tmp/ci-clone/figures/03_timeline.png"),
        ("wrote /home/ann/nato-russia-notebooks/data/events.csv", "wrote /tmp/x/data/events.csv"),
    ],
)
def test_the_sanitizer_hides_volatile_text(here: str, there: str) -> None:
    assert sanitize(here) == sanitize(there)


@pytest.mark.parametrize(
    "text",
    ["score 0x10 of 7", "see ../figures/03_timeline.png", "1997-05-27 Founding Act", "phase 3 of 7: 2014-2022"],
)
def test_the_sanitizer_leaves_real_results_alone(text: str) -> None:
    assert sanitize(text) == text


def test_the_package_declares_what_requirements_pin() -> None:
    """pyproject.toml's dependencies (runtime and dev) are pinned in requirements.txt, each pin at or above the
    declared lower bound, so that `pip install .` and `make` describe the same environment."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["dev"]
    pins = pip_pins()
    for requirement in declared:
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)>=([0-9][0-9.]*)", requirement)
        assert match, f"pyproject.toml: {requirement!r} is not of the form name>=version"
        name, lowest = normalise(match.group(1)), match.group(2)
        assert name in pins, f"pyproject.toml declares {name}, which requirements.txt does not pin"
        pinned = [int(part) for part in re.findall(r"[0-9]+", pins[name])[:3]]
        assert pinned >= [int(part) for part in lowest.split(".")], f"{name}: pinned {pins[name]} < {lowest}"
    assert set(pins) == {normalise(re.split(">=", requirement)[0]) for requirement in declared}, (
        "requirements.txt pins a package pyproject.toml does not declare (or the reverse)"
    )
