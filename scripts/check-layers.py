#!/usr/bin/env python3
"""The import rules the code keeps, checked (run by scripts/test.sh).

The app's folders are layers (src/lib.rs says why): each may use only the
ones before it in LAYERS, so no import circle can form. The engine's
modules may use each other in any direction that makes no circle.

A use is any `crate::<module>` in code (comments and unit-test modules are
skipped; the `bin/` entries, which use everything, are not a layer). Prints every rule broken
and exits 1, or prints the graph's size and exits 0.
"""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LAYERS = ["platform", "state", "data", "charts", "tools", "header",
          "investment", "results", "analyses", "app"]

USE = re.compile(r"\bcrate::([a-z_]+)")


def code(path):
    """The file's text without its comments and its unit tests (a test
    module, at the end of a file, may exercise the modules that use it)."""
    text = path.read_text(encoding="utf-8").split("#[cfg(test)]", 1)[0]
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return "\n".join(line.split("//", 1)[0] for line in text.splitlines())


def graph(src):
    """{module: {modules it uses}} for the top-level modules of `src`."""
    edges = {}
    for path in sorted(src.rglob("*.rs")):
        rel = path.relative_to(src)
        if rel.parts[0] == "bin" or rel.name in ("lib.rs", "main.rs"):
            continue
        module = rel.parts[0].removesuffix(".rs")
        used = {m for m in USE.findall(code(path)) if m != module}
        edges.setdefault(module, set()).update(used)
    return edges


def cycle(edges):
    """One import circle as a list of modules, or None."""
    state = {}

    def visit(node, stack):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in edges:
                continue
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt, stack)
                if found:
                    return found
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(edges):
        if node not in state:
            found = visit(node, [])
            if found:
                return found
    return None


def main():
    problems = []
    app = graph(ROOT / "src")
    for module, used in sorted(app.items()):
        if module not in LAYERS:
            problems.append(f"src/{module} is in no layer: add it to LAYERS in scripts/check-layers.py")
            continue
        rank = LAYERS.index(module)
        for other in sorted(used):
            if other in LAYERS and LAYERS.index(other) > rank:
                problems.append(f"src/{module} uses src/{other}, a layer above it")
    engine = graph(ROOT / "crates" / "engine" / "src")
    found = cycle(engine)
    if found:
        problems.append("the engine's modules import each other in a circle: " + " -> ".join(found))
    if problems:
        print("check-layers: " + "\n  ".join(problems), file=sys.stderr)
        return 1
    print(f"check-layers: {len(app)} app folders in {len(LAYERS)} layers, "
          f"{len(engine)} engine modules, no circles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
