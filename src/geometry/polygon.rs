//! Simple polygons on the ground plane (camera coverage, zones).

use serde::{Deserialize, Serialize};

use super::GroundPoint;
use crate::{Error, Location, Result};

/// Distance, metres, within which a point counts as lying on an edge (and
/// therefore inside): 1 nm, far below any measurement, far above rounding.
///
/// ```
/// use fusetrack::geometry::{GroundPoint, Polygon, ON_EDGE_TOLERANCE_M};
/// let room = Polygon::new(vec![[0.0, 0.0], [10.0, 0.0], [10.0, 5.0], [0.0, 5.0]])?;
/// // A point on the wall x = 10, or off it by rounding, counts as inside...
/// assert!(room.contains(GroundPoint { x: 10.0, y: 2.0 }));
/// assert!(room.contains(GroundPoint { x: 10.0 + 0.5 * ON_EDGE_TOLERANCE_M, y: 2.0 }));
/// // ... a point a micrometre outside does not.
/// assert!(!room.contains(GroundPoint { x: 10.0 + 1e-6, y: 2.0 }));
/// # Ok::<(), fusetrack::Error>(())
/// ```
pub const ON_EDGE_TOLERANCE_M: f64 = 1e-9;

/// A simple polygon on the ground plane, metres.
///
/// Vertices are kept as given (either orientation; the closing edge from the
/// last vertex back to the first is implied). A polygon built with
/// [`Polygon::new`] has at least 3 finite vertices, no repeated consecutive
/// vertex, a non-zero area and no two edges that cross or touch except
/// neighbours at their shared vertex.
///
/// **Boundary convention:** the polygon is closed: a point on an edge or a
/// vertex (within [`ON_EDGE_TOLERANCE_M`]) is inside.
///
/// The [`Polygon::empty`] polygon contains nothing; it stands for "sees
/// nothing" (a world sensor without a declared coverage).
///
/// Serialised as the list of vertices `[[x, y], ...]`; deserialising
/// validates as [`Polygon::new`] does (an empty list gives the empty polygon).
///
/// ```
/// use fusetrack::geometry::{GroundPoint, Polygon};
/// let square = Polygon::new(vec![[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [0.0, 4.0]])?;
/// assert!(square.contains(GroundPoint { x: 1.0, y: 1.0 }));
/// assert!(square.contains(GroundPoint { x: 4.0, y: 2.0 })); // on an edge: inside
/// assert!(!square.contains(GroundPoint { x: 5.0, y: 2.0 }));
/// assert_eq!(square.area_m2(), 16.0);
/// # Ok::<(), fusetrack::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Vec<[f64; 2]>", into = "Vec<[f64; 2]>")]
pub struct Polygon {
    vertices: Vec<[f64; 2]>,
    /// min_x, min_y, max_x, max_y.
    bbox: [f64; 4],
}

impl Polygon {
    /// A validated simple polygon.
    ///
    /// # Errors
    /// [`Error::InvalidField`] (field `coverage`) if there are fewer than 3
    /// vertices, a coordinate is not finite, two consecutive vertices are
    /// equal, the area is zero, or two edges cross or touch (other than
    /// neighbours at their shared vertex).
    ///
    /// ```
    /// use fusetrack::geometry::Polygon;
    /// assert!(Polygon::new(vec![[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]).is_ok());
    /// // A bow tie: edges 0-1 and 2-3 cross.
    /// assert!(Polygon::new(vec![[0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 1.0]]).is_err());
    /// ```
    pub fn new(vertices: Vec<[f64; 2]>) -> Result<Polygon> {
        match Self::check(&vertices) {
            Ok(()) => Ok(Self::unchecked(vertices)),
            Err(reason) => {
                Err(Error::InvalidField { at: Location::none(), field: "coverage".into(), reason })
            }
        }
    }

    /// The empty polygon: contains no point, area 0, `bbox` is the empty box
    /// `[+inf, +inf, -inf, -inf]`.
    ///
    /// ```
    /// use fusetrack::geometry::{GroundPoint, Polygon};
    /// let e = Polygon::empty();
    /// assert!(e.is_empty());
    /// assert!(!e.contains(GroundPoint { x: 0.0, y: 0.0 }));
    /// assert_eq!(e.area_m2(), 0.0);
    /// ```
    pub fn empty() -> Polygon {
        Self::unchecked(Vec::new())
    }

