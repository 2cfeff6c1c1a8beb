"""Synthetic but search-worthy submissions for benchmarks: English and French prose.

Each text is built from sentence templates over a vocabulary of a few hundred AI-governance
and everyday words (with their plurals and verb forms, so stemming matters), about 5,000
place names and 7,000 language names (from pycountry). Words are drawn with a Zipf law and
each submission dwells on a handful of focus words, as real texts do: common words match
thousands of submissions, rare ones a few, and ranking has something to rank.

The same (seed, number) always gives the same submission, so runs are comparable.
"""

from __future__ import annotations

import itertools
import random
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import pycountry

from hub.vocab import GLOBAL, KINDS, STAKEHOLDER_GROUPS, THEMES, countries, regions_for


def _words(text: str) -> list[str]:
    """The blank-separated words of a word list."""
    return text.split()


# -- English -------------------------------------------------------------------------------

EN_NOUNS = _words("""model dataset algorithm system standard policy regulation framework guideline
audit assessment risk safeguard right capacity skill
course workshop curriculum teacher student school university hospital clinic patient doctor
nurse farmer crop harvest water energy grid emission forecast flood drought satellite map city
village community citizen woman girl worker job economy market company startup investor grant
budget ministry government parliament court judge law election journalist newsroom platform
language translation speech voice text image camera sensor network
infrastructure cloud server chip library archive museum vehicle road port
contract licence tool toolkit repository benchmark evaluation indicator metric
survey census statistic registry identity payment bank loan insurance pension refugee migrant
disaster emergency pandemic vaccine diagnosis record bias
disability regulator observatory laboratory researcher engineer developer official lawyer
volunteer mentor partner donor coalition alliance initiative partnership programme project
pilot deployment dialogue consultation roadmap strategy charter principle treaty convention
certification label report toolkit fellowship scholarship competition hackathon chatbot robot
drone classifier dashboard portal interface application device microscope forest river ocean
coast island desert soil seed livestock fishery mine factory supply workshop""")
EN_IRREGULAR_PLURALS = {
    "woman": "women",
    "child": "children",
    "person": "people",
    "diagnosis": "diagnoses",
}
EN_MASS_NOUNS = _words("""data privacy safety ethics governance health education agriculture
research innovation equity trust literacy funding compute software hardware misinformation
connectivity accessibility climate energy transparency accountability oversight
disinformation broadband heritage transport procurement consent inclusion
discrimination""")
EN_ADJECTIVES = _words("""open public private local national regional global rural urban digital
responsible trustworthy ethical inclusive transparent accountable safe secure sustainable
affordable accessible multilingual indigenous small large new innovative practical
independent joint shared common annual technical legal scientific medical agricultural
environmental financial educational social economic cultural democratic human automated
generative predictive biometric coastal remote young elderly vulnerable reliable robust
explainable interoperable free federated synthetic participatory neglected frontier
low-resource evidence-based cross-border gender-sensitive community-led open-source
climate-smart""")
EN_VERBS = _words("""build train deploy assess audit monitor evaluate publish share design develop
test pilot scale map measure protect support strengthen fund translate connect empower
reduce improve detect predict prevent document review certify regulate coordinate convene
mentor teach learn collect label annotate host open release adapt localise digitise
prioritise involve engage consult report benchmark govern finance maintain expand integrate
standardise verify inform equip safeguard""")
EN_IRREGULAR_VERBS = {"build": "built", "teach": "taught", "learn": "learnt"}
EN_DOUBLE = {"map", "equip"}  # final consonant doubled before -ing/-ed

