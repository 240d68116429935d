#!/usr/bin/env python3
"""Turns one run.sh results dir into the printed table (targets PASS/FAIL) and one JSON file.

usage: summarize.py RESULTS_DIR OUT_JSON
RESULTS_DIR holds meta.json and one load-generator report per run: raw-cC.json, lookup-cC.json,
byid-cC.json, page_first-cC.json, page_deep-cC.json, and the explaining runs raw_same-cC.json
(the raw client sending the bridge's own search) and healthz-cC.json (the bridge's HTTP floor).
"""
import json
import os
import sys

SKIPPED = "skipped (bridge endpoint not available)"
# Bridge-to-raw throughput floor for the userName-eq lookup, by concurrency.
LOOKUP_THROUGHPUT_FLOOR = {8: 0.70, 32: 0.80, 64: 0.80}
P99_CEILING = 2.0
LOOKUPS_PER_BRIDGE_CPU_S = 30000
DEEP_PAGE_CEILING = 3.0
IDLE_RSS_CEILING_KB = 30 * 1024


def load(results, name):
    path = os.path.join(results, name + ".json")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def cpu(report, process):
    watched = report.get("watched", {}).get(process, {})
    return watched.get("cpu_s")


def skip_reason(meta, part):
    reason = meta["skipped"].get(part) or ""
    return f"{SKIPPED}: {reason}" if reason else SKIPPED


def target(name, value, limit, ok, unit=""):
    return {"target": name, "value": value, "limit": limit, "unit": unit,
            "status": "PASS" if ok else "FAIL"}


def skipped_target(name, limit, reason):
    return {"target": name, "value": None, "limit": limit, "status": reason}


def main():
    results, out_file = sys.argv[1], sys.argv[2]
    meta = load(results, "meta")
    levels = meta["concurrency"]
    runs = {kind: {c: load(results, f"{kind}-c{c}") for c in levels}
            for kind in ("raw", "lookup", "byid", "raw_same", "healthz")}
    page_c = meta["page_concurrency"]
    pages = {"first": load(results, f"page_first-c{page_c}"),
             "deep": load(results, f"page_deep-c{page_c}")}

    ratios = {}
    targets = []
    for kind in ("lookup", "byid"):
        ratios[kind] = {}
        for c in levels:
            raw, bridge = runs["raw"][c], runs[kind][c]
            if raw and bridge and raw["ops_per_s"] > 0 and raw["p99_ms"] > 0:
                ratios[kind][c] = {"throughput": bridge["ops_per_s"] / raw["ops_per_s"],
                                   "p99": bridge["p99_ms"] / raw["p99_ms"]}
    for c in levels:
        floor = LOOKUP_THROUGHPUT_FLOOR.get(c, 0.80)
        ratio = ratios["lookup"].get(c)
        name = f"lookup throughput / raw @{c}"
        p99_name = f"lookup p99 / raw p99 @{c}"
        cpu_name = f"lookups per bridge CPU-s @{c}"
        if ratio is None:
            reason = skip_reason(meta, "lookup")
            targets += [skipped_target(name, f">= {floor}", reason),
                        skipped_target(p99_name, f"<= {P99_CEILING}", reason),
                        skipped_target(cpu_name, f">= {LOOKUPS_PER_BRIDGE_CPU_S}", reason)]
            continue
        targets.append(target(name, round(ratio["throughput"], 3), f">= {floor}",
                              ratio["throughput"] >= floor))
        targets.append(target(p99_name, round(ratio["p99"], 3), f"<= {P99_CEILING}",
                              ratio["p99"] <= P99_CEILING))
        per_cpu = runs["lookup"][c]["watched"].get("bridge", {}).get("ops_per_cpu_s", 0)
        targets.append(target(cpu_name, round(per_cpu), f">= {LOOKUPS_PER_BRIDGE_CPU_S}",
                              per_cpu >= LOOKUPS_PER_BRIDGE_CPU_S))
    deep_name = "deep page p50 / first page p50"
    if pages["first"] and pages["deep"] and pages["first"]["p50_ms"] > 0:
        deep = pages["deep"]["p50_ms"] / pages["first"]["p50_ms"]
        ratios["deep_page"] = deep
        targets.append(target(deep_name, round(deep, 3), f"<= {DEEP_PAGE_CEILING}",
                              deep <= DEEP_PAGE_CEILING))
    else:
        targets.append(skipped_target(deep_name, f"<= {DEEP_PAGE_CEILING}",
                                      skip_reason(meta, "page")))
    idle = meta["bridge_rss_kb"]["idle"]
    if idle:
        targets.append(target("bridge RSS idle", idle, f"<= {IDLE_RSS_CEILING_KB}",
                              idle <= IDLE_RSS_CEILING_KB, "kB"))
    else:
        targets.append(skipped_target("bridge RSS idle", f"<= {IDLE_RSS_CEILING_KB} kB",
                                      skip_reason(meta, "lookup")))

    print_table(meta, runs, pages, ratios, targets)
    document = {"meta": meta,
                "runs": {kind: {str(c): r for c, r in by_c.items() if r}
                         for kind, by_c in runs.items()},
                "pages": {k: v for k, v in pages.items() if v},
                "ratios": {k: ({str(c): r for c, r in v.items()} if isinstance(v, dict) else v)
                           for k, v in ratios.items()},
                "targets": targets}
    with open(out_file, "w", encoding="utf-8") as f:
        json.dump(document, f, indent=2)
        f.write("\n")
    return 1 if any(t["status"] == "FAIL" for t in targets) else 0


