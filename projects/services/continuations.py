"""Takes that carry on from an earlier job at the same provider: Extend a ready take (Veo scene
extension), and a Seedance draft (its final is take_promote's, from the draft's task).

Both go through the same money path as any take (services.takes._create_take: the shot lock,
the duplicate refusal, budget_reserve with every cap, the approval threshold)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from projects.models import Shot, Take
from projects.selectors.continuations import draft_snapshot, extend_refusal, extension_snapshot

# The one path that holds money for a new take; shared, not copied, so a cap added there
# applies here too.
from projects.services.takes import _create_take, runnable_provider


def take_extend(*, take: Take, user, allow_duplicate: bool = False) -> Take:
    """A new take that continues `take`'s clip by the model's extension seconds: same shot and
    model, `extends=take`, priced at those seconds. ValidationError says why not."""
    refusal = extend_refusal(take)
    if refusal:
        raise ValidationError(refusal)
    provider = runnable_provider(take.model)
    # The platform's own limit on the clip it continues (Vertex AI: 30 s), once it is built.
    longest = getattr(provider, "extend_max_input_seconds", None)
    if not isinstance(longest, (int, float)):
        longest = None
    refusal = extend_refusal(take, longest_input=longest)
    if refusal:
        raise ValidationError(refusal)
    snapshot = extension_snapshot(take)
    return _create_take(take.shot, user, snapshot, extends=take, allow_duplicate=allow_duplicate)


def take_request_draft(*, shot: Shot, user, allow_duplicate: bool = False) -> Take:
    """A cheap draft of the shot on a model that makes them (Seedance): the full request at the
    draft's size, sent as a draft. Circle it and promote it on the same model for the final."""
    runnable_provider(shot.target_model)
    snapshot = draft_snapshot(shot)
    return _create_take(shot, user, snapshot, allow_duplicate=allow_duplicate)
