import factory
from django.utils import timezone
from django.utils.text import slugify

from blog.models import Comment, PolicyProposal, Post, Tag
from blog.rendering import excerpt_of, render_comment, render_markdown
from blog.services import post_refresh_search
from stakeholders.tests.factories import UserFactory


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"tag {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class PostFactory(factory.django.DjangoModelFactory):
    """A published news post with rendered HTML (as the service would store it)."""

    class Meta:
        model = Post
        skip_postgeneration_save = True

    kind = Post.Kind.NEWS
    title = factory.Sequence(lambda n: f"Post number {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    author = factory.SubFactory(UserFactory)
    body_markdown = "Some **news** from the Alps."
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body_markdown))
    excerpt = factory.LazyAttribute(lambda o: excerpt_of(o.body_html))
    state = Post.State.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def topics(post, create, extracted, **kwargs):
        if create and extracted:
            post.topics.set(extracted)

    @factory.post_generation
    def tags(post, create, extracted, **kwargs):
        if create and extracted:
            post.tags.set(extracted)
        if create:
            post_refresh_search(ids=[post.pk])


class IdeaFactory(PostFactory):
    kind = Post.Kind.IDEA
    title = factory.Sequence(lambda n: f"Idea number {n}")


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    post = factory.SubFactory(PostFactory)
    author = factory.SubFactory(UserFactory)
    body = "A thoughtful comment."
    body_html = factory.LazyAttribute(lambda o: render_comment(o.body))


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PolicyProposal
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Proposal number {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    problem = "SMEs cannot find partners across the border."
    problem_html = factory.LazyAttribute(lambda o: render_markdown(o.problem))
    joint_action = "A transnational matchmaking programme."
    action_html = factory.LazyAttribute(lambda o: render_markdown(o.joint_action))
    level = PolicyProposal.Level.TRANSNATIONAL
    status = PolicyProposal.Status.OPEN
    opened_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def ideas(proposal, create, extracted, **kwargs):
        if create and extracted:
            proposal.ideas.set(extracted)
