#!/usr/bin/env python3
"""Every public symbol of the Knot library documented: read the compiler's symbol graphs.

Usage: doc-coverage.py SYMBOLGRAPH_DIR PACKAGE_ROOT MODULE...

The symbol graphs are the ones `swift package dump-symbol-graph --minimum-access-level public
--skip-synthesized-members` writes (the compiler's own view of the API, not a parse of the
sources). For each MODULE it reads MODULE.symbols.json and MODULE@Other.symbols.json (public
members the module adds to another module's types), and prints `file:line: kind name` for every
public or open symbol declared in Sources/MODULE without a doc comment, then a count per module.
Exit status 1 when something is missing, 0 when every symbol is documented, 2 when a graph is
missing.

What counts as documented, and what is excluded by rule:
- a `///` (or `/** */`) comment written on the declaration;
- an implementation of a protocol requirement that inherits the requirement's comment (the
  compiler copies it into the graph: `==`, `hash(into:)`, `description`, `init(from:)`, `id`,
  a requirement of a Knot protocol that is itself documented);
- a comment on a multi-element `case a, b` declaration documents every case it names, and the
  comment on a one-line enum (`enum Size { case smaller, larger }`) documents the cases on its line.
Excluded: members the compiler synthesizes (Codable, Equatable, Hashable, RawRepresentable's
`init(rawValue:)` and `rawValue`, CaseIterable's `allCases`, an enum's implicit members): they
have no source location, or are left out of the graph by --skip-synthesized-members together with
protocol extension defaults inherited by a type.
Anything else public counts, enum cases included.
"""
import json
import os
import sys
from urllib.parse import unquote, urlparse


def documented(symbol: dict) -> bool:
    comment = symbol.get("docComment") or {}
    return any(line.get("text", "").strip() for line in comment.get("lines", []))


def main() -> int:
    if len(sys.argv) < 4:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    graph_dir, root, modules = sys.argv[1], os.path.realpath(sys.argv[2]), sys.argv[3:]
    missing = []  # (path, line, module, text)
    totals = {}
    for module in modules:
        files = [f for f in sorted(os.listdir(graph_dir))
                 if f == f"{module}.symbols.json" or (f.startswith(f"{module}@") and f.endswith(".symbols.json"))]
        if f"{module}.symbols.json" not in files:
            print(f"doc-coverage: no symbol graph for {module} in {graph_dir}", file=sys.stderr)
            return 2
        source_dir = os.path.join(root, "Sources", module) + os.sep
        seen = set()
        counted = 0
        for name in files:
            with open(os.path.join(graph_dir, name), encoding="utf-8") as handle:
                graph = json.load(handle)
            by_id = {s["identifier"]["precise"]: s for s in graph.get("symbols", [])}
            parent = {r["source"]: r["target"] for r in graph.get("relationships", []) if r["kind"] == "memberOf"}
            for symbol in graph.get("symbols", []):
                if symbol.get("accessLevel") not in ("public", "open"):
                    continue
                location = symbol.get("location")
                if not location:
                    continue  # synthesized by the compiler: no source to comment
                path = os.path.realpath(unquote(urlparse(location["uri"]).path))
                if not path.startswith(source_dir):
                    continue
                precise = symbol["identifier"]["precise"]
                if precise in seen:
                    continue
                seen.add(precise)
                counted += 1
                if documented(symbol):
                    continue
                owner = by_id.get(parent.get(precise, ""))
                if (symbol["kind"]["identifier"] == "swift.enum.case" and owner and owner.get("location")
                        and owner["location"]["uri"] == location["uri"]
                        and owner["location"]["position"]["line"] == location["position"]["line"]):
                    continue  # a case on its enum's line: the enum's comment (or its absence) covers it
                line = location["position"]["line"] + 1  # the graph counts lines from 0
                kind = symbol["kind"]["displayName"].lower()
                title = ".".join(symbol.get("pathComponents", [])) or symbol["names"]["title"]
                missing.append((os.path.relpath(path, root), line, module, f"{kind} {title}"))
        undocumented = sum(1 for m in missing if m[2] == module)
        totals[module] = (counted, undocumented)

    for path, line, _, text in sorted(missing):
        print(f"{path}:{line}: undocumented public {text}")
    for module in modules:
        counted, undocumented = totals[module]
        print(f"doc-coverage: {module}: {counted - undocumented} of {counted} public symbols documented"
              + (f", {undocumented} missing" if undocumented else ""))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
