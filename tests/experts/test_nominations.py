"""Nominations (E-6, E-7, E-8) and campaigns (E-9.1, E-11.1)."""

import datetime

import pytest

from tests.experts.conftest import ALL_ATTESTED, DEADLINE, NOMINATION_DAY, at, deeds, nominee
from tests.factories import staff
from zwfw.core.crypto import blind_index
from zwfw.core.errors import Conflict, Forbidden, RuleViolation
from zwfw.core.models import AuditEvent
from zwfw.experts import rules, services
from zwfw.experts.models import Nomination

D = datetime.date


def test_E_8_character_count_ignores_spaces_punctuation_and_latin():
    assert rules.chinese_chars("政务 服务，首席专家。ABC 123") == 8
    assert rules.chinese_chars(deeds(500)) == 500
    assert rules.chinese_chars(deeds(499)) == 499
    assert len(deeds(499).encode()) > 1000  # bytes would pass; characters do not


def test_E_8_deeds_of_499_characters_refused_500_accepted(nominate):
    with pytest.raises(RuleViolation) as exc:
        nominate(text=deeds(499))
    assert exc.value.code == "E-8" and exc.value.field == "deeds"
    n = nominate(text=deeds(500))
    assert n.deeds_chars == 500


def test_E_6_2_five_years_exactly_at_the_deadline(nominate):
    """E-6.2: five full years of field work at the nomination deadline; a day short fails."""
    with pytest.raises(RuleViolation) as exc:
        nominate(field_start_date=D(2020, 7, 1), service_start_date=None)
    assert exc.value.code == "E-6.2"
    n = nominate(field_start_date=D(2020, 6, 30))
    assert n.eligible and "5年" in n.eligibility_basis


def test_E_6_2_government_service_work_counts_instead(nominate):
    """E-6.2: or five years of government service work (from the recorded date)."""
    n = nominate(field_start_date=D(2023, 1, 1), service_work_start_date=D(2020, 6, 30))
    assert n.eligible and "政务服务工作" in n.eligibility_basis
    with pytest.raises(RuleViolation) as exc:
        nominate(
            name="吕晓",
            field_start_date=None,
            service_work_start_date=D(2020, 7, 1),
            phone="13905330002",
        )
    assert exc.value.code == "E-6.2"


def test_E_6_6_exactly_55_at_deadline_needs_nothing(nominate):
    n = nominate(birth_date=D(1970, 6, 30))  # 55 on the deadline day
    assert n.age_at_deadline == 55 and not n.age_justification


def test_E_6_6_over_55_needs_justification_and_office_approval(nominate, office, org_user):
    """E-6.6 (in principle): over 55 at the deadline is warned, justified, approved, audited."""
    with pytest.raises(RuleViolation) as exc:
        nominate(birth_date=D(1969, 6, 30))  # 56 on the deadline day
    assert exc.value.code == "E-6.6" and exc.value.field == "age_justification"
    n = nominate(birth_date=D(1969, 6, 30), just="该同志为本领域唯一的高级工程师，经验丰富")
    assert n.age_at_deadline == 56 and n.age_justification
    event = AuditEvent.objects.filter(action="experts.nominate").last()
    assert "唯一的高级工程师" in str(event.after)
    with pytest.raises(Forbidden):
        services.approve_age(by=org_user, nomination=n)
    services.approve_age(by=office, nomination=n)
    n.refresh_from_db()
    assert n.age_approved_by == office
    assert AuditEvent.objects.filter(action="experts.approve_age").exists()


def test_E_6_6_55_and_some_days_is_not_over_55(nominate):
    n = nominate(birth_date=D(1970, 1, 1))
    assert n.age_at_deadline == 55


def test_E_6_1_every_attestation_must_be_signed(nominate):
    for missing in ALL_ATTESTED:
        attest = dict(ALL_ATTESTED, **{missing: False})
        with pytest.raises(RuleViolation) as exc:
            nominate(attest=attest)
        assert exc.value.code == "E-6.1" and exc.value.field == f"attestations.{missing}"


