"""scripts/check_tests.py, on small suites written to tmp_path: which tests check something."""

import textwrap

import pytest

from scripts.check_tests import NO_CHECK, NO_REASON, check, main


def problems(tmp_path, files: dict[str, str]) -> list[str]:
    for name, source in files.items():
        path = tmp_path / "tests" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))
    return check(tmp_path)


def one_test(tmp_path, source: str) -> list[str]:
    return problems(tmp_path, {"test_it.py": source})


CHECKED = {
    "assert": """
        def test_it():
            assert 1 + 1 == 2
    """,
    "pytest.raises": """
        import pytest
        def test_it():
            with pytest.raises(ZeroDivisionError):
                1 / 0
    """,
    "pytest.raises, called": """
        import pytest
        def test_it():
            pytest.raises(ZeroDivisionError, lambda: 1 / 0)
    """,
    "raises, imported from pytest": """
        from pytest import raises
        def test_it():
            with raises(ZeroDivisionError):
                1 / 0
    """,
    "pytest.warns": """
        import pytest, warnings
        def test_it():
            with pytest.warns(UserWarning):
                warnings.warn("careful")
    """,
    "pytest.fail": """
        import pytest
        def test_it(value):
            if value:
                pytest.fail("it was set")
    """,
    "query count": """
        def test_it(django_assert_num_queries):
            with django_assert_num_queries(2):
                pass
    """,
    "query ceiling": """
        def test_it(django_assert_max_num_queries):
            with django_assert_max_num_queries(6):
                pass
    """,
    "assert-named call": """
        from pytest_django.asserts import assertContains
        def test_it(client):
            assertContains(client.get("/"), "Shot Studio")
    """,
    "Playwright's expect": """
        from playwright.sync_api import expect
        def test_it(page):
            expect(page.get_by_text("Take 1")).to_be_visible()
    """,
    "async": """
        async def test_it():
            assert True is not False
    """,
    "helper that asserts": """
        def shows(page, text):
            assert text in page
        def test_it():
            shows("Take 1 of shot 1A", "Take 1")
    """,
    "helper of a helper": """
        def shows(page, text):
            assert text in page
        def shows_take(page):
            shows(page, "Take 1")
        def test_it():
            shows_take("Take 1 of shot 1A")
    """,
    "helper that raises AssertionError, as wait_for does": """
        def wait_for(predicate):
            if not predicate():
                raise AssertionError("gave up waiting")
        def test_it():
            wait_for(lambda: True)
    """,
    "smoke with a reason": """
        import pytest
        @pytest.mark.smoke(reason="the page renders: its content is tested elsewhere")
        def test_it(client):
            client.get("/")
    """,
    "smoke with a positional reason": """
        import pytest
        @pytest.mark.smoke("the page renders: its content is tested elsewhere")
        def test_it(client):
            client.get("/")
    """,
    "smoke class": """
        import pytest
        @pytest.mark.smoke(reason="each page renders")
        class TestPages:
            def test_home(self, client):
                client.get("/")
    """,
    "unittest-style method": """
        class TestSums:
            def test_it(self):
                self.assertEqual(1 + 1, 2)
    """,
    "query count, unittest-style": """
        class TestReads:
            def test_it(self):
                with self.assertNumQueries(1):
                    pass
    """,
    "method helper that asserts": """
        class TestSums:
            def adds_up(self, total):
                assert total == 2
            def test_it(self):
                self.adds_up(1 + 1)
    """,
    "helpers that call each other, the one called second asserting": """
        def take_done(n):
            if n:
                shot_done(n - 1)
        def shot_done(n):
            take_done(n)
            if n:  # read after the call above: the checker must not settle take_done first
                assert n > 0
        def test_first():
            shot_done(2)
        def test_it():
            take_done(2)
    """,
    "helper that calls itself and asserts": """
        def countdown(n):
            assert n >= 0
            if n:
                countdown(n - 1)
        def test_it():
            countdown(3)
    """,
}


@pytest.mark.parametrize("source", CHECKED.values(), ids=CHECKED.keys())
def test_a_test_that_checks_passes(tmp_path, source):
    assert one_test(tmp_path, source) == []


