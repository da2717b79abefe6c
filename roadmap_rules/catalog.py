"""Catalog of every built-in code: the source of severities, `rules` and `explain`."""

from __future__ import annotations

from roadmap_rules.diagnostics import CheckInfo, Message, Severity

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


def _info(code: str, name: str, severity: Severity, ru: str, en: str, why_ru: str = "", why_en: str = "") -> CheckInfo:
    return CheckInfo(code, name, severity, Message(ru, en), Message(why_ru, why_en), origin="builtin")


LOADING_CHECKS = (
    _info(
        "Y001",
        "yaml-syntax",
        E,
        "Синтаксическая ошибка YAML",
        "YAML syntax error",
        "Файл, который не читается, не проверяется вовсе.",
        "A file that does not parse cannot be checked at all.",
    ),
    _info(
        "Y002",
        "duplicate-key",
        E,
        "Повторяющийся ключ",
        "Duplicate key",
        "Обычный загрузчик YAML молча оставляет последнее значение, и данные теряются.",
        "A plain YAML loader silently keeps the last value, losing data.",
    ),
    _info("Y003", "not-utf8", E, "Файл не в UTF-8", "File is not UTF-8"),
    _info("Y004", "empty-file", E, "Пустой файл", "Empty file"),
    _info(
        "Y005",
        "alias-bomb",
        E,
        "Чрезмерное раскрытие ссылок или вложенность",
        "Alias bomb or runaway nesting",
        "Защита от «billion laughs»: ссылки YAML могут раскрыться в гигабайты.",
        "Guards against billion-laughs expansion.",
    ),
    _info("Y006", "file-too-large", E, "Файл больше допустимого размера", "File over the size limit"),
    _info(
        "Y007",
        "unsafe-tag",
        E,
        "Неподдерживаемый тег YAML",
        "Unsupported YAML tag",
        "Файлы читаются только безопасно: теги объектов Python не исполняются.",
        "Files are loaded safely only: object tags are never executed.",
    ),
    _info("Y008", "complex-key", E, "Ключ не строка", "Non-string key"),
    _info("Y009", "unreadable", E, "Файл не читается", "Unreadable file"),
    _info("S001", "invalid-value", E, "Значение неверного типа или недопустимое", "Invalid value or wrong type"),
    _info("S002", "missing-key", E, "Не задано обязательное поле", "Missing required key"),
    _info(
        "S003",
        "unknown-key",
        E,
        "Неизвестный ключ",
        "Unknown key",
        "Опечатка в ключе означает, что значение не будет проверено.",
        "A misspelt key means its value is never checked.",
    ),
    _info("S004", "unknown-kind", E, "Неизвестный вид файла", "Unknown file kind"),
)

SUPPRESSION_CHECKS = (
    _info(
        "N001",
        "unused-suppression",
        W,
        "Подавление ничего не подавляет",
        "Unused suppression",
        "Устаревшие подавления скрывают будущие ошибки.",
        "Stale suppressions hide future findings.",
    ),
    _info("N002", "suppression-without-reason", W, "Подавление без причины", "Suppression without a reason"),
    _info("N003", "expired-suppression", W, "Срок подавления истёк", "Expired suppression"),
    _info("N004", "malformed-suppression", W, "Неверно записанное подавление", "Malformed suppression"),
)

RULE_FILE_CHECKS = (
    _info("R001", "rule-syntax", E, "Синтаксическая ошибка в файле правил", "Syntax error in a rule file"),
    _info(
        "R002",
        "rule-unknown-name",
        E,
        "Неизвестное поле, коллекция или переменная в правиле",
        "Unknown field, collection or variable in a rule",
    ),
    _info("R003", "rule-type-mismatch", E, "Несовместимые типы в правиле", "Type mismatch in a rule"),
    _info("R004", "rule-unknown-parameter", E, "Неизвестный параметр правила", "Unknown rule parameter"),
    _info("R005", "rule-duplicate-code", E, "Код правила повторяется", "Duplicate rule code"),
    _info("R006", "rule-runtime-error", E, "Ошибка при выполнении правила", "Rule failed at run time"),
    _info("R007", "unknown-ruleset", E, "Неизвестный набор правил", "Unknown ruleset"),
    _info("R008", "config-error", E, "Ошибка конфигурации", "Configuration error"),
)
