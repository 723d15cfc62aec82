"""Spanish and French throughout (#22): the browser's language or the header's switch."""

from __future__ import annotations

import pytest

from app import i18n


def test_english_stays_the_default(client, login):
    login("viewer")
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Referral Network Directory" in page


@pytest.mark.parametrize(
    ("header", "lang", "word"),
    [("es-MX,es;q=0.9", "es", "Cerrar sesión"), ("fr-CA", "fr", "Se déconnecter")],
)
def test_the_browser_language_is_followed(client, login, header, lang, word):
    login("viewer")
    page = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    assert word in page


def test_a_language_the_directory_does_not_speak_falls_back_to_english(client, login):
    login("viewer")
    page = client.get("/", headers={"Accept-Language": "de-DE,de"}).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Log out" in page


def test_the_switch_wins_over_the_browser_and_keeps_the_reader_on_the_page(client, login):
    login("viewer")
    response = client.get("/language?lang=fr&next=/organizations")
    assert response.status_code == 302
    assert response.headers["Location"] == "/organizations"
    assert "lang=fr" in response.headers["Set-Cookie"]
    page = client.get("/organizations", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '<html lang="fr">' in page
    assert "Organisations" in page
    client.get("/language?lang=en")
    page = client.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '<html lang="en">' in page


def test_the_switch_works_before_login_and_never_leaves_the_site(client):
    response = client.get("/language?lang=es&next=https://evil.example/")
    assert response.status_code == 302
    assert "evil" not in response.headers["Location"]
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="es">' in page
    # an unknown language changes nothing
    response = client.get("/language?lang=xx")
    assert "Set-Cookie" not in response.headers or "lang=xx" not in response.headers["Set-Cookie"]


def test_the_locale_keeps_the_browser_region_of_the_chosen_language(app):
    with app.test_request_context(headers={"Accept-Language": "fr-CA", "Cookie": "lang=fr"}):
        assert i18n.user_locale() == "fr_CA"
    with app.test_request_context(headers={"Accept-Language": "en-GB", "Cookie": "lang=es"}):
        assert i18n.user_locale() == "es"
    with app.test_request_context(headers={"Accept-Language": "de, es-AR;q=0.5"}):
        assert i18n.user_locale() == "de"  # dates and numbers: the browser's first
        assert i18n.ui_locale() == "es_AR"  # words: the first language the directory speaks


@pytest.mark.parametrize(
    ("header", "km", "shown"),
    [
        ("en-US", 3.2, "2.0\u00a0mi (3.2\u00a0km)"),
        ("en", 3.2, "2.0\u00a0mi (3.2\u00a0km)"),
        ("en-GB", 3.2, "3.2\u00a0km"),
        ("es", 1234.5, "1.234,5\u00a0km"),
        ("fr", 3.26, "3,3\u00a0km"),
    ],
)
def test_distances_follow_the_locale(app, header, km, shown):
    with app.test_request_context(headers={"Accept-Language": header}):
        assert i18n.format_distance(km) == shown


def test_the_distance_unit_setting_overrides_the_locale(app):
    app.config["DISTANCE_UNIT"] = "km"
    try:
        with app.test_request_context(headers={"Accept-Language": "en-US"}):
            assert i18n.format_distance(3.2) == "3.2\u00a0km"
    finally:
        app.config["DISTANCE_UNIT"] = None


def _key(value):
    return value if isinstance(value, str) else tuple(value)


def test_compiled_catalogues_match_their_sources():
    """``scripts/translations.py compile`` was run after the last edit of a ``.po``."""
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    for lang in ("es", "fr"):
        folder = i18n.TRANSLATIONS / lang / "LC_MESSAGES"
        with open(folder / "messages.po", "rb") as po, open(folder / "messages.mo", "rb") as mo:
            source, compiled = read_po(po), read_mo(mo)
        wanted = {_key(m.id): _key(m.string) for m in source if m.id and m.string and not m.fuzzy}
        got = {_key(m.id): _key(m.string) for m in compiled if m.id}
        assert wanted == got, lang


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ("es", ["Buscar una derivación", "¿Qué necesita el cliente?", "Albergues/vivienda"]),
        ("fr", ["Trouver une orientation", "De quoi le client a-t-il besoin ?", "Langue"]),
    ],
)
def test_the_search_page_and_its_results_in_spanish_and_french(client, login, header, words):
    from tests.factories import ServiceFactory

    ServiceFactory(name="Casa Esperanza", category="shelter.adults_hte", description="Beds")
    login("viewer")
    page = client.get("/?q=Esperanza", headers={"Accept-Language": header}).get_data(as_text=True)
    for word in words:
        assert word in page, word
    assert "Casa Esperanza" in page  # partners' own text as written
    assert "Beds" in page or "Casa Esperanza" in page
    assert "What does the client need?" not in page


