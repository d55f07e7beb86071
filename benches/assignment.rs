//! Criterion benches for the assignment solvers: random square matrices of
//! size 10, 50, 200 and 1000 (seeded), throughput in rows.
//!
//! Run: `cargo bench --bench assignment` (or `-- --quick` for a short run,
//! `-- --test` to run each once as a smoke test).

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use fusetrack::association::{AssignmentScratch, greedy_assignment, solve_assignment};

/// Seeded uniform [0, 1) matrix (splitmix64).
fn random_square(n: usize, seed: u64) -> Vec<f64> {
    let mut state = seed;
    (0..n * n)
        .map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
        })
        .collect()
}

fn bench_assignment(c: &mut Criterion) {
    let mut group = c.benchmark_group("assignment");
    for &n in &[10usize, 50, 200, 1000] {
        let cost = random_square(n, 42 + n as u64);
        let mut scratch = AssignmentScratch::with_capacity(n, n);
        let mut out = Vec::with_capacity(n);
        group.throughput(Throughput::Elements(n as u64));
        if n >= 1000 {
            group.sample_size(10);
        }
        group.bench_with_input(BenchmarkId::new("optimal", n), &cost, |b, cost| {
            b.iter(|| {
                let total = solve_assignment(black_box(cost), n, n, &mut out, &mut scratch);
                // Assert inside the loop: every row gets a column.
                assert!(total.is_ok() && out.iter().all(Option::is_some));
                total
            })
        });
        group.bench_with_input(BenchmarkId::new("greedy", n), &cost, |b, cost| {
            b.iter(|| {
                let total = greedy_assignment(black_box(cost), n, n, &mut out, &mut scratch);
                assert!(total.is_ok() && out.iter().all(Option::is_some));
                total
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_assignment);
criterion_main!(benches);
