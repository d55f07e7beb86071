//! Runs fusetrack on a scene folder, writes `tracks.jsonl` and
//! `overview.svg`, and prints a summary with scores when the scene has
//! ground truth. When the scene has a `scene.json`, alerts are raised,
//! written to `alerts.jsonl`, drawn with the zones, and scored against
//! `incidents.jsonl` when there is one.
//!
//! ```text
//! cargo run --release --example track -- [SCENE_DIR] [--out DIR] [--config FILE]
//! ```
//!
//! `SCENE_DIR` defaults to `data/plaza`, `--out` to `out/<scene name>`, and
//! the configuration to the library's default. Exit code 0 on success, 1
//! when input lines were refused (they are reported, the rest is used), 2
//! on a fatal error (missing scene file, bad configuration).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use fusetrack::TrackerConfig;
use fusetrack::metrics::TimedPoint;
use fusetrack::overview::{Marker, MarkerKind, Overview, Zone};
use fusetrack::replay::{ReplayOptions, ReplayReport, replay_scene};

struct Args {
    scene: PathBuf,
    out: Option<PathBuf>,
    config: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args { scene: PathBuf::from("data/plaza"), out: None, config: None };
    let mut it = std::env::args().skip(1);
    let mut scene_given = false;
    while let Some(a) = it.next() {
        match a.as_str() {
            "--out" => args.out = Some(it.next().ok_or("--out needs a directory")?.into()),
            "--config" => args.config = Some(it.next().ok_or("--config needs a file")?.into()),
            "-h" | "--help" => {
                return Err("usage: track [SCENE_DIR] [--out DIR] [--config FILE]".into());
            }
            s if s.starts_with('-') => return Err(format!("unknown option `{s}`")),
            s if !scene_given => {
                args.scene = s.into();
                scene_given = true;
            }
            s => return Err(format!("unexpected argument `{s}`")),
        }
    }
    Ok(args)
}

