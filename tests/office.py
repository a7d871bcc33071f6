"""LibreOffice headless, the office suite most of our readers open a DOCX with.

Each conversion runs in a profile of its own (a fresh ``UserInstallation``): a LibreOffice
already running on the machine, or another test process, would otherwise take the request.
"""

import shutil
import subprocess
from pathlib import Path

from tests.conftest import need_or_skip

TIMEOUT = 180  # seconds; the first start of a profile is slow on a busy machine


def soffice() -> str:
    found = shutil.which("soffice")
    need_or_skip(
        found is not None,
        "LibreOffice is not installed (apt-get install libreoffice-writer-nogui)",
    )
    return found


def convert(source: Path, to: str, workdir: Path) -> Path:
    """Convert ``source`` with LibreOffice to the format ``to`` (html, pdf...); the result."""
    profile = workdir / "lo-profile"
    out = workdir / "lo-out"
    out.mkdir(exist_ok=True)
    result = subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            to,
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    converted = out / f"{source.name.rsplit('.', 1)[0]}.{to.split(':')[0]}"
    assert converted.exists(), result.stdout + result.stderr
    return converted
