//! Edge cases of the metrics: empty ground truth, empty hypotheses, invalid
//! input (errors, not panics), hand-computed small cases.

use fusetrack::BBox;
use fusetrack::io::MotRow;
use fusetrack::metrics::{
    BoxIou, FrameData, GroundPoints, MotAccumulator, evaluate_mot, evaluate_points, hota_alpha,
};
use fusetrack::{Error, metrics::NUM_ALPHAS};

#[test]
fn empty_ground_truth_gives_all_false_positives() {
    let hyp = [(0.0, 1, [0.0, 0.0]), (0.1, 1, [0.0, 0.0])];
    // no gt times at all: every hypothesis is ignored (no frame to go to)
    let s = evaluate_points(&[], &hyp, 1.0).expect("scores");
    assert_eq!((s.num_frames, s.num_gt, s.num_hyp, s.fp), (0, 0, 0, 0));
    assert!(s.mota.is_nan() && s.motp.is_nan() && s.idf1.is_nan());
    assert_eq!(s.hota, 0.0);

    // frames pushed with hypotheses and no gt
    let mut acc = MotAccumulator::new(GroundPoints::new(1.0));
    for _ in 0..3 {
        acc.push_frame(FrameData {
            gt_ids: &[],
            gt: &[],
            hyp_ids: &[4, 5],
            hyp: &[[0.0, 0.0], [1.0, 1.0]],
        })
        .expect("frame");
    }
    let c = acc.counts().expect("counts");
    let s = c.scores();
    assert_eq!((s.fp, s.tp, s.fn_, s.idfp, s.idtp), (6, 0, 0, 6, 0));
    assert!(s.mota.is_nan());
    assert_eq!(s.idf1, 0.0);
    assert_eq!((s.hota, s.deta, s.assa, s.loca), (0.0, 0.0, 0.0, 1.0));
    assert_eq!(c.hota.fp, [6.0; NUM_ALPHAS]);
}

#[test]
fn empty_hypotheses_give_all_misses() {
    let gt = [(0.0, 1, [0.0, 0.0]), (0.0, 2, [3.0, 0.0]), (0.1, 1, [0.0, 0.1])];
    let s = evaluate_points(&gt, &[], 1.0).expect("scores");
    assert_eq!((s.num_frames, s.num_gt, s.fn_, s.fp, s.tp), (2, 3, 3, 0, 0));
    assert_eq!(s.mota, 0.0);
    assert_eq!((s.idf1, s.idr), (0.0, 0.0));
    assert_eq!((s.mostly_lost, s.mostly_tracked, s.fragmentations), (2, 0, 0));
    assert_eq!((s.hota, s.loca), (0.0, 1.0));
}

#[test]
fn nan_coordinates_and_times_are_errors_not_panics() {
    let gt = [(0.0, 1, [0.0, 0.0]), (0.1, 1, [f64::NAN, 0.0])];
    match evaluate_points(&gt, &[], 1.0) {
        Err(Error::InvalidField { field, .. }) => assert_eq!(field, "gt[1]"),
        other => panic!("expected InvalidField, got {other:?}"),
    }
    let hyp = [(f64::INFINITY, 1, [0.0, 0.0])];
    match evaluate_points(&gt[..1], &hyp, 1.0) {
        Err(Error::InvalidField { field, reason, .. }) => {
            assert_eq!(field, "hyp[0]");
            assert!(reason.contains("time"), "{reason}");
        }
        other => panic!("expected InvalidField, got {other:?}"),
    }
    let b = BBox { x: 0.0, y: 0.0, w: f64::NAN, h: 1.0 };
    let good = BBox { x: 0.0, y: 0.0, w: 1.0, h: 1.0 };
    let err =
        evaluate_mot(&[MotRow::result(4, 1, good, 1.0)], &[MotRow::result(4, 2, b, 1.0)], 0.5)
            .expect_err("NaN box");
    assert!(err.to_string().contains("MOT frame 4: hyp[0]"), "{err}");
}

#[test]
fn a_refused_frame_leaves_the_accumulator_unchanged() {
    let mut acc = MotAccumulator::new(GroundPoints::new(1.0));
    acc.push_frame(FrameData {
        gt_ids: &[1],
        gt: &[[0.0, 0.0]],
        hyp_ids: &[2],
        hyp: &[[0.0, 0.0]],
    })
    .expect("frame");
    let before = acc.counts().expect("counts");
    // duplicate id, length mismatch, NaN
    assert!(
        acc.push_frame(FrameData {
            gt_ids: &[1, 1],
            gt: &[[0.0, 0.0], [1.0, 0.0]],
            hyp_ids: &[],
            hyp: &[]
        })
        .is_err()
    );
    assert!(
        acc.push_frame(FrameData { gt_ids: &[1, 2], gt: &[[0.0, 0.0]], hyp_ids: &[], hyp: &[] })
            .is_err()
    );
    assert!(
        acc.push_frame(FrameData { gt_ids: &[], gt: &[], hyp_ids: &[3], hyp: &[[0.0, f64::NAN]] })
            .is_err()
    );
    assert_eq!(acc.counts().expect("counts"), before);
    assert_eq!(acc.num_frames(), 1);
}