def test_E_7_self_nomination_refused(nominate, org_user):
    me = org_user.person
    with pytest.raises(RuleViolation) as exc:
        nominate(name=me.name, birth_date=me.birth_date)
    assert exc.value.code == "E-7"


def test_E_7_self_nomination_by_id_number_refused(org_user, campaign, sectors):
    from tests.factories import valid_id_number

    me = org_user.person
    me.id_number = valid_id_number(D(1980, 3, 15), 7)
    me.id_number_index = blind_index(me.id_number)
    me.save()
    with at(NOMINATION_DAY), pytest.raises(RuleViolation) as exc:
        services.nominate(
            by=org_user,
            campaign=campaign,
            sector=sectors[0],
            talent_type="technical",
            nominee=nominee(id_number=me.id_number),
            deeds=deeds(520),
            attestations=ALL_ATTESTED,
        )
    assert exc.value.code == "E-7"


def test_E_7_only_a_nominating_organisation_nominates(campaign, sectors, office):
    person_account = staff(None).user  # an ordinary person: 不受理个人申请
    for user in (person_account, office):
        with at(NOMINATION_DAY), pytest.raises(Forbidden):
            services.nominate(
                by=user,
                campaign=campaign,
                sector=sectors[0],
                talent_type="technical",
                nominee=nominee(),
                deeds=deeds(520),
                attestations=ALL_ATTESTED,
            )


def test_E_3_talent_type_and_sector_of_the_campaign(nominate, sectors):
    with pytest.raises(RuleViolation) as exc:
        nominate(talent_type="artist")
    assert exc.value.code == "E-3"
    with pytest.raises(RuleViolation) as exc:
        nominate(sector=sectors[10])  # not in the 2025 campaign
    assert exc.value.field == "sector"
    n = nominate(talent_type="composite")
    assert n.get_talent_type_display() == "复合技能型"


def test_nominations_close_at_the_deadline(org_user, campaign, sectors):
    with at(DEADLINE + datetime.timedelta(days=1)), pytest.raises(RuleViolation) as exc:
        services.nominate(
            by=org_user,
            campaign=campaign,
            sector=sectors[0],
            talent_type="technical",
            nominee=nominee(),
            deeds=deeds(520),
            attestations=ALL_ATTESTED,
        )
    assert exc.value.code == "deadline_passed"


def test_E_11_1_at_least_ten_sectors_and_E_9_1_one_campaign_a_year_deployed_in_q2(
    office, sectors, campaign
):
    schedule = [{"stage": "deployment", "start": D(2026, 4, 1), "end": D(2026, 4, 30)}]
    with pytest.raises(RuleViolation) as exc:
        services.create_campaign(
            by=office,
            year=2026,
            sectors=sectors[:9],
            nomination_deadline=D(2026, 6, 30),
            schedule=schedule,
        )
    assert exc.value.code == "E-11.1"
    with pytest.raises(RuleViolation) as exc:
        services.create_campaign(
            by=office,
            year=2026,
            sectors=sectors,
            nomination_deadline=D(2026, 6, 30),
            schedule=[{"stage": "deployment", "start": D(2026, 3, 1), "end": D(2026, 3, 30)}],
        )
    assert exc.value.code == "E-9.1"
    with pytest.raises(Conflict) as exc:
        services.create_campaign(
            by=office,
            year=2025,
            sectors=sectors,
            nomination_deadline=D(2025, 6, 30),
            schedule=[{"stage": "deployment", "start": D(2025, 4, 1), "end": D(2025, 4, 30)}],
        )
    assert exc.value.code == "E-9.1"
    c = services.create_campaign(
        by=office,
        year=2026,
        sectors=sectors,
        nomination_deadline=D(2026, 6, 30),
        schedule=schedule,
    )
    assert c.sectors.count() == 11


def test_one_nomination_per_person_per_campaign(nominate):
    from tests.factories import valid_id_number

    idn = valid_id_number(D(1980, 3, 15), 3)
    nominate(id_number=idn)
    with pytest.raises(Conflict):
        nominate(id_number=idn)
    assert Nomination.objects.count() == 1
