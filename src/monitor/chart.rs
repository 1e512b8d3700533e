//! The monitor's trend chart: inline SVG drawn on the server (no script), a line per series
//! over the quarters, a point per value. The table beside it says the same in numbers, for
//! screen readers and for reading exact values.

use maud::{Markup, html};

use crate::outcomes::compute::Quarter;

/// One line of the chart.
pub struct Series<'a> {
    pub label: &'a str,
    /// One value per quarter (`None`: nothing computed).
    pub values: Vec<Option<f64>>,
    /// The line's colour and dash pattern, so lines differ without colour too.
    pub colour: &'static str,
    pub dash: &'static str,
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 40.0;

/// The largest value rounded up to a number that reads well on the axis (1, 2 or 5 × 10^k).
fn axis_top(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let power = 10f64.powf(max.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|top| *top >= max)
        .unwrap_or(10.0 * power)
}

/// A tick's number: whole where it is whole (the top is 1, 2 or 5 × 10^k, so a fifth of it
/// is whole from 5 up), else with one decimal, Dutch style.
fn tick_label(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}").replace('.', ",")
    }
}

/// A line chart of these series over `quarters`; `id` names its title and description.
pub fn trend(id: &str, title: &str, quarters: &[Quarter], series: &[Series<'_>]) -> Markup {
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .fold(0.0f64, |a, &b| a.max(b));
    let top = axis_top(max);
    #[allow(clippy::cast_precision_loss)]
    let step = (WIDTH - LEFT - RIGHT) / (quarters.len().max(2) - 1) as f64;
    #[allow(clippy::cast_precision_loss)]
    let x = |i: usize| LEFT + i as f64 * step;
    let y = |v: f64| TOP + (1.0 - v / top) * (HEIGHT - TOP - BOTTOM);
    let title_id = format!("{id}-titel");
    let desc_id = format!("{id}-uitleg");
    let description = series
        .iter()
        .map(|s| s.label)
        .collect::<Vec<_>>()
        .join(", ");
    html! {
        svg.chart viewBox={ "0 0 " (WIDTH) " " (HEIGHT) } role="img" aria-labelledby={ (title_id) " " (desc_id) } {
            title id=(title_id) { (title) }
            desc id=(desc_id) { "Lijnen: " (description) ". De tabel hieronder geeft dezelfde getallen." }
            @for tick in 0..=5 {
                @let v = top * f64::from(tick) / 5.0;
                line x1=(LEFT) x2=(WIDTH - RIGHT) y1=(format!("{:.1}", y(v))) y2=(format!("{:.1}", y(v))) stroke="#d0d5dc" {}
                text x=(LEFT - 6.0) y=(format!("{:.1}", y(v) + 4.0)) text-anchor="end" font-size="12" fill="#333" { (tick_label(v)) }
            }
            @for (i, q) in quarters.iter().enumerate() {
                text x=(format!("{:.1}", x(i))) y=(HEIGHT - BOTTOM + 18.0) text-anchor="middle" font-size="12" fill="#333" { (format!("K{} {}", q.number, q.year % 100)) }
            }
            @for s in series {
                @let points: Vec<String> = s.values.iter().enumerate().filter_map(|(i, v)| v.map(|v| format!("{:.1},{:.1}", x(i), y(v)))).collect();
                @if points.len() > 1 {
                    polyline points=(points.join(" ")) fill="none" stroke=(s.colour) stroke-width="2.5" stroke-dasharray=(s.dash) {}
                }
                @for (i, v) in s.values.iter().enumerate() {
                    @if let Some(v) = v {
                        circle cx=(format!("{:.1}", x(i))) cy=(format!("{:.1}", y(*v))) r="3.5" fill=(s.colour) {}
                    }
                }
            }
        }
        ul.chart-legend {
            @for s in series {
                li {
                    svg width="32" height="10" aria-hidden="true" focusable="false" {
                        line x1="0" x2="32" y1="5" y2="5" stroke=(s.colour) stroke-width="2.5" stroke-dasharray=(s.dash) {}
                    }
                    " " (s.label)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_ends_on_a_round_number_above_the_largest_value() {
        assert_eq!(axis_top(0.0), 1.0);
        assert_eq!(axis_top(7.0), 10.0);
        assert_eq!(axis_top(12.0), 20.0);
        assert_eq!(axis_top(480.0), 500.0);
        assert_eq!(axis_top(500.0), 500.0);
    }
}
