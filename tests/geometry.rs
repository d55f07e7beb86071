//! Camera geometry against references: OpenCV projections of the real
//! WILDTRACK cameras, round trips, finite differences, and every refusal
//! of a bad `cameras.json`.

use fusetrack::geometry::{
    Camera, CameraKind, CameraRig, Extrinsics, GroundPoint, Intrinsics, PixelPoint, Polygon,
    Unprojectable,
};
use fusetrack::{Error, Location};
use nalgebra::{Matrix2, Matrix3, Vector3};

const PLAZA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/plaza/cameras.json");

fn plaza() -> CameraRig {
    CameraRig::load(PLAZA).expect("data/plaza/cameras.json loads")
}

/// Ground points on a grid over the plaza and around it, metres.
fn ground_grid(step: f64) -> Vec<GroundPoint> {
    let mut v = Vec::new();
    let mut x = -10.0;
    while x <= 20.0 {
        let mut y = -15.0;
        while y <= 35.0 {
            v.push(GroundPoint { x, y });
            y += step;
        }
        x += step;
    }
    v
}

#[test]
fn plaza_rig_has_the_seven_wildtrack_cameras() {
    let rig = plaza();
    let names: Vec<&str> = rig.iter().map(|(_, c)| c.name()).collect();
    assert_eq!(names, ["CVLab1", "CVLab2", "CVLab3", "CVLab4", "IDIAP1", "IDIAP2", "IDIAP3"]);
    for (_, c) in rig.iter() {
        assert_eq!(c.kind(), CameraKind::Pinhole);
        assert_eq!(c.image_size_px(), Some([1920, 1080]));
        assert_eq!(
            (c.fps(), c.pixel_noise_px(), c.latency_s()),
            (Some(10.0), Some(3.0), Some(0.1))
        );
        // Centres 1.5 m to 3.5 m above the plaza (README of data/plaza).
        let z = c.centre_m().unwrap()[2];
        assert!((1.5..3.5).contains(&z), "{} at z = {z}", c.name());
    }
    // CVLab1's centre, from the original XML (tvec in cm): C = -Rᵀ t / 100.
    let c = rig.get(rig.id("CVLab1").unwrap()).unwrap().centre_m().unwrap();
    assert!((c[0] - 9.10).abs() < 0.01 && (c[1] + 5.84).abs() < 0.01 && (c[2] - 2.89).abs() < 0.01);
}

#[test]
fn projection_matches_opencv_project_points() {
    let rig = plaza();
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/geometry/opencv_projections.json"
    ))
    .unwrap();
    let fixture: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut n = 0;
    let mut worst: f64 = 0.0;
    for cam in fixture["cameras"].as_array().unwrap() {
        let c = rig.get(rig.id(cam["id"].as_str().unwrap()).unwrap()).unwrap();
        for p in cam["points"].as_array().unwrap() {
            let w: Vec<f64> = serde_json::from_value(p["world_m"].clone()).unwrap();
            let px: Vec<f64> = serde_json::from_value(p["pixel"].clone()).unwrap();
            let ours = c.world_to_image([w[0], w[1], w[2]]).expect("in view");
            let err = (ours.x - px[0]).abs().max((ours.y - px[1]).abs());
            worst = worst.max(err);
            n += 1;
        }
    }
    assert!(n >= 70, "only {n} reference points");
    assert!(worst < 1e-6, "worst difference to cv2.projectPoints: {worst} px");
}

#[test]
fn world_to_image_then_image_to_ground_round_trips_on_all_cameras() {
    let rig = plaza();
    for (_, c) in rig.iter() {
        let mut n = 0;
        let mut worst: f64 = 0.0;
        for g in ground_grid(0.5) {
            let Some(px) = c.ground_to_image(g) else { continue };
            if !c.in_image(px) {
                continue;
            }
            let back = c.image_to_ground(px).expect("a visible ground point maps back");
            worst = worst.max((back.x - g.x).hypot(back.y - g.y));
            n += 1;
        }
        assert!(n > 300, "{}: only {n} visible grid points", c.name());
        assert!(worst < 1e-6, "{}: worst round-trip error {worst} m", c.name());
    }
}

