"""Typed entity mentions (PS person, OG organisation, LC location) in Korean text, and their
canonical referents.

One job per module: `base` (the mention record, types, titles), `matching` (the longest-match
helper), `gazetteer` (konne gazetteer and curated lexicon), `features` (CRF features), `spans`
(label decoding, span clean-up), `recognizer` (the CRF pipeline, `load_recognizer`), `canonical`
(within an article: short forms -> the full name; abbreviations -> their country), with `names`
(surnames, titles, name predicates), `countries` (country abbreviations) and `surface` (what is
counted: span glitches, glosses, glued names split), `referents` (across a corpus: forms of one
referent merged, one type per referent).
"""

from analytics.nlp.entities.base import (
    ALL_FEATURES,
    EXTRA_FEATURES,
    MODEL_DIR,
    TITLES,
    TYPES,
    Entity,
)
from analytics.nlp.entities.features import (
    char_morph_features,
    eojeol_features,
    featurize,
    token_spans,
)
from analytics.nlp.entities.gazetteer import gazetteer_tags, load_gazetteer, load_lexicon
from analytics.nlp.entities.recognizer import EntityRecognizer, _get_kiwi, load_recognizer
from analytics.nlp.entities.spans import bio_to_spans, canonical_span, to_bioes

__all__ = [
    "ALL_FEATURES", "EXTRA_FEATURES", "MODEL_DIR", "TITLES", "TYPES", "Entity", "EntityRecognizer",
    "_get_kiwi", "bio_to_spans", "canonical_span", "char_morph_features", "eojeol_features", "featurize",
    "gazetteer_tags", "load_gazetteer", "load_lexicon", "load_recognizer", "to_bioes", "token_spans",
]
