//! The funnel plot the contract managers read (inline SVG, no script): the number of cases
//! on a square-root scale, the value upwards, the region's target as a line, the 95% and
//! 99.8% limits as curves, and one dot per provider. A clear outlier can be reached with
//! the keyboard and names the provider, n and value; the table beside the plot says the
//! same in text for every provider.

use maud::{Markup, html};

use super::funnel::Limits;
use crate::domain::indicator::Indicator;

/// One provider in the plot.
pub struct Point<'a> {
    pub name: &'a str,
    pub n: u32,
    /// Where the point is drawn: the value read like with like (`fair::Fair::adjusted`).
    pub value: f64,
    /// The provider's own value, which its label names.
    pub shown: f64,
    pub outside_998: bool,
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 320.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 44.0;

/// Dots at these places as one SVG path (a zero-length line with round caps is a dot),
/// each pixel drawn once however many providers fall on it.
fn dots(places: impl Iterator<Item = (f64, f64)>) -> String {
    #[allow(clippy::cast_possible_truncation)]
    let mut pixels: Vec<(i32, i32)> = places
        .map(|(x, y)| (x.round() as i32, y.round() as i32))
        .collect();
    pixels.sort_unstable();
    pixels.dedup();
    let mut d = String::with_capacity(pixels.len() * 10);
    for (x, y) in pixels {
        d.push_str(&format!("M{x} {y}h0"));
    }
    d
}

