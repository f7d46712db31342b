"""verify: `fwdlab verify`, every golden case through every path (README.md)."""
