#!/usr/bin/env python3
"""Holds the bridge's connection cap with sockets that dribble a header one byte a second and
reconnect when closed (issue 13: "anyone without a token can take every connection"), while a
client with a token makes one request every 0.2 s on a new connection. Prints what that client
got. Standard library only.

    tests/bench/slowloris.py --port 8080 --token TOKEN [--sockets 1100] [--seconds 30]
"""
import argparse
import collections
import http.client
import selectors
import socket
import threading
import time

HEADER = b"GET /scim/v2/Users HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"x" * 100000


def dribble(port, sockets, seconds, stats):
    sel = selectors.DefaultSelector()
    sent = {}

    def connect():
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        sel.register(s, selectors.EVENT_READ)
        sent[s] = 0
        stats["dribbler connections"] += 1

    for _ in range(sockets):
        connect()
    end = time.monotonic() + seconds
    next_tick = time.monotonic()
    while time.monotonic() < end:
        for key, _ in sel.select(timeout=max(0.0, next_tick - time.monotonic())):
            s = key.fileobj
            try:
                data = s.recv(65536)
            except OSError:
                data = b""
            if data.startswith(b"HTTP/1.1 "):
                stats["dribblers answered " + data[9:12].decode()] += 1
            if not data:
                stats["dribblers closed by the bridge"] += 1
                sel.unregister(s)
                s.close()
                del sent[s]
                connect()
        if time.monotonic() >= next_tick:
            next_tick += 1.0
            for s in list(sent):
                try:
                    s.send(HEADER[sent[s]:sent[s] + 1])
                    sent[s] += 1
                except OSError:
                    pass
    for s in list(sent):
        s.close()


def probe(port, token, seconds, stats, latencies):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        started = time.monotonic()
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", "/scim/v2/Users?count=1", headers={"Authorization": "Bearer " + token})
            r = c.getresponse()
            r.read()
            stats["authenticated request answered %d" % r.status] += 1
            latencies.append(time.monotonic() - started)
            c.close()
        except OSError as e:
            stats["authenticated request failed: " + type(e).__name__] += 1
        time.sleep(max(0.0, 0.2 - (time.monotonic() - started)))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--sockets", type=int, default=1100)
    p.add_argument("--seconds", type=float, default=30)
    a = p.parse_args()
    stats = collections.Counter()
    latencies = []
    flood = threading.Thread(target=dribble, args=(a.port, a.sockets, a.seconds + 2, stats))
    flood.start()
    time.sleep(2)  # let the dribblers fill the cap first
    probe(a.port, a.token, a.seconds, stats, latencies)
    flood.join()
    for k in sorted(stats):
        print("%-45s %d" % (k, stats[k]))
    if latencies:
        latencies.sort()
        print("authenticated request latency p50 %.1f ms, max %.1f ms"
              % (1000 * latencies[len(latencies) // 2], 1000 * latencies[-1]))


if __name__ == "__main__":
    main()
