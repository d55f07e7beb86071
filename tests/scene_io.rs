//! Scene file io: round trips, error kinds with their line numbers, recovery
//! after a bad line, truncated last line.

use fusetrack::io::{
    AlertRow, CameraNameTable, DetectionReader, DetectionWriter, GroundTruthRow, Incident,
    JsonlWriter, RowReader, SceneDir, TrackRow,
};
use fusetrack::{BBox, CameraId, Detection, Error, Observation, TrackId};

fn cams() -> CameraNameTable {
    CameraNameTable::new([("cam-a", true), ("cam-b", true), ("radar", false)])
}

fn read_all(text: &str) -> Vec<fusetrack::Result<Detection>> {
    let c = cams();
    DetectionReader::new(text.as_bytes(), "scene/detections.jsonl", &c).collect()
}

fn sample_detections() -> Vec<Detection> {
    vec![
        Detection::new(
            0.1,
            CameraId(0),
            Observation::BBox(BBox { x: 412.0, y: 188.5, w: 31.0, h: 84.0 }),
        )
        .with_rx(0.213)
        .with_frame(1)
        .with_score(0.83)
        .with_class("person"),
        Detection::new(0.1, CameraId(1), Observation::Empty).with_rx(0.25),
        Detection::new(
            0.12,
            CameraId(2),
            Observation::World {
                position_m: [3.512, -1.25],
                cov_m2: Some([[0.04, 0.01], [0.01, 0.09]]),
            },
        )
        .with_rx(0.3),
        Detection::new(
            0.2,
            CameraId(2),
            Observation::World { position_m: [-7.0, 1e-3], cov_m2: None },
        ),
    ]
}

#[test]
fn detections_round_trip() {
    let c = cams();
    let dets = sample_detections();
    let mut w = DetectionWriter::new(Vec::new(), "mem", &c);
    for d in &dets {
        w.write(d).unwrap();
    }
    let bytes = w.finish().unwrap();
    let back: Vec<Detection> =
        DetectionReader::new(bytes.as_slice(), "mem", &c).collect::<Result<_, _>>().unwrap();
    assert_eq!(back, dets);
}

#[test]
fn detections_round_trip_through_files() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("scene_io_round_trip");
    std::fs::create_dir_all(&dir).unwrap();
    let scene = SceneDir::new(&dir);
    let c = cams();
    let dets = sample_detections();
    let mut w = DetectionWriter::create(scene.detections(), &c).unwrap();
    for d in &dets {
        w.write(d).unwrap();
    }
    w.finish().unwrap();
    // Without cameras.json the folder is not a scene.
    let _ = std::fs::remove_file(scene.cameras());
    let e = SceneDir::open(&dir).unwrap_err();
    assert!(matches!(&e, Error::Io { path, .. } if path.ends_with("cameras.json")), "{e}");
    std::fs::write(scene.cameras(), "{\"cameras\": []}").unwrap();
    let s = SceneDir::open(&dir).unwrap();
    let back: Vec<Detection> =
        DetectionReader::open(s.detections(), &c).unwrap().collect::<Result<_, _>>().unwrap();
    assert_eq!(back, dets);
}

#[test]
fn rx_defaults_to_t_and_unknown_fields_are_ignored() {
    let r = read_all(
        "{\"t\": 2.5, \"camera\": \"cam-b\", \"bbox\": [1, 2, 3, 4], \"embedding\": [0.1, 0.2], \"future\": {\"a\": [1]}}\n",
    );
    let d = r[0].as_ref().unwrap();
    assert_eq!(d.rx_s, 2.5);
    assert_eq!(d.camera, CameraId(1));
    assert_eq!(d.observation, Observation::BBox(BBox { x: 1.0, y: 2.0, w: 3.0, h: 4.0 }));
}

/// Checks that `text` (a good line 1, blank line 2, the bad line 3, a good
/// line 4) yields three items: good, the expected error on line 3, good.
fn check_bad_line(bad: &str, check: impl Fn(&Error) -> bool) {
    let good = "{\"t\": 1.0, \"camera\": \"cam-a\", \"bbox\": [10, 20, 5, 15]}";
    let text = format!("{good}\n\n{bad}\n{good}\n");
    let r = read_all(&text);
    assert_eq!(r.len(), 3, "{bad}: {r:?}");
    assert!(r[0].is_ok());
    let e = r[1].as_ref().unwrap_err();
    assert!(check(e), "{bad}: unexpected error {e:?}");
    assert!(e.to_string().starts_with("scene/detections.jsonl:3: "), "{e}");
    assert!(r[2].is_ok(), "reader must continue after a bad line");
}

fn invalid_field(e: &Error, name: &str) -> bool {
    matches!(e, Error::InvalidField { at, field, .. } if field == name && at.line == Some(3))
}

