"""linux.py - the kernel's own ip_forward, the baseline (no code of its
own): addresses, static neighbours and routes installed from the same
route file the other paths load, with iproute2."""
from plugins.base import Path
from util import is_root, run, sh


def parse_routes(path):
    """routes.conf -> (ports {n: (name, addr/len)}, neigh [(ip, mac, port)],
    routes [(prefix, via)]). The C parser (paths/lib/fwd_routes.c) is the
    authority; this reads the same keywords for iproute2."""
    ports, neigh, routes = {}, [], []
    with open(path) as f:
        for line in f:
            tok = line.split("#", 1)[0].split()
            if not tok:
                continue
            if tok[0] == "port":
                kv = dict(zip(tok[2::2], tok[3::2]))
                ports[int(tok[1])] = (kv["name"], kv["addr"])
            elif tok[0] == "neigh":
                neigh.append((tok[1], tok[3], int(tok[5])))
            elif tok[0] == "route":
                routes.append((tok[1], tok[3]))
    return ports, neigh, routes


class Linux(Path):
    name = "linux"
    description = "kernel ip_forward (routes and static neighbours from routes.conf)"
    order = 10
    default_placement = "inline"
    rps = True

    def available(self, env):
        if not is_root():
            return False, "needs root"
        return True, ""

    def prepare(self, env, plc):
        ns = env.topo.ns["dut"]
        ports, neigh, routes = parse_routes(env.routes)
        cmds = ["sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 "
                "net.ipv4.conf.default.rp_filter=0 net.ipv4.conf.all.send_redirects=0"]
        for n, (ifn, addr) in sorted(ports.items()):
            cmds.append(f"sysctl -qw net.ipv4.conf.{ifn}.rp_filter=0")
            cmds.append(f"ip addr replace {addr} dev {ifn}")
        for ip, mac, port in neigh:
            cmds.append(f"ip neigh replace {ip} lladdr {mac} nud permanent "
                        f"dev {ports[port][0]}")
        for prefix, via in routes:
            cmds.append(f"ip route replace {prefix} via {via}")
        sh(" && ".join(cmds), ns=ns)
        self._routes = routes

    def veth_stats(self, d):
        """Counters over the trial from the veth deltas: packets received
        on port 0, sent on port 1 (the stack's own verdicts are not split
        by reason)."""
        return {"rx": d.get("d0", {}).get("sys_rx_packets", 0),
                "forward": d.get("d1", {}).get("sys_tx_packets", 0)}

    def unprepare(self, env):
        ns = env.topo.ns["dut"]
        for prefix, via in getattr(self, "_routes", []):
            run(["ip", "route", "del", prefix], ns=ns, check=False)
        run(["sysctl", "-qw", "net.ipv4.ip_forward=0"], ns=ns, check=False)


PLUGIN = Linux()