fn count_lines(path: &std::path::Path) -> u64 {
    use std::io::Read;
    let Ok(mut f) = std::fs::File::open(path) else { return 0 };
    let mut buf = vec![0u8; 1 << 16];
    let mut n = 0u64;
    while let Ok(k) = f.read(&mut buf) {
        if k == 0 {
            break;
        }
        n += buf[..k].iter().filter(|&&b| b == b'\n').count() as u64;
    }
    n
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("track: {e}");
            return ExitCode::from(2);
        }
    };
    let config = match &args.config {
        None => TrackerConfig::default(),
        Some(p) => match std::fs::read_to_string(p) {
            Err(e) => {
                eprintln!("track: {}: {e}", p.display());
                return ExitCode::from(2);
            }
            Ok(text) => match TrackerConfig::from_json_str(&text) {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("track: {}: {e}", p.display());
                    return ExitCode::from(2);
                }
            },
        },
    };
    let name = args
        .scene
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "scene".into());
    let out = args.out.clone().unwrap_or_else(|| PathBuf::from("out").join(&name));
    let options = ReplayOptions::default()
        .with_config(config)
        .with_tracks_out(out.join("tracks.jsonl"))
        .with_alerts_out(out.join("alerts.jsonl"))
        .with_rows(true);

    let progress = std::io::stderr().is_terminal();
    let total = if progress { count_lines(&args.scene.join("detections.jsonl")) } else { 0 };
    let report = match replay_scene(&args.scene, &options, |lines| {
        if progress && total > 0 {
            let frac = (lines as f64 / total as f64).min(1.0);
            let width = 40;
            let done = (frac * width as f64) as usize;
            eprint!("\r[{}{}] {:5.1}%", "#".repeat(done), " ".repeat(width - done), 100.0 * frac);
        }
    }) {
        Ok(r) => r,
        Err(e) => {
            if progress {
                eprintln!();
            }
            eprintln!("track: {e}");
            return ExitCode::from(2);
        }
    };
    if progress {
        eprintln!();
    }
    for e in &report.errors {
        eprintln!("track: {e}");
    }
    if report.error_count > report.errors.len() as u64 {
        eprintln!("track: ... {} input errors in all", report.error_count);
    }

    let s = &report.stats;
    println!("scene        {}", args.scene.display());
    println!("cameras      {}", report.cameras);
    println!(
        "detections   {} ({} empty-frame markers, {} late of which {} used out of sequence, {} duplicate, {} refused)",
        s.detections,
        s.empty_frames,
        s.late_detections,
        s.late_used,
        s.duplicate_detections,
        report.error_count
    );
    println!(
        "tracks       {} reported ({} born, {} merged)",
        report.reported_tracks, s.tracks_born, s.tracks_merged
    );
    println!(
        "throughput   {:.0} detections/s in the tracker, {:.0}/s end to end ({:.2} s wall)",
        report.detections_per_s(),
        s.detections as f64 / report.wall_s.max(1e-9),
        report.wall_s
    );
    if let Some(sc) = &report.scores {
        println!(
            "scores @1m   MOTA {:.3}  IDF1 {:.3}  HOTA {:.3}  ID switches {}  (MOTP {:.3} m, FP {}, FN {}, DetA {:.3}, AssA {:.3})",
            sc.mota, sc.idf1, sc.hota, sc.id_switches, sc.motp, sc.fp, sc.fn_, sc.deta, sc.assa
        );
    }
    print_alerts(&report);
    for h in &report.health {
        let detail = match (h.last_rx, h.offset_s) {
            (Some(last), _) => format!(" (last frame arrived at {last:.2} s)"),
            (_, Some(off)) => format!(" (offset {off:+.2} s)"),
            _ => String::new(),
        };
        println!("health       {:8.2} s  {:<14} {}{detail}", h.rx, h.camera, h.event);
    }
    let health_path = out.join("health.jsonl");
    let written = std::fs::File::create(&health_path)
        .map_err(|source| fusetrack::Error::Io { path: health_path.clone(), source })
        .and_then(|f| {
            let mut w = fusetrack::io::JsonlWriter::new(std::io::BufWriter::new(f), &health_path);
            report.health.iter().try_for_each(|h| w.write(h))?;
            w.finish().map(|_| ())
        });
    if let Err(e) = written {
        eprintln!("track: {e}");
        return ExitCode::from(2);
    }
    let svg = out.join("overview.svg");
    let mut picture = Overview::new(format!("fusetrack on {name}"))
        .rig(report.tracker.rig())
        .truth(report.ground_truth.iter().map(|r| (r.t_s, r.id, r.x, r.y)))
        .tracks(report.rows.iter().map(|&(t, id, [x, y])| (t, id, x, y)))
        .markers(markers(&report, options.threshold_m))
        .markers(alert_markers(&report));
    if let Some(rules) = &report.scene_rules {
        for z in rules.zones() {
            picture = picture.zone(Zone::new(z.name.clone(), z.polygon.vertices().to_vec()));
        }
    }
    picture = picture.summary(format!(
        "{} cameras, {} detections, {} tracks",
        report.cameras, s.detections, report.reported_tracks
    ));
    if let Some(sc) = &report.scores {
        picture = picture.summary(format!(
            "MOTA {:.3}   IDF1 {:.3}   HOTA {:.3}   ID switches {}",
            sc.mota, sc.idf1, sc.hota, sc.id_switches
        ));
    }
    if let Err(e) = picture.write(&svg) {
        eprintln!("track: {e}");
        return ExitCode::from(2);
    }
    if report.scene_rules.is_some() {
        println!(
            "output       {}, {}, {}",
            out.join("tracks.jsonl").display(),
            out.join("alerts.jsonl").display(),
            svg.display()
        );
    } else {
        println!("output       {}, {}", out.join("tracks.jsonl").display(), svg.display());
    }
    if report.error_count > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

