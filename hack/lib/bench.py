"""Helpers of hack/bench: requests built from the sandbox's own description, the fleet manifest,
the flows of a podpath JSON trace, and the report (docs/benchmarks.md) from the raw CSV files.

  bench.py context SANDBOX_JSON NODE              RunChecksRequest (proto3 JSON) as the aggregator sends it
  bench.py probe SANDBOX_JSON SRC_NODE DST_NODE   ProbeRequest: DF ping, pod MTU - 28 bytes (the mtu-probe check)
  bench.py flows TRACE_JSON SANDBOX_JSON          node, ctl socket, bridge, flow of every ofproto/trace podpath ran
  bench.py fleet DIR N                            fleet state files for hack/lib/manifest.py (N simulated nodes)
  bench.py chart-opts VALUES_YAML agent|aggregator   javaToolOptions of the chart
  bench.py prom-config DIR N SIM_ADDR INTERVAL_S  prometheus.yml + targets.json: one target per simulated agent
  bench.py prom-stats PROM_ADDR                   what a Prometheus says of itself and its targets (CSV fields)
  bench.py report RAW_DIR OUT_MD                  the report
"""

import csv
import glob
import json
import os
import re
import statistics
import sys


def load(p):
    with open(p) as f:
        return json.load(f)


def cmd_context(sandbox, node):
    sb = load(sandbox)
    ctx = {
        "peers": [{"name": n["name"], "encapIp": n["ip"]} for n in sb["nodes"] if n["name"] != node],
        # The sandbox's one Service, as hack/README.md documents it.
        "services": [{
            "service": {"namespace": "default", "name": "web"},
            "clusterIps": [sb["serviceIp"]],
            "ports": [{"protocol": "PROTOCOL_TCP", "port": 80}, {"protocol": "PROTOCOL_UDP", "port": 53}],
        }],
        "localPods": [{"pod": {"namespace": p["namespace"], "name": p["name"]}, "ips": [p["ip"]]}
                      for p in sb["pods"] if p["node"] == node],
    }
    print(json.dumps({"context": ctx}, indent=1))


def first_pod(sb, node):
    return next(p for p in sb["pods"] if p["node"] == node)


def cmd_probe(sandbox, src_node, dst_node):
    sb = load(sandbox)
    src, dst = first_pod(sb, src_node), first_pod(sb, dst_node)
    print(json.dumps({
        "source": {"namespace": src["namespace"], "name": src["name"]},
        "destinationIp": dst["ip"], "protocol": "PROTOCOL_ICMP",
        "size": sb["podMtu"] - 28, "dontFragment": True, "timeoutMillis": 1500}, indent=1))


def cmd_flows(trace, sandbox):
    t, sb = load(trace), load(sandbox)
    rundir = {n["name"]: n["ovsRundir"] for n in sb["nodes"]}
    for direction in ("forward", "reply"):
        for n in t["endpoints"][0][direction]["nodes"]:
            with open(os.path.join(rundir[n["node"]], "ovs-vswitchd.pid")) as f:
                pid = f.read().strip()
            ctl = os.path.join(rundir[n["node"]], f"ovs-vswitchd.{pid}.ctl")
            print("\t".join([direction, n["node"], ctl, n["bridge"], n["flow"]]))


def cmd_fleet(d, n):
    n = int(n)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "state"), "w") as f:
        f.write("PREFIX=fleet\nINDEX=8\nMODE=ovn\nPOD_MTU=1400\nUNDERLAY_MTU=1500\n")
    with open(os.path.join(d, "nodes.tsv"), "w") as nf, open(os.path.join(d, "pods.tsv"), "w") as pf:
        for i in range(1, n + 1):
            ip = f"100.{64 + (i >> 16)}.{(i >> 8) & 0xff}.{i & 0xff}"  # = io.podpath.bench.Fleet.encapIp
            sub = f"10.{100 + (i >> 8)}.{i & 0xff}"
            nf.write(f"node{i}\t{ip}\tfleet-node{i}\t/nonexistent/node{i}\t{sub}.0/24\n")
            for j, role in ((1, "web"), (2, "client")):
                pip = f"{sub}.{2 + j}"
                mac = "0a:58:" + ":".join(f"{int(o):02x}" for o in pip.split("."))
                pf.write(f"default\t{role}-{i}\tnode{i}\t{pip}\t{mac}\tfleet-{role}-{i}\t-\n")
    open(os.path.join(d, "policies.tsv"), "w").close()