#[test]
fn undistortion_inverts_the_lens_over_the_whole_image() {
    // Pixel -> ground -> pixel over a grid of raw pixels: undistortion then
    // distortion must return to the same pixel wherever a pixel is accepted.
    let rig = plaza();
    for (_, c) in rig.iter() {
        let (mut ok, mut refused_fold) = (0, 0);
        let mut worst: f64 = 0.0;
        for i in 0..=48 {
            for j in 0..=27 {
                let p = PixelPoint { x: i as f64 * 40.0, y: j as f64 * 40.0 };
                match c.image_to_ground(p) {
                    Ok(g) => {
                        let q =
                            c.ground_to_image(g).expect("a point seen maps back into the image");
                        worst = worst.max((q.x - p.x).abs().max((q.y - p.y).abs()));
                        ok += 1;
                    }
                    Err(Unprojectable::AboveHorizon) => {}
                    Err(Unprojectable::Degenerate) => refused_fold += 1,
                    Err(e) => panic!("{}: unexpected {e} at {p:?}", c.name()),
                }
            }
        }
        assert!(ok > 400, "{}: only {ok} pixels reach the ground", c.name());
        assert!(worst < 1e-6, "{}: worst pixel round trip {worst} px", c.name());
        if c.name() == "CVLab1" {
            // k3 = -0.69: the far corners are beyond the fold of the model.
            assert!(refused_fold > 0, "CVLab1 corners should be refused");
        }
    }
}

/// Central-difference Jacobian of image_to_ground with step `h` pixels.
fn numeric_jacobian(c: &Camera, p: PixelPoint, h: f64) -> Matrix2<f64> {
    let g = |dx: f64, dy: f64| c.image_to_ground(PixelPoint { x: p.x + dx, y: p.y + dy }).unwrap();
    let (a, b, u, d) = (g(h, 0.0), g(-h, 0.0), g(0.0, h), g(0.0, -h));
    Matrix2::new(
        (a.x - b.x) / (2.0 * h),
        (u.x - d.x) / (2.0 * h),
        (a.y - b.y) / (2.0 * h),
        (u.y - d.y) / (2.0 * h),
    )
}

#[test]
fn analytic_jacobian_matches_numerical_differentiation() {
    let rig = plaza();
    for (_, c) in rig.iter() {
        let mut checked = 0;
        for g in ground_grid(2.0) {
            let Some(px) = c.ground_to_image(g) else { continue };
            if !(c.in_image(px) && px.x > 20.0 && px.y > 20.0 && px.x < 1900.0 && px.y < 1060.0) {
                continue;
            }
            let j = c.ground_jacobian(px).unwrap();
            let num = numeric_jacobian(c, px, 1e-3);
            let rel = (j - num).amax() / j.amax();
            assert!(rel < 1e-5, "{} at {g:?}: analytic {j} numeric {num}", c.name());
            checked += 1;
        }
        assert!(checked > 20, "{}: {checked}", c.name());
    }
}

#[test]
fn covariance_is_the_propagated_pixel_noise_and_grows_with_range() {
    let rig = plaza();
    let c = rig.get(rig.id("IDIAP3").unwrap()).unwrap();
    let centre = c.centre_m().unwrap();
    let sigma = 3.0;
    let mut by_range = Vec::new();
    for g in ground_grid(1.0) {
        let Some(px) = c.ground_to_image(g) else { continue };
        if !(c.in_image(px) && px.x > 5.0 && px.y > 5.0 && px.x < 1915.0 && px.y < 1075.0) {
            continue;
        }
        let m = c.measure_foot_point(px, sigma).unwrap();
        // Equals σ² J Jᵀ with J from central differences, step 0.5 px.
        let j = numeric_jacobian(c, px, 0.5);
        let fd = j * j.transpose() * (sigma * sigma);
        let rel = (m.cov - fd).amax() / m.cov.amax();
        assert!(rel < 1e-3, "at {g:?}: {} vs {fd}", m.cov);
        assert_eq!(m.cov, m.cov.transpose());
        assert!(m.cov.determinant() > 0.0);
        let range = (g.x - centre[0]).hypot(g.y - centre[1]);
        by_range.push((range, m.cov.trace()));
    }
    by_range.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (near, far) = (by_range[0], by_range[by_range.len() - 1]);
    assert!(far.0 > 3.0 * near.0);
    // Range uncertainty grows about as range² / height per pixel: far points
    // at a grazing angle are much less certain.
    assert!(far.1 > 20.0 * near.1, "near {near:?} far {far:?}");
}

