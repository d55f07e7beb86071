//! The overview picture: well-formed XML, one polyline per unbroken track
//! piece, stable colours, escaping, NaN rows, extent, decimation, and two
//! example pictures written to `target/` for a person to look at.

use std::collections::BTreeMap;
use std::path::PathBuf;

use fusetrack::geometry::{Camera, CameraRig};
use fusetrack::overview::{CameraView, Marker, MarkerKind, Overview, Zone, track_colour};
use quick_xml::events::Event;

/// One element of the parsed document: its name, attributes, the text
/// directly inside it and the index of its parent.
#[derive(Debug, Clone)]
struct Element {
    name: String,
    attrs: BTreeMap<String, String>,
    text: String,
    parent: Option<usize>,
}

/// Parses the SVG with quick-xml (end tags checked against start tags,
/// entities unescaped), panicking on any well-formedness error, and returns
/// every element in document order.
fn parse(svg: &str) -> Vec<Element> {
    let mut reader = quick_xml::Reader::from_str(svg);
    reader.config_mut().check_end_names = true;
    let mut out: Vec<Element> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut roots = 0;
    loop {
        let ev = reader
            .read_event()
            .unwrap_or_else(|e| panic!("not well-formed at byte {}: {e}", reader.error_position()));
        let (start, empty) = match &ev {
            Event::Start(s) => (Some(s.clone()), false),
            Event::Empty(s) => (Some(s.clone()), true),
            _ => (None, false),
        };
        if let Some(s) = start {
            let name = String::from_utf8(s.name().as_ref().to_vec()).expect("utf-8 name");
            let mut attrs = BTreeMap::new();
            for a in s.attributes() {
                let a = a.expect("well-formed attribute");
                let key = String::from_utf8(a.key.as_ref().to_vec()).expect("utf-8 key");
                let value = a
                    .normalized_value(quick_xml::XmlVersion::Explicit1_0)
                    .expect("valid entities")
                    .into_owned();
                assert!(attrs.insert(key, value).is_none(), "duplicate attribute");
            }
            if stack.is_empty() {
                roots += 1;
            }
            out.push(Element { name, attrs, text: String::new(), parent: stack.last().copied() });
            if !empty {
                stack.push(out.len() - 1);
            }
            continue;
        }
        match ev {
            Event::End(_) => {
                stack.pop().expect("end tag has a start tag");
            }
            Event::Text(t) => {
                let t = t.decode().expect("utf-8 text");
                if let Some(&i) = stack.last() {
                    out[i].text.push_str(&t);
                } else {
                    assert!(t.trim().is_empty(), "text outside the root: {t:?}");
                }
            }
            Event::GeneralRef(r) => {
                let name = r.decode().expect("utf-8 reference").into_owned();
                let resolved = match r.resolve_char_ref().expect("valid character reference") {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::resolve_predefined_entity(&name)
                        .unwrap_or_else(|| panic!("undefined entity &{name};"))
                        .to_owned(),
                };
                let i = *stack.last().expect("reference inside an element");
                out[i].text.push_str(&resolved);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(stack.is_empty(), "unclosed elements");
    assert_eq!(roots, 1, "exactly one root element");
    assert_eq!(out.first().map(|e| e.name.as_str()), Some("svg"));
    out
}

/// Track groups: track id -> (colour, number of polylines in the group).
fn track_groups(doc: &[Element]) -> BTreeMap<u64, (String, usize)> {
    let mut groups = BTreeMap::new();
    for (i, e) in doc.iter().enumerate() {
        if let Some(id) = e.attrs.get("data-track") {
            let id: u64 = id.parse().expect("numeric track id");
            let n = doc.iter().filter(|c| c.parent == Some(i) && c.name == "polyline").count();
            groups.insert(id, (e.attrs["stroke"].clone(), n));
        }
    }
    groups
}

/// The points of a polyline, pixels.
fn points(e: &Element) -> Vec<[f64; 2]> {
    e.attrs["points"]
        .split_whitespace()
        .map(|p| {
            let (x, y) = p.split_once(',').expect("x,y");
            [x.parse().expect("x"), y.parse().expect("y")]
        })
        .collect()
}

/// Deterministic noise in [-a, a] (xorshift64), so the scenes need no rand.
struct Noise(u64);
impl Noise {
    fn next(&mut self, a: f64) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        ((self.0 >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0) * a
    }
}

fn target_dir() -> PathBuf {
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    std::fs::create_dir_all(&dir).expect("target dir");
    dir
}

#[test]
fn document_is_well_formed_xml_with_one_svg_root() {
    let svg = example_scene().render();
    let doc = parse(&svg);
    assert_eq!(doc[0].attrs["xmlns"], "http://www.w3.org/2000/svg");
    assert!(doc.iter().any(|e| e.name == "clipPath"));
    // Rendering is deterministic: the same input gives the same bytes.
    assert_eq!(svg, example_scene().render());
}

#[test]
fn one_polyline_per_continuous_track_segment() {
    let mut rows = Vec::new();
    // Track 1: 10 s without a gap, 10 Hz.
    rows.extend((0..100).map(|i| (i as f64 * 0.1, 1, i as f64 * 0.1, 0.0)));
    // Track 2: a 3 s gap at t = 5 s -> 2 pieces.
    rows.extend(
        (0..100)
            .filter(|i| !(50..80).contains(i))
            .map(|i| (i as f64 * 0.1, 2, i as f64 * 0.1, 2.0)),
    );
    // Track 3: gaps of 1.5 s and 4 s -> 3 pieces; and a 0.9 s gap that is not one.
    let t3 = [0.0, 0.5, 1.0, 2.5, 3.0, 3.9, 4.2, 8.2, 8.7];
    rows.extend(t3.iter().map(|&t| (t, 3, t, 4.0)));
    // Track 4: a single row -> one (dot) polyline.
    rows.push((1.0, 4, 5.0, 6.0));
    // Rows in reverse order: the grouping must sort by time itself.
    rows.reverse();
    let svg = Overview::new("segments").tracks(rows).gap_s(1.0).render();
    let doc = parse(&svg);
    let groups = track_groups(&doc);
    let counts: Vec<(u64, usize)> = groups.iter().map(|(id, (_, n))| (*id, *n)).collect();
    assert_eq!(counts, vec![(1, 1), (2, 2), (3, 3), (4, 1)]);
    // The track-3 pieces span 0-3.9 s... no: 0-1 s, 2.5-4.2 s, 8.2-8.7 s.
    let titles: Vec<&str> = doc
        .iter()
        .filter(|e| e.name == "title" && e.text.starts_with("track 3:"))
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(titles, ["track 3: t 0-1 s", "track 3: t 2.5-4.2 s", "track 3: t 8.2-8.7 s"]);
}

#[test]
fn colours_are_stable_for_an_id_across_runs_and_scenes() {
    // The same id gets the same colour whatever else is in the scene and in
    // whatever order the rows come.
    let a = Overview::new("a")
        .tracks([(0.0, 5, 0.0, 0.0), (0.1, 5, 1.0, 0.0), (0.0, 9, 3.0, 3.0), (0.1, 9, 3.0, 4.0)])
        .render();
    let b = Overview::new("b")
        .tracks([(0.1, 2, 9.0, 9.0), (7.0, 5, 5.0, 5.0), (7.2, 5, 6.0, 5.0), (0.0, 2, 8.0, 9.0)])
        .render();
    let ga = track_groups(&parse(&a));
    let gb = track_groups(&parse(&b));
    assert_eq!(ga[&5].0, gb[&5].0);
    assert_eq!(ga[&5].0, track_colour(5));
    assert_eq!(ga[&9].0, track_colour(9));
    assert_eq!(gb[&2].0, track_colour(2));
    // Golden-angle stepping: the first 12 ids all get different colours.
    let mut colours: Vec<String> = (0..12).map(track_colour).collect();
    colours.sort();
    colours.dedup();
    assert_eq!(colours.len(), 12);
    // Large ids do not overflow and are still valid colours.
    let c = track_colour(u64::MAX);
    assert!(c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|c| c.is_ascii_hexdigit()));
}

#[test]
fn text_is_escaped_for_xml() {
    let title = "Hall <B> & \"Vault\" 'east'";
    let cam = "cam<1>&co";
    let label = "intrusion & <loitering>";
    let zone = "jewel\u{1}room & \"safe\"";
    let summary = "MOTA > 0.9 & IDF1 < 1";
    let svg = Overview::new(title)
        .summary(summary)
        .camera(CameraView::new(cam).at([0.0, 0.0]))
        .marker(Marker::new(MarkerKind::Alert, 1.0, 2.0, 2.0, label))
        .zone(Zone::new(zone, vec![[0.0, 0.0], [3.0, 0.0], [3.0, 3.0]]))
        .render();
    let doc = parse(&svg);
    let texts: Vec<&str> = doc.iter().map(|e| e.text.as_str()).collect();
    assert!(texts.contains(&title), "title round-trips");
    assert!(texts.contains(&cam));
    assert!(texts.contains(&label));
    assert!(texts.contains(&summary));
    // The control character cannot be in XML 1.0: it is dropped.
    assert!(texts.contains(&"jewelroom & \"safe\""));
    assert!(!svg.contains('\u{1}'));
    assert!(!svg.contains("<B>") && !svg.contains("<loitering>"));
}

#[test]
fn nan_and_infinite_rows_are_skipped() {
    let good_truth = vec![(0.0, 1, 0.0, 0.0), (0.5, 1, 1.0, 1.0), (1.0, 1, 2.0, 1.5)];
    let good_tracks = vec![(0.0, 3, 0.1, 0.0), (0.5, 3, 1.1, 1.0), (1.0, 3, 2.1, 1.5)];
    let good_markers = vec![Marker::new(MarkerKind::IdSwitch, 0.5, 1.0, 1.0, "1: 3 -> 4")];
    let cov = vec![[0.0, -1.0], [3.0, -1.0], [3.0, 2.0]];
    let clean = Overview::new("nan")
        .camera(CameraView::new("c").at([-1.0, -1.0]).coverage(cov.clone()))
        .truth(good_truth.clone())
        .tracks(good_tracks.clone())
        .markers(good_markers.clone())
        .render();

    let mut truth = good_truth;
    truth.insert(1, (f64::NAN, 1, 5.0, 5.0));
    truth.push((2.0, 1, f64::INFINITY, 0.0));
    truth.push((2.0, 2, 1e3, f64::NEG_INFINITY));
    let mut tracks = good_tracks;
    tracks.insert(0, (0.2, 3, f64::NAN, 0.0));
    tracks.push((f64::INFINITY, 3, 0.0, 0.0));
    let mut markers = good_markers;
    markers.push(Marker::new(MarkerKind::Alert, f64::NAN, 1.0, 1.0, "x"));
    markers.push(Marker::new(MarkerKind::TrackBreak, 1.0, f64::NAN, 1.0, "y"));
    let mut dirty_cov = cov;
    dirty_cov.insert(1, [f64::NAN, 7.0]);
    let dirty = Overview::new("nan")
        .camera(CameraView::new("c").at([-1.0, -1.0]).coverage(dirty_cov))
        .truth(truth)
        .tracks(tracks)
        .markers(markers)
        .render();
    // Byte-identical: the bad rows left no trace, not even in the extent.
    assert_eq!(dirty, clean);

    // A scene made only of bad rows still renders a valid document.
    let only_bad = Overview::new("bad")
        .truth([(f64::NAN, 1, f64::NAN, f64::NAN)])
        .camera(CameraView::new("c").at([f64::NAN, 0.0]).coverage(vec![[f64::INFINITY, 0.0]]))
        .gap_s(f64::NAN)
        .decimation_m(-1.0)
        .extent_m([f64::NAN, 0.0], [1.0, 1.0])
        .render();
    parse(&only_bad);
}

#[test]
fn extent_contains_all_truth_and_track_points_but_not_the_horizon() {
    let mut noise = Noise(7);
    let truth: Vec<(f64, u64, f64, f64)> = (0..600)
        .map(|i| {
            let t = i as f64 * 0.1;
            (t, (i % 4) as u64, -6.0 + 0.3 * t + noise.next(0.5), 3.0 + 8.0 * (0.1 * t).sin())
        })
        .collect();
    let tracks: Vec<_> =
        truth.iter().map(|&(t, id, x, y)| (t, id + 10, x + 0.1, y - 0.1)).collect();
    // A camera whose coverage reaches 300 m; one camera 25 m away, one 400 m away.
    let huge = vec![[-300.0, -50.0], [300.0, -50.0], [300.0, 300.0], [-300.0, 300.0]];
    let o = Overview::new("extent")
        .camera(CameraView::new("wide").at([0.0, -8.0]).coverage(huge))
        .camera(CameraView::new("far").at([400.0, 0.0]))
        .truth(truth.clone())
        .tracks(tracks.clone());
    let (min, max) = o.view_extent_m();
    for &(_, _, x, y) in truth.iter().chain(&tracks) {
        assert!(min[0] < x && x < max[0] && min[1] < y && y < max[1], "({x}, {y}) outside");
    }
    // Driven by the people (about 20 m x 16 m), not by the 600 m coverage.
    let (w, h) = (max[0] - min[0], max[1] - min[1]);
    assert!(w < 40.0 && h < 40.0, "extent {w} x {h} m");
    // The near camera is inside; the far one is drawn on the border with its distance.
    assert!(min[1] < -8.0);
    let svg = o.render();
    let doc = parse(&svg);
    let far = doc.iter().find(|e| e.text.starts_with("far (")).expect("far camera label");
    assert!(far.text.ends_with(" m away)"), "{}", far.text);
    let metres: f64 = far.text["far (".len()..far.text.len() - " m away)".len()].parse().unwrap();
    assert!((metres - (400.0 - max[0])).abs() < 2.0, "{metres} m");
    // The footer states the same extent, to 2 decimals.
    let footer =
        doc.iter().find(|e| e.text.starts_with("x ") && e.text.contains(" m, y ")).unwrap();
    let nums: Vec<f64> = footer
        .text
        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .filter_map(|s| s.parse().ok())
        .collect();
    for (got, want) in nums.iter().zip([min[0], max[0], min[1], max[1]]) {
        assert!((got - want).abs() <= 0.005 + 1e-9, "{got} vs {want}");
    }
    // Coverage is clipped to the map: no vertex of a coverage polygon lies
    // more than a few pixels outside the clip rectangle.
    let clip =
        doc.iter().find(|e| e.name == "rect" && doc[e.parent.unwrap()].name == "clipPath").unwrap();
    let f = |k: &str| clip.attrs[k].parse::<f64>().unwrap();
    let (cx, cy, cw, ch) = (f("x"), f("y"), f("width"), f("height"));
    for e in doc
        .iter()
        .filter(|e| e.attrs.get("class").is_some_and(|c| c == "cov") && e.name == "polygon")
    {
        for p in points(e) {
            assert!(
                p[0] >= cx - 3.0
                    && p[0] <= cx + cw + 3.0
                    && p[1] >= cy - 3.0
                    && p[1] <= cy + ch + 3.0
            );
        }
    }
}

#[test]
fn the_map_keeps_equal_axis_scales() {
    // A 40 m x 10 m scene: 1 m along x is as long on screen as 1 m along y.
    let o = Overview::new("scale").truth([(0.0, 1, 0.0, 0.0), (1.0, 1, 40.0, 10.0)]);
    let doc = parse(&o.render());
    let (min, max) = o.view_extent_m();
    let clip =
        doc.iter().find(|e| e.name == "rect" && doc[e.parent.unwrap()].name == "clipPath").unwrap();
    let w: f64 = clip.attrs["width"].parse().unwrap();
    let h: f64 = clip.attrs["height"].parse().unwrap();
    let sx = w / (max[0] - min[0]);
    let sy = h / (max[1] - min[1]);
    assert!((sx - sy).abs() / sx < 1e-3, "{sx} vs {sy} px/m");
    // Aspect widened to at least 0.5 (40 m wide -> at least 20 m high).
    assert!((max[1] - min[1]) / (max[0] - min[0]) >= 0.5 - 1e-9);
}

#[test]
fn decimation_reduces_a_long_straight_path_to_a_handful_of_points() {
    // 10 000 points, 1 cm apart, on a straight line with 3 mm of jitter.
    let mut noise = Noise(42);
    let rows: Vec<_> = (0..10_000)
        .map(|i| (i as f64 * 0.04, 1, i as f64 * 0.01, 0.5 * i as f64 * 0.01 + noise.next(0.003)))
        .collect();
    let svg = Overview::new("long").tracks(rows.clone()).gap_s(1.0).render();
    let doc = parse(&svg);
    let line = doc
        .iter()
        .find(|e| {
            e.name == "polyline"
                && e.parent.is_some_and(|p| doc[p].attrs.contains_key("data-track"))
        })
        .unwrap();
    let pts = points(line);
    assert!((2..=5).contains(&pts.len()), "{} points kept", pts.len());
    // The first and last points are kept.
    let o = Overview::new("long").tracks(rows);
    let undecimated = parse(&o.clone().decimation_m(0.0).render());
    let full = undecimated
        .iter()
        .find(|e| {
            e.name == "polyline"
                && e.parent.is_some_and(|p| undecimated[p].attrs.contains_key("data-track"))
        })
        .map(points)
        .unwrap();
    assert_eq!(full.len(), 10_000);
    assert_eq!(pts.first(), full.first());
    assert_eq!(pts.last(), full.last());
    assert!(svg.len() < 8_000, "{} bytes", svg.len());
    // Coordinates carry at most 2 decimals.
    assert!(full.iter().flatten().all(|v| ((v * 100.0).round() - v * 100.0).abs() < 1e-6));
}

#[test]
fn write_names_the_path_on_error() {
    let path = target_dir().join("no-such-dir").join("overview.svg");
    let err = Overview::new("t").write(&path).unwrap_err();
    match &err {
        fusetrack::Error::Io { path: p, .. } => assert_eq!(p, &path),
        other => panic!("expected Error::Io, got {other:?}"),
    }
    assert!(err.to_string().contains("no-such-dir"));
}

/// Three cameras over a 24 m x 16 m hall, five walkers for 60 s at 10 Hz,
/// and the tracker's imagined output: noise, one track break (walker 2's
/// track ends, a new one starts 2 s later), one identity switch (walkers 0
/// and 1 swap tracks where they cross), one track with a 3 s gap under the
/// same id, a short false track, and one alert in a zone.
fn example_scene() -> Overview {
    let cams = [
        ("hall-sw", [-2.0, -2.0, 4.0], [8.0, 6.0, 0.0]),
        ("hall-ne", [26.0, 18.0, 4.0], [14.0, 8.0, 0.0]),
        ("gate", [12.0, -4.0, 3.5], [12.0, 6.0, 0.0]),
    ];
    let rig = CameraRig::new(
        cams.iter()
            .map(|(n, p, t)| Camera::look_at(*n, [1280, 720], 900.0, *p, *t).expect("camera"))
            .collect(),
    )
    .expect("rig");
    let walker = |id: u64, t: f64| -> [f64; 2] {
        match id {
            0 => [1.0 + 0.35 * t, 2.0 + 0.18 * t],
            1 => [21.0 - 0.33 * t, 2.5 + 0.17 * t],
            2 => [12.0 + 7.0 * (0.08 * t).cos(), 8.0 + 5.0 * (0.08 * t).sin()],
            3 => [3.0 + 0.1 * t, 14.0 - 0.15 * t + 0.8 * (0.3 * t).sin()],
            _ => [18.0 + 2.0 * (0.05 * t).sin(), 13.0 - 0.1 * t],
        }
    };
    let mut noise = Noise(2024);
    let mut truth = Vec::new();
    let mut tracks = Vec::new();
    // Tracker error: first-order autoregressive, about 10 cm.
    let mut err = [[0.0f64; 2]; 5];
    for k in 0..=600 {
        let t = k as f64 * 0.1;
        for id in 0..5u64 {
            let p = walker(id, t);
            let e = &mut err[id as usize];
            *e = [0.9 * e[0] + noise.next(0.06), 0.9 * e[1] + noise.next(0.06)];
            truth.push((t, id, p[0], p[1]));
            // Which track follows this walker at t.
            let track = match id {
                0 if t >= 30.0 => Some(12),
                1 if t >= 30.0 => Some(11),
                0 => Some(11),
                1 => Some(12),
                2 if t < 25.0 => Some(13),
                2 if t < 27.0 => None,
                2 => Some(17),
                3 if (40.0..43.0).contains(&t) => None,
                3 => Some(14),
                _ if t >= 6.0 => Some(15),
                _ => None,
            };
            if let Some(tr) = track {
                tracks.push((t, tr, p[0] + e[0], p[1] + e[1]));
            }
        }
        if (50.0..54.0).contains(&t) {
            tracks.push((t, 16, 9.0 + 0.5 * (t - 50.0), 11.0 + noise.next(0.03)));
        }
    }
    let p2 = walker(2, 25.0);
    let p01 = walker(0, 30.0);
    let vault = vec![[15.0, 10.0], [20.0, 10.0], [20.0, 15.0], [15.0, 15.0]];
    let alert_at = walker(4, 10.0);
    Overview::new("hall, synthetic run")
        .summary("MOTA 0.93  IDF1 0.88  HOTA 0.80")
        .summary("5 objects, 60 s, 3 cameras")
        .rig(&rig)
        .zone(Zone::new("vault", vault))
        .truth(truth)
        .tracks(tracks)
        .marker(Marker::new(MarkerKind::TrackBreak, 25.0, p2[0], p2[1], "gt 2 lost track 13"))
        .marker(Marker::new(MarkerKind::IdSwitch, 30.0, p01[0], p01[1], "gt 0: 11 -> 12"))
        .marker(Marker::new(
            MarkerKind::Alert,
            10.0,
            alert_at[0],
            alert_at[1],
            "zone_entered vault",
        ))
}

#[test]
fn example_pictures_are_written_to_target() {
    let dir = target_dir();
    let path = dir.join("overview_example.svg");
    example_scene().write(&path).expect("write example");
    let svg = std::fs::read_to_string(&path).expect("read back");
    let doc = parse(&svg);
    // Six tracks, track 14 in two pieces; all three cameras named.
    let groups = track_groups(&doc);
    assert_eq!(groups.keys().copied().collect::<Vec<_>>(), [11, 12, 13, 14, 15, 16, 17]);
    assert_eq!(groups[&14].1, 2);
    for name in ["hall-sw", "hall-ne", "gate", "vault", "zone_entered vault"] {
        assert!(doc.iter().any(|e| e.text == name), "{name} missing");
    }
    assert!(svg.len() < 60_000, "{} bytes", svg.len());

    // The real WILDTRACK rig (data/plaza) with a few walkers on the plaza.
    let rig = CameraRig::load(concat!(env!("CARGO_MANIFEST_DIR"), "/data/plaza/cameras.json"))
        .expect("plaza rig");
    let truth: Vec<_> = (0..300)
        .flat_map(|k| {
            let t = k as f64 * 0.1;
            [(t, 1, -2.0 + 0.35 * t, 1.0 + 0.5 * t), (t, 2, 8.0 - 0.2 * t, 20.0 - 0.4 * t)]
        })
        .collect();
    let tracks: Vec<_> = truth.iter().map(|&(t, id, x, y)| (t, id + 100, x + 0.2, y)).collect();
    let plaza = Overview::new("plaza (WILDTRACK cameras)").rig(&rig).truth(truth).tracks(tracks);
    let path = dir.join("overview_plaza.svg");
    plaza.write(&path).expect("write plaza");
    let doc = parse(&std::fs::read_to_string(&path).expect("read back"));
    let names: Vec<String> = rig.iter().map(|(_, c)| c.name().to_owned()).collect();
    for n in &names {
        assert!(doc.iter().any(|e| e.text == *n || e.text.starts_with(&format!("{n} ("))), "{n}");
    }
}

#[test]
fn huge_finite_coordinates_give_a_valid_picture() {
    for big in [1e308, 1e154, 1e12] {
        let svg = Overview::new("big")
            .truth([(0.0, 1, -big, 0.0), (1.0, 1, big, big), (2.0, 1, 0.0, -big)])
            .tracks([(0.0, 2, big, -big), (1.0, 2, 0.0, 0.0)])
            .camera(CameraView::new("c").at([big, big]).coverage(vec![
                [-big, 0.0],
                [big, 0.0],
                [0.0, big],
            ]))
            .marker(Marker::new(MarkerKind::Alert, 0.0, big, big, "far"))
            .render();
        parse(&svg);
        let lower = svg.to_lowercase();
        assert!(!lower.contains("nan") && !lower.contains("inf"), "{big}");
    }
}

#[test]
fn a_long_run_stays_small() {
    // 30 people walking randomly for an hour at 10 Hz (1 080 000 rows), the
    // tracker's output with 3 cm of smooth error. Measures the file size.
    let mut noise = Noise(99);
    let mut truth = Vec::new();
    let mut tracks = Vec::new();
    for id in 0..30u64 {
        let (mut x, mut y, mut h) = (noise.next(10.0), noise.next(10.0), noise.next(3.0));
        let mut e = [0.0f64; 2];
        for k in 0..36_000 {
            let t = k as f64 * 0.1;
            h += noise.next(0.1);
            x = (x + 0.12 * h.cos()).clamp(-15.0, 15.0);
            y = (y + 0.12 * h.sin()).clamp(-15.0, 15.0);
            e = [0.9 * e[0] + noise.next(0.01), 0.9 * e[1] + noise.next(0.01)];
            truth.push((t, id, x, y));
            tracks.push((t, id, x + e[0], y + e[1]));
        }
    }
    let svg = Overview::new("an hour").truth(truth).tracks(tracks).render();
    parse(&svg);
    eprintln!("a_long_run_stays_small: {} bytes", svg.len());
    // Without decimation it would be about 1 080 000 x 2 x 14 bytes = 30 MB.
    assert!(svg.len() < 2_000_000, "{} bytes", svg.len());
}
