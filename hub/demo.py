"""Demo content: realistic, varied submissions for demos, manual testing and benchmarks."""

from __future__ import annotations

import logging
import random
import re
import secrets
import unicodedata
from datetime import date, timedelta
from typing import Any

from hub.auth.models import Role, User
from hub.auth.operations import create_user, find_user
from hub.clock import clock
from hub.extensions import db
from hub.submissions.models import LIMITS, Status, Submission
from hub.submissions.operations import CONTENT_FIELDS, KIND_FIELDS, new_slug
from hub.vocab import GLOBAL, KINDS, REGIONS, THEMES, countries

logger = logging.getLogger("hub.demo")

# One pool set per language, so each text reads as written by one author in one language.
# orgs: "name|stakeholder group|country|region|place phrase"; topics: (phrase, themes, SDGs).
LANGS: dict[str, dict[str, Any]] = {
    "en": {
        "orgs": [
            "Ministry of Digital Economy and Innovation|member_state|KE|africa|in Kenya",
            "Department of Science and Technology|member_state|PH|asia_pacific|in Manila",
            "Northbridge University, Centre for AI Policy|academia|GB|europe|in the UK",
            "Open Data Commons Alliance|civil_society|global|global|worldwide",
            "Lumenar Technologies|private_sector|IN|asia_pacific|in India",
            "UN Office for Digital Capacity|un_intergovernmental|global|global|worldwide",
            "Pacific Telecom Operators Association|sector_member|FJ|asia_pacific|in Fiji",
            "Institute for Responsible Computing|associate|CA|americas|in Canada",
            "Ngozi Eze (independent researcher)|individual|NG|africa|in Nigeria",
        ],
        "topics": [
            ("AI skills for public servants", ["capacity_building", "public_sector"], [4]),
            ("safe and trustworthy AI in health care", ["health", "safety"], [3]),
            ("open datasets for low-resource languages", ["open_source"], [4, 10]),
            ("AI risk management standards for SMEs", ["standards", "safety"], [8, 9]),
            ("climate modelling with responsible AI", ["climate"], [13]),
            ("gender-inclusive AI design", ["gender", "ethics"], [5, 10]),
            ("countering AI-generated disinformation", ["disinformation"], [16]),
        ],
        "titles": {
            "initiative": ["{topic} initiative", "Global initiative on {topic}"],
            "coalition": ["Coalition for {topic}", "{topic} alliance"],
            "partnership": ["Partnership on {topic}", "Joint programme on {topic}"],
            "concrete_action": ["Pilot: {topic}", "{topic}: field deployment"],
        },
        "suffixes": ["", "", "", " {place}", " (phase II)", " 2026–2028"],
        "summaries": [
            "{org} leads this work on {topic} {place}, together with {partner}.",
            "A {months}-month programme that brings together governments, "
            "researchers and civil society.",
            "We aim to reach {n} institutions with practical tools and training.",
        ],
        "paragraphs": [
            [
                "Demand for guidance on {topic} has grown faster than the capacity to provide it.",
                "Many institutions {place} use AI tools without clear oversight or accountability.",
                "A consultation with {n} stakeholders showed a strong need to act on {topic}.",
            ],
            [
                "{org} will run {n} workshops with practitioners and publish an open toolkit.",
                "Together with {partner}, we will pilot the approach in {k} sites first.",
                "A multi-stakeholder steering group meets quarterly to review progress.",
            ],
            [
                "By {year}, we expect {pct}% of participating institutions to apply the guidance.",
                "Results will feed into national strategies and international standard-setting.",
                "Independent evaluators will assess outcomes against agreed indicators.",
            ],
            [
                "We welcome new partners, especially from the Global South.",
                "Progress reports are published every six months on the project website.",
            ],
        ],
        "objectives": [
            "Train {n} public officials in AI risk assessment",
            "Publish open guidance and templates",
            "Set up a community of practice",
            "Evaluate {k} pilot deployments independently",
        ],
        "resources": [
            "USD {amount} in grants over {months} months",
            "{k} full-time staff",
            "{n}{sep}000 GPU hours of compute",
            "Anonymised data under a sharing agreement",
            "Legal and ethics review by partner universities",
        ],
        "steps": [
            "Kick-off and needs assessment",
            "Co-design with local partners",
            "Training of trainers",
            "Pilot deployment",
            "Independent evaluation",
            "Final report and handover",
        ],
        "people": "Amina Okafor, Daniel Mensah, Grace Kim, Rahul Patel, Sarah Clarke, Mei Haddad",
        "sep": ",",
    },
    "fr": {
        "orgs": [
            "Ministère de l'Économie numérique et des Postes|member_state|SN|africa|au Sénégal",
            "Université de Lyon-Confluence, Chaire IA et société|academia|FR|europe|en France",
            "Association Données ouvertes pour tous|civil_society|CI|africa|en Côte d'Ivoire",
            "Agence de régulation des télécoms|sector_member|MA|arab_states|au Maroc",
            "Numéria Solutions SAS|private_sector|CA|americas|au Québec",
            "Organisation internationale pour l'éducation numérique|un_intergovernmental|"
            "global|global|dans l'espace francophone",
            "Institut tunisien d'éthique des technologies|associate|TN|arab_states|en Tunisie",
            "Claire Dubois (chercheuse indépendante)|individual|BE|europe|en Belgique",
        ],
        "topics": [
            ("la gouvernance de l'IA dans le secteur public", ["public_sector"], [16]),
            ("l'éthique des données de santé", ["health", "ethics"], [3]),
            ("les compétences numériques des femmes", ["gender"], [4, 5]),
            ("l'IA au service d'une agriculture durable", ["climate"], [2, 13]),
            ("la protection des données personnelles", ["data_governance"], [16]),
            ("l'enseignement de l'IA à l'école", ["education", "ethics"], [4]),
        ],
        "titles": {
            "initiative": ["Initiative pour {topic}", "Gouvernance de l'IA : {topic}"],
            "coalition": ["Coalition pour {topic}", "Alliance francophone pour {topic}"],
            "partnership": ["Partenariat pour {topic}", "Programme conjoint sur {topic}"],
            "concrete_action": ["Projet pilote sur {topic}", "Action concrète : {topic}"],
        },
        "suffixes": ["", "", "", " {place}", " (phase II)", " 2026-2028"],
        "summaries": [
            "{org} pilote ce projet sur {topic} {place}, avec l'appui de {partner}.",
            "Un programme de {months} mois qui réunit États, chercheurs et société "
            "civile, dans le respect de l'éthique et des données.",
            "Nous visons {n} institutions, avec des outils pratiques et des formations.",
        ],
        "paragraphs": [
            [
                "La demande d'accompagnement sur {topic} progresse plus vite que les capacités.",
                "De nombreuses institutions {place} utilisent l'IA sans cadre clair de gouvernance.",
                "Une consultation de {n} acteurs a révélé un fort besoin d'agir pour {topic}.",
            ],
            [
                "{org} organisera {n} ateliers et publiera une boîte à outils ouverte.",
                "Avec {partner}, nous testerons la démarche sur {k} sites pilotes.",
                "Un comité de pilotage multipartite se réunit chaque trimestre.",
            ],
            [
                "D'ici {year}, {pct} % des institutions participantes devraient appliquer ces guides.",
                "Les résultats alimenteront les stratégies nationales et la normalisation.",
                "Une évaluation indépendante mesurera les effets à l'aide d'indicateurs partagés.",
            ],
            [
                "Nous accueillons volontiers de nouveaux partenaires qui partagent ces objectifs.",
                "Un rapport d'étape est publié tous les six mois sur le site du projet.",
            ],
        ],
        "objectives": [
            "Former {n} agents publics à l'évaluation des risques de l'IA",
            "Publier des guides en accès ouvert",
            "Créer une communauté de pratique",
            "Évaluer de façon indépendante {k} déploiements pilotes",
        ],
        "resources": [
            "{amount} USD de subventions sur {months} mois",
            "{k} personnes à temps plein",
            "{n}{sep}000 heures de calcul GPU",
            "Données anonymisées (accord de partage)",
            "Revue juridique et éthique par des universités",
        ],
        "steps": [
            "Lancement et diagnostic des besoins",
            "Co-conception avec les partenaires",
            "Formation de formateurs",
            "Déploiement pilote",
            "Évaluation indépendante",
            "Rapport final et transfert",
        ],
        "people": "Aïssatou Diallo, Hélène Lefèvre, François Ndiaye, Mélanie Girard, "
        "Jérôme Côté, Chloé Mercier, Karim Benali, Léa Traoré",
        "sep": " ",
    },
    "es": {
        "orgs": [
            "Ministerio de Ciencia, Tecnología e Innovación|member_state|CO|americas|en Colombia",
            "Universidad Nacional del Sur, Laboratorio de Ética Digital|"
            "academia|AR|americas|en Argentina",
            "Fundación Datos Abiertos para el Desarrollo|civil_society|MX|americas|en México",
            "Red Andina de Operadores|sector_member|PE|americas|en la región andina",
            "Innovia Analítica SA|private_sector|ES|europe|en España",
            "Comisión Regional para la Innovación Digital (ONU)|un_intergovernmental|CL|"
            "americas|en América Latina y el Caribe",
            "Valentina Rojas (investigadora independiente)|individual|UY|americas|en Uruguay",
        ],
        "topics": [
            ("la gobernanza de la IA en los gobiernos locales", ["regulation"], [11, 16]),
            ("la ética de los datos en salud pública", ["health", "ethics"], [3]),
            ("la inclusión digital de comunidades rurales", ["digital_divide"], [9, 10]),
            ("el uso responsable de la IA en la educación", ["education"], [4]),
            ("la alerta temprana climática con IA", ["climate", "safety"], [11, 13]),
            ("la igualdad de género en el sector tecnológico", ["gender"], [5, 8]),
        ],
        "titles": {
            "initiative": ["Iniciativa para {topic}", "Iniciativa regional sobre {topic}"],
            "coalition": ["Coalición por {topic}", "Alianza latinoamericana por {topic}"],
            "partnership": ["Alianza público-privada para {topic}", "Socios para {topic}"],
            "concrete_action": ["Proyecto piloto sobre {topic}", "Acción: {topic}"],
        },
        "suffixes": ["", "", "", " {place}", " (fase II)", " 2026-2028"],
        "summaries": [
            "{org} impulsa este proyecto sobre {topic} {place}, junto con {partner}.",
            "Un programa de {months} meses que reúne a gobiernos, academia y sociedad civil.",
            "Buscamos llegar a {n} instituciones con herramientas y formación.",
        ],
        "paragraphs": [
            [
                "La demanda de apoyo sobre {topic} crece más rápido que las capacidades.",
                "Muchas instituciones {place} ya usan IA sin un marco claro de supervisión.",
                "Una consulta con {n} actores mostró la urgencia de actuar sobre {topic}.",
            ],
            [
                "{org} organizará {n} talleres y publicará una caja de herramientas abierta.",
                "Con {partner}, probaremos el enfoque en {k} sitios piloto antes de ampliarlo.",
                "Un comité directivo de múltiples partes interesadas se reúne cada trimestre.",
            ],
            [
                "Para {year}, esperamos que el {pct} % de las instituciones aplique las guías.",
                "Los resultados alimentarán las estrategias nacionales y los debates sobre normas.",
                "Una evaluación independiente medirá los resultados con indicadores acordados.",
            ],
            [
                "Invitamos a nuevas organizaciones que compartan estos objetivos a sumarse.",
                "Cada seis meses publicamos un informe de avance en el sitio web del proyecto.",
            ],
        ],
        "objectives": [
            "Capacitar a {n} funcionarios en evaluación de riesgos de IA",
            "Publicar guías abiertas",
            "Crear una comunidad de práctica regional",
            "Evaluar de forma independiente {k} despliegues piloto",
        ],
        "resources": [
            "USD {amount} en subvenciones durante {months} meses",
            "{k} personas a tiempo completo",
            "{n}{sep}000 horas de cómputo GPU",
            "Datos anonimizados (acuerdo de intercambio)",
            "Revisión jurídica y ética por universidades",
        ],
        "steps": [
            "Lanzamiento y diagnóstico",
            "Codiseño con socios locales",
            "Formación de formadores",
            "Despliegue piloto",
            "Evaluación independiente",
            "Informe final y traspaso",
        ],
        "people": "Lucía González, Javier Pérez, María Rodríguez, Andrés Muñoz, "
        "Camila Fernández, Joaquín Ramírez, Sofía Castillo, Martín Núñez",
        "sep": ".",
    },
}
LANG_WEIGHTS = {"en": 45, "fr": 30, "es": 25}
# Partners and members: organisations only, not individuals.
ALL_ORGS = [
    org.split("|")[0]
    for lang in LANGS.values()
    for org in lang["orgs"]
    if "|individual|" not in org
]
STATUS_WEIGHTS = {
    Status.APPROVED: 55,
    Status.SUBMITTED: 15,
    Status.DRAFT: 12,
    Status.CHANGES_REQUESTED: 7,
    Status.REJECTED: 5,
    Status.WITHDRAWN: 6,
}
MESSAGES = {
    Status.CHANGES_REQUESTED: [
        "Please name the partners and what each contributes.",
        "Please add a website or a contact e-mail to publish.",
    ],
    Status.REJECTED: [
        "This describes a commercial product, not an open initiative.",
        "Out of scope: the submission is not about AI governance.",
    ],
}
OWNERS = ["Amina Okafor", "Hélène Lefèvre", "Lucía Fernández", "Rahul Patel", "Karim Benali"]


