//! Scoring alerts against true incidents, as FORMATS.md defines it.
//!
//! An alert **catches** an incident when
//! 1. it was emitted between the incident's `t` and `until`, both included
//!    (`t <= emitted <= until`), and
//! 2. its position (`x`, `y`, the track's position at the alert's own `t`)
//!    lies within `catch_radius_m` (1 m; a distance of exactly 1 m counts)
//!    (plus 1 nm, so that decimal inputs such as a 0.6 / 0.8 offset are not
//!    lost to rounding) of the ground-truth position of one of the
//!    incident's objects, taken
//!    at that object's annotated time nearest to the alert's `t` (the
//!    earlier one on a tie).
//!
//! An incident's **time to alert** is `emitted - t` for the first alert (in
//! emission order) that catches it; an alert that catches no incident is a
//! **false alert**. `ended` notices (`phase` = `ended`) are not alerts and
//! are skipped. False alerts per hour divide by the scene's duration: the
//! time span of the ground truth.
//!
//! The 95th percentile of the times to alert is computed over the caught
//! incidents by linear interpolation between closest ranks (NumPy's
//! default): with sorted values `v[0..n]`, rank `r = 0.95 (n - 1)`, value
//! `v[floor r] + (r - floor r) (v[ceil r] - v[floor r])`.
//!
//! ```
//! use fusetrack::io::{AlertRow, GroundTruthRow, Incident};
//! use fusetrack::metrics::alerts::score_alerts;
//! use fusetrack::TrackId;
//! let gt: Vec<GroundTruthRow> = (0..=100)
//!     .map(|k| GroundTruthRow { t_s: k as f64, id: 7, x: k as f64 * 0.1, y: 0.0 })
//!     .collect();
//! let incidents = [Incident { t_s: 40.0, until_s: 60.0, kind: "intrusion".into(), ids: vec![7], zone: None }];
//! let alert = |t: f64, emitted: f64, x: f64| AlertRow {
//!     t_s: t, emitted_s: emitted, kind: "zone_entered".into(), track: TrackId(1), zone: None,
//!     severity: "high".into(), x, y: 0.0, rule: None, cameras: vec![], phase: None,
//! };
//! // Caught 1.5 s after the incident began; one alert elsewhere is false.
//! let s = score_alerts(&[alert(41.0, 41.5, 4.1), alert(50.0, 50.5, 9.0)], &incidents, &gt, 1.0)?;
//! assert_eq!((s.caught, s.missed, s.false_alerts), (1, 0, 1));
//! assert_eq!(s.incidents[0].time_to_alert_s, Some(1.5));
//! assert_eq!(s.false_alerts_per_hour, Some(36.0)); // 1 in 100 s
//! # Ok::<(), fusetrack::Error>(())
//! ```

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::io::{AlertRow, GroundTruthRow, Incident};

/// Tolerance added to the catch radius for rounding, metres.
const ROUNDING_M: f64 = 1e-9;

/// How one incident fared.
///
/// ```
/// use fusetrack::io::Incident;
/// use fusetrack::metrics::alerts::score_alerts;
/// let inc = Incident { t_s: 1.0, until_s: 2.0, kind: "intrusion".into(), ids: vec![1], zone: None };
/// let s = score_alerts(&[], &[inc], &[], 1.0)?;
/// assert!(!s.incidents[0].caught && s.incidents[0].time_to_alert_s.is_none());
/// assert_eq!(s.missed, 1);
/// # Ok::<(), fusetrack::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct IncidentScore {
    /// Its index in the incident list.
    pub index: usize,
    /// Its kind.
    pub kind: String,
    /// When it began, seconds.
    pub t_s: f64,
    /// When it ended, seconds.
    pub until_s: f64,
    /// Whether some alert caught it.
    pub caught: bool,
    /// `emitted - t` of the first catching alert, seconds.
    pub time_to_alert_s: Option<f64>,
    /// Index (in the alert list given) of the first catching alert.
    pub first_alert: Option<usize>,
}

/// Alert scores of a run.
///
/// ```
/// use fusetrack::metrics::alerts::score_alerts;
/// let s = score_alerts(&[], &[], &[], 1.0)?;
/// assert_eq!((s.caught, s.missed, s.false_alerts, s.alerts), (0, 0, 0, 0));
/// assert_eq!(s.time_to_alert_p95_s, None);
/// # Ok::<(), fusetrack::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct AlertScores {
    /// Per incident, in the order given.
    pub incidents: Vec<IncidentScore>,
    /// Incidents caught.
    pub caught: usize,
    /// Incidents missed.
    pub missed: usize,
    /// Alerts scored (ended notices excluded).
    pub alerts: usize,
    /// Alerts that caught no incident.
    pub false_alerts: usize,
    /// Indices of the false alerts in the list given.
    pub false_alert_indices: Vec<usize>,
    /// Scene duration (ground-truth time span), seconds.
    pub duration_s: f64,
    /// False alerts per hour of scene; `None` when the duration is 0.
    pub false_alerts_per_hour: Option<f64>,
    /// Mean time to alert over the caught incidents, seconds.
    pub time_to_alert_mean_s: Option<f64>,
    /// 95th percentile of the time to alert over the caught incidents.
    pub time_to_alert_p95_s: Option<f64>,
}

