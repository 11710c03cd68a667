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
