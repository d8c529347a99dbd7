"""The package is laid out by stage: each folder imports only the stages before it, and no
module imports itself back through others (including imports inside functions)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "newsletter"

#: Each part of the package and the parts it may import (besides itself).
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "content": {"core"},
    "compose": {"core", "content"},
    "render": {"core", "content", "compose"},
    "customers": {"core", "content", "compose"},
    "output": {"core", "content", "compose"},
    "channels": {"core", "content", "compose", "render"},
    "checks": {"core", "content", "compose", "render", "customers"},
    "console": {"core", "content", "checks"},
    "cache": {"core", "content", "compose", "render", "output"},
    "pool": {"core", "content", "compose", "render", "channels", "checks", "output", "cache"},
    "build": {"core", "content", "compose", "render", "channels", "checks", "output", "cache", "pool"},
}
ALLOWED["inspect"] = ALLOWED["build"] | {"build"}
ALLOWED["scaffold"] = {"core", "content"}
ALLOWED["sendtest"] = ALLOWED["build"] | {"build", "customers"}
ALLOWED["esp"] = ALLOWED["build"] | {"build", "customers"}
ALLOWED["results"] = {"core", "content", "compose", "render", "customers", "build"}
ALLOWED["preview"] = ALLOWED["sendtest"] | {"esp", "results"}
ALLOWED["commands"] = set(ALLOWED) - {"commands"} | {"preview", "esp", "console"}
ALLOWED["cli"] = {"commands"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every newsletter module a file imports, at the top or inside functions."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("newsletter"):
                continue
            for alias in node.names:  # `from . import x` may name a module
                candidate = f"{target}.{alias.name}"
                found.add(candidate if (PACKAGE.parent / candidate.replace(".", "/")).with_suffix(".py").exists()
                          or (PACKAGE.parent / candidate.replace(".", "/")).is_dir() else target)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("newsletter")}
    return found


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports(p) for p in PACKAGE.rglob("*.py")}


def part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_each_stage_imports_only_the_stages_before_it():
    wrong = []
    for module, targets in sorted(graph().items()):
        here = part(module)
        if here not in ALLOWED:
            continue
        for target in sorted(targets):
            there = part(target)
            if there and there != here and there not in ALLOWED[here]:
                wrong.append(f"{module} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_no_import_cycles():
    edges = graph()
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if nxt == node or nxt not in edges:
                continue
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(trail[trail.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for start in sorted(edges):
        if start not in state:
            visit(start, [start])
    assert not cycles, "\n".join(cycles)


def test_every_stage_folder_says_its_role_and_what_it_may_import():
    for folder in sorted(p for p in PACKAGE.iterdir() if (p / "__init__.py").exists()):
        doc = ast.get_docstring(ast.parse((folder / "__init__.py").read_text(encoding="utf-8"))) or ""
        if folder.name in ALLOWED:
            assert "May import" in doc, f"{folder.name}/__init__.py should say what it may import"
