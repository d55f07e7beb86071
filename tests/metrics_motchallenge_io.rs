//! MOTChallenge CSV reading and writing: errors with file, line and field,
//! truncated last line, round trips, the TUD files.

use fusetrack::io::motchallenge::read_file;
use fusetrack::io::{MotReader, MotRow, MotWriter};
use fusetrack::{BBox, Error};

#[test]
fn reads_the_tud_files_completely() {
    let gt = read_file("tests/fixtures/motchallenge-tud/TUD-Stadtmitte/gt.txt").expect("gt");
    assert_eq!(gt.len(), 1156);
    let first = gt[0];
    assert_eq!((first.frame, first.id), (1, 1));
    assert_eq!(first.bbox, BBox { x: 88.0, y: 99.0, w: 61.08, h: 218.56 });
    assert_eq!(first.conf, 1.0);
    assert_eq!(first.world_xyz(), Some([4.4852, 5.5016, 0.0]));
    let ts = read_file("tests/fixtures/motchallenge-tud/TUD-Campus/test.txt").expect("test");
    assert_eq!(ts.len(), 222);
    assert!(ts.iter().all(|r| r.conf == -1.0 && r.world_xyz().is_none()));
}

#[test]
fn every_tud_line_round_trips_through_the_writer() {
    for seq in ["TUD-Campus", "TUD-Stadtmitte"] {
        for f in ["gt", "test"] {
            let path = format!("tests/fixtures/motchallenge-tud/{seq}/{f}.txt");
            let rows = read_file(&path).expect("read");
            let mut w = MotWriter::new(Vec::new(), "mem");
            for r in &rows {
                w.write_row(r).expect("write");
            }
            let bytes = w.into_inner().expect("flush");
            let back: Vec<MotRow> =
                MotReader::new(&bytes[..], "mem").collect::<Result<_, _>>().expect("reread");
            assert_eq!(back, rows, "{path}");
        }
    }
}

#[test]
fn mot16_ground_truth_nine_columns_and_whitespace_separated() {
    let text = "1,1,912,484,97,109,0,7,1\n1 2 1338 418 167 379 1 1 0.86\n";
    let rows: Vec<MotRow> =
        MotReader::new(text.as_bytes(), "gt.txt").collect::<Result<_, _>>().expect("rows");
    assert_eq!(rows[0].gt_class(), Some(7));
    assert_eq!((rows[0].conf, rows[1].conf), (0.0, 1.0));
    assert_eq!(rows[1].gt_visibility(), Some(0.86));
    assert_eq!(rows[1].to_line(), "1,2,1338,418,167,379,1,1,0.86");
}

#[test]
fn bad_lines_are_reported_with_file_line_and_field_and_reading_goes_on() {
    let text = "1,1,10,20,30,60,1\n\
                2,1,10,abc,30,60,1\n\
                3,1,10,20,-5,60,1\n\
                4,1,10,20\n\
                5,1.5,10,20,30,60,1\n\
                6,1,10,20,30,NaN,1\n\
                7,1,10,20,30,60,1,1,2,3,4\n\
                8,1,10,20,30,60,1\n";
    let items: Vec<_> = MotReader::new(text.as_bytes(), "det/det.txt").collect();
    assert_eq!(items.len(), 8);
    let msg = |k: usize| items[k].as_ref().expect_err("error").to_string();
    assert_eq!(msg(1), "det/det.txt:2: field `bb_top`: not a number: `abc`");
    assert_eq!(msg(2), "det/det.txt:3: field `bb_width`: must not be negative, got -5");
    assert_eq!(
        msg(3),
        "det/det.txt:4: malformed input: expected 7 to 10 comma-separated fields, got 4"
    );
    assert_eq!(msg(4), "det/det.txt:5: field `id`: must be an integer, got `1.5`");
    assert_eq!(msg(5), "det/det.txt:6: field `bb_height`: must be a finite number, got `NaN`");
    assert!(msg(6).starts_with("det/det.txt:7: malformed input"), "{}", msg(6));
    assert_eq!(items[0].as_ref().expect("ok").frame, 1);
    assert_eq!(items[7].as_ref().expect("ok").frame, 8);
    match &items[1] {
        Err(Error::InvalidField { at, field, .. }) => {
            assert_eq!((at.line, field.as_str()), (Some(2), "bb_top"));
        }
        other => panic!("expected InvalidField, got {other:?}"),
    }
}

#[test]
fn truncated_last_line_is_an_error_and_earlier_lines_survive() {
    let text = "1,1,10,20,30,60,1\n2,1,10,20,30,60,1\n3,1,10,2";
    let items: Vec<_> = MotReader::new(text.as_bytes(), "res.txt").collect();
    assert_eq!(items.len(), 3);
    assert!(items[0].is_ok() && items[1].is_ok());
    let e = items[2].as_ref().expect_err("truncated").to_string();
    assert_eq!(
        e,
        "res.txt:3: malformed input: truncated last line (no newline at end of file): \
         expected 7 to 10 comma-separated fields, got 4"
    );
    // a complete last line without newline is fine
    let ok: Vec<_> = MotReader::new("1,1,10,20,30,60,1".as_bytes(), "r").collect();
    assert!(ok[0].is_ok());
}

#[test]
fn invalid_utf8_line_is_reported_and_skipped() {
    let mut bytes = b"1,1,10,20,30,60,1\n".to_vec();
    bytes.extend_from_slice(b"2,1,\xff\xfe,20,30,60,1\n3,1,10,20,30,60,1\n");
    let items: Vec<_> = MotReader::new(&bytes[..], "x.txt").collect();
    assert_eq!(items.len(), 3);
    assert!(items[1].as_ref().expect_err("utf8").to_string().starts_with("x.txt:2:"));
    assert_eq!(items[2].as_ref().expect("ok").frame, 3);
}

#[test]
fn missing_file_is_an_io_error_naming_the_path() {
    let e = read_file("tests/fixtures/no-such.txt").expect_err("missing");
    assert!(matches!(e, Error::Io { .. }));
    assert!(e.to_string().starts_with("tests/fixtures/no-such.txt"), "{e}");
}
