//! Charts of the report, drawn once as SVG and used by both the HTML and the PDF output.
//!
//! [`all`] gives every chart the report has data for: budget against prognos per row of
//! the income statement, the cumulative net cost month by month against an even budget
//! line and the prior year, and the investments per project. Each [`Chart`] carries its
//! SVG, a Swedish caption and its figures as an ordinary [`Table`], so a reader who cannot
//! see the chart (or prints in black and white) gets the same figures.
//!
//! The SVG is written by hand: fixed `viewBox`, `role="img"` with `<title>` and `<desc>`,
//! no scripts, no external resources, text as text. Series differ by pattern and line
//! style as well as by colour (solid dark, hatched light, dotted; solid, dashed, dotted)
//! and carry direct value labels, so they read in grayscale. Geometry uses integer
//! arithmetic only (pixels from öre or tkr by exact rounded division); no floating point
//! is involved anywhere. The same report always gives the same bytes.

use delar_core::report::{Block, Cell, Column, Report, Row, RowKind, Section, Table, Unit};

use crate::format::{self, Style};
use crate::html::esc;

/// One chart: its SVG, its caption and its figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    /// Stable id: `budget_prognos`, `ackumulerat` or `investeringar`.
    pub id: String,
    /// Id of the report section the chart belongs to, e.g. `drift`, `investeringar`.
    pub section: String,
    /// Caption in Swedish, one or two sentences, stating the unit and the sign.
    pub caption: String,
    /// The chart as a self-contained SVG document (an `<svg>` element with `xmlns`).
    pub svg: String,
    /// The chart's figures as a table the renderers print like any other.
    pub table: Table,
}

/// Every chart the report has data for, in display order. A chart whose source is
/// missing (no income statement, no monthly figures, no investments) is left out.
pub fn all(report: &Report) -> Vec<Chart> {
    [
        budget_prognos(report),
        ackumulerat(report),
        investeringar(report),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The report tables a chart is shown after: the HTML, Markdown and PDF place the chart
/// after the last of these tables that its section shows (or at the end of the section
/// when it shows none of them).
pub(crate) fn shown_after(chart_id: &str) -> &'static [&'static str] {
    match chart_id {
        "budget_prognos" | "ackumulerat" => &["resultatrakning", "resultat_netto"],
        "investeringar" => &["investeringar"],
        _ => &[],
    }
}

/// Where the charts of one section go: each after a block of the section, or at its end.
pub(crate) struct Placement<'a> {
    /// The section's charts with the index of the block they follow (None: the end).
    charts: Vec<(Option<usize>, &'a Chart)>,
}

impl<'a> Placement<'a> {
    /// The charts to show after block `index`, in the order of [`all`].
    pub(crate) fn after(&self, index: usize) -> impl Iterator<Item = &'a Chart> + '_ {
        self.charts
            .iter()
            .filter(move |(at, _)| *at == Some(index))
            .map(|(_, c)| *c)
    }

    /// The charts to show at the end of the section.
    pub(crate) fn at_end(&self) -> impl Iterator<Item = &'a Chart> + '_ {
        self.charts
            .iter()
            .filter(|(at, _)| at.is_none())
            .map(|(_, c)| *c)
    }
}

/// Places the charts that belong to `section` (by [`Chart::section`]) after the last of
/// the section's tables listed by [`shown_after`], or at the section's end.
pub(crate) fn place<'a>(section: &Section, charts: &'a [Chart]) -> Placement<'a> {
    let charts = charts
        .iter()
        .filter(|c| c.section == section.id)
        .map(|chart| {
            let wanted = shown_after(&chart.id);
            let at = section
                .blocks
                .iter()
                .rposition(|b| matches!(b, Block::Table { id } if wanted.contains(&id.as_str())));
            (at, chart)
        })
        .collect();
    Placement { charts }
}

/// Width of every chart in SVG user units (the `viewBox` width).
const WIDTH: i64 = 720;
/// Font size of ordinary chart text.
const FONT: i64 = 12;
/// Font size of value labels.
const SMALL: i64 = 11;
/// Dark blue of the report's headings: the solid series.
const DARK: &str = "#1f4e79";
/// Light blue behind the hatching.
const LIGHT: &str = "#c9d9ec";
/// Orange: the third series (mid-grey in black and white).
const ORANGE: &str = "#e08a3c";
/// Darker orange for a thin line (still readable as grey).
const ORANGE_DARK: &str = "#b3561b";
/// Text colour.
const INK: &str = "#1b1b1b";
/// Muted text (axis labels).
const MUTED: &str = "#4d4d4d";
/// Grid lines.
const GRID: &str = "#d4d8de";
/// The fonts of the HTML report; `sans-serif` last so any renderer finds one.
const FONT_FAMILY: &str =
    "system-ui, -apple-system, Segoe UI, Roboto, Noto Sans, Arial, Liberation Sans, sans-serif";

// ---------------------------------------------------------------------------------------
// Integer arithmetic: rounding, scales, ticks, text widths.

/// `n / d` rounded half away from zero; `d` must be positive (0 gives 0).
pub(crate) fn round_div(n: i128, d: i128) -> i128 {
    if d <= 0 {
        return 0;
    }
    let q = n / d;
    let r = n % d;
    if 2 * r.abs() >= d {
        q + n.signum()
    } else {
        q
    }
}

/// Öre to whole tkr, half away from zero (100 000 öre = 1 tkr).
pub(crate) fn ore_to_tkr(ore: i128) -> i64 {
    clamp_i64(round_div(ore, 100_000))
}

fn clamp_i64(v: i128) -> i64 {
    i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX })
}

/// A linear map from values (any integer unit) to SVG user units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Scale {
    lo: i128,
    hi: i128,
    px_lo: i64,
    px_hi: i64,
}

impl Scale {
    /// Maps `lo..=hi` onto `px_lo..=px_hi` (`px_hi` may be smaller, for a y axis).
    pub(crate) fn new(lo: i128, hi: i128, px_lo: i64, px_hi: i64) -> Scale {
        let hi = if hi > lo { hi } else { lo + 1 };
        Scale {
            lo,
            hi,
            px_lo,
            px_hi,
        }
    }

