#!/usr/bin/env python3
"""The HTTP side of tests/bench/memory.sh: concurrent list walks, a 100,000-member group GET and
another tenant's lookups meanwhile, against a running bridge; the bridge's peak RSS per phase
(VmHWM from /proc/PID/status, reset before each phase through /proc/PID/clear_refs).

Prints one line per phase: statuses, latencies (p50/p99/max, ms), the other tenant's lookup
latencies during the phase, and the peak RSS.
"""
import argparse
import http.client
import random
import statistics
import threading
import time


def status_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def reset_peak(pid):
    with open(f"/proc/{pid}/clear_refs", "w") as f:
        f.write("5")  # resets VmHWM to the current RSS


def request(port, token, path):
    """(status, milliseconds, body bytes, Retry-After)"""
    start = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        res = conn.getresponse()
        body = res.read()
        return res.status, (time.monotonic() - start) * 1000, len(body), res.getheader("Retry-After")
    except (OSError, http.client.HTTPException):
        return 0, (time.monotonic() - start) * 1000, 0, None
    finally:
        conn.close()


def pct(values, p):
    if not values:
        return float("nan")
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


def summary(values):
    if not values:
        return "-"
    return f"p50 {pct(values, 50):.0f} p99 {pct(values, 99):.0f} max {max(values):.0f}"


class lookups:
    """Sequential userName lookups in the other tenant while a phase runs."""

    def __init__(self, args):
        self.args, self.ms, self.bad, self.stop = args, [], 0, threading.Event()
        self.thread = threading.Thread(target=self.run)

    def run(self):
        while not self.stop.is_set():
            k = random.randrange(self.args.other_users)
            path = f"/scim/v2/Users?filter=userName%20eq%20%22pupil{k}%22"
            status, ms, _, _ = request(self.args.port, self.args.other_token, path)
            self.ms.append(ms)
            self.bad += status != 200
            time.sleep(0.01)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def burst(args, label, token, path, clients):
    """`clients` requests at once (one each), other-tenant lookups alongside; one output line."""
    time.sleep(args.settle)
    reset_peak(args.pid)
    results = [None] * clients
    gate = threading.Barrier(clients)

    def one(i):
        gate.wait()
        results[i] = request(args.port, token, path)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(clients)]
    with lookups(args) as side:
        start = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.monotonic() - start
    statuses = {}
    for status, _, _, _ in results:
        statuses[status] = statuses.get(status, 0) + 1
    ok = [ms for status, ms, _, _ in results if status == 200]
    retry = sorted({r for _, _, _, r in results if r})
    print(f"{label:<34} statuses {dict(sorted(statuses.items()))} Retry-After {retry or '-'} | "
          f"200s ms {summary(ok)} | wall {wall:.1f} s | other tenant lookups "
          f"({len(side.ms)}, {side.bad} not 200) ms {summary(side.ms)} | "
          f"peak RSS {status_kib(args.pid, 'VmHWM') // 1024} MiB", flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--token", required=True, help="the big tenant's token")
    p.add_argument("--other-token", required=True, help="the other tenant's token")
    p.add_argument("--other-users", type=int, default=200)
    p.add_argument("--members-token", required=True, help="the 100,000-member group's tenant")
    p.add_argument("--group-id", required=True)
    p.add_argument("--walkers", type=int, default=50)
    p.add_argument("--big-walkers", type=int, default=100)
    p.add_argument("--group-clients", type=int, default=4)
    p.add_argument("--settle", type=float, default=6.0, help="seconds between phases")
    args = p.parse_args()

    print(f"idle: RSS {status_kib(args.pid, 'VmRSS') // 1024} MiB", flush=True)
    idle = []
    for _ in range(200):
        k = random.randrange(args.other_users)
        idle.append(request(args.port, args.other_token,
                            f"/scim/v2/Users?filter=userName%20eq%20%22pupil{k}%22")[1])
    print(f"{'other tenant lookups, idle':<34} ms {summary(idle)}", flush=True)
    burst(args, f"{args.walkers} x GET /Users?count=10", args.token, "/scim/v2/Users?count=10",
          args.walkers)
    burst(args, f"{args.big_walkers} x GET /Users?count=1000", args.token,
          "/scim/v2/Users?count=1000", args.big_walkers)
    group = f"/scim/v2/Groups/{args.group_id}"
    for clients in (1, args.group_clients):
        burst(args, f"{clients} x GET group 100k members", args.members_token, group, clients)
    burst(args, "1 x GET group excludedAttributes", args.members_token,
          group + "?excludedAttributes=members", 1)
    status, ms, size, _ = request(args.port, args.members_token, group)
    print(f"GET group with members: status {status}, {size} bytes, {ms:.0f} ms", flush=True)


if __name__ == "__main__":
    main()
