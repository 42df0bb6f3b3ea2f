"""Render the stored posts and proposals again: images from other servers become links (see
blog/rendering.py), so none already saved keeps tracking its readers."""

from django.db import migrations


def rerender(apps, schema_editor):
    from blog.rendering import render_markdown

    Post = apps.get_model("blog", "Post")
    for post in Post.objects.only("pk", "body_markdown", "body_html").iterator():
        html = render_markdown(post.body_markdown)
        if html != post.body_html:
            Post.objects.filter(pk=post.pk).update(body_html=html)
    Proposal = apps.get_model("blog", "PolicyProposal")
    for proposal in Proposal.objects.iterator():
        problem, action = render_markdown(proposal.problem), render_markdown(proposal.joint_action)
        if (problem, action) != (proposal.problem_html, proposal.action_html):
            Proposal.objects.filter(pk=proposal.pk).update(problem_html=problem, action_html=action)


class Migration(migrations.Migration):
    dependencies = [("blog", "0002_data_rights")]

    operations = [migrations.RunPython(rerender, migrations.RunPython.noop)]
