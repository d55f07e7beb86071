//! Where pedestrians walk: random points of an open area, and routes
//! through a footpath network.

use super::rng::Rng;
use super::spec::{Rect, WalkGraph};

/// A random point just outside a random edge of `r`.
pub(super) fn edge_point(r: &Rect, rng: &mut Rng) -> [f64; 2] {
    let m = 1.0;
    match rng.index(4) {
        0 => [r.min_m[0] - m, rng.range(r.min_m[1], r.max_m[1])],
        1 => [r.max_m[0] + m, rng.range(r.min_m[1], r.max_m[1])],
        2 => [rng.range(r.min_m[0], r.max_m[0]), r.min_m[1] - m],
        _ => [rng.range(r.min_m[0], r.max_m[0]), r.max_m[1] + m],
    }
}

pub(super) fn inner_point(r: &Rect, rng: &mut Rng) -> [f64; 2] {
    let m = 0.5;
    [rng.range(r.min_m[0] + m, r.max_m[0] - m), rng.range(r.min_m[1] + m, r.max_m[1] - m)]
}

/// Shortest path (by length) between two nodes: Dijkstra on a small graph.
fn shortest_path(g: &WalkGraph, from: usize, to: usize) -> Option<Vec<usize>> {
    let n = g.nodes_m.len();
    let mut dist = vec![f64::INFINITY; n];
    let mut prev = vec![usize::MAX; n];
    let mut done = vec![false; n];
    *dist.get_mut(from)? = 0.0;
    for _ in 0..n {
        let u = (0..n)
            .filter(|&i| !done[i] && dist[i].is_finite())
            .min_by(|&a, &b| dist[a].total_cmp(&dist[b]))?;
        done[u] = true;
        if u == to {
            break;
        }
        for e in &g.edges {
            let v = if e[0] == u {
                e[1]
            } else if e[1] == u {
                e[0]
            } else {
                continue;
            };
            let (Some(pu), Some(pv)) = (g.nodes_m.get(u), g.nodes_m.get(v)) else { continue };
            let d = dist[u] + (pu[0] - pv[0]).hypot(pu[1] - pv[1]);
            if d < dist[v] {
                dist[v] = d;
                prev[v] = u;
            }
        }
    }
    if !dist.get(to)?.is_finite() {
        return None;
    }
    let mut path = vec![to];
    let mut c = to;
    while c != from {
        c = *prev.get(c)?;
        path.push(c);
    }
    path.reverse();
    Some(path)
}

/// A route through the footpath network, offset sideways by `lateral` (the
/// offset is applied at each node along the bisector of the turn).
pub(super) fn network_route(g: &WalkGraph, rng: &mut Rng) -> Option<([f64; 2], Vec<[f64; 2]>)> {
    let a = *g.entries.get(rng.index(g.entries.len()))?;
    let mut b = a;
    for _ in 0..8 {
        b = *g.entries.get(rng.index(g.entries.len()))?;
        if b != a {
            break;
        }
    }
    if a == b {
        return None;
    }
    let nodes: Vec<[f64; 2]> =
        shortest_path(g, a, b)?.iter().filter_map(|&i| g.nodes_m.get(i).copied()).collect();
    let lat = rng.range(-g.lateral_spread_m, g.lateral_spread_m);
    let n = nodes.len();
    let mut pts = Vec::with_capacity(n);
    for i in 0..n {
        let p = nodes[i];
        let dir_in = if i > 0 {
            unit(sub(p, nodes[i - 1]))
        } else {
            unit(sub(nodes[(i + 1).min(n - 1)], p))
        };
        let dir_out = if i + 1 < n { unit(sub(nodes[i + 1], p)) } else { dir_in };
        let d = unit([dir_in[0] + dir_out[0], dir_in[1] + dir_out[1]]);
        let d = if d == [0.0, 0.0] { dir_in } else { d };
        pts.push([p[0] - lat * d[1], p[1] + lat * d[0]]);
    }
    let start = *pts.first()?;
    Some((start, pts.into_iter().skip(1).collect()))
}

fn sub(a: [f64; 2], b: [f64; 2]) -> [f64; 2] {
    [a[0] - b[0], a[1] - b[1]]
}
fn unit(a: [f64; 2]) -> [f64; 2] {
    let n = a[0].hypot(a[1]);
    if n > 1e-12 { [a[0] / n, a[1] / n] } else { [0.0, 0.0] }
}
