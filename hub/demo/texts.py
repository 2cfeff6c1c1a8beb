"""The demo's word pools: organisations, topics and sentences per language."""

from __future__ import annotations

from typing import Any

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
