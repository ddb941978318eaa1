"""Run pip-audit on the project's environment and judge the result.

Fails on any vulnerability not listed (with a reason) in .ci/pip-audit-reviewed.txt.
When the vulnerability database cannot be reached (no network, or a mirror without the JSON
API), pip-audit skips every package: that is said plainly and does not fail the run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REVIEWED = Path(__file__).with_name("pip-audit-reviewed.txt")


def reviewed_ids() -> set[str]:
    """Vulnerability ids a person has looked at: 'ID  reason' per line, # for comments."""
    lines = REVIEWED.read_text().splitlines() if REVIEWED.exists() else []
    return {line.split()[0] for line in lines if line.strip() and not line.startswith("#")}


def main() -> int:
    cmd = [sys.executable, "-m", "pip_audit", "--skip-editable", "--progress-spinner", "off",
           "--format", "json", "--timeout", "20"]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)  # noqa: S603
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        print("pip-audit: UNAVAILABLE - could not reach the vulnerability database; not failing.")
        print("  " + (run.stderr.strip().splitlines() or ["(no message)"])[-1])
        return 0
    deps = report.get("dependencies", [])
    skipped = [d for d in deps if d.get("skip_reason")]
    audited = [d for d in deps if not d.get("skip_reason")]
    if deps and not audited:
        print(f"pip-audit: UNAVAILABLE - the vulnerability database did not answer for any of "
              f"{len(deps)} packages (e.g. {skipped[0]['skip_reason']}); not failing.")
        return 0
    allowed = reviewed_ids()
    found = [(d["name"], d["version"], v["id"], v.get("fix_versions", []),
              {v["id"], *v.get("aliases", [])}) for d in audited for v in d.get("vulns", [])]
    new = [f for f in found if not f[4] & allowed]
    for name, version, vid, fixes, ids in found:
        mark = "reviewed" if ids & allowed else "NEW"
        print(f"  {mark}: {name} {version} {vid} (fixed in {', '.join(fixes) or 'no release'})")
    print(f"pip-audit: {len(audited)} packages audited, {len(skipped)} skipped, "
          f"{len(found)} finding(s), {len(new)} unreviewed.")
    return 1 if new else 0


if __name__ == "__main__":
    sys.exit(main())