EN_SENTENCES = [
    "Demand for {A} {N} has grown faster than the capacity of {Ns} to provide it.",
    "Many {Ns} in {PLACE} already use {A} {Ns} without clear {M} or {M}.",
    "A consultation with {NUM} {Ns} showed a strong need to {V} {A} {Ns}.",
    "{ORG} will {V} {A} {Ns} and {V} an open {N} for {Ns}.",
    "Together with {ORG}, we will {V} the approach in {NUM} {Ns} across {PLACE}.",
    "A {A} steering group of {Ns} and {Ns} meets every quarter to {V} progress.",
    "By {YEAR}, we expect {PCT}% of participating {Ns} to {V} the {N}.",
    "Results will feed into {A} {Ns} and into {A} {M} debates.",
    "Independent {Ns} will {V} the {Ns} against agreed {Ns}.",
    "We welcome new {Ns}, especially {Ns} working on {M} in {PLACE}.",
    "The project {Vs} {Ns} who {V} {A} {Ns} every day.",
    "Our {N} {Vs} {A} {Ns} in {LANG} and other {A} languages.",
    "{PLACE} has few {Ns} that {V} {M}, so {Ns} rarely benefit from {A} {Ns}.",
    "After {Ving} {NUM} {Ns}, the team {Ved} a {A} {N} for {Ns}.",
    "We have already {Ved} {NUM} {Ns} and {Ved} the first {N} with {ORG}.",
    "{Ving} {A} {Ns} is hard when {Ns} lack {M} and {M}.",
    "The {N} explains how {Ns} can {V} {Ns} while respecting {M}.",
    "Each {N} is {Ved} by {Ns} from {PLACE} and reviewed by {A} {Ns}.",
    "Lessons from {Ving} {Ns} in {PLACE} show that {M} depends on {A} {Ns}.",
    "The {A} {N} gives {Ns} a way to {V} {Ns} and to {V} {Ns}.",
    "Funding of {NUM} thousand dollars over {MONTHS} months covers {Ns}, {Ns} and {M}.",
    "Speakers of {LANG} are among the {Ns} most exposed to {A} {Ns}.",
    "We {V} {Ns} with {ORG} so that {M} reaches {A} {Ns}.",
    "The {N} will be {Ved} in {YEAR} and {Ved} again two years later.",
    "Without {A} {M}, {Ns} cannot {V} the {Ns} they rely on.",
    "{NUM} {Ns} from {PLACE} joined the {N} in its first year.",
]
EN_TITLES = [
    "{A} {Ns} for {Ns}",
    "{Ving} {A} {Ns} in {PLACE}",
    "{N} and {M}: a {A} {KIND}",
    "{A} {N} {KIND} for {PLACE}",
    "{Ving} {Ns} with {A} {M}",
    "The {PLACE} {N} {KIND}",
    "{A} {M} for {A} {Ns}",
    "{KIND} on {A} {Ns} and {M}",
]
EN_SUMMARIES = [
    "{ORG} leads this work on {A} {Ns} in {PLACE}, together with {ORG}.",
    "A {MONTHS}-month {KIND} that helps {Ns} {V} {A} {Ns} and {M}.",
    "We aim to reach {NUM} {Ns} with {A} {Ns}, {Ns} and training on {M}.",
    "It brings {Ns}, {Ns} and {Ns} together to {V} {A} {Ns}.",
]
EN_ORG_KINDS = [
    "Institute",
    "Centre",
    "Foundation",
    "Network",
    "Alliance",
    "Lab",
    "Council",
    "Agency",
    "Observatory",
    "Initiative",
    "University",
    "Association",
]
EN_KINDS = {
    "initiative": "initiative",
    "coalition": "coalition",
    "partnership": "partnership",
    "concrete_action": "pilot",
}

# -- French --------------------------------------------------------------------------------

