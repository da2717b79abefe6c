"""The command line: options → config, engine, reporter → exit code. Nothing else.

Exit codes: 0 — nothing at or above the fail level; 1 — findings; 2 — usage,
configuration or internal error.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from roadmap_rules import __version__
from roadmap_rules.config import Config, ConfigError, resolve
from roadmap_rules.diagnostics import Lang, Severity

if TYPE_CHECKING:
    from roadmap_rules.engine import Engine

EXAMPLES = """
\b
Примеры / examples:
  roadmap-check examples/demo-region
  roadmap-check 'roadmaps/**/*.yaml' --format json --lang en
  roadmap-check plan.yaml --select D,B --fail-level warning
  roadmap-check deadline "ноябрь 2024 – май 2025" --period 2024-09-01..2025-08-31
  roadmap-check rules
  roadmap-check explain X001
  roadmap-check test rulesets/fixtures
  roadmap-check graph examples/demo-region --format dot
"""


class _DefaultToCheck(click.Group):
    """`roadmap-check PATH...` runs `check`; known words run their subcommand."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["check", *args]
        elif not args:
            args = ["check", "--help"]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> object:
        """A defect of roadmap-check itself exits 2 with a short message, not 1 as if the plans were at fault."""
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as error:  # the last line of defence: report and exit 2
            click.echo(
                f"roadmap-check: внутренняя ошибка / internal error: {type(error).__name__}: {error}\n"
                "Пожалуйста, сообщите о ней вместе с файлом, на котором она возникла.",
                err=True,
            )
            sys.exit(2)


@click.group(cls=_DefaultToCheck, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXAMPLES)
@click.version_option(__version__, prog_name="roadmap-check")
def main() -> None:
    """Проверка дорожных карт ШНОР/ШНСУ/ШПРО / compliance checker for school-improvement roadmaps.

    \b
    roadmap-check PATH...  — то же, что roadmap-check check PATH... / short for `check PATH...`
    Коды выхода / exit codes: 0 — нет замечаний уровня --fail-level, 1 — есть, 2 — ошибка использования.
    """


def run() -> None:
    """The console script: `main`, then end the process at once.

    Output is flushed first; what is skipped is tearing down the heap, i.e. freeing
    the checked corpus object by object (measured: 0.1–0.15 of the parse floor).
    """
    try:
        main()
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 0 if exit_.code is None else 1
        if isinstance(exit_.code, str):
            click.echo(exit_.code, err=True)
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # a reader that went away (`| head`) is no error
        pass
    except OSError as error:  # a report that could not be written (a full disk) must not pass unnoticed
        click.echo(f"roadmap-check: отчёт не записан / the report was not written: {error}", err=True)
        code = 2
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    os._exit(code)


def _codes(value: str | None) -> tuple[str, ...]:
    return tuple(c.strip().upper() for c in (value or "").split(",") if c.strip())


