"""N-8: personal data seen in cases is protected: encrypted at rest, masked on pages and in
the API, and a case is readable only by those who handle, decide, supervise or audit it."""

from django.db import connection

from tests.cases.factories import PHONE, person_applicant, receive


def test_n8_id_number_and_phone_are_encrypted_at_rest(clerk, item):
    applicant = person_applicant()
    case = receive(clerk, item, applicant=applicant)
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM cases_case WHERE id = %s", [case.pk])
        stored_phone = cursor.fetchone()[0]
        cursor.execute("SELECT identifier FROM cases_applicant WHERE id = %s", [case.applicant_id])
        stored_id = cursor.fetchone()[0]
    assert PHONE not in stored_phone
    assert applicant.id_number not in stored_id


def test_n8_case_page_and_api_mask_personal_data(client, api, clerk, item):
    applicant = person_applicant()
    case = receive(clerk, item, applicant=applicant)
    client.force_login(clerk)
    page = client.get(f"/cases/{case.number}/").content.decode()
    body = api.login(clerk).get(f"/cases/{case.number}").content.decode()
    for shown in (page, body):
        assert PHONE not in shown and applicant.id_number not in shown


def test_n8_another_department_cannot_read_the_case(client, api, clerk, outsider, item):
    case = receive(clerk, item)
    client.force_login(outsider)
    assert client.get(f"/cases/{case.number}/").status_code in (403, 404)
    assert api.login(outsider).get(f"/cases/{case.number}").status_code in (403, 404)
