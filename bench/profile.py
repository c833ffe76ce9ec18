#!/usr/bin/env python3
"""Helpers of scripts/bench-profile: snapshots of a process's threads from /proc, and summaries (Markdown) of
thread CPU, a JFR recording (CPU samples, allocation, GC, locks), native memory tracking and perf output.

  profile.py tasks PID OUT.json                        per-thread CPU and context switches, now
  profile.py threads A.json B.json --events N          CPU by thread group between two snapshots
  profile.py jfr REC.jfr --events N [--jfr TOOL] [--window A.json B.json] [--heap A.txt B.txt]
                                                       what the recording shows, per delivered event
  profile.py perf PERF.DATA --events N --cpu-seconds S  perf samples by activity (kernel included)
  profile.py histogram HISTO.txt --streams N           live heap per open stream (GC.class_histogram)
  profile.py nmt NMT.txt [--brief]                     native memory tracking summary, committed MiB
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys
import time

HZ = 100  # USER_HZ


# ---- /proc ---------------------------------------------------------------------------------------

def tasks(pid):
    out = {"_time": time.time()}
    base = "/proc/%d/task" % pid
    for tid in os.listdir(base):
        try:
            with open("%s/%s/stat" % (base, tid)) as f:
                stat = f.read()
            with open("%s/%s/status" % (base, tid)) as f:
                status = f.read()
        except OSError:
            continue  # the thread ended meanwhile
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        vol = int(re.search(r"voluntary_ctxt_switches:\s+(\d+)", status).group(1))
        nonvol = int(re.search(r"nonvoluntary_ctxt_switches:\s+(\d+)", status).group(1))
        out[tid] = {"name": name, "user": int(fields[11]), "sys": int(fields[12]), "vcs": vol, "ivcs": nonvol}
    return out


GROUPS = [
    (r"^starwire-http", "Jetty pool (selectors, acceptor, requests, write callbacks)"),
    (r"^starwire-write", "Starwire writer pool"),
    (r"^starwire-timer", "Starwire timer"),
    (r"^(GC Thread|G1 |VM Periodic)", "GC (G1 workers, refinement)"),
    (r"^VM Thread", "VM thread (safepoints, GC pauses)"),
    (r"^C[12] CompilerThre", "JIT compilers"),
    (r"^JFR ", "JFR recorder"),
    (r"^main$", "main"),
]


def group(name):
    for rx, label in GROUPS:
        if re.search(rx, name):
            return label
    return "other (%s)" % re.sub(r"[-#]?\d+$", "", name)


def threads_report(a, b, events):
    by = collections.OrderedDict()
    counts = collections.Counter()
    total_user = total_sys = cs = 0
    for tid, t in b.items():
        if tid.startswith("_"):
            continue
        t0 = a.get(tid, {"user": 0, "sys": 0, "vcs": 0, "ivcs": 0})
        g = group(t["name"])
        counts[g] += 1
        du, ds = t["user"] - t0["user"], t["sys"] - t0["sys"]
        dcs = t["vcs"] - t0["vcs"] + t["ivcs"] - t0["ivcs"]
        row = by.setdefault(g, [0, 0, 0])
        row[0] += du
        row[1] += ds
        row[2] += dcs
        total_user += du
        total_sys += ds
        cs += dcs
    total = total_user + total_sys
    lines = ["| thread group | threads | user s | sys s | share of CPU | µs per event | context switches per event |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for g, (u, s, c) in sorted(by.items(), key=lambda kv: -(kv[1][0] + kv[1][1])):
        if u + s == 0 and c == 0:
            continue
        lines.append("| %s | %d | %.2f | %.2f | %.1f %% | %.2f | %.3f |" % (
            g, counts[g], u / HZ, s / HZ, 100.0 * (u + s) / total if total else 0,
            (u + s) / HZ * 1e6 / events if events else 0, c / events if events else 0))
    lines.append("| **all threads alive at the end** | %d | %.2f | %.2f | 100 %% | %.2f | %.3f |" % (
        sum(counts.values()), total_user / HZ, total_sys / HZ, total / HZ * 1e6 / events if events else 0,
        cs / events if events else 0))
    lines.append("")
    lines.append("User %.0f %% / system %.0f %% of the server's CPU in the window (system: the kernel's work for the"
                 " process: socket writes on loopback, epoll, futex wake-ups)." % (
                     100.0 * total_user / total if total else 0, 100.0 * total_sys / total if total else 0))
    return "\n".join(lines)


# ---- JFR -----------------------------------------------------------------------------------------

def jfr_events(tool, rec, names, depth=64):
    cmd = [tool, "print", "--json", "--stack-depth", str(depth), "--events", ",".join(names), rec]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("jfr print failed: " + r.stderr)
    return json.loads(r.stdout)["recording"]["events"]


def frame_name(fr):
    m = fr["method"]
    cls = m["type"]["name"].replace("/", ".")
    return "%s.%s" % (cls, m["name"])


def short(name):
    """org.eclipse.jetty.ee10.servlet.HttpOutput.write -> HttpOutput.write"""
    parts = name.split(".")
    i = len(parts) - 2
    return ".".join(parts[i:]) if i >= 0 else name


def frames(ev):
    st = ev["values"].get("stackTrace")
    return [frame_name(f) for f in st["frames"]] if st else []


def thread_name(ev, key):
    t = ev["values"].get(key) or {}
    return t.get("javaName") or t.get("osName") or "?"


# Inclusive buckets: a sample counts for the first bucket (in this order) whose frame is on its stack.
BUCKETS = [
    ("GC / JFR / VM", [r"^jdk\.jfr\.", r"^jdk\.internal\.event"]),
    ("POST /send-message: fan-out to every outbox (queue the frame, wake = hop to the writer pool)",
     [r"dev\.starwire\.hub\.Topic\.fanOut"]),
    ("HTTP requests through Javalin (the POSTs; the joins, in an idle run): parse, route, handle, answer",
     [r"io\.javalin\.http\.servlet\.JavalinServlet"]),
    ("writer: Jetty write completion re-dispatching onWritePossible",
     [r"HttpOutput\$ChannelWriteCB", r"HttpOutput\$WriteCompleteCB", r"ServletChannel\.handle"]),
    ("writer: drain -> flush (HttpOutput.flush: chunk framing + socket write)", [r"HttpOutput\.flush"]),
    ("writer: drain -> write (HttpOutput.write into the 2 KiB buffer)", [r"HttpOutput\.write"]),
    ("writer: drain -> isReady", [r"HttpOutput\.isReady"]),
    ("writer: drain, rest (outbox poll, locks)", [r"LiveStream\.drain"]),
    ("writer pool: taking tasks (ThreadPoolExecutor.getTask)", [r"ThreadPoolExecutor\.getTask"]),
    ("Jetty selector: selecting, waking writers", [r"ManagedSelector"]),
    ("Jetty pool: queue and thread management", [r"QueuedThreadPool", r"AdaptiveExecutionStrategy"]),
]

KEY_FRAMES = [
    r"dev\.starwire\.hub\.Topic\.fanOut", r"dev\.starwire\.hub\.Subscription\.deliver",
    r"dev\.starwire\.hub\.Outbox\.offer", r"dev\.starwire\.javalin\.LiveStream\.wake",
    r"java\.util\.concurrent\.ThreadPoolExecutor\.execute", r"java\.util\.concurrent\.locks\.LockSupport\.unpark",
    r"dev\.starwire\.javalin\.LiveStream\.drain", r"dev\.starwire\.hub\.Outbox\.poll",
    r"HttpOutput\.write$", r"HttpOutput\.flush$", r"HttpOutput\.isReady$", r"HttpOutput\$ChannelWriteCB",
    r"ServletChannel\.handle$", r"HttpConnection\$SendCallback\.process", r"HttpGenerator\.generateResponse",
    r"ArrayByteBufferPool\.acquire", r"SocketChannelEndPoint\.flush", r"sun\.nio\.ch\.SocketChannelImpl\.write",
    r"SerializedInvoker", r"ManagedSelector", r"ThreadPoolExecutor\.getTask",
]


def bucket(stack):
    for label, rxs in BUCKETS:
        for fr in stack:
            if any(re.search(rx, fr) for rx in rxs):
                return label
    return "other"


def pct(n, total):
    return "%.1f %%" % (100.0 * n / total) if total else "–"


def epoch(iso):
    """JFR's "2026-12-02T00:56:45.565702765Z" as seconds since the epoch"""
    m = re.match(r"(\d+)-(\d+)-(\d+)T(\d+):(\d+):(\d+)(?:\.(\d+))?", iso)
    y, mo, d, h, mi, sec, frac = m.groups()
    import calendar
    return calendar.timegm((int(y), int(mo), int(d), int(h), int(mi), int(sec))) + float("0." + (frac or "0"))


