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
p.add_argument("--load-at-start", default="")
p.add_argument("--load-at-end", default="")
p.add_argument("--date", default="")
# the commit measured, as scripts/bench recorded it; the checkout's HEAD for runs that did not
p.add_argument("--commit", default="")
p.add_argument("--yardstick-note", default="")
# the equal load's load-tool arguments as scripts/bench recorded them; the default is those of runs that did not
p.add_argument("--equal-args", default="--streams 2000 --messages 300 --rate 30 --warmup 600")
p.add_argument("--notes", default=os.path.join(os.path.dirname(__file__), "notes.md"))
p.add_argument("--profile", default=os.path.join(os.path.dirname(__file__), "profile.md"))
a = p.parse_args()
# the equal-load scenario's warm-up messages, read from the load tool's arguments scripts/bench gave it
equal_warmup = int(re.search(r"--warmup (\d+)", a.equal_args).group(1))
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
load_avg = a.load_at_end or sh("cat /proc/loadavg | cut -d' ' -f1-3")
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
w("| date | %s |" % (a.date or datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")))
w("| command | `%s` (%d min %02d s) |" % (a.command, a.seconds // 60, a.seconds % 60))
w("| machine | %s, %s cores, %s RAM, Linux %s |" % (cpu_model(), os.cpu_count(), mem_gib(), platform.release()))
w("| Starwire commit | `%s` |" % (a.commit or sh("git rev-parse --short HEAD")))
w("| load average (1, 5, 15 min) | at the start %s, at the end %s; other builds shared the 2 cores, see *other procs* per run |" % (
    a.load_at_start or "?", load_avg))
w("| JDK | %s |" % sh("java -version 2>&1 | head -n 2 | tail -n 1"))
w("| Node | %s |" % sh("node --version"))
w("| Starwire JVM options (demo, Spring, plain servlets) | %s |" % ("`%s`" % a.java_opts if a.java_opts.strip() else
                                     "none: plain `java -jar demo-app/target/demo-app.jar`, as the README runs it"))
w("| yardstick | %s |" % (a.yardstick_note or "`java -XX:+UseSerialGC ../shared/bench/LimitChat.java` (JDK single-file launch)"))
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
NAMES = {"starwire": "Starwire", "spring": "Starwire on Spring Boot", "servlet": "Starwire on plain servlets",
         "node": "Node + TS SDK", "yardstick": "yardstick"}
# the same chat on Starwire's Servlet adapter: in Spring Boot's servlet container, and in Jetty's plain one
ADAPTERS = ("spring", "servlet")
EQUAL = "C=2000 R=30"


def median(xs):
    xs = sorted(xs)
    if not xs:
        return None
    m = len(xs) // 2
    return xs[m] if len(xs) % 2 else (xs[m - 1] + xs[m]) / 2


def spread(xs, digits=1, unit=""):
    """median, with the range when there are several values: 19.4 (18.9–23.3)"""
    xs = [x for x in xs if x is not None and x >= 0]
    if not xs:
        return "–"
    if len(xs) == 1:
        return num(xs[0], digits) + unit
    return "%s%s (%s–%s)" % (num(median(xs), digits), unit, num(min(xs), digits), num(max(xs), digits))


def cpu_us(r):
    v = r.get("cpuPerEventMicros")
    if v is None and r.get("delivered") and r.get("serverCpuSeconds", -1) >= 0:
        v = r["serverCpuSeconds"] * 1e6 / r["delivered"]
    return v if v is not None and v >= 0 else None


def peak(r):
    return r.get("peakRssMiB", max(r.get("rssPeakMiB", -1), r.get("hwmMiB", -1)))


if loads:
    runs = {}  # (server, scenario) -> [records, by round]
    order, servers = [], []
    for r in loads:
        parts = r["label"].split("|")
        server, scen = parts[0], parts[1]
        r["round"] = int(parts[2]) if len(parts) > 2 else 1
        if scen not in order:
            order.append(scen)
        if server not in servers:
            servers.append(server)
        runs.setdefault((server, scen), []).append(r)
    servers.sort(key=lambda x: list(NAMES).index(x) if x in NAMES else 9)
    adapters = [sv for sv in ADAPTERS if sv in servers]
    if adapters:
        NAMES["starwire"] = "Starwire on Javalin"  # the demo app, told apart from the same chat on the Servlet adapter

    def rounds_ratio(scen, metric, a_server, b_server):
        """metric(a) / metric(b) per round in which both ran: the servers ran back to back"""
        out = []
        b_by_round = {r["round"]: r for r in runs.get((b_server, scen), [])}
        for ra in runs.get((a_server, scen), []):
            rb = b_by_round.get(ra["round"])
            if rb is None:
                continue
            x, y = metric(ra), metric(rb)
            if x is not None and y and x >= 0 and y > 0:
                out.append(x / y)
        return out

    def ratio_cell(xs):
        if not xs:
            return "–"
        if len(xs) == 1:
            return "%.2f×" % xs[0]
        return "**%.2f×** (%.2f–%.2f)" % (median(xs), min(xs), max(xs))

    w("## Chat fan-out (load tool)")
    w("")
    w("[ChatLoad](../framework/benchmarks/src/main/java/dev/starwire/bench/load/ChatLoad.java), one Java process,")
    w("one thread and one `java.nio` selector, opens C streams on `GET /join-chat` (raw HTTP/1.1, chunked SSE")
    w("decoded by hand); after all have joined, one sender POSTs messages to `/send-message` at R per second, one")
    w("request in flight at a time (a server that broadcasts inside the POST handler therefore caps the rate:")
    w("see *achieved msg/s*). Each message text carries a marker, so every receipt is matched to its send:")
    w("latency is send → receipt on that stream; *lost* counts (stream, message) pairs never received. 100")
    w("warm-up messages first (%s at the equal load), then up to 20 s of sending, then up to 15 s to drain. Every run starts a fresh"
      % num(equal_warmup))
    w("server process. **CPU µs/event** is the server's user+system CPU time during the measured phase (from")
    w("`/proc/PID/stat`: the measured messages and their drain) divided by the measured events delivered;")
    w("*peak RSS* is the kernel's high-water mark `VmHWM` (and `VmRSS` sampled every 200 ms); *threads* is the")
    w("most seen. The load tool shares the 2 cores with the server; *tool cores* is its own CPU during the")
    w("measured phase (1.00 = one core flat out: then the tool, not the server, would be the limit), and")
    w("*other procs* the cores every other process on the machine (other builds) took meanwhile, from")
    w("`/proc/stat`. The servers: Starwire's demo app (Javalin), the Node reference on the official TypeScript SDK,")
    w("and the yardstick, [LimitChat.java](../../shared/bench/README.md) (`../shared/bench/`, outside this repository):")
    w("the simplest correct server for the same chat contract, one thread and one selector, each message rendered")
    w("once and written to every stream with one non-blocking write; not a peer but the practical floor of CPU")
    w("per delivered event on this machine.")
    if adapters:
        w("Beside them, in %s, the same chat on Starwire's Servlet adapter (`starwire-servlet`):" % (
            "the equal-load scenario" if all(sc == EQUAL for (sv, sc) in runs if sv in adapters) else "the scenarios below"))
        if "spring" in adapters:
            w("*Starwire on Spring Boot* is [samples/spring-chat](../samples/spring-chat) (`starwire-spring-boot-starter`,")
            w("Spring MVC in Spring Boot's embedded servlet container, as `java -jar samples/spring-chat/target/spring-chat.jar`);")
        if "servlet" in adapters:
            w("*Starwire on plain servlets* is [ServletChat](../framework/benchmarks/src/main/java/dev/starwire/bench/servlet/ServletChat.java),")
            w("`starwire-servlet` alone in Jetty's ee10 servlet container with its default settings, no Javalin, no Spring;")
        w("both with the demo's JVM options.")
    w("")

    if any(k[1] == EQUAL for k in runs):
        n_rounds = max(r["round"] for (sv, sc), rs in runs.items() if sc == EQUAL for r in rs)
        w("### Equal offered load: C = 2,000 streams, R = 30 msg/s, 300 messages")
        w("")
        w("A load every server is meant to carry: all deliver the same 600,000 events, and CPU per delivered")
        w("event compares efficiency alone. %d %s, the servers back to back in each, their order rotating; a cell" % (
            n_rounds, "round" if n_rounds == 1 else "rounds"))
        w("is the median over the rounds with the range in brackets.")
        w("")
        short = [r for (sv, sc), rs in runs.items() if sc == EQUAL for r in rs if r["achievedRate"] < 0.95 * r["rate"]]
        if short:
            w("In %d of these runs the server did not keep up with the offered 30 msg/s while other processes took"
              " %s cores (see *Every run*): there the machine, not only the server, set the pace." % (
                  len(short), spread([r.get("otherCores") for r in short], 2)))
            w("")
        w("| server | achieved msg/s | CPU µs/event | p50 ms | p99 ms | max ms | peak RSS MiB | threads | lost | tool cores | other procs |")
        w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for sv in servers:
            rs = runs.get((sv, EQUAL))
            if not rs:
                continue
            w("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                NAMES.get(sv, sv), spread([r["achievedRate"] for r in rs]), spread([cpu_us(r) for r in rs], 2),
                spread([r["p50Ms"] for r in rs]), spread([r["p99Ms"] for r in rs]),
                spread([r["maxMs"] for r in rs], 0), spread([peak(r) for r in rs]),
                spread([r["serverThreads"] for r in rs], 0), num(sum(r["lost"] for r in rs)),
                spread([r.get("toolCores") for r in rs], 2), spread([r.get("otherCores") for r in rs], 2)))
        w("")
        pairs = [(a_, b_) for a_, b_ in (("starwire", "yardstick"), ("starwire", "node"), ("node", "yardstick"),
                                         ("spring", "starwire"), ("servlet", "starwire"), ("spring", "servlet"),
                                         ("spring", "yardstick"), ("servlet", "yardstick"))
                 if (a_, EQUAL) in runs and (b_, EQUAL) in runs]
        if pairs:
            w("Ratios within each round (lower is better; median, range in brackets):")
            w("")
            w("| ratio | CPU per event | p99 latency | peak RSS |")
            w("|---|---:|---:|---:|")
            for a_, b_ in pairs:
                w("| %s ÷ %s | %s | %s | %s |" % (
                    NAMES[a_], NAMES[b_], ratio_cell(rounds_ratio(EQUAL, cpu_us, a_, b_)),
                    ratio_cell(rounds_ratio(EQUAL, lambda r: r["p99Ms"], a_, b_)),
                    ratio_cell(rounds_ratio(EQUAL, peak, a_, b_))))
            w("")

    w("### Every run")
    w("")
    w("| scenario | round | server | joined | msgs sent | achieved msg/s | delivered events/s | CPU µs/event | p50 ms | p99 ms | max ms | lost | peak RSS MiB | threads | tool cores | other procs |")
    w("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for scen in order:
        for rnd in sorted({r["round"] for sv in servers for r in runs.get((sv, scen), [])}):
            for sv in servers:
                for r in runs.get((sv, scen), []):
                    if r["round"] != rnd:
                        continue
                    idle = r["messages"] == 0
                    dash = "–"
                    w("| %s | %s | %s | %s / %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                        scen, rnd, NAMES.get(sv, sv), num(r["joined"]), num(r["streams"]),
                        dash if idle else num(r["sent"]), dash if idle else num(r["achievedRate"], 1),
                        dash if idle else num(r["deliveredPerSecond"]),
                        dash if idle else num(cpu_us(r), 2), dash if idle else num(r["p50Ms"], 1),
                        dash if idle else num(r["p99Ms"], 1), dash if idle else num(r["maxMs"], 0),
                        dash if idle else num(r["lost"]), num(peak(r), 1), num(r["serverThreads"]),
                        num(r.get("toolCores"), 2), num(r.get("otherCores"), 2)))
    w("")

    def first(sv, scen):
        rs = runs.get((sv, scen))
        return rs[0] if rs else None

    if "starwire" in servers and "node" in servers:
        w("Starwire ÷ Node, same scenario (events/s: higher is better; CPU per event, p99 and RSS: lower is better;")
        w("for the equal load the median over the rounds):")
        w("")
        w("| scenario | delivered events/s | achieved msg/s | CPU per event | p99 latency | peak RSS |")
        w("|---|---:|---:|---:|---:|---:|")
        for scen in order:
            if not runs.get(("starwire", scen)) or not runs.get(("node", scen)):
                continue
            idle = first("starwire", scen)["messages"] == 0

            def med(metric):
                xs = rounds_ratio(scen, metric, "starwire", "node")
                return "%.2f×" % median(xs) if xs else "–"

            w("| %s | %s | %s | %s | %s | %s |" % (
                scen, "–" if idle else med(lambda r: r["deliveredPerSecond"]),
                "–" if idle else med(lambda r: r["achievedRate"]), "–" if idle else med(cpu_us),
                "–" if idle else med(lambda r: r["p99Ms"]), med(peak)))
        w("")

    # targets: equal load (medians over the rounds), memory, saturation lead, nothing lost
    sw_eq = runs.get(("starwire", EQUAL), [])
    if sw_eq:
        for b_, limit, what in (("yardstick", 1.3, "≤ 1.3× the yardstick"), ("node", 0.6, "≤ 0.6× the TS SDK reference")):
            xs = rounds_ratio(EQUAL, cpu_us, "starwire", b_)
            if xs:
                targets.append(("C=2000 R=30: CPU per delivered event %s" % what,
                                "%s (median of %d %s; %.2f–%.2f)" % ("%.2f×" % median(xs), len(xs), "round" if len(xs) == 1 else "rounds", min(xs), max(xs)),
                                median(xs) <= limit))
        xs = rounds_ratio(EQUAL, lambda r: r["p99Ms"], "starwire", "node")
        if xs:
            targets.append(("C=2000 R=30: fan-out p99 ≤ the TS SDK reference's",
                            "%.2f× (%.2f–%.2f); p99 %s ms vs %s ms" % (
                                median(xs), min(xs), max(xs), spread([r["p99Ms"] for r in sw_eq]),
                                spread([r["p99Ms"] for r in runs.get(("node", EQUAL), [])])), median(xs) <= 1.0))
    c2000 = [r for (sv, sc), rs in runs.items() if sv == "starwire" and sc.startswith("C=2000") for r in rs]
    if c2000:
        worst = max(peak(r) for r in c2000)
        targets.append(("peak RSS ≤ 200 MiB at C=2000 (every C=2000 run, JVM options: %s)" % (
            "`%s`" % a.java_opts if a.java_opts.strip() else "none"), "at most %s MiB" % num(worst, 1),
                        0 <= worst <= 200))
    sw, nd = first("starwire", "C=2000 R=150"), first("node", "C=2000 R=150")
    if sw and nd:
        targets.append(("C=2000 R=150 (saturation): delivered events/s ≥ 2× the reference app",
                        ratio(sw["deliveredPerSecond"], nd["deliveredPerSecond"], 2),
                        nd["deliveredPerSecond"] > 0 and sw["deliveredPerSecond"] >= 2 * nd["deliveredPerSecond"]))
        targets.append(("C=2000 R=150 (saturation): p99 fan-out latency ≤ ½ of the reference app's",
                        "%s ms vs %s ms" % (num(sw["p99Ms"], 1), num(nd["p99Ms"], 1)),
                        sw["p99Ms"] >= 0 and nd["p99Ms"] > 0 and sw["p99Ms"] <= nd["p99Ms"] / 2))
    sw_all = [r for (sv, sc), rs in runs.items() if sv == "starwire" and rs[0]["messages"] > 0 for r in rs]
    if sw_all:
        targets.append(("0 lost and every stream joined, in every Starwire run",
                        "%s lost of %s" % (num(sum(r["lost"] for r in sw_all)), num(sum(r["expected"] for r in sw_all))),
                        all(r["lost"] == 0 and r["delivered"] > 0 and r["joined"] == r["streams"] for r in sw_all)))
    ad_all = [r for (sv, sc), rs in runs.items() if sv in adapters and rs[0]["messages"] > 0 for r in rs]
    if ad_all:
        targets.append(("0 lost and every stream joined, in every run on the Servlet adapter (%s)" % ", ".join(
            NAMES[sv] for sv in adapters), "%s lost of %s" % (
            num(sum(r["lost"] for r in ad_all)), num(sum(r["expected"] for r in ad_all))),
                        all(r["lost"] == 0 and r["delivered"] > 0 and r["joined"] == r["streams"] for r in ad_all)))
    sw = first("starwire", "idle C=10000")
    if sw:
        targets.append(("10,000 idle streams in ≤ 512 MiB RSS",
                        "%s joined, %s MiB" % (num(sw["joined"]), num(peak(sw), 1)),
                        sw["joined"] == 10000 and 0 <= peak(sw) <= 512))

if targets:
    w("## Targets")
    w("")
    w("| target | this run | met |")
    w("|---|---|---|")
    for t, res, met in targets:
        w("| %s | %s | %s |" % (t, res, "yes" if met else "**no**"))
    w("")

for extra in (a.notes, a.profile):
    if extra and os.path.exists(extra):
        with open(extra) as f:
            w(f.read().rstrip())
        w("")

w("## Reproduce")
w("")
w("```sh")
w("scripts/bench                 # everything, about 45 minutes; rewrites this file (raw results in target/bench)")
w("scripts/bench --no-micro      # the load runs only; BENCH_SCENARIOS='R=30' BENCH_ROUNDS=5 for the equal load alone")
w("BENCH_SERVERS='starwire spring servlet' scripts/bench --no-micro   # the demo beside the Servlet adapter's servers only")
w("BENCH_EQUAL_ONLY= scripts/bench   # the Servlet adapter's servers (spring, servlet) in every scenario, not only the equal load")
w("BENCH_QUIET_WAIT=120 scripts/bench   # before each run, wait up to 2 min for other processes to calm down")
w("bench/write-report            # rewrite this file from target/bench after editing bench/notes.md or bench/profile.md")
w("scripts/bench-profile         # JFR, perf, NMT and JVM sizing of the demo app at the equal load; see Profile")
w("scripts/bench-smoke           # the CI smoke: 10 s of load against the demo app, fails unless 0 lost")
w("# one benchmark, longer:")
w("java -jar framework/benchmarks/target/benchmarks.jar EncodingBenchmark -prof gc")
w("# one load run against a server you started yourself (PID for RSS and CPU):")
w("java -cp framework/benchmarks/target/benchmarks.jar dev.starwire.bench.load.ChatLoad \\")
w("    --port 7070 %s --pid <server pid>" % a.equal_args)
w("# the same chat on the Servlet adapter, as scripts/bench starts it (PORT and HOST from the environment):")
w("PORT=7070 java -jar samples/spring-chat/target/spring-chat.jar")
w("PORT=7070 java -cp framework/benchmarks/target/benchmarks.jar dev.starwire.bench.servlet.ServletChat")
w("```")
w("")
w("Build first with `./mvnw -B -DskipTests -pl demo-app,samples/spring-chat,framework/benchmarks -am package`")
w("(the module `framework/benchmarks` is never installed or deployed; its uber jar holds JMH and the load tool).")

text = "\n".join(lines) + "\n"
with open(a.out, "w") as f:
    f.write(text)
# echo the tables to the terminal
print(re.sub(r"\n{3,}", "\n\n", text))
