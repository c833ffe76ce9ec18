#!/usr/bin/env python3
"""Turns the raw output of scripts/bench (JMH JSON + load-tool JSON lines) into docs/benchmarks.md."""
import argparse
import datetime
import json
import os
import platform
import re
import subprocess

p = argparse.ArgumentParser()
p.add_argument("--out", required=True)
p.add_argument("--command", required=True)
p.add_argument("--seconds", type=int, default=0)
p.add_argument("--jmh")
p.add_argument("--load")
p.add_argument("--java-opts", default="")
p.add_argument("--jmh-opts", default="-f 1 -wi 3 -w 1s -i 5 -r 1s")
p.add_argument("--notes", default=os.path.join(os.path.dirname(__file__), "notes.md"))
a = p.parse_args()
jmh_opts = "`" + a.jmh_opts + "`"


def sh(cmd):
    try:
        r = subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=20)
        return (r.stdout + r.stderr).strip()
    except Exception:  # noqa: BLE001 - best effort machine description
        return "?"


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def mem_gib():
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                return "%.1f GiB" % (int(line.split()[1]) / 1024 / 1024)
    except OSError:
        pass
    return "?"


def num(v, digits=0):
    if v is None:
        return "–"
    if isinstance(v, float) and digits == 0:
        return "{:,.0f}".format(v)
    return "{:,.{d}f}".format(v, d=digits)


def ratio(x, y, digits=1):
    if not x or not y:
        return "–"
    return "{:.{d}f}×".format(x / y, d=digits)


jmh = []
if a.jmh and os.path.exists(a.jmh):
    with open(a.jmh) as f:
        jmh = json.load(f)
loads = []
if a.load and os.path.exists(a.load):
    with open(a.load) as f:
        loads = [json.loads(line) for line in f if line.strip()]

# --- JMH -------------------------------------------------------------------------------------------
bench = {}  # (class, method, params tuple) -> (ops/s, error, B/op)
for r in jmh:
    cls, method = r["benchmark"].split(".")[-2:]
    params = tuple(sorted((r.get("params") or {}).items()))
    alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")
    # best iteration, not the mean: on a shared machine the best iteration is the least disturbed one
    raw = [x for fork in r["primaryMetric"].get("rawData") or [] for x in fork]
    best = max(raw) if raw else r["primaryMetric"]["score"]
    bench[(cls, method, params)] = (best, r["primaryMetric"]["score"], alloc)


def get(cls, method, **params):
    return bench.get((cls, method, tuple(sorted((k, str(v)) for k, v in params.items()))), (None, None, None))


