//! Generates the sample scenes of `data/`.
//!
//! ```text
//! cargo run --release --example simulate -- <plaza|museum|city|all> [--out DIR]
//! ```
//!
//! Without `--out`, scene `NAME` is written into `data/NAME`; with `--out DIR`
//! into `DIR` (for one scene) or `DIR/NAME` (for `all`). Same command =>
//! byte-identical files.

use std::path::PathBuf;
use std::process::ExitCode;

use fusetrack::sim::{SceneSpec, simulate};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut which = None;
    let mut out: Option<PathBuf> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--out" => match it.next() {
                Some(d) => out = Some(PathBuf::from(d)),
                None => return usage("--out needs a directory"),
            },
            "plaza" | "museum" | "city" | "all" if which.is_none() => which = Some(a.clone()),
            other => return usage(&format!("unexpected argument `{other}`")),
        }
    }
    let Some(which) = which else { return usage("which scene?") };
    let names: Vec<&str> =
        if which == "all" { vec!["plaza", "museum", "city"] } else { vec![which.as_str()] };
    for name in &names {
        let spec = match *name {
            "plaza" => SceneSpec::plaza(),
            "museum" => SceneSpec::museum(),
            _ => SceneSpec::city(),
        };
        let dir = match (&out, names.len()) {
            (Some(d), 1) => d.clone(),
            (Some(d), _) => d.join(name),
            (None, _) => PathBuf::from("data").join(name),
        };
        let scene = match simulate(&spec) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: {name}: {e}");
                return ExitCode::FAILURE;
            }
        };
        if let Err(e) = scene.write(&dir) {
            eprintln!("error: {name}: {e}");
            return ExitCode::FAILURE;
        }
        let boxes = scene.detections.iter().filter(|d| !d.observation.is_empty()).count();
        println!(
            "{name}: {} detection lines ({boxes} boxes, {} empty frames), {} ground-truth rows, {} incidents -> {}",
            scene.detections.len(),
            scene.detections.len() - boxes,
            scene.ground_truth.len(),
            scene.incidents.len(),
            dir.display()
        );
    }
    ExitCode::SUCCESS
}

fn usage(msg: &str) -> ExitCode {
    eprintln!("error: {msg}\nusage: simulate <plaza|museum|city|all> [--out DIR]");
    ExitCode::FAILURE
}