/// Scores `alerts` against `incidents` with the ground truth, as the
/// [module documentation](self) says.
///
/// # Errors
/// [`Error::InvalidField`] when `catch_radius_m` is not a finite
/// non-negative number or an alert time or position is not finite.
///
/// ```
/// use fusetrack::io::{AlertRow, GroundTruthRow, Incident};
/// use fusetrack::metrics::alerts::score_alerts;
/// use fusetrack::{Error, TrackId};
/// // Object 1 stands at (0, 0), object 2 at (10, 0), annotated every 10 s for 100 s.
/// let gt: Vec<GroundTruthRow> = (0..=10)
///     .flat_map(|k| {
///         let t_s = k as f64 * 10.0;
///         [GroundTruthRow { t_s, id: 1, x: 0.0, y: 0.0 }, GroundTruthRow { t_s, id: 2, x: 10.0, y: 0.0 }]
///     })
///     .collect();
/// let incident = |t_s: f64, id: u64| Incident {
///     t_s, until_s: t_s + 10.0, kind: "intrusion".into(), ids: vec![id], zone: None,
/// };
/// let incidents = [incident(10.0, 1), incident(30.0, 2), incident(50.0, 1)];
/// let alert = |t_s: f64, emitted_s: f64, x: f64, y: f64, phase: Option<&str>| AlertRow {
///     t_s, emitted_s, kind: "zone_entered".into(), track: TrackId(1), zone: None,
///     severity: "high".into(), x, y, rule: None, cameras: vec![], phase: phase.map(Into::into),
/// };
/// let alerts = [
///     alert(11.0, 12.0, 0.5, 0.0, None),            // catches incident 0, 2 s after it began
///     alert(12.0, 12.5, 0.0, 0.0, Some("ended")),   // an ended notice: not an alert
///     alert(31.0, 35.0, 10.0, 1.0, None),           // exactly 1 m away: catches incident 1
///     alert(50.0, 61.0, 0.0, 0.0, None),            // emitted after `until`: false
/// ];
/// let s = score_alerts(&alerts, &incidents, &gt, 1.0)?;
/// assert_eq!((s.caught, s.missed, s.alerts, s.false_alerts), (2, 1, 3, 1));
/// assert_eq!(s.false_alert_indices, vec![3]);
/// assert_eq!(s.incidents[1].first_alert, Some(2));
/// assert!(!s.incidents[2].caught);
/// assert_eq!(s.duration_s, 100.0);
/// assert_eq!(s.false_alerts_per_hour, Some(36.0));
/// assert_eq!(s.time_to_alert_mean_s, Some(3.5));
/// // p95 of [2, 5]: 2 + 0.95 * (5 - 2)
/// assert!((s.time_to_alert_p95_s.unwrap() - 4.85).abs() < 1e-12);
/// // A negative catch radius is refused.
/// assert!(matches!(score_alerts(&alerts, &incidents, &gt, -1.0), Err(Error::InvalidField { .. })));
/// # Ok::<(), fusetrack::Error>(())
/// ```
pub fn score_alerts(
    alerts: &[AlertRow],
    incidents: &[Incident],
    ground_truth: &[GroundTruthRow],
    catch_radius_m: f64,
) -> Result<AlertScores> {
    if !(catch_radius_m.is_finite() && catch_radius_m >= 0.0) {
        return Err(Error::InvalidField {
            at: crate::Location::none(),
            field: "catch_radius_m".into(),
            reason: format!("must be a finite number >= 0, got {catch_radius_m}"),
        });
    }
    for (i, a) in alerts.iter().enumerate() {
        if ![a.t_s, a.emitted_s, a.x, a.y].iter().all(|v| v.is_finite()) {
            return Err(Error::InvalidField {
                at: crate::Location::none(),
                field: format!("alerts[{i}]"),
                reason: "times and position must be finite".into(),
            });
        }
    }
    // Ground truth per object, sorted by time.
    let mut by_id: BTreeMap<u64, Vec<(f64, [f64; 2])>> = BTreeMap::new();
    let (mut t_min, mut t_max) = (f64::INFINITY, f64::NEG_INFINITY);
    for r in ground_truth.iter().filter(|r| r.t_s.is_finite()) {
        by_id.entry(r.id).or_default().push((r.t_s, [r.x, r.y]));
        t_min = t_min.min(r.t_s);
        t_max = t_max.max(r.t_s);
    }
    for v in by_id.values_mut() {
        v.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    let duration_s = if t_max >= t_min { t_max - t_min } else { 0.0 };

    // Alerts proper, in emission order (stable on ties).
    let mut order: Vec<usize> =
        (0..alerts.len()).filter(|&i| alerts[i].phase.as_deref() != Some("ended")).collect();
    order.sort_by(|&a, &b| alerts[a].emitted_s.total_cmp(&alerts[b].emitted_s));

    let catches = |a: &AlertRow, inc: &Incident| -> bool {
        if !(a.emitted_s >= inc.t_s && a.emitted_s <= inc.until_s) {
            return false;
        }
        inc.ids.iter().any(|id| {
            by_id
                .get(id)
                .and_then(|rows| nearest(rows, a.t_s))
                .is_some_and(|p| (p[0] - a.x).hypot(p[1] - a.y) <= catch_radius_m + ROUNDING_M)
        })
    };

    let mut caught_any = vec![false; alerts.len()];
    let mut scores = Vec::with_capacity(incidents.len());
    for (k, inc) in incidents.iter().enumerate() {
        let mut first = None;
        for &i in &order {
            if catches(&alerts[i], inc) {
                caught_any[i] = true;
                first.get_or_insert(i);
            }
        }
        scores.push(IncidentScore {
            index: k,
            kind: inc.kind.clone(),
            t_s: inc.t_s,
            until_s: inc.until_s,
            caught: first.is_some(),
            time_to_alert_s: first.map(|i| alerts[i].emitted_s - inc.t_s),
            first_alert: first,
        });
    }
    let false_alert_indices: Vec<usize> =
        order.iter().copied().filter(|&i| !caught_any[i]).collect();
    let mut ttas: Vec<f64> = scores.iter().filter_map(|s| s.time_to_alert_s).collect();
    ttas.sort_by(f64::total_cmp);
    let caught = ttas.len();
    let false_alerts = false_alert_indices.len();
    Ok(AlertScores {
        caught,
        missed: incidents.len() - caught,
        alerts: order.len(),
        false_alerts,
        false_alert_indices,
        duration_s,
        false_alerts_per_hour: (duration_s > 0.0)
            .then(|| false_alerts as f64 * 3600.0 / duration_s),
        time_to_alert_mean_s: (caught > 0).then(|| ttas.iter().sum::<f64>() / caught as f64),
        time_to_alert_p95_s: percentile(&ttas, 0.95),
        incidents: scores,
    })
}

/// The position at the annotated time nearest to `t` (the earlier on a tie).
fn nearest(rows: &[(f64, [f64; 2])], t: f64) -> Option<[f64; 2]> {
    let i = rows.partition_point(|r| r.0 < t);
    let after = rows.get(i);
    let before = i.checked_sub(1).and_then(|j| rows.get(j));
    match (before, after) {
        (Some(b), Some(a)) => Some(if t - b.0 <= a.0 - t { b.1 } else { a.1 }),
        (Some(b), None) => Some(b.1),
        (None, Some(a)) => Some(a.1),
        (None, None) => None,
    }
}

/// Linear-interpolation percentile of sorted values (`q` in 0..=1).
fn percentile(sorted: &[f64], q: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let r = q * (n - 1) as f64;
    let lo = r.floor() as usize;
    let hi = r.ceil() as usize;
    let (a, b) = (sorted.get(lo)?, sorted.get(hi)?);
    Some(a + (r - lo as f64) * (b - a))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentile_matches_numpy() {
        // numpy.percentile([1, 2, 3, 4, 10], 95) = 8.8
        assert!((percentile(&[1.0, 2.0, 3.0, 4.0, 10.0], 0.95).unwrap() - 8.8).abs() < 1e-12);
        assert_eq!(percentile(&[2.5], 0.95), Some(2.5));
        assert_eq!(percentile(&[], 0.95), None);
    }

    #[test]
    fn nearest_prefers_earlier_on_tie() {
        let rows = [(0.0, [0.0, 0.0]), (1.0, [1.0, 0.0])];
        assert_eq!(nearest(&rows, 0.5), Some([0.0, 0.0]));
        assert_eq!(nearest(&rows, 0.51), Some([1.0, 0.0]));
        assert_eq!(nearest(&rows, -3.0), Some([0.0, 0.0]));
        assert_eq!(nearest(&rows, 9.0), Some([1.0, 0.0]));
    }
}
