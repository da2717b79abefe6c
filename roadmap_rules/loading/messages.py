"""Russian and English texts of the loading findings."""

from __future__ import annotations

from roadmap_rules.diagnostics import Message

DUPLICATE_KEY = Message(
    "Ключ «{key}» повторяется: PyYAML молча оставил бы последнее значение",
    "Duplicate key '{key}': a plain YAML loader would silently keep the last value",
)
FIRST_DEFINED = Message("первое определение", "first defined here")
COMPLEX_KEY = Message(
    "Ключ должен быть строкой, а не списком или словарём", "A key must be a string, not a list or a mapping"
)
UNSUPPORTED_TAG = Message(
    "Тег YAML «{tag}» не поддерживается: файлы читаются только безопасно",
    "YAML tag '{tag}' is not supported: files are loaded safely only",
)
TOO_BIG = Message(
    "Файл слишком большой: {size} байт при пределе {limit}", "File too large: {size} bytes, the limit is {limit}"
)
NOT_UTF8 = Message(
    "Файл не в кодировке UTF-8 (байт {byte}); сохраните его в UTF-8",
    "File is not UTF-8 (byte {byte}); save it as UTF-8",
)
NUL_BYTE = Message("В файле нулевой байт: это не текст YAML", "The file contains a NUL byte: it is not YAML text")
EMPTY = Message("Файл пуст: нет ни одного ключа", "The file is empty: no keys at all")
TOO_DEEP = Message("Слишком глубокая вложенность (больше {limit} уровней)", "Nesting deeper than {limit} levels")
ALIAS_BOMB = Message(
    "Ссылки YAML (&якорь / *ссылка) раскрываются в слишком большой объём данных: файл отклонён",
    "YAML aliases expand into far too much data (an alias bomb): the file is rejected",
)
UNREADABLE = Message("Не удалось прочитать файл: нет доступа", "Cannot read the file: permission denied")
NOT_FOUND = Message("Файл или каталог не найден", "No such file or directory")

_PROBLEMS_RU = {
    "mapping values are not allowed here": "здесь не может начинаться значение (лишнее «:» или не хватает отступа?)",
    "found character '\\t' that cannot start any token": "символ табуляции нельзя использовать для отступа",
    "could not find expected ':'": "не найдено ожидаемое «:»",
    "found unexpected end of stream": "файл неожиданно закончился (незакрытая кавычка или скобка?)",
    "expected <block end>, but found '<block mapping start>'": "неверный отступ: ключ сдвинут относительно соседних",
    "expected <block end>, but found '-'": "неверный отступ у элемента списка «-»",
    "expected a single document in the stream": "в файле несколько документов YAML (---), ожидается один",
    "found undefined alias": "ссылка *имя на неопределённый якорь",
    "found duplicate anchor": "якорь &имя определён дважды",
    "while scanning a quoted scalar": "незакрытая кавычка",
    "found unexpected ':'": "неожиданное «:»",
}


def syntax(problem: str) -> Message:
    """A syntax error, with PyYAML's English problem translated where we know it."""
    ru = next((text for key, text in _PROBLEMS_RU.items() if key in problem), problem)
    return Message(f"Синтаксическая ошибка YAML: {ru}", f"YAML syntax error: {problem}")