    /// The position of `v`, rounded to the nearest unit.
    pub(crate) fn px(&self, v: i128) -> i64 {
        let span = i128::from(self.px_hi) - i128::from(self.px_lo);
        clamp_i64(i128::from(self.px_lo) + round_div((v - self.lo) * span, self.hi - self.lo))
    }
}

/// Axis ticks at round numbers: `lo`, `lo + step`, …, `hi`, with `lo ≤ 0 ≤ hi`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ticks {
    /// First tick (at or below the smallest value and zero).
    pub(crate) lo: i64,
    /// Last tick (at or above the largest value and zero).
    pub(crate) hi: i64,
    /// Distance between ticks: 1, 2 or 5 times a power of ten.
    pub(crate) step: i64,
}

impl Ticks {
    /// Round ticks that cover `min..=max` and zero with at most `max_intervals` steps
    /// (at least one): the smallest step of the form 1, 2 or 5 × 10ⁿ that fits.
    pub(crate) fn covering(min: i64, max: i64, max_intervals: i64) -> Ticks {
        let lo0 = i128::from(min.min(0));
        let mut hi0 = i128::from(max.max(0));
        if hi0 == lo0 {
            hi0 = lo0 + 1;
        }
        let max_intervals = i128::from(max_intervals.max(1));
        let mut power: i128 = 1;
        loop {
            for m in [1, 2, 5] {
                let step = m * power;
                let lo = floor_div(lo0, step) * step;
                let hi = ceil_div(hi0, step) * step;
                if (hi - lo) / step <= max_intervals {
                    return Ticks {
                        lo: clamp_i64(lo),
                        hi: clamp_i64(hi),
                        step: clamp_i64(step),
                    };
                }
            }
            power *= 10;
        }
    }

    /// The tick values from `lo` to `hi`.
    pub(crate) fn values(&self) -> Vec<i64> {
        let mut out = Vec::new();
        if self.step <= 0 {
            return out;
        }
        let mut v = i128::from(self.lo);
        while v <= i128::from(self.hi) {
            out.push(clamp_i64(v));
            v += i128::from(self.step);
        }
        out
    }
}

fn floor_div(n: i128, d: i128) -> i128 {
    let q = n / d;
    if n % d != 0 && (n < 0) != (d < 0) {
        q - 1
    } else {
        q
    }
}

fn ceil_div(n: i128, d: i128) -> i128 {
    -floor_div(-n, d)
}

/// An estimate of the width of `text` at font size `size` in a sans-serif font: 0.56 em
/// per character (digits are 0.556 em in the common fonts), rounded up.
pub(crate) fn text_width(text: &str, size: i64) -> i64 {
    let chars = i64::try_from(text.chars().count()).unwrap_or(i64::MAX / 1000);
    (chars.saturating_mul(size).saturating_mul(56) + 99) / 100
}

/// A whole number of tkr as the chart labels show it: "3 750", "−402".
fn label(tkr: i64) -> String {
    format::tkr(tkr, Style::Html)
}

/// The short Swedish month names of the month axis.
pub(crate) const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
];

// ---------------------------------------------------------------------------------------
// SVG pieces.

/// How a bar series is filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BarStyle {
    /// Solid dark blue.
    Solid,
    /// Light blue with dark diagonal hatching.
    Hatched,
    /// Solid orange (mid-grey in black and white) with a dark outline.
    Orange,
}

/// Distance between hatching lines, measured along the x axis.
const HATCH: i64 = 6;

/// A filled bar (or legend swatch) with a thin outline. Hatching is drawn as explicit
/// 45° lines clipped to the rectangle by integer arithmetic (no `<pattern>`, so every SVG
/// renderer draws it the same and the document references nothing by URL).
fn bar(out: &mut String, x: i64, y: i64, w: i64, h: i64, style: BarStyle) {
    if w <= 0 || h <= 0 {
        return;
    }
    let fill = match style {
        BarStyle::Solid => DARK,
        BarStyle::Hatched => LIGHT,
        BarStyle::Orange => ORANGE,
    };
    out.push_str(&format!(
        "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" fill=\"{fill}\"/>\n"
    ));
    if style == BarStyle::Hatched {
        let (x1, y1) = (x + w, y + h);
        let mut lines = Vec::new();
        // Lines x + y = c, at every multiple of HATCH so neighbouring bars line up.
        let mut c = (x + y).div_euclid(HATCH) * HATCH;
        while c <= x1 + y1 {
            let from = x.max(c - y1);
            let to = x1.min(c - y);
            if from < to {
                lines.push(format!("M{from} {}L{to} {}", c - from, c - to));
            }
            c += HATCH;
        }
        if !lines.is_empty() {
            out.push_str(&format!(
                "<path d=\"{}\" stroke=\"{DARK}\" stroke-width=\"1.75\" fill=\"none\"/>\n",
                lines.join("")
            ));
        }
    }
    out.push_str(&format!(
        "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" fill=\"none\" stroke=\"{INK}\" stroke-width=\"0.75\"/>\n"
    ));
}

/// Opens the SVG document: size, accessibility, font and a white background.
fn svg_start(out: &mut String, chart_id: &str, height: i64, title: &str, desc: &str) {
    let title_id = format!("diagram-{chart_id}-titel");
    let desc_id = format!("diagram-{chart_id}-beskrivning");
    out.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" role=\"img\" aria-labelledby=\"{title_id} {desc_id}\" font-family=\"{FONT_FAMILY}\" font-size=\"{FONT}\" fill=\"{INK}\">\n"
    ));
    out.push_str(&format!(
        "<title id=\"{title_id}\">{}</title>\n<desc id=\"{desc_id}\">{}</desc>\n",
        esc(title),
        esc(desc)
    ));
    out.push_str(&format!(
        "<rect x=\"0\" y=\"0\" width=\"{WIDTH}\" height=\"{height}\" fill=\"#ffffff\"/>\n"
    ));
}

fn svg_end(out: &mut String) {
    out.push_str("</svg>\n");
}

