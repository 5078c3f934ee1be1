#!/usr/bin/env python3
"""Checks the shape of src/ that the layering promises; CI runs it.

1. Layers include only downward: a file in src/A/ may include headers of A
   and of the layers listed before A in LAYERS, never after.
2. No include cycles between files (even within one layer).
3. Only the reporter (src/report/) prints: no stdio output, err(3) or
   warn(3) calls elsewhere. Data moves through write(2) on file descriptors.
4. No .c file is longer than MAX_LINES: a longer one holds several concerns.

Exits 1 and names every offence; prints a one-line summary when clean.
"""
import os
import re
import sys

LAYERS = ["util", "cli", "net", "conn", "dial", "relay", "probe", "report", "mode"]
MAX_LINES = 600
PRINTING = re.compile(
    r"\b(printf|fprintf|vfprintf|dprintf|vdprintf|puts|fputs|putchar|putc|fputc|"
    r"perror|fwrite|fflush|warn|warnx|vwarn|vwarnx|err|errx|verr|verrx)\s*\("
    r"|\b(stdout|stderr)\b"
)
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r'"(\\.|[^"\\\n])*"', '""', text)


def main(root):
    src = os.path.join(root, "src")
    files = {}
    for dirpath, _, names in os.walk(src):
        for name in names:
            if name.endswith((".c", ".h")):
                path = os.path.join(dirpath, name)
                files[os.path.relpath(path, src)] = open(path, encoding="utf-8").read()
    problems = []
    graph = {}
    for rel, text in sorted(files.items()):
        layer = rel.split("/")[0] if "/" in rel else None
        if layer is not None and layer not in LAYERS:
            problems.append(f"src/{rel}: folder '{layer}' is not a known layer")
            continue
        if layer is not None and not os.path.basename(rel).startswith(layer):
            problems.append(f"src/{rel}: file name does not start with its folder's prefix '{layer}'")
        graph[rel] = []
        for inc in INCLUDE.findall(text):
            if inc not in files:
                continue  # a header of tests/ or a system one in quotes
            graph[rel].append(inc)
            target = inc.split("/")[0]
            if layer is None:
                continue  # main.c may include anything
            if LAYERS.index(target) > LAYERS.index(layer):
                problems.append(f"src/{rel}: includes {inc}: '{layer}' must not depend on '{target}'")
        if layer != "report":
            code = strip_comments(text)
            for n, line in enumerate(code.split("\n"), 1):
                m = PRINTING.search(line)
                if m:
                    problems.append(f"src/{rel}:{n}: prints ({m.group(0).strip('( ')}) outside src/report/")
        if rel.endswith(".c"):
            lines = text.count("\n")
            if lines > MAX_LINES:
                problems.append(f"src/{rel}: {lines} lines (more than {MAX_LINES}): split it")
    # Include cycles between modules (a .c and its .h are one module), by
    # depth-first search: relay.c including splice.h while splice.c
    # includes relay.h is a cycle even though no header includes itself.
    modules = {}
    for rel, incs in graph.items():
        mod = rel.rsplit(".", 1)[0]
        modules.setdefault(mod, set()).update(i.rsplit(".", 1)[0] for i in incs)
    for mod in modules:
        modules[mod].discard(mod)
    state = {}
    stack = []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(modules.get(node, ())):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                problems.append("include cycle: " + " -> ".join(cycle))
            elif state.get(nxt) is None:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(modules):
        if node not in state:
            visit(node)
    for p in problems:
        print(p)
    if problems:
        print(f"check_layers: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"check_layers: {len(files)} files, layers {' < '.join(LAYERS)}: clean")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")))
