#!/usr/bin/env python3
"""Markdown tables for BENCHMARKS.md from `kvsim bench --json` output (read on stdin; the JSON object is the last line)."""
import json
import sys

bench = json.loads(sys.stdin.read().strip().splitlines()[-1])


def num(v, fmt="{:.0f}"):
    return "-" if v is None else fmt.format(v)


t = bench["throughput"]
m = bench["machine"]
print(f"Machine: {m['cpu']}, {m['cores']} cores, {m['os']}/{m['arch']}, 1-minute load average {m['load_average_1m']} at the start.\n")
print("| figure | value |\n| --- | ---: |")
print(f"| executions | {t['executions']:,} |")
print(f"| steps per execution | {t['steps'] / t['executions']:.1f} |")
print(f"| wall seconds | {t['seconds']:.2f} |")
print(f"| executions/s (wall) | {t['executions_per_second']:,.0f} |")
print(f"| steps/s (wall) | {t['steps_per_second']:,.0f} |")
print(f"| CPU seconds | {num(t['cpu_seconds'], '{:.2f}')} |")
print(f"| executions per CPU-second | {num(t['executions_per_cpu_second'], '{:,.0f}')} |")
print(f"| steps per CPU-second | {num(t['steps_per_cpu_second'], '{:,.0f}')} |")
if t.get("allocations_per_execution") is not None:
    print(f"| allocations per execution | {t['allocations_per_execution']:.1f} |")
    print(f"| allocations per step | {t['allocations_per_step']:.2f} |")
st = bench.get("seed_test_throughput")
if st:
    print(f"| seed-test workload: executions/s (wall) | {st['executions_per_second']:,.0f} |")
    print(f"| seed-test workload: executions per CPU-second | {num(st['executions_per_cpu_second'], '{:,.0f}')} |")
    if st.get("allocations_per_execution") is not None:
        print(f"| seed-test workload: allocations per execution | {st['allocations_per_execution']:.1f} |")
        print(f"| seed-test workload: allocations per step | {st['allocations_per_step']:.2f} |")
print("\n| after executions | VmHWM (KiB) | VmRSS (KiB) |\n| ---: | ---: | ---: |")
for c in t["memory"]:
    print(f"| {c['executions']:,} | {c['vm_hwm_kib']} | {c['vm_rss_kib']} |")
print("\n| variant | mode | property | random median | random p90 | PCT median | PCT p90 | random median ms | random p90 ms | PCT median ms | PCT p90 ms |")
print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for r in bench["time_to_failure"]:
    a, b = r["random"], r["pct"]
    cells = [num(a["median_executions"]), num(a["p90_executions"]), num(b["median_executions"]), num(b["p90_executions"]),
             num(a["median_ms"], "{:.2f}"), num(a["p90_ms"], "{:.2f}"), num(b["median_ms"], "{:.2f}"), num(b["p90_ms"], "{:.2f}")]
    print(f"| {r['variant']} | {r['mode']} | {r['property']} | " + " | ".join(cells) + " |")
sw = bench.get("swarm")
if sw:
    print("\n| variant | mode | property | weights: median | weights: p90 | swarm: median | swarm: p90 | swarm / weights (median) |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for r in sw:
        a, b = r["weights"], r["swarm"]
        ratio = "-" if not a["median_executions"] or b["median_executions"] is None else f"{b['median_executions'] / a['median_executions']:.1f}"
        cells = [num(a["median_executions"]), num(a["p90_executions"]), num(b["median_executions"]), num(b["p90_executions"]), ratio]
        print(f"| {r['variant']} | {r['mode']} | {r['property']} | " + " | ".join(cells) + " |")
subjects = bench.get("subjects")
if subjects:
    print("\n| subject | executions per CPU-second | steps per execution | runs breaking a property |")
    print("| --- | ---: | ---: | ---: |")
    for r in subjects:
        print(f"| {r['subject']} | {num(r['executions_per_cpu_second'], '{:,.0f}')} | {r['steps'] / r['executions']:.1f} | {r['runs_breaking_a_property']:,} of {r['executions']:,} |")
print("\n| workload | variant | mode | DFS executions | DPOR executions | DPOR sleep-blocked | DFS / DPOR | DPOR, outcomes only | DPOR, every property (call order) | outcomes DFS / DPOR | loom |")
print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
for r in bench["exhaustive"]:
    d, p = r["dfs"], r["dpor"]
    dfs = f"{d['executions']:,}" if d["exhausted"] else f"> {d['executions']:,}"
    ratio = d["executions"] / p["executions"]
    ratio = f"{ratio:,.0f}" if d["exhausted"] else f"> {ratio:,.0f}"
    l = r["loom"]
    loom = "-" if l is None else f"{l['executions']:,} ({l['violations']:,} violating)"
    fast = r.get("dpor_outcomes_only", {}).get("executions")
    fast = "-" if fast is None else f"{fast:,}"
    o = r.get("dpor_call_order")
    ordered = "-" if o is None else (f"{o['executions']:,}" if o["exhausted"] else f"> {o['executions']:,}")
    print(f"| {r['workload']} | {r['variant']} | {r['mode']} | {dfs} | {p['executions']:,} | {p['sleep_blocked']:,} | {ratio} | {fast} | {ordered} | {d['outcomes']} / {p['outcomes']} | {loom} |")

def run_cell(x):
    """executions (wall seconds), '> N' when the budget ran out."""
    if x is None:
        return "-"
    n = f"{x['executions']:,}" if x["exhausted"] else f"> {x['executions']:,}"
    return f"{n} ({x['seconds']:.2f} s)" if "seconds" in x else n

if any("dfs_cached" in r for r in bench["exhaustive"]):
    print("\n| workload | variant | mode | DFS | source-DPOR | optimal DPOR | cached DFS | cached: states met / pruned |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for r in bench["exhaustive"]:
        c = r.get("dfs_cached")
        states = "-" if c is None else f"{c['visited']:,} / {c['pruned']:,}"
        print(f"| {r['workload']} | {r['variant']} | {r['mode']} | {run_cell(r['dfs'])} | {run_cell(r['dpor'])} | {run_cell(r.get('odpor'))} | {run_cell(c)} | {states} |")
seq = bench.get("sequential_client")
if seq:
    print("\n| operations | variant | mode | cached DFS | cached: states met / pruned | DPOR |")
    print("| ---: | --- | --- | ---: | ---: | ---: |")
    for r in seq:
        c = r["dfs_cached"]
        print(f"| {r['ops']} | {r['variant']} | {r['mode']} | {run_cell(c)} | {c['visited']:,} / {c['pruned']:,} | {run_cell(r['dpor'])} |")