def cmd_chart_opts(values, component):
    text = open(values).read()
    block = text.split(f"\n{component}:\n", 1)[1]
    m = re.search(r"\n  javaToolOptions: >-\n((?:    .*\n)+)", block)
    print(" ".join(m.group(1).split()))


def cmd_prom_config(d, n, sim, interval):
    """One scrape target per simulated agent: its own instance label and __metrics_path__."""
    os.makedirs(d, exist_ok=True)
    targets = [{"targets": [sim], "labels": {"__metrics_path__": f"/nodes/{i}/metrics", "instance": f"node{i}:9444"}}
               for i in range(1, int(n) + 1)]
    with open(os.path.join(d, "targets.json"), "w") as f:
        json.dump(targets, f)
    with open(os.path.join(d, "prometheus.yml"), "w") as f:
        f.write(f"""global:
  scrape_interval: {interval}s
  scrape_timeout: {min(int(interval), 10)}s
scrape_configs:
  - job_name: podpath-agent
    file_sd_configs:
      - files: ['{os.path.join(d, "targets.json")}']
""")


def prom_get(addr, path):
    import urllib.request
    with urllib.request.urlopen(f"http://{addr}{path}", timeout=30) as r:
        return r.read().decode()


def prom_query(addr, q):
    import urllib.parse
    res = json.loads(prom_get(addr, "/api/v1/query?query=" + urllib.parse.quote(q)))["data"]["result"]
    return float(res[0]["value"][1]) if res else 0.0


def cmd_prom_stats(addr):
    """targets_up,head_series,samples_per_round,body_bytes_per_round,avg_scrape_ms,prom_rss_kib"""
    own = {}
    for line in prom_get(addr, "/metrics").splitlines():
        if line and not line.startswith("#"):
            k, _, v = line.rpartition(" ")
            own[k] = float(v)
    print(",".join(str(x) for x in (
        int(prom_query(addr, "count(up == 1)")),
        int(own["prometheus_tsdb_head_series"]),
        int(prom_query(addr, "sum(scrape_samples_scraped)")),
        int(prom_query(addr, "sum(scrape_body_size_bytes)")),
        f"{prom_query(addr, 'avg(scrape_duration_seconds)') * 1000:.2f}",
        int(own["process_resident_memory_bytes"] / 1024))))


# --- report ------------------------------------------------------------------------------------

def rows(raw, name):
    p = os.path.join(raw, name)
    if not os.path.exists(p):
        return []
    with open(p) as f:
        return list(csv.DictReader(f))


def ordered(xs):
    """Distinct values in first-seen order."""
    return list(dict.fromkeys(xs))


def st(xs):
    xs = [float(x) for x in xs]
    if not xs:
        return None
    return {"median": statistics.median(xs), "min": min(xs), "max": max(xs), "n": len(xs)}


def fmt(s, unit="", digits=1):
    if s is None:
        return "not measured"
    f = f"{{:.{digits}f}}"
    return (f"{f.format(s['median'])}{unit} (min {f.format(s['min'])}, max {f.format(s['max'])}, "
            f"n={s['n']})")


