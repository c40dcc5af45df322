"""axe-core, the accessibility engine, run inside the browser tests.

axe-core comes from the npm registry, pinned by version and by the registry's own sha512
integrity, and is installed by `python -m tests.browser.axe` (the fixture does it on first use)
into tests/browser/vendor/, which git ignores. Why not commit the 600 kB minified file: it
would be a second copy of a registry package to keep in step by hand; the registry is reachable
from every machine and CI run of the project, `npm pack` is its ordinary client, and the
integrity check makes the download exactly the file pinned here. Its licence, MPL-2.0, is
installed beside it.
"""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VERSION = "4.11.0"
INTEGRITY = (  # `npm view axe-core@4.11.0 dist.integrity`
    "sha512-ilYanEU8vxxBexpJd8cWM4ElSQq4QctCLKih0TSfjIfCQTeyH/6zVrmIJfLPrKTKJRbiG+cfnZbQIjAlJmF1jQ=="
)
VENDOR = Path(__file__).parent / "vendor"
SCRIPT = VENDOR / "axe.min.js"
LICENCE = VENDOR / "axe-core.LICENSE"
FAILING_IMPACTS = ("serious", "critical")


def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def install() -> Path:
    """Fetch axe-core VERSION with npm, check it against INTEGRITY, keep axe.min.js."""
    if SCRIPT.exists() and (VENDOR / "VERSION").read_text().strip() == VERSION:
        return SCRIPT
    VENDOR.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["npm", "pack", f"axe-core@{VERSION}", "--pack-destination", tmp, "--silent"],
            check=True,
            capture_output=True,
        )
        tarball = Path(tmp) / f"axe-core-{VERSION}.tgz"
        if _integrity(tarball.read_bytes()) != INTEGRITY:
            raise RuntimeError(f"axe-core {VERSION}: the download does not match its integrity")
        with tarfile.open(tarball) as archive:
            SCRIPT.write_bytes(archive.extractfile("package/axe.min.js").read())
            LICENCE.write_bytes(archive.extractfile("package/LICENSE").read())
    (VENDOR / "VERSION").write_text(VERSION + "\n")
    return SCRIPT


def violations(page, impacts: tuple[str, ...] = FAILING_IMPACTS) -> list[str]:
    """axe's violations of the page as it is now, of these impacts, one line each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the browser's debugging protocol, which a page's Content Security
        # Policy does not govern: a <script> tag would be refused by a policy without inline.
        page.evaluate(install().read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['impact']}: {v['id']} — {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"]
        if v["impact"] in impacts
    ]


if __name__ == "__main__":
    print(install())
    sys.exit(0)
