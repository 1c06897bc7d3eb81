"""Issue 16 point 5: a choice with consequences starts at "请选择" (or, for radio buttons,
with nothing checked) and stays required, so it is never answered by default."""

import pytest
from django.contrib.auth import get_user_model

from zwfw.cases.forms import DecideForm, PauseForm
from zwfw.cases.forms_docs import DeliveryForm
from zwfw.grants.forms import DecisionForm, MemberForm, ProposalForm, VoteForm
from zwfw.supervision.forms import FaultToleranceForm, HotlineForm, InterferenceForm

User = get_user_model()
EMPTY = User.objects.none()

FORMS = [
    (lambda: PauseForm(), "reason"),  # 暂停事由
    (lambda: DeliveryForm(), "method"),  # 送达方式
    (lambda: DecideForm(), "result"),  # 决定
    (lambda: ProposalForm(people=EMPTY, items=EMPTY), "role"),  # 授权类型
    (lambda: MemberForm(people=EMPTY), "position"),  # 委员职务
    (lambda: DecisionForm(members=EMPTY), "result"),  # 领导小组决定
    (lambda: InterferenceForm(), "manner"),  # 干预方式
    (lambda: FaultToleranceForm(people=EMPTY), "decision"),  # 容错认定结论
    (lambda: HotlineForm(departments=[]), "kind"),  # 诉求类型
]


@pytest.mark.parametrize("make,name", FORMS)
def test_consequential_choice_has_no_default(make, name):
    form = make()
    field = form.fields[name]
    assert field.required
    assert not form.initial.get(name) and not field.initial, f"{name} is preset"
    choices = list(field.choices)
    if choices[0][0] == "":
        assert choices[0][1] == "请选择"
    else:  # radio buttons: none checked until the person chooses
        assert "checked" not in str(form[name])


def test_unchosen_field_is_refused_by_name():
    form = InterferenceForm(data={})
    assert not form.is_valid() and "manner" in form.errors


def test_every_named_vote_is_cast_not_preset():
    class Member:
        pk = 7
        person = type("P", (), {"name": "委员甲"})()

        def get_position_display(self):
            return "委员"

    form = VoteForm(present=[Member()])
    assert not form.fields["vote_7"].initial and "checked" not in str(form["vote_7"])
