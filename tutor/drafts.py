"""Never lose a keystroke: atomic saves, and a draft of unsaved editor text kept beside the workspace.

Every change in the tutor's editor is written at once to a draft in <workspace>/.gradschool/drafts/
(atomically, so a kill leaves either the old draft or the new one, never half of one); the learner's
file itself is saved a moment later, atomically too, and the draft is then dropped. A draft records
the digest of the file it was based on: on the next start a draft whose base is still on disk is
recovered into the file; one whose file changed meanwhile (edited elsewhere) is shown as a conflict,
and both versions are kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

MISSING = "missing"  # the digest of a file that does not exist


def digest(text: str | None) -> str:
    if text is None:
        return MISSING
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def read_text(path: Path) -> str | None:
    """The file's text, or None when it does not exist (or cannot be read as UTF-8)."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def atomic_write(path: Path, text: str, *, durable: bool = True) -> None:
    """Write text to path so that readers (and a crash) see the old content or the new, never a mix:
    a temporary file in the same folder, flushed (and fsynced when durable), then renamed over path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".gs-tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@dataclass(frozen=True)
class Draft:
    file: str  # the learner file, relative to the workspace (POSIX)
    text: str
    base: str  # digest of the file's content when these edits began
    saved_at: float


class DraftStore:
    """Drafts of unsaved editor text, one JSON file per learner file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path_for(self, file: str) -> Path:
        return self.folder / (file.replace("/", "__") + ".draft.json")

    def write(self, file: str, text: str, base: str) -> None:
        # Not fsynced: a killed process loses nothing the kernel already has; only a power cut would.
        payload = {"file": file, "text": text, "base": base, "saved_at": time.time()}
        atomic_write(self.path_for(file), json.dumps(payload), durable=False)

    def read(self, file: str) -> Draft | None:
        try:
            data = json.loads(self.path_for(file).read_text(encoding="utf-8"))
            return Draft(str(data["file"]), str(data["text"]), str(data["base"]), float(data["saved_at"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def discard(self, file: str) -> None:
        with contextlib.suppress(OSError):
            self.path_for(file).unlink()

    def keep_copy(self, file: str, text: str) -> Path:
        """A lasting copy of editor text that is about to be replaced (a conflict resolved the other way)."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        dest = self.folder / "kept" / f"{file.replace('/', '__')}.{stamp}.{time.time_ns() % 10**9:09d}"
        atomic_write(dest, text)
        return dest
