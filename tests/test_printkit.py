"""The trainer's print kit, the parts without a browser: times as a trainer reads them."""

from __future__ import annotations

import pytest

from toolbox.render import minutes


@pytest.mark.parametrize("lo, hi, shown", [
    (90, 150, "90–150 minutter"),
    (420, 720, "7–12 timer"),
    (90, 270, "1,5–4,5 timer"),
    (80, 2400, "80 min–40 timer"),        # no '1,33333–40 timer'
    (190, 300, "190 min–5 timer"),
    (200, 200, "200 min"),
])
def test_a_duration_reads_in_whole_minutes_or_whole_and_half_hours(lo, hi, shown):
    assert minutes({"min": lo, "max": hi}) == shown
