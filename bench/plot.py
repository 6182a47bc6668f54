#!/usr/bin/python3
"""bench/plot.py OUT_DIR: the benchmark's pictures and summary from its YAML files.

Reads OUT_DIR/growth.yaml and compare.yaml (bench/analysis.sh), relink.yaml (bench/relink.sh) and
rebuild.yaml (bench/rebuild.sh); writes growth.svg, compare.svg, relink.svg, rebuild.svg and
summary.md (a table per section, with the ratios). A missing YAML leaves its picture out and its
section says so (bench/run.sh itself refuses to skip a part); the exit status is then 1.

Debian's python3-matplotlib and python3-yaml (run with /usr/bin/python3, not another Python).
"""
import os
import sys

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend is chosen first)
import yaml  # noqa: E402

# Same inputs, same SVG bytes: no date, fixed ids, text kept as text (smaller, searchable).
plt.rcParams.update({"svg.hashsalt": "osv-specialize-bench", "svg.fonttype": "none",
                     "font.size": 9, "axes.titlesize": 10, "figure.titlesize": 12})
SVG_METADATA = {"Date": None, "Creator": "osv-specialize bench/plot.py"}
HELPER, LIMIT, OTHER = "#1f77b4", "#2ca02c", "#7f7f7f"


def load(out_dir, name):
    path = os.path.join(out_dir, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return yaml.safe_load(f)


def machine(document):
    """The machine the numbers come from: the YAML's own 'machine' field (with the load while that part
    ran), else this one's cores and CPU model."""
    if document.get("machine"):
        return str(document["machine"])
    model = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} cores, {model}"


def save(fig, out_dir, name, footnote):
    fig.text(0.01, 0.01, f"Machine: {footnote}. One run of bench/run.sh; ratios matter, absolute times vary.",
             fontsize=7, color="#555555")
    fig.savefig(os.path.join(out_dir, name), metadata=SVG_METADATA)
    plt.close(fig)


def fmt_int(value):
    return f"{int(value):,}"


def fmt_ratio(value):
    return "–" if value is None else f"{value:.2f}×"


def short_ratio(value):
    """For labels on a picture: few digits."""
    if value is None:
        return "–"
    return f"{value:.0f}×" if value >= 10 else f"{value:.1f}×"


def ratio(a, b):
    return None if not b else a / b


def cpu_ratio(point):
    """A growth point's CPU ratio: the median of its rounds' ratios where the run wrote it (the helper
    and the limit measured back to back), else the ratio of the two medians (older runs)."""
    return point.get("cpu_ratio", ratio(point["helper"]["cpu_seconds"], point["limit"]["cpu_seconds"]))


# --- growth: the helper against the minimal libelf program as the number of files grows ---------

def plot_growth(growth, out_dir, footnote):
    points = growth["points"]
    files = [p["files"] for p in points]
    fig, axes = plt.subplots(1, 3, figsize=(12, 4.2))
    fig.suptitle(f"Symbol analysis of 1 … {files[-1]:,} files of {growth.get('folder', 'a library folder')}"
                 " — lower is better")
    panels = [("cpu_seconds", "CPU time (s)", True), ("us_per_file", "CPU time per file (µs)", True),
              ("peak_rss_kb", "peak memory (MB)", False)]
    for ax, (key, label, log_y) in zip(axes, panels):
        scale = 1 / 1024 if key == "peak_rss_kb" else 1
        for who, name, color in (("helper", "osv-symbols", HELPER), ("limit", "limit (minimal libelf)", LIMIT)):
            ax.plot(files, [p[who][key] * scale for p in points], "o-", color=color, label=name)
        ax.set_xscale("log")
        if log_y:
            ax.set_yscale("log")
        ax.set_xlabel("ELF files analysed (log scale)")
        ax.set_title(label)
        ax.grid(True, which="major", alpha=0.3)
    last = points[-1]
    for ax, key, scale in ((axes[0], "cpu_seconds", 1), (axes[2], "peak_rss_kb", 1 / 1024)):
        value = cpu_ratio(last) if key == "cpu_seconds" else ratio(last["helper"][key], last["limit"][key])
        ax.annotate(f"{short_ratio(value)} the limit",
                    (files[-1], last["helper"][key] * scale), textcoords="offset points", xytext=(-8, 0),
                    ha="right", va="center", fontsize=8, color=HELPER)
    axes[0].legend(loc="upper left")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    save(fig, out_dir, "growth.svg", footnote)