UNCHECKED = {
    "nothing": """
        def test_it(client):
            client.get("/")
    """,
    "helper that does not assert": """
        def visit(client):
            client.get("/")
        def test_it(client):
            visit(client)
    """,
    "helper named assert_* that does not assert": """
        def assert_visible(client):
            client.get("/")
        def test_it(client):
            assert_visible(client)
    """,
    "helpers that call each other, neither asserting": """
        def ping(n):
            if n:
                pong(n - 1)
        def pong(n):
            if n:
                ping(n - 1)
        def test_it():
            ping(4)
    """,
    "an assert in a fixture only": """
        import pytest
        @pytest.fixture
        def shot():
            value = {"number": "1A"}
            assert value
            return value
        def test_it(shot):
            shot.get("number")
    """,
}


@pytest.mark.parametrize("source", UNCHECKED.values(), ids=UNCHECKED.keys())
def test_a_test_that_checks_nothing_is_listed(tmp_path, source):
    lines = textwrap.dedent(source).splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("def test_it"))
    assert one_test(tmp_path, source) == [f"tests/test_it.py:{line}: test_it {NO_CHECK}"]


def test_a_helper_imported_from_a_tests_module_counts(tmp_path):
    found = problems(
        tmp_path,
        {
            "support/__init__.py": "",
            "support/pages.py": """
                def shows(page, text):
                    assert text in page
                def visit(page):
                    return page
            """,
            "support/again.py": "from tests.support.pages import shows as sees\n",
            "shots/__init__.py": "",
            "shots/helpers.py": "from ..support.pages import shows\n",
            "shots/test_shots.py": """
                from tests.support import pages
                from tests.support.again import sees
                from tests.support.pages import shows, visit
                from .helpers import shows as relatively
                def test_by_name():
                    shows("Take 1", "Take")
                def test_by_module():
                    pages.shows("Take 1", "Take")
                def test_by_a_name_imported_on():
                    sees("Take 1", "Take")
                def test_by_a_relative_import():
                    relatively("Take 1", "Take")
                def test_by_a_helper_that_checks_nothing():
                    visit("Take 1")
            """,
        },
    )
    assert found == [
        f"tests/shots/test_shots.py:14: test_by_a_helper_that_checks_nothing {NO_CHECK}"
    ]


def test_smoke_marks_need_a_reason(tmp_path):
    found = one_test(
        tmp_path,
        """
        import pytest
        @pytest.mark.smoke
        def test_bare():
            pass
        @pytest.mark.smoke()
        def test_no_reason():
            pass
        @pytest.mark.smoke(reason="  ")
        def test_blank_reason():
            pass
        @pytest.mark.smoke(reason="renders")
        class TestPages:
            def test_home(self):
                pass
        @pytest.mark.smoke
        class TestMore:
            def test_away(self):
                pass
        """,
    )
    assert found == [
        f"tests/test_it.py:4: test_bare {NO_REASON}",
        f"tests/test_it.py:7: test_no_reason {NO_REASON}",
        f"tests/test_it.py:10: test_blank_reason {NO_REASON}",
        f"tests/test_it.py:18: TestMore.test_away {NO_REASON}",
    ]


def test_methods_are_named_with_their_class_and_other_classes_are_not_tests(tmp_path):
    found = one_test(
        tmp_path,
        """
        class TestSums:
            def test_adds(self):
                total = 1 + 1
            def test_checks(self):
                assert 1 + 1 == 2
        class Helper:
            def test_like(self):
                pass
        def helper_like():
            pass
        """,
    )
    assert found == [f"tests/test_it.py:3: TestSums.test_adds {NO_CHECK}"]


def test_only_test_files_are_read(tmp_path):
    found = problems(
        tmp_path,
        {"conftest.py": "def test_like():\n    pass\n", "harness.py": "def test_x(): ...\n"},
    )
    assert found == []


def test_main_prints_each_problem_and_fails(tmp_path, capsys):
    one_test(tmp_path, "def test_it():\n    pass\n")
    assert main([str(tmp_path)]) == 1
    assert capsys.readouterr().out == f"tests/test_it.py:1: test_it {NO_CHECK}\n"
    (tmp_path / "tests" / "test_it.py").write_text("def test_it():\n    assert True\n")
    assert main([str(tmp_path)]) == 0
    assert capsys.readouterr().out == ""
