#!/usr/bin/env python3
"""Figures of one mixed_load run from its journal (issue 13, points 1 and 5): answers by status,
latencies against the bridge's deadlines, and — given the times a fault began and the directory
answered again — what clients and /readyz saw in between and how soon the first success came.

    summarize_run.py --journal J [--event NAME=EPOCH ...]
                     [--fault NAME --restart NAME --back NAME]
                     [--request-timeout S]

Prints one JSON object."""

import argparse
import json
import sys
from collections import Counter


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def requests_summary(entries, request_timeout):
    latencies = [e["answered"] - e["sent"] for e in entries]
    statuses = Counter(str(e["status"]) if e["status"] else "no_answer" for e in entries)
    return {
        "requests": len(entries),
        "statuses": dict(sorted(statuses.items())),
        "status_500": statuses.get("500", 0),
        "server_errors": sum(1 for e in entries if e["status"] >= 500),
        "status_503_without_retry_after": sum(
            1 for e in entries if e["status"] == 503 and not e.get("retry_after")),
        "no_answer": sum(1 for e in entries if e["status"] == 0),
        "connection_errors": sum(1 for e in entries if e.get("connection_error")),
        "client_timeouts": sum(1 for e in entries if e.get("timed_out")),
        "latency_s": {"p50": percentile(latencies, 50), "p99": percentile(latencies, 99),
                      "max": max(latencies, default=None)},
        "over_request_timeout": sum(1 for x in latencies if x > request_timeout),
        "retries": sum(1 for e in entries if e.get("attempt", 1) > 1),
    }


def fault_window(entries, probes, fault, restart, back):
    """fault: slapd killed or frozen; restart: started again or resumed; back: it answered."""
    down = [e for e in entries if fault <= e["answered"] <= restart]
    after = [e for e in entries if e["answered"] > restart]

    def first_after(t, pred, items):
        found = min((e["answered"] for e in items if e["answered"] > t and pred(e)),
                    default=None)
        return None if found is None else round(found - t, 3)

    def ok(e):
        return 200 <= e["status"] < 300

    sent_after_back = [e for e in entries if e["sent"] >= back]
    last_failure = max((e["answered"] for e in after
                        if e["status"] == 0 or e["status"] >= 500), default=None)
    return {
        "down_s": round(restart - fault, 3),
        "answers_while_down": dict(sorted(Counter(
            str(e["status"]) if e["status"] else "no_answer" for e in down).items())),
        "while_down_not_503_with_retry_after": sum(
            1 for e in down if e["status"] >= 500 and not (
                e["status"] == 503 and e.get("retry_after"))),
        "slapd_answers_after_restart_s": round(back - restart, 3),
        "first_success_after_restart_s": first_after(restart, ok, entries),
        "first_success_after_back_s": first_after(back, ok, entries),
        # Requests sent once slapd answered again: how soon the bridge serves them, how many
        # still fail (the answers above also count requests that waited out a client's backoff).
        "first_success_sent_after_back_s": first_after(back, ok, sent_after_back),
        "failures_sent_after_back": sum(1 for e in sent_after_back
                                        if e["status"] == 0 or e["status"] >= 500),
        "last_failure_after_restart_s": None if last_failure is None else round(
            last_failure - restart, 3),
        "readyz_not_ready_after_fault_s": first_after(fault, lambda p: p["status"] != 200,
                                                      probes),
        "readyz_while_down": dict(sorted(Counter(
            str(p["status"]) for p in probes if fault <= p["answered"] <= restart).items())),
        "readyz_ready_after_restart_s": first_after(restart, lambda p: p["status"] == 200,
                                                    probes),
    }


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--journal", required=True)
    p.add_argument("--event", action="append", default=[], help="NAME=EPOCH_SECONDS")
    p.add_argument("--fault", help="the event at which the fault began")
    p.add_argument("--restart", help="the event at which slapd was started again or resumed")
    p.add_argument("--back", help="the event at which the directory answered again")
    p.add_argument("--request-timeout", type=float, default=30.0)
    args = p.parse_args(argv)
    with open(args.journal) as f:
        lines = [json.loads(line) for line in f if line.strip()]
    entries = [e for e in lines if e.get("kind") != "probe"]
    probes = [e for e in lines if e.get("kind") == "probe"]
    events = {k: float(v) for k, v in (e.split("=", 1) for e in args.event)}
    out = requests_summary(entries, args.request_timeout)
    if entries:
        out["run_s"] = round(max(e["answered"] for e in entries) -
                             min(e["sent"] for e in entries), 3)
    out["events"] = {k: round(v - min(e["sent"] for e in lines), 3) for k, v in events.items()}
    if args.fault and args.restart and args.back:
        out["fault"] = fault_window(entries, probes, events[args.fault], events[args.restart],
                                    events[args.back])
    out["readyz"] = dict(sorted(Counter(str(p["status"]) for p in probes).items()))
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
