"""The attention lesson's maths and inputs (SPEC §2), every intermediate returned.

    attention.py  simplified, trainable, causal and multi-head self-attention on one sequence
    steps.py      the four variants on one sentence, with shared projections (LessonSettings)
    text.py       lesson inputs: words -> tokens, seeded embeddings, a hand-typed table
    position.py   tokens are a set until position is added: shuffled attention, the sinusoidal encoding
"""

from .steps import AttentionLesson, LessonSettings, build_attention_lesson, head_choices

__all__ = ["AttentionLesson", "LessonSettings", "build_attention_lesson", "head_choices"]
