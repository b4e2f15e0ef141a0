"""scripts/train_event_vetting.py's choice of threshold: fixed by default, on the cross-validated grid."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from eventwire.testing import load_script

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "train_event_vetting.py"


def _script() -> ModuleType:
    return load_script(SCRIPT, "eventwire_script_train_event_vetting")


def test_the_fixed_threshold_is_on_the_grid_it_is_compared_on() -> None:
    script = _script()
    assert script._THRESHOLD in script._THRESHOLDS


@pytest.mark.parametrize("bad", ["0.33", "0.9"])
def test_a_threshold_off_the_grid_is_refused_before_any_work(bad: str, tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        _script().main([str(tmp_path / "no-shared"), "--threshold", bad, "--work", str(tmp_path / "w")])
    assert not (tmp_path / "w").exists()
