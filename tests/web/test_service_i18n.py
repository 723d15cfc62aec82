"""The service page, the service form and the HSDS page in Spanish and French; coded values
shown as words; validation messages in the page's language (the API keeps English); a
confirmation shown in the section the user acted in (#22)."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from tests.factories import PhoneFactory, ServiceFactory


def text(response) -> str:
    return response.get_data(as_text=True)


def _section(page: str, section_id: str) -> str:
    """The HTML of ``<section id="...">`` up to its closing tag."""
    start = page.index(f'<section id="{section_id}"')
    return page[start : page.index("</section>", start)]


def _coded_service():
    service = ServiceFactory(
        name="Casa Aurora",
        category="shelter.adults_hte",
        description="Camas para mujeres.",  # the partner's own text: never translated
        cost="sliding_scale",
        care_type="both",
        modalities="in_person phone",
        genders="female transgender",
        immigration_status="any",
        walk_in=True,
        capacity_unit="beds",
    )
    service.organization.kind = "ngo"
    PhoneFactory(service=service, number="+13125550111", kind="hotline")
    db.session.commit()
    return service


# words chosen by hand for each language: headings, labels and coded values
SERVICE_PAGE = {
    "es": [
        "Derivación acompañada",
        "Compartir con el cliente",
        "Contacto y horario",
        "Quién puede usarlo",
        "Situación migratoria",
        "Cualquier situación, incluso sin documentos",
        "Escala según ingresos",
        "en persona, teléfono",
        "atención de urgencia y continuada",
        "mujer, transgénero",
        "línea de ayuda",
        "HT/E: trata de personas o explotación.",
        "Marcar verificado hoy",
        "Comentarios de clientes",
    ],
    "fr": [
        "Orientation accompagnée",
        "Partager avec le client",
        "Contact et horaires",
        "Qui peut en bénéficier",
        "Statut migratoire",
        "Tout statut, y compris sans papiers",
        "Tarif selon les revenus",
        "en personne, téléphone",
        "prise en charge d’urgence et de suivi",
        "HT/E : traite des êtres humains ou exploitation.",
        "Marquer vérifié aujourd’hui",
        "Retours des clients",
        "femme, transgenre",
        "ligne d’écoute",
    ],
}
ENGLISH_ON_THE_PAGE = [
    "Warm hand-off",
    "Share with the client",
    "Who is eligible",
    "Contact and hours",
    "Mark verified today",
    "Client feedback",
    "sliding scale",
    "both care",
]


@pytest.mark.parametrize("lang", ["es", "fr"])
def test_the_service_page_in_spanish_and_french_by_the_browser_language(client, login, lang):
    service = _coded_service()
    login("coordinator")
    page = text(client.get(f"/services/{service.id}", headers={"Accept-Language": lang}))
    assert f'<html lang="{lang}">' in page
    for words in SERVICE_PAGE[lang]:
        assert words in page, words
    for english in ENGLISH_ON_THE_PAGE:
        assert english not in page, english
    assert "Casa Aurora" in page  # the partner's own text as typed
    assert "Camas para mujeres." in page


def test_the_service_page_follows_the_readers_choice_over_the_browser(client, login):
    service = _coded_service()
    login("case_manager")
    client.get("/language?lang=fr")
    page = text(client.get(f"/services/{service.id}", headers={"Accept-Language": "es"}))
    assert '<html lang="fr">' in page
    assert "Ajouter ce qu’un client a dit" in page
    assert "Enregistrer la note" in page
    assert "Añadir lo que dijo un cliente" not in page


def test_coded_values_are_shown_with_their_human_labels(client, login):
    """No raw code on the page: 'ngo', 'sliding_scale', 'both' care, 'in_person'..."""
    service = _coded_service()
    login("case_manager")  # a coordinator's change history shows stored values as stored
    page = text(client.get(f"/services/{service.id}"))
    visible = re.sub(r"<[^>]+>", " ", page)  # what a reader sees (no attribute values)
    assert "Sliding scale" in visible
    assert "in person, phone" in visible
    assert "emergency and ongoing care" in visible
    assert "Any status, including undocumented" in visible
    assert "female, transgender" in visible
    assert "(hotline)" in visible
    assert "HT/E: human trafficking or exploitation." in visible
    for raw in ("ngo", "sliding_scale", "in_person", "both care", "documented_only"):
        assert not re.search(rf"\b{raw}\b", visible), raw
    # unknown facts stay "not stated", never a default
    quiet = ServiceFactory(name="Quiet")
    assert text(client.get(f"/services/{quiet.id}")).count("Not stated (ask)") >= 6


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "es",
            [
                "Nombre del servicio",
                "Costo y acceso",
                "Formas de atención (ninguna marcada: no indicado)",
                '<option value="sliding_scale" >Escala según ingresos</option>',
                '<option value="both" >Atención de urgencia y continuada</option>',
                '<option value="Mon" >Lunes</option>',
                '<option value="">No indicado (preguntar)</option>',
                "Guardar y marcar verificado",
                "Albergues/vivienda",
            ],
        ),
        (
            "fr",
            [
                "Nom du service",
                "Coût et accès",
                "Modes d’accueil (aucun coché : non indiqué)",
                '<option value="sliding_scale" >Tarif selon les revenus</option>',
                '<option value="both" >Prise en charge d’urgence et de suivi</option>',
                '<option value="Mon" >Lundi</option>',
                '<option value="">Non indiqué (demander)</option>',
                "Enregistrer et marquer vérifié",
            ],
        ),
    ],
)
def test_the_service_form_in_spanish_and_french(client, login, lang, words):
    service = ServiceFactory(name="Casa Aurora")
    login("coordinator")
    page = text(client.get(f"/services/{service.id}/edit", headers={"Accept-Language": lang}))
    page = re.sub(r"\s+", " ", page)
    for word in words:
        assert word in page, word
    assert "Cost and access" not in page


def test_a_validation_error_on_the_form_in_spanish(client, login):
    service = ServiceFactory(name="Casa Aurora")
    login("coordinator")
    form = {
        "organization_id": service.organization_id,
        "name": "Casa Aurora",
        "category": "food",
        "version": service.version,
        "min_age": "30",
        "max_age": "18",
        "handoff_phone": "not a phone",
        "location.city": "Chicago",
    }
    response = client.post(
        f"/services/{service.id}/edit", data=form, headers={"Accept-Language": "es"}
    )
    assert response.status_code == 422
    page = text(response)
    assert "No se guardó nada. Corrija estos campos:" in page  # the error summary
    assert "&#39;not a phone&#39; no es un número de teléfono." in page
    assert "is not a phone number" not in page
    # a marshmallow message of its own, and one with a value, in Spanish too
    response = client.post(
        f"/services/{service.id}/edit",
        data={**form, "name": "", "min_age": "-3", "max_age": "", "handoff_phone": ""},
        headers={"Accept-Language": "es"},
    )
    page = text(response)
    assert "Falta este dato obligatorio." in page
    assert "Debe estar entre 0 y 130." in page


def test_the_api_keeps_english_messages_whatever_the_browser(client, token):
    service = ServiceFactory(name="Casa Aurora")
    response = client.patch(
        f"/api/v1/services/{service.id}",
        json={"handoff_phone": "not a phone", "version": service.version},
        headers={**token("coordinator"), "Accept-Language": "es"},
    )
    assert response.status_code == 422
    assert response.get_json()["errors"]["handoff_phone"] == [
        "'not a phone' is not a phone number."
    ]


def test_the_feedback_confirmation_is_shown_inside_the_feedback_section(client, login):
    service = ServiceFactory(name="Casa Aurora")
    login("case_manager")
    response = client.post(
        f"/services/{service.id}/feedback",
        data={"text": "the nurse was kind", "outcome": "helpful", "channel": "survey"},
        headers={"Accept-Language": "es"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/services/{service.id}#feedback"
    page = text(client.get(f"/services/{service.id}", headers={"Accept-Language": "es"}))
    confirmation = '<p class="flash flash-success" role="status">Nota de comentarios guardada.</p>'
    assert confirmation in _section(page, "feedback")
    assert page.count("Nota de comentarios guardada.") == 1  # not also at the top
    assert '<span class="badge">útil</span>' in _section(page, "feedback")  # the outcome


@pytest.mark.parametrize(
    ("url", "data", "section", "message"),
    [
        (
            "capacity",
            {"available": "2", "maximum": "8", "unit": "beds"},
            "capacity",
            "Capacity updated.",
        ),
        (
            "ratings",
            {"availability": "3", "accessibility": "2", "acceptability": "", "quality": ""},
            "aaaq",
            "AAAQ rating saved.",
        ),
        ("verify", {}, "record", "Marked verified today"),
        # deactivating asks first: the confirmed post
        ("status", {"status": "inactive", "confirmed": "1"}, "record", "Service deactivated"),
    ],
)
def test_other_confirmations_are_shown_where_the_coordinator_acted(
    client, login, url, data, section, message
):
    service = ServiceFactory(name="Casa Aurora")
    login("coordinator")
    response = client.post(f"/services/{service.id}/{url}", data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/services/{service.id}#{section}"
    page = text(client.get(f"/services/{service.id}"))
    assert message in _section(page, section)
    assert page.count(message) == 1


def test_the_hsds_page_in_french(client, login):
    login("coordinator")
    page = text(client.get("/hsds", headers={"Accept-Language": "fr"}))
    assert "Échanger des données (Open Referral HSDS 3.0)" in page
    assert "Vérifier et importer" in page
    refused = client.post("/hsds/import", data={}, headers={"Accept-Language": "fr"})
    assert refused.status_code == 422
    assert "package : choisissez le fichier zip d’un paquet HSDS." in text(refused)
    assert "Rien n’a été importé." in text(refused)
