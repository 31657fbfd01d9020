"""Every mart of the published warehouse as Parquet and as CSV, with a manifest of row counts and checksums.

    python -m orchestration.export [--out DIR]      (make export; default data/export/)

- Parquet keeps the types (DECIMAL amounts, lists of fact ids).
- CSV is UTF-8 with a byte-order mark, so Excel shows the Chinese names; lists are written as [a, b].
- Rows are sorted on every column, so the same warehouse always gives byte-identical files, and the
  manifest's sha256 only changes when the data does.
- The published warehouse is opened read-only: an export never blocks, and never sees, a build in progress.
The export is written into a new folder beside the target and renamed over it when complete.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from pathlib import Path

import duckdb

from orchestration import settings

BOM = b"\xef\xbb\xbf"
MARTS = "marts"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def export(db: Path, out: Path) -> dict:
    if not db.exists():
        raise FileNotFoundError(f"No warehouse at {db}: run `make run` first.")
    tmp = out.with_name(out.name + ".writing")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "parquet").mkdir(parents=True)
    (tmp / "csv").mkdir()
    tables = []
    with duckdb.connect(str(db), read_only=True) as con:
        names = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = ? order by table_name", [MARTS]
        ).fetchall()]
        for name in names:
            query = f'select * from {MARTS}."{name}" order by all'
            parquet = tmp / "parquet" / f"{name}.parquet"
            con.execute(f"copy ({query}) to '{parquet}' (format parquet, compression zstd)")
            plain = tmp / "csv" / f"{name}.plain.csv"
            con.execute(f"copy ({query}) to '{plain}' (format csv, header true)")
            csv = tmp / "csv" / f"{name}.csv"
            with csv.open("wb") as dst, plain.open("rb") as src:
                dst.write(BOM)
                shutil.copyfileobj(src, dst)
            plain.unlink()
            n = con.execute(f'select count(*) from {MARTS}."{name}"').fetchone()[0]
            tables.append({
                "table": f"{MARTS}.{name}", "rows": n,
                "parquet": {"file": f"parquet/{name}.parquet", "bytes": parquet.stat().st_size,
                            "sha256": _sha256(parquet)},
                "csv": {"file": f"csv/{name}.csv", "bytes": csv.stat().st_size, "sha256": _sha256(csv)},
            })
    manifest = {"warehouse": str(db), "warehouse_sha256": _sha256(db), "tables": tables}
    (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=settings.DATA_DIR / "export")
    args = parser.parse_args(argv)
    db = settings.warehouse_path()
    try:
        manifest = export(db, args.out.absolute())
    except (FileNotFoundError, duckdb.Error) as exc:
        print(f"export failed: {exc}", file=sys.stderr)
        return 1
    width = max(len(t["table"]) for t in manifest["tables"]) if manifest["tables"] else 10
    for t in manifest["tables"]:
        print(f"   {t['table']:<{width}}  {t['rows']:>9,} rows")
    print(f"Exported {len(manifest['tables'])} marts from {db} to {args.out}/ (parquet/, csv/, manifest.json)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
