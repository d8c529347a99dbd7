"""A story's facts are computed once per check run, whatever the number of messages."""

from newsletter.build import load, render
from newsletter.checks.context import CheckContext
from newsletter.checks.text.facts import story_facts
from newsletter.core.timing import Timer


def test_facts_are_shared_by_every_message_of_a_run(minimal):
    project, _ = load(minimal)
    outputs = render(project, Timer())
    own: dict = {}
    contexts = [CheckContext(project, output, {}, own) for output in outputs]
    seen = {}
    for ctx in contexts:
        for story in ctx.stories:
            facts = story_facts(ctx, story)
            assert seen.setdefault((story.path, story.locale), facts) is facts
    assert len(own) == len(seen)
    other = CheckContext(project, outputs[0], {})  # another run computes afresh
    story = outputs[0].variant.stories[0]
    assert story_facts(other, story) is not seen[(story.path, story.locale)]


def test_facts_of_a_guide_and_a_testimonial(minimal):
    project, _ = load(minimal)
    ctx = CheckContext(project, render(project, Timer())[0], {})
    guide = story_facts(ctx, project.stories["reading-habit-guide"])
    assert guide.teaches == "3 steps to follow" and guide.offer is None and not guide.is_promotion
    tom = story_facts(ctx, project.stories["tom-testimonial"])
    assert tom.features_customer and tom.placeholder is None and tom.reward is None
