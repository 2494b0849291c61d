"""Per-article analysis stages, all fed by one Kiwi pass.

Contract used by `analytics.pipeline` (keep it stable):

- `tokenize.split_sentences(text) -> list[Sent]`: `Sent.text/.start/.end/.tokens` (kiwipiepy tokens,
  offsets relative to the article text). One shared Kiwi per process (`tokenize.get_kiwi()`).
- `tokenize.analyze_batch(texts) -> list[list[Sent]]`: the batched form (Kiwi parallelises inside).
- `tokenize.sentence_units(sent) -> list[Unit]`: normalised content units (`Unit.term`, `Unit.cls`).
- `keywords.extract_keywords(sents, top=20) -> list[tuple[str, float]]`: YAKE over normalised sentences.
- `keywords.term_counts(sents) -> list[tuple[str, str, int]]`: (term, class, count) per article.
- `sentiment.load_sentiment_model() -> SentimentModel`; `model.predict(texts, tokens=None)`
  -> list of (label, score) with label in {negative, neutral, positive} and score in [-1, 1].
- `entities.load_recognizer() -> EntityRecognizer`; `rec.extract(texts, tokens=None)`
  -> per sentence a list of `Entity(type, text, start, end, canonical)`, type in {PS, OG, LC}.
"""