    /// True for the empty polygon.
    ///
    /// ```
    /// use fusetrack::geometry::Polygon;
    /// assert!(Polygon::empty().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.vertices.is_empty()
    }

    /// The vertices, metres, in the order given.
    ///
    /// ```
    /// use fusetrack::geometry::Polygon;
    /// let p = Polygon::new(vec![[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])?;
    /// assert_eq!(p.vertices().len(), 3);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn vertices(&self) -> &[[f64; 2]] {
        &self.vertices
    }

    /// Axis-aligned bounding box `[min_x, min_y, max_x, max_y]`, metres.
    ///
    /// ```
    /// use fusetrack::geometry::Polygon;
    /// let p = Polygon::new(vec![[0.0, -1.0], [2.0, 0.0], [0.0, 3.0]])?;
    /// assert_eq!(p.bbox(), [0.0, -1.0, 2.0, 3.0]);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn bbox(&self) -> [f64; 4] {
        self.bbox
    }

    /// Area, m² (positive for either orientation).
    ///
    /// ```
    /// use fusetrack::geometry::Polygon;
    /// let p = Polygon::new(vec![[0.0, 0.0], [0.0, 2.0], [3.0, 0.0]])?; // clockwise
    /// assert_eq!(p.area_m2(), 3.0);
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn area_m2(&self) -> f64 {
        signed_area(&self.vertices).abs()
    }

    /// Whether `p` is inside or on the boundary (closed polygon, see the type
    /// docs). A bounding-box test comes first, so points far away cost four
    /// comparisons. Non-finite points are outside.
    ///
    /// ```
    /// use fusetrack::geometry::{GroundPoint, Polygon};
    /// let tri = Polygon::new(vec![[0.0, 0.0], [2.0, 0.0], [0.0, 2.0]])?;
    /// assert!(tri.contains(GroundPoint { x: 0.5, y: 0.5 }));
    /// assert!(tri.contains(GroundPoint { x: 0.0, y: 0.0 })); // a vertex
    /// assert!(!tri.contains(GroundPoint { x: 1.5, y: 1.5 }));
    /// # Ok::<(), fusetrack::Error>(())
    /// ```
    pub fn contains(&self, p: GroundPoint) -> bool {
        let [x0, y0, x1, y1] = self.bbox;
        let tol = ON_EDGE_TOLERANCE_M;
        // Written so that NaN coordinates fail every comparison.
        if !(p.x >= x0 - tol && p.x <= x1 + tol && p.y >= y0 - tol && p.y <= y1 + tol) {
            return false;
        }
        let n = self.vertices.len();
        let mut inside = false;
        let mut j = n.wrapping_sub(1);
        for i in 0..n {
            let (Some(a), Some(b)) = (self.vertices.get(j), self.vertices.get(i)) else {
                return false;
            };
            if dist_sq_to_segment([p.x, p.y], *a, *b) <= tol * tol {
                return true;
            }
            // Crossing number: the edge straddles the horizontal line through p
            // (half-open rule) and crosses it to the right of p.
            if (a[1] > p.y) != (b[1] > p.y) {
                let x_cross = a[0] + (p.y - a[1]) / (b[1] - a[1]) * (b[0] - a[0]);
                if p.x < x_cross {
                    inside = !inside;
                }
            }
            j = i;
        }
        inside
    }

    pub(crate) fn unchecked(vertices: Vec<[f64; 2]>) -> Polygon {
        let mut bbox = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
        for v in &vertices {
            bbox[0] = bbox[0].min(v[0]);
            bbox[1] = bbox[1].min(v[1]);
            bbox[2] = bbox[2].max(v[0]);
            bbox[3] = bbox[3].max(v[1]);
        }
        Polygon { vertices, bbox }
    }

    /// `Err(reason)` when `v` is not a valid simple polygon.
    pub(crate) fn check(v: &[[f64; 2]]) -> std::result::Result<(), String> {
        let n = v.len();
        if n < 3 {
            return Err(format!("a polygon needs at least 3 vertices, got {n}"));
        }
        if let Some(i) = v.iter().position(|p| !(p[0].is_finite() && p[1].is_finite())) {
            return Err(format!("vertex {i} is not finite"));
        }
        for i in 0..n {
            let (a, b) = (v[i], v[(i + 1) % n]);
            if a == b {
                return Err(format!("vertices {i} and {} are equal", (i + 1) % n));
            }
        }
        if signed_area(v) == 0.0 {
            return Err("the polygon has zero area".into());
        }
        for i in 0..n {
            let (a, b) = (v[i], v[(i + 1) % n]);
            for j in (i + 1)..n {
                let (c, d) = (v[j], v[(j + 1) % n]);
                let adjacent = j == i + 1 || (i == 0 && j == n - 1);
                if adjacent {
                    // Neighbours share one vertex; they must not fold back
                    // onto each other (collinear and overlapping).
                    let (shared, other_ab, other_cd) =
                        if j == i + 1 { (b, a, d) } else { (a, b, c) };
                    let u = [other_ab[0] - shared[0], other_ab[1] - shared[1]];
                    let w = [other_cd[0] - shared[0], other_cd[1] - shared[1]];
                    if cross(u, w) == 0.0 && u[0] * w[0] + u[1] * w[1] > 0.0 {
                        return Err(format!("edges {i} and {j} fold back onto each other"));
                    }
                } else if segments_intersect(a, b, c, d) {
                    return Err(format!(
                        "edges {i} and {j} cross: the polygon is self-intersecting"
                    ));
                }
            }
        }
        Ok(())
    }
}

