#!/usr/bin/env python3
"""An open-day burst: N registration attempts fired at once at one open day.

Opens every connection first, then sends all requests together (one HTTP/1.1 request per
connection, so none waits for another's answer on the client side), and times each from
its send to its whole answer. Standard library only. Prints one JSON line:
{attempts, confirmed, waitlisted, statuses, seconds, per_second, p50_ms, p99_ms, max_ms}.

usage: open_day_burst.py HOST PORT OPEN_DAY_ID ATTEMPTS [NODES_PORTS…]
Attempts are spread over PORT and any further ports (several API nodes). With
BURST_CONCURRENCY=K in the environment, at most K attempts are in flight at a time (a
sustained load) instead of all at once.
"""

import asyncio
import json
import sys
import time


async def attempt(host, port, path, i, gate, results, sem):
    if sem is None:
        await one(host, port, path, i, gate, results)
    else:
        async with sem:
            await one(host, port, path, i, gate, results)


async def one(host, port, path, i, gate, results):
    body = json.dumps({"name": f"压测{i}", "phone": f"139{i:08d}"}).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    for _ in range(50):
        try:
            reader, writer = await asyncio.open_connection(host, port)
            break
        except OSError:
            await asyncio.sleep(0.05)
    else:
        results.append((0, None, 0.0))
        return
    await gate.wait()
    started = time.perf_counter()
    writer.write(head + body)
    await writer.drain()
    status_line = await reader.readline()
    headers = {}
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        k, _, v = line.decode().partition(":")
        headers[k.strip().lower()] = v.strip()
    n = int(headers.get("content-length", "0"))
    payload = await reader.readexactly(n) if n else await reader.read()
    elapsed = time.perf_counter() - started
    writer.close()
    status = int(status_line.split()[1]) if status_line else 0
    state = None
    if status == 201:
        state = json.loads(payload)["registration"]["status"]
    results.append((status, state, elapsed))


async def main():
    host, port, day, attempts = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    ports = [port] + [int(p) for p in sys.argv[5:]]
    path = f"/api/v1/open-days/{day}/registrations"
    gate = asyncio.Event()
    results = []
    concurrency = int(__import__("os").environ.get("BURST_CONCURRENCY", "0"))
    sem = asyncio.Semaphore(concurrency) if concurrency else None
    tasks = [
        asyncio.create_task(attempt(host, ports[i % len(ports)], path, i, gate, results, sem))
        for i in range(attempts)
    ]
    # Let every connection open before the gate opens.
    if sem is None:
        await asyncio.sleep(max(1.0, attempts / 2000))
    t0 = time.perf_counter()
    gate.set()
    await asyncio.gather(*tasks)
    seconds = time.perf_counter() - t0
    lat = sorted(r[2] for r in results if r[0])
    statuses = {}
    for r in results:
        statuses[str(r[0])] = statuses.get(str(r[0]), 0) + 1
    pick = lambda q: round(lat[min(len(lat) - 1, int(q * len(lat)))] * 1000, 1) if lat else None
    print(json.dumps({
        "attempts": attempts,
        "confirmed": sum(1 for r in results if r[1] == "confirmed"),
        "waitlisted": sum(1 for r in results if r[1] == "waitlisted"),
        "statuses": statuses,
        "seconds": round(seconds, 2),
        "per_second": round(attempts / seconds, 1),
        "p50_ms": pick(0.5),
        "p99_ms": pick(0.99),
        "max_ms": round(lat[-1] * 1000, 1) if lat else None,
    }))


asyncio.run(main())