def heap_used(path):
    """bytes in use in the Java heap from `jcmd PID GC.heap_info` (every generation, not metaspace)"""
    used = 0
    for line in open(path):
        if re.match(r"\s*(Metaspace|class space)", line):
            continue
        m = re.search(r"total \d+K, used (\d+)K", line)
        if m:
            used += int(m.group(1)) * 1024
    return used


def jfr_report(tool, rec, events, window=None, heap=None):
    out = []
    w = out.append
    lo, hi = window if window else (0, float("inf"))

    def inside(evs):
        return [e for e in evs if lo <= epoch(e["values"]["startTime"]) <= hi]

    samples = inside(jfr_events(tool, rec, ["jdk.ExecutionSample"]))
    n = len(samples)
    w("**CPU samples** (`jdk.ExecutionSample`, every 10 ms per thread running Java code; time in the kernel and in")
    w("the JVM's own threads, GC and JIT, is not sampled here, see the thread table): %d samples." % n)
    w("")
    by_thread = collections.Counter(group(thread_name(e, "sampledThread")) for e in samples)
    w("| thread group | samples | share |")
    w("|---|---:|---:|")
    for g, c in by_thread.most_common():
        w("| %s | %d | %s |" % (g, c, pct(c, n)))
    w("")
    stacks = [frames(e) for e in samples]
    bk = collections.Counter(bucket(s) for s in stacks)
    w("Where the Java samples are (each sample counted once, in the first matching row):")
    w("")
    w("| activity | samples | share |")
    w("|---|---:|---:|")
    for label, _ in BUCKETS + [("other", None)]:
        if bk[label]:
            w("| %s | %d | %s |" % (label, bk[label], pct(bk[label], n)))
    w("")
    w("Frames on the stack (inclusive; a sample counts for every row whose frame it contains):")
    w("")
    w("| frame | samples | share |")
    w("|---|---:|---:|")
    for rx in KEY_FRAMES:
        c = sum(1 for s in stacks if any(re.search(rx, fr) for fr in s))
        if c:
            w("| `%s` | %d | %s |" % (rx.replace("\\", ""), c, pct(c, n)))
    w("")
    top = collections.Counter(short(s[0]) for s in stacks if s)
    w("Top frames (self time):")
    w("")
    w("| method | samples | share |")
    w("|---|---:|---:|")
    for m, c in top.most_common(20):
        w("| `%s` | %d | %s |" % (m, c, pct(c, n)))
    w("")

    allocs = inside(jfr_events(tool, rec, ["jdk.ObjectAllocationSample"]))
    total = sum(e["values"]["weight"] for e in allocs)
    gcs = inside(jfr_events(tool, rec, ["jdk.GarbageCollection", "jdk.GCHeapSummary", "jdk.GCCPUTime"]))
    if heap:
        # exact: what the heap holds at the end, minus at the start, plus what every collection in between freed
        before = {e["values"]["gcId"]: e["values"]["heapUsed"] for e in gcs
                  if e["type"] == "jdk.GCHeapSummary" and e["values"]["when"] == "Before GC"}
        after = {e["values"]["gcId"]: e["values"]["heapUsed"] for e in gcs
                 if e["type"] == "jdk.GCHeapSummary" and e["values"]["when"] == "After GC"}
        freed = sum(before[i] - after[i] for i in before if i in after)
        exact = heap_used(heap[1]) - heap_used(heap[0]) + freed
        w("**Allocation**: %.1f MB in the window, **%.0f bytes per delivered event** (from the heap's use at both"
          " ends and what the %d collections in between freed); where it comes from, by allocation samples"
          " (`jdk.ObjectAllocationSample`, weights scaled to that total):" % (
              exact / 1e6, exact / events if events else 0, len(after)))
        scale = exact / total if total else 1
    else:
        w("**Allocation** (`jdk.ObjectAllocationSample`, weights summed): %.1f MB in the window, **%.0f bytes per"
          " delivered event**." % (total / 1e6, total / events if events else 0))
        scale = 1
    w("")
    by_class = collections.Counter()
    by_site = collections.Counter()
    by_bucket = collections.Counter()
    for e in allocs:
        v = e["values"]
        wgt = v["weight"] * scale
        by_class[v["objectClass"]["name"].replace("/", ".")] += wgt
        s = frames(e)
        # the first frame outside java.* / jdk.* / sun.*: whose code asked for the memory
        site = next((short(f) for f in s if not re.match(r"(java|jdk|sun)\.", f)), short(s[0]) if s else "?")
        by_site[site] += wgt
        by_bucket[bucket(s)] += wgt
    w("| allocated by (first frame outside the JDK) | bytes per event | share |")
    w("|---|---:|---:|")
    total *= scale
    for m, c in by_site.most_common(15):
        w("| `%s` | %.0f | %s |" % (m, c / events if events else 0, pct(c, total)))
    w("")
    w("| class | bytes per event | share |")
    w("|---|---:|---:|")
    for m, c in by_class.most_common(10):
        w("| `%s` | %.0f | %s |" % (m, c / events if events else 0, pct(c, total)))
    w("")
    w("| activity | bytes per event | share |")
    w("|---|---:|---:|")
    for label, c in by_bucket.most_common():
        w("| %s | %.0f | %s |" % (label, c / events if events else 0, pct(c, total)))
    w("")

    coll = [e for e in gcs if e["type"] == "jdk.GarbageCollection"]
    cpu = [e for e in gcs if e["type"] == "jdk.GCCPUTime"]
    heap = [e for e in gcs if e["type"] == "jdk.GCHeapSummary"]

    def seconds(d):
        """a JFR duration: "PT0.00123S", "PT1M2.5S" or a number of nanoseconds"""
        if isinstance(d, (int, float)):
            return d / 1e9
        m = re.match(r"PT(?:(\d+)M)?([\d.]+)S", d or "")
        return (int(m.group(1) or 0) * 60 + float(m.group(2))) if m else 0

    def dur(e):
        return seconds(e["values"]["duration"])

    def nanos(v):
        return seconds(v)

    names = collections.Counter(e["values"]["name"] for e in coll)
    gc_cpu = sum(nanos(e["values"].get("userTime", 0)) + nanos(e["values"].get("systemTime", 0)) for e in cpu)
    committed = max((e["values"]["heapSpace"]["committedSize"] for e in heap), default=0)
    used_after = [e["values"]["heapUsed"] for e in heap if e["values"]["when"] == "After GC"]
    w("**GC**: %d collections (%s), %.0f ms of pauses in total, %s of GC CPU (`jdk.GCCPUTime`); heap committed up"
      " to %.0f MiB, used after GC %s." % (
          len(coll), ", ".join("%s × %d" % kv for kv in names.most_common()) or "none",
          1000 * sum(dur(e) for e in coll), "%.2f s" % gc_cpu if cpu else "–", committed / 2 ** 20,
          ("%.0f–%.0f MiB" % (min(used_after) / 2 ** 20, max(used_after) / 2 ** 20)) if used_after else "–"))
    w("")

    locks = inside(jfr_events(tool, rec, ["jdk.JavaMonitorEnter", "jdk.ThreadPark"]))
    lk = collections.Counter()
    for e in locks:
        s = frames(e)
        site = next((short(f) for f in s if not re.match(r"(java|jdk|sun)\.", f)), short(s[0]) if s else "?")
        lk[(e["type"].split(".")[-1], site)] += 1
    if lk:
        w("Blocking over the profile's 10 ms threshold (`jdk.JavaMonitorEnter`, `jdk.ThreadPark`, most frequent):")
        w("")
        w("| event | where | count |")
        w("|---|---|---:|")
        for (t, site), c in lk.most_common(8):
            w("| %s | `%s` | %d |" % (t, site, c))
        w("")
    return "\n".join(out)


