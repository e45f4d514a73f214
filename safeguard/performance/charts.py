"""An accessible SVG chart of a monthly trend (the same figures are in a table beside it)."""

from dataclasses import dataclass

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 12, 48


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value_text: str
    show_label: bool


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    gridlines: list[tuple[float, str]]
    baseline: float
    left: int
    right_edge: int


def bar_chart(
    points: list[tuple[str, float | None, str]], *, percent: bool = False, top: float | None = None
) -> Chart:
    """``points`` are (month label, value or None, value as shown); None draws no bar.
    ``percent`` labels the axis in per cent (rates are fractions); ``top`` is the axis's
    highest value (by default the highest value)."""
    values = [v for _, v, _ in points if v is not None]
    top_value = top or max(values, default=0) or 1
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(points), 1)
    bars = []
    for i, (label, value, shown) in enumerate(points):
        h = 0 if value is None else plot_h * value / top_value
        bars.append(
            Bar(
                x=round(LEFT + i * slot + slot * 0.15, 1),
                y=round(TOP + plot_h - h, 1),
                width=round(slot * 0.7, 1),
                height=round(h, 1),
                label=label,
                value_text=shown,
                show_label=i % 3 == 0 or i == len(points) - 1,
            )
        )
    gridlines = []
    for step in range(5):
        value = top_value * step / 4
        y = round(TOP + plot_h - plot_h * step / 4, 1)
        gridlines.append((y, f"{value * 100:.0f}%" if percent else f"{value:.3g}"))
    return Chart(WIDTH, HEIGHT, bars, gridlines, TOP + plot_h, LEFT, WIDTH - RIGHT)
