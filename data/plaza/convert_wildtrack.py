#!/usr/bin/env python3
"""Convert the WILDTRACK calibration (OpenCV FileStorage XML, centimetres) into
fusetrack's cameras.json (metres), as described in /work/shared/FORMATS.md.

Usage (from the repository root):

    python3 data/plaza/convert_wildtrack.py \
        /work/shared/data/wildtrack-calibration data/plaza/cameras.json

Only the Python 3 standard library is needed. The conversion is a pure unit
change: intrinsics and distortion are copied verbatim, `rvec` (radians) is
copied verbatim, `tvec` is divided by 100 (cm -> m). Because the dataset's world
frame is in centimetres, the same world frame in metres is obtained by scaling
the translation only (X_cam/100 = R X_world/100 + t/100).

The values `fps`, `pixel_noise` and `latency` are not part of the calibration:
they are parameters of the simulated plaza scene (WILDTRACK was annotated at
10 frames per second).
"""

import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

CAMERAS = ["CVLab1", "CVLab2", "CVLab3", "CVLab4", "IDIAP1", "IDIAP2", "IDIAP3"]
IMAGE_SIZE = [1920, 1080]
FPS = 10.0
PIXEL_NOISE_PX = 3.0
LATENCY_S = 0.1


def numbers(root, tag):
    node = root.find(tag)
    if node is None:
        raise SystemExit(f"missing <{tag}>")
    data = node.find("data")
    text = (data if data is not None else node).text
    return [float(v) for v in text.split()]


def convert(src: Path) -> dict:
    cameras = []
    for name in CAMERAS:
        intr = ET.parse(src / "intrinsic" / f"intr_{name}.xml").getroot()
        extr = ET.parse(src / "extrinsic" / f"extr_{name}.xml").getroot()
        k = numbers(intr, "camera_matrix")
        dist = numbers(intr, "distortion_coefficients")
        rvec = numbers(extr, "rvec")
        tvec_cm = numbers(extr, "tvec")
        assert len(k) == 9 and len(dist) == 5 and len(rvec) == 3 and len(tvec_cm) == 3
        assert k[1] == 0.0 and k[3] == 0.0 and k[6:] == [0.0, 0.0, 1.0], "skew not supported"
        cameras.append(
            {
                "id": name,
                "image_size": IMAGE_SIZE,
                "fps": FPS,
                "intrinsics": {"fx": k[0], "fy": k[4], "cx": k[2], "cy": k[5], "dist": dist},
                "extrinsics": {"rvec": rvec, "t": [v / 100.0 for v in tvec_cm]},
                "pixel_noise": PIXEL_NOISE_PX,
                "latency": LATENCY_S,
            }
        )
    return {"cameras": cameras}


def main() -> None:
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    out = convert(Path(sys.argv[1]))
    text = json.dumps(out, indent=2)
    # Keep number arrays on one line for readability (pure formatting).
    text = re.sub(r"\[\s+([^\[\]{}]*?)\s+\]", lambda m: "[" + re.sub(r",\s+", ", ", m.group(1)) + "]", text)
    Path(sys.argv[2]).write_text(text + "\n")


if __name__ == "__main__":
    main()