def _ascii(text: str) -> str:
    """Lower-case ASCII letters and digits only (for e-mail and host names)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "", plain)


def _fmt(rng: random.Random, template: str, base: dict[str, str], sep: str) -> str:
    """Fill a template; numbers are drawn per sentence so texts from one pool differ."""
    amount = f"{rng.randint(5, 250) * 10_000:,}".replace(",", sep)
    return template.format(
        **base,
        n=rng.randint(3, 60),
        k=rng.randint(2, 12),
        sep=sep,
        pct=rng.choice([40, 50, 60, 75, 80]),
        amount=amount,
        year=rng.randint(2027, 2030),
        months=rng.choice([12, 18, 24, 36]),
    )


def _description(
    rng: random.Random, lang: dict[str, Any], base: dict[str, str], words: int | None
) -> str:
    """Paragraphs of context, activities, impact, closing; with `words`, about that many."""
    pools, total, size = lang["paragraphs"], 0, 0
    paragraphs: list[str] = []
    while len(paragraphs) < len(pools) if words is None else total < words:
        sentences, pool = [], pools[len(paragraphs) % len(pools)]
        for template in rng.sample(pool, rng.randint(1, len(pool))):
            sentence = _fmt(rng, template, base, lang["sep"])
            # Stop below the column's limit: longer content could never be stored.
            if (words is not None and total >= words) or (
                size + len(sentence) + 2 > LIMITS["description"]
            ):
                break
            sentences.append(sentence)
            total, size = total + len(sentence.split()), size + len(sentence) + 2
        if not sentences:
            break
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs)


def _content(rng: random.Random, kind: str | None, words: int | None, code: str) -> dict:
    """Content in language `code`; kind None fills every kind's own field."""
    lang, sep = LANGS[code], LANGS[code]["sep"]
    name, group, country, region, place = rng.choice(lang["orgs"]).split("|")
    topic, themes, sdgs = rng.choice(lang["topics"])
    partners = rng.sample([o for o in ALL_ORGS if o != name], rng.randint(1, 4))
    base = {"org": name, "partner": partners[0], "topic": topic, "place": place}
    title_kind = kind or rng.choice(list(KINDS))
    title = _fmt(
        rng, rng.choice(lang["titles"][title_kind]) + rng.choice(lang["suffixes"]), base, sep
    )
    extra = rng.sample([c for c in countries() if c != GLOBAL], rng.choice([0, 0, 1, 2, 3]))
    person = rng.choice(lang["people"].split(", "))
    host = _ascii("".join(w[0] for w in name.split() if len(w) > 2)) or "demo"
    start: date | None = date.today() + timedelta(days=rng.randint(-540, 240))
    if kind not in (None, "concrete_action") and rng.random() < 0.1:
        start = None  # some projects have no fixed start; a concrete action needs one
    end = start + timedelta(days=rng.randint(120, 1460)) if start and rng.random() < 0.8 else None
    day, timeline = start or date.today(), []
    for step in sorted(rng.sample(range(len(lang["steps"])), rng.randint(3, 6))):
        timeline.append(f"{day:%Y-%m}: {lang['steps'][step]}")
        day += timedelta(days=rng.randint(45, 150))
    data: dict[str, Any] = {
        "title": (title[:1].upper() + title[1:])[: LIMITS["title"]],
        "summary": " ".join(_fmt(rng, s, base, sep) for s in rng.sample(lang["summaries"], 2))[
            : LIMITS["summary"]
        ],
        "description": _description(rng, lang, base, words),
        "lead_organisation": name,
        "stakeholder_group": group,
        "countries": [GLOBAL] if country == GLOBAL else [country, *extra],
        "regions": sorted({region, *rng.sample(list(REGIONS), rng.choice([0, 0, 1]))}),
        "themes": sorted({*themes, *rng.sample(list(THEMES), rng.choice([0, 1, 1]))}),
        "sdgs": sorted(
            {
                *sdgs,
                *rng.sample(range(1, 18), rng.choice([0, 1])),
                *([17] if title_kind in ("coalition", "partnership") else []),
            }
        ),
        "partners": "\n".join(partners),
        "website": f"https://www.{host}.example.org/" if rng.random() < 0.8 else "",
        "start_date": start,
        "end_date": end,
        "language": code,
        "contact_name": person,
        "contact_email": ".".join(_ascii(p) for p in person.split()) + f"@{host}.example.org",
        "objectives": "\n".join(
            "- " + _fmt(rng, o, base, sep)
            for o in rng.sample(lang["objectives"], rng.randint(2, 4))
        ),
        "member_organisations": "\n".join(
            [name, *rng.sample(sorted(set(partners + ALL_ORGS[::3]) - {name}), rng.randint(2, 6))]
        ),
        "resources": "\n".join(
            "- " + _fmt(rng, r, base, sep) for r in rng.sample(lang["resources"], rng.randint(2, 3))
        ),
        "timeline": "\n".join(timeline),
    }
    # Another kind's own field stays empty, as the forms leave it.
    for other, fields in KIND_FIELDS.items():
        if kind not in (None, other):
            data.update(dict.fromkeys(fields, ""))
    return {key: data[key] for key in CONTENT_FIELDS}


