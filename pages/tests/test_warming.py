"""After a service's write, what is costly to read from the changed data (the directory's counts
over the whole registry, the impact figures) is computed again ahead of the next visitor."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from impact.selectors import impact_figures
from pages import tasks
from stakeholders import services
from stakeholders.tests.factories import StakeholderFactory, UserFactory

pytestmark = pytest.mark.django_db


def _register_and_publish(name: str) -> None:
    services.stakeholder_register(user=UserFactory(), name=name, kind="sme", country="AT")
    from stakeholders.models import Stakeholder

    services.stakeholder_publish(stakeholder=Stakeholder.objects.get(name=name))


def test_after_a_write_the_next_visitor_finds_the_counts_and_figures_ready(
    client, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    StakeholderFactory(name="First", country="AT")
    client.get(reverse("stakeholders:directory"))
    with django_capture_on_commit_callbacks(execute=True):
        _register_and_publish("Second")
    # The counts of the whole registry and the impact figures, for the new version: the next
    # visitor of the directory reads the page of results and nothing else costly.
    from common.fragments import store

    store.clear()
    with django_assert_max_num_queries(10) as queries:
        html = client.get(reverse("stakeholders:directory") + "?miss=1").content.decode()
    assert "Austria (2)" in html
    assert not [q for q in queries.captured_queries if "GROUP BY" in q["sql"]]
    figures = impact_figures()
    assert figures.totals.mapped == 2


def test_a_burst_of_writes_plans_one_warming(monkeypatch):
    planned = []
    monkeypatch.setattr(
        tasks.warm_caches_task, "apply_async", lambda **kwargs: planned.append(kwargs)
    )
    for _ in range(5):
        tasks.schedule_warm("registry")
    assert planned == [{"kwargs": {"domains": ["registry"]}, "countdown": tasks.WARM_DELAY}]
    tasks.warm_caches_task.run(domains=["registry"])  # the worker runs it: the next write plans
    tasks.schedule_warm("registry")
    assert len(planned) == 2


def test_a_broker_that_is_down_fails_no_write(broker_down, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _register_and_publish("Written anyway")
    # Nothing planned stays planned: the next write tries again.
    assert cache.get("warming:registry") is None