def summary_growth(growth):
    lines = [f"Folder: `{growth.get('folder', '?')}`. CPU ratio: the median of the rounds' ratios (osv-symbols and "
             "the limit measured back to back in each round), where the run recorded it.", "",
             "| files | bytes | osv-symbols CPU s | limit CPU s | CPU ratio | osv-symbols µs/file | "
             "osv-symbols peak MB | limit peak MB | memory ratio |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for p in growth["points"]:
        h, l = p["helper"], p["limit"]
        lines.append(f"| {fmt_int(p['files'])} | {fmt_int(p['bytes'])} | {h['cpu_seconds']:.3f} | {l['cpu_seconds']:.3f} "
                     f"| {fmt_ratio(cpu_ratio(p))} | {h['us_per_file']:.0f} "
                     f"| {h['peak_rss_kb'] / 1024:.1f} | {l['peak_rss_kb'] / 1024:.1f} "
                     f"| {fmt_ratio(ratio(h['peak_rss_kb'], l['peak_rss_kb']))} |")
    return lines


# --- compare: the helper against other ways to get the same names, per input set ----------------

def plot_compare(compare, out_dir, footnote):
    sets = compare["sets"]
    tools = [t["name"] for t in sets[0]["tools"]]
    width = 0.8 / len(tools)
    fig, ax = plt.subplots(figsize=(12, 4.8))
    colors = {tools[0]: HELPER}
    palette = [LIMIT, "#ff7f0e", "#d62728", "#9467bd", OTHER]
    for i, tool in enumerate(tools[1:]):
        colors[tool] = palette[i % len(palette)]
    for i, tool in enumerate(tools):
        xs, ys, labels = [], [], []
        for j, s in enumerate(sets):
            entry = next((t for t in s["tools"] if t["name"] == tool), None)
            if entry is None:
                continue
            xs.append(j + (i - (len(tools) - 1) / 2) * width)
            ys.append(entry["cpu_seconds"])
            labels.append(short_ratio(entry.get("cpu_ratio_to_limit")))
        bars = ax.bar(xs, ys, width, label=tool, color=colors[tool])
        ax.bar_label(bars, labels=labels, fontsize=7, padding=2)
    ax.set_yscale("log")
    ax.set_ylabel("CPU time (s, log scale)")
    ax.set_xticks(range(len(sets)), [f"{s['name']}\n({fmt_int(s['files'])} files)" for s in sets])
    ax.set_title("Finding an app's needed symbols: CPU time per tool — lower is better "
                 "(labels: × the minimal libelf limit)")
    ax.legend(fontsize=8)
    ax.grid(True, axis="y", which="major", alpha=0.3)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    save(fig, out_dir, "compare.svg", footnote)


def summary_compare(compare):
    lines = ["osv-symbols' CPU × limit: the median of its rounds' ratios to the limit (measured back to back); "
             "the other tools': their median CPU time over the limit's.", ""]
    for s in compare["sets"]:
        lines += [f"**{s['name']}** ({fmt_int(s['files'])} files)", "",
                  "| tool | CPU s | wall s | peak MB | names | CPU × limit |", "|---|---:|---:|---:|---:|---:|"]
        for t in s["tools"]:
            names = t.get("names")
            lines.append(f"| {t['name']} | {t['cpu_seconds']:.3f} | {t['wall_seconds']:.3f} | "
                         f"{t['peak_rss_kb'] / 1024:.1f} | {'–' if names is None else fmt_int(names)} | "
                         f"{fmt_ratio(t.get('cpu_ratio_to_limit'))} |")
        lines.append("")
    return lines[:-1]


# --- relink: linkers and input kinds, per kernel ---------------------------------------------------

def plot_relink(relink, out_dir, footnote):
    kernels = relink["kernels"]
    fig, axes = plt.subplots(1, len(kernels), figsize=(max(9, 6 * len(kernels)), 4.6), squeeze=False)
    fig.suptitle(f"Relinking a kernel for {relink.get('app', 'hello')}: link time — lower is better\n"
                 "(labels: seconds, and × the time of ld.bfd on the original inputs)")
    for ax, kernel in zip(axes[0], kernels):
        linkers = list(dict.fromkeys(r["linker"] for r in kernel["runs"]))
        for i, (inputs, color) in enumerate((("original", OTHER), ("stripped", HELPER))):
            runs = {r["linker"]: r for r in kernel["runs"] if r["inputs"] == inputs}
            xs = [j + (i - 0.5) * 0.38 for j in range(len(linkers))]
            bars = ax.bar(xs, [runs[l]["seconds"] for l in linkers], 0.38, color=color,
                          label=f"{inputs} inputs" + (" (debug-stripped, cached)" if inputs == "stripped" else ""))
            ax.bar_label(bars, labels=[f"{runs[l]['seconds']:.3f} s\n{short_ratio(runs[l]['ratio_to_bfd_original'])}"
                                       for l in linkers], fontsize=7, padding=2)
        sizes = {r["linker"]: r["kernel_bytes"] for r in kernel["runs"] if r["inputs"] == "stripped"}
        ax.set_xticks(range(len(linkers)), [f"{l}\nkernel {fmt_int(sizes[l])} B" for l in linkers])
        ax.set_ylabel("link time (s)")
        ax.set_ylim(0, max(r["seconds"] for r in kernel["runs"]) * 1.35)
        ax.set_title(f"{kernel['name']}: {fmt_int(kernel['inputs_count'])} inputs, generic kernel "
                     f"{fmt_int(kernel['generic_kernel_bytes'])} B")
        ax.legend(fontsize=7, loc="upper right")
        ax.grid(True, axis="y", alpha=0.3)
    if relink.get("real_kernel_skipped"):
        fig.text(0.5, 0.06, f"Real kernel skipped: {relink['real_kernel_skipped']}", ha="center", fontsize=7)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    save(fig, out_dir, "relink.svg", footnote)


def summary_relink(relink):
    lines = [f"App: `{relink.get('app', '?')}`. Timing: {relink.get('timing', '?')}.", ""]
    if relink.get("real_kernel_skipped"):
        lines += [f"Real kernel skipped: {relink['real_kernel_skipped']}.", ""]
    for kernel in relink["kernels"]:
        lines += [f"**{kernel['name']}**: {fmt_int(kernel['inputs_count'])} link inputs "
                  f"({fmt_int(kernel.get('inputs_bytes', 0))} B; the debug-stripped copies of its objects and archives "
                  f"{fmt_int(kernel.get('stripped_copies_bytes', 0))} B), generic kernel "
                  f"{fmt_int(kernel['generic_kernel_bytes'])} B, {kernel.get('exports', '?')} exports for the app."
                  + (f" Note: {kernel['note']}." if kernel.get("note") else ""), "",
                  "| linker | inputs | link s | whole relink s | kernel bytes | link time × ld.bfd original |",
                  "|---|---|---:|---:|---:|---:|"]
        for r in kernel["runs"]:
            lines.append(f"| {r['linker']} | {r['inputs']} | {r['seconds']:.3f} | {r.get('wall_seconds', 0):.3f} | "
                         f"{fmt_int(r['kernel_bytes'])} | {fmt_ratio(r['ratio_to_bfd_original'])} |")
        lines.append("")
    return lines[:-1]


# --- rebuild: what an incremental build of the examples project costs ---------------------------

REBUILDS = (("no-op", "noop"), ("edit, same imports", "touch_same_imports"), ("edit, new import", "new_import"))


def rebuild_rows(rebuild):
    rows = [("first build", rebuild["first_build_seconds"], rebuild.get("first_build_relinks"), None)]
    for label, key in REBUILDS:
        step = rebuild[key]
        rows.append((label, step["seconds"], step["relinks"], step.get("expected_relinks")))
    return rows


def plot_rebuild(rebuild, out_dir, footnote):
    rows = rebuild_rows(rebuild)
    fig, ax = plt.subplots(figsize=(8, 4.4))
    colors = [OTHER] + [HELPER] * (len(rows) - 1)
    names = ["first build\n(compiles osv-symbols too)"] + [r[0] for r in rows[1:]]
    bars = ax.bar(names, [r[1] for r in rows], color=colors)
    ax.bar_label(bars, labels=[f"{r[1]:.2f} s\n{r[2]} relink{'s' if r[2] != 1 else ''}"
                               + (f" (expected {r[3]})" if r[3] is not None else "") for r in rows],
                 fontsize=8, padding=2)
    ax.set_yscale("log")
    ax.set_ylabel("build time (s, log scale)")
    ax.set_ylim(min(r[1] for r in rows) / 2, max(r[1] for r in rows) * 4)
    ax.set_title(f"examples project ({rebuild.get('kernels', '?')} kernels, {rebuild.get('generator', 'Ninja')}, test "
                 "kernel): build time — lower is better;\na kernel is relinked only when its app's imports change")
    ax.grid(True, axis="y", alpha=0.3)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    save(fig, out_dir, "rebuild.svg", footnote)


def summary_rebuild(rebuild):
    lines = [f"Project `{rebuild.get('project', 'examples')}` ({rebuild.get('kernels', '?')} kernels), "
             f"{rebuild.get('generator', '?')}, configure {rebuild.get('configure_seconds', 0):.2f} s; the first build "
             f"includes {rebuild.get('first_build_includes', '?')}.", "",
             "| build | seconds | relinks | expected | seconds × no-op |", "|---|---:|---:|---:|---:|"]
    noop = rebuild["noop"]["seconds"]
    for label, seconds, relinks, expected in rebuild_rows(rebuild):
        lines.append(f"| {label} | {seconds:.2f} | {relinks} | {'–' if expected is None else expected} | "
                     f"{fmt_ratio(ratio(seconds, noop))} |")
    if rebuild.get("failures"):
        lines += ["", "**Failed:** " + "; ".join(rebuild["failures"])]
    return lines


SECTIONS = (
    ("growth.yaml", "Growth: symbol analysis from 1 file to a whole library folder", "growth.svg", plot_growth,
     summary_growth, "bench/analysis.sh"),
    ("compare.yaml", "Against other tools", "compare.svg", plot_compare, summary_compare, "bench/analysis.sh"),
    ("relink.yaml", "Relink: ld.bfd, ld.lld, ld.lld+ICF; debug-stripped and original inputs", "relink.svg",
     plot_relink, summary_relink, "bench/relink.sh"),
    ("rebuild.yaml", "Rebuilds of the CMake examples project", "rebuild.svg", plot_rebuild, summary_rebuild,
     "bench/rebuild.sh"),
)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: bench/plot.py OUT_DIR")
    out_dir = sys.argv[1]
    documents = {name: load(out_dir, name) for name, *_ in SECTIONS}
    summary = ["# Benchmark summary", "",
               "Written by `bench/run.sh` (`bench/plot.py` from the YAML files beside this one); every ratio compares "
               "two numbers of the same run. Lower is better everywhere.", ""]
    missing = []
    for name, title, picture, plot, summarize, producer in SECTIONS:
        summary += [f"## {title}", ""]
        document = documents[name]
        if document is None:
            missing.append(name)
            summary += [f"Not measured in this run: no `{name}` (written by `{producer}`).", ""]
            continue
        footnote = machine(document)
        plot(document, out_dir, footnote)
        summary += [f"![{title}]({picture})", "", f"Machine: {footnote}.", ""] + summarize(document) + [""]
    with open(os.path.join(out_dir, "summary.md"), "w") as f:
        f.write("\n".join(summary))
    print(f"bench/plot.py: wrote {out_dir}/summary.md and the pictures"
          + (f"; missing: {', '.join(missing)}" if missing else ""), file=sys.stderr)
    sys.exit(1 if missing else 0)


if __name__ == "__main__":
    main()