#[test]
fn measure_foot_point_refusals() {
    let rig = plaza();
    let c = rig.get(rig.id("CVLab2").unwrap()).unwrap();
    let ok = PixelPoint { x: 960.0, y: 1000.0 };
    assert!(c.measure_foot_point(ok, 3.0).is_ok());
    assert_eq!(c.measure_foot_point(ok, f64::NAN), Err(Unprojectable::NonFinite));
    assert_eq!(
        c.measure_foot_point(PixelPoint { x: f64::INFINITY, y: 3.0 }, 3.0),
        Err(Unprojectable::NonFinite)
    );
    // A level camera: the upper half of the image is sky.
    let level =
        Camera::look_at("level", [640, 480], 500.0, [0.0, 0.0, 3.0], [0.0, 100.0, 3.0]).unwrap();
    assert_eq!(
        level.measure_foot_point(PixelPoint { x: 320.0, y: 100.0 }, 3.0),
        Err(Unprojectable::AboveHorizon)
    );
    // Exactly on the horizon: the ray is parallel to the ground.
    assert_eq!(
        level.image_to_ground(PixelPoint { x: 320.0, y: 240.0 }),
        Err(Unprojectable::AboveHorizon)
    );
    // Far outside the image the model is not valid: refused, not looped on.
    assert!(c.measure_foot_point(PixelPoint { x: 1e6, y: 1e6 }, 3.0).is_err());
    let radar = Camera::world_sensor("radar");
    assert_eq!(radar.measure_foot_point(ok, 3.0), Err(Unprojectable::NoCalibration));
    assert_eq!(radar.world_to_image([0.0, 0.0, 0.0]), None);
}

#[test]
fn homography_camera_agrees_with_the_pinhole_camera_it_comes_from() {
    // A distortion-free WILDTRACK camera and the homography of its ground plane.
    let rig = plaza();
    for name in ["CVLab3", "IDIAP1"] {
        let c = rig.get(rig.id(name).unwrap()).unwrap().clone().with_dist([0.0; 5]);
        let h = c.ground_homography().unwrap();
        // Independent construction of the same H: K [r1 r2 t], inverted.
        let k = c.intrinsics().unwrap();
        let e = c.extrinsics().unwrap();
        let km = Matrix3::new(k.fx, 0.0, k.cx, 0.0, k.fy, k.cy, 0.0, 0.0, 1.0);
        let m =
            Matrix3::from_columns(&[e.r.column(0).into_owned(), e.r.column(1).into_owned(), e.t]);
        let h2 = (km * m).try_inverse().unwrap();
        assert!((h / h[(2, 2)] - h2 / h2[(2, 2)]).amax() < 1e-9);
        // Scale and sign of H do not matter.
        let hc = Camera::homography("h", [1920, 1080], h * -3.0).unwrap();
        let mut n = 0;
        for i in 0..=24 {
            for j in 0..=13 {
                let p = PixelPoint { x: i as f64 * 80.0, y: j as f64 * 80.0 };
                match (c.image_to_ground(p), hc.image_to_ground(p)) {
                    (Ok(a), Ok(b)) => {
                        assert!((a.x - b.x).hypot(a.y - b.y) < 1e-6 * (1.0 + a.x.hypot(a.y)));
                        let (ma, mb) = (
                            c.measure_foot_point(p, 2.0).unwrap(),
                            hc.measure_foot_point(p, 2.0).unwrap(),
                        );
                        assert!((ma.cov - mb.cov).amax() < 1e-6 * ma.cov.amax());
                        let back = hc.ground_to_image(b).unwrap();
                        assert!((back.x - p.x).abs() < 1e-6 && (back.y - p.y).abs() < 1e-6);
                        n += 1;
                    }
                    (Err(Unprojectable::AboveHorizon), Err(Unprojectable::AboveHorizon)) => {}
                    other => panic!("{name} at {p:?}: {other:?}"),
                }
            }
        }
        assert!(n > 100);
        assert_eq!(hc.world_to_image([1.0, 1.0, 0.5]), None);
    }
}