impl TryFrom<Vec<[f64; 2]>> for Polygon {
    type Error = String;
    fn try_from(v: Vec<[f64; 2]>) -> std::result::Result<Self, String> {
        if v.is_empty() {
            return Ok(Polygon::empty());
        }
        Polygon::check(&v)?;
        Ok(Polygon::unchecked(v))
    }
}

impl From<Polygon> for Vec<[f64; 2]> {
    fn from(p: Polygon) -> Self {
        p.vertices
    }
}

/// Shoelace formula; positive for counter-clockwise rings.
fn signed_area(v: &[[f64; 2]]) -> f64 {
    let n = v.len();
    let mut s = 0.0;
    for i in 0..n {
        let (a, b) = (v[i], v[(i + 1) % n]);
        s += a[0] * b[1] - b[0] * a[1];
    }
    0.5 * s
}

fn cross(u: [f64; 2], w: [f64; 2]) -> f64 {
    u[0] * w[1] - u[1] * w[0]
}

fn orient(a: [f64; 2], b: [f64; 2], c: [f64; 2]) -> f64 {
    cross([b[0] - a[0], b[1] - a[1]], [c[0] - a[0], c[1] - a[1]])
}

fn on_segment_collinear(a: [f64; 2], b: [f64; 2], p: [f64; 2]) -> bool {
    p[0] >= a[0].min(b[0])
        && p[0] <= a[0].max(b[0])
        && p[1] >= a[1].min(b[1])
        && p[1] <= a[1].max(b[1])
}

/// Closed segments ab and cd share at least one point.
pub(crate) fn segments_intersect(a: [f64; 2], b: [f64; 2], c: [f64; 2], d: [f64; 2]) -> bool {
    let (o1, o2, o3, o4) = (orient(a, b, c), orient(a, b, d), orient(c, d, a), orient(c, d, b));
    if ((o1 > 0.0 && o2 < 0.0) || (o1 < 0.0 && o2 > 0.0))
        && ((o3 > 0.0 && o4 < 0.0) || (o3 < 0.0 && o4 > 0.0))
    {
        return true;
    }
    (o1 == 0.0 && on_segment_collinear(a, b, c))
        || (o2 == 0.0 && on_segment_collinear(a, b, d))
        || (o3 == 0.0 && on_segment_collinear(c, d, a))
        || (o4 == 0.0 && on_segment_collinear(c, d, b))
}

fn dist_sq_to_segment(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> f64 {
    let ab = [b[0] - a[0], b[1] - a[1]];
    let ap = [p[0] - a[0], p[1] - a[1]];
    let len_sq = ab[0] * ab[0] + ab[1] * ab[1];
    let t =
        if len_sq > 0.0 { ((ap[0] * ab[0] + ap[1] * ab[1]) / len_sq).clamp(0.0, 1.0) } else { 0.0 };
    let d = [ap[0] - t * ab[0], ap[1] - t * ab[1]];
    d[0] * d[0] + d[1] * d[1]
}

/// Convex hull (Andrew's monotone chain), counter-clockwise, no collinear
/// points. Non-finite points are dropped.
pub(crate) fn convex_hull(points: &[[f64; 2]]) -> Vec<[f64; 2]> {
    let mut pts: Vec<[f64; 2]> =
        points.iter().copied().filter(|p| p[0].is_finite() && p[1].is_finite()).collect();
    pts.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
    pts.dedup();
    if pts.len() < 3 {
        return pts;
    }
    let mut lower = half_hull(pts.iter());
    let mut upper = half_hull(pts.iter().rev());
    lower.pop();
    upper.pop();
    lower.append(&mut upper);
    lower
}

/// One monotone chain of the hull (keeps left turns only).
fn half_hull<'a>(points: impl Iterator<Item = &'a [f64; 2]>) -> Vec<[f64; 2]> {
    let mut chain: Vec<[f64; 2]> = Vec::new();
    for &p in points {
        while let [.., a, b] = chain[..] {
            if orient(a, b, p) <= 0.0 {
                chain.pop();
            } else {
                break;
            }
        }
        chain.push(p);
    }
    chain
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hull_of_square_with_interior_point() {
        let h =
            convex_hull(&[[0.0, 0.0], [1.0, 0.0], [0.5, 0.5], [1.0, 1.0], [0.0, 1.0], [0.5, 0.0]]);
        assert_eq!(h, vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]);
    }

    #[test]
    fn segment_intersection_cases() {
        assert!(segments_intersect([0.0, 0.0], [2.0, 2.0], [0.0, 2.0], [2.0, 0.0]));
        assert!(!segments_intersect([0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]));
        // T-junction: an endpoint on the other segment counts.
        assert!(segments_intersect([0.0, 0.0], [2.0, 0.0], [1.0, 0.0], [1.0, 1.0]));
        // Collinear, overlapping.
        assert!(segments_intersect([0.0, 0.0], [2.0, 0.0], [1.0, 0.0], [3.0, 0.0]));
        // Collinear, disjoint.
        assert!(!segments_intersect([0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [3.0, 0.0]));
    }
}