/// Text at a point; `anchor` is `start`, `middle` or `end`. `extra` holds further
/// attributes (already escaped), e.g. a font weight.
fn text(out: &mut String, x: i64, y: i64, anchor: &str, extra: &str, content: &str) {
    let extra = if extra.is_empty() {
        String::new()
    } else {
        format!(" {extra}")
    };
    out.push_str(&format!(
        "<text x=\"{x}\" y=\"{y}\" text-anchor=\"{anchor}\"{extra}>{}</text>\n",
        esc(content)
    ));
}

/// A value label with a white halo, so it stays readable over grid lines and bars.
fn value_text(out: &mut String, x: i64, y: i64, anchor: &str, bold: bool, content: &str) {
    let weight = if bold { " font-weight=\"700\"" } else { "" };
    out.push_str(&format!(
        "<text x=\"{x}\" y=\"{y}\" text-anchor=\"{anchor}\" font-size=\"{SMALL}\"{weight} stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\">{}</text>\n",
        esc(content)
    ));
}

/// A bar legend entry: swatch and text; returns the x after it.
fn bar_legend(out: &mut String, x: i64, y: i64, style: BarStyle, name: &str) -> i64 {
    bar(out, x, y - 10, 18, 12, style);
    text(out, x + 24, y, "start", "", name);
    x + 24 + text_width(name, FONT) + 24
}

// ---------------------------------------------------------------------------------------
// Horizontal grouped bars.

/// A series of bars: its name (as in the legend) and fill.
struct BarSeries {
    name: String,
    style: BarStyle,
}

/// One group of bars: a label and one value per series (tkr as displayed).
struct BarGroup {
    label: String,
    values: Vec<Option<i64>>,
}

/// Splits a long label into at most two lines at a space, as even as possible; a line
/// still wider than `max_width` is cut and ends in "…".
fn wrap_label(label: &str, max_width: i64) -> Vec<String> {
    if text_width(label, FONT) <= max_width {
        return vec![label.to_string()];
    }
    let words: Vec<&str> = label.split(' ').collect();
    let mut best: Option<(i64, usize)> = None;
    for cut in 1..words.len() {
        let first = words[..cut].join(" ");
        let second = words[cut..].join(" ");
        let wider = text_width(&first, FONT).max(text_width(&second, FONT));
        if best.is_none_or(|(w, _)| wider < w) {
            best = Some((wider, cut));
        }
    }
    if let Some((wider, cut)) = best {
        if wider <= max_width {
            return vec![words[..cut].join(" "), words[cut..].join(" ")];
        }
    }
    // Too long for two even lines: as many words as fit on the first, the rest cut.
    let mut first = 0;
    while first < words.len() && text_width(&words[..=first].join(" "), FONT) <= max_width {
        first += 1;
    }
    if first == 0 {
        return vec![fit_width(label, max_width)];
    }
    vec![
        words[..first].join(" "),
        fit_width(&words[first..].join(" "), max_width),
    ]
}

/// The text, or as much of it as fits in `max_width` followed by "…".
fn fit_width(text: &str, max_width: i64) -> String {
    if text_width(text, FONT) <= max_width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        out.push(c);
        if text_width(&out, FONT) + text_width("\u{2026}", FONT) > max_width {
            out.pop();
            break;
        }
    }
    format!("{}\u{2026}", out.trim_end())
}

const BAR: i64 = 16;
const BAR_GAP: i64 = 3;
const GROUP_PAD: i64 = 9;
const MAX_LABEL: i64 = 230;

/// A horizontal grouped bar chart with a legend on top, the value axis (tkr) at the
/// bottom, a zero line and every value written at the end of its bar; `axis_note` is
/// written under the axis (e.g. the sign convention).
fn bar_chart(
    chart_id: &str,
    title: &str,
    desc: &str,
    axis_note: Option<&str>,
    series: &[BarSeries],
    groups: &[BarGroup],
) -> String {
    let values: Vec<i64> = groups
        .iter()
        .flat_map(|g| g.values.iter().flatten().copied())
        .collect();
    let min = values.iter().copied().min().unwrap_or(0);
    let max = values.iter().copied().max().unwrap_or(0);
    let ticks = Ticks::covering(min, max, 6);

    let labels: Vec<Vec<String>> = groups
        .iter()
        .map(|g| wrap_label(&g.label, MAX_LABEL))
        .collect();
    let label_width = labels
        .iter()
        .flatten()
        .map(|l| text_width(l, FONT))
        .max()
        .unwrap_or(0)
        .clamp(80, MAX_LABEL);
    let label_right = 8 + label_width;
    // Room beside the plot for the value labels at the ends of the bars.
    let value_room = |v: i64| text_width(&label(v), SMALL) + 10;
    let left_room = if min < 0 { value_room(min) } else { 12 };
    let right_room = value_room(max.max(ticks.hi)).max(28);
    let x0 = label_right + 12 + left_room;
    let x1 = WIDTH - right_room;
    let scale = Scale::new(i128::from(ticks.lo), i128::from(ticks.hi), x0, x1);

    let n = i64::try_from(series.len()).unwrap_or(1).max(1);
    let group_height = n * BAR + (n - 1) * BAR_GAP + 2 * GROUP_PAD;
    let top = 40;
    let count = i64::try_from(groups.len()).unwrap_or(0);
    let bottom = top + count * group_height;
    let height = bottom + 44;

    let mut out = String::with_capacity(4096);
    svg_start(&mut out, chart_id, height, title, desc);

    // Legend.
    let mut lx = x0;
    for s in series {
        lx = bar_legend(&mut out, lx, 20, s.style, &s.name);
    }

    // Grid and tick labels.
    out.push_str(&format!("<g stroke=\"{GRID}\" stroke-width=\"1\">\n"));
    for t in ticks.values() {
        let x = scale.px(i128::from(t));
        out.push_str(&format!(
            "<line x1=\"{x}\" y1=\"{top}\" x2=\"{x}\" y2=\"{bottom}\"/>\n"
        ));
    }
    out.push_str("</g>\n");
    out.push_str(&format!("<g fill=\"{MUTED}\" font-size=\"{SMALL}\">\n"));
    for t in ticks.values() {
        text(
            &mut out,
            scale.px(i128::from(t)),
            bottom + 16,
            "middle",
            "",
            &label(t),
        );
    }
    text(&mut out, x1, bottom + 34, "end", "", "tkr");
    if let Some(note) = axis_note {
        // Under the plot, or from the left edge when it would run into "tkr".
        let fits = x0 + text_width(note, SMALL) + 12 + text_width("tkr", SMALL) <= x1;
        let x = if fits { x0 } else { 8 };
        text(&mut out, x, bottom + 34, "start", "", note);
    }
    out.push_str("</g>\n");

    // Groups.
    let zero = scale.px(0);
    for (g, (group, lines)) in groups.iter().zip(&labels).enumerate() {
        let g_top = top + i64::try_from(g).unwrap_or(0) * group_height;
        if g > 0 {
            out.push_str(&format!(
                "<line x1=\"8\" y1=\"{g_top}\" x2=\"{x1}\" y2=\"{g_top}\" stroke=\"{GRID}\" stroke-width=\"1\"/>\n"
            ));
        }
        let mid = g_top + group_height / 2;
        let line_count = i64::try_from(lines.len()).unwrap_or(1);
        let first_y = mid + 4 - (line_count - 1) * 8;
        for (i, line) in lines.iter().enumerate() {
            let y = first_y + i64::try_from(i).unwrap_or(0) * 16;
            text(&mut out, label_right, y, "end", "", line);
        }
        for (s, (value, style)) in group
            .values
            .iter()
            .zip(series.iter().map(|s| s.style))
            .enumerate()
        {
            let Some(value) = *value else { continue };
            let y = g_top + GROUP_PAD + i64::try_from(s).unwrap_or(0) * (BAR + BAR_GAP);
            let end = scale.px(i128::from(value));
            let (x, w) = if end >= zero {
                (zero, end - zero)
            } else {
                (end, zero - end)
            };
            bar(&mut out, x, y, w, BAR, style);
            let ty = y + BAR / 2 + 4;
            if value < 0 {
                value_text(&mut out, end - 5, ty, "end", false, &label(value));
            } else {
                value_text(&mut out, end + 5, ty, "start", false, &label(value));
            }
        }
    }
    // The zero line over the bars.
    out.push_str(&format!(
        "<line x1=\"{zero}\" y1=\"{}\" x2=\"{zero}\" y2=\"{}\" stroke=\"{INK}\" stroke-width=\"1.5\"/>\n",
        top - 4,
        bottom
    ));
    svg_end(&mut out);
    out
}