# noun:gender[:plural]  (plural defaults to noun + s)
FR_NOUNS = _words("""modèle:m algorithme:m système:m norme:f politique:f règlement:m cadre:m
audit:m évaluation:f risque:m sécurité:f droit:m transparence:f responsabilité:f
gouvernance:f capacité:f compétence:f formation:f atelier:m programme:m enseignant:m
élève:m école:f université:f hôpital:m:hôpitaux clinique:f patient:m médecin:m
infirmière:f agriculteur:m récolte:f eau:f:eaux énergie:f réseau:m:réseaux émission:f
climat:m inondation:f sécheresse:f prévision:f satellite:m carte:f ville:f village:m
communauté:f citoyen:m femme:f fille:f jeune:m travailleur:m emploi:m économie:f marché:m
entreprise:f investisseur:m subvention:f budget:m ministère:m gouvernement:m parlement:m
tribunal:m:tribunaux juge:m loi:f élection:f journaliste:m rédaction:f plateforme:f
contenu:m désinformation:f langue:f traduction:f parole:f texte:m image:f caméra:f
capteur:m connectivité:f infrastructure:f serveur:m puce:f bibliothèque:f archive:f
musée:m patrimoine:m transport:m véhicule:m route:f port:m logiciel:m outil:m dépôt:m
indicateur:m enquête:f recensement:m statistique:f registre:m identité:f paiement:m
banque:f prêt:m assurance:f réfugié:m migrant:m catastrophe:f urgence:f pandémie:f
vaccin:m diagnostic:m imagerie:f dossier:m consentement:m discrimination:f équité:f
inclusion:f accessibilité:f handicap:m santé:f éducation:f agriculture:f développement:m
innovation:f recherche:f chercheur:m chercheuse:f association:f collectivité:f
territoire:m région:f partenaire:m projet:m action:f initiative:f coalition:f
partenariat:m donnée:f observatoire:m laboratoire:m ingénieur:m développeuse:f
bénévole:m feuille:f charte:f principe:m traité:m label:m rapport:m concours:m:concours
robot:m drone:m tableau:m:tableaux portail:m interface:f application:f appareil:m:appareils
forêt:f rivière:f océan:m côte:f île:f désert:m sol:m semence:f élevage:m pêche:f usine:f
filière:f""")
# adjective[:feminine]  (feminine defaults to adjective + e, or itself when it ends in e)
FR_ADJECTIVES = _words("""ouvert public:publique privé local national régional mondial rural
urbain numérique responsable fiable éthique inclusif:inclusive transparent sûr durable
accessible multilingue autochtone petit grand nouveau:nouvelle innovant pratique
indépendant commun annuel:annuelle technique juridique scientifique médical agricole
environnemental financier:financière social économique culturel:culturelle démocratique
humain automatisé génératif:générative prédictif:prédictive côtier:côtière jeune vulnérable
robuste explicable libre partagé participatif:participative francophone africain européen
sahélien:sahélienne insulaire frugal souverain solidaire""")
# Regular -er verbs (plus -ir verbs of the second group, and a few irregular ones below).
FR_VERBS = _words("""former évaluer déployer développer tester publier partager mesurer renforcer
financer connecter améliorer détecter documenter certifier réguler coordonner accompagner
enseigner collecter annoter héberger adapter numériser impliquer consulter encadrer
gouverner normaliser vérifier informer sensibiliser cartographier mutualiser piloter lancer
animer diffuser valoriser outiller protéger réunir établir fournir agir""")
# infinitive: (3rd singular, 3rd plural, 1st plural, past participle)
FR_IRREGULAR_VERBS = {
    "soutenir": ("soutient", "soutiennent", "soutenons", "soutenu"),
    "construire": ("construit", "construisent", "construisons", "construit"),
    "traduire": ("traduit", "traduisent", "traduisons", "traduit"),
    "réduire": ("réduit", "réduisent", "réduisons", "réduit"),
    "prévenir": ("prévient", "préviennent", "prévenons", "prévenu"),
    "apprendre": ("apprend", "apprennent", "apprenons", "appris"),
    "maintenir": ("maintient", "maintiennent", "maintenons", "maintenu"),
    "promouvoir": ("promeut", "promeuvent", "promouvons", "promu"),
}

