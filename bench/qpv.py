"""QPV lookup timings with all 1 584 perimeters loaded, and the process memory.

    .venv/bin/python bench/qpv.py [--points 5000] [--seed 2024]

Points are drawn around the QPV themselves (most lookups in real use are addresses in or
near a city): a third inside a perimeter's bounding box, a third within ~3 km of one, a
third anywhere in métropole's box (mostly « aucun QPV à moins de 5 km »), plus outre-mer.
"""

import argparse
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")


def rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()

    import django

    django.setup()
    from territory import qpv

    before = rss_mb()
    started = time.perf_counter()
    index = qpv.index()
    load_s = time.perf_counter() - started
    after_load = rss_mb()

    rng = random.Random(args.seed)
    bounds = [g.bounds for g in index.geometries]
    points = []
    for n in range(args.points):
        minx, miny, maxx, maxy = rng.choice(bounds)
        kind = n % 3
        if kind == 0:
            points.append((rng.uniform(miny, maxy), rng.uniform(minx, maxx)))
        elif kind == 1:
            points.append((rng.uniform(miny - 0.03, maxy + 0.03), rng.uniform(minx - 0.04, maxx + 0.04)))
        else:
            points.append((rng.uniform(42.3, 51.0), rng.uniform(-4.8, 8.2)))
    for point in points[:50]:  # warm-up (PROJ's database, caches)
        qpv.locate(*point)
    timings, cpu_timings, kinds = [], [], {"dans": 0, "proche": 0, "aucun": 0}
    for latitude, longitude in points:
        c0, t0 = time.thread_time(), time.perf_counter()
        result = index.locate(latitude, longitude)
        timings.append((time.perf_counter() - t0) * 1000)
        cpu_timings.append((time.thread_time() - c0) * 1000)
        kinds["dans" if result.inside else "proche" if result.qpv else "aucun"] += 1
    commune_timings = []
    for code in [q.communes[0] for q in index.qpvs[:500]]:
        t0 = time.perf_counter()
        index.for_commune(code)
        commune_timings.append((time.perf_counter() - t0) * 1000)

    print(f"perimeters: {len(index.qpvs)}, load: {load_s * 1000:.0f} ms")
    print(f"points: {len(points)} ({kinds['dans']} inside, {kinds['proche']} near, {kinds['aucun']} none)")
    print(
        f"locate (point): p50 {percentile(timings, 50):.2f} ms, p95 {percentile(timings, 95):.2f} ms, "
        f"p99 {percentile(timings, 99):.2f} ms, max {max(timings):.2f} ms, mean {statistics.mean(timings):.2f} ms"
    )
    print(
        f"locate, CPU time of the thread (what the lookup costs without other processes' load): "
        f"p50 {percentile(cpu_timings, 50):.2f} ms, p95 {percentile(cpu_timings, 95):.2f} ms, "
        f"p99 {percentile(cpu_timings, 99):.2f} ms"
    )
    print(f"for_commune: p95 {percentile(commune_timings, 95):.3f} ms")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"memory: RSS {before:.0f} MB before the index, {after_load:.0f} MB after (+{after_load - before:.0f} MB),")
    print(f"        {rss_mb():.0f} MB after the lookups, peak {peak:.0f} MB")
    with open("/proc/loadavg") as loadavg:
        print(f"load average: {loadavg.read().split()[0]} (on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
