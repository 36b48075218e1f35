from __future__ import annotations

import pytest

from llo_supply.nlp.tagger import Tagger
from tests.toy_taxonomy import write_toy_taxonomy


@pytest.fixture(scope="session")
def toy_base(tmp_path_factory: pytest.TempPathFactory):
    return write_toy_taxonomy(tmp_path_factory.mktemp("toy-taxonomy"))


@pytest.fixture(scope="session")
def tagger(toy_base) -> Tagger:
    return Tagger(toy_base)
