"""home.cache.GenerationCache: values kept until a new generation, and a cache outage that
costs the cache, never the answer."""

import logging

import pytest

from home import cache as generation_cache
from home.cache import GenerationCache


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return [self.calls]


class CacheDown:
    """A cache whose server does not answer (Redis down)."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("Connection refused")

        return fail


def test_a_value_is_kept_until_a_new_generation():
    family = GenerationCache("test-family", timeout=60)
    compute = Counter()
    assert family.cached("counts", {"page": 1}, compute) == [1]
    assert family.cached("counts", {"page": 1}, compute) == [1]
    assert family.cached("counts", {"page": 2}, compute) == [2]  # other parts, other value
    family.new_generation()
    assert family.cached("counts", {"page": 1}, compute) == [3]
    assert compute.calls == 3


def test_families_are_forgotten_separately():
    listings, suggestions = GenerationCache("test-a", timeout=60), GenerationCache("test-b", timeout=60)
    a, b = Counter(), Counter()
    listings.cached("x", [], a)
    suggestions.cached("x", [], b)
    listings.new_generation(sender=None, instance=None)  # a signal handler's arguments
    listings.cached("x", [], a)
    suggestions.cached("x", [], b)
    assert (a.calls, b.calls) == (2, 1)


def test_empty_answers_are_kept():
    family = GenerationCache("test-empty", timeout=60)
    calls = []
    for _ in range(2):
        assert family.cached("none-found", {}, lambda: calls.append(1) or []) == []
    assert len(calls) == 1


def test_a_cache_outage_computes_and_logs(monkeypatch, caplog):
    family = GenerationCache("test-down", timeout=60)
    monkeypatch.setattr(generation_cache, "cache", CacheDown())
    caplog.set_level(logging.WARNING, logger="home.cache")
    compute = Counter()
    assert family.cached("counts", {}, compute) == [1]
    assert family.cached("counts", {}, compute) == [2]
    family.new_generation()  # publishing a page still works
    messages = [record.getMessage() for record in caplog.records]
    assert "The cache did not answer; computing test-down:counts" in messages
    assert "Could not start a new generation of test-down" in messages


def test_a_failed_write_still_answers(monkeypatch, caplog):
    family = GenerationCache("test-write", timeout=60)
    monkeypatch.setattr(generation_cache.cache, "set", CacheDown().set)
    assert family.cached("counts", {}, Counter()) == [1]
    assert "Could not cache test-write:counts" in [record.getMessage() for record in caplog.records]


def test_a_failed_computation_is_not_swallowed():
    family = GenerationCache("test-error", timeout=60)

    def compute():
        raise LookupError("the backend is down")

    with pytest.raises(LookupError):
        family.cached("counts", {}, compute)
