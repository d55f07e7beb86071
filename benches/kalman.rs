//! Kalman predict and update, and the gate, per operation.
//!
//! `cargo bench --bench kalman`; `cargo bench --bench kalman -- --test` runs
//! each once (CI does, so the benches never rot).

use criterion::{BenchmarkId, Criterion, Throughput, black_box, criterion_group, criterion_main};
use fusetrack::association::gating::{Gate, GateParams, GatePoint, gate_brute_force};
use fusetrack::{KalmanState, MotionModel};
use nalgebra::{Matrix2, Matrix4, Vector2, Vector4};

fn splitmix(state: &mut u64) -> f64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
}

fn kalman(c: &mut Criterion) {
    let mut g = c.benchmark_group("kalman");
    g.throughput(Throughput::Elements(1));
    let model = MotionModel::default();
    let s0 =
        KalmanState::new(Vector4::new(1.0, 2.0, 0.5, -0.3), Matrix4::identity() * 0.3).unwrap();
    g.bench_function("predict", |b| {
        let mut s = s0;
        b.iter(|| {
            s.predict(&model, black_box(0.04)).unwrap();
            assert!(s.x[0].is_finite());
        })
    });
    let r = Matrix2::new(0.05, 0.01, 0.01, 0.08);
    g.bench_function("update", |b| {
        b.iter(|| {
            let mut s = s0;
            let inn = s.update(black_box(&Vector2::new(1.1, 2.05)), &r).unwrap();
            assert!(inn.nis >= 0.0);
            s
        })
    });
    g.bench_function("predict_update", |b| {
        let mut s = s0;
        let mut k = 0u64;
        b.iter(|| {
            k += 1;
            s.predict(&model, 0.04).unwrap();
            let z = Vector2::new(1.0 + 0.02 * k as f64, 2.0);
            s.update(&z, &r).unwrap();
        })
    });
    g.finish();
}

fn scene(n: usize, seed: u64) -> (Vec<GatePoint>, Vec<GatePoint>) {
    let mut st = seed;
    let side = (n as f64 * 4.0).sqrt();
    let mut tracks = Vec::with_capacity(n);
    let mut meas = Vec::with_capacity(n);
    for _ in 0..n {
        let (x, y) = (splitmix(&mut st) * side, splitmix(&mut st) * side);
        tracks.push(GatePoint { position: Vector2::new(x, y), cov: Matrix2::identity() * 0.05 });
        let (dx, dy) = (splitmix(&mut st) - 0.5, splitmix(&mut st) - 0.5);
        meas.push(GatePoint {
            position: Vector2::new(x + 0.3 * dx, y + 0.3 * dy),
            cov: Matrix2::identity() * 0.04,
        });
    }
    (tracks, meas)
}

fn gating(c: &mut Criterion) {
    let mut g = c.benchmark_group("gating");
    let params = GateParams { gate_d2: 13.8, max_radius_m: 5.0 };
    for n in [100usize, 1_000, 10_000] {
        let (tracks, meas) = scene(n, 42);
        g.throughput(Throughput::Elements(n as u64));
        let mut gate = Gate::default();
        let mut out = Vec::with_capacity(4 * n);
        g.bench_with_input(BenchmarkId::new("grid", n), &n, |b, _| {
            b.iter(|| {
                out.clear();
                let st = gate.gate(&tracks, &meas, &params, &mut out);
                assert!(st.gated_pairs >= n as u64 / 2);
            })
        });
        if n <= 1_000 {
            g.bench_with_input(BenchmarkId::new("all_pairs", n), &n, |b, _| {
                b.iter(|| {
                    out.clear();
                    let st = gate_brute_force(&tracks, &meas, &params, &mut out);
                    assert!(st.gated_pairs >= n as u64 / 2);
                })
            });
        }
    }
    g.finish();
}

criterion_group!(benches, kalman, gating);
criterion_main!(benches);