// ---------------------------------------------------------------------------------------
// The charts.

/// The displayed tkr of a cell that is an amount.
fn shown_tkr(cell: Option<&Cell>) -> Option<i64> {
    match cell {
        Some(Cell::Amount { shown_tkr, .. }) => Some(*shown_tkr),
        _ => None,
    }
}

/// The item rows a sum row adds up, expanding sums of sums, in the table's order.
fn item_terms<'a>(table: &'a Table, key: &str, depth: usize, out: &mut Vec<&'a str>) {
    let Some(row) = table.row(key) else { return };
    if row.sum_of.is_empty() || depth > 8 {
        if row.kind == RowKind::Item && !out.contains(&row.key.as_str()) {
            out.push(&row.key);
        }
        return;
    }
    for term in &row.sum_of {
        item_terms(table, &term.key, depth + 1, out);
    }
}

/// The rows of the income statement the budget chart shows: the items of the net cost
/// (following `summa_nettokostnader`'s terms when the table states them, so Kommunbidrag
/// stays out), otherwise every item row; rows without an amount are left out.
fn net_cost_items(table: &Table) -> Vec<&Row> {
    let mut keys = Vec::new();
    item_terms(table, "summa_nettokostnader", 0, &mut keys);
    table
        .rows
        .iter()
        .filter(|r| r.kind == RowKind::Item)
        .filter(|r| keys.is_empty() || keys.contains(&r.key.as_str()))
        .collect()
}

/// A chart's figures table: the given rows with the cells of the given columns.
fn figures_table(
    id: &str,
    title: &str,
    source: &Table,
    columns: &[usize],
    rows: &[&Row],
    notes: Vec<String>,
) -> Table {
    Table {
        id: id.to_string(),
        title: title.to_string(),
        unit: Unit::Tkr,
        columns: columns
            .iter()
            .filter_map(|c| source.columns.get(*c))
            .map(|c| Column {
                id: c.id.clone(),
                label: c.label.clone(),
                sum_of: Vec::new(),
            })
            .collect(),
        rows: rows
            .iter()
            .map(|r| Row {
                key: r.key.clone(),
                label: r.label.clone(),
                kind: RowKind::Item,
                note: None,
                cells: columns
                    .iter()
                    .map(|c| r.cells.get(*c).cloned().unwrap_or(Cell::Empty))
                    .collect(),
                sum_of: Vec::new(),
            })
            .collect(),
        notes,
    }
}

/// Bar groups from the rows of a figures table: one value per column, rows with no
/// amount at all left out by the caller.
fn groups_of(table: &Table) -> Vec<BarGroup> {
    table
        .rows
        .iter()
        .map(|r| BarGroup {
            label: r.label.clone(),
            values: (0..table.columns.len())
                .map(|c| shown_tkr(r.cells.get(c)))
                .collect(),
        })
        .collect()
}

/// The smallest amount shown in the table, if any.
fn min_value(table: &Table) -> Option<i64> {
    table
        .rows
        .iter()
        .flat_map(|r| r.cells.iter())
        .filter_map(|c| shown_tkr(Some(c)))
        .min()
}

