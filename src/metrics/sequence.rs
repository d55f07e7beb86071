//! Whole-sequence helpers: timed ground points, MOTChallenge box files.

use std::collections::BTreeMap;

use crate::detection::BBox;
use crate::error::{Error, Location, Result};
use crate::io::motchallenge::MotRow;
use crate::metrics::accumulator::{Counts, FrameData, MotAccumulator, Scores};
use crate::metrics::similarity::{BoxIou, GroundPoints};

/// One timed ground point: `(t_s, id, [x_m, y_m])`: capture time in
/// seconds, object or track id, position on the ground in metres. The input
/// of [`evaluate_points`].
///
/// ```
/// use fusetrack::metrics::{evaluate_points, TimedPoint};
/// let gt: Vec<TimedPoint> = (0..5).map(|i| (0.1 * i as f64, 1, [0.5 * i as f64, 0.0])).collect();
/// // A track 0.2 m to the side of the walker, every frame.
/// let hyp: Vec<TimedPoint> = gt.iter().map(|&(t_s, _, [x, y])| (t_s, 42, [x, y + 0.2])).collect();
/// let s = evaluate_points(&gt, &hyp, 1.0)?;
/// assert_eq!((s.num_frames, s.tp, s.id_switches), (5, 5, 0));
/// assert!((s.motp - 0.2).abs() < 1e-12);
/// # Ok::<(), fusetrack::Error>(())
/// ```
pub type TimedPoint = (f64, u64, [f64; 2]);

/// Scores ground-plane tracks against ground truth, Euclidean distance,
/// a match needs `d <= threshold_m`; see [`evaluate_points_with`].
///
/// ```
/// use fusetrack::metrics::evaluate_points;
/// let gt = [(0.0, 1, [0.0, 0.0]), (1.0, 1, [1.0, 0.0]), (2.0, 1, [2.0, 0.0])];
/// // the tracker loses the person at t = 1 and comes back with a new id
/// let hyp = [(0.0, 5, [0.2, 0.0]), (2.0, 6, [2.0, 0.3])];
/// let s = evaluate_points(&gt, &hyp, 1.0)?;
/// assert_eq!((s.tp, s.fn_, s.id_switches, s.fragmentations), (2, 1, 1, 1));
/// assert!((s.mota - (1.0 - 2.0 / 3.0)).abs() < 1e-12);
/// # Ok::<(), fusetrack::Error>(())
/// ```
///
/// # Errors
/// As [`evaluate_points_with`].
pub fn evaluate_points(gt: &[TimedPoint], hyp: &[TimedPoint], threshold_m: f64) -> Result<Scores> {
    Ok(evaluate_points_with(gt, hyp, GroundPoints::new(threshold_m))?.scores())
}

/// Counts of timed ground points against ground truth (combine sequences
/// with [`Counts::merge`]).
///
/// Frames are the distinct ground-truth times; a ground-truth time without
/// any hypothesis is a frame with no hypotheses. Each hypothesis goes to the
/// ground-truth time nearest to its own `t_s` if it is no farther than half
/// the smallest step between consecutive ground-truth times (exactly half
/// way: the earlier one; a single ground-truth time: equal times only).
/// Hypotheses at other times are ignored: tracks are usually reported at
/// every capture time, ground truth is annotated more sparsely.
/// The order of points within a time does not matter, except that ground
/// truth is processed in input order within a frame (which decides ties
/// between two objects claiming the same earlier hypothesis, as in
/// py-motmetrics).
///
/// ```
/// use fusetrack::metrics::{evaluate_points_with, GroundPoints};
/// let gt = [(0.0, 1, [0.0, 0.0]), (0.1, 1, [0.0, 0.0])];
/// let hyp = [(0.01, 3, [0.0, 0.0]), (0.09, 3, [0.0, 0.0]), (7.0, 4, [0.0, 0.0])];
/// let c = evaluate_points_with(&gt, &hyp, GroundPoints::new(1.0))?;
/// assert_eq!((c.clear.matches, c.clear.false_positives), (2, 0)); // t = 7 is ignored
/// # Ok::<(), fusetrack::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidField`] naming the input (`gt[i]` or `hyp[i]`) for a
/// non-finite time or coordinate, and for an id that occurs twice at one time.
pub fn evaluate_points_with(
    gt: &[TimedPoint],
    hyp: &[TimedPoint],
    similarity: GroundPoints,
) -> Result<Counts> {
    let bad = |side: &str, i: usize, reason: String| Error::InvalidField {
        at: Location::none(),
        field: format!("{side}[{i}]"),
        reason,
    };
    for (side, list) in [("gt", gt), ("hyp", hyp)] {
        for (i, (t, _, p)) in list.iter().enumerate() {
            if !t.is_finite() {
                return Err(bad(side, i, format!("time must be a finite number, got {t}")));
            }
            if !(p[0].is_finite() && p[1].is_finite()) {
                return Err(bad(side, i, format!("coordinates must be finite numbers, got {p:?}")));
            }
        }
    }
    // Ground truth in time order, stable within a time.
    let mut order: Vec<usize> = (0..gt.len()).collect();
    order.sort_by(|&a, &b| {
        let ta = gt.get(a).map_or(0.0, |g| g.0);
        let tb = gt.get(b).map_or(0.0, |g| g.0);
        ta.total_cmp(&tb)
    });
    let mut times: Vec<f64> = order.iter().filter_map(|&i| gt.get(i).map(|g| g.0)).collect();
    times.dedup();
    let half_step = times.windows(2).map(|w| w[1] - w[0]).fold(f64::INFINITY, f64::min) / 2.0;
    let tol = if half_step.is_finite() { half_step } else { 0.0 };

    // Hypotheses by frame, input order kept.
    let mut hyp_of: Vec<Vec<usize>> = vec![Vec::new(); times.len()];
    for (i, (t, _, _)) in hyp.iter().enumerate() {
        let k = times.partition_point(|x| x < t);
        let before = k.checked_sub(1).and_then(|b| times.get(b).map(|x| (b, t - x)));
        let after = times.get(k).map(|x| (k, x - t));
        let best = match (before, after) {
            (Some(b), Some(a)) => Some(if b.1 <= a.1 { b } else { a }),
            (b, a) => b.or(a),
        };
        if let Some((f, d)) = best {
            if d <= tol {
                if let Some(v) = hyp_of.get_mut(f) {
                    v.push(i);
                }
            }
        }
    }

    let mut acc = MotAccumulator::new(similarity);
    let (mut gid, mut gpt, mut hid, mut hpt) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut next = 0usize;
    for (f, t) in times.iter().enumerate() {
        gid.clear();
        gpt.clear();
        while let Some(&i) = order.get(next) {
            match gt.get(i) {
                Some(g) if g.0 == *t => {
                    gid.push(g.1);
                    gpt.push(g.2);
                    next += 1;
                }
                _ => break,
            }
        }
        hid.clear();
        hpt.clear();
        for &j in hyp_of.get(f).map_or(&[][..], |v| v.as_slice()) {
            if let Some(h) = hyp.get(j) {
                hid.push(h.1);
                hpt.push(h.2);
            }
        }
        acc.push_frame(FrameData { gt_ids: &gid, gt: &gpt, hyp_ids: &hid, hyp: &hpt })
            .map_err(|e| retag(e, &format!("t = {t} s")))?;
    }
    acc.counts()
}

