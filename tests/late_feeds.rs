//! The same scene replayed in capture order and with its analog cameras
//! late: out-of-sequence processing keeps the scores, and no detection is
//! lost.

use fusetrack::io::{DetectionReader, DetectionWriter};
use fusetrack::replay::{ReplayOptions, replay_scene};
use fusetrack::{CameraRig, Detection};

/// Copies `scene` into a temporary folder with its detections re-timed by `retime`
/// and written in arrival order.
fn variant(scene: &str, name: &str, retime: impl Fn(&mut Detection)) -> std::path::PathBuf {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join(scene);
    let dir = std::env::temp_dir().join(format!("fusetrack-late-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for f in ["cameras.json", "ground_truth.jsonl"] {
        std::fs::copy(src.join(f), dir.join(f)).unwrap();
    }
    let rig = CameraRig::load(src.join("cameras.json")).unwrap();
    let mut dets: Vec<Detection> = DetectionReader::open(src.join("detections.jsonl"), &rig)
        .unwrap()
        .map(|d| d.unwrap())
        .collect();
    for d in &mut dets {
        retime(d);
    }
    // Stable sort keeps each camera's frames in order.
    dets.sort_by(|a, b| a.rx_s.total_cmp(&b.rx_s));
    let mut w = DetectionWriter::create(dir.join("detections.jsonl"), &rig).unwrap();
    for d in &dets {
        w.write(d).unwrap();
    }
    w.finish().unwrap();
    dir
}

#[test]
fn late_analog_cameras_cost_at_most_two_points_of_mota_and_idf1() {
    for scene in ["museum", "city"] {
        // In capture order: every detection arrives the moment it is captured.
        let in_order = variant(scene, "in-order", |d| d.rx_s = d.t_s);
        // As recorded: the analog cameras 0.5-1 s late.
        let late_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join(scene);
        let a = replay_scene(&in_order, &ReplayOptions::default(), |_| {}).unwrap();
        let b = replay_scene(&late_dir, &ReplayOptions::default(), |_| {}).unwrap();
        let (sa, sb) = (a.scores.unwrap(), b.scores.unwrap());
        eprintln!(
            "{scene}: in order MOTA {:.3} IDF1 {:.3}; late MOTA {:.3} IDF1 {:.3}; late {} used {} unmatched {} dropped {}",
            sa.mota,
            sa.idf1,
            sb.mota,
            sb.idf1,
            b.stats.late_detections,
            b.stats.late_used,
            b.stats.late_unmatched,
            b.stats.late_dropped
        );
        assert_eq!(a.stats.late_detections, 0);
        assert!(b.stats.late_detections > 300, "{scene}: the recorded scene has late feeds");
        // No detection lost: every late one was considered, and nearly all used.
        assert_eq!(b.stats.late_dropped, 0, "{scene}");
        assert_eq!(b.stats.late_used + b.stats.late_unmatched, b.stats.late_detections, "{scene}");
        // ... and as many detections reach a track as in capture order.
        assert!(
            b.stats.detections_associated as f64 >= 0.98 * a.stats.detections_associated as f64,
            "{scene}: {} associated late vs {} in order",
            b.stats.detections_associated,
            a.stats.detections_associated
        );
        assert_eq!(a.stats.detections, b.stats.detections);
        assert!(
            sb.mota >= sa.mota - 0.02,
            "{scene}: MOTA {} late vs {} in order",
            sb.mota,
            sa.mota
        );
        assert!(
            sb.idf1 >= sa.idf1 - 0.02,
            "{scene}: IDF1 {} late vs {} in order",
            sb.idf1,
            sa.idf1
        );
        std::fs::remove_dir_all(&in_order).ok();
    }
}
