"""The database's schema as plain data: what a restore must bring back besides the rows.

A backup whose append-only and immutability triggers, a unique index or the migration head
were lost still restored "22/22 tables match" (finding 7): the rows were there, the
safeguards were not. The manifest therefore records tables, columns, indexes, constraints,
triggers and the Alembic head, and a restore is compared with it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, inspect, text


def _triggers(connection: Connection) -> list[list[str]]:
    if connection.dialect.name == "sqlite":
        rows = connection.execute(
            text("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        )
    else:
        rows = connection.execute(
            text(
                "SELECT c.relname, t.tgname FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE NOT t.tgisinternal AND n.nspname = current_schema() "
                "AND t.tgenabled <> 'D'"
            )
        )
    return sorted([str(table), str(name)] for table, name in rows)


def _head(connection: Connection, tables: list[str]) -> list[str]:
    if "alembic_version" not in tables:
        return []
    return sorted(
        str(v)
        for v in connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
    )


def describe_schema(connection: Connection) -> dict[str, Any]:
    """Tables with their columns, indexes and constraints; triggers; the migration head."""
    inspector = inspect(connection)
    tables = sorted(inspector.get_table_names())
    described: dict[str, Any] = {}
    for name in tables:
        described[name] = {
            "columns": [
                [c["name"], str(c["type"]).lower(), bool(c["nullable"])]
                for c in inspector.get_columns(name)
            ],
            "primary_key": inspector.get_pk_constraint(name).get("constrained_columns") or [],
            "indexes": sorted(
                [i["name"] or "", list(i["column_names"] or []), bool(i["unique"])]
                for i in inspector.get_indexes(name)
            ),
            "unique": sorted(
                sorted(u["column_names"]) for u in inspector.get_unique_constraints(name)
            ),
            "checks": sorted(c.get("name") or "" for c in inspector.get_check_constraints(name)),
            "foreign_keys": sorted(
                [list(f["constrained_columns"]), f["referred_table"]]
                for f in inspector.get_foreign_keys(name)
            ),
        }
    return {
        "tables": described,
        "triggers": _triggers(connection),
        "migration_head": _head(connection, tables),
    }


def schema_differences(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """What the restored schema lacks or has otherwise than the manifest, one line each."""
    problems = []
    if actual["migration_head"] != expected["migration_head"]:
        problems.append(
            f"schema: migration head {actual['migration_head']}, "
            f"expected {expected['migration_head']}"
        )
    have = {tuple(t) for t in actual["triggers"]}
    for trigger in expected["triggers"]:
        if tuple(trigger) not in have:
            problems.append(f"schema: trigger {trigger[1]} on {trigger[0]} missing")
    for table, shape in sorted(expected["tables"].items()):
        restored = actual["tables"].get(table)
        if restored is None:
            problems.append(f"schema: table {table} missing")
            continue
        for part in ("columns", "primary_key", "indexes", "unique", "checks", "foreign_keys"):
            if restored[part] != shape[part]:
                problems.append(f"schema: {table} {part} differ")
    return problems
