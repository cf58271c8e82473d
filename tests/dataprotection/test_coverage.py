"""A subject access pack cannot forget an app: every model is declared by some app's
``PERSONAL_DATA_COVERAGE`` (kernel/personal_data.py), as included in the pack or as holding no
customer's personal data, and every app that includes a model gives its part."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.conf import settings

from dataprotection import selectors
from kernel import personal_data
from tests.dataprotection.factories import data_protection_officer, released

PERSON_MODELS = {"tenancy.Customer", settings.AUTH_USER_MODEL}


def _relates_to_a_person(model) -> bool:
    return any(
        field.is_relation
        and field.related_model is not None
        and field.related_model._meta.label in PERSON_MODELS
        for field in model._meta.get_fields()
        if field.concrete
    )


def _models_to_declare() -> list[str]:
    """Every model of the project's own apps, and every library model that points at a person
    (allauth's email addresses and authenticators, the admin's log)."""
    ours = {config.label for config in selectors.project_app_configs()}
    return sorted(
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in ours or _relates_to_a_person(model)
    )


def test_every_model_is_declared_as_in_the_pack_or_holding_no_personal_data():
    declared: dict[str, list[str]] = {}
    for app_label, coverage in selectors.coverages().items():
        for label in [*coverage.included, *coverage.holds_none]:
            declared.setdefault(label, []).append(app_label)
    missing = [label for label in _models_to_declare() if label not in declared]
    assert not missing, (
        "These models are not declared in any app's selectors.PERSONAL_DATA_COVERAGE: "
        f"{missing}. Add each to `included` (and give it in personal_data_for) or to "
        "`holds_none` with the reason."
    )
    twice = {label: by for label, by in declared.items() if len(by) > 1}
    assert not twice, f"Declared by more than one app: {twice}"


def test_no_declaration_names_a_model_that_does_not_exist():
    existing = {model._meta.label for model in apps.get_models()}
    for app_label, coverage in selectors.coverages().items():
        stale = [
            label for label in [*coverage.included, *coverage.holds_none] if label not in existing
        ]
        assert not stale, f"{app_label} declares models that do not exist: {stale}"


def test_a_model_cannot_be_both_in_the_pack_and_hold_nothing():
    for app_label, coverage in selectors.coverages().items():
        assert not set(coverage.included) & set(coverage.holds_none), app_label


def test_every_app_that_puts_models_in_the_pack_gives_its_part():
    parts = dict(selectors.part_functions())
    for app_label, coverage in selectors.coverages().items():
        if coverage.included:
            assert app_label in parts, (
                f"{app_label} includes models in the pack but its selectors.py has no "
                f"{personal_data.PART_FUNCTION_NAME}(customer)"
            )


def test_the_parts_are_found_by_name_for_every_app_that_has_one():
    labels = [label for label, _ in selectors.part_functions()]
    for expected in (
        "tenancy",
        "accounts",
        "notifications",
        "casework",
        "complaints",
        "repairs",
        "enquiries",
        "dataprotection",
    ):
        assert expected in labels


def test_a_new_model_left_undeclared_fails_the_check(monkeypatch):
    """The check itself can fail: with one declaration taken away, the model is reported."""
    coverages = selectors.coverages()
    complaints = coverages["complaints"]
    trimmed = personal_data.Coverage(
        included={k: v for k, v in complaints.included.items() if k != "complaints.Feedback"},
        holds_none=complaints.holds_none,
    )
    monkeypatch.setattr(selectors, "coverages", lambda: {**coverages, "complaints": trimmed})
    with pytest.raises(AssertionError, match="complaints.Feedback"):
        test_every_model_is_declared_as_in_the_pack_or_holding_no_personal_data()


@pytest.mark.django_db
def test_every_part_runs_for_a_person_and_keys_its_records_by_model(tenant_a):
    """Each part gives records whose keys name a model its app declared as included."""
    officer = data_protection_officer()
    released(tenant_a, officer)
    included = {label for coverage in selectors.coverages().values() for label in coverage.included}
    for label, part_for in selectors.part_functions():
        part = part_for(tenant_a)
        assert isinstance(part, personal_data.Part), label
        for record in part.records:
            model_label = record.key.split(":")[0]
            assert model_label in included, (label, record.key)
