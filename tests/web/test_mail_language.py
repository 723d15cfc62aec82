"""E-mail sent by the app is written in the recipient's language (#22): a partner's update
request follows the organization's language, whatever language the sender reads."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from tests.factories import OrganizationFactory


@pytest.mark.parametrize(
    ("partner", "reader", "subject", "sentence"),
    [
        ("en", "es", "Please check your listing in the", "Do not forward it."),
        ("fr", "es", "Merci de vérifier votre fiche dans le", "Ne le transférez pas."),
        ("es", "fr", "Por favor revise su ficha en el", "No lo reenvíe."),
    ],
)
def test_partner_e_mail_is_in_the_partners_language_not_the_senders(
    client, login, partner, reader, subject, sentence
):
    """The e-mail sentences go through gettext under the partner's locale (#22)."""
    from app.models import OutboxMessage
    from tests.factories import ServiceFactory

    org = OrganizationFactory(email="intake@partner.example", language=partner)
    ServiceFactory(organization=org, category="food")
    db.session.commit()
    login("coordinator")
    client.get(f"/language?lang={reader}")
    sent = client.post(f"/organizations/{org.id}/update-request")
    assert sent.status_code == 302
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert mail.subject.startswith(subject)
    assert sentence in mail.text_body
    assert f'<html lang="{partner}">' in mail.html_body
    # the coordinator's own confirmation is in the coordinator's language
    page = client.get(f"/organizations/{org.id}").get_data(as_text=True)
    assert f'<html lang="{reader}">' in page
