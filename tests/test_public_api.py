from __future__ import annotations

import eventwire


def test_all_is_sorted_and_importable() -> None:
    assert eventwire.__all__ == sorted(eventwire.__all__)
    for name in eventwire.__all__:
        assert getattr(eventwire, name) is not None
