from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.core import signing

from projects.selectors.shot_spec import parse_beats, parse_dialogue
from projects.services import shot_edits
from providers.core import catalog

from .audio import ACCEPT_ATTRIBUTE as AUDIO_ACCEPT
from .audio import clean_voice_sample
from .images import ACCEPT_ATTRIBUTE, CleanImage, clean_uploaded_image
from .models import Membership, Project, Role, Scene, Shot, ShotStatus

CAMERA_AXIS_HELP = {
    "pan": "Turn left (−) or right (+)",
    "tilt": "Tilt down (−) or up (+)",
    "roll": "Roll counter-clockwise (−) or clockwise (+)",
    "zoom": "Zoom out (−) or in (+)",
    "truck": "Slide left (−) or right (+)",
    "dolly": "Move back (−) or in (+)",
}


class SignUpForm(UserCreationForm):
    email = forms.EmailField(required=False, help_text="Lets teammates invite you by email.")

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")


def read_only_facts(form: forms.BaseForm) -> list[tuple[str, str]]:
    """The form's fields as (label, what it says) for a view-only page: choices by their
    names, empty values as a dash."""
    facts = []
    for bound in form.visible_fields():
        value = bound.value()
        choices = dict(getattr(bound.field, "choices", ()) or ())
        shown = choices.get(value, value) if choices else value
        facts.append((str(bound.label), "—" if shown in (None, "") else str(shown)))
    return facts


class ProjectForm(forms.ModelForm):
    def model_changes(self) -> dict:
        """What project_update writes: the settings typed here, never spent/reserved."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}

    class Meta:
        model = Project
        fields = [
            "name",
            "logline",
            "aspect_ratio",
            "default_model",
            "budget",
            "approval_threshold",
        ]
        widgets = {"logline": forms.Textarea(attrs={"rows": 2})}


class InviteForm(forms.Form):
    who = forms.CharField(label="Username or email", max_length=254)
    role = forms.ChoiceField(choices=Role.choices, initial=Role.EDITOR)


class RoleForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role", "monthly_quota"]


class SceneForm(forms.ModelForm):
    def model_changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}

    class Meta:
        model = Scene
        fields = ["number", "title", "location", "time_of_day", "description", "budget"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # On a new scene the number is filled in with the next one when left empty.
        self.fields["number"].required = bool(self.instance.pk)


class ShotQuickForm(forms.ModelForm):
    """The inline "add a shot" row on the storyboard."""

    class Meta:
        model = Shot
        fields = ["label", "subject", "shot_size", "duration_seconds"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label"].required = False
        self.fields["label"].help_text = "Leave empty for the next free label."


class StatusSeenForm(forms.ModelForm):
    """A shot form whose status is written only when the person changed it.

    Workers move a shot's status too (generating → review). The form carries the status the
    person saw (show_hidden_initial renders it as initial-<name>), so a page opened before the
    worker's move and saved after it leaves the worker's status alone instead of undoing it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].show_hidden_initial = True

    def status_changed(self) -> bool:
        return "status" in self.changed_data

    def clean_status(self):
        # Unchanged: the stored status stands, and "ready" checks below judge that one.
        return self.cleaned_data["status"] if self.status_changed() else self.instance.status

    def model_changes(self) -> dict:
        """The model fields this form writes (shot_update names them in its UPDATE)."""
        names = [name for name in self._meta.fields if name in self.cleaned_data]
        if not self.status_changed():
            names.remove("status")
        return {name: self.cleaned_data[name] for name in names}


class EditCheckedForm(StatusSeenForm):
    """A shot form that knows which version of the shot it was loaded from.

    Hidden `version` and `base` (the editable fields as loaded, signed so they cannot be
    forged) let the save merge with what someone else saved meanwhile (services/shot_edits).
    A conflict's panel posts `resolve-<field>` = mine | theirs."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    base = forms.CharField(required=False, widget=forms.HiddenInput)

    RELOAD = "This page is out of date or was changed outside the studio: reload the shot."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version
            self.initial["base"] = shot_edits.base_sign(self.instance, self.editable())

    def editable(self) -> list[str]:
        return [name for name in self._meta.fields if name in self.fields]

    def clean(self):
        cleaned = super().clean()
        signed = cleaned.get("base") or ""
        try:
            loaded, base = shot_edits.base_unsign(signed, shot=self.instance)
        except signing.BadSignature:
            raise forms.ValidationError(self.RELOAD, code="reload") from None
        if cleaned.get("version") != loaded:
            raise forms.ValidationError(self.RELOAD, code="reload")
        self.loaded_version, self.loaded_base = loaded, base
        return cleaned

    def choices(self) -> dict:
        """The conflict panel's answers: field -> "mine" or "theirs"."""
        answers = {}
        for name in self.editable():
            answer = self.data.get(self.add_prefix(f"resolve-{name}"))
            if answer in (shot_edits.MINE, shot_edits.THEIRS):
                answers[name] = answer
        return answers

    def after_conflict(self, conflict: shot_edits.EditConflict) -> EditCheckedForm:
        """The same form against the shot as it is now: my typed values where I changed them,
        theirs where only they did, and the version and base of now, so resolving merges again
        from here."""
        data = self.data.copy()
        current = conflict.current
        for name, value in conflict.kept.items():
            key = self.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
                else:
                    data.pop(key, None)
            else:
                data[key] = "" if value is None else str(shot_edits.plain(value))
        data[self.add_initial_prefix("status")] = current.status
        data[self.add_prefix("version")] = current.version
        data[self.add_prefix("base")] = shot_edits.base_sign(current, self.editable())
        for item in conflict.conflicts:
            item.input = self.add_prefix(f"resolve-{item.name}")
            data.pop(item.input, None)
        return type(self)(data, instance=current, prefix=self.prefix)


