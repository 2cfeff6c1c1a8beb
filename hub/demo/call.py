"""A realistic call for the demo: a digital summit in Geneva, in English and French."""

from __future__ import annotations

from sqlalchemy import select

from hub.admin.call import FIELD_NAMES, CallText
from hub.extensions import db

DEMO_CALL: dict[str, dict[str, str]] = {
    "en": {
        "call_name": "Call for contributions: Global Digital Cooperation Summit 2027",
        "event_name": "Global Digital Cooperation Summit 2027",
        "dates": "6–9 July 2027",
        "venue": "Geneva International Conference Centre (CICG), Geneva, Switzerland",
        "organiser": "The summit secretariat, with its partner organizations",
        "summary": (
            "Governments, companies, academia, civil society and individuals are invited to "
            "share the **initiatives, coalitions, partnerships and concrete actions** that "
            "put artificial intelligence and digital technologies at the service of the "
            "Sustainable Development Goals. Approved contributions are published here and "
            "feed the summit's sessions."
        ),
        "documents": (
            "Circular letter announcing the call | https://www.example.org/summit-2027/circular.pdf\n"
            "Concept note of the summit | https://www.example.org/summit-2027/concept-note.pdf\n"
            "Guidelines for contributors | https://www.example.org/summit-2027/guidelines.pdf"
        ),
        "eligibility": (
            "Contributions are welcome from:\n\n"
            "- Member States and their agencies;\n"
            "- Sector Members, Associates and Academia members;\n"
            "- other companies, universities and research institutes;\n"
            "- civil society and non-governmental organizations;\n"
            "- individuals acting in their own name.\n\n"
            "One account may submit several contributions."
        ),
        "after_submission": (
            "1. A moderator reviews each contribution, usually within ten working days.\n"
            "2. You receive an e-mail when it is approved, or when changes are requested.\n"
            "3. Approved contributions are public on this hub, in the open data and in the "
            "summit's outcome report."
        ),
        "faq": (
            "### In which language may I submit?\n\n"
            "In any of the six official languages of the United Nations.\n\n"
            "### Can I edit my contribution after submitting it?\n\n"
            "Yes, until the cutoff. After publication, your changes are reviewed again "
            "before they replace the published text.\n\n"
            "### Is there a fee?\n\nNo. Contributing is free of charge."
        ),
        "contact_email": "summit-call@example.org",
    },
    "fr": {
        "call_name": "Appel à contributions : Sommet mondial sur la coopération numérique 2027",
        "event_name": "Sommet mondial sur la coopération numérique 2027",
        "dates": "6–9 juillet 2027",
        "venue": "Centre international de conférences de Genève (CICG), Genève, Suisse",
        "organiser": "Le secrétariat du Sommet, avec ses organisations partenaires",
        "summary": (
            "Les gouvernements, les entreprises, les milieux universitaires, la société civile "
            "et les particuliers sont invités à présenter les **initiatives, coalitions, "
            "partenariats et actions concrètes** qui mettent l'intelligence artificielle et "
            "les technologies numériques au service des objectifs de développement durable."
        ),
        "eligibility": (
            "Peuvent soumettre une contribution :\n\n"
            "- les États Membres et leurs organismes ;\n"
            "- les Membres de Secteur, les Associés et les établissements universitaires ;\n"
            "- les autres entreprises, universités et instituts de recherche ;\n"
            "- la société civile et les organisations non gouvernementales ;\n"
            "- les particuliers, en leur nom propre."
        ),
        "after_submission": (
            "1. Un modérateur examine chaque contribution, en général sous dix jours ouvrables.\n"
            "2. Vous recevez un courriel lorsqu'elle est approuvée ou que des modifications "
            "sont demandées.\n"
            "3. Les contributions approuvées sont publiées sur cette plateforme."
        ),
        "faq": (
            "### Dans quelle langue puis-je soumettre ?\n\n"
            "Dans l'une des six langues officielles de l'Organisation des Nations Unies.\n\n"
            "### Puis-je modifier ma contribution après l'avoir soumise ?\n\n"
            "Oui, jusqu'à la date limite.\n\n"
            "### Y a-t-il des frais ?\n\nNon. La participation est gratuite."
        ),
    },
}


def seed_demo_call() -> bool:
    """Save the demo call, unless an admin has written one already; flush, the caller
    commits. (Written directly, like the demo submissions: no admin acted.)"""
    if db.session.scalar(select(CallText.id).limit(1)) is not None:
        return False
    for language, texts in DEMO_CALL.items():
        db.session.add(
            CallText(language=language, version=1, **{n: texts.get(n, "") for n in FIELD_NAMES})
        )
    db.session.flush()
    return True