/// "Intäkter: Budget 2023 −8 013 tkr, Prognos 2023 −8 213 tkr. …" for `<desc>`.
fn describe_rows(table: &Table) -> String {
    table
        .rows
        .iter()
        .map(|r| {
            let values: Vec<String> = table
                .columns
                .iter()
                .enumerate()
                .filter_map(|(c, col)| {
                    shown_tkr(r.cells.get(c)).map(|v| format!("{} {} tkr", col.label, label(v)))
                })
                .collect();
            format!("{}: {}.", r.label, values.join(", "))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Budget against prognos per item row of the income statement.
fn budget_prognos(report: &Report) -> Option<Chart> {
    let source = report.table("resultatrakning")?;
    let budget = source.column_index("budget")?;
    let prognos = source.column_index("prognos")?;
    let rows: Vec<&Row> = net_cost_items(source)
        .into_iter()
        .filter(|r| {
            shown_tkr(r.cells.get(budget)).is_some() || shown_tkr(r.cells.get(prognos)).is_some()
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    let year = report.meta.year;
    let table = figures_table(
        "diagram_budget_prognos",
        "BUDGET OCH PROGNOS (tkr)",
        source,
        &[budget, prognos],
        &rows,
        vec![
            "Belopp i tkr med huvudbokens tecken: intäkter negativa, kostnader positiva."
                .to_string(),
        ],
    );
    let caption = format!(
        "Budget och prognos {year} per rad i resultaträkningen, tkr. Huvudbokens tecken: intäkter är negativa (staplar åt vänster), kostnader positiva."
    );
    let series = [
        BarSeries {
            name: table.columns[0].label.clone(),
            style: BarStyle::Hatched,
        },
        BarSeries {
            name: table.columns[1].label.clone(),
            style: BarStyle::Solid,
        },
    ];
    let desc = format!(
        "Liggande stapeldiagram, två staplar per rad: randig budget och mörk prognos. {}",
        describe_rows(&table)
    );
    let svg = bar_chart(
        "budget_prognos",
        &caption,
        &desc,
        min_value(&table)
            .filter(|v| *v < 0)
            .map(|_| "Huvudbokens tecken: intäkter negativa, kostnader positiva"),
        &series,
        &groups_of(&table),
    );
    Some(Chart {
        id: "budget_prognos".to_string(),
        section: "drift".to_string(),
        caption,
        svg,
        table,
    })
}

/// The most projects the investment chart draws: with more, a bar group is too thin to
/// read on a page (a register of 300 projects drew a chart 23 000 pixels tall, shrunk onto
/// one page) and the PDF spends most of its time on it. The chart then draws the projects
/// with the largest amounts and says so in its caption; the investment table lists them all.
pub const MAX_PROJECT_BARS: usize = 15;

/// The `n` rows with the largest amount shown in any of `columns` (ties: the table's order),
/// kept in the table's order; all of them when there are no more than `n`.
fn largest<'a>(rows: Vec<&'a Row>, columns: &[usize], n: usize) -> Vec<&'a Row> {
    if rows.len() <= n {
        return rows;
    }
    let size = |r: &Row| {
        columns
            .iter()
            .filter_map(|c| shown_tkr(r.cells.get(*c)))
            .map(i64::unsigned_abs)
            .max()
            .unwrap_or(0)
    };
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(size(rows[i])), i));
    order.truncate(n);
    order.sort_unstable();
    order.into_iter().map(|i| rows[i]).collect()
}

/// Investments per project: utfall, S:a budget and prognos (at most [`MAX_PROJECT_BARS`]
/// projects, the largest).
fn investeringar(report: &Report) -> Option<Chart> {
    let source = report.table("investeringar")?;
    let budget = source
        .column_index("summa_budget")
        .or_else(|| source.column_index("budget"))?;
    let mut columns = Vec::new();
    columns.extend(source.column_index("utfall"));
    columns.push(budget);
    columns.extend(source.column_index("prognos"));
    let rows: Vec<&Row> = source
        .rows
        .iter()
        .filter(|r| r.kind == RowKind::Item)
        .filter(|r| columns.iter().any(|c| shown_tkr(r.cells.get(*c)).is_some()))
        .collect();
    if rows.is_empty() {
        return None;
    }
    let projects = rows.len();
    let rows = largest(rows, &columns, MAX_PROJECT_BARS);
    let table = figures_table(
        "diagram_investeringar",
        "INVESTERINGAR PER PROJEKT (tkr)",
        source,
        &columns,
        &rows,
        Vec::new(),
    );
    let names: Vec<String> = table.columns.iter().map(|c| c.label.clone()).collect();
    let styles: Vec<BarStyle> = table
        .columns
        .iter()
        .map(|c| match c.id.as_str() {
            "utfall" => BarStyle::Solid,
            "prognos" => BarStyle::Orange,
            _ => BarStyle::Hatched,
        })
        .collect();
    let series: Vec<BarSeries> = names
        .iter()
        .zip(&styles)
        .map(|(name, style)| BarSeries {
            name: name.clone(),
            style: *style,
        })
        .collect();
    let period = period_text(report.meta.through_month);
    let mut caption = format!(
        "Investeringar per projekt {}, tkr: utfall {period} mot budget för helåret (med ombudgetering){}.",
        report.meta.year,
        if styles.contains(&BarStyle::Orange) {
            " och prognos"
        } else {
            ""
        }
    );
    if rows.len() < projects {
        caption.push_str(&format!(
            " Diagrammet visar de {} projekt med störst belopp av {projects}; samtliga projekt redovisas i tabellen Investeringar.",
            rows.len()
        ));
    }
    let desc = format!(
        "Liggande stapeldiagram, en grupp staplar per projekt: mörkt utfall, randig budget och orange prognos. {}",
        describe_rows(&table)
    );
    let svg = bar_chart(
        "investeringar",
        &caption,
        &desc,
        None,
        &series,
        &groups_of(&table),
    );
    Some(Chart {
        id: "investeringar".to_string(),
        section: "investeringar".to_string(),
        caption,
        svg,
        table,
    })
}

/// The months from January through `month`: "januari–augusti", "januari", or "perioden"
/// for an impossible month.
fn period_text(month: u32) -> String {
    match crate::common::month_name(month) {
        Some(last) if month > 1 => format!("januari\u{2013}{last}"),
        Some(last) => last.to_string(),
        None => "perioden".to_string(),
    }
}

/// Running sums of öre per month.
fn cumulative(months: &[i64]) -> Vec<i128> {
    let mut sum: i128 = 0;
    months
        .iter()
        .map(|m| {
            sum += i128::from(*m);
            sum
        })
        .collect()
}

/// One line of the cumulative chart.
struct LineSeries {
    name: String,
    /// Exact öre per month, from January; at most 12.
    points: Vec<i128>,
    /// SVG stroke attributes.
    stroke: String,
    /// Whether each point gets a round marker.
    markers: bool,
}

/// The cumulative net cost month by month against an even budget and the prior year.
fn ackumulerat(report: &Report) -> Option<Chart> {
    let monthly = report.monthly.as_ref()?;
    let year = report.meta.year;
    let through = monthly.current_ore.len().min(12);
    let current = cumulative(&monthly.current_ore[..through]);
    let prior = cumulative(&monthly.prior_ore[..monthly.prior_ore.len().min(12)]);
    let budget: Vec<i128> = (1..=12)
        .map(|m| round_div(i128::from(monthly.budget_ore) * m, 12))
        .collect();

    let current_name = format!("Utfall {year}");
    let budget_name = format!("Budget {year}, jämnt fördelad");
    let prior_name = format!("Utfall {}", year - 1);
    let mut series = vec![LineSeries {
        name: current_name.clone(),
        points: current.clone(),
        stroke: format!("stroke=\"{DARK}\" stroke-width=\"3\""),
        markers: true,
    }];
    series.push(LineSeries {
        name: budget_name.clone(),
        points: budget.clone(),
        stroke: format!("stroke=\"{MUTED}\" stroke-width=\"2\" stroke-dasharray=\"9 5\""),
        markers: false,
    });
    if !prior.is_empty() {
        series.push(LineSeries {
            name: prior_name.clone(),
            points: prior.clone(),
            stroke: format!(
                "stroke=\"{ORANGE_DARK}\" stroke-width=\"2.5\" stroke-dasharray=\"1 5\" stroke-linecap=\"round\""
            ),
            markers: false,
        });
    }

    // The figures table: one row per month, each cell rounded to tkr on its own.
    let mut columns = vec![
        Column {
            id: "utfall".to_string(),
            label: format!("Utfall {year}"),
            sum_of: Vec::new(),
        },
        Column {
            id: "budget".to_string(),
            label: format!("Budget {year} jämnt fördelad"),
            sum_of: Vec::new(),
        },
    ];
    if !prior.is_empty() {
        columns.push(Column {
            id: "utfall_fg".to_string(),
            label: format!("Utfall {}", year - 1),
            sum_of: Vec::new(),
        });
    }
    let amount = |ore: Option<&i128>| match ore {
        Some(ore) => Cell::Amount {
            exact_ore: clamp_i64(*ore),
            shown_tkr: ore_to_tkr(*ore),
        },
        None => Cell::Empty,
    };
    let rows: Vec<Row> = (0..12)
        .map(|m| {
            let mut cells = vec![amount(current.get(m)), amount(budget.get(m))];
            if !prior.is_empty() {
                cells.push(amount(prior.get(m)));
            }
            Row {
                key: MONTHS[m].to_string(),
                label: crate::common::month_name(u32::try_from(m + 1).unwrap_or(1))
                    .unwrap_or(MONTHS[m])
                    .to_string(),
                kind: RowKind::Item,
                note: None,
                cells,
                sum_of: Vec::new(),
            }
        })
        .collect();
    let table = Table {
        id: "diagram_ackumulerat".to_string(),
        title: "NETTOKOSTNAD ACKUMULERAD (tkr)".to_string(),
        unit: Unit::Tkr,
        columns,
        rows,
        notes: vec![
            "Nettokostnad = intäkter och kostnader utan kommunbidrag, huvudbokens tecken. Budgeten är helårsbudgeten fördelad jämnt över årets tolv månader. Varje belopp är avrundat till tkr för sig."
                .to_string(),
        ],
    };

    let period = period_text(u32::try_from(through).unwrap_or(0));
    let last = crate::common::month_name(u32::try_from(through).unwrap_or(0)).unwrap_or("");
    let caption = if prior.is_empty() {
        format!(
            "Nettokostnad ackumulerad månad för månad, tkr: utfall {year} {period} mot budgeten fördelad jämnt över året."
        )
    } else {
        format!(
            "Nettokostnad ackumulerad månad för månad, tkr: utfall {year} {period} mot budgeten fördelad jämnt över året och utfallet {}.",
            year - 1
        )
    };
    let mut desc = format!("Linjediagram. Heldragen linje med punkter: {current_name}");
    if let Some(v) = current.last() {
        desc.push_str(&format!(
            ", ackumulerat {} tkr t.o.m. {last}",
            label(ore_to_tkr(*v))
        ));
    }
    desc.push_str(&format!(
        ". Streckad linje: {budget_name}, {} tkr för helåret",
        label(ore_to_tkr(budget.last().copied().unwrap_or(0)))
    ));
    if let Some(v) = budget
        .get(through.saturating_sub(1))
        .filter(|_| through > 0)
    {
        desc.push_str(&format!(" och {} tkr t.o.m. {last}", label(ore_to_tkr(*v))));
    }
    desc.push('.');
    if let Some(v) = prior.last() {
        desc.push_str(&format!(
            " Prickad linje: {prior_name}, {} tkr för helåret",
            label(ore_to_tkr(*v))
        ));
        if let Some(at) = prior.get(through.saturating_sub(1)).filter(|_| through > 0) {
            desc.push_str(&format!(
                " och {} tkr t.o.m. {last}",
                label(ore_to_tkr(*at))
            ));
        }
        desc.push('.');
    }

    let svg = line_chart("ackumulerat", &caption, &desc, &series, through);
    Some(Chart {
        id: "ackumulerat".to_string(),
        section: "drift".to_string(),
        caption,
        svg,
        table,
    })
}

/// The line chart of the cumulative figures: months on the x axis, tkr on the y axis,
/// the current year's last point labelled at the point, the full-year lines labelled at
/// the right edge.
fn line_chart(
    chart_id: &str,
    title: &str,
    desc: &str,
    series: &[LineSeries],
    through: usize,
) -> String {
    const HEIGHT: i64 = 380;
    const TOP: i64 = 52;
    const BOTTOM: i64 = 330;
    const X0: i64 = 70;
    const X1: i64 = 600;

    let all_tkr: Vec<i64> = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| ore_to_tkr(*p)))
        .collect();
    let ticks = Ticks::covering(
        all_tkr.iter().copied().min().unwrap_or(0),
        all_tkr.iter().copied().max().unwrap_or(0),
        6,
    );
    // Öre on the y axis so the lines are placed by the exact figures.
    let y = Scale::new(
        i128::from(ticks.lo) * 100_000,
        i128::from(ticks.hi) * 100_000,
        BOTTOM,
        TOP,
    );
    let x = |month: usize| X0 + i64::try_from(month).unwrap_or(0) * (X1 - X0) / 11;

    let mut out = String::with_capacity(4096);
    svg_start(&mut out, chart_id, HEIGHT, title, desc);

    // Legend.
    let mut lx = X0;
    for s in series {
        out.push_str(&format!(
            "<line x1=\"{lx}\" y1=\"16\" x2=\"{}\" y2=\"16\" fill=\"none\" {}/>\n",
            lx + 30,
            s.stroke
        ));
        if s.markers {
            out.push_str(&format!(
                "<circle cx=\"{}\" cy=\"16\" r=\"4\" fill=\"{DARK}\" stroke=\"#ffffff\" stroke-width=\"1.5\"/>\n",
                lx + 15
            ));
        }
        text(&mut out, lx + 36, 20, "start", "", &s.name);
        lx += 36 + text_width(&s.name, FONT) + 24;
    }

    // Grid, y ticks and month labels.
    out.push_str(&format!("<g stroke=\"{GRID}\" stroke-width=\"1\">\n"));
    for t in ticks.values() {
        let ty = y.px(i128::from(t) * 100_000);
        out.push_str(&format!(
            "<line x1=\"{X0}\" y1=\"{ty}\" x2=\"{X1}\" y2=\"{ty}\"/>\n"
        ));
    }
    out.push_str("</g>\n");
    out.push_str(&format!("<g fill=\"{MUTED}\" font-size=\"{SMALL}\">\n"));
    for t in ticks.values() {
        let ty = y.px(i128::from(t) * 100_000);
        text(&mut out, X0 - 8, ty + 4, "end", "", &label(t));
    }
    text(&mut out, X0 - 8, TOP - 14, "end", "", "tkr");
    for (m, name) in MONTHS.iter().enumerate() {
        text(&mut out, x(m), BOTTOM + 18, "middle", "", name);
    }
    out.push_str("</g>\n");
    let zero = y.px(0);
    out.push_str(&format!(
        "<line x1=\"{X0}\" y1=\"{zero}\" x2=\"{X1}\" y2=\"{zero}\" stroke=\"{INK}\" stroke-width=\"1.25\"/>\n"
    ));
    // The end of the interim period.
    if (1..12).contains(&through) {
        let px = x(through - 1);
        out.push_str(&format!(
            "<line x1=\"{px}\" y1=\"{TOP}\" x2=\"{px}\" y2=\"{BOTTOM}\" stroke=\"{MUTED}\" stroke-width=\"1\" stroke-dasharray=\"2 3\"/>\n"
        ));
        text(
            &mut out,
            px,
            TOP - 6,
            "middle",
            &format!("fill=\"{MUTED}\" font-size=\"{SMALL}\""),
            &format!("t.o.m. {}", MONTHS[through - 1]),
        );
    }

    // Lines, drawn last series first so the current year lies on top.
    for s in series.iter().rev() {
        let points: Vec<String> = s
            .points
            .iter()
            .enumerate()
            .map(|(m, v)| format!("{},{}", x(m), y.px(*v)))
            .collect();
        if points.len() > 1 {
            out.push_str(&format!(
                "<polyline points=\"{}\" fill=\"none\" stroke-linejoin=\"round\" {}/>\n",
                points.join(" "),
                s.stroke
            ));
        }
        if s.markers || points.len() == 1 {
            for (m, v) in s.points.iter().enumerate() {
                out.push_str(&format!(
                    "<circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"{DARK}\" stroke=\"#ffffff\" stroke-width=\"1.5\"/>\n",
                    x(m),
                    y.px(*v)
                ));
            }
        }
    }

    // Direct labels. Lines that reach December are labelled at the right edge, moved
    // apart so they do not overlap; the current year, when it ends earlier, at its last
    // point, above or below the budget line whichever side it lies on.
    let mut right: Vec<(i64, &LineSeries, i128)> = Vec::new();
    for s in series {
        let Some(last) = s.points.last() else {
            continue;
        };
        if s.points.len() == 12 {
            right.push((y.px(*last), s, *last));
        } else {
            let m = s.points.len() - 1;
            let budget_at = series
                .get(1)
                .and_then(|b| b.points.get(m))
                .copied()
                .unwrap_or(*last);
            let py = y.px(*last);
            let ty = if *last >= budget_at { py - 10 } else { py + 20 };
            value_text(
                &mut out,
                x(m),
                ty,
                "middle",
                true,
                &label(ore_to_tkr(*last)),
            );
        }
    }
    right.sort_by_key(|(py, _, _)| *py);
    let mut placed: Vec<i64> = Vec::new();
    for (py, _, _) in &right {
        let min = placed.last().map(|p| p + 30).unwrap_or(TOP);
        placed.push((*py).max(min));
    }
    // Push back up if the last label fell below the plot.
    let mut limit = BOTTOM + 10;
    for p in placed.iter_mut().rev() {
        if *p > limit {
            *p = limit;
        }
        limit = *p - 30;
    }
    for ((_, s, last), py) in right.iter().zip(&placed) {
        let name = short_name(&s.name);
        text(
            &mut out,
            X1 + 10,
            py - 2,
            "start",
            &format!("font-size=\"{SMALL}\" fill=\"{MUTED}\""),
            &name,
        );
        value_text(
            &mut out,
            X1 + 10,
            py + 12,
            "start",
            true,
            &label(ore_to_tkr(*last)),
        );
    }
    svg_end(&mut out);
    out
}