# ---- perf ----------------------------------------------------------------------------------------

def perf_samples(data):
    """(thread name, [frames leaf first as (symbol, dso)]) per sample of `perf script`"""
    r = subprocess.run(["perf", "script", "-i", data, "-F", "comm,ip,sym,dso"], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("perf script failed: " + r.stderr)
    samples = []
    comm, stack = None, []
    for line in r.stdout.splitlines():
        if not line.strip():
            if comm is not None:
                samples.append((comm, stack))
            comm, stack = None, []
        elif not line.startswith((" ", "\t")):
            comm = line.strip().rstrip(":").strip()
        else:
            m = re.match(r"\s*[0-9a-f]+ (.*) \((.*)\)$", line)
            if m:
                stack.append((re.sub(r"\+0x[0-9a-f]+$", "", m.group(1)), m.group(2)))
    if comm is not None:
        samples.append((comm, stack))
    return samples


PERF_BUCKETS = [
    # (label, test on (thread name, joined symbols))
    ("GC: G1 concurrent refinement (post-write barrier: cards dirtied by reference stores)",
     lambda t, s: t.startswith("G1 Refine") or "G1RemSet::refine_card_concurrently" in s),
    ("GC: collections and other GC threads", lambda t, s: re.match(r"(GC Thread|G1 |VM Thread)", t) is not None),
    ("JIT compilation", lambda t, s: "CompilerThre" in t),
    ("fan-out in the POST: wake each stream (hand-off to the writer pool: queue, unpark)",
     lambda t, s: "Topic.fanOut" in s and ("LiveStream.wake" in s or "ThreadPoolExecutor.execute" in s)),
    ("fan-out in the POST: queue the frame into each outbox (Outbox.offer, its lock, counters)",
     lambda t, s: "Topic.fanOut" in s),
    ("requests (the POSTs, keep-alive timer): parsing, routing, handler, answer",
     lambda t, s: "JavalinServlet" in s or "HttpParser" in s),
    ("writer: socket write system call (kernel: TCP on loopback)",
     lambda t, s: ("LiveStream.drain" in s or "LiveStream.writeWhileReady" in s)
     and re.search(r"do_writev|vfs_writev|tcp_sendmsg|sock_write_iter", s) is not None),
    ("writer: Jetty's send path (chunk framing, callbacks, buffers)",
     lambda t, s: ("LiveStream.drain" in s or "LiveStream.writeWhileReady" in s)
     and re.search(r"SendCallback|HttpGenerator|IteratingCallback|ChannelResponse|HttpStream", s) is not None),
    ("writer: drain loop (outbox poll, write into the buffer, isReady, locks)",
     lambda t, s: "LiveStream.drain" in s or "LiveStream.writeWhileReady" in s),
    ("writer pool: waiting for and taking tasks (park, futex)",
     lambda t, s: "ThreadPoolExecutor.getTask" in s or "LinkedBlockingQueue.take" in s),
    ("Jetty: write-completion callbacks and onWritePossible dispatch",
     lambda t, s: re.search(r"ChannelWriteCB|SerializedInvoker|ServletChannel\.handle|WriteFlusher", s) is not None),
    ("Jetty selector (epoll) and pool", lambda t, s: re.search(r"ManagedSelector|QueuedThreadPool|epoll", s) is not None),
    # the yardstick (LimitChat): one thread does everything
    ("yardstick: socket write system call (kernel: TCP on loopback)",
     lambda t, s: "LimitChat" in s and re.search(r"do_writev|vfs_writev|do_write|tcp_sendmsg", s) is not None),
    ("yardstick: the rest of its loop (select, read, render, Java side of the writes)", lambda t, s: "LimitChat" in s),
]


def perf_report(data, events, cpu_seconds, stat=None):
    samples = perf_samples(data)
    n = len(samples)
    by = collections.Counter()
    kernel = collections.Counter()
    dso = collections.Counter()
    for comm, stack in samples:
        joined = " ".join(sym for sym, _ in stack)
        label = next((lbl for lbl, test in PERF_BUCKETS if test(comm, joined)), "other")
        by[label] += 1
        leaf = stack[0][1] if stack else "?"
        if "kernel" in leaf:
            kernel[label] += 1
        dso["kernel" if "kernel" in leaf else "JIT-compiled and interpreted Java" if "perf-" in leaf
            else "JVM (libjvm.so)" if "libjvm" in leaf else "other native"] += 1
    per = cpu_seconds * 1e6 / events / n if events and n else 0
    out = ["%d samples (every ~2 ms of CPU); µs per event = the server's measured CPU per event × the share." % n,
           "", "| where (leaf) | share | µs per event |", "|---|---:|---:|"]
    for d, c in dso.most_common():
        out.append("| %s | %s | %.2f |" % (d, pct(c, n), c * per))
    out += ["", "| activity (by the frames on the stack) | share | µs per event | of which in the kernel |",
            "|---|---:|---:|---:|"]
    for label, _ in PERF_BUCKETS + [("other", None)]:
        if by[label]:
            out.append("| %s | %s | %.2f | %s |" % (label, pct(by[label], n), by[label] * per,
                                                    pct(kernel[label], by[label])))
    out.append("| **all** | 100 %% | **%.2f** | %s |" % (n * per, pct(sum(kernel.values()), n)))
    if stat and os.path.exists(stat):
        out += ["", "| counted in the same window (`perf stat`) | total | per delivered event |", "|---|---:|---:|"]
        for line in open(stat):
            f = line.strip().split(",")
            if len(f) > 2 and f[0].replace(".", "").isdigit() and f[2] != "task-clock":
                out.append("| %s | %s | %.3f |" % (f[2].replace("syscalls:sys_enter_", "system call "),
                                                   "{:,}".format(int(float(f[0]))),
                                                   float(f[0]) / events if events else 0))
    return "\n".join(out)


# ---- NMT -----------------------------------------------------------------------------------------

def nmt_brief(path):
    """total committed MiB (heap / class / thread / code / GC / the rest), for one table cell"""
    text = open(path).read()
    total = re.search(r"Total: reserved=(\d+)KB, committed=(\d+)KB", text)
    if not total:
        return "?"
    rows = {name.strip(): int(c) / 1024 for name, _, c in
            re.findall(r"-\s+([A-Za-z ]+?) \(reserved=(\d+)KB, committed=(\d+)KB\)", text)}
    parts = [rows.get(k, 0) for k in ("Java Heap", "Class", "Thread", "Code", "GC")]
    t = int(total.group(2)) / 1024
    return "%.0f (%s / %.0f)" % (t, " / ".join("%.0f" % x for x in parts), t - sum(parts))


def nmt_report(path):
    text = open(path).read()
    total = re.search(r"Total: reserved=(\d+)KB, committed=(\d+)KB", text)
    rows = re.findall(r"-\s+([A-Za-z ]+?) \(reserved=(\d+)KB, committed=(\d+)KB\)", text)
    threads = re.search(r"\(thread #(\d+)\)", text)
    stacks = re.search(r"\(stack: reserved=(\d+)KB, committed=(\d+)KB\)", text)
    out = ["| NMT category | committed MiB |", "|---|---:|"]
    for name, _, committed in sorted(rows, key=lambda r: -int(r[2])):
        if int(committed) >= 1024:
            out.append("| %s | %.1f |" % (name.strip(), int(committed) / 1024))
    if total:
        out.append("| **total committed** (reserved %.0f MiB) | **%.1f** |" % (int(total.group(1)) / 1024,
                                                                              int(total.group(2)) / 1024))
    if threads:
        out.append("")
        out.append("%s threads; their stacks: %.1f MiB committed (touched pages; %.0f MiB reserved)." % (
            threads.group(1), int(stacks.group(2)) / 1024 if stacks else 0,
            int(stacks.group(1)) / 1024 if stacks else 0))
    return "\n".join(out)


def histogram_report(path, streams):
    """the largest classes of a GC.class_histogram (taken after a full GC), per open stream"""
    rows = re.findall(r"^\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)", open(path).read(), re.M)
    total = sum(int(b) for _, b, _ in rows)
    out = ["Live heap %.1f MiB, %.0f bytes per open stream (everything live divided by the streams, the app's"
           " own state included)." % (total / 2 ** 20, total / streams if streams else 0), "",
           "| class | instances per stream | bytes per stream |", "|---|---:|---:|"]
    for inst, b, name in rows[:15]:
        out.append("| `%s` | %.1f | %.0f |" % (name, int(inst) / streams, int(b) / streams))
    return "\n".join(out)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("tasks")
    t.add_argument("pid", type=int)
    t.add_argument("out")
    th = sub.add_parser("threads")
    th.add_argument("a")
    th.add_argument("b")
    th.add_argument("--events", type=int, default=0)
    j = sub.add_parser("jfr")
    j.add_argument("rec")
    j.add_argument("--events", type=int, default=0)
    j.add_argument("--jfr", default="jfr")
    j.add_argument("--window", nargs=2, metavar=("START.json", "END.json"),
                   help="only events between two `tasks` snapshots")
    j.add_argument("--heap", nargs=2, metavar=("START.txt", "END.txt"),
                   help="GC.heap_info at both ends of the window, for the exact bytes allocated")
    pf = sub.add_parser("perf")
    pf.add_argument("data")
    pf.add_argument("--events", type=int, default=0)
    pf.add_argument("--cpu-seconds", type=float, default=0)
    pf.add_argument("--stat", help="output of perf stat -x, for the same window")
    h = sub.add_parser("histogram")
    h.add_argument("path")
    h.add_argument("--streams", type=int, default=1)
    n = sub.add_parser("nmt")
    n.add_argument("path")
    n.add_argument("--brief", action="store_true")
    a = p.parse_args()
    if a.cmd == "tasks":
        with open(a.out, "w") as f:
            json.dump(tasks(a.pid), f)
    elif a.cmd == "threads":
        print(threads_report(json.load(open(a.a)), json.load(open(a.b)), a.events))
    elif a.cmd == "jfr":
        window = [json.load(open(x))["_time"] for x in a.window] if a.window else None
        print(jfr_report(a.jfr, a.rec, a.events, window, a.heap))
    elif a.cmd == "histogram":
        print(histogram_report(a.path, a.streams))
    elif a.cmd == "perf":
        print(perf_report(a.data, a.events, a.cpu_seconds, a.stat))
    elif a.cmd == "nmt":
        print(nmt_brief(a.path) if a.brief else nmt_report(a.path))


if __name__ == "__main__":
    main()