@main.command(epilog=EXAMPLES)
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Формат вывода / output format.",
)
@click.option(
    "--lang", type=click.Choice(["ru", "en"]), default=None, help="Язык сообщений (ru по умолчанию) / message language."
)
@click.option("--select", default=None, help="Только эти коды или префиксы: B,D002 / only these codes or prefixes.")
@click.option("--ignore", default=None, help="Пропустить коды или префиксы / skip codes or prefixes.")
@click.option(
    "--fail-level",
    type=click.Choice(["error", "warning", "info"]),
    default=None,
    help="С какого уровня код выхода 1 (error) / exit 1 from this severity.",
)
@click.option(
    "--ruleset",
    "rulesets",
    multiple=True,
    help="Набор правил или файл .rules (можно несколько) / ruleset name or file.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Файл конфигурации / config file.",
)
@click.option("--max-file-size", type=int, default=None, help="Предел размера файла, байт / file size limit in bytes.")
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Дата «сегодня» для сроков подавлений / today's date.",
)
@click.option(
    "--jobs", "-j", type=int, default=None, help="Число процессов (по умолчанию все ядра) / worker processes."
)
@click.option("--no-cache", is_flag=True, help="Не использовать кэш результатов / bypass the result cache.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Каталог кэша, по умолчанию .roadmap-check-cache / cache directory.",
)
def check(
    paths: tuple[str, ...],
    fmt: str,
    lang: str | None,
    select: str | None,
    ignore: str | None,
    fail_level: str | None,
    rulesets: tuple[str, ...],
    config_path: Path | None,
    max_file_size: int | None,
    today: dt.datetime | None,
    jobs: int | None,
    no_cache: bool,
    cache_dir: Path | None,
) -> None:
    """Проверить файлы, каталоги и маски / check files, directories and globs."""
    from roadmap_rules.cache import Cache
    from roadmap_rules.engine import Engine
    from roadmap_rules.reporters import build_reporter

    try:
        config = resolve(list(paths), config_path)
    except ConfigError as error:
        raise click.UsageError(str(error)) from error
    config = _with_flags(config, select, ignore, fail_level, rulesets, max_file_size, lang)
    cache = None if no_cache else Cache(cache_dir or config.base_dir / ".roadmap-check-cache")
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    engine = Engine(config, today=today.date() if today else dt.date.today(), jobs=workers, cache=cache)
    report = engine.check_paths(paths)
    out_lang: Lang = "en" if config.lang == "en" else "ru"
    click.echo(build_reporter(fmt)(report, out_lang), nl=False)
    sys.exit(1 if report.fails(config.fail_level) else 0)


def _with_flags(
    config: Config,
    select: str | None,
    ignore: str | None,
    fail_level: str | None,
    rulesets: tuple[str, ...],
    max_file_size: int | None,
    lang: str | None,
) -> Config:
    changes: dict[str, Any] = {}
    if select is not None:
        changes["select"] = _codes(select)
    if ignore is not None:
        changes["ignore"] = config.ignore + _codes(ignore)
    if fail_level is not None:
        changes["fail_level"] = Severity(fail_level)
    if rulesets:
        changes["rulesets"] = rulesets
    if max_file_size is not None:
        changes["max_file_size"] = max_file_size
    if lang is not None:
        changes["lang"] = lang
    return replace(config, **changes)


@main.command()
@click.argument("phrase")
@click.option("--period", default=None, help="Период плана: 2024-01-01..2024-12-31 / plan period.")
@click.option("--approved", default=None, help="Дата утверждения ГГГГ-ММ-ДД / approval date.")
@click.option("--lang", type=click.Choice(["ru", "en"]), default="ru")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def deadline(phrase: str, period: str | None, approved: str | None, lang: str, fmt: str) -> None:
    """Показать, как понят срок / show how a deadline phrase is understood."""
    import json

    from roadmap_rules.deadlines import DeadlineContext, deadline_issues, describe, parse_deadline, render

    try:
        start, end = (dt.date.fromisoformat(p) for p in period.split("..")) if period else (None, None)
        approved_on = dt.date.fromisoformat(approved) if approved else None
    except ValueError as error:
        raise click.UsageError(f"--period ГГГГ-ММ-ДД..ГГГГ-ММ-ДД, --approved ГГГГ-ММ-ДД: {error}") from error
    context = DeadlineContext(start, end, approved_on)
    value = parse_deadline(phrase, context)
    issues = deadline_issues(value, context)
    out_lang: Lang = "en" if lang == "en" else "ru"
    if fmt == "json":
        payload = {**describe(value), "issues": [{"code": i.code, "message": i.message.get(out_lang)} for i in issues]}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        click.echo(render(value, out_lang))
        for issue in issues:
            click.echo(f"{issue.code} {issue.message.get(out_lang)}")
    sys.exit(1 if any(i.code in ("D001",) for i in issues) else 0)


