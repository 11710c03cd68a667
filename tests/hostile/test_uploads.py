"""Every file input the studio renders, sent every file no studio should keep."""

import pytest

from .harness import Case, run
from .world import bogus_files

pytestmark = pytest.mark.django_db
PREVIEW = "projects:shot-preview"
EVERY_FIELD = ("not an image", "svg", "decompression bomb", "truncated png", "zero bytes")


def test_bogus_files_in_every_upload_field(world):
    fields = {}
    for form in world.forms:
        for field in form.fields:
            # The live preview posts the editor's fields but never reads its files.
            if form.method == "post" and field.kind == "file" and form.route != PREVIEW:
                fields.setdefault((form.route, field.name), (form, field.accept))
    assert fields, "no upload field found on any page"
    for n, ((route, name), (form, accept)) in enumerate(sorted(fields.items())):
        # The five every upload must survive, and two more in turn.
        others = sorted(set(bogus_files(accept)) - set(EVERY_FIELD))
        for kind in [*EVERY_FIELD, *others[2 * n % len(others) :][:2]]:
            data = {**form.payload(), name: bogus_files(accept)[kind]}
            case = Case("editor", "POST", form.url, data, note=kind, refused=True)
            response = run(world, case, "uploads")
            assert response.status_code == 422, f"{kind} in {name} of {route}"