class ShotCardForm(EditCheckedForm):
    """A card's essentials, edited in place on the storyboard."""

    class Meta:
        model = Shot
        fields = ["label", "subject", "shot_size", "duration_seconds", "target_model", "status"]

    def clean_label(self):
        return clean_unique_label(self)


def clean_unique_label(form: forms.ModelForm) -> str:
    label = form.cleaned_data["label"].strip()
    clash = Shot.objects.filter(project_id=form.instance.project_id, label__iexact=label)
    if clash.exclude(pk=form.instance.pk).exists():
        raise forms.ValidationError(f"Another shot in this project is already called {label}.")
    return label


class CameraSlider(forms.IntegerField):
    def __init__(self, axis: str, **kwargs):
        low, high = catalog.CAMERA_RANGE
        super().__init__(
            min_value=low,
            max_value=high,
            initial=0,
            help_text=CAMERA_AXIS_HELP[axis],
            widget=forms.NumberInput(
                attrs={"type": "range", "step": 1, "min": low, "max": high, "data-axis": axis}
            ),
            **kwargs,
        )


class ShotForm(EditCheckedForm):
    hero_upload = forms.FileField(
        label="Hero frame",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        help_text="JPEG, PNG or WebP. It fixes look and composition before any motion.",
    )
    remove_hero = forms.BooleanField(label="Remove the hero frame", required=False)
    last_upload = forms.FileField(
        label="Last frame",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        help_text="Optional: the frame the shot ends on, for models that move first → last.",
    )
    remove_last = forms.BooleanField(label="Remove the last frame", required=False)
    voice_upload = forms.FileField(
        label="Voice sample",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": AUDIO_ACCEPT}),
        help_text="WAV, MP3 or M4A: the voice the dialogue should be spoken in.",
    )
    remove_voice = forms.BooleanField(label="Remove the voice sample", required=False)

    pan = CameraSlider("pan")
    tilt = CameraSlider("tilt")
    roll = CameraSlider("roll")
    zoom = CameraSlider("zoom")
    truck = CameraSlider("truck")
    dolly = CameraSlider("dolly")

    class Meta:
        model = Shot
        fields = [
            "label",
            "status",
            "subject",
            "action",
            "context",
            "style",
            "shot_size",
            "camera_angle",
            "lens_mm",
            "duration_seconds",
            "aspect_ratio",
            "target_model",
            "resolution",
            "dialogue",
            "dialogue_language",
            "beats",
            "audio",
            "sound_effects",
            "ambience",
            "negative_prompt",
            "seed",
            "motion_preset",
            "camera_notes",
            "notes",
            *catalog.CAMERA_AXES,
        ]
        widgets = {
            "action": forms.Textarea(attrs={"rows": 2}),
            "context": forms.Textarea(attrs={"rows": 2}),
            "style": forms.Textarea(attrs={"rows": 2}),
            "dialogue": forms.Textarea(attrs={"rows": 3}),
            "beats": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    clean_hero: CleanImage | None = None
    clean_last: CleanImage | None = None
    clean_voice = None

    def story_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("subject", "action", "context", "style")]

    def camera_fields(self) -> list[forms.BoundField]:
        return [self[axis] for axis in catalog.CAMERA_AXES]

    def clean_hero_upload(self):
        upload = self.cleaned_data.get("hero_upload")
        if upload:
            self.clean_hero = clean_uploaded_image(upload)
        return upload

    def clean_last_upload(self):
        upload = self.cleaned_data.get("last_upload")
        if upload:
            self.clean_last = clean_uploaded_image(upload)
        return upload

    def clean_label(self):
        return clean_unique_label(self)

    def clean_voice_upload(self):
        upload = self.cleaned_data.get("voice_upload")
        if upload:
            self.clean_voice = clean_voice_sample(upload)
        return upload

    def clean_beats(self):
        beats = self.cleaned_data["beats"]
        parse_beats(beats)
        return beats

    def clean(self):
        cleaned = super().clean()
        if "dialogue" in cleaned:
            try:
                parse_dialogue(cleaned["dialogue"], cleaned.get("dialogue_language") or "en")
            except forms.ValidationError as error:
                self.add_error("dialogue", error)
        return cleaned

    def unsaved_media(self) -> dict:
        """Hero frame, last frame and voice sample as they will be once this form is saved."""
        shot = self.instance
        has_hero = bool(shot.hero_frame) and not self.cleaned_data.get("remove_hero")
        has_last = bool(shot.last_frame) and not self.cleaned_data.get("remove_last")
        has_voice = bool(shot.voice_sample) and not self.cleaned_data.get("remove_voice")
        return {
            "has_hero_frame": has_hero or self.clean_hero is not None,
            "has_last_frame": has_last or self.clean_last is not None,
            "has_voice_sample": has_voice or self.clean_voice is not None,
        }

    def _post_clean(self):
        super()._post_clean()
        # "Ready" means ready to spend money: the target model must accept the shot as it is.
        if self.errors or self.cleaned_data.get("status") != ShotStatus.READY:
            return
        from projects.selectors.design import shot_preflight

        if shot_preflight(self.instance, **self.unsaved_media()):
            self.add_error(
                "status",
                "This shot cannot be marked ready yet: fix the pre-flight problems for "
                f"{self.instance.get_target_model_display()} first.",
            )