FR_SENTENCES = [
    "La demande d'accompagnement sur {leN} progresse plus vite que {leN}.",
    "De nombreux acteurs {PLACE_FR} utilisent {desNsA} sans cadre clair pour {M}.",
    "Une consultation de {NUM} {Ns} a révélé un fort besoin de {Vinf} {desNsA}.",
    "{ORG} va {Vinf} {desNsA} et {Vinf} {unNA}.",
    "Avec {ORG}, nous {V1p} la démarche sur {NUM} sites {PLACE_FR}.",
    "Un comité de pilotage réunit {desNs} et {desNs} chaque trimestre.",
    "D'ici {YEAR}, {PCT} % des {Ns} participants devraient {Vinf} {leN}.",
    "Les résultats alimenteront {desNsA} et les débats sur {leN}.",
    "{UleN} {V3} {desNsA} au service de {leN}.",
    "Nous accueillons volontiers {desNsA} qui partagent ces objectifs.",
    "Le projet {V3} {desNs} qui {V3p} {desNsA} au quotidien.",
    "Notre {Nm} {V3} {desNsA} en {LANG} et dans d'autres langues.",
    "{UPLACE} compte peu de {Ns} capables de {Vinf} {leN}.",
    "Après avoir {Vpp} {NUM} {Ns}, l'équipe a {Vpp} {unNA}.",
    "Nous avons déjà {Vpp} {NUM} {Ns} avec {ORG}.",
    "Il est difficile de {Vinf} {desNsA} lorsque {leN} fait défaut.",
    "{UleN} explique comment {desNs} peuvent {Vinf} {desNsA}.",
    "Chaque {Nm} est {Vpp} par {desNs} {PLACE_FR} puis relu par {desNsA}.",
    "L'expérience {PLACE_FR} montre que {leN} dépend {duN}.",
    "{UunNA} permet aux {Ns} de {Vinf} {desNs} et de {Vinf} {leN}.",
    "Un financement de {NUM} mille euros sur {MONTHS} mois couvre {desNs} et {leN}.",
    "Les locuteurs du {LANG} font partie des {Ns} les plus exposés aux {Ns} {Aplm}.",
    "Nous {V1p} {desNs} avec {ORG} afin que {leN} profite aux {Ns} {Aplm}.",
    "Sans {leN}, {desNs} ne peuvent pas {Vinf} {desNsA}.",
    "{NUM} {Ns} {PLACE_FR} ont rejoint le projet dès la première année.",
]
FR_TITLES = [
    "{KIND} pour {leN} {PLACE_FR}",
    "{UdesNsA} pour {leN}",
    "{KIND} : {leN} et {leN}",
    "{UleNA} au service {duN}",
    "{KIND} sur {desNsA}",
    "{UNsA} et {leN} {PLACE_FR}",
]
FR_SUMMARIES = [
    "{ORG} pilote ce projet sur {leN} {PLACE_FR}, avec l'appui de {ORG}.",
    "Un programme de {MONTHS} mois qui aide {desNs} à {Vinf} {desNsA}.",
    "Nous visons {NUM} {Ns}, avec {desNsA} et des formations sur {leN}.",
    "{UleN} réunit {desNs}, {desNs} et {desNs} pour {Vinf} {desNsA}.",
]
FR_ORG_KINDS = [
    "Institut",
    "Centre",
    "Fondation",
    "Réseau",
    "Alliance",
    "Laboratoire",
    "Conseil",
    "Agence",
    "Observatoire",
    "Association",
    "Université",
    "Collectif",
]
FR_KINDS = {
    "initiative": "Initiative",
    "coalition": "Coalition",
    "partnership": "Partenariat",
    "concrete_action": "Projet pilote",
}

SLOT = re.compile(r"\{(\w+)\}")
AN = re.compile(r"\b([Aa]) ([aeiouAEIOU])")
NUMBERS = {
    "NUM": [3, 5, 8, 12, 20, 25, 40, 60, 120, 300],
    "YEAR": list(range(2027, 2032)),
    "PCT": [30, 40, 50, 60, 75, 80, 90],
    "MONTHS": [12, 18, 24, 30, 36],
}


# -- word forms ----------------------------------------------------------------------------


def en_plural(noun: str) -> str:
    """English plural of a noun."""
    if noun in EN_IRREGULAR_PLURALS:
        return EN_IRREGULAR_PLURALS[noun]
    if noun.endswith(("s", "sh", "ch", "x", "z")):
        return noun + "es"
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def en_verb(verb: str) -> tuple[str, str, str, str]:
    """(base, 3rd singular, -ing, past participle) of an English verb."""
    if verb.endswith(("s", "sh", "ch", "x", "z")):
        third = verb + "es"
    elif verb.endswith("y") and verb[-2] not in "aeiou":
        third = verb[:-1] + "ies"
    else:
        third = verb + "s"
    stem = verb + verb[-1] if verb in EN_DOUBLE else verb
    if verb.endswith("e") and not verb.endswith("ee"):
        ing, past = verb[:-1] + "ing", verb + "d"
    elif verb.endswith("y") and verb[-2] not in "aeiou":
        ing, past = verb + "ing", verb[:-1] + "ied"
    else:
        ing, past = stem + "ing", stem + "ed"
    return verb, third, ing, EN_IRREGULAR_VERBS.get(verb, past)