#[test]
fn plaza_centre_is_seen_by_several_cameras() {
    let rig = plaza();
    let mut total = 0usize;
    let mut cells = 0usize;
    let mut min_seen = usize::MAX;
    let mut x = -3.0;
    while x <= 9.0 {
        let mut y = -9.0;
        while y <= 27.0 {
            let k = rig.cameras_seeing(GroundPoint { x, y }).count();
            total += k;
            cells += 1;
            min_seen = min_seen.min(k);
            y += 1.0;
        }
        x += 1.0;
    }
    let mean = total as f64 / cells as f64;
    // WILDTRACK was built for strong overlap: on average well over 2 views.
    assert!(mean > 3.0, "mean cameras per plaza cell {mean}");
    assert!(rig.cameras_seeing(GroundPoint { x: 3.0, y: 9.0 }).count() >= 4);
    assert!(min_seen >= 1, "a plaza cell is seen by no camera");
    // Far away from the plaza nobody looks.
    assert_eq!(rig.cameras_seeing(GroundPoint { x: 500.0, y: 500.0 }).count(), 0);
}

#[test]
fn derived_coverage_agrees_with_projection() {
    // Oracle: a ground point whose image lies well inside the image (and
    // within the range cap) must be in the coverage; a point behind the
    // camera must not.
    let rig = plaza();
    for (_, c) in rig.iter() {
        let cov = c.coverage();
        assert!(cov.area_m2() > 50.0, "{}: area {}", c.name(), cov.area_m2());
        assert!(Polygon::new(cov.vertices().to_vec()).is_ok(), "{}: not simple", c.name());
        let mut n = 0;
        for g in ground_grid(0.5) {
            let Some(px) = c.ground_to_image(g) else { continue };
            if px.x > 100.0 && px.y > 100.0 && px.x < 1820.0 && px.y < 980.0 {
                assert!(c.sees(g), "{} should see {g:?} (pixel {px:?})", c.name());
                n += 1;
            }
        }
        assert!(n > 100);
        // Straight behind the camera, 5 m away.
        let e = c.extrinsics().unwrap();
        let fwd = e.r.row(2).transpose();
        let ctr = c.centre_m().unwrap();
        let behind = GroundPoint {
            x: ctr[0] - 5.0 * fwd.x / fwd.xy().norm(),
            y: ctr[1] - 5.0 * fwd.y / fwd.xy().norm(),
        };
        assert!(!c.sees(behind), "{} sees behind itself", c.name());
    }
}

#[test]
fn derived_coverage_is_capped_at_the_person_height_range() {
    // Level camera 3 m up looking north: the horizon crosses the image, so the
    // top of the coverage is at 1.7 m * fy / 20 px = 42.5 m from the foot point.
    let c =
        Camera::look_at("level", [640, 480], 500.0, [0.0, 0.0, 3.0], [0.0, 100.0, 3.0]).unwrap();
    let far = c.coverage().vertices().iter().map(|v| v[0].hypot(v[1])).fold(0.0, f64::max);
    assert!((far - 42.5).abs() < 1e-9, "farthest vertex at {far} m");
    assert!(c.sees(GroundPoint { x: 0.0, y: 40.0 }));
    assert!(!c.sees(GroundPoint { x: 0.0, y: 45.0 }));
}