def note_values(raw):
    """Figures the hand-written notes (docs/benchmarks/notes.json) quote, from this run's raw data."""
    v = {}
    med = lambda xs: statistics.median(xs) if xs else float("nan")
    b5 = rows(raw, "b5.csv")
    wall = lambda rpc: med([float(r["wall_ms"]) for r in b5 if r["rpc"] == rpc])
    if b5:
        rc, pr = 5000 * wall("RunChecks") / 1000 / 4, 2 * 5000 * wall("Probe") / 1000
        v.update(rc_5000=f"~{rc:.0f}", probe_5000=f"~{pr:.0f}", total_min=f"{(rc + pr) / 60:.0f}",
                 factor=f"{(rc + pr) / 10:.0f}", conc=f"{5000 * wall('RunChecks') / 1000 / 10:.0f}")
    b4 = {r["agent"]: r for r in rows(raw, "b4-summary.csv")}
    if "sandbox (chart flags)" in b4 and "candidate" in b4:
        base, cand = b4["sandbox (chart flags)"], b4["candidate"]
        idle = float(base["rss_idle_kib"]) / 1024
        d = (float(cand["cpu_ms_per_trace"]) / float(base["cpu_ms_per_trace"]) - 1) * 100
        pcts = [float(r["cpu_pct"]) for r in b4.values()]
        v.update(miss=f"{idle - 64:.0f}", miss_pct=f"{(idle / 64 - 1) * 100:.0f}", idle=f"{idle:.0f}",
                 after=f"{float(base['rss_after_kib']) / 1024:.0f}",
                 saved=f"{(float(base['rss_idle_kib']) - float(cand['rss_idle_kib'])) / 1024:.1f}",
                 cpu_delta=(f"{d:.0f} % more" if d >= 0 else f"{-d:.0f} % less"),
                 cpu_verdict="met" if max(pcts) <= 0.5 else "missed",
                 cpu_list=", ".join(f"{r['agent']} {float(r['cpu_pct']):.2f} %" for r in b4.values()))
    b1 = rows(raw, "b1.csv")
    if b1:
        ratios, bares = [], []
        for c in dict.fromkeys(r.get("config", "") for r in b1):
            m = lambda k: med([float(r["ms"]) for r in b1 if r.get("config", "") == c and r["method"] == k])
            ratios.append(m("podpath") / m("bare"))
            bares.append(m("bare"))
        v.update(b1_verdict="met" if max(ratios) <= 1 else "missed",
                 b1_ratios="–".join(f"{x:.1f}" for x in sorted(ratios)), per_cmd=f"{med(bares) / 4:.0f}")
    v.update(b7_values(raw))
    return v


def b7_values(raw):
    """B7's figures for the notes: per node (the real agent's scrape) and the measured Prometheus."""
    v = {}
    ex = rows(raw, "b7-exposition.csv")
    if ex:
        real = ex[0]
        v.update(b7_series=real["series"], b7_kib=f"{int(real['bytes']) / 1024:.1f}",
                 b7_check_series=real["check_series"],
                 b7_series_5000=f"{int(real['series']) * 5000 / 1e6:.2f}",
                 b7_series_15000=f"{int(real['series']) * 15000 / 1e6:.2f}",
                 b7_mib_5000=f"{int(real['bytes']) * 5000 / 2**20:.0f}",
                 b7_mib_15000=f"{int(real['bytes']) * 15000 / 2**20:.0f}")
    pr = rows(raw, "b7-prometheus.csv")
    if pr:
        p = pr[0]
        v.update(b7_prom_nodes=f"{int(p['nodes']):,}", b7_prom_head=f"{int(p['head_series']):,}",
                 b7_prom_rss=f"{int(p['prom_rss_kib']) / 2**20:.1f}",
                 b7_prom_kib_series=f"{int(p['prom_rss_kib']) * 1024 / int(p['head_series']) / 1024:.1f}",
                 b7_prom_up_s=p["all_up_after_s"])
    return v


class _Missing(dict):
    def __missing__(self, k):
        return "?"