#[test]
fn each_bad_input_gives_its_error_on_its_line() {
    check_bad_line("{\"t\": 1.0, \"camera\": \"cam-a\", \"bbox\": [10, 20, -5, 15]}", |e| {
        invalid_field(e, "bbox")
    });
    check_bad_line("{\"t\": 1.0, \"camera\": \"cam-a\", \"bbox\": [10, 20, 5]}", |e| {
        invalid_field(e, "bbox")
    });
    check_bad_line("{\"t\": 1.0, \"camera\": \"cam-a\", \"bbox\": [10, 20, 5, \"x\"]}", |e| {
        invalid_field(e, "bbox")
    });
    check_bad_line("{\"t\": 1.0, \"camera\": \"cam-a\", \"bbox\": [10, 20, 0, 15]}", |e| {
        invalid_field(e, "bbox")
    });
    check_bad_line("{\"t\": \"noon\", \"camera\": \"cam-a\", \"empty\": true}", |e| {
        invalid_field(e, "t")
    });
    check_bad_line("{\"t\": 1.0, \"rx\": [], \"camera\": \"cam-a\", \"empty\": true}", |e| {
        invalid_field(e, "rx")
    });
    check_bad_line(
        "{\"t\": 1.0, \"camera\": \"cam-a\", \"bbox\": [1, 2, 3, 4], \"score\": 1.5}",
        |e| invalid_field(e, "score"),
    );
    check_bad_line(
        "{\"t\": 1.0, \"camera\": \"radar\", \"world\": [1, 2], \"world_cov\": [[1, 0.5], [0.4, 1]]}",
        |e| invalid_field(e, "world_cov"),
    );
    check_bad_line(
        "{\"t\": 1.0, \"camera\": \"radar\", \"world\": [1, 2], \"world_cov\": [[1, 2], [2, 1]]}",
        |e| invalid_field(e, "world_cov"),
    );
    check_bad_line("{\"t\": 1.0, \"camera\": \"radar\", \"world_cov\": [[1, 0], [0, 1]]}", |e| {
        invalid_field(e, "world_cov")
    });
    check_bad_line("{\"t\": 1.0, \"t\": 2.0, \"camera\": \"cam-a\", \"empty\": true}", |e| {
        invalid_field(e, "t")
    });
    check_bad_line(
        "{\"t\": 1.0, \"camera\": \"cam-a\", \"empty\": true, \"bbox\": [1, 2, 3, 4]}",
        |e| invalid_field(e, "empty"),
    );
    check_bad_line(
        "{\"camera\": \"cam-a\", \"bbox\": [1, 2, 3, 4]}",
        |e| matches!(e, Error::MissingField { field, .. } if field == "t"),
    );
    check_bad_line(
        "{\"t\": 1.0, \"bbox\": [1, 2, 3, 4]}",
        |e| matches!(e, Error::MissingField { field, .. } if field == "camera"),
    );
    check_bad_line(
        "{\"t\": 1.0, \"camera\": \"cam-a\", \"score\": 0.5}",
        |e| matches!(e, Error::MissingField { field, .. } if field == "bbox"),
    );
    check_bad_line(
        "{\"t\": 1.0, \"camera\": \"radar\"}",
        |e| matches!(e, Error::MissingField { field, .. } if field == "world"),
    );
    check_bad_line(
        "{\"t\": 1.0, \"camera\": \"cam-q\", \"bbox\": [1, 2, 3, 4]}",
        |e| matches!(e, Error::UnknownCamera { camera, .. } if camera == "cam-q"),
    );
    check_bad_line(
        "{\"t\": 1.0, \"camera\": \"radar\", \"bbox\": [1, 2, 3, 4]}",
        |e| matches!(e, Error::Unprojectable { camera, .. } if camera == "radar"),
    );
    check_bad_line("{\"t\": 1.0, \"camera\": \"cam-a\", \"bbox\": [1, 2, 3, 4]", |e| {
        matches!(e, Error::Malformed { .. })
    });
    check_bad_line("not json at all", |e| matches!(e, Error::Malformed { .. }));
    check_bad_line("[1, 2, 3]", |e| matches!(e, Error::Malformed { .. }));
    check_bad_line("{\"t\": 1.0, \"camera\": \"cam-a\", \"bbox\": [1, 2, 3, 4]} trailing", |e| {
        matches!(e, Error::Malformed { .. })
    });
    check_bad_line("{\"t\": 1e999, \"camera\": \"cam-a\", \"bbox\": [1, 2, 3, 4]}", |e| {
        matches!(e, Error::InvalidField { field, .. } if field == "t")
            || matches!(e, Error::Malformed { .. })
    });
}

