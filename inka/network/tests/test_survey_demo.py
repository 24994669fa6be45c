"""Demo data of the partner survey: three waves per active site, plausible counts, one flagged wave."""

from collections import Counter

import pytest
from django.utils import timezone

from inka.network import demo as network_demo
from inka.network.models import SurveyAnswer, SurveyInvitation, SurveyResponse, SurveyWave
from inka.network.survey import selectors
from inka.network.survey.demo import generate as survey_generate
from inka.network.tests.test_demo import context
from inka.programme import demo as programme_demo
from inka.programme.models import Site


@pytest.fixture
def demo_partners(db, monkeypatch):
    """Sites and partners of the demo, without the survey (it runs on its own below)."""
    ctx = context()
    programme_demo.generate(ctx)
    monkeypatch.setattr(network_demo.survey_demo, "generate", lambda ctx: None)
    network_demo.generate(ctx)
    return ctx


def test_three_waves_per_active_site_with_plausible_figures(demo_partners):
    survey_generate(demo_partners)
    today = timezone.localdate()
    active = set(Site.objects.filter(status=Site.Status.ACTIVE).values_list("pk", flat=True))
    waves = Counter(SurveyWave.objects.values_list("site_id", flat=True))
    assert set(waves) == active
    assert set(waves.values()) == {3}
    summaries = selectors.wave_summaries(site_ids=sorted(active))
    flagged = [s for s in summaries if s.result.flagged]
    assert [(s.wave.site.code, s.wave.year) for s in flagged] == [("ALT", today.year - 2)]
    for summary in summaries:
        result = summary.result
        assert 10 <= result.n_invited <= 40
        assert result.flagged or 40 <= result.response_rate <= 80 + 100 / result.n_invited
        assert result.index is not None and 20 < result.index < 95
        assert (result.change is None) == (summary.wave.year == today.year - 2)
    current = SurveyWave.objects.filter(year=today.year)
    assert all(wave.opens_on <= today <= wave.closes_on for wave in current)
    assert all(selectors.partner_list_to_invite(wave=wave).count() >= 3 for wave in current)
    answered = SurveyInvitation.objects.exclude(answered_on=None)
    assert answered.count() == SurveyResponse.objects.count()
    assert not answered.filter(answered_on__gt=today).exists()
    assert SurveyAnswer.objects.filter(value=None).exists()
    assert SurveyResponse.objects.exclude(comment="").exists()
