#!/usr/bin/env python3
"""Measures teaser summaries on saved feeds (issue 14's goal figures).

Usage: scripts/measure_teasers.py FOLDER [--sokbo target/release/sokbo] [--full-text]

Every *.xml / *.rss / *.atom file in FOLDER is served on 127.0.0.1 and run through
`sokbo preview --json` (with `full_text = "never"` unless --full-text is given, which fetches
the real article pages). For each item it reports whether the summary is free of residue and,
where the feed's teaser holds a complete sentence before its cut, whether the summary ends
with a complete sentence. Prints per-feed and overall figures; lists the failures with -v.
"""
import argparse
import functools
import html
import http.server
import json
import pathlib
import re
import subprocess
import sys
import tempfile
import threading
import xml.etree.ElementTree as ET

RESIDUE = [
    r"···", r"\.\.$", r"\.\.\.$", r"⋯", r"‥", r"…\s*…", r"\[본 기사", r"기사입니다\]",
    r"/\s?사진\s?=", r"\(사진\s?=", r"\[사진", r"\[포토", r"기자\s*\(", r"\S+@\S+\.\w+", r"▲",
    r"<!--", r"&lt;|&gt;|&amp;|&quot;", r"＜", r"\((Reuters|AP|AFP|Yonhap|Bloomberg)\)\s*[-—–]",
    r"(기자|특파원)\s*=", r"재판매", r"무단\s?전재", r"\w+\(\s+\)", r"<[a-zA-Z/]",
]
RESIDUE_RE = re.compile("|".join(RESIDUE))
CUT_END = re.compile(r"(…|\.\.\.?|···|⋯|‥|\[…\])\s*$")
TERMINATED = re.compile(r"[.?!。？！][\"'”’)\]」』]*$")
SENTENCE_BEFORE_CUT = re.compile(r"[다요죠음임함]\.[\"'”’]?\s|[.?!][\"'”’]?\s+\S")


def plain(text):
    text = re.sub(r"<[^>]*>", " ", text or "")
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def items(path):
    """(link, teaser text) of each item of the feed file."""
    root = ET.parse(path).getroot()
    out = []
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag not in ("item", "entry"):
            continue
        link, text = None, ""
        for child in el:
            name = child.tag.rsplit("}", 1)[-1]
            if name == "link":
                link = (child.text or child.get("href") or "").strip() or link
            elif name in ("description", "summary"):
                text = child.text or ""
        out.append((link, plain(text)))
    return out


def serve(folder):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def preview(sokbo, url, full_text):
    with tempfile.TemporaryDirectory() as tmp:
        config = pathlib.Path(tmp) / "config.toml"
        mode = "auto" if full_text else "never"
        config.write_text(
            f'[bot]\ndata_dir = "{tmp}/data"\n\n[[feeds]]\nname = "m"\nurl = "{url}"\n'
            f'full_text = "{mode}"\n'
        )
        run = subprocess.run(
            [sokbo, "preview", "--json", "--config", str(config), url],
            capture_output=True, text=True, check=True,
        )
    return [json.loads(line) for line in run.stdout.splitlines() if line.strip()]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", type=pathlib.Path)
    ap.add_argument("--sokbo", default="target/release/sokbo")
    ap.add_argument("--full-text", action="store_true")
    ap.add_argument("-v", action="store_true")
    args = ap.parse_args()
    server = serve(args.folder)
    port = server.server_address[1]
    totals = [0, 0, 0, 0]
    for path in sorted(args.folder.iterdir()):
        if path.suffix not in (".xml", ".rss", ".atom"):
            continue
        teasers = dict(items(path))
        alerts = preview(args.sokbo, f"http://127.0.0.1:{port}/{path.name}", args.full_text)
        n = clean = had = ended = 0
        for alert in alerts:
            summary, teaser = alert["summary"], teasers.get(alert["link"], "")
            n += 1
            residue = RESIDUE_RE.search(summary)
            clean += residue is None
            if CUT_END.search(teaser) and SENTENCE_BEFORE_CUT.search(teaser):
                had += 1
                ok = bool(TERMINATED.search(summary))
                ended += ok
                if not ok and args.v:
                    print(f"  not a sentence: {summary!r}\n    teaser: {teaser!r}")
            if residue and args.v:
                print(f"  residue {residue.group(0)!r}: {summary!r}")
        print(f"{path.name}: {n} items, residue-free {clean}/{n}, "
              f"complete sentence {ended}/{had} where the teaser had one")
        for i, v in enumerate((n, clean, had, ended)):
            totals[i] += v
    n, clean, had, ended = totals
    pct = lambda a, b: 100.0 * a / b if b else 0.0
    print(f"all: {n} items, residue-free {pct(clean, n):.1f}%, "
          f"complete sentence {pct(ended, had):.1f}% ({ended}/{had})")
    server.shutdown()


if __name__ == "__main__":
    sys.exit(main())
