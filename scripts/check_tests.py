"""List the tests that check nothing (`make lint`).

A test passes when it runs to the end, so one with nothing that can fail it only proves the code
ran. Each `test_*` function in tests/**/test_*.py (at module level or in a `Test*` class) must
contain one of:

- an `assert` statement, or `raise AssertionError`;
- `pytest.raises`, `pytest.warns`, `pytest.deprecated_call` or `pytest.fail` (as a `with` or
  as a call);
- a query-count check: `django_assert_num_queries`, `django_assert_max_num_queries`,
  `self.assertNumQueries`;
- a call named `assert*` (`self.assertEqual`, pytest-django's `assertContains`, a mock's
  `assert_called_once_with`) or Playwright's `expect(...)`, unless it names a helper under
  tests/, which is then read like any other;
- a call to a helper that does one of these itself, however deep: a function of the same
  module or class, or one imported from a module under tests/ (relative imports included).

Or be marked `@pytest.mark.smoke(reason="...")`, on the test or its class: running without an
error is its check, and the reason says why that is enough. A smoke mark without a reason is an
error of its own.

Not counted: fixtures (a fixture's assert checks the setup, not what the test names), and calls
on objects whose class the checker cannot see. A nested function or lambda counts as part of the
test that holds it, whether or not it is called.

    python -m scripts.check_tests [ROOT]    # ROOT holds tests/; the repository by default
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Fixtures and functions that fail the test when what they check is not so.
CHECKING_NAMES = {"django_assert_num_queries", "django_assert_max_num_queries"}
PYTEST_CHECKS = {"raises", "warns", "fail", "deprecated_call"}
# Imported names that check, from outside tests/: (module, name).
EXTERNAL_CHECKS = {
    ("playwright.sync_api", "expect"),
    ("playwright.async_api", "expect"),
    *(("pytest", name) for name in PYTEST_CHECKS),
}

NO_CHECK = (
    "has no assertion, pytest.raises or query-count check"
    " (mark it @pytest.mark.smoke(reason=...) if running is the check)"
)
NO_REASON = 'is marked smoke without a reason: @pytest.mark.smoke(reason="...")'

Function = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass
class Module:
    name: str
    path: Path
    tree: ast.Module
    functions: dict[str, Function] = field(default_factory=dict)
    # Local name -> (module, name) for `from m import name`, or (module, None) for a module.
    imports: dict[str, tuple[str, str | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class Helper:
    """A function a test may call: module-level, or a method of `owner`."""

    module: Module
    function: Function
    owner: ast.ClassDef | None

    @property
    def key(self) -> tuple[str, str]:
        name = self.function.name
        return self.module.name, f"{self.owner.name}.{name}" if self.owner else name


class Checker:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.modules: dict[str, Module | None] = {}
        self.verdicts: dict[tuple[str, str], bool] = {}

    # Modules ------------------------------------------------------------------------------

    def module_path(self, name: str) -> Path | None:
        if name != "tests" and not name.startswith("tests."):
            return None
        base = self.root.joinpath(*name.split("."))
        for path in (base.with_suffix(".py"), base / "__init__.py"):
            if path.is_file():
                return path
        return None

    def module(self, name: str) -> Module | None:
        if name not in self.modules:
            path = self.module_path(name)
            self.modules[name] = self.load(name, path) if path else None
        return self.modules[name]

    def load(self, name: str, path: Path) -> Module:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        module = Module(name, path, tree)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in tree.body:
            if isinstance(node, Function):
                module.functions[node.name] = node
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        module.imports[alias.asname] = (alias.name, None)
                    else:  # `import a.b` binds `a`
                        top = alias.name.split(".")[0]
                        module.imports[top] = (top, None)
            elif isinstance(node, ast.ImportFrom):
                source = absolute(package, node.module, node.level)
                for alias in node.names:
                    submodule = f"{source}.{alias.name}"
                    target = (submodule, None) if self.module_path(submodule) else None
                    module.imports[alias.asname or alias.name] = target or (source, alias.name)
        return module

    # Verdicts -----------------------------------------------------------------------------

    def checks(self, module: Module, function: Function, owner: ast.ClassDef | None) -> bool:
        """Whether `function` (of `owner`, if a method) holds a check, itself or in a helper it
        calls however deep. Helpers that call each other are each read once."""
        start = Helper(module, function, owner)
        if start.key in self.verdicts:
            return self.verdicts[start.key]
        seen: set[tuple[str, str]] = set()
        todo = [start]
        while todo:
            helper = todo.pop()
            if helper.key in seen or self.verdicts.get(helper.key) is False:
                continue
            seen.add(helper.key)
            found = [self.node_checks(helper, node) for node in ast.walk(helper.function)]
            if self.verdicts.get(helper.key) or any(f is True for f in found):
                self.verdicts[start.key] = True
                return True
            todo += [callee for callee in found if isinstance(callee, Helper)]
        # Nothing reachable from here checks, so nothing reachable from any of these does.
        self.verdicts.update(dict.fromkeys(seen, False))
        return False

    def node_checks(self, helper: Helper, node: ast.AST) -> bool | Helper:
        """True if `node` checks, the helper it calls if that is under tests/, else False."""
        if isinstance(node, ast.Assert):
            return True
        if isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            return isinstance(exc, ast.Name) and exc.id == "AssertionError"
        if isinstance(node, ast.Call):
            return self.call_checks(helper.module, node.func, helper.owner)
        return False

    def call_checks(
        self, module: Module, func: ast.expr, owner: ast.ClassDef | None
    ) -> bool | Helper:
        if isinstance(func, ast.Name):
            helper = self.resolve(module, func.id)
            if helper:
                return helper
            if func.id in CHECKING_NAMES or func.id.startswith("assert"):
                return True
            return module.imports.get(func.id) in EXTERNAL_CHECKS
        if isinstance(func, ast.Attribute):
            target = func.value
            if isinstance(target, ast.Name):
                if owner and target.id in ("self", "cls"):
                    method = method_of(owner, func.attr)
                    if method:
                        return Helper(module, method, owner)
                imported = module.imports.get(target.id)
                if imported and imported[1] is None:
                    if imported[0] == "pytest":
                        return func.attr in PYTEST_CHECKS
                    other = self.module(imported[0])
                    helper = other and self.resolve(other, func.attr)
                    if helper:
                        return helper
            return func.attr.startswith("assert")
        return False

    def resolve(self, module: Module, name: str, seen: frozenset = frozenset()) -> Helper | None:
        """The function a name in `module` calls, if it is defined under tests/."""
        if name in module.functions:
            return Helper(module, module.functions[name], None)
        imported = module.imports.get(name)
        if not imported or imported[1] is None or (imported in seen):
            return None
        other = self.module(imported[0])
        return other and self.resolve(other, imported[1], seen | {imported})

    # Tests --------------------------------------------------------------------------------

    def problems(self, path: Path) -> list[str]:
        relative = path.relative_to(self.root)
        module = self.module(".".join(relative.with_suffix("").parts))
        if module is None:
            return []
        found = []
        for function, owner in tests_in(module.tree):
            name = f"{owner.name}.{function.name}" if owner else function.name
            where = f"{relative}:{function.lineno}: {name}"
            smoke = smoke_mark(function) or (smoke_mark(owner) if owner else None)
            if smoke is not None:
                if not has_reason(smoke):
                    found.append(f"{where} {NO_REASON}")
            elif not self.checks(module, function, owner):
                found.append(f"{where} {NO_CHECK}")
        return found


def absolute(package: str, module: str | None, level: int) -> str:
    if not level:
        return module or ""
    parts = package.split(".")
    base = parts[: len(parts) - (level - 1)] if level > 1 else parts
    return ".".join([*base, module] if module else base)


def method_of(owner: ast.ClassDef, name: str) -> Function | None:
    for node in owner.body:
        if isinstance(node, Function) and node.name == name:
            return node
    return None


def tests_in(tree: ast.Module):
    for node in tree.body:
        if isinstance(node, Function) and node.name.startswith("test"):
            yield node, None
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            for item in node.body:
                if isinstance(item, Function) and item.name.startswith("test"):
                    yield item, node


def smoke_mark(node: Function | ast.ClassDef) -> ast.expr | None:
    """The `pytest.mark.smoke` decorator on `node`, called or bare, if any."""
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if ast.unparse(target) in ("pytest.mark.smoke", "mark.smoke"):
            return decorator
    return None


def has_reason(mark: ast.expr) -> bool:
    if not isinstance(mark, ast.Call):
        return False
    reasons = [*mark.args[:1], *(k.value for k in mark.keywords if k.arg == "reason")]
    return any(
        isinstance(r, ast.Constant) and isinstance(r.value, str) and r.value.strip()
        for r in reasons
    )


def check(root: Path) -> list[str]:
    """Every problem in root/tests, one line each, in path order."""
    checker = Checker(root)
    problems = []
    for path in sorted((root / "tests").rglob("test_*.py")):
        problems += checker.problems(path)
    return problems


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    problems = check(Path(args[0]) if args else ROOT)
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