@pytest.mark.parametrize(
    ("lang", "subject", "words"),
    [
        ("es", "Por favor revise su ficha en el", ["Hola:", "No lo reenvíe.", "Gracias."]),
        ("fr", "Merci de vérifier votre fiche dans le", ["Bonjour,", "Merci."]),
    ],
)
def test_a_partner_update_request_e_mail_in_spanish_and_french(client, token, lang, subject, words):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import OutboxMessage
    from tests.factories import OrganizationFactory, ServiceFactory

    org = OrganizationFactory(email="intake@partner.example", name="Casa Aurora", language=lang)
    ServiceFactory(organization=org, name="Aurora night beds", category="shelter.adults_hte")
    db.session.commit()
    response = client.post(
        f"/api/v1/organizations/{org.id}/update-requests", headers=token("coordinator")
    )
    assert response.status_code == 201, response.get_json()
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert mail.subject.startswith(subject)
    for word in words:
        assert word in mail.text_body, word
    assert f'<html lang="{lang}">' in mail.html_body
    assert "Please check" not in mail.text_body


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("es", ["Directorio comunitario de recursos", "Albergues/vivienda"]),
        ("fr", ["Répertoire communautaire des ressources", "Hébergement"]),
    ],
)
def test_the_printed_sheet_follows_the_interface_language(client, login, lang, words):
    """The PDF sheet without ``lang`` is in the reader's language (``?lang=`` still wins)."""
    import io

    from pypdf import PdfReader

    from tests.factories import ServiceFactory

    ServiceFactory(name="Casa Segura", category="shelter.children")
    login("viewer")
    client.get(f"/language?lang={lang}")
    response = client.get("/sheets/directory.pdf")
    assert response.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    text = " ".join(text.split())
    for word in words:
        assert word in text, word
    assert "Casa Segura" in text
    english = client.get("/sheets/directory.pdf?lang=en")
    first = PdfReader(io.BytesIO(english.data)).pages[0].extract_text()
    assert "Community directory of resources" in " ".join(first.split())


PAGES = {
    "/organizations": {"es": "Organizaciones", "fr": "Organisations"},
    "/organizations/new": {"es": "Otros nombres", "fr": "Autres noms"},
    "/review": {"es": "Registros por revisar", "fr": "Fiches à vérifier"},
    "/referrals": {"es": "Seguimiento", "fr": "Suivi"},
    "/referrals/figures": {"es": "Derivaciones por mes y grupo", "fr": "Orientations par mois"},
    "/assessments": {"es": "Evaluaciones de centros", "fr": "Évaluations des établissements"},
    "/assessments/network": {"es": "Centro", "fr": "Établissement"},
    "/assessments/mine": {"es": "Evaluaciones por responder", "fr": "Évaluations à remplir"},
    "/sheets": {"es": "Imprimir una hoja del directorio", "fr": "Imprimer une fiche du répertoire"},
    "/sheets/card": {"es": "Tarjeta de bolsillo", "fr": "Carte de poche"},
    "/admin/users": {"es": "Añadir un usuario", "fr": "Ajouter un utilisateur"},
    "/admin/audit": {"es": "Solo se añade", "fr": "En ajout seulement"},
    "/admin/outbox": {"es": "Bandeja de salida", "fr": "Boîte d’envoi"},
    "/account/password": {"es": "Contraseña actual", "fr": "Mot de passe actuel"},
    "/nowhere": {"es": "No encontrado", "fr": "Introuvable"},
}


@pytest.mark.parametrize("lang", ["es", "fr"])
def test_the_pages_in_spanish_and_french(client, login, lang):
    from app.extensions import db
    from directory import seeding
    from directory.models import Organization

    seeding.load_demo(db.session)
    db.session.commit()
    login("admin")
    org = db.session.query(Organization).first()
    pages = {**PAGES, f"/organizations/{org.id}": {"es": "Ubicaciones", "fr": "Adresses"}}
    for url, words in pages.items():
        response = client.get(url, headers={"Accept-Language": lang})
        page = response.get_data(as_text=True)
        assert response.status_code == (404 if url == "/nowhere" else 200), url
        assert f'<html lang="{lang}">' in page, url
        assert words[lang] in page, (url, words[lang])


def test_login_refusal_and_flash_messages_in_french(client, users):
    from tests.conftest import PASSWORD

    fr = {"Accept-Language": "fr"}
    refused = client.post(
        "/login", data={"email": "viewer@test.example", "password": "x"}, headers=fr
    )
    assert "Le courriel ou le mot de passe n’est pas correct." in refused.get_data(as_text=True)
    client.post("/login", data={"email": "viewer@test.example", "password": PASSWORD}, headers=fr)
    client.post("/logout", headers=fr)
    page = client.get("/login", headers=fr).get_data(as_text=True)
    assert "Vous êtes déconnecté." in page


@pytest.mark.parametrize(
    ("header", "shown"),
    [
        ("en", "Mon–Fri 09:00–17:00; Sat 10:00–14:00"),
        ("es", "lun–vie 09:00–17:00; sáb 10:00–14:00"),
        ("fr", "lun.–ven. 09:00–17:00; sam. 10:00–14:00"),
    ],
)
def test_hours_read_in_the_page_language(app, header, shown):
    from directory.hours import week_summary
    from directory.templating import hours_summary

    spans = [(d, 540, 1020) for d in range(5)] + [(5, 600, 840)]
    with app.test_request_context(headers={"Accept-Language": header}):
        assert hours_summary({"summary": week_summary(False, spans)}) == shown
        assert "24" in hours_summary({"summary": week_summary(True, [])})


def test_the_api_answers_in_english_whatever_the_browser(client, token):
    response = client.get(
        "/api/v1/services/999999", headers={**token("viewer"), "Accept-Language": "es"}
    )
    assert response.status_code == 404
    assert response.get_json()["status"] == "Not Found"