def cmd_report(raw, out):
    meta = load(os.path.join(raw, "meta.json"))
    values = _Missing(note_values(raw))
    for k in list(meta):
        if k.endswith("notes") and isinstance(meta[k], list):
            meta[k] = [line.format_map(values) for line in meta[k]]
    L = []
    w = L.append

    def head(title, key):  # a benchmark's heading and how it was measured
        w(f"## {title}")
        w("")
        w(meta.get(f"{key}_method", ""))
        w("")

    def notes(key):  # the hand-written analysis (docs/benchmarks/notes.json)
        for line in meta.get(f"{key}_notes", []):
            w(line)
        w("")
    w("# podpath benchmarks")
    w("")
    w(f"Generated by `make bench` (`hack/bench{' --quick' if meta.get('quick') else ''}`) on "
      f"{meta['date']}. Raw results: [`docs/benchmarks/raw/`](benchmarks/raw/). Every figure is "
      "median (min, max, n = run count). Nothing here is tuned to a target: where a target is "
      "missed the miss is stated with what the profile shows.")
    dates = meta.get("dates", {})
    if len(set(dates.values())) > 1:
        w("")
        w("Assembled from partial runs (`hack/bench --only …`); each benchmark last ran: " +
          "; ".join(f"{b} {d}" for b, d in sorted(dates.items())) + ".")
    if meta.get("quick") or any("--quick" in d for d in dates.values()):
        w("")
        w("**This includes a `--quick` run (few repetitions): a dry run of the harness, not the reference figures.**")
    w("")
    w("## Machine")
    w("")
    w("| | |")
    w("|---|---|")
    for k, label in (("cpu", "CPU"), ("nproc", "nproc"), ("memory", "memory"), ("kernel", "kernel"),
                     ("java", "JVM (`java -version`)"), ("ovs", "Open vSwitch"), ("load_start", "load average at start"),
                     ("load_end", "load average at end")):
        w(f"| {label} | {meta.get(k, '?')} |")
    w("")
    w("Load average per benchmark (1/5/15 min, at its start): " +
      "; ".join(f"{k} {v}" for k, v in sorted(meta.get("load", {}).items())) + ". The machine is shared "
      "(2 cores); a load above 2 means other work competed with the benchmark for the CPU.")
    w("")
    w(f"Sandbox: `hack/sandbox up` prefix `{meta.get('prefix')}` index {meta.get('index')}, 3 nodes "
      "(real OVS 3.1 userspace datapath + OVN 23.03 in network namespaces), agents and aggregator "
      "started by the sandbox with the lean JVM flags of `hack/lib/sb-apps.sh`.")
    w("")

    # B1
    b1 = rows(raw, "b1.csv")
    head("B1 — trace latency: podpath vs the bare OVS commands", "b1")
    cpu = rows(raw, "b1-cpu.csv")
    configs = ordered(r.get("config", "sandbox") for r in b1)
    w("| aggregator | podpath (gRPC, warm client) | bare `ovs-appctl ofproto/trace` × "
      f"{meta.get('b1_commands', '?')} | ratio podpath / bare (medians) | ratio per alternating pair | "
      "CPU per podpath trace |")
    w("|---|---|---|---|---|---|")
    for c in configs:
        rs = [r for r in b1 if r.get("config", "sandbox") == c]
        pod = st([r["ms"] for r in rs if r["method"] == "podpath"])
        bare = st([r["ms"] for r in rs if r["method"] == "bare"])
        if not (pod and bare):
            continue
        ratio = pod["median"] / bare["median"]
        pairs = {}
        for r in rs:
            pairs.setdefault(r["run"], {})[r["method"]] = float(r["ms"])
        pr = st([p["podpath"] / p["bare"] for p in pairs.values() if "podpath" in p and "bare" in p])
        verdict = "met" if ratio <= 1.0 else f"target ≤ 1.0 missed by {(ratio - 1) * 100:.0f}%"
        cp = ", ".join(f"{r['process']} {float(r['cpu_ms_per_trace']):.1f} ms"
                       for r in cpu if r.get("config", "sandbox") == c)
        w(f"| {c} | {fmt(pod, ' ms', 1)} | {fmt(bare, ' ms', 1)} | **{ratio:.2f}** ({verdict}) | "
          f"{fmt(pr, '', 2)} | {cp} |")
    w("")
    if meta.get("b1_flows"):
        w("The commands (flows taken from the `flow` fields of `podpath trace -o json`):")
        w("")
        w("```")
        for line in meta["b1_flows"]:
            w(line)
        w("```")
        w("")

    notes("b1")

    # B2
    b2 = rows(raw, "b2.csv")
    head("B2 — one-shot CLI: `bin/podpath trace …`, JVM start included", "b2")
    w("| variant | JVM options | wall time | CPU (user + system, mean) |")
    w("|---|---|---|---|")
    variants = ordered(r["variant"] for r in b2)
    opts = meta.get("b2_variants", {})
    cpu = {r["variant"]: (float(r["user_s"]) + float(r["system_s"])) * 1000 for r in rows(raw, "b2-cpu.csv")}
    for v in variants:
        s = st([float(r["seconds"]) * 1000 for r in b2 if r["variant"] == v])
        c = f"{cpu[v]:.0f} ms" if v in cpu else "?"
        w(f"| {v} | {('`' + opts[v] + '`') if opts.get(v) else '(none)'} | {fmt(s, ' ms', 0)} | {c} |")
    shipped = st([float(r["seconds"]) for r in b2 if r["variant"] == "bin/podpath (shipped)"])
    if shipped:
        w("")
        med = shipped["median"]
        over = "" if med <= 0.5 else f", {(med - 0.5) * 1000:.0f} ms over"
        w(f"Target ≤ 0.5 s: **{'met' if med <= 0.5 else 'missed'}** (shipped launcher median {med:.2f} s{over}; "
          f"load average {meta.get('load', {}).get('B2', '?')} at the start of B2).")
    w("")
    notes("b2")

    # B3
    b3 = rows(raw, "b3.csv")
    head("B3 — sweep scaling against the fleet simulator", "b3")
    w("| config | N | sweep | sweeps complete | sweep wall time | per node | until last node answered | cluster checks after | aggregator RSS peak | aggregator RSS idle |")
    w("|---|---|---|---|---|---|---|---|---|---|")
    # The first sweep of an aggregator opens every agent connection (TLS handshakes); later ones reuse them.
    kind = lambda r: "first after start-up" if int(r["sweep"]) == 1 else "later (warm)"
    keys = ordered((r["config"], int(r["nodes"]), kind(r)) for r in b3)
    for cfg, n, sk in keys:
        rs = [r for r in b3 if r["config"] == cfg and int(r["nodes"]) == n and kind(r) == sk]
        comp = [r for r in rs if r["complete"] == "true"]
        wall = st([float(r["wall_ms"]) / 1000 for r in comp])
        nodes_phase = st([float(r["nodes_phase_ms"]) / 1000 for r in comp])
        cl = st([float(r["cluster_phase_ms"]) / 1000 for r in comp])
        peak = st([float(r["rss_peak_kib"]) / 1024 for r in rs])
        idle = st([float(r["rss_idle_kib"]) / 1024 for r in rs])
        inc = [r for r in rs if r["complete"] != "true"]
        extra = ""
        if inc:
            r = inc[0]
            extra = (f"; {len(inc)} incomplete: {r['nodes_done']} of {n} nodes reported when cut off "
                     f"after {float(r['wall_ms']) / 1000:.0f} s ({r['error'] or 'no final result'})")
        per = f"{wall['median'] * 1000 / n:.1f} ms" if wall else "—"
        w(f"| {cfg} | {n} | {sk} | {len(comp)}/{len(rs)}{extra} | {fmt(wall, ' s', 2)} | {per} | {fmt(nodes_phase, ' s', 2)} | "
          f"{fmt(cl, ' s', 2)} | {fmt(peak, ' MiB', 0)} | {fmt(idle, ' MiB', 0)} |")
    w("")
    notes("b3")

    # B4
    b4 = rows(raw, "b4-summary.csv")
    head("B4 — agent footprint", "b4")
    w("| agent | JVM options | RSS idle (samples over the window) | CPU idle (% of one core) | RSS after traces | agent CPU per TraceNode |")
    w("|---|---|---|---|---|---|")
    idle_rows = rows(raw, "b4-idle.csv")
    for r in b4:
        s = st([float(x["rss_kib"]) / 1024 for x in idle_rows if x["agent"] == r["agent"]])
        w(f"| {r['agent']} | `{r['options']}` | {fmt(s, ' MiB', 1)} | {float(r['cpu_pct']):.3f}% over "
          f"{float(r['window_s']):.0f} s | {float(r['rss_after_kib']) / 1024:.1f} MiB after {r['traces']} TraceNode calls | "
          f"{r.get('cpu_ms_per_trace') or '?'} ms |")
    w("")
    notes("b4")

    # B5
    b5 = rows(raw, "b5.csv")
    head("B5 — one full `RunChecks` on a sandbox node", "b5")
    w("| RPC | wall time | agent CPU time |")
    w("|---|---|---|")
    for rpc in ("RunChecks", "GetNode", "Probe"):
        rs = [r for r in b5 if r["rpc"] == rpc]
        if rs:
            w(f"| {rpc} | {fmt(st([r['wall_ms'] for r in rs]), ' ms', 1)} | "
              f"{fmt(st([r['cpu_ms'] for r in rs]), ' ms', 0)} |")
    checks = rows(raw, "b5-checks.csv")
    if checks:
        w("")
        w("Per check (the agent's own `duration_micros`):")
        w("")
        w("| check | status (last run) | duration |")
        w("|---|---|---|")
        ids = ordered(r["check"] for r in checks)
        for c in ids:
            rs = [r for r in checks if r["check"] == c]
            w(f"| {c} | {rs[-1]['status']} | {fmt(st([r['duration_ms'] for r in rs]), ' ms', 1)} |")
    w("")
    notes("b5")
    # B6
    b6 = rows(raw, "b6.csv")
    if b6 or meta.get("b6_method"):
        head("B6 — the web page's health grid of a 5,000-node sweep in headless Chromium", "b6")
        if b6:
            s6 = st([float(r["rendered_ms"]) for r in b6])
            w("| nodes | grid drawn after | rows in the DOM | load average (1/5/15 min, at start) |")
            w("|---|---|---|---|")
            w(f"| {b6[0]['nodes']} | {fmt(s6, ' ms', 0)} | {b6[0]['dom_rows']} | {meta.get('load', {}).get('B6', '?')} |")
        else:
            w("No result: see the run's log (B6 needs B3's sweep to complete at 5,000 nodes).")
        w("")
        notes("b6")
    b7(raw, meta, w, notes)
    for line in meta.get("notes", []):
        w(line)
    with open(out, "w") as f:
        f.write("\n".join(L).rstrip() + "\n")


