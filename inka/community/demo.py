"""Demo part of neighbourhood work: projects with sessions and attendance, resident activation
(demo_projects), then volunteers with their hours and outreach rounds (demo_volunteers)."""

from inka.community import demo_projects, demo_volunteers
from inka.core.demo import DemoContext


def generate(ctx: DemoContext) -> None:
    demo_projects.generate(ctx)
    demo_volunteers.generate(ctx)
