//! Ground-plane points: seeded synthetic sequences (misses, false positives,
//! id switches, fragmented tracks, time jitter, a blank frame, hypotheses at
//! times without ground truth) scored against py-motmetrics 1.4.0 (Euclidean
//! distance, 1 m) and TrackEval 1.3.0's HOTA (similarity max(0, 1 - d / 1 m)).
//! Fixture: `tests/fixtures/metrics/points_reference.json`, made by
//! `gen_points.py` next to it.

use fusetrack::metrics::{Counts, GroundPoints, Scores, TimedPoint, evaluate_points_with};
use serde_json::Value;

fn reference() -> Value {
    let text =
        std::fs::read_to_string("tests/fixtures/metrics/points_reference.json").expect("fixture");
    serde_json::from_str(&text).expect("json")
}

fn points(v: &Value) -> Vec<TimedPoint> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|l| {
            let f = |k: usize| l[k].as_f64().expect("number");
            (f(0), l[1].as_u64().expect("id"), [f(2), f(3)])
        })
        .collect()
}

fn close(seq: &str, name: &str, got: f64, want: f64) {
    assert!((got - want).abs() <= 1e-9, "{seq} {name}: got {got}, reference {want}");
}

fn check(seq: &str, s: &Scores, r: &Value) {
    let mm = &r["motmetrics"];
    let f = |k: &str| mm[k].as_f64().unwrap_or_else(|| panic!("missing {k}"));
    for (k, v) in [
        ("num_frames", s.num_frames as f64),
        ("num_objects", s.num_gt as f64),
        ("num_predictions", s.num_hyp as f64),
        ("num_matches", (s.tp - s.id_switches) as f64),
        ("num_switches", s.id_switches as f64),
        ("num_false_positives", s.fp as f64),
        ("num_misses", s.fn_ as f64),
        ("num_fragmentations", s.fragmentations as f64),
        ("num_unique_objects", s.num_gt_ids as f64),
        ("mostly_tracked", s.mostly_tracked as f64),
        ("partially_tracked", s.partially_tracked as f64),
        ("mostly_lost", s.mostly_lost as f64),
        ("mota", s.mota),
        ("motp", s.motp),
        ("idf1", s.idf1),
        ("idp", s.idp),
        ("idr", s.idr),
        ("idtp", s.idtp as f64),
        ("idfp", s.idfp as f64),
        ("idfn", s.idfn as f64),
    ] {
        close(seq, k, v, f(k));
    }
    let h = &r["trackeval_hota"];
    let g = |k: &str| h[k].as_f64().unwrap_or_else(|| panic!("missing {k}"));
    for (k, v) in [
        ("HOTA", s.hota),
        ("DetA", s.deta),
        ("AssA", s.assa),
        ("LocA", s.loca),
        ("DetRe", s.detre),
        ("DetPr", s.detpr),
        ("AssRe", s.assre),
        ("AssPr", s.asspr),
    ] {
        close(seq, k, v, g(k));
    }
}

fn run(seq: &Value, threshold_m: f64) -> Counts {
    evaluate_points_with(&points(&seq["gt"]), &points(&seq["hyp"]), GroundPoints::new(threshold_m))
        .expect("evaluate")
}

#[test]
fn synthetic_point_sequences_match_motmetrics_and_trackeval() {
    let r = reference();
    let threshold_m = r["threshold_m"].as_f64().expect("threshold");
    let mut all = Counts::default();
    let seqs = r["sequences"].as_array().expect("sequences");
    assert_eq!(seqs.len(), 3);
    for seq in seqs {
        let name = seq["name"].as_str().expect("name");
        let c = run(seq, threshold_m);
        check(name, &c.scores(), seq);
        all.merge(&c);
    }
    check("combined", &all.scores(), &r["combined"]);
}

#[test]
fn point_scores_do_not_depend_on_hypothesis_order() {
    let r = reference();
    for seq in r["sequences"].as_array().expect("sequences") {
        let gt = points(&seq["gt"]);
        let mut hyp = points(&seq["hyp"]);
        let a = evaluate_points_with(&gt, &hyp, GroundPoints::new(1.0)).expect("a").scores();
        hyp.reverse();
        let b = evaluate_points_with(&gt, &hyp, GroundPoints::new(1.0)).expect("b").scores();
        assert_eq!(a, b);
    }
}