/// Scores a MOTChallenge result against ground truth with IoU, the way
/// py-motmetrics' `compare_to_groundtruth(gt, ts, 'iou', distth=1 - min_iou)`
/// does: frames are the union of the frames of both files (a frame with only
/// hypotheses adds false positives), every row takes part (filter the
/// rows first, e.g. MOT16 ground truth with `conf == 0` or a distractor
/// class, if your protocol says so), ids are the `id` column.
///
/// ```
/// use fusetrack::BBox;
/// use fusetrack::io::MotRow;
/// use fusetrack::metrics::evaluate_mot;
/// let b = BBox { x: 10.0, y: 10.0, w: 20.0, h: 40.0 };
/// let gt = [MotRow::result(1, 1, b, 1.0), MotRow::result(2, 1, b, 1.0)];
/// let ts = [MotRow::result(1, 8, b, -1.0), MotRow::result(3, 8, b, -1.0)];
/// let s = evaluate_mot(&gt, &ts, 0.5)?.scores();
/// assert_eq!((s.num_frames, s.tp, s.fn_, s.fp), (3, 1, 1, 1));
/// # Ok::<(), fusetrack::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidField`] for a box with a non-finite or negative number,
/// or an id that occurs twice in one frame (naming the frame).
pub fn evaluate_mot(gt: &[MotRow], hyp: &[MotRow], min_iou: f64) -> Result<Counts> {
    let mut frames: BTreeMap<u64, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
    for (i, r) in gt.iter().enumerate() {
        frames.entry(r.frame).or_default().0.push(i);
    }
    for (j, r) in hyp.iter().enumerate() {
        frames.entry(r.frame).or_default().1.push(j);
    }
    let mut acc = MotAccumulator::new(BoxIou::new(min_iou));
    let (mut gid, mut gb, mut hid, mut hb): (Vec<u64>, Vec<BBox>, Vec<u64>, Vec<BBox>) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (frame, (gi, hj)) in &frames {
        gid.clear();
        gb.clear();
        for r in gi.iter().filter_map(|&i| gt.get(i)) {
            gid.push(r.id as u64);
            gb.push(r.bbox);
        }
        hid.clear();
        hb.clear();
        for r in hj.iter().filter_map(|&j| hyp.get(j)) {
            hid.push(r.id as u64);
            hb.push(r.bbox);
        }
        acc.push_frame(FrameData { gt_ids: &gid, gt: &gb, hyp_ids: &hid, hyp: &hb })
            .map_err(|e| retag(e, &format!("MOT frame {frame}")))?;
    }
    acc.counts()
}

/// Replaces the accumulator's frame counter in an error by a clearer name.
fn retag(e: Error, what: &str) -> Error {
    match e {
        Error::InvalidField { at, field, reason } => {
            let field = match field.split_once(": ") {
                Some((_, rest)) => format!("{what}: {rest}"),
                None => format!("{what}: {field}"),
            };
            Error::InvalidField { at, field, reason }
        }
        other => other,
    }
}
