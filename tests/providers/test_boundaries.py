"""providers is pure Python: it never imports the film app or Django."""

import ast
from pathlib import Path

import providers

FORBIDDEN = ("projects", "django", "studio")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_providers_never_imports_projects_or_django():
    root = Path(providers.__file__).parent
    sources = sorted(root.rglob("*.py"))
    assert len(sources) > 10
    offenders = {
        f"{path.relative_to(root)}: {name}"
        for path in sources
        for name in imported_modules(path)
        if name.split(".")[0] in FORBIDDEN
    }
    assert offenders == set()


PROVIDER_PACKAGES = ("previz", "veo", "runway", "kling", "seedance", "higgsfield")


def test_no_provider_package_imports_another():
    """Kling is providers/kling/ (and its simulator): nothing of it lives in another provider."""
    root = Path(providers.__file__).parent
    offenders = set()
    for package in PROVIDER_PACKAGES:
        others = {f"providers.{name}" for name in PROVIDER_PACKAGES if name != package}
        for path in sorted((root / package).rglob("*.py")):
            for name in imported_modules(path):
                if ".".join(name.split(".")[:2]) in others:
                    offenders.add(f"{path.relative_to(root)}: {name}")
    assert offenders == set()