def fmt(value, spec):
    return "-" if value is None else format(value, spec)


def micros_per_op(report, process):
    seconds = report["cpu_s"] if process == "gen" else cpu(report, process)
    return None if seconds is None or report["ops"] == 0 else seconds * 1e6 / report["ops"]


def print_cpu_budget(meta, runs):
    """On a machine the three processes saturate, throughput is the CPUs divided by the CPU all
    of them spend per operation; this is where each run's goes (docs/performance.md)."""
    print("\nCPU per operation, microseconds (gen + slapd + bridge = total):")
    for c in meta["concurrency"]:
        parts = []
        for kind in ("raw", "raw_same", "lookup", "healthz"):
            r = runs[kind][c]
            if r is None or r["ops"] == 0:
                continue
            each = [micros_per_op(r, p) for p in ("gen", "slapd", "bridge")]
            shown = " + ".join("-" if x is None else f"{x:.0f}" for x in each)
            parts.append(f"{kind} {shown} = {sum(x or 0 for x in each):.0f}")
        print(f"  @{c}: " + "; ".join(parts))
        same, lookup = runs["raw_same"][c], runs["lookup"][c]
        if same and lookup and same["ops_per_s"] > 0:
            ratio = lookup["ops_per_s"] / same["ops_per_s"]
            print(f"  @{c}: lookup / raw_same throughput {ratio:.3f}")


def print_table(meta, runs, pages, ratios, targets):
    print(f"\nscim-ldap-bridge benchmark: N={meta['users']} users, {meta['duration_s']:g} s per "
          f"run after {meta['warmup_s']:g} s warm-up, {meta['cpus']} CPUs, "
          f"load average {meta['loadavg_start']} -> {meta['loadavg_end']}, "
          f"slapadd {meta['slapadd_seconds']:.1f} s, commit {meta['commit']}")
    if meta["loadavg_start"] and float(meta["loadavg_start"].split()[0]) > meta["cpus"]:
        print("WARNING: the machine was busy before the run (load average above the CPU count);"
              " absolute figures are low, compare ratios and per-CPU-second figures")
    header = (f"{'run':<12}{'conc':>5}{'ops/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>7}"
              f"{'CPU s: gen':>12}{'slapd':>7}{'bridge':>8}{'gen share':>10}"
              f"{'ops/slapd-CPU-s':>16}{'ops/bridge-CPU-s':>17}")
    print(header)
    print("-" * len(header))
    rows = [(kind, c, runs[kind][c]) for kind in ("raw", "lookup", "byid", "raw_same", "healthz")
            for c in meta["concurrency"]]
    rows += [(f"page_{k}", meta["page_concurrency"], v) for k, v in pages.items()]
    reasons = set()
    for kind, c, r in rows:
        if r is None:
            part = "page" if kind.startswith("page") else kind
            reasons.add(meta["skipped"].get(part) or "")
            print(f"{kind:<12}{c:>5}  {SKIPPED}")
            continue
        slapd = r["watched"].get("slapd", {})
        bridge = r["watched"].get("bridge", {})
        total = r["cpu_s"] + (cpu(r, "slapd") or 0) + (cpu(r, "bridge") or 0)
        share = r["cpu_s"] / total if total > 0 else None
        print(f"{kind:<12}{c:>5}{r['ops_per_s']:>10.0f}{r['p50_ms']:>9.3f}{r['p99_ms']:>9.3f}"
              f"{r['errors']:>7}{r['cpu_s']:>12.2f}{fmt(cpu(r, 'slapd'), '.2f'):>7}"
              f"{fmt(cpu(r, 'bridge'), '.2f'):>8}{fmt(share, '.0%'):>10}"
              f"{fmt(slapd.get('ops_per_cpu_s'), '.0f'):>16}"
              f"{fmt(bridge.get('ops_per_cpu_s'), '.0f'):>17}")
    for reason in sorted(filter(None, reasons)):
        print(f"  skipped because: {reason}")
    for kind in ("lookup", "byid"):
        for c, ratio in ratios.get(kind, {}).items():
            print(f"ratio {kind} / raw @{c}: throughput {ratio['throughput']:.3f}, "
                  f"p99 {ratio['p99']:.3f}")
    print_cpu_budget(meta, runs)
    rss = meta["bridge_rss_kb"]
    if rss["idle"]:
        under = [r["watched"]["bridge"].get("rss_kb") for kind in ("lookup", "byid")
                 for r in runs[kind].values() if r]
        print(f"bridge RSS: idle {rss['idle']} kB (peak {rss['idle_hwm']} kB), under load max "
              f"{max(filter(None, under), default=0)} kB, after load {rss['after_load']} kB")
    print("\ntargets:")
    for t in targets:
        value = "" if t["value"] is None else f"{t['value']} "
        status = SKIPPED if t["status"].startswith(SKIPPED) else t["status"]
        print(f"  {t['target']:<36} {value:<10} ({t['limit']}): {status}")


if __name__ == "__main__":
    sys.exit(main())
