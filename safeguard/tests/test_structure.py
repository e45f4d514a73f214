"""The shape every app keeps (docs/architecture.md), checked by walking the source tree.

Each test reads the source with ``ast`` (never imports it), so a comment or a docstring that
names a thing is not a violation, and lists every offending ``file:line`` when it fails.

- Views and template tags read through selectors: no ``.objects`` in a ``views.py`` (or a
  module of a ``views/`` package) nor in ``templatetags/*.py``.
- One policy per app: every ``permissions.py`` defines ``can`` and ``visible_to`` as
  top-level functions.
- A management command is an entry point, not a library: no module outside
  ``management/commands/`` and the tests imports a ``management.commands`` module (what both
  need belongs in the app's services or selectors).
"""

import ast
from pathlib import Path

SAFEGUARD = Path(__file__).resolve().parent.parent
ROOT = SAFEGUARD.parent


def _sources():
    """Every Python module of the project, without migrations."""
    for path in sorted(SAFEGUARD.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        yield path


def _is_test(path: Path) -> bool:
    return (
        "tests" in path.parts
        or path.name.startswith("test_")
        or path.name == "conftest.py"
    )


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(ROOT)}:{node.lineno}"


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _is_view_or_tag(path: Path) -> bool:
    if _is_test(path):
        return False
    return (
        path.name == "views.py"
        or path.parent.name == "views"
        or path.parent.name == "templatetags"
    )


def test_views_and_template_tags_never_use_a_model_manager():
    found = [
        _where(path, node)
        for path in _sources()
        if _is_view_or_tag(path)
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.Attribute) and node.attr == "objects"
    ]
    assert not found, (
        "Views and template tags read through the app's selectors, never a model's "
        "`.objects`:\n  " + "\n  ".join(found)
    )


POLICY = {"can", "visible_to"}


def test_every_policy_answers_can_and_visible_to():
    found = []
    for path in _sources():
        if path.name != "permissions.py" or _is_test(path):
            continue
        defined = {
            node.name
            for node in _tree(path).body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        }
        found += [f"{path.relative_to(ROOT)}: no `{name}`" for name in sorted(POLICY - defined)]
    assert not found, (
        "Every permissions.py defines `can(user, action, obj)` and `visible_to(user)` as "
        "top-level functions:\n  " + "\n  ".join(found)
    )


def _imports_a_command(node: ast.AST) -> bool:
    if isinstance(node, ast.Import):
        return any(".management.commands" in f".{alias.name}" for alias in node.names)
    if isinstance(node, ast.ImportFrom) and node.module:
        module = f".{node.module}"
        if ".management.commands" in module:
            return True
        # from safeguard.x.management import commands
        return module.endswith(".management") and any(a.name == "commands" for a in node.names)
    return False


def _is_command(path: Path) -> bool:
    parts = path.parts
    return any(a == "management" and b == "commands" for a, b in zip(parts, parts[1:], strict=False))


def test_no_module_but_a_command_imports_a_command():
    found = [
        _where(path, node)
        for path in _sources()
        if not _is_command(path) and not _is_test(path)
        for node in ast.walk(_tree(path))
        if _imports_a_command(node)
    ]
    assert not found, (
        "Only commands and tests import a management command; move what is shared into the "
        "app's services or selectors:\n  " + "\n  ".join(found)
    )
