"""matrix.py - the results of `fwdlab verify` and how they are printed.

A cell is one golden case through one path: Cell(result, detail, note)
with result one of
  pass      golden-cmp found no difference
  FAIL      a difference (detail: golden-cmp's first-difference line) or a
            runner that broke (detail: what it said)
  skip      the path cannot run this case here (detail: why)
  deviates  linux only: differs from the core exactly as a documented
            kernel behaviour explains (detail: which, paths/linux/deviations.py)
note: a remark that does not change the result (e.g. what the runner
could not compare); the cell is then printed with a '*'.
A path that cannot run at all is one skip reason for its whole column.
"""
import json

RESULTS = ("pass", "FAIL", "skip", "deviates")


class Cell:
    def __init__(self, result, detail="", note=""):
        if result not in RESULTS:
            raise ValueError("cell result %r not one of %s" % (result, ", ".join(RESULTS)))
        self.result, self.detail, self.note = result, detail, note

    def text(self):
        """What the matrix shows: the result, the deviation names for
        deviates, '*' when there is a note."""
        t = self.result
        if self.result == "deviates" and self.detail:
            named = self.detail.split(";")[0].split(", ")
            t += " (%s)" % ", ".join(p.split(":")[0].strip() for p in named)
        return t + ("*" if self.note else "")

    def as_dict(self):
        return {"result": self.result, "detail": self.detail, "note": self.note}


class Matrix:
    """cases x paths; cells[case][path] -> Cell; column_skip[path] -> why
    the whole path was skipped."""

    def __init__(self, cases, paths):
        self.cases, self.paths = list(cases), list(paths)
        self.cells = {c: {} for c in self.cases}
        self.column_skip = {}

    def set(self, case, path, cell):
        self.cells[case][path] = cell

    def skip_column(self, path, why):
        self.column_skip[path] = why
        for c in self.cases:
            self.cells[c][path] = Cell("skip", why)

    def get(self, case, path):
        return self.cells[case].get(path)

    def failed(self):
        return [(c, p) for c in self.cases for p in self.paths
                if self.get(c, p) is not None and self.get(c, p).result == "FAIL"]

    def exit_code(self):
        """0 without any FAIL, 1 otherwise."""
        return 1 if self.failed() else 0

    def counts(self):
        out = {r: 0 for r in RESULTS}
        for c in self.cases:
            for p in self.paths:
                cell = self.get(c, p)
                if cell is not None:
                    out[cell.result] += 1
        return out

    def deviation_names(self):
        """The deviation names the deviates cells name, in first-seen order."""
        names = []
        for p in self.paths:
            for c in self.cases:
                cell = self.get(c, p)
                if cell is not None and cell.result == "deviates" and "(" in cell.text():
                    for n in cell.text().split("(", 1)[1].rstrip("*)").split(", "):
                        if n not in names:
                            names.append(n)
        return names

    def render(self, explain=None):
        """The matrix, then the column skips, the per-cell skips, the
        deviations (and, from explain {name: kernel behaviour}, why), the
        notes and the failures' first differences."""
        head = ["case"] + self.paths
        rows = [[c] + [self.get(c, p).text() if self.get(c, p) else "-" for p in self.paths]
                for c in self.cases]
        width = [max(len(r[i]) for r in [head] + rows) for i in range(len(head))]
        fmt = lambda r: "  ".join(s.ljust(w) for s, w in zip(r, width)).rstrip()
        out = [fmt(head), fmt(["-" * w for w in width])] + [fmt(r) for r in rows]
        n = self.counts()
        out.append("")
        out.append("%d cells: %s" % (sum(n.values()),
                                     ", ".join("%d %s" % (n[r], r) for r in RESULTS if n[r])))
        sections = [("Paths skipped", [("%s" % p, why) for p, why in self.column_skip.items()])]
        for title, res, attr in (("Skipped cases", "skip", "detail"),
                                 ("Deviations (known kernel behaviour, paths/linux/deviations.py)",
                                  "deviates", "detail"),
                                 ("Notes (*)", None, "note"),
                                 ("Failures (first difference)", "FAIL", "detail")):
            items = []
            for p in self.paths:
                if res == "skip" and p in self.column_skip:
                    continue
                for c in self.cases:
                    cell = self.get(c, p)
                    if cell is None or (res and cell.result != res) or not getattr(cell, attr):
                        continue
                    items.append(("%s/%s" % (p, c), getattr(cell, attr)))
            sections.append((title, items))
        if explain:
            sections.insert(3, ("Kernel behaviour behind those deviations",
                                [(n, explain[n]) for n in self.deviation_names() if n in explain]))
        for title, items in sections:
            if items:
                out.append("")
                out.append(title + ":")
                out += ["  %s: %s" % (k, v) for k, v in items]
        return "\n".join(out) + "\n"

    def as_json(self, extra=None):
        d = {"paths": self.paths, "cases": self.cases, "column_skip": self.column_skip,
             "cells": {c: {p: cell.as_dict() for p, cell in self.cells[c].items()}
                       for c in self.cases},
             "counts": self.counts(), "exit": self.exit_code()}
        d.update(extra or {})
        return json.dumps(d, indent=1, sort_keys=True) + "\n"