def b7(raw, meta, w, notes):
    ex = rows(raw, "b7-exposition.csv")
    pr = rows(raw, "b7-prometheus.csv")
    if not (ex or pr or meta.get("b7_method")):
        return
    w("## B7 — the Prometheus path: node health of a large cluster without a sweep")
    w("")
    w(meta.get("b7_method", ""))
    w("")
    w(f"Load average (1/5/15 min) at the start of B7: {meta.get('load', {}).get('B7', '?')} on 2 cores "
      "(a busy machine: sizes and series do not depend on it, times and CPU do).")
    w("")
    if ex:
        w("| agent | bytes per scrape | series | metric families | per-check series | JVM series | "
          "5,000 nodes: series, text per scrape round | 15,000 nodes: series, text per scrape round |")
        w("|---|---|---|---|---|---|---|---|")
        for r in ex:
            b, n = int(r["bytes"]), int(r["series"])
            at = lambda k: f"{n * k / 1e6:.2f} M, {b * k / 2**20:.0f} MiB ({b * k / 2**20 / 30:.1f} MiB/s at 30 s)"
            w(f"| {r['agent']} | {b:,} ({b / 1024:.1f} KiB) | {n} | {r['families']} | {r['check_series']} | "
              f"{r['jvm_series']} | {at(5000)} | {at(15000)} |")
        w("")
    if pr:
        w("| simulated agents | scrape interval | all targets up after | head series | samples per round | "
          "body bytes per round | mean scrape duration | Prometheus RSS | Prometheus CPU | simulator RSS |")
        w("|---|---|---|---|---|---|---|---|---|---|")
        for p in pr:
            win = float(p["window_s"])
            w(f"| {int(p['nodes']):,} | {p['scrape_interval_s']} s | {p['all_up_after_s']} s | "
              f"{int(p['head_series']):,} | {int(p['samples_per_round']):,} | "
              f"{int(p['body_bytes_per_round']) / 2**20:.1f} MiB | {float(p['avg_scrape_ms']):.0f} ms | "
              f"{int(p['prom_rss_kib']) / 2**20:.2f} GiB ({int(p['prom_rss_kib']) * 1024 / int(p['head_series']):,.0f} B per head series) | "
              f"{float(p['prom_cpu_s']):.0f} s over {win:.0f} s ({float(p['prom_cpu_s']) / win * 100:.0f} % of a core) | "
              f"{int(p['sim_rss_kib']) / 2**20:.2f} GiB |")
        w("")
    notes("b7")


if __name__ == "__main__":
    cmds = {"context": cmd_context, "probe": cmd_probe, "flows": cmd_flows, "fleet": cmd_fleet,
            "chart-opts": cmd_chart_opts, "prom-config": cmd_prom_config, "prom-stats": cmd_prom_stats,
            "report": cmd_report}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    cmds[sys.argv[1]](*sys.argv[2:])
