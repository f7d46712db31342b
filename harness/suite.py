"""suite.py - suite files (harness/suites/README.md): `key = value`
lines, '#' comments, lists separated by commas. Unknown keys are errors
(a typo must not silently change a measurement)."""
import os

from util import HarnessError

HERE = os.path.dirname(os.path.realpath(__file__))
SUITE_DIR = os.path.join(HERE, "suites")

# key -> (type, default). Types: str, int, float, list (of str).
KEYS = {
    "description": (str, ""),
    "paths": (list, ["all"]),
    "placement": (list, ["default"]),
    "frame_sizes": (list, ["64"]),
    "methods": (list, ["maxrate"]),
    "duration": (float, 2.0),
    "trials": (int, 1),
    "ramp": (float, 0.5),
    "settle": (float, 0.3),
    "flows": (int, 1),
    "gen_engine": (str, "xdp"),
    "gen_burst": (int, 0),
    "rate_sink": (str, "count"),
    "loss_tolerance": (float, 0.0),
    "rfc2544.resolution": (float, 0.02),
    "rfc2544.max_iterations": (int, 10),
    "rfc2544.duration": (float, 0.0),
    "latency.loads": (list, ["100", "10000", "50%", "90%"]),
    "latency.frame_size": (int, 64),
    "latency.duration": (float, 0.0),
    "cpu.loads": (list, ["10%", "25%", "50%", "75%", "100%"]),
    "cpu.frame_size": (int, 64),
    "cpu.placement": (str, "auto"),
    "cpu.duration": (float, 0.0),
}
METHODS = ("maxrate", "rfc2544", "latency", "cpu")


def _convert(key, typ, text, where):
    try:
        if typ is list:
            return [x.strip() for x in text.split(",") if x.strip()]
        return typ(text)
    except ValueError:
        raise HarnessError(f"{where}: {key} = {text!r}: expected {typ.__name__}")


def parse(text, name):
    """Suite text -> {key: value} with every key of KEYS (defaults filled)."""
    cfg = {k: d for k, (t, d) in KEYS.items()}
    for n, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if "=" not in line:
            raise HarnessError(f"{name}:{n}: expected 'key = value'")
        k, v = (x.strip() for x in line.split("=", 1))
        if k not in KEYS:
            raise HarnessError(f"{name}:{n}: unknown key '{k}'")
        cfg[k] = _convert(k, KEYS[k][0], v, f"{name}:{n}")
    validate(cfg, name)
    cfg["name"] = name
    return cfg


def set_override(cfg, assignment):
    """Apply one --set key=value."""
    if "=" not in assignment:
        raise HarnessError(f"--set {assignment}: expected key=value")
    k, v = (x.strip() for x in assignment.split("=", 1))
    if k not in KEYS:
        raise HarnessError(f"--set: unknown key '{k}'")
    cfg[k] = _convert(k, KEYS[k][0], v, "--set")
    validate(cfg, "--set")


def validate(cfg, name):
    for m in cfg["methods"]:
        if m not in METHODS:
            raise HarnessError(f"{name}: unknown method '{m}' ({', '.join(METHODS)})")
    for s in cfg["frame_sizes"]:
        if not s.isdigit() or not 64 <= int(s) <= 1518:
            raise HarnessError(f"{name}: frame size {s} not in 64..1518 (bytes incl. FCS)")
    if cfg["duration"] <= 0 or cfg["trials"] < 1:
        raise HarnessError(f"{name}: duration must be > 0 and trials >= 1")
    if not 0 <= cfg["loss_tolerance"] < 1:
        raise HarnessError(f"{name}: loss_tolerance is a fraction in [0, 1)")
    if cfg["rate_sink"] not in ("count", "full"):
        raise HarnessError(f"{name}: rate_sink must be count or full, got {cfg['rate_sink']!r}")
    if cfg["gen_engine"] not in ("xdp", "afpacket"):
        raise HarnessError(f"{name}: gen_engine must be xdp or afpacket")


def load(spec):
    """A suite by name (harness/suites/NAME) or by file path."""
    path = spec if os.sep in spec or os.path.exists(spec) else os.path.join(SUITE_DIR, spec)
    try:
        with open(path) as f:
            text = f.read()
    except OSError as e:
        names = sorted(os.listdir(SUITE_DIR)) if os.path.isdir(SUITE_DIR) else []
        raise HarnessError(f"suite {spec}: {e.strerror} (known: "
                           f"{', '.join(n for n in names if n != 'README.md')})")
    cfg = parse(text, os.path.basename(path))
    cfg["file"] = os.path.abspath(path)
    return cfg