class TeamPresetForm(forms.Form):
    name = forms.CharField(max_length=80, label="Preset name")
    description = forms.CharField(max_length=200, required=False)


class ReferenceForm(forms.Form):
    image = forms.FileField(
        label="Reference image", widget=forms.FileInput(attrs={"accept": ACCEPT_ATTRIBUTE})
    )
    caption = forms.CharField(max_length=120, required=False)

    clean_image_result: CleanImage | None = None

    def clean_image(self):
        upload = self.cleaned_data["image"]
        self.clean_image_result = clean_uploaded_image(upload)
        return upload


class MoveShotForm(forms.Form):
    scene = forms.ModelChoiceField(queryset=Scene.objects.none(), empty_label=None)
    position = forms.IntegerField(min_value=0)

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scene"].queryset = project.scenes.all()


class RefundForm(forms.Form):
    """Money a provider gave back for a take it charged for (a broken result, a dispute won)."""

    amount = forms.DecimalField(
        label="Amount given back ($)", min_value=Decimal("0.01"), max_digits=10, decimal_places=2
    )
    note = forms.CharField(
        label="Why", max_length=160, help_text="E.g. the provider's credit note or ticket number."
    )


class ReviewLinkForm(forms.Form):
    """A review link for people without an account (projects/services/review_links.py)."""

    scene = forms.ModelChoiceField(
        queryset=Scene.objects.none(), required=False, empty_label="The whole project"
    )
    label = forms.CharField(max_length=120, required=False, help_text="E.g. “Client, cut 2”.")
    expires_in_days = forms.IntegerField(
        label="Expires in (days)", min_value=1, max_value=365, required=False
    )
    expires_on = forms.DateField(
        label="or on", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    password = forms.CharField(
        max_length=128,
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Optional: guests type it before they see anything.",
    )
    allow_comments = forms.BooleanField(required=False, initial=True)

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scene"].queryset = project.scenes.all()

    def clean(self):
        from datetime import datetime, time, timedelta

        from django.utils import timezone

        data = super().clean()
        days, day = data.get("expires_in_days"), data.get("expires_on")
        if days and day:
            raise forms.ValidationError("Give the days or a date, not both.")
        data["expires_at"] = None
        if days:
            data["expires_at"] = timezone.now() + timedelta(days=days)
        elif day:
            if day <= timezone.localdate():
                self.add_error("expires_on", "Pick a day after today.")
            else:
                moment = datetime.combine(day, time.min)
                data["expires_at"] = timezone.make_aware(moment)
        return data


class ExportForm(forms.Form):
    """A file made on the spot: a timeline, the boards or the shot list, of a scene or all."""

    scene = forms.ModelChoiceField(
        queryset=Scene.objects.none(), required=False, empty_label="The whole film"
    )
    format = forms.ChoiceField(choices=[])
    per_page = forms.TypedChoiceField(
        label="Panels a page",
        choices=[(1, "1"), (3, "3"), (6, "6")],
        coerce=int,
        initial=3,
        required=False,
        help_text="For the storyboard PDF.",
    )

    def __init__(self, *args, project: Project, formats: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scene"].queryset = project.scenes.all()
        self.fields["format"].choices = [(key, value[0]) for key, value in formats.items()]


class DeliverableForm(forms.Form):
    """A deliverable a worker makes: the animatic rendered to MP4, or the editor package."""

    kind = forms.ChoiceField(
        choices=[("animatic", "Animatic (MP4)"), ("package", "Editor package")]
    )
    scene = forms.ModelChoiceField(
        queryset=Scene.objects.none(), required=False, empty_label="The whole film"
    )
    resolution = forms.ChoiceField(
        choices=[("720p", "720p"), ("1080p", "1080p")], initial="720p", required=False
    )
    burn_in = forms.BooleanField(
        label="Burn in shot labels and timecode", required=False, initial=True
    )

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scene"].queryset = project.scenes.all()
