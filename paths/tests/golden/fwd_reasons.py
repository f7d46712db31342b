"""The verdict reasons of the shared core, read from the FWD_REASONS X-macro
in paths/common/fwd_core.h, so the golden tools never keep a second list that
could drift from the C code. (This reads the header as text; it never runs C.)
"""
import os
import re

CORE_H = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "..", "..", "common", "fwd_core.h")

KIND_NAMES = {0: "forward", 1: "drop", 2: "punt"}


def load_reasons(core_h=CORE_H):
    """Return {reason name: "forward" | "drop" | "punt"} in FWD_REASONS order."""
    with open(core_h, encoding="ascii") as f:
        text = f.read()
    start = text.index("#define FWD_REASONS(X)")
    end = text.index("\n\n", start)
    rows = re.findall(r'X\(\s*(\w+)\s*,\s*"([^"]+)"\s*,\s*(\d)\s*\)',
                      text[start:end])
    if not rows or rows[0][1] != "forward":
        raise RuntimeError("%s: cannot read the FWD_REASONS table" % core_h)
    return {name: KIND_NAMES[int(kind)] for _, name, kind in rows}
