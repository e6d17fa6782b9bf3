"""Packaging glue that pyproject.toml cannot express.

The default theme's source is the top-level `templates/` folder of the repository. A wheel carries
it as the package data folder `itreport/theme` (a mapping, not a copy kept in sync by hand), so an
installed itreport renders briefings without the repository. See `itreport.render.theme`.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["itreport", "itreport.*"]), "itreport.theme"],
    package_dir={"itreport.theme": "templates"},
    package_data={
        "itreport": ["py.typed", "*.yaml", "locale/*.yaml"],
        "itreport.scaffold": ["files/**/*"],
        "itreport.theme": ["*.html", "*.css", "*.md", "sections/*.html", "fonts/*"],
    },
    include_package_data=False,
)