/// Where ground-truth objects lost their track (orange) or changed track id
/// (red), from the tracks sampled at the ground-truth times: each object is
/// matched to the nearest sampled track within the threshold, and a change
/// counts once the new track has held the object for a second (so that
/// flicker between neighbours in a group is not drawn). A picture aid; the
/// scores come from the metrics module.
fn markers(report: &ReplayReport, threshold_m: f64) -> Vec<Marker> {
    use std::collections::BTreeMap;
    const HOLD_S: f64 = 1.0;
    #[derive(Clone, Copy)]
    struct Obj {
        held: Option<u64>,
        last_t: f64,
        last_xy: [f64; 2],
        lost_marked: bool,
        pending: Option<(u64, f64, [f64; 2])>,
    }
    let mut by_time: BTreeMap<u64, Vec<&TimedPoint>> = BTreeMap::new();
    for p in &report.sampled {
        by_time.entry(p.0.to_bits()).or_default().push(p);
    }
    let mut state: BTreeMap<u64, Obj> = BTreeMap::new();
    let mut out = Vec::new();
    for r in &report.ground_truth {
        let nearest = by_time
            .get(&r.t_s.to_bits())
            .into_iter()
            .flatten()
            .map(|p| ((p.2[0] - r.x).hypot(p.2[1] - r.y), p.1))
            .filter(|(d, _)| *d <= threshold_m)
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, id)| id);
        let st = state.entry(r.id).or_insert(Obj {
            held: None,
            last_t: r.t_s,
            last_xy: [r.x, r.y],
            lost_marked: false,
            pending: None,
        });
        match (st.held, nearest) {
            (None, Some(now)) => {
                st.held = Some(now);
            }
            (Some(prev), Some(now)) if prev != now => match st.pending {
                Some((id, since, xy)) if id == now => {
                    if r.t_s - since >= HOLD_S {
                        out.push(Marker::new(
                            MarkerKind::IdSwitch,
                            since,
                            xy[0],
                            xy[1],
                            format!("object {}: track {prev} -> {now}", r.id),
                        ));
                        st.held = Some(now);
                        st.pending = None;
                    }
                }
                _ => st.pending = Some((now, r.t_s, [r.x, r.y])),
            },
            (Some(_), Some(_)) => st.pending = None,
            (Some(prev), None) => {
                if !st.lost_marked && r.t_s - st.last_t >= HOLD_S {
                    out.push(Marker::new(
                        MarkerKind::TrackBreak,
                        st.last_t,
                        st.last_xy[0],
                        st.last_xy[1],
                        format!("object {} lost by track {prev}", r.id),
                    ));
                    st.lost_marked = true;
                }
            }
            (None, None) => {}
        }
        if nearest.is_some() {
            st.last_t = r.t_s;
            st.last_xy = [r.x, r.y];
            st.lost_marked = false;
        }
    }
    out
}

/// The alerts raised, and how they score against the true incidents.
fn print_alerts(report: &ReplayReport) {
    use fusetrack::rules::AlertPhase;
    if report.scene_rules.is_none() {
        return;
    }
    let raised: Vec<_> = report.alerts.iter().filter(|a| a.phase == AlertPhase::Raised).collect();
    println!("alerts       {} raised", raised.len());
    for a in &raised {
        println!(
            "  {:>7.2} s  {:<9} {:<28} track {:<4} {:<16} at ({:.1}, {:.1})  emitted {:.2} s (+{:.2} s)",
            a.t_s,
            a.severity.as_str(),
            a.rule,
            a.track.0,
            a.zone.as_deref().unwrap_or("-"),
            a.x,
            a.y,
            a.emitted_s,
            a.time_to_alert_s()
        );
    }
    if let Some(sc) = &report.alert_scores {
        for i in &sc.incidents {
            match i.time_to_alert_s {
                Some(tta) => println!(
                    "incident {}   {} at {:.2}-{:.2} s: caught, time to alert {:.2} s",
                    i.index, i.kind, i.t_s, i.until_s, tta
                ),
                None => println!(
                    "incident {}   {} at {:.2}-{:.2} s: MISSED",
                    i.index, i.kind, i.t_s, i.until_s
                ),
            }
        }
        let p95 = sc.time_to_alert_p95_s.map_or("-".into(), |v| format!("{v:.2} s"));
        let per_hour = sc.false_alerts_per_hour.map_or("-".into(), |v| format!("{v:.1}"));
        println!(
            "alert score  {}/{} incidents caught, time to alert p95 {p95}, {} false alerts ({per_hour} per hour over {:.0} s)",
            sc.caught,
            sc.caught + sc.missed,
            sc.false_alerts,
            sc.duration_s
        );
    }
}

/// A red triangle for every alert raised.
fn alert_markers(report: &ReplayReport) -> Vec<Marker> {
    use fusetrack::rules::AlertPhase;
    report
        .alerts
        .iter()
        .filter(|a| a.phase == AlertPhase::Raised)
        .map(|a| {
            Marker::new(
                MarkerKind::Alert,
                a.t_s,
                a.x,
                a.y,
                format!("{} {}", a.kind, a.zone.as_deref().unwrap_or("")).trim_end().to_string(),
            )
        })
        .collect()
}