@main.command(name="rules")
@click.option("--ruleset", "rulesets", multiple=True, help="Наборы правил / rulesets.")
@click.option("--lang", type=click.Choice(["ru", "en"]), default="ru")
@click.option(
    "--all", "show_all", is_flag=True, help="Также встроенные проверки (Y, S, D, G, N, R) / built-in checks too."
)
def list_rules(rulesets: tuple[str, ...], lang: str, show_all: bool) -> None:
    """Список правил / list the rules."""
    engine = _engine(rulesets)
    out_lang: Lang = "en" if lang == "en" else "ru"
    for info in sorted(engine.catalog.values(), key=lambda i: i.code):
        if info.origin == "builtin" and not show_all:
            continue
        click.echo(f"{info.code:6} {info.severity.value:8} {info.origin:11} {info.name:32} {info.title.get(out_lang)}")


@main.command()
@click.argument("code")
@click.option("--ruleset", "rulesets", multiple=True)
@click.option("--lang", type=click.Choice(["ru", "en"]), default="ru")
def explain(code: str, rulesets: tuple[str, ...], lang: str) -> None:
    """Объяснить правило: обоснование, источник, примеры / explain a rule."""
    from roadmap_rules.explain import explain_code

    engine = _engine(rulesets)
    text = explain_code(engine, code.upper(), "en" if lang == "en" else "ru")
    if text is None:
        raise click.UsageError(f"Нет правила {code} / no rule {code}")
    click.echo(text)


@main.command(name="test")
@click.argument("paths", nargs=-1, required=True)
@click.option("--ruleset", "rulesets", multiple=True, help="Наборы правил для проверки фикстур / rulesets under test.")
def run_fixtures(paths: tuple[str, ...], rulesets: tuple[str, ...]) -> None:
    """Прогнать фикстуры правил (YAML) / run rule fixtures."""
    from roadmap_rules.fixtures import collect, run_case

    absent = [p for p in paths if not Path(p).exists()]
    if absent:
        raise click.UsageError(f"Не найдено / not found: {', '.join(absent)}")
    failures = total = 0
    for fixture in collect(paths):
        for case in fixture.cases:
            total += 1
            problems = run_case(fixture, case, rulesets or None)
            status = "ok" if not problems else "FAIL"
            click.echo(f"{status:4} {fixture.path} :: {case.name}")
            for problem in problems:
                click.echo(f"     {problem}")
            failures += bool(problems)
    click.echo(f"{total - failures} passed, {failures} failed")
    sys.exit(1 if failures or not total else 0)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["dot", "graphml", "json"]), default="json", show_default=True)
@click.option("--nodes", default=None, help="Виды узлов через запятую / node kinds.")
@click.option("--edges", default=None, help="Виды рёбер через запятую / edge kinds.")
def graph(paths: tuple[str, ...], fmt: str, nodes: str | None, edges: str | None) -> None:
    """Выгрузить граф связей / export the graph of links."""
    from roadmap_rules.engine import Engine
    from roadmap_rules.graph import build_graph, export_graph
    from roadmap_rules.workspace import build_workspace

    results, missing = Engine(resolve(list(paths), None)).load_paths(paths)
    if missing:
        raise click.UsageError(f"Не найдено / not found: {', '.join(missing)}")
    ws = build_workspace((r.path, r.model) for r in results if r.model is not None)
    node_kinds = [n.strip() for n in nodes.split(",")] if nodes else None
    edge_kinds = [e.strip() for e in edges.split(",")] if edges else None
    try:
        graph = build_graph(ws, node_kinds=node_kinds, edge_kinds=edge_kinds)
    except ValueError as error:
        raise click.UsageError(str(error)) from error
    click.echo(export_graph(graph, fmt), nl=False)


def _engine(rulesets: tuple[str, ...]) -> Engine:
    """An engine for the commands that only read the rules (`rules`, `explain`)."""
    from roadmap_rules.engine import Engine

    try:
        config = resolve([], None)
    except ConfigError as error:
        raise click.UsageError(str(error)) from error
    if rulesets:
        config = replace(config, rulesets=rulesets)
    return Engine(config)


if __name__ == "__main__":
    main()
