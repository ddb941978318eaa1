"""Signals, declared once; fired after commit for best-effort observers only."""

from blinker import Namespace

_signals = Namespace()

concern_submitted = _signals.signal("concern-submitted")
notifications_written = _signals.signal("notifications-written")
