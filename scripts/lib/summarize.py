"""Adds up the JUnit XML reports of every suite and the outcome of every non-test step into the
closing `N passed, N failed` line CI reads."""

import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def count(path: Path) -> tuple[int, int, int]:
    passed = failed = skipped = 0
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError:
        return 0, 1, 0
    for case in root.iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        elif case.find("skipped") is not None:
            skipped += 1
        else:
            passed += 1
    return passed, failed, skipped


def main() -> int:
    results = Path(sys.argv[1])
    steps = Path(sys.argv[2])
    tp = tf = ts = 0
    for xml in sorted(results.glob("*.xml")):
        p, f, s = count(xml)
        print(f"  {xml.stem:<24} {p:>4} passed {f:>3} failed {s:>3} skipped")
        tp, tf, ts = tp + p, tf + f, ts + s
    # steps file: one line per step, "ok NAME" or "fail NAME"
    for line in steps.read_text().splitlines() if steps.exists() else []:
        status, _, name = line.partition(" ")
        print(f"  step {name:<19} {status}")
        if status == "ok":
            tp += 1
        else:
            tf += 1
    print(f"{tp} passed, {tf} failed, {ts} skipped")
    return 1 if tf else 0


if __name__ == "__main__":
    sys.exit(main())