def demo_content(
    rng: random.Random, kind: str | None = None, words: int | None = None
) -> dict[str, Any]:
    """A realistic content dict (CONTENT_FIELDS keys, dates as date) in a random language."""
    code = rng.choices(list(LANG_WEIGHTS), weights=list(LANG_WEIGHTS.values()))[0]
    return _content(rng, kind, words, code)


def _account(email: str, name: str, role: Role) -> User:
    """The demo account with this e-mail; created with a random, never-told password."""
    return find_user(email) or create_user(
        email, secrets.token_urlsafe(32), name, "Demo organisation", role
    )


def seed_demo(count: int, seed: int) -> int:
    """Add `count` demo submissions (same texts for the same seed); flush, the caller commits."""
    rng = random.Random(seed)
    owners = [
        _account(f"demo{i}@example.org", name, Role.SUBMITTER) for i, name in enumerate(OWNERS, 1)
    ]
    # Decided states need a deciding moderator (a check constraint), so one demo moderator.
    moderator = _account("demo-moderator@example.org", "Demo Moderator", Role.MODERATOR)
    now, kinds, langs = clock().now(), list(KINDS), list(LANG_WEIGHTS)
    for i in range(count):
        # The first items cover every kind and language, so even a small demo shows them all.
        kind = kinds[i] if i < len(kinds) else rng.choice(kinds)
        code = langs[i] if i < len(langs) else rng.choices(langs, list(LANG_WEIGHTS.values()))[0]
        content = _content(rng, kind, None, code)
        status = rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
        created = now - timedelta(seconds=rng.uniform(3600, 90 * 86400))
        # Built directly, not via create_submission: the demo must work after the cutoff too.
        row = Submission(
            owner=rng.choice(owners),
            kind=kind,
            slug=new_slug(content["title"]),
            status=status,
            created_at=created,
            **content,
        )
        submitted, decided = sorted(created + (now - created) * rng.random() for _ in range(2))
        # A withdrawn item may have been withdrawn as a draft, never submitted.
        if status is not Status.DRAFT and (status is not Status.WITHDRAWN or rng.random() < 0.6):
            row.submitted_at = submitted
        row.updated_at = submitted
        if status in (Status.APPROVED, Status.REJECTED, Status.CHANGES_REQUESTED):
            row.decided_by, row.decided_at, row.updated_at = moderator, decided, decided
            row.decision_message = rng.choice(MESSAGES.get(status, [""]))
            row.published_at = decided if status is Status.APPROVED else None
        elif status is Status.WITHDRAWN:
            row.updated_at = decided
        db.session.add(row)
        if i % 500 == 499:
            db.session.flush()  # keeps the session small for large counts
    db.session.flush()
    logger.info("Seeded %d demo submissions (seed %d)", count, seed)
    return count
