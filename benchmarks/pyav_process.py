"""B6's limit process: PyAV decoding the same two streams the app plays, in one process.

``python -m benchmarks.pyav_process`` reads ``{"pvw": url, "pgm": url}`` as one JSON line on
stdin, decodes both (each frame converted to RGB, see :mod:`benchmarks.decoding`), answers
``decoding`` once both have produced a frame, then ``frames`` → counts, ``quit`` → exit.
"""

from __future__ import annotations

import json
import sys

from benchmarks.decoding import ContinuousDecoder

TIMEOUT_S = 30.0


def main() -> int:
    urls: dict[str, str] = json.loads(sys.stdin.readline())
    decoders = {kind: ContinuousDecoder(url) for kind, url in urls.items()}
    for decoder in decoders.values():
        decoder.start()
    for decoder in decoders.values():
        decoder.started_decoding.wait(TIMEOUT_S)
    errors = [d.error for d in decoders.values() if d.error or not d.frames]
    print(f"error {errors}" if errors else "decoding", flush=True)
    for line in sys.stdin:
        command = line.strip()
        if command == "frames":
            print(json.dumps({k: d.frames for k, d in decoders.items()}), flush=True)
        elif command == "quit":
            break
    for decoder in decoders.values():
        decoder.stop()
    for decoder in decoders.values():
        decoder.join(TIMEOUT_S)
    return 0


if __name__ == "__main__":
    sys.exit(main())
