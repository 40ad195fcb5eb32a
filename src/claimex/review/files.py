"""Writing an output file whole or not at all: a temporary file beside it, then a rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from claimex.errors import ClaimexError


@contextlib.contextmanager
def replaced_atomically(target: Path) -> Iterator[Path]:
    """Yield a temporary path in target's folder; on success it replaces target.

    On any failure the temporary file is removed and target is left as it was. An
    unwritable folder is one clear error before any work is done.
    """
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise ClaimexError(f"{target}: is a directory, give a file name")
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ClaimexError(f"{target}: cannot write here ({exc.strerror or exc})") from None
    os.close(handle)
    temporary = Path(name)
    umask = os.umask(0)
    os.umask(umask)
    temporary.chmod(0o666 & ~umask)  # mkstemp makes it private; a written file is not
    try:
        yield temporary
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