#[test]
fn polygon_edges_vertices_and_self_intersection() {
    let sq = Polygon::new(vec![[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0]]).unwrap();
    let cw = Polygon::new(vec![[0.0, 0.0], [0.0, 2.0], [2.0, 2.0], [2.0, 0.0]]).unwrap();
    for p in [&sq, &cw] {
        assert_eq!(p.area_m2(), 4.0);
        // Closed polygon: edges and vertices are inside.
        for (x, y) in [(1.0, 0.0), (2.0, 1.0), (1.0, 2.0), (0.0, 1.0), (0.0, 0.0), (2.0, 2.0)] {
            assert!(p.contains(GroundPoint { x, y }), "({x}, {y}) on the boundary");
        }
        assert!(p.contains(GroundPoint { x: 1.0, y: 1.0 }));
        for (x, y) in [(2.0 + 1e-6, 1.0), (-1e-6, 1.0), (1.0, 2.0 + 1e-6), (3.0, 3.0)] {
            assert!(!p.contains(GroundPoint { x, y }), "({x}, {y}) outside");
        }
        assert!(!p.contains(GroundPoint { x: f64::NAN, y: 1.0 }));
        assert_eq!(p.bbox(), [0.0, 0.0, 2.0, 2.0]);
    }
    // A concave "U": the notch is outside, the arms inside.
    let u = Polygon::new(vec![
        [0.0, 0.0],
        [3.0, 0.0],
        [3.0, 3.0],
        [2.0, 3.0],
        [2.0, 1.0],
        [1.0, 1.0],
        [1.0, 3.0],
        [0.0, 3.0],
    ])
    .unwrap();
    assert!(!u.contains(GroundPoint { x: 1.5, y: 2.0 }));
    assert!(
        u.contains(GroundPoint { x: 0.5, y: 2.0 }) && u.contains(GroundPoint { x: 2.5, y: 2.9 })
    );
    assert!(u.contains(GroundPoint { x: 1.5, y: 1.0 })); // on the notch's floor
    assert_eq!(u.area_m2(), 7.0);
    // Refusals.
    let bad = [
        vec![[0.0, 0.0], [1.0, 1.0]],                         // too few
        vec![[0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 1.0]], // bow tie
        vec![[0.0, 0.0], [1.0, 0.0], [2.0, 0.0]],             // zero area
        vec![[0.0, 0.0], [1.0, 0.0], [1.0, 0.0], [0.0, 1.0]], // repeated vertex
        vec![[0.0, 0.0], [f64::NAN, 0.0], [0.0, 1.0]],        // NaN
        vec![[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [2.0, 0.0], [0.0, 4.0]], // vertex touching an edge
    ];
    for v in bad {
        assert!(
            matches!(Polygon::new(v.clone()), Err(Error::InvalidField { .. })),
            "{v:?} accepted"
        );
    }
    // Serde: a list of vertices; invalid lists are refused on the way in.
    let s = serde_json::to_string(&sq).unwrap();
    assert_eq!(s, "[[0.0,0.0],[2.0,0.0],[2.0,2.0],[0.0,2.0]]");
    assert_eq!(serde_json::from_str::<Polygon>(&s).unwrap(), sq);
    assert!(serde_json::from_str::<Polygon>("[[0,0],[1,1],[1,0],[0,1]]").is_err());
}

#[test]
fn cameras_json_round_trips() {
    let rig = plaza();
    let text = rig.to_json_string();
    let back = CameraRig::from_json_str(&text, &Location::none()).unwrap();
    assert_eq!(back, rig);
    // Through serde too (tracker snapshots).
    let s = serde_json::to_string(&rig).unwrap();
    assert_eq!(serde_json::from_str::<CameraRig>(&s).unwrap(), rig);
    // A homography camera, a world sensor with coverage, explicit coverage.
    let json = r#"{"cameras": [
      {"id": "street-4", "image_size": [720, 576], "fps": 25,
       "homography": [[0.01, 0, -3.2], [0, 0.02, -1.1], [0, 0.0004, 1]], "latency": 0.3},
      {"id": "radar", "coverage": [[0, 0], [10, 0], [10, 10], [0, 10]], "pixel_noise": 0},
      {"id": "gallery-1", "image_size": [1920, 1080],
       "intrinsics": {"fx": 1743.4, "fy": 1735.1, "cx": 934.5, "cy": 444.4, "dist": [-0.43, 0.21, 0.0, 0.0]},
       "extrinsics": {"rvec": [1.76, 0.47, -0.33], "t": [-5.26, 0.45, 9.87]},
       "coverage": [[0, 0], [5, 0], [5, 5]]}
    ]}"#;
    let rig = CameraRig::from_json_str(json, &Location::none()).unwrap();
    let back = CameraRig::from_json_str(&rig.to_json_string(), &Location::none()).unwrap();
    assert_eq!(back, rig);
    let radar = rig.get(rig.id("radar").unwrap()).unwrap();
    assert_eq!(radar.kind(), CameraKind::WorldSensor);
    assert!(radar.sees(GroundPoint { x: 5.0, y: 5.0 }) && radar.coverage_is_given());
    let g = rig.get(rig.id("gallery-1").unwrap()).unwrap();
    assert_eq!(g.intrinsics().unwrap().dist, [-0.43, 0.21, 0.0, 0.0, 0.0]);
    assert_eq!(g.coverage().area_m2(), 12.5);
}