def fr_verb(verb: str) -> tuple[str, str, str, str, str]:
    """(infinitive, 3rd singular, 3rd plural, 1st plural, past participle) in French."""
    if verb in FR_IRREGULAR_VERBS:
        return (verb, *FR_IRREGULAR_VERBS[verb])
    stem = verb[:-2]
    if verb.endswith("ir"):  # second group: finir, finit, finissent, finissons, fini
        return verb, stem + "it", stem + "issent", stem + "issons", stem + "i"
    single = stem[:-1] + "ie" if stem.endswith(("oy", "uy")) else stem + "e"
    if stem.endswith("ég"):  # protéger: protège
        single = stem[:-2] + "èg" + "e"
    plural = single + "nt"
    first = stem + ("e" if stem.endswith("g") else "") + "ons"
    first = first[:-4] + "çons" if stem.endswith("c") else first
    return verb, single, plural, first, stem + "é"


def fr_plural(word: str) -> str:
    """French plural of a noun or adjective (regular forms)."""
    if word.endswith(("s", "x", "z")):
        return word
    if word.endswith("al"):
        return word[:-2] + "aux"
    if word.endswith(("eau", "au")):
        return word + "x"
    return word + "s"


def fr_adjective(spec: str) -> tuple[str, str, str, str]:
    """(masculine, feminine, masculine plural, feminine plural)."""
    masc, _, fem = spec.partition(":")
    if not fem:
        fem = masc if masc.endswith("e") else masc + "e"
    masc_plural = "nouveaux" if masc == "nouveau" else fr_plural(masc)
    return masc, fem, masc_plural, fem + "s"


# -- sampling ------------------------------------------------------------------------------


class Zipf:
    """Draw items with probability proportional to 1 / rank**s (rank: list order, or a
    seeded shuffle of it)."""

    def __init__(self, items: Sequence[Any], seed: int | None = None, s: float = 0.8) -> None:
        self.items = list(items)
        if seed is not None:  # word lists are written roughly by importance: keep that order
            random.Random(seed).shuffle(self.items)
        self.cum = list(
            itertools.accumulate(1 / (rank**s) for rank in range(1, len(self.items) + 1))
        )

    def draw(self, rng: random.Random) -> Any:
        """One item."""
        return rng.choices(self.items, cum_weights=self.cum)[0]

    def draw_many(self, rng: random.Random, k: int) -> list[Any]:
        """`k` items (with repeats)."""
        return rng.choices(self.items, cum_weights=self.cum, k=k)


@dataclass(frozen=True)
class FrNoun:
    """A French noun with its gender and plural."""

    word: str
    feminine: bool
    plural: str

    def article(self) -> str:
        """'le ', 'la ' or "l'" before the noun."""
        if self.word[0] in "aeiouyéèêâîôûh":
            return "l'"
        return "la " if self.feminine else "le "


@cache
def vocabularies() -> dict[str, Any]:
    """The pools of both languages (built once per process)."""
    fr_nouns = []
    for spec in FR_NOUNS:
        word, gender, *plural = spec.split(":")
        fr_nouns.append(FrNoun(word, gender == "f", plural[0] if plural else fr_plural(word)))
    places = sorted(
        {
            s.name
            for s in pycountry.subdivisions
            if re.fullmatch(r"[^\W\d_]+(?:[ '\-][^\W\d_]+)*", s.name)
        }
    )
    languages = sorted(
        {
            lang.name
            for lang in pycountry.languages
            if getattr(lang, "type", "") == "L" and "(" not in lang.name
        }
    )
    return {
        "en_nouns": Zipf(list(dict.fromkeys(EN_NOUNS))),
        "en_mass": Zipf(EN_MASS_NOUNS),
        "en_adj": Zipf(EN_ADJECTIVES),
        "en_verbs": Zipf([en_verb(v) for v in EN_VERBS]),
        "fr_nouns": Zipf(fr_nouns),
        "fr_adj": Zipf([fr_adjective(a) for a in FR_ADJECTIVES]),
        "fr_verbs": Zipf([fr_verb(v) for v in [*FR_VERBS, *FR_IRREGULAR_VERBS]]),
        "places": Zipf(places, 8),
        "languages": Zipf(languages, 9),
    }


