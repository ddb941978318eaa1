"""Pure domain core: clocks, pauses and escalation decisions, with `now` passed in."""