#[test]
fn unknown_fields_are_accepted_and_ignored() {
    let json = r#"{"version": 3, "cameras": [{"id": "r", "vendor": {"x": 1}, "mount": "pole"}], "site": "x"}"#;
    let rig = CameraRig::from_json_str(json, &Location::none()).unwrap();
    assert_eq!(rig.len(), 1);
}

/// A valid pinhole entry with one part replaced.
fn entry(replace: &str, with: &str) -> String {
    let base = r#"{"id": "cam-a", "image_size": [1920, 1080], "fps": 10, "pixel_noise": 3, "latency": 0.1,
      "intrinsics": {"fx": 1000, "fy": 1000, "cx": 960, "cy": 540, "dist": [0, 0, 0, 0, 0]},
      "extrinsics": {"R": [[1, 0, 0], [0, 0, -1], [0, 1, 0]], "t": [0, 3, 10]}}"#;
    assert!(base.contains(replace), "{replace}");
    format!(r#"{{"cameras": [{{"id": "ok"}}, {}]}}"#, base.replace(replace, with))
}

fn field_error(json: &str) -> (String, String) {
    let at = Location::file("scene/cameras.json");
    match CameraRig::from_json_str(json, &at) {
        Err(Error::InvalidField { at: a, field, reason }) => {
            assert_eq!(a.file.as_deref(), Some(std::path::Path::new("scene/cameras.json")));
            (field, reason)
        }
        Err(Error::MissingField { field, .. }) => (field, "missing".into()),
        other => panic!("expected a field error, got {other:?}"),
    }
}

