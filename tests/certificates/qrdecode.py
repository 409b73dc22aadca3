"""A small QR code reader for the tests: reads a clean, upright QR code from an image, as
pdftoppm renders one from our PDF. No error correction (the image is not damaged) and no
perspective (it is not a photograph); the standard's tables are taken from segno.

Written because no QR decoder is among the project's dependencies; it follows ISO/IEC
18004: format information, masking, the zigzag placement, block interleaving, and the
numeric, alphanumeric and byte modes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PIL import Image
from segno import consts

_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_MASKS = (
    lambda r, c: (r + c) % 2 == 0,
    lambda r, c: r % 2 == 0,
    lambda r, c: c % 3 == 0,
    lambda r, c: (r + c) % 3 == 0,
    lambda r, c: (r // 2 + c // 3) % 2 == 0,
    lambda r, c: (r * c) % 2 + (r * c) % 3 == 0,
    lambda r, c: ((r * c) % 2 + (r * c) % 3) % 2 == 0,
    lambda r, c: ((r + c) % 2 + (r * c) % 3) % 2 == 0,
)


class NotAQrCode(ValueError):
    pass


def _format_codes() -> dict[int, tuple[int, int]]:
    """Every valid 15-bit format word -> (error level bits, mask)."""
    codes = {}
    for data in range(32):
        rem = data
        for _ in range(10):
            rem = (rem << 1) ^ ((rem >> 9) * 0x537)
        codes[((data << 10) | rem) ^ 0x5412] = (data >> 3, data & 7)
    return codes


def _matrix(dark: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    rows, cols = np.nonzero(dark)
    if len(rows) == 0:
        raise NotAQrCode("nothing dark in the image")
    top, bottom, left, right = rows.min(), rows.max() + 1, cols.min(), cols.max() + 1
    # The top-left finder pattern is seven modules wide: its first row gives the module size.
    run = 0
    while left + run < right and dark[top, left + run]:
        run += 1
    module = run / 7
    size = round((right - left) / module)
    if (size - 17) % 4:
        raise NotAQrCode(f"odd symbol size {size}")
    height, width = (bottom - top) / size, (right - left) / size
    grid = np.zeros((size, size), dtype=bool)
    for r in range(size):
        for c in range(size):
            grid[r, c] = dark[int(top + (r + 0.5) * height), int(left + (c + 0.5) * width)]
    return grid


def _function_modules(size: int, version: int) -> np.ndarray[Any, Any]:
    f = np.zeros((size, size), dtype=bool)
    f[:9, :9] = f[:9, size - 8 :] = f[size - 8 :, :9] = True  # finders, separators, format
    f[6, :] = f[:, 6] = True  # timing
    if version >= 2:
        pos = consts.ALIGNMENT_POS[version - 2]
        for r in pos:
            for c in pos:
                if (r, c) in ((6, 6), (6, pos[-1]), (pos[-1], 6)):
                    continue
                f[r - 2 : r + 3, c - 2 : c + 3] = True
    if version >= 7:
        f[:6, size - 11 : size - 8] = f[size - 11 : size - 8, :6] = True
    return f


def decode_matrix(grid: np.ndarray[Any, Any]) -> str:
    size = grid.shape[0]
    version = (size - 17) // 4
    bits = [grid[i, 8] for i in range(6)] + [grid[7, 8], grid[8, 8], grid[8, 7]]
    bits += [grid[8, 14 - i] for i in range(9, 15)]
    word = sum(int(b) << i for i, b in enumerate(bits))
    codes = _format_codes()
    nearest = min(codes, key=lambda code: bin(code ^ word).count("1"))
    if bin(nearest ^ word).count("1") > 3:
        raise NotAQrCode("unreadable format information")
    level, mask = codes[nearest]
    function = _function_modules(size, version)
    stream: list[int] = []
    right = size - 1
    while right >= 1:
        if right == 6:
            right = 5
        upward = ((right + 1) & 2) == 0
        for vert in range(size):
            r = size - 1 - vert if upward else vert
            for c in (right, right - 1):
                if not function[r, c]:
                    stream.append(int(grid[r, c]) ^ int(_MASKS[mask](r, c)))
        right -= 2
    codewords = [int("".join(map(str, stream[i : i + 8])), 2) for i in range(0, len(stream) - 7, 8)]
    lengths = [ec.num_data for ec in consts.ECC[version][level] for _ in range(ec.num_blocks)]
    blocks: list[list[int]] = [[] for _ in lengths]
    i = 0
    for n in range(max(lengths)):
        for b, length in enumerate(lengths):
            if n < length:
                blocks[b].append(codewords[i])
                i += 1
    data = "".join(f"{byte:08b}" for block in blocks for byte in block)
    return _segments(data, version)


def _segments(data: str, version: int) -> str:
    out: list[str] = []
    raw = bytearray()
    pos = 0

    def take(n: int) -> int:
        nonlocal pos
        value = int(data[pos : pos + n] or "0", 2)
        pos += n
        return value

    small, medium = version <= 9, version <= 26
    while pos + 4 <= len(data):
        mode = take(4)
        if mode == 0:
            break
        if mode == 4:
            count = take(8 if small else 16)
            raw.extend(take(8) for _ in range(count))
        elif mode == 2:
            count = take(9 if small else 11 if medium else 13)
            for _ in range(count // 2):
                pair = take(11)
                out.append(_ALNUM[pair // 45] + _ALNUM[pair % 45])
            if count % 2:
                out.append(_ALNUM[take(6)])
        elif mode == 1:
            count = take(10 if small else 12 if medium else 14)
            for _ in range(count // 3):
                out.append(f"{take(10):03d}")
            if count % 3 == 2:
                out.append(f"{take(7):02d}")
            elif count % 3 == 1:
                out.append(str(take(4)))
        else:
            raise NotAQrCode(f"mode {mode} not supported")
        if raw:
            out.append(raw.decode("iso-8859-1"))
            raw.clear()
    return "".join(out)


def decode_image(image: Image.Image, box: tuple[int, int, int, int] | None = None) -> str:
    """The text of the QR code in `image` (or in the `box` of it: left, top, right, bottom)."""
    grey = image.convert("L")
    if box is not None:
        grey = grey.crop(box)
    dark = np.asarray(grey) < 128
    return decode_matrix(_matrix(dark))
