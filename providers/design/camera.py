"""The shot's six axes become what each model really takes: numbers, a preset, a lock, or words.

Words follow one convention so every model reads a move the same way:
- signs: pan +right/-left, tilt +up/-down, roll +clockwise/-counter-clockwise, zoom +in/-out,
  truck +right/-left, dolly +in/-out (see spec.CameraMove);
- magnitude |v| 1-3, 4-6, 7-10: travelling axes (dolly, truck) are slow / moderate / fast,
  rotations and zoom are slight / moderate / strong;
- the biggest move comes first, ties in catalog.CAMERA_AXES order: "slow dolly in, slight pan
  right".
Nothing is dropped silently: every moving axis lands in `sent`, `approximated` or `ignored`.
"""

from __future__ import annotations

import math

from providers.core.capabilities import FIXED_FLAG, NUMERIC, PRESETS, SINGLE_AXIS, Capabilities
from providers.core.catalog import CAMERA_AXES, CAMERA_RANGE
from providers.core.motions import MOTIONS, Motion, get_motion
from providers.core.prompting import CameraTranslation
from providers.core.spec import CameraMove

DIRECTIONS: dict[str, tuple[str, str]] = {  # axis -> (positive, negative)
    "pan": ("right", "left"),
    "tilt": ("up", "down"),
    "roll": ("clockwise", "counter-clockwise"),
    "zoom": ("in", "out"),
    "truck": ("right", "left"),
    "dolly": ("in", "out"),
}
TRAVELLING = ("dolly", "truck")
DEFAULT_STRENGTH = 0.8  # Higgsfield's own example strength for a preset picked by name


def magnitude_word(axis: str, value: int) -> str:
    size = abs(value)
    if axis in TRAVELLING:
        return "slow" if size <= 3 else "moderate" if size <= 6 else "fast"
    return "slight" if size <= 3 else "moderate" if size <= 6 else "strong"


def axis_phrase(axis: str, value: int) -> str:
    positive, negative = DIRECTIONS[axis]
    return f"{magnitude_word(axis, value)} {axis} {positive if value > 0 else negative}"


def by_dominance(move: CameraMove) -> list[str]:
    """Moving axes, biggest first; the stable sort keeps catalog order for ties."""
    return sorted(move.nonzero_axes(), key=lambda axis: -abs(getattr(move, axis)))


def _clamp(value: int, low: int = CAMERA_RANGE[0], high: int = CAMERA_RANGE[1]) -> int:
    return max(low, min(high, value))


def _in_words(result: CameraTranslation, move: CameraMove, axes: list[str], why: str) -> None:
    phrases = []
    for axis in axes:
        phrase = axis_phrase(axis, getattr(move, axis))
        phrases.append(phrase)
        result.approximated.append(f"{axis} {getattr(move, axis):+d} as '{phrase}' ({why})")
    result.prompt_phrase = ", ".join(phrases)


def translate_camera(
    move: CameraMove, caps: Capabilities, motion_preset: str = ""
) -> CameraTranslation:
    result = CameraTranslation()
    motion = get_motion(motion_preset) if motion_preset else None
    if motion_preset and motion is None:
        result.ignored.append(f"motion preset {motion_preset!r} is unknown")
    style = caps.camera.style
    axes = by_dominance(move)
    if style == NUMERIC:
        result.params[caps.camera.field] = {a: _clamp(getattr(move, a)) for a in CAMERA_AXES}
        result.sent += [f"{a} {getattr(move, a):+d} as {caps.camera.field}.{a}" for a in axes]
        if motion:
            result.params["motion_preset"] = motion.slug
            result.sent.append(f"motion preset '{motion.name}' as motion_preset")
        return result
    if style == PRESETS:
        return _presets(result, move, caps, motion, axes)
    if motion:
        result.motion = motion
        result.approximated.append(f"motion preset '{motion.name}' as '{motion.shot}'")
    if style == SINGLE_AXIS:
        numeric = dict(caps.camera.axis_fields)
        candidates = [a for a in axes if a in numeric]
        if candidates:
            axis = candidates[0]
            value = _clamp(getattr(move, axis))
            if axis in caps.camera.inverted_axes:
                value = -value
            config = {f: 0 for f in ("horizontal", "vertical", "pan", "tilt", "roll", "zoom")}
            config[numeric[axis]] = value
            result.params[caps.camera.field] = {"type": "simple", "config": config}
            flipped = " (the API's sign is reversed)" if axis in caps.camera.inverted_axes else ""
            result.sent.append(
                f"{axis} {getattr(move, axis):+d} as "
                f"{caps.camera.field}.{numeric[axis]} {value}{flipped}"
            )
        rest = [a for a in axes if a not in candidates[:1]]
        _in_words(result, move, rest, f"{caps.name} takes one numeric camera axis")
        return result
    if style == FIXED_FLAG:
        fixed = not axes and (motion is None or motion.slug == "static")
        result.params[caps.camera.field] = fixed
        if fixed:
            result.sent.append(f"static camera as {caps.camera.field}: true")
        _in_words(result, move, axes, f"{caps.name} can only lock the camera")
        return result
    _in_words(result, move, axes, f"{caps.name} takes camera moves as words")
    return result


def _cosine(a: CameraMove, b: CameraMove) -> float:
    # Clamped first: a wild slider value must not overflow float maths.
    va = {k: _clamp(v) for k, v in a.as_dict().items()}
    vb = {k: _clamp(v) for k, v in b.as_dict().items()}
    dot = sum(va[k] * vb[k] for k in CAMERA_AXES)
    norm = math.sqrt(sum(v * v for v in va.values())) * math.sqrt(sum(v * v for v in vb.values()))
    return dot / norm if norm else 0.0


def nearest_motion(move: CameraMove) -> Motion | None:
    """The named move pointing most the same way as `move`; None if nothing points its way."""
    best, best_score = None, 0.0
    for motion in MOTIONS.values():
        score = _cosine(move, motion.axes)
        if score > best_score + 1e-9:
            best, best_score = motion, score
    return best


def _presets(
    result: CameraTranslation,
    move: CameraMove,
    caps: Capabilities,
    motion: Motion | None,
    axes: list[str],
) -> CameraTranslation:
    covered: list[str] = []
    if motion is not None:
        strength = DEFAULT_STRENGTH
        result.sent.append(f"motion preset '{motion.name}' as {caps.camera.field}")
    elif not axes:
        motion, strength = MOTIONS["static"], 1.0
        result.sent.append(f"static camera as {caps.camera.field} 'Static'")
    else:
        motion = nearest_motion(move)
        peak = max(abs(_clamp(getattr(move, a))) for a in axes)
        strength = round(min(max(peak / 10, 0.1), 1.0), 1)
        if motion is not None:
            covered = [a for a in axes if getattr(motion.axes, a) * getattr(move, a) > 0]
            for axis in covered:
                result.sent.append(
                    f"{axis} {getattr(move, axis):+d} as {caps.camera.field} "
                    f"'{motion.name}' at strength {strength}"
                )
    if motion is not None:
        result.params[caps.camera.field] = [{"name": motion.name, "strength": strength}]
    rest = [a for a in axes if a not in covered]
    _in_words(result, move, rest, f"{caps.name} has no preset for it")
    return result
