//! MOT15 TUD-Campus / TUD-Stadtmitte: CLEAR MOT and identity metrics against
//! py-motmetrics 1.4.0, HOTA against TrackEval 1.3.0
//! (`tests/fixtures/metrics/gen_tud_reference.py`, `tud_reference.json`), and
//! the figures of `tests/fixtures/motchallenge-tud/README.md`.

use fusetrack::io::motchallenge::read_file;
use fusetrack::metrics::{Counts, Scores, evaluate_mot};
use serde_json::Value;

const DATA: &str = "tests/fixtures/motchallenge-tud";

fn counts(seq: &str) -> Counts {
    let gt = read_file(format!("{DATA}/{seq}/gt.txt")).expect("gt");
    let ts = read_file(format!("{DATA}/{seq}/test.txt")).expect("test");
    evaluate_mot(&gt, &ts, 0.5).expect("evaluate")
}

fn reference() -> Value {
    let text =
        std::fs::read_to_string("tests/fixtures/metrics/tud_reference.json").expect("fixture");
    serde_json::from_str(&text).expect("json")
}

fn close(name: &str, got: f64, want: f64, tol: f64) {
    assert!((got - want).abs() <= tol, "{name}: got {got}, reference {want}");
}

fn check_against(s: &Scores, r: &Value) {
    let mm = &r["motmetrics"];
    let f = |k: &str| mm[k].as_f64().unwrap_or_else(|| panic!("missing {k}"));
    let pairs: [(&str, f64); 20] = [
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
    ];
    for (k, v) in pairs {
        close(k, v, f(k), 1e-9);
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
        close(k, v, g(k), 1e-9);
    }
}

#[test]
fn tud_campus_matches_motmetrics_and_trackeval() {
    let r = reference();
    check_against(&counts("TUD-Campus").scores(), &r["sequences"]["TUD-Campus"]);
}

#[test]
fn tud_stadtmitte_matches_motmetrics_and_trackeval() {
    let r = reference();
    check_against(&counts("TUD-Stadtmitte").scores(), &r["sequences"]["TUD-Stadtmitte"]);
}

#[test]
fn tud_both_together_matches_motmetrics_overall_and_trackeval_combined() {
    let r = reference();
    let mut c = counts("TUD-Campus");
    c.merge(&counts("TUD-Stadtmitte"));
    check_against(&c.scores(), &r["combined"]);
}

/// The table of `tests/fixtures/motchallenge-tud/README.md` (6 decimals).
#[test]
fn tud_readme_figures() {
    let campus = counts("TUD-Campus");
    let stadt = counts("TUD-Stadtmitte");
    let mut both = campus;
    both.merge(&stadt);
    let table = [
        (campus.scores(), 0.557659, 0.526462, 0.277201, 13, 150, 7),
        (stadt.scores(), 0.644619, 0.564014, 0.345904, 45, 452, 7),
        (both.scores(), 0.624296, 0.555116, 0.330177, 58, 602, 14),
    ];
    for (s, idf1, mota, motp, fp, fn_, idsw) in table {
        close("IDF1", s.idf1, idf1, 5e-7);
        close("MOTA", s.mota, mota, 5e-7);
        close("MOTP", s.motp, motp, 5e-7);
        assert_eq!((s.fp, s.fn_, s.id_switches), (fp, fn_, idsw));
    }
}
