"""Tiny server-side charts: bar charts as inline SVG (pages) and PNG (email), no dependencies.

SVG carries no ``style`` attributes (the CSP forbids inline styles): colours come from
classes in ``static/staff.css``. The PNG writer is the format's minimum (zlib + struct: an
IHDR, one IDAT of filtered scanlines, IEND) with a 3x5 pixel font for the numbers, so an
email client shows the chart without loading anything.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from html import escape

# --- SVG ---------------------------------------------------------------------------------


def bar_svg(labels: Sequence[str], values: Sequence[float | None], *, title: str,
            unit: str = "", top: float | None = None, css: str = "") -> str:
    """A labelled vertical bar chart; missing values are drawn as no bar and said as 'no data'."""
    width, height, pad, base = max(240, 46 * len(values) + 40), 190, 30, 150
    peak = top if top is not None else max([v for v in values if v is not None] or [0]) or 1
    step = (width - 2 * pad) / max(1, len(values))
    parts = [f'<svg class="chart {escape(css)}" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>",
             f'<line class="axis" x1="{pad}" y1="{base}" x2="{width - pad}" y2="{base}"/>']
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = pad + i * step + step * 0.15
        said = "no data" if value is None else f"{_num(value)}{unit}"
        parts.append(f"<g><title>{escape(label)}: {escape(said)}</title>")
        if value is not None:
            h = round((base - 20) * min(value, peak) / peak, 1)
            parts.append(f'<rect class="bar" x="{x:.1f}" y="{base - h:.1f}" width="{step * 0.7:.1f}" '
                         f'height="{h:.1f}"/>')
            parts.append(f'<text class="value" x="{x + step * 0.35:.1f}" y="{base - h - 4:.1f}" '
                         f'text-anchor="middle">{escape(_num(value))}</text>')
        parts.append(f'<text class="label" x="{x + step * 0.35:.1f}" y="{base + 16}" '
                     f'text-anchor="middle">{escape(label)}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def _num(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


# --- PNG ---------------------------------------------------------------------------------

# 3x5 digits, one string per row, '#' = ink.
_FONT = {
    "0": ("###", "#.#", "#.#", "#.#", "###"), "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"), "3": ("###", "..#", "###", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"), "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"), "7": ("###", "..#", "..#", "..#", "..#"),
    "8": ("###", "#.#", "###", "#.#", "###"), "9": ("###", "#.#", "###", "..#", "###"),
}
WHITE, INK, NOW, BEFORE = (255, 255, 255), (11, 12, 12), (29, 79, 145), (160, 180, 210)


class Canvas:
    """An RGB pixel grid with just enough drawing to make a bar chart."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.pixels = bytearray(bytes(WHITE) * width * height)

    def rect(self, x: int, y: int, w: int, h: int, colour: tuple[int, int, int]) -> None:
        """Fill a rectangle, clipped to the canvas."""
        for row in range(max(0, y), min(self.height, y + h)):
            start = (row * self.width + max(0, x)) * 3
            end = (row * self.width + min(self.width, x + w)) * 3
            if end > start:
                self.pixels[start:end] = bytes(colour) * ((end - start) // 3)

    def number(self, x: int, y: int, value: int, scale: int = 2) -> None:
        """Draw digits with the 3x5 font, left edge at x, top at y."""
        for n, ch in enumerate(str(value)):
            for r, line in enumerate(_FONT[ch]):
                for c, cell in enumerate(line):
                    if cell == "#":
                        self.rect(x + (n * 4 + c) * scale, y + r * scale, scale, scale, INK)

    def png(self) -> bytes:
        """Encode as PNG (8-bit RGB, filter 0 on every scanline)."""
        stride = self.width * 3
        raw = b"".join(b"\x00" + bytes(self.pixels[r * stride:(r + 1) * stride])
                       for r in range(self.height))
        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
                + _chunk(b"IDAT", zlib.compress(raw, 9)) + _chunk(b"IEND", b""))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(
        ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def paired_bars_png(now: Sequence[int], before: Sequence[int], height: int = 160) -> bytes:
    """Pairs of bars (last week pale, this week dark) with this week's number above each pair."""
    group, pad, base = 44, 12, height - 10
    width = pad * 2 + group * max(1, len(now))
    canvas = Canvas(width, height)
    peak = max([*now, *before, 1])
    canvas.rect(pad, base, width - 2 * pad, 2, INK)
    for i, (a, b) in enumerate(zip(now, before, strict=True)):
        x = pad + i * group + 6
        for offset, value, colour in ((0, b, BEFORE), (16, a, NOW)):
            h = round((base - 30) * value / peak)
            canvas.rect(x + offset, base - h, 14, h, colour)
        top = base - round((base - 30) * max(a, b) / peak) - 14
        canvas.number(x + 4, top, a)
    return canvas.png()
