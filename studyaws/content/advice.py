"""Advice on a question bank: valid content that teaches less well than it could (SA6xx warnings).

SA601, answer-length bias. A learner who has spotted that the right choice is usually the longest
one scores without knowing the subject: the right answer gets qualified and precise while the
wrong ones are written in a hurry. Each questions file is one bank; when the right choice of its
single-choice questions is strictly longer than every wrong choice in more than `BIAS_MAX` of
them, `validate` warns. The lengths are those the learner reads: `{fact:ID}` filled in.

The fix is to write wrong choices as specific as the right one, never to pad or cut the right
choice to game the count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from studyaws.content.model import Fact, Question
from studyaws.content.problems import Problem
from studyaws.content.text import render_facts

BIAS_MAX = 0.40  # the share of single-choice questions whose right choice may be the longest
BIAS_MIN_QUESTIONS = 5  # fewer single-choice questions than this prove nothing either way
_NAMED = 5  # how many of the biased questions the warning names


def right_is_longest(question: Question, facts: Mapping[str, Fact]) -> bool:
    """The right choice, as rendered, is strictly longer than every wrong choice."""
    if question.type != "single" or not isinstance(question.answer, str):
        return False
    lengths = {key: len(render_facts(text, facts)) for key, text in question.choices}
    right = lengths.get(question.answer)
    if right is None or len(lengths) < 2:
        return False
    return all(right > length for key, length in lengths.items() if key != question.answer)


def length_bias(questions: Iterable[Question], facts: Mapping[str, Fact]) -> list[Problem]:
    """One SA601 warning per questions file whose single-choice bank leans on long answers."""
    banks: dict[str, list[Question]] = defaultdict(list)
    for question in questions:
        if question.type == "single" and isinstance(question.answer, str):
            banks[question.loc.path].append(question)
    problems = []
    for bank in banks.values():
        if len(bank) < BIAS_MIN_QUESTIONS:
            continue
        longest = [q for q in bank if right_is_longest(q, facts)]
        share = len(longest) / len(bank)
        if share <= BIAS_MAX:
            continue
        named = ", ".join(q.id for q in longest[:_NAMED])
        more = f" and {len(longest) - _NAMED} more" if len(longest) > _NAMED else ""
        problems.append(
            Problem(
                longest[0].loc,
                "SA601",
                f"the right choice is the longest in {len(longest)} of {len(bank)} single-choice "
                f"questions ({share:.0%}, more than {BIAS_MAX:.0%}): write the wrong choices as "
                f"specific as the right one ({named}{more})",
            )
        )
    return problems