/// The name of a series without what follows a comma ("Budget 2023, jämnt fördelad" →
/// "Budget 2023").
fn short_name(name: &str) -> String {
    name.split(',').next().unwrap_or(name).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(round_div(5, 10), 1);
        assert_eq!(round_div(4, 10), 0);
        assert_eq!(round_div(-5, 10), -1);
        assert_eq!(round_div(-4, 10), 0);
        assert_eq!(round_div(15, 10), 2);
        assert_eq!(round_div(7, 0), 0);
        assert_eq!(ore_to_tkr(1_757_850_000), 17_579);
        assert_eq!(ore_to_tkr(1_757_849_999), 17_578);
        assert_eq!(ore_to_tkr(-40_150_000), -402);
        assert_eq!(ore_to_tkr(-40_149_999), -401);
        assert_eq!(ore_to_tkr(0), 0);
    }

    #[test]
    fn ticks_are_round_and_cover_zero() {
        let t = Ticks::covering(0, 3750, 6);
        assert_eq!((t.lo, t.hi, t.step), (0, 4000, 1000));
        assert_eq!(t.values(), [0, 1000, 2000, 3000, 4000]);
        let t = Ticks::covering(-8213, 15730, 6);
        assert_eq!((t.lo, t.hi, t.step), (-10_000, 20_000, 5000));
        let t = Ticks::covering(0, 26_012, 6);
        assert_eq!((t.lo, t.hi, t.step), (0, 30_000, 5000));
        let t = Ticks::covering(0, 26_012, 10);
        assert_eq!((t.lo, t.hi, t.step), (0, 30_000, 5000));
        let t = Ticks::covering(0, 26_012, 14);
        assert_eq!((t.lo, t.hi, t.step), (0, 28_000, 2000));
        let t = Ticks::covering(-5, -3, 6);
        assert_eq!((t.lo, t.hi, t.step), (-5, 0, 1));
        let t = Ticks::covering(120, 480, 6);
        assert_eq!((t.lo, t.hi, t.step), (0, 500, 100));
        let t = Ticks::covering(0, 0, 6);
        assert_eq!((t.lo, t.hi, t.step), (0, 1, 1));
        let t = Ticks::covering(i64::MIN, i64::MAX, 6);
        assert!(t.step > 0 && t.values().len() <= 7);
    }

    #[test]
    fn scale_maps_ends_and_rounds() {
        let s = Scale::new(0, 4000, 100, 500);
        assert_eq!(s.px(0), 100);
        assert_eq!(s.px(4000), 500);
        assert_eq!(s.px(2000), 300);
        assert_eq!(s.px(238), 124);
        // A y axis runs downwards.
        let y = Scale::new(-1000, 3000, 300, 100);
        assert_eq!(y.px(-1000), 300);
        assert_eq!(y.px(0), 250);
        assert_eq!(y.px(3000), 100);
        // An empty range does not divide by zero.
        assert_eq!(Scale::new(5, 5, 0, 10).px(5), 0);
    }

    #[test]
    fn labels_are_swedish() {
        assert_eq!(label(3750), "3\u{a0}750");
        assert_eq!(label(-402), "\u{2212}402");
        assert_eq!(label(0), "0");
        assert_eq!(label(-10_000), "\u{2212}10\u{a0}000");
    }

    #[test]
    fn long_labels_wrap_in_two() {
        assert_eq!(wrap_label("Intäkter", 100), ["Intäkter"]);
        assert_eq!(
            wrap_label("S:a investeringar Servicenämnd IT", 150),
            ["S:a investeringar", "Servicenämnd IT"]
        );
        assert_eq!(wrap_label("Ettenda", 30), ["Ett\u{2026}"]);
        assert_eq!(wrap_label("Ettenda", 80), ["Ettenda"]);
        let long =
            "Ombyggnation och reinvestering av trådlöst nätverk i samtliga skolor och förskolor";
        let lines = wrap_label(long, 230);
        assert_eq!(lines.len(), 2);
        assert!(
            lines.iter().all(|l| text_width(l, FONT) <= 230),
            "{lines:?}"
        );
        assert_eq!(lines[0], "Ombyggnation och reinvestering av");
        assert!(lines[1].starts_with("trådlöst nätverk"));
        assert!(lines[1].ends_with('\u{2026}'));
    }

    #[test]
    fn text_width_estimate() {
        assert_eq!(text_width("", 12), 0);
        assert_eq!(text_width("17 579", 11), 37);
        assert_eq!(text_width("Övriga kostnader", 12), 108);
    }

    #[test]
    fn hatching_stays_inside_the_bar() {
        for (x, y, w, h) in [
            (100, 40, 57, 16),
            (0, 0, 18, 12),
            (333, 91, 1, 16),
            (7, 3, 400, 5),
        ] {
            let mut out = String::new();
            bar(&mut out, x, y, w, h, BarStyle::Hatched);
            let Some(d) = out.split("d=\"").nth(1).and_then(|r| r.split('"').next()) else {
                panic!("no hatching in {out}");
            };
            let numbers: Vec<i64> = d
                .split(['M', 'L', ' '])
                .filter(|t| !t.is_empty())
                .map(|t| t.parse().unwrap_or(i64::MIN))
                .collect();
            assert!(numbers.len() >= 4 && numbers.len().is_multiple_of(4), "{d}");
            for point in numbers.chunks(2) {
                assert!((x..=x + w).contains(&point[0]), "{d}");
                assert!((y..=y + h).contains(&point[1]), "{d}");
            }
            // Each segment runs at 45° (x + y constant).
            for segment in numbers.chunks(4) {
                assert_eq!(segment[0] + segment[1], segment[2] + segment[3], "{d}");
            }
        }
        // Solid bars have no hatching; an empty bar draws nothing.
        let mut out = String::new();
        bar(&mut out, 0, 0, 10, 10, BarStyle::Solid);
        assert!(!out.contains("<path"));
        let mut out = String::new();
        bar(&mut out, 0, 0, 0, 10, BarStyle::Hatched);
        assert!(out.is_empty());
    }

    #[test]
    fn period_texts() {
        assert_eq!(period_text(8), "januari\u{2013}augusti");
        assert_eq!(period_text(1), "januari");
        assert_eq!(period_text(13), "perioden");
    }

    #[test]
    fn short_names() {
        assert_eq!(short_name("Budget 2023, jämnt fördelad"), "Budget 2023");
        assert_eq!(short_name("Utfall 2022"), "Utfall 2022");
    }
}