#[test]
fn every_bad_input_is_refused_with_its_field_and_camera() {
    // The base entry is valid: the camera 3 m... at (0, -10, 3) looking north.
    let ok = CameraRig::from_json_str(&entry("", ""), &Location::none()).unwrap();
    assert_eq!(ok.get(ok.id("cam-a").unwrap()).unwrap().centre_m(), Some([0.0, -10.0, 3.0]));

    let cases: &[(&str, &str, &str)] = &[
        (r#""fx": 1000"#, r#""fx": 0"#, "cameras[1].intrinsics.fx"),
        (r#""fy": 1000"#, r#""fy": -5"#, "cameras[1].intrinsics.fy"),
        (r#""fx": 1000"#, r#""fx": "big""#, "cameras[1].intrinsics.fx"),
        (r#""fx": 1000, "#, "", "cameras[1].intrinsics.fx"),
        (r#""dist": [0, 0, 0, 0, 0]"#, r#""dist": [0, 0, 0]"#, "cameras[1].intrinsics.dist"),
        (
            r#"[[1, 0, 0], [0, 0, -1], [0, 1, 0]]"#,
            r#"[[1, 0, 0], [0, 0, -1], [0, 1.01, 0]]"#,
            "cameras[1].extrinsics.R",
        ),
        (
            r#"[[1, 0, 0], [0, 0, -1], [0, 1, 0]]"#,
            r#"[[-1, 0, 0], [0, 0, -1], [0, 1, 0]]"#,
            "cameras[1].extrinsics.R",
        ),
        (
            r#""R": [[1, 0, 0], [0, 0, -1], [0, 1, 0]]"#,
            r#""R": [[1, 0, 0], [0, 0, -1], [0, 1, 0]], "rvec": [0, 0, 0]"#,
            "cameras[1].extrinsics",
        ),
        (r#""R": [[1, 0, 0], [0, 0, -1], [0, 1, 0]], "#, "", "cameras[1].extrinsics"),
        (
            r#""extrinsics": {"R": [[1, 0, 0], [0, 0, -1], [0, 1, 0]], "t": [0, 3, 10]}"#,
            r#""other": 1"#,
            "cameras[1].extrinsics",
        ),
        (r#""t": [0, 3, 10]"#, r#""t": [0, -3, 10]"#, "cameras[1].extrinsics.t"), // centre z = -3: below ground
        (r#""t": [0, 3, 10]"#, r#""t": [0, 0, 10]"#, "cameras[1].extrinsics.t"), // centre z = 0: on the ground
        (r#""fps": 10"#, r#""fps": -10"#, "cameras[1].fps"),
        (r#""fps": 10"#, r#""fps": 0"#, "cameras[1].fps"),
        (r#""pixel_noise": 3"#, r#""pixel_noise": -3"#, "cameras[1].pixel_noise"),
        (r#""latency": 0.1"#, r#""latency": -0.1"#, "cameras[1].latency"),
        (r#""image_size": [1920, 1080]"#, r#""image_size": [0, 1080]"#, "cameras[1].image_size"),
        (r#""image_size": [1920, 1080], "#, "", "cameras[1].image_size"),
        (r#""id": "cam-a""#, r#""id": "ok""#, "cameras[1].id"),
        (r#""id": "cam-a""#, r#""id": """#, "cameras[1].id"),
        (
            r#""fps": 10"#,
            r#""fps": 10, "homography": [[1, 0, 0], [0, 1, 0], [0, 0, 1]]"#,
            "cameras[1].homography",
        ),
        (
            r#""fps": 10"#,
            r#""fps": 10, "coverage": [[0, 0], [1, 1], [1, 0], [0, 1]]"#,
            "cameras[1].coverage",
        ),
    ];
    for (from, to, field) in cases {
        let (f, reason) = field_error(&entry(from, to));
        assert_eq!(&f, field, "replacing {from} by {to}: {reason}");
        if reason != "missing" && !f.ends_with(".id") {
            assert!(reason.contains("camera `cam-a`"), "{f}: {reason}");
        }
    }
    // A singular homography, and a homography camera without image size.
    let (f, r) = field_error(
        r#"{"cameras": [{"id": "h", "image_size": [10, 10], "homography": [[1, 2, 3], [2, 4, 6], [0, 0, 1]]}]}"#,
    );
    assert_eq!(f, "cameras[0].homography");
    assert!(r.contains("camera `h`") && r.contains("singular"), "{r}");
    let (f, _) = field_error(
        r#"{"cameras": [{"id": "h", "homography": [[1, 0, 0], [0, 1, 0], [0, 0, 1]]}]}"#,
    );
    assert_eq!(f, "cameras[0].image_size");
    // JSON has no NaN or infinity; an overflowing literal is refused with its line.
    match CameraRig::from_json_str(
        &entry(r#""fx": 1000"#, "\n\"fx\": 1e999"),
        &Location::file("c.json"),
    ) {
        Err(Error::Malformed { at, reason }) => {
            assert_eq!(at.line, Some(3));
            assert!(reason.contains("out of range"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    // Not JSON at all, and no `cameras`.
    assert!(matches!(
        CameraRig::from_json_str("{", &Location::none()),
        Err(Error::Malformed { .. })
    ));
    assert!(matches!(
        CameraRig::from_json_str("{}", &Location::none()),
        Err(Error::MissingField { .. })
    ));
    // A missing file.
    assert!(matches!(CameraRig::load("/nonexistent/cameras.json"), Err(Error::Io { .. })));
}

#[test]
fn constructors_validate_with_calibration_errors() {
    let k = Intrinsics { fx: 1000.0, fy: 1000.0, cx: 960.0, cy: 540.0, dist: [0.0; 5] };
    let e = Extrinsics {
        r: Matrix3::new(1.0, 0.0, 0.0, 0.0, 0.0, -1.0, 0.0, 1.0, 0.0),
        t: Vector3::new(0.0, 3.0, 10.0),
    };
    assert!(Camera::pinhole("a", [1920, 1080], k, e).is_ok());
    let check = |r: fusetrack::Result<Camera>, field: &str| match r {
        Err(Error::Calibration { camera, reason }) => {
            assert_eq!(camera, "a");
            assert!(reason.contains(field), "{reason}");
        }
        other => panic!("{other:?}"),
    };
    check(Camera::pinhole("a", [1920, 1080], Intrinsics { fx: f64::NAN, ..k }, e), "intrinsics.fx");
    check(
        Camera::pinhole(
            "a",
            [1920, 1080],
            Intrinsics { dist: [f64::INFINITY, 0.0, 0.0, 0.0, 0.0], ..k },
            e,
        ),
        "intrinsics.dist",
    );
    check(Camera::pinhole("a", [1920, 1080], k, Extrinsics { r: e.r * 1.1, ..e }), "extrinsics.R");
    check(
        Camera::pinhole("a", [1920, 1080], k, Extrinsics { t: Vector3::new(0.0, -3.0, 10.0), ..e }),
        "extrinsics.t",
    );
    check(Camera::pinhole("a", [0, 1080], k, e), "image_size");
    check(
        Camera::homography(
            "a",
            [10, 10],
            Matrix3::new(1.0, 2.0, 3.0, 2.0, 4.0, 6.0, 0.0, 0.0, 1.0),
        ),
        "homography",
    );
    check(Camera::homography("a", [10, 10], Matrix3::from_element(f64::NAN)), "homography");
    check(
        Camera::look_at("a", [640, 480], 500.0, [0.0, 0.0, -1.0], [0.0, 5.0, 0.0]),
        "extrinsics.t",
    );
    check(Camera::look_at("a", [640, 480], 0.0, [0.0, 0.0, 3.0], [0.0, 5.0, 0.0]), "intrinsics.fx");
    check(Camera::look_at("a", [640, 480], 500.0, [0.0, 0.0, 3.0], [0.0, 0.0, 0.0]), "extrinsics");
}

#[test]
fn rodrigues_matches_opencv_on_cvlab1() {
    // cv2.Rodrigues([1.759099006652832, 0.46710100769996643, -0.331699013710022])
    // first row (computed with OpenCV 5.0.0 when generating the fixture).
    let e = Extrinsics::from_rvec(
        [1.759099006652832, 0.46710100769996643, -0.331699013710022],
        [0.0; 3],
    );
    assert!((e.r.determinant() - 1.0).abs() < 1e-12);
    assert!((e.r.transpose() * e.r - Matrix3::identity()).amax() < 1e-12);
    // R rotates the axis onto itself.
    let axis = Vector3::new(1.759099006652832, 0.46710100769996643, -0.331699013710022);
    assert!((e.r * axis - axis).norm() < 1e-12);
}