/// The plot; `limits(n)` gives the funnel at n cases.
pub fn plot(
    indicator: Indicator,
    target: f64,
    points: &[Point<'_>],
    limits: impl Fn(u32) -> Option<Limits>,
) -> Markup {
    let max_n = points.iter().map(|p| p.n).max().unwrap_or(10).max(20);
    let (low, high) = if indicator.is_mean() {
        (1.0, 10.0)
    } else {
        (0.0, 1.0)
    };
    let x = |n: f64| LEFT + (n.sqrt() / f64::from(max_n).sqrt()) * (WIDTH - LEFT - RIGHT);
    let y = |v: f64| {
        let v = v.clamp(low, high);
        TOP + (1.0 - (v - low) / (high - low)) * (HEIGHT - TOP - BOTTOM)
    };
    // The curves from n = 10 to the largest provider, evenly on the square-root scale.
    let steps = 48;
    let ns: Vec<u32> = (0..=steps)
        .map(|i| {
            let root = 10f64.sqrt()
                + (f64::from(max_n).sqrt() - 10f64.sqrt()) * f64::from(i) / f64::from(steps);
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let n = (root * root).round() as u32;
            n.max(10)
        })
        .collect();
    let curve = |pick: fn(&Limits) -> f64| -> String {
        ns.iter()
            .filter_map(|n| {
                limits(*n).map(|l| format!("{:.1},{:.1}", x(f64::from(*n)), y(pick(&l))))
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let ticks: Vec<u32> = [10, 25, 50, 100, 250, 500, 1000, 2500, 5000]
        .into_iter()
        .filter(|t| *t <= max_n)
        .collect();
    let value_ticks: Vec<f64> = if indicator.is_mean() {
        vec![2.0, 4.0, 6.0, 8.0, 10.0]
    } else {
        vec![0.0, 0.25, 0.5, 0.75, 1.0]
    };
    let outliers = points.iter().filter(|p| p.outside_998).count();
    let summary = format!(
        "{} aanbieders, elk een punt; {} duidelijk buiten de 99,8%-grenzen",
        points.len(),
        outliers
    );
    html! {
        svg.funnel-plot viewBox={ "0 0 " (WIDTH) " " (HEIGHT) } role="group" aria-label={ "Trechterdiagram: " (indicator.label()) " tegen het aantal trajecten" } {
            title { (summary) }
            @for v in &value_ticks {
                line x1=(LEFT) x2=(WIDTH - RIGHT) y1=(format!("{:.1}", y(*v))) y2=(format!("{:.1}", y(*v))) stroke="#e4e7eb" {}
                text x=(LEFT - 6.0) y=(format!("{:.1}", y(*v) + 4.0)) font-size="11" text-anchor="end" fill="currentColor" { (indicator.format(*v)) }
            }
            @for t in &ticks {
                text x=(format!("{:.1}", x(f64::from(*t)))) y=(HEIGHT - BOTTOM + 16.0) font-size="11" text-anchor="middle" fill="currentColor" { (t) }
            }
            text x=(LEFT + (WIDTH - LEFT - RIGHT) / 2.0) y=(HEIGHT - 8.0) font-size="12" text-anchor="middle" fill="currentColor" { "aantal trajecten (n)" }
            line x1=(LEFT) x2=(WIDTH - RIGHT) y1=(format!("{:.1}", y(target))) y2=(format!("{:.1}", y(target))) stroke="#154273" stroke-width="2" {}
            polyline points=(curve(|l| l.upper_95)) fill="none" stroke="#154273" stroke-dasharray="6 4" {}
            polyline points=(curve(|l| l.lower_95)) fill="none" stroke="#154273" stroke-dasharray="6 4" {}
            polyline points=(curve(|l| l.upper_998)) fill="none" stroke="#6b7280" stroke-dasharray="2 3" {}
            polyline points=(curve(|l| l.lower_998)) fill="none" stroke="#6b7280" stroke-dasharray="2 3" {}
            // Every provider inside the 99.8% limits as one path of dots, one dot per pixel
            // (a region of 3,300 providers would otherwise send a labelled element each);
            // the table below names them all. The clear outliers are named here.
            @let d = dots(points.iter().filter(|p| !p.outside_998).map(|p| (x(f64::from(p.n)), y(p.value))));
            // A white edge under each dot keeps it apart from the lines it sits on.
            path d=(d) fill="none" stroke="#ffffff" stroke-width="9" stroke-linecap="round" {}
            path.funnel-plot__dots d=(d) fill="none" stroke="#154273" stroke-width="7" stroke-linecap="round" {}
            @for p in points.iter().filter(|p| p.outside_998) {
                @let label = format!("{}: n = {}, {}, buiten de 99,8%-grenzen", p.name, p.n, indicator.format(p.shown));
                @let (cx, cy) = (x(f64::from(p.n)), y(p.value));
                g tabindex="0" role="img" aria-label=(label) {
                    title { (label) }
                    // A square, not only a colour: an outlier is told apart without colour.
                    rect x=(format!("{:.0}", cx - 6.0)) y=(format!("{:.0}", cy - 6.0)) width="12" height="12" fill="#b91c1c" stroke="#ffffff" {}
                }
            }
        }
        p.hint { "Doorgetrokken lijn: het regiogemiddelde. Gestreepte lijnen: de 95%-grenzen. Gestippelde lijnen: de 99,8%-grenzen. Een rood vierkant ligt buiten de 99,8%-grenzen. Elke aanbieder staat op zijn uitkomst min wat bij zijn deel gedwongen kader te verwachten is, plus het regiogemiddelde: zo vergelijkt het diagram gelijk met gelijk." }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dots_are_one_path_with_each_pixel_once() {
        let d = dots([(10.2, 20.4), (9.8, 19.6), (30.0, 5.0), (10.0, 21.0)].into_iter());
        assert_eq!(d, "M10 20h0M10 21h0M30 5h0");
        assert_eq!(dots(std::iter::empty()), "");
    }

    #[test]
    fn a_region_of_thousands_draws_in_a_few_dozen_kilobytes() {
        let names: Vec<String> = (0..3_300).map(|i| format!("Aanbieder {i}")).collect();
        let mut rng = fastrand::Rng::with_seed(41);
        let points: Vec<Point<'_>> = names
            .iter()
            .map(|name| {
                let value = rng.f64();
                Point {
                    name,
                    n: rng.u32(10..400),
                    value,
                    shown: value,
                    outside_998: rng.u32(0..100) == 0,
                }
            })
            .collect();
        let svg = plot(Indicator::Doelrealisatie, 0.5, &points, |_| None).into_string();
        assert!(svg.len() < 80_000, "{} bytes", svg.len());
        // Every clear outlier is named; the others are not one element each.
        let outliers = points.iter().filter(|p| p.outside_998).count();
        assert!(outliers > 0);
        assert_eq!(svg.matches("buiten de 99,8%-grenzen\"").count(), outliers);
        assert_eq!(
            svg.matches("<path").count(),
            2,
            "the dots and their white edge"
        );
        assert!(
            svg.contains("<title>3300 aanbieders, elk een punt;"),
            "{}",
            &svg[..300]
        );
    }
}