/// Threshold is inclusive: d == threshold matches, d slightly above does not.
#[test]
fn distance_threshold_is_inclusive() {
    let gt = [(0.0, 1, [0.0, 0.0])];
    let s = evaluate_points(&gt, &[(0.0, 9, [0.6, 0.8])], 1.0).expect("scores");
    assert_eq!((s.tp, s.motp), (1, 1.0));
    let s = evaluate_points(&gt, &[(0.0, 9, [0.6, 0.8000001])], 1.0).expect("scores");
    assert_eq!((s.tp, s.fp, s.fn_), (0, 1, 1));
    // boxes: IoU exactly 0.5 matches
    let a = BBox { x: 0.0, y: 0.0, w: 2.0, h: 1.0 };
    let b = BBox { x: 0.0, y: 0.0, w: 1.0, h: 1.0 };
    let s = evaluate_mot(&[MotRow::result(1, 1, a, 1.0)], &[MotRow::result(1, 2, b, 1.0)], 0.5)
        .expect("scores")
        .scores();
    assert_eq!((s.tp, s.motp), (1, 0.5));
}

/// A hand-worked sequence for every CLEAR quantity.
///
/// gt 1 at x = 0 in frames 0..6, gt 2 at x = 10 in frames 0..6.
/// hyp A follows gt 1 in frames 0, 1; frame 2 nothing (miss); frames 3, 4
/// hyp B on gt 1 (switch at 3); frame 5 hyp A again (switch back).
/// gt 2 is followed by hyp C all the time, plus a clutter hyp D in frame 0.
#[test]
fn hand_computed_clear_and_identity() {
    let mut acc = MotAccumulator::new(GroundPoints::new(1.0));
    let g = [[0.0, 0.0], [10.0, 0.0]];
    let frames: [(&[u64], &[[f64; 2]]); 6] = [
        (&[1, 3, 4], &[[0.1, 0.0], [10.0, 0.2], [5.0, 5.0]]),
        (&[1, 3], &[[0.0, 0.1], [10.0, 0.0]]),
        (&[3], &[[10.0, 0.0]]),
        (&[2, 3], &[[0.0, 0.0], [10.0, 0.0]]),
        (&[2, 3], &[[0.0, 0.0], [10.0, 0.0]]),
        (&[1, 3], &[[0.0, 0.0], [10.0, 0.0]]),
    ];
    for (ids, pts) in frames {
        acc.push_frame(FrameData { gt_ids: &[1, 2], gt: &g, hyp_ids: ids, hyp: pts })
            .expect("frame");
    }
    let s = acc.counts().expect("counts").scores();
    assert_eq!((s.num_gt, s.num_hyp), (12, 12));
    assert_eq!((s.tp, s.fp, s.fn_, s.id_switches, s.fragmentations), (11, 1, 1, 2, 1));
    assert!((s.mota - (1.0 - 4.0 / 12.0)).abs() < 1e-15);
    assert!((s.motp - (0.1 + 0.2 + 0.1) / 11.0).abs() < 1e-15);
    // identity: gt 1 <-> A (3 frames), gt 2 <-> C (6 frames): IDTP 9
    assert_eq!((s.idtp, s.idfp, s.idfn), (9, 3, 3));
    assert_eq!(s.idf1, 18.0 / 24.0);
    assert_eq!((s.mostly_tracked, s.partially_tracked, s.mostly_lost), (2, 0, 0));
}

/// HOTA of a perfect tracker with exact positions is 1 at every alpha;
/// with a constant 0.3 m error, TP only for alpha <= 0.7.
#[test]
fn hota_perfect_and_offset() {
    let mut exact = MotAccumulator::new(GroundPoints::new(1.0));
    let mut offset = MotAccumulator::new(GroundPoints::new(1.0));
    for k in 0..5 {
        let g = [[k as f64, 0.0], [k as f64, 4.0]];
        let h = [[k as f64, 0.3], [k as f64, 4.3]];
        exact
            .push_frame(FrameData { gt_ids: &[1, 2], gt: &g, hyp_ids: &[7, 8], hyp: &g })
            .expect("frame");
        offset
            .push_frame(FrameData { gt_ids: &[1, 2], gt: &g, hyp_ids: &[7, 8], hyp: &h })
            .expect("frame");
    }
    let s = exact.counts().expect("counts").scores();
    assert_eq!((s.hota, s.deta, s.assa, s.loca), (1.0, 1.0, 1.0, 1.0));
    let c = offset.counts().expect("counts");
    let n_ok = (0..NUM_ALPHAS).filter(|&k| hota_alpha(k) <= 0.7 + 1e-12).count();
    assert_eq!(n_ok, 14);
    for k in 0..NUM_ALPHAS {
        let a = c.hota.at(k);
        if k < n_ok {
            assert_eq!((a.deta, a.assa), (1.0, 1.0), "alpha {}", hota_alpha(k));
            assert!((a.loca - 0.7).abs() < 1e-12);
        } else {
            assert_eq!((a.hota, a.deta), (0.0, 0.0), "alpha {}", hota_alpha(k));
        }
    }
    assert!((c.scores().hota - n_ok as f64 / NUM_ALPHAS as f64).abs() < 1e-12);
}

#[test]
fn box_iou_custom_threshold() {
    let a = BBox { x: 0.0, y: 0.0, w: 3.0, h: 1.0 };
    let b = BBox { x: 1.0, y: 0.0, w: 3.0, h: 1.0 }; // IoU 2/4
    let mut acc = MotAccumulator::new(BoxIou::new(0.6));
    acc.push_frame(FrameData { gt_ids: &[1], gt: &[a], hyp_ids: &[2], hyp: &[b] }).expect("frame");
    let s = acc.counts().expect("counts").scores();
    assert_eq!((s.tp, s.fp, s.fn_), (0, 1, 1));
}