class Writer:
    """Fills templates for one submission: a language, focus words, organisations, places."""

    def __init__(self, rng: random.Random, lang: str, kind: str) -> None:
        self.rng, self.lang, self.kind = rng, lang, kind
        v = vocabularies()
        self.v = v
        prefix = "en" if lang == "en" else "fr"
        # The words this submission is about: drawn often, so they rank it.
        self.focus_nouns = v[f"{prefix}_nouns"].draw_many(rng, rng.randint(3, 6))
        self.focus_adj = v[f"{prefix}_adj"].draw_many(rng, 2)
        self.home = v["places"].draw(rng)
        self.language = v["languages"].draw(rng)
        self.orgs = [self.organisation() for _ in range(rng.randint(2, 5))]

    def noun(self) -> Any:
        pool = self.v["en_nouns" if self.lang == "en" else "fr_nouns"]
        return self.rng.choice(self.focus_nouns) if self.rng.random() < 0.3 else pool.draw(self.rng)

    def adjective(self) -> Any:
        pool = self.v["en_adj" if self.lang == "en" else "fr_adj"]
        return self.rng.choice(self.focus_adj) if self.rng.random() < 0.25 else pool.draw(self.rng)

    def place(self) -> str:
        return self.home if self.rng.random() < 0.6 else self.v["places"].draw(self.rng)

    def organisation(self) -> str:
        """A plausible organisation name in the submission's language."""
        rng = self.rng
        if self.lang == "en":
            kind = rng.choice(EN_ORG_KINDS)
            noun = en_plural(self.v["en_nouns"].draw(rng)).capitalize()
            adj = self.v["en_adj"].draw(rng).capitalize()
            place = self.v["places"].draw(rng) if rng.random() < 0.5 else self.home
            return rng.choice(
                [f"{place} {kind} for {adj} {noun}", f"{adj} {noun} {kind}", f"{kind} of {place}"]
            )
        kind = rng.choice(FR_ORG_KINDS)
        noun = self.v["fr_nouns"].draw(rng)
        adj = self.v["fr_adj"].draw(rng)
        place = self.v["places"].draw(rng) if rng.random() < 0.5 else self.home
        qualified = f"{noun.plural} {adj[3] if noun.feminine else adj[2]}"
        return rng.choice(
            [
                f"{kind} des {qualified}",
                f"{kind} {_de(place)}",
                f"{kind} {_de(place)} pour les {qualified}",
            ]
        )

    def fill(self, template: str) -> str:
        """The template with every slot filled."""
        text = SLOT.sub(lambda m: self.slot(m.group(1)), template)
        if self.lang == "en":
            text = AN.sub(r"\1n \2", text)
        return text[0].upper() + text[1:]

    def slot(self, name: str) -> str:
        """One filled slot: a number, an organisation, a place or a word form."""
        rng = self.rng
        if name in NUMBERS:
            return str(rng.choice(NUMBERS[name]))
        if name == "ORG":
            return rng.choice(self.orgs)
        if name == "LANG":
            return self.language
        if name == "PLACE":
            return self.place()
        return self._en(name) if self.lang == "en" else self._fr(name)

    def _en(self, name: str) -> str:
        rng = self.rng
        if name == "N":
            return self.noun()
        if name == "Ns":
            return en_plural(self.noun())
        if name == "M":
            return self.v["en_mass"].draw(rng)
        if name == "A":
            return self.adjective()
        if name == "KIND":
            return EN_KINDS[self.kind]
        verb = self.v["en_verbs"].draw(rng)
        return {"V": verb[0], "Vs": verb[1], "Ving": verb[2], "Ved": verb[3]}[name]

    def _fr(self, name: str) -> str:
        rng = self.rng
        upper = name.startswith("U")
        name = name.removeprefix("U")
        if name == "KIND":
            out = FR_KINDS[self.kind]
        elif name == "PLACE_FR":
            out = _de(self.place())
        elif name == "M":
            n = self.noun()
            out = n.article() + n.word
        elif name.startswith("V"):
            verb = self.v["fr_verbs"].draw(rng)
            out = {"Vinf": verb[0], "V3": verb[1], "V3p": verb[2], "V1p": verb[3], "Vpp": verb[4]}[
                name
            ]
        elif name == "Aplm":
            out = self.adjective()[2]
        else:
            out = self._fr_noun_phrase(name)
        return out[0].upper() + out[1:] if upper else out

    def _fr_noun_phrase(self, name: str) -> str:
        n = self.noun()
        adj = self.adjective()
        plural = "Ns" in name
        form = (adj[3] if n.feminine else adj[2]) if plural else (adj[1] if n.feminine else adj[0])
        word = n.plural if plural else n.word
        with_adj = f"{word} {form}" if name.endswith("A") else word
        if name.startswith("des"):
            return "des " + with_adj
        if name.startswith("le"):
            return n.article() + with_adj
        if name.startswith("un"):
            return ("une " if n.feminine else "un ") + with_adj
        if name.startswith("du"):
            article = n.article()
            return ("du " if article == "le " else "de " + article) + with_adj
        return with_adj  # N, Nm, Ns, NsA

    def paragraphs(self, sentences: list[str], words: int) -> str:
        """Paragraphs of 3-6 sentences until about `words` words."""
        out, paragraph, total = [], [], 0
        while total < words:
            sentence = self.fill(self.rng.choice(sentences))
            paragraph.append(sentence)
            total += len(sentence.split())
            if len(paragraph) >= self.rng.randint(3, 6):
                out.append(" ".join(paragraph))
                paragraph = []
        if paragraph:
            out.append(" ".join(paragraph))
        return "\n\n".join(out)