#[test]
fn invalid_utf8_line_is_reported_and_skipped() {
    let c = cams();
    let mut bytes = b"{\"t\": 1.0, \"camera\": \"cam-a\", \"empty\": true}\n".to_vec();
    bytes.extend_from_slice(b"{\"t\": 1.0, \"camera\": \"\xff\"}\n");
    bytes.extend_from_slice(b"{\"t\": 2.0, \"camera\": \"cam-a\", \"empty\": true}\n");
    let r: Vec<_> = DetectionReader::new(bytes.as_slice(), "d", &c).collect();
    assert_eq!(r.len(), 3);
    assert!(matches!(&r[1], Err(Error::Malformed { at, .. }) if at.line == Some(2)));
    assert_eq!(r[2].as_ref().unwrap().t_s, 2.0);
}

#[test]
fn truncated_last_line_is_an_error_for_that_line() {
    let text = "{\"t\": 1.0, \"camera\": \"cam-a\", \"empty\": true}\n{\"t\": 1.1, \"camera\": \"cam-a\", \"bb";
    let r = read_all(text);
    assert_eq!(r.len(), 2);
    assert!(r[0].is_ok());
    match &r[1] {
        Err(Error::Malformed { at, reason }) => {
            assert_eq!(at.line, Some(2));
            assert!(reason.contains("truncated last line"), "{reason}");
        }
        other => panic!("expected Malformed, got {other:?}"),
    }
    // A complete last line without a newline is fine.
    let r = read_all("{\"t\": 1.0, \"camera\": \"cam-a\", \"empty\": true}");
    assert_eq!(r.len(), 1);
    assert!(r[0].is_ok());
}

#[test]
fn crlf_line_ends_are_accepted() {
    let r = read_all(
        "{\"t\": 1.0, \"camera\": \"cam-a\", \"empty\": true}\r\n{\"t\": 2.0, \"camera\": \"cam-b\", \"empty\": true}\r\n",
    );
    assert_eq!(r.iter().filter(|x| x.is_ok()).count(), 2);
}

#[test]
fn row_files_round_trip() {
    let gt = vec![
        GroundTruthRow { t_s: 0.0, id: 1, x: 1.234, y: -5.678 },
        GroundTruthRow { t_s: 0.1, id: 2, x: 0.0, y: 27.0 },
    ];
    let inc = vec![Incident {
        t_s: 40.0,
        until_s: 75.5,
        kind: "intrusion".into(),
        ids: vec![41, 42],
        zone: Some("jewel-room".into()),
    }];
    let tracks = vec![TrackRow {
        t_s: 12.4,
        track: TrackId(3),
        x: 3.49,
        y: -1.22,
        vx: 0.8,
        vy: 0.1,
        cov: [[0.04, 0.0], [0.0, 0.05]],
        status: "confirmed".into(),
        cameras: vec!["gallery-1".into(), "street-4".into()],
    }];
    let alerts = vec![AlertRow {
        t_s: 12.4,
        emitted_s: 12.75,
        kind: "zone_entered".into(),
        track: TrackId(3),
        zone: None,
        severity: "high".into(),
        x: 3.49,
        y: -1.22,
        rule: None,
        cameras: vec![],
        phase: None,
    }];
    fn rt<T: fusetrack::io::JsonlRow + PartialEq + std::fmt::Debug>(rows: &[T]) {
        let mut w = JsonlWriter::new(Vec::new(), "mem");
        for r in rows {
            w.write(r).unwrap();
        }
        let bytes = w.finish().unwrap();
        let back: Vec<T> =
            RowReader::<_, T>::new(bytes.as_slice(), "mem").collect::<Result<_, _>>().unwrap();
        assert_eq!(back, rows);
    }
    rt(&gt);
    rt(&inc);
    rt(&tracks);
    rt(&alerts);
}

#[test]
fn row_reader_errors_name_line_and_continue() {
    let text = "{\"t\": 0.0, \"id\": 1, \"x\": 1, \"y\": 2}\n{\"t\": 0.0, \"id\": -1, \"x\": 1, \"y\": 2}\n{\"t\": 1.0, \"until\": 0.5, \"kind\": \"x\"}\n";
    let gt: Vec<_> = RowReader::<_, GroundTruthRow>::new(text.as_bytes(), "gt").collect();
    assert!(gt[0].is_ok());
    assert!(matches!(&gt[1], Err(Error::Malformed { at, .. }) if at.line == Some(2)));
    assert!(matches!(&gt[2], Err(Error::Malformed { at, .. }) if at.line == Some(3)));
    let inc: Vec<_> = RowReader::<_, Incident>::new(text.as_bytes(), "inc").collect();
    assert_eq!(inc.len(), 3);
    assert!(
        matches!(&inc[2], Err(Error::InvalidField { at, field, .. }) if at.line == Some(3) && field == "until")
    );
}
