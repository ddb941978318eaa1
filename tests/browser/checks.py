"""What every page reached in a journey must pass: axe-core, touch targets, zoom, focus, labels.

Pages are Playwright `Page` objects (typed loosely so this module imports without playwright).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
AXE = HERE / "vendor" / "axe.min.js"
SCREENSHOTS = HERE / "screenshots"
BLOCKING = {"serious", "critical"}
MIN_TARGET = 44  # CSS pixels, both ways (WCAG 2.5.5 AAA; kiosk users touch with thumbs)

# Interactive elements a finger must hit. A radio's target is its whole label.
_TARGETS_JS = """
() => {
  const seen = [];
  const els = document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, label.radio');
  for (const el of els) {
    const box = (el.matches('input[type=radio], input[type=checkbox]') && el.closest('label.radio'))
      ? el.closest('label.radio') : el;
    const style = getComputedStyle(box);
    if (el.closest('[hidden]') || style.display === 'none' || style.visibility === 'hidden') continue;
    const r = box.getBoundingClientRect();
    seen.push({what: el.outerHTML.slice(0, 90), width: r.width, height: r.height});
  }
  return seen;
}
"""

# Anything in <main> or the header whose right edge is past the viewport, or page-wide scroll.
_OVERFLOW_JS = """
() => {
  const vw = document.documentElement.clientWidth;
  const out = [];
  const sw = document.documentElement.scrollWidth;
  if (sw > vw + 1) out.push('page scrolls sideways: ' + sw + ' > ' + vw);
  for (const el of document.querySelectorAll('main *, header *')) {
    if (el.closest('.visually-hidden') || el.classList.contains('skip')) continue;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) continue;  // empty, or visually hidden for screen readers
    const name = el.tagName + '.' + el.className;
    const span = Math.round(r.left) + '..' + Math.round(r.right);
    if (r.right > vw + 1 || r.left < -1) out.push(name + ' ' + span);
    const cut = el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0;
    if (cut && getComputedStyle(el).overflowX !== 'visible') out.push('clipped: ' + name);
  }
  return out;
}
"""

_UNLABELLED_JS = """
() => Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                && !el.getAttribute('aria-labelledby'))
  .map(el => el.outerHTML.slice(0, 90))
"""

_FOCUSABLE_COUNT_JS = """
() => Array.from(document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea'))
  .filter(el => !el.closest('[hidden]') && getComputedStyle(el).display !== 'none' && !el.disabled).length
"""

_FOCUS_STYLE_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  const shadow = s.boxShadow && s.boxShadow !== 'none';
  return {what: el.outerHTML.slice(0, 90), visible: outline || shadow};
}
"""

checked_pages: list[str] = []


def shot(page: Any, name: str) -> Path:
    """Save a full-page screenshot under tests/browser/screenshots/ (CI keeps the folder)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"] if v["impact"] in BLOCKING]


def small_targets(page: Any) -> list[dict[str, Any]]:
    """Interactive elements smaller than 44x44 CSS pixels."""
    return [t for t in page.evaluate(_TARGETS_JS)
            if t["width"] < MIN_TARGET - 0.5 or t["height"] < MIN_TARGET - 0.5]


def overflow_at(page: Any, width: int, height: int) -> list[str]:
    """What scrolls sideways or is cut off at this viewport (512x384 = 200% zoom of 1024x768)."""
    original = page.viewport_size
    page.set_viewport_size({"width": width, "height": height})
    try:
        return list(page.evaluate(_OVERFLOW_JS))
    finally:
        page.set_viewport_size(original)


def unfocused_styles(page: Any) -> list[str]:
    """Elements reached with Tab that show no outline or box-shadow when focused."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    bad = []
    for _ in range(int(page.evaluate(_FOCUSABLE_COUNT_JS)) + 1):
        page.keyboard.press("Tab")
        state = page.evaluate(_FOCUS_STYLE_JS)
        if state is not None and not state["visible"]:
            bad.append(state["what"])
    return bad


def check_page(page: Any, name: str, *, kiosk: bool = True) -> None:
    """Screenshot, then assert the page passes every accessibility check that applies to it."""
    shot(page, name)
    checked_pages.append(f"{name}: {page.url.split('?')[0]}")
    problems: dict[str, Any] = {}
    if violations := axe_violations(page):
        problems["axe (serious/critical)"] = violations
    if unlabelled := page.evaluate(_UNLABELLED_JS):
        problems["fields without a label"] = unlabelled
    if kiosk:
        if small := small_targets(page):
            problems["touch targets under 44x44"] = small
        if wide := overflow_at(page, 512, 384):
            problems["at 200% zoom (512x384)"] = wide
        if normal := overflow_at(page, 1024, 768):
            problems["at 1024x768"] = normal
        if no_focus := unfocused_styles(page):
            problems["no visible focus"] = no_focus
    assert not problems, f"{name} ({page.url}):\n{json.dumps(problems, indent=1, ensure_ascii=False)}"


def write_checked_list() -> None:
    """List the pages checked in this run beside the screenshots."""
    if checked_pages:
        SCREENSHOTS.mkdir(exist_ok=True)
        (SCREENSHOTS / "checked-pages.txt").write_text("\n".join(checked_pages) + "\n", encoding="utf-8")