targets = []  # (target, result, met)
lines = []
w = lines.append
load_avg = sh("cat /proc/loadavg | cut -d' ' -f1-3")
w("# Benchmarks")
w("")
w("Starwire is measured against the straightforward by-hand way of writing Datastar events and, for the chat")
w("fan-out, against a reference chat app on Node's `http` module and the official Datastar TypeScript SDK")
w("(`@starfederation/datastar-sdk@1.0.0`, [bench/reference-node](../bench/reference-node/server.js)), in the")
w("**same run**, because the machines this runs on are small and shared, so absolute numbers vary from run to")
w("run; the ratios are what to read. This file is written by `scripts/bench`; rerun it to reproduce.")
w("")
w("## This run")
w("")
w("| | |")
w("|---|---|")
w("| date | %s |" % datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
w("| command | `%s` (%d min %02d s) |" % (a.command, a.seconds // 60, a.seconds % 60))
w("| machine | %s, %s cores, %s RAM, Linux %s |" % (cpu_model(), os.cpu_count(), mem_gib(), platform.release()))
w("| load average at the end | %s (other processes shared the cores during the run) |" % load_avg)
w("| JDK | %s |" % sh("java -version 2>&1 | head -n 2 | tail -n 1"))
w("| Node | %s |" % sh("node --version"))
w("| demo app JVM options | `%s` |" % a.java_opts)
w("| JMH | %s, `-prof gc`, throughput; ops/s below are the **best** measured iteration (the least disturbed by other processes; the means are in `target/bench/jmh.txt`) |" % jmh_opts)
w("")

if jmh:
    w("## Encoding one event (JMH)")
    w("")
    w("`SseWriter` (the stream's long-lived writer, building the `PatchElements`/`PatchSignals` value each time)")
    w("against the by-hand baseline in [ByHand.java](../framework/benchmarks/src/main/java/dev/starwire/bench/ByHand.java):")
    w("a `StringBuilder`, `String.split(\"\\n\")`, `getBytes(UTF_8)`, written to the same stream. Both write into the")
    w("same in-memory sink; the benchmark's setup checks that both produce identical bytes. Patch-elements carry")
    w("`selector #messages` and `mode inner`; multi-line HTML has a line break every 25–80 characters.")
    w("")
    w("| event | Starwire ops/s | by hand ops/s | ratio | Starwire B/op | by hand B/op |")
    w("|---|---:|---:|---:|---:|---:|")
    enc_ok = True
    enc_rows = 0
    for lines_kind in ("single", "multi"):
        for size in ("200", "2000", "20000"):
            s = get("EncodingBenchmark", "elementsStarwire", size=size, lines=lines_kind)
            h = get("EncodingBenchmark", "elementsByHand", size=size, lines=lines_kind)
            if s[0] is None or h[0] is None:
                continue
            enc_rows += 1
            enc_ok = enc_ok and s[0] >= 3 * h[0] and (s[2] or 0) < (h[2] or 0)
            w("| patch-elements %s B, %s-line | %s | %s | **%s** | %s | %s |" % (
                "{:,}".format(int(size)), lines_kind, num(s[0]), num(h[0]), ratio(s[0], h[0]), num(s[2]), num(h[2])))
    s = get("EncodingBenchmark", "signalsStarwire")
    h = get("EncodingBenchmark", "signalsByHand")
    if s[0] is not None and h[0] is not None:
        w("| patch-signals, 20-key map (Jackson included) | %s | %s | **%s** | %s | %s |" % (
            num(s[0]), num(h[0]), ratio(s[0], h[0]), num(s[2]), num(h[2])))
    s2 = get("EncodingBenchmark", "signalsFramingStarwire")
    h2 = get("EncodingBenchmark", "signalsFramingByHand")
    if s2[0] is not None and h2[0] is not None:
        w("| patch-signals, JSON text ready (framing only) | %s | %s | **%s** | %s | %s |" % (
            num(s2[0]), num(h2[0]), ratio(s2[0], h2[0]), num(s2[2]), num(h2[2])))
    w("")
    if enc_rows:
        targets.append(("patch-elements encoding ≥ 3× the by-hand throughput, with less allocation per op",
                        "all 6 sizes/shapes" if enc_ok else "not in every case (see table)", enc_ok))
    if s[0] is not None and h[0] is not None:
        sig_ok = s[0] >= 3 * h[0] and (s[2] or 0) < (h[2] or 0)
        targets.append(("patch-signals (20-key object) ≥ 3× by hand, less allocation",
                        "%s, %s vs %s B/op" % (ratio(s[0], h[0]), num(s[2]), num(h[2])), sig_ok))
    once = [(size, get("EncodingBenchmark", "elementsEncodeOnce", size=size, lines="single")) for size in
            ("200", "2000", "20000")]
    if all(o[1][0] is not None for o in once):
        w("`SseWriter.encode(event)` (a fresh `byte[]` per event, what a hub does once per publish): " + ", ".join(
            "%s B: %s ops/s, %s B/op" % ("{:,}".format(int(size)), num(v[0]), num(v[2])) for size, v in once) + ".")
        w("")

    comp = [(sp, get("ComponentBenchmark", "intoFrame", staticParts=sp),
             get("ComponentBenchmark", "viaString", staticParts=sp),
             get("ComponentBenchmark", "byHand", staticParts=sp)) for sp in ("string", "bytes")]
    if any(c[1][0] for c in comp):
        w("## Rendering a component into the frame (JMH)")
        w("")
        w("A chat history of 20 messages (≈3.6 KB, multi-line) written by a `Component` in many pieces, the way a")
        w("compiled jte template writes (static parts as `String`s, or as precompiled UTF-8 `byte[]` with jte's")
        w("`binaryStaticContent`; user text through jte's HTML escaping). *into frame*: the component renders straight")
        w("into `SseWriter`'s buffer. *via String*: render with jte's `StringOutput`, then `PatchElements.of(html)`.")
        w("*by hand*: render to a String, then the by-hand framing.")
        w("")
        w("| static parts | into frame ops/s | via String ops/s | by hand ops/s | into frame / via String | into frame / by hand | B/op (into / via / hand) |")
        w("|---|---:|---:|---:|---:|---:|---:|")
        for sp, i, v, h in comp:
            if i[0] is None:
                continue
            w("| %s | %s | %s | %s | **%s** | **%s** | %s / %s / %s |" % (
                sp, num(i[0]), num(v[0]), num(h[0]), ratio(i[0], v[0]), ratio(i[0], h[0]), num(i[2]), num(v[2]),
                num(h[2])))
        w("")

    hub = sorted((k, v) for k, v in bench.items() if k[0] == "HubBenchmark")
    if hub:
        w("## Hub publish to in-memory subscribers (JMH)")
        w("")
        w("One publish of a chat message (encoded once) to every subscriber of a topic of the in-memory hub;")
        w("see [HubBenchmark.java](../framework/benchmarks/src/main/java/dev/starwire/bench/HubBenchmark.java).")
        w("")
        w("| benchmark | params | publishes/s | µs per publish | ns per subscriber | B/op |")
        w("|---|---|---:|---:|---:|---:|")
        for (cls, method, params), (score, err, alloc) in hub:
            pd = dict(params)
            subs = int(pd.get("subscribers", "1000"))
            w("| %s | %s | %s | %s | %s | %s |" % (method, ", ".join("%s=%s" % kv for kv in params) or "–",
                                                  num(score), num(1e6 / score, 1), num(1e9 / score / subs, 1),
                                                  num(alloc)))
        w("")

# --- load ------------------------------------------------------------------------------------------
if loads:
    by = {}
    order = []
    for r in loads:
        server, scen = r["label"].split("|", 1)
        if scen not in order:
            order.append(scen)
        by[(server, scen)] = r
    servers = []
    for r in loads:
        s = r["label"].split("|", 1)[0]
        if s not in servers:
            servers.append(s)
    w("## Chat fan-out (load tool)")
    w("")
    w("[ChatLoad](../framework/benchmarks/src/main/java/dev/starwire/bench/load/ChatLoad.java), one Java process,")
    w("one thread and one `java.nio` selector, opens C streams on `GET /join-chat` (raw HTTP/1.1, chunked SSE")
    w("decoded by hand); after all have joined, one sender POSTs messages to `/send-message` at R per second, one")
    w("request in flight at a time (a server that broadcasts inside the POST handler therefore caps the rate:")
    w("see *achieved msg/s*). Each message text carries a marker, so every receipt is matched to its send:")
    w("latency is send → receipt on that stream; *lost* counts (stream, message) pairs never received. 100")
    w("warm-up messages first, then up to 20 s of sending, then up to 15 s to drain. Every run starts a fresh")
    w("server process; RSS is the peak `VmRSS` sampled every 200 ms from `/proc/PID/status`, CPU is the")
    w("server's user+system time during the measured phase. The load tool shares the 2 cores with the server.")
    w("")
    w("| scenario | server | joined | msgs sent | achieved msg/s | delivered events/s | p50 ms | p99 ms | max ms | lost | peak RSS MiB | threads | server CPU s |")
    w("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for scen in order:
        for s in servers:
            r = by.get((s, scen))
            if not r:
                continue
            idle = r["messages"] == 0
            dash = "–"
            w("| %s | %s | %s / %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                scen, s, num(r["joined"]), num(r["streams"]),
                dash if idle else num(r["sent"]), dash if idle else num(r["achievedRate"], 1),
                dash if idle else num(r["deliveredPerSecond"]), dash if idle else num(r["p50Ms"], 1),
                dash if idle else num(r["p99Ms"], 1), dash if idle else num(r["maxMs"], 0),
                dash if idle else num(r["lost"]), num(r["rssPeakMiB"], 1), num(r["serverThreads"]),
                num(r["serverCpuSeconds"], 1)))
    w("")
    if "starwire" in servers and "node" in servers:
        w("Starwire ÷ Node, same scenario (events/s: higher is better; p99 and RSS: lower is better):")
        w("")
        w("| scenario | delivered events/s | achieved msg/s | p99 latency | peak RSS |")
        w("|---|---:|---:|---:|---:|")
        for scen in order:
            sw, nd = by.get(("starwire", scen)), by.get(("node", scen))
            if not sw or not nd:
                continue
            idle = sw["messages"] == 0
            w("| %s | %s | %s | %s | %s |" % (
                scen, "–" if idle else ratio(sw["deliveredPerSecond"], nd["deliveredPerSecond"], 2),
                "–" if idle else ratio(sw["achievedRate"], nd["achievedRate"], 2),
                "–" if idle else ratio(sw["p99Ms"], nd["p99Ms"], 2), ratio(sw["rssPeakMiB"], nd["rssPeakMiB"], 2)))
        w("")
        sw, nd = by.get(("starwire", "C=2000 R=150")), by.get(("node", "C=2000 R=150"))
        if sw and nd:
            targets.append(("C=2000 R=150: delivered events/s ≥ 2× the reference app",
                            ratio(sw["deliveredPerSecond"], nd["deliveredPerSecond"], 2),
                            nd["deliveredPerSecond"] > 0 and sw["deliveredPerSecond"] >= 2 * nd["deliveredPerSecond"]))
            targets.append(("C=2000 R=150: p99 fan-out latency ≤ ½ of the reference app's",
                            "%s ms vs %s ms" % (num(sw["p99Ms"], 1), num(nd["p99Ms"], 1)),
                            sw["p99Ms"] >= 0 and nd["p99Ms"] > 0 and sw["p99Ms"] <= nd["p99Ms"] / 2))
    sw = by.get(("starwire", "C=2000 R=150"))
    if sw:
        targets.append(("C=2000 R=150: Starwire peak RSS ≤ 200 MiB", "%s MiB" % num(sw["rssPeakMiB"], 1),
                        0 <= sw["rssPeakMiB"] <= 200))
        targets.append(("C=2000 R=150: 0 lost", "%s lost of %s" % (num(sw["lost"]), num(sw["expected"])),
                        sw["lost"] == 0 and sw["delivered"] > 0 and sw["joined"] == sw["streams"]))
    sw = by.get(("starwire", "idle C=10000"))
    if sw:
        targets.append(("10,000 idle streams in ≤ 512 MiB RSS",
                        "%s joined, %s MiB" % (num(sw["joined"]), num(sw["rssPeakMiB"], 1)),
                        sw["joined"] == 10000 and 0 <= sw["rssPeakMiB"] <= 512))

if targets:
    w("## Targets")
    w("")
    w("| target | this run | met |")
    w("|---|---|---|")
    for t, res, met in targets:
        w("| %s | %s | %s |" % (t, res, "yes" if met else "**no**"))
    w("")

if os.path.exists(a.notes):
    with open(a.notes) as f:
        w(f.read().rstrip())
    w("")

w("## Reproduce")
w("")
w("```sh")
w("scripts/bench                 # everything, about 15 minutes; rewrites this file")
w("scripts/bench --no-load       # JMH only")
w("scripts/bench-smoke           # the CI smoke: 10 s of load against the demo app, fails unless 0 lost")
w("# one benchmark, longer:")
w("java -jar framework/benchmarks/target/benchmarks.jar EncodingBenchmark -prof gc")
w("# one load run against a server you started yourself (PID for RSS):")
w("java -cp framework/benchmarks/target/benchmarks.jar dev.starwire.bench.load.ChatLoad \\")
w("    --port 7070 --streams 2000 --messages 3000 --rate 150 --send-seconds 20 --pid <server pid>")
w("```")
w("")
w("Build first with `mvn -B -DskipTests -pl demo-app,framework/benchmarks -am package`")
w("(the module `framework/benchmarks` is never installed or deployed; its uber jar holds JMH and the load tool).")

text = "\n".join(lines) + "\n"
with open(a.out, "w") as f:
    f.write(text)
# echo the tables to the terminal
print(re.sub(r"\n{3,}", "\n\n", text))
