"""Maintain the translation sources (developer tool, not used at run time).

    python -m ui.i18n.tool update AREA ui/a.py ui/b.py   # extract tr() strings into zh_CN/AREA.ts
    python -m ui.i18n.tool fill AREA pairs.tsv           # set translations: English<TAB>中文 per line
    python -m ui.i18n.tool missing [AREA]                # list strings without a finished translation
    python -m ui.i18n.tool build                         # compile ui/i18n/balancesheet_zh_CN.qm

Escapes in pairs.tsv: \\n for a newline, \\t for a tab.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET  # our own files only; never used on user input
from pathlib import Path

from ui.i18n import TS_DIR, compile_translations, ts_files


def lupdate() -> str:
    exe = Path(sys.executable).with_name("pyside6-lupdate")
    return str(exe) if exe.exists() else (shutil.which("pyside6-lupdate") or "pyside6-lupdate")


def update(area: str, sources: list[str]) -> Path:
    ts = TS_DIR / f"{area}.ts"
    subprocess.run([lupdate(), "-no-obsolete", "-locations", "none", *sources, "-ts", str(ts),
                    "-source-language", "en", "-target-language", "zh_CN"], check=True)
    return ts


def _unescape(text: str) -> str:
    return text.replace("\\n", "\n").replace("\\t", "\t")


def fill(area: str, pairs_file: str) -> int:
    ts = TS_DIR / f"{area}.ts"
    pairs: dict[str, str] = {}
    for line in Path(pairs_file).read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            source, target = line.split("\t", 1)
            pairs[_unescape(source)] = _unescape(target)
    tree = ET.parse(ts)
    done = 0
    for message in tree.iter("message"):
        source = message.findtext("source") or ""
        if source in pairs:
            tr = message.find("translation")
            if tr is None:
                tr = ET.SubElement(message, "translation")
            tr.text = pairs[source]
            tr.attrib.pop("type", None)
            done += 1
    ET.indent(tree)
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    return done


def missing(area: str | None = None) -> list[tuple[str, str, str]]:
    out = []
    for ts in ts_files():
        if area and ts.stem != area:
            continue
        for context in ET.parse(ts).getroot().iter("context"):
            name = context.findtext("name") or ""
            for message in context.iter("message"):
                tr = message.find("translation")
                if tr is None or tr.get("type") in ("unfinished", "vanished", "obsolete") or not (tr.text or "").strip():
                    if tr is not None and tr.get("type") in ("vanished", "obsolete"):
                        continue
                    out.append((ts.stem, name, message.findtext("source") or ""))
    return out


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    cmd, rest = argv[0], argv[1:]
    if cmd == "update":
        print(update(rest[0], rest[1:]))
    elif cmd == "fill":
        print(f"{fill(rest[0], rest[1])} messages translated")
    elif cmd == "missing":
        gaps = missing(rest[0] if rest else None)
        for area, context, source in gaps:
            print(f"{area}\t{context}\t{source!r}")
        return 1 if gaps else 0
    elif cmd == "build":
        print(compile_translations())
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