def _de(place: str) -> str:
    """'à Dakar' style place phrase (the preposition kept simple: 'de'/'d'')."""
    return ("d'" if place[0].lower() in "aeiouyéh" else "de ") + place


def ascii_slug(text: str) -> str:
    """Lower-case ASCII words joined by '-' (at most 60 characters)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60].rstrip("-")


def submission(seed: int, number: int, words: int = 350) -> dict[str, Any]:
    """The content and facets of synthetic submission `number` (about `words` words of
    title, summary, organisations and description together); no status or dates."""
    rng = random.Random(seed * 1_000_003 + number)
    lang = "en" if rng.random() < 0.6 else "fr"
    kind = rng.choice(list(KINDS))
    w = Writer(rng, lang, kind)
    english = lang == "en"
    title = w.fill(rng.choice(EN_TITLES if english else FR_TITLES))[:200]
    summary = " ".join(w.fill(t) for t in rng.sample(EN_SUMMARIES if english else FR_SUMMARIES, 2))[
        :600
    ]
    lead, *partners = w.orgs
    used = sum(len(part.split()) for part in (title, summary, *w.orgs))
    description = w.paragraphs(EN_SENTENCES if english else FR_SENTENCES, words - used)
    country_codes = [c for c in countries() if c != GLOBAL]
    chosen = (
        [GLOBAL]
        if rng.random() < 0.1
        else sorted(set(rng.sample(country_codes, rng.randint(1, 3))))
    )
    return {
        "kind": kind,
        "language": lang,
        "title": title,
        "summary": summary,
        "description": description,
        "lead_organisation": lead[:200],
        "partners": "\n".join(partners),
        "stakeholder_group": rng.choice(list(STAKEHOLDER_GROUPS)),
        "countries": chosen,
        "regions": regions_for(chosen),  # as the hub derives them
        "themes": sorted(set(rng.sample(list(THEMES), rng.randint(1, 3)))),
        "sdgs": sorted(set(rng.sample(range(1, 18), rng.randint(1, 3)))),
        "slug_base": ascii_slug(title) or "submission",
    }


def queries(seed: int, generated: int = 30) -> list[str]:
    """Search queries people would type: a fixed set covering the query features (phrases,
    accents and their absence, plurals and verb forms, prefixes, a typo, French and English),
    plus `generated` two-word queries drawn from the same Zipf vocabulary as the texts."""
    fixed = [
        "health",
        "climate",
        "data privacy",
        "open source",
        '"capacity building"',
        "teachers training",
        "disinformation elections",
        "risk assessment",
        "biometric identity",
        "flood forecasts",
        "trustworthy chatbots",
        "audited models",
        "santé",
        "données ouvertes",
        "donnees",
        "écoles",
        "gouvernance numérique",
        "formation des enseignants",
        "agriculture durable",
        "éthique",
        "gouvern*",
        "helth",
        "low-resource languages",
        "community-led mapping",
    ]
    v = vocabularies()
    rng = random.Random(seed)
    out = list(fixed)
    makers: list[Callable[[], str]] = [
        lambda: f"{v['en_adj'].draw(rng)} {en_plural(v['en_nouns'].draw(rng))}",
        lambda: f"{v['en_nouns'].draw(rng)} {v['en_nouns'].draw(rng)}",
        lambda: f"{v['fr_nouns'].draw(rng).word} {v['fr_adj'].draw(rng)[0]}",
        lambda: v["places"].draw(rng),
    ]
    while len(out) < len(fixed) + generated:
        candidate = rng.choice(makers)()
        if candidate not in out:
            out.append(candidate)
    return out
